"""What every CMS template shares: the run model it renders, page list, markers, embeds, content blocks.

Markers (NUL-delimited names) mark where attacks insert content; they are stripped before anything is served.
Placeholders (@@NAME@@) are filled by the server: origins once per run, tokens and counters per request.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from ..content import CATEGORIES, Article, vn_date, vn_weekday
from ..identity import Identity

HEAD = "\x00head\x00"
BODY_START = "\x00body_start\x00"
CONTENT = "\x00content\x00"
FOOTER = "\x00footer\x00"
BODY_END = "\x00body_end\x00"
MARKERS = (HEAD, BODY_START, CONTENT, FOOTER, BODY_END)

EMBEDS = ("ga", "gtm", "fb_sdk", "fb_page", "zalo", "youtube", "maps")


@dataclass(frozen=True)
class RunModel:
    """Everything a template needs to render one site in one run (no attack in it)."""

    site_id: str
    kind: str
    template: str
    theme: int
    identity: Identity
    day: date
    articles: tuple[Article, ...]
    featured: tuple[Article, ...]
    counter: int
    banner: int
    embeds: tuple[str, ...]
    features: tuple[str, ...]
    extra_page: bool = False
    root_redirect: str | None = None
    lottery: tuple[tuple[str, str], ...] = ()
    schedule: tuple[tuple[str, str, str], ...] = ()
    removed: tuple[int, ...] = field(default=())

    def has(self, feature: str) -> bool:
        return feature in self.features


@dataclass(frozen=True)
class Page:
    kind: str  # home | intro | contact | schedule | extra | listing | article
    path: str
    title: str
    article: Article | None = None
    category: str | None = None


@lru_cache(maxsize=65536)
def esc(text: str) -> str:
    return html.escape(text, quote=True)


def embeds_head(m: RunModel) -> str:
    parts = []
    if "ga" in m.embeds:
        gid = f"G-{abs(hash_text(m.site_id)) % 10**9:09d}"[:12]
        parts.append(
            f'<script async src="https://www.googletagmanager.com/gtag/js?id={gid}"></script>'
            "<script>window.dataLayer = window.dataLayer || [];function gtag(){dataLayer.push(arguments);}"
            f"gtag('js', new Date());gtag('config', '{gid}');</script>"
        )
    if "gtm" in m.embeds:
        parts.append(
            "<script>(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':new Date().getTime(),event:'gtm.js'});"
            "var f=d.getElementsByTagName(s)[0],j=d.createElement(s),dl=l!='dataLayer'?'&l='+l:'';j.async=true;"
            "j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl;f.parentNode.insertBefore(j,f);"
            f"}})(window,document,'script','dataLayer','GTM-{hash_text(m.site_id) % 10**6:06d}');</script>"
        )
    return "\n".join(parts)


def embeds_body(m: RunModel) -> str:
    parts = []
    if "fb_sdk" in m.embeds or "fb_page" in m.embeds:
        parts.append(
            '<div id="fb-root"></div><script async defer crossorigin="anonymous" '
            'src="https://connect.facebook.net/vi_VN/sdk.js#xfbml=1&version=v19.0"></script>'
        )
    if "fb_page" in m.embeds:
        parts.append(
            f'<div class="fb-page" data-href="https://www.facebook.com/{m.identity.domain.split(".")[0]}" '
            'data-tabs="timeline" data-width="300" data-height="400"></div>'
        )
    if "zalo" in m.embeds:
        parts.append(
            f'<div class="zalo-chat-widget" data-oaid="{hash_text(m.site_id) % 10**18}" '
            'data-welcome-message="Rất vui khi được hỗ trợ bạn!"></div>'
            '<script src="https://sp.zalo.me/plugins/sdk.js"></script>'
        )
    if "youtube" in m.embeds:
        vid = "".join("abcdefghijkLMNOPQRSTU0123456789_-"[(hash_text(m.site_id) >> i) % 33] for i in range(11))
        parts.append(
            f'<div class="video"><iframe width="320" height="180" src="https://www.youtube.com/embed/{vid}" '
            'title="YouTube video player" frameborder="0" allowfullscreen></iframe></div>'
        )
    return "\n".join(parts)


def maps_iframe(m: RunModel) -> str:
    if "maps" not in m.embeds:
        return ""
    return (
        '<iframe src="https://www.google.com/maps/embed?pb=!1m18!1m12!1m3!1d3728!2d106.68!3d20.85" '
        'width="100%" height="250" style="border:0;" allowfullscreen="" loading="lazy"></iframe>'
    )


@lru_cache(maxsize=4096)
def hash_text(text: str) -> int:
    """Stable across processes (unlike hash())."""
    value = 5381
    for ch in text:
        value = (value * 33 + ord(ch)) % (1 << 61)
    return value


def counter_html(m: RunModel) -> str:
    shown = "@@COUNTER@@" if m.has("dynamic_counter") else f"{m.counter:,}".replace(",", ".")
    return f"Lượt truy cập: <b>{shown}</b> – Đang trực tuyến: <b>{(m.counter % 97) + 3}</b>"


def date_line(m: RunModel) -> str:
    clock = " @@TIME@@" if m.has("dynamic_clock") else ""
    return f"{vn_weekday(m.day)}{clock}"


def contact_lines(m: RunModel) -> list[str]:
    ident = m.identity
    return [
        f"Cơ quan chủ quản: {esc(ident.org_name)}",
        f"Địa chỉ: {esc(ident.address)}",
        f"Điện thoại: {ident.phone} – Fax: {ident.fax}",
        f"Đường dây nóng: {ident.hotline}",
        f'Email: <a href="mailto:{ident.email}">{ident.email}</a>',
    ]


def bank_block(m: RunModel) -> str:
    bank = m.identity.bank
    if bank is None:
        return ""
    return (
        '<div class="bank-info"><h4>Thông tin nộp phí, lệ phí</h4>'
        f"<p>Đơn vị thụ hưởng: {esc(bank.holder)}<br>Số tài khoản: <b>{bank.number}</b><br>"
        f"Tại: {esc(bank.bank)} – Chi nhánh {esc(m.identity.province)}</p></div>"
    )


@lru_cache(maxsize=4096)
def article_body(a: Article) -> str:
    paragraphs = "\n".join(f"<p>{esc(p)}</p>" for p in a.paragraphs[1:])
    return f'<p class="date">Ngày đăng: {vn_date(a.day)}</p>\n<p class="sapo"><b>{esc(a.summary)}</b></p>\n{paragraphs}'


def lottery_table(m: RunModel, css: str) -> str:
    if not m.lottery:
        return ""
    rows = "".join(f"<tr><td>{esc(name)}</td><td><b>{nums}</b></td></tr>" for name, nums in m.lottery)
    return (
        f'<div class="{css}"><h3>Kết quả xổ số kiến thiết {esc(m.identity.province)} – {vn_date(m.day)}</h3>'
        f'<table class="kqxs">{rows}</table></div>'
    )


def schedule_table(m: RunModel) -> str:
    rows = "".join(f"<tr><td>{esc(d)}</td><td>{t}</td><td>{esc(x)}</td></tr>" for d, t, x in m.schedule)
    return f'<table class="lich-cong-tac"><tr><th>Ngày</th><th>Giờ</th><th>Nội dung</th></tr>{rows}</table>'


def intro_text(m: RunModel) -> str:
    ident = m.identity
    return (
        f"<p>{esc(ident.org_name)} là cơ quan trực thuộc {esc(ident.parent)}, có chức năng tham mưu, giúp việc "
        "và tổ chức thực hiện các nhiệm vụ theo quy định của pháp luật.</p>"
        f"<p>Người đứng đầu: đồng chí {esc(ident.director)}.</p>"
        f"<p>Trụ sở: {esc(ident.address)}.</p>"
    )


def huge_table(m: RunModel, rows: int) -> str:
    """A document register with thousands of rows (huge-DOM trait)."""
    return _huge_table(m.day, rows)


@lru_cache(maxsize=64)
def _huge_table(day: date, rows: int) -> str:
    out = ['<table class="vb-list">']
    for i in range(rows):
        out.append(
            f"<tr><td>{i + 1}</td><td>{i + 100}/QĐ-UBND</td><td>{vn_date(day)}</td>"
            f"<td>Quyết định phê duyệt hồ sơ số {i + 1}</td></tr>"
        )
    out.append("</table>")
    return "".join(out)


def category_title(cat: str) -> str:
    return CATEGORIES[cat]


def latest(m: RunModel, count: int, category: str | None = None) -> list[Article]:
    pool = [a for a in m.articles if category is None or a.category == category]
    return pool[:count]
