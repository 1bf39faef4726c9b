"""Joomla-style "Cổng thông tin điện tử": index.php SEF URLs, moduletables, a search form with a per-request token."""

from __future__ import annotations

from ..content import Article
from .base import BODY_END, BODY_START, FOOTER, HEAD, Page, RunModel, counter_html, date_line, embeds_head, esc
from .cms import JQUERY, Template

THEMES = ("protostar", "ja_purity_iv")


class Joomla(Template):
    name = "joomla"
    cls = "jm"

    def intro(self, m: RunModel) -> str:
        return "/index.php/gioi-thieu"

    def contact(self, m: RunModel) -> str:
        return "/index.php/lien-he"

    def schedule(self, m: RunModel) -> str:
        return "/index.php/lich-cong-tac"

    def extra_path(self, m: RunModel) -> str:
        return "/index.php/hoi-dap"

    def listing(self, m: RunModel, cat: str) -> str:
        return f"/index.php/{cat}"

    def article(self, m: RunModel, a: Article) -> str:
        return f"/index.php/{a.category}/{a.aid}-{a.slug}"

    def css_path(self, m: RunModel) -> str:
        return f"/templates/{THEMES[m.theme]}/css/template.css"

    def js_path(self, m: RunModel) -> str:
        return f"/templates/{THEMES[m.theme]}/js/main.js"

    def frame(self, m: RunModel, page: Page, main: str) -> str:
        ident = m.identity
        title = ident.portal_title if page.kind == "home" else f"{page.title} - {ident.portal_title}"
        search = (
            '<form action="/index.php" method="post" class="form-inline"><input name="searchword" '
            'type="search" placeholder="Tìm kiếm..."><input type="hidden" name="task" value="search">'
            '<input type="hidden" name="option" value="com_search"><input type="hidden" name="@@NONCE32@@" value="1">'
            "</form>"
        )
        sidebar = (
            '<div class="moduletable"><h3>Liên kết website</h3><ul>'
            '<li><a href="https://chinhphu.vn" target="_blank">Cổng TTĐT Chính phủ</a></li>'
            '<li><a href="https://dichvucong.gov.vn" target="_blank">Cổng Dịch vụ công quốc gia</a></li></ul></div>'
            f'<div class="moduletable"><h3>Thống kê truy cập</h3><p>{counter_html(m)}</p></div>'
        )
        if m.theme == 0:
            body = (
                f'<body class="site com_content view-featured itemid-101">{BODY_START}'
                f'<div class="body"><div class="container"><header class="header jm-header" role="banner">'
                f'<a class="brand pull-left" href="{self.href(m, self.home(m))}"><img src="/images/logo.png" '
                f'alt="{esc(ident.org_name)}"><span class="site-title">{esc(ident.portal_title)}</span></a>'
                f'<div class="header-search pull-right">{search}</div><p class="date">{date_line(m)}</p></header>'
                f'<nav class="navigation" role="navigation">{self.menu_html(m, "nav menu nav-pills mod-list")}</nav>'
                f'<div class="row-fluid"><main id="content" role="main" class="span9">{main}</main>'
                f'<div id="aside" class="span3">{sidebar}</div></div></div></div>'
                f'<footer class="footer jm-footer" role="contentinfo"><div class="container"><hr>'
                f"<p>{self.footer_text(m)}</p>{FOOTER}</div></footer>"
            )
        else:
            body = (
                f'<body id="bd" class="fs3 com_content">{BODY_START}<div id="ja-wrapper">'
                f'<div id="ja-header" class="wrap jm-header"><h1 class="logo"><a href="{self.href(m, self.home(m))}">'
                f'{esc(ident.org_name)}</a></h1><div id="ja-search">{search}</div></div>'
                f'<div id="ja-mainnav" class="wrap">{self.menu_html(m, "menu", "item")}<span>{date_line(m)}</span>'
                "</div>"
                f'<div id="ja-container" class="wrap"><div id="ja-main"><div class="main">{main}</div></div>'
                f'<div id="ja-right" class="column sidebar">{sidebar}</div></div>'
                f'<div id="ja-footer" class="wrap jm-footer"><div class="main">{self.footer_text(m)}</div>'
                f"{FOOTER}</div></div>"
            )
        return (
            '<!DOCTYPE html>\n<html lang="vi-vn" dir="ltr">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="generator" content="Joomla! - Open Source Content Management">\n'
            f"<title>{esc(title)}</title>\n"
            f'<meta name="description" content="{esc(ident.portal_title)} – {esc(ident.org_name)}">\n'
            f'<meta name="keywords" content="{esc(ident.org_name)}, tin tức, thông báo, văn bản">\n'
            f'<link href="{self.css_path(m)}" rel="stylesheet">\n'
            '<script src="/media/jui/js/jquery.min.js?v=3.10"></script>\n'
            f'<script src="{self.js_path(m)}"></script>\n{embeds_head(m)}\n{HEAD}</head>\n'
            f"{body}\n{BODY_END}</body>\n</html>\n"
        )

    def assets(self, m: RunModel) -> dict[str, tuple[str, str]]:
        out = super().assets(m)
        out["/media/jui/js/jquery.min.js"] = ("application/javascript", JQUERY)
        return out
