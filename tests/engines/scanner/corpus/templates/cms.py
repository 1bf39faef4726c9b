"""The Template base class: page list, URL scheme hooks and the main-content blocks every CMS shows."""

from __future__ import annotations

from ..content import CATEGORIES, Article, vn_date
from .base import (
    CONTENT,
    Page,
    RunModel,
    article_body,
    bank_block,
    category_title,
    contact_lines,
    embeds_body,
    esc,
    hash_text,
    huge_table,
    intro_text,
    latest,
    lottery_table,
    maps_iframe,
    schedule_table,
)

JQUERY = "/*! jQuery v3.7.1 | (c) OpenJS Foundation and other contributors | jquery.org/license */\n" + (
    "!function(e,t){'use strict';'object'==typeof module&&'object'==typeof module.exports?"
    "module.exports=e.document?t(e,!0):function(e){return t(e)}:t(e)}('undefined'!=typeof window?window:this,"
    "function(C,e){var t=[],r=Object.getPrototypeOf,s=t.slice;return C});\n"
)


KIND_LINKS: dict[str, tuple[tuple[str, str], ...]] = {
    "school": (("https://moet.gov.vn", "Bộ Giáo dục và Đào tạo"),),
    "lottery": (
        ("https://mof.gov.vn", "Bộ Tài chính"),
        ("https://xosothudo.com.vn", "Xổ số Thủ đô"),
        ("https://vietlott.vn", "Xổ số điện toán Vietlott"),
    ),
    "police": (("https://bocongan.gov.vn", "Bộ Công an"),),
    "hospital": (("https://moh.gov.vn", "Bộ Y tế"),),
    "sports": (("https://vff.org.vn", "Liên đoàn Bóng đá Việt Nam"),),
    "department": (("https://baochinhphu.vn", "Báo điện tử Chính phủ"),),
}


class Template:
    """A CMS look: URL scheme, document frame, assets. Subclasses override the hooks."""

    name = "base"
    cls = "c"

    # URL scheme
    def home(self, m: RunModel) -> str:
        return m.root_redirect or "/"

    def intro(self, m: RunModel) -> str:
        return "/gioi-thieu"

    def contact(self, m: RunModel) -> str:
        return "/lien-he"

    def schedule(self, m: RunModel) -> str:
        return "/lich-cong-tac"

    def extra_path(self, m: RunModel) -> str:
        return "/hoi-dap-chuyen-doi-so"

    def listing(self, m: RunModel, cat: str) -> str:
        return f"/{cat}"

    def article(self, m: RunModel, a: Article) -> str:
        return f"/{a.category}/{a.slug}-{a.aid}.html"

    def css_path(self, m: RunModel) -> str:
        return "/css/style.css"

    def js_path(self, m: RunModel) -> str:
        return "/js/main.js"

    def href(self, m: RunModel, path: str) -> str:
        if m.has("session_ids"):
            sep = "&" if "?" in path else "?"
            return f"{path}{sep}PHPSESSID=@@SID@@"
        return path

    # documents
    def frame(self, m: RunModel, page: Page, main: str) -> str:
        raise NotImplementedError

    def assets(self, m: RunModel) -> dict[str, tuple[str, str]]:
        css = (
            f"/* {self.name} theme {m.theme} "
            f"*/\nbody{{font-family:Arial,Helvetica,sans-serif;margin:0;background:#fff}}\n"
            f".{self.cls}-header{{background:#{'0b4ea2' if m.theme == 0 else 'a3171d'};color:#fff}}\n"
            f".{self.cls}-footer{{background:#003366;color:#fff;font-size:13px}}\n"
        )
        js = (
            f"/* {m.identity.portal_title} – main.js */\n"
            "document.addEventListener('DOMContentLoaded',function(){var m=document.querySelector('.menu-toggle');"
            "if(m){m.addEventListener('click',function(){document.body.classList.toggle('nav-open');});}});\n"
        )
        return {self.css_path(m): ("text/css", css), self.js_path(m): ("application/javascript", js)}

    # pages
    def pages(self, m: RunModel) -> list[Page]:
        pages = [
            Page("home", self.home(m), m.identity.portal_title),
            Page("intro", self.intro(m), "Giới thiệu"),
            Page("contact", self.contact(m), "Liên hệ"),
            Page("schedule", self.schedule(m), "Lịch công tác"),
        ]
        if m.extra_page:
            pages.append(Page("extra", self.extra_path(m), "Hỏi đáp chuyển đổi số"))
        pages += [Page("listing", self.listing(m, c), t, category=c) for c, t in CATEGORIES.items()]
        pages += [Page("article", self.article(m, a), a.title, article=a) for a in m.articles if a.aid not in m.removed]
        return pages

    def menu(self, m: RunModel) -> list[tuple[str, str]]:
        items = [
            (self.home(m), "Trang chủ"),
            (self.intro(m), "Giới thiệu"),
            (self.listing(m, "tin-tuc"), "Tin tức"),
            (self.listing(m, "thong-bao"), "Thông báo"),
            (self.listing(m, "van-ban"), "Văn bản"),
            (self.schedule(m), "Lịch công tác"),
            (self.contact(m), "Liên hệ"),
        ]
        if m.extra_page:
            items.insert(6, (self.extra_path(m), "Hỏi đáp"))
        return items

    def menu_html(self, m: RunModel, ul_cls: str, li_cls: str = "") -> str:
        li = f' class="{li_cls}"' if li_cls else ""
        items = "".join(f'<li{li}><a href="{self.href(m, p)}">{esc(t)}</a></li>' for p, t in self.menu(m))
        return f'<ul class="{ul_cls}">{items}</ul>'

    def render(self, m: RunModel, page: Page) -> str:
        main = {
            "home": self.home_main,
            "intro": self.intro_main,
            "contact": self.contact_main,
            "schedule": self.schedule_main,
            "extra": self.extra_main,
            "listing": self.listing_main,
            "article": self.article_main,
        }[page.kind](m, page)
        return self.frame(m, page, CONTENT + main + self.benign_hidden(m))

    def benign_hidden(self, m: RunModel) -> str:
        """Hidden-but-honest markup real portals carry (skip links, mobile menus, sr-only text, popups)."""
        pick = hash_text(m.site_id)
        parts = (
            '<a class="skip-link screen-reader-text" href="#content" style="position:absolute;left:-9999px">'
            "Bỏ qua và đến nội dung</a>",
            f'<div class="mobile-nav" style="display:none">{self.menu_html(m, "mobile-menu")}</div>',
            '<span class="sr-only" style="position:absolute;width:1px;height:1px;overflow:hidden;'
            'clip:rect(0,0,0,0)">Mở menu điều hướng</span>',
            '<div id="popup-thong-bao" hidden><p>Thông báo: hệ thống dịch vụ công tạm dừng để bảo trì '
            "từ 22h00 đến 23h00 thứ Bảy hằng tuần.</p></div>",
        )
        return "".join(part for i, part in enumerate(parts) if (pick >> i) % 3)

    def links_block(self, m: RunModel) -> str:
        """Reputable off-site links every portal has (government portals, the ministry of its field)."""
        province_slug = m.identity.domain.split(".")[1]
        links = [
            ("https://chinhphu.vn", "Cổng Thông tin điện tử Chính phủ"),
            ("https://dichvucong.gov.vn", "Cổng Dịch vụ công quốc gia"),
            (f"https://{province_slug}.gov.vn", f"Cổng TTĐT {m.identity.province}"),
            *KIND_LINKS.get(m.kind, ()),
        ]
        items = "".join(f'<li><a href="{u}" target="_blank" rel="noopener">{esc(t)}</a></li>' for u, t in links)
        return f'<div class="{self.cls}-weblinks"><h2>Liên kết website</h2><ul>{items}</ul></div>'

    def link_list(self, m: RunModel, articles: list[Article], cls: str) -> str:
        items = "".join(
            f'<li><a href="{self.href(m, self.article(m, a))}">{esc(a.title)}</a> <span class="d">'
            f"({vn_date(a.day)})</span></li>"
            for a in articles
        )
        return f'<ul class="{cls}">{items}</ul>'

    def home_main(self, m: RunModel, page: Page) -> str:
        c = self.cls
        featured = "".join(
            f'<div class="{c}-featured-item"><a href="{self.href(m, self.article(m, a))}">'
            f'<img src="/images/news/{a.aid}.jpg" alt="{esc(a.title)}"></a>'
            f'<h3><a href="{self.href(m, self.article(m, a))}">{esc(a.title)}</a></h3><p>{esc(a.summary)}</p></div>'
            for a in m.featured
        )
        blocks = [f'<div class="{c}-featured"><h2>Tin nổi bật</h2>{featured}</div>']
        banner = "@@BANNER@@" if m.has("rotating_banner") else str(m.banner)
        blocks.append(f'<div class="{c}-banner"><img src="/images/banner/banner{banner}.jpg" alt="banner"></div>')
        blocks.append(lottery_table(m, f"{c}-kqxs"))
        for cat in CATEGORIES:
            items = latest(m, 5, cat)
            if items:
                blocks.append(
                    f'<div class="{c}-box"><h2>{esc(category_title(cat))}</h2>{self.link_list(m, items, "news")}</div>'
                )
        blocks.append(f'<div class="{c}-latest"><h2>Tin mới</h2>{self.link_list(m, latest(m, 6), "news-latest")}</div>')
        blocks.append(self.links_block(m))
        blocks.append(embeds_body(m))
        if m.has("huge_dom"):
            blocks.append(huge_table(m, 4000))
        return "\n".join(b for b in blocks if b)

    def article_main(self, m: RunModel, page: Page) -> str:
        assert page.article is not None
        a = page.article
        related = [x for x in m.articles if x.aid != a.aid][:4]
        return (
            f'<div class="{self.cls}-article"><h1>{esc(a.title)}</h1>{article_body(a)}</div>'
            f'<div class="related"><h3>Tin liên quan</h3>{self.link_list(m, related, "related")}</div>'
        )

    def listing_main(self, m: RunModel, page: Page) -> str:
        assert page.category is not None
        items = latest(m, 15, page.category)
        rows = "".join(
            f'<div class="item"><h3><a href="{self.href(m, self.article(m, a))}">{esc(a.title)}</a></h3>'
            f"<p>{esc(a.summary)}</p></div>"
            for a in items
        )
        return f'<h1>{esc(category_title(page.category))}</h1><div class="{self.cls}-list">{rows}</div>'

    def contact_main(self, m: RunModel, page: Page) -> str:
        lines = "".join(f"<p>{line}</p>" for line in contact_lines(m))
        form = (
            f'<form method="post" action="{self.contact(m)}" class="contact-form">'
            '<input type="hidden" name="csrf_token" value="@@NONCE32@@">'
            '<p><label>Họ và tên</label><input type="text" name="name"></p>'
            '<p><label>Email</label><input type="email" name="email"></p>'
            '<p><label>Nội dung</label><textarea name="body"></textarea></p>'
            '<button type="submit">Gửi liên hệ</button></form>'
        )
        return f"<h1>Liên hệ</h1>{lines}{bank_block(m)}{maps_iframe(m)}{form}"

    def intro_main(self, m: RunModel, page: Page) -> str:
        return f"<h1>Giới thiệu</h1>{intro_text(m)}"

    def schedule_main(self, m: RunModel, page: Page) -> str:
        return f"<h1>Lịch công tác tuần</h1>{schedule_table(m)}"

    def extra_main(self, m: RunModel, page: Page) -> str:
        return (
            "<h1>Hỏi đáp về chuyển đổi số</h1><p><b>Hỏi:</b> Làm thế nào để nộp hồ sơ trực tuyến?</p>"
            "<p><b>Đáp:</b> Người dân truy cập Cổng dịch vụ công, đăng nhập bằng tài khoản định danh điện tử VNeID "
            "và làm theo hướng dẫn.</p>"
        )

    def footer_text(self, m: RunModel) -> str:
        lines = "<br>".join(contact_lines(m))
        notice = "Ghi rõ nguồn khi phát hành lại thông tin từ website này."
        return f"{lines}<br>{notice} © {m.day.year} {esc(m.identity.org_name)}"
