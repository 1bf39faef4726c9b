"""NukeViet-style portal (the Vietnamese CMS): /vi/news/ URLs, checkss tokens, block modules."""

from __future__ import annotations

from ..content import Article
from .base import BODY_END, BODY_START, FOOTER, HEAD, Page, RunModel, counter_html, date_line, embeds_head, esc
from .cms import JQUERY, Template

THEMES = ("default", "egov")


class NukeViet(Template):
    name = "nukeviet"
    cls = "nv"

    def intro(self, m: RunModel) -> str:
        return "/vi/about/gioi-thieu.html"

    def contact(self, m: RunModel) -> str:
        return "/vi/contact/"

    def schedule(self, m: RunModel) -> str:
        return "/vi/lich-cong-tac/"

    def extra_path(self, m: RunModel) -> str:
        return "/vi/faq/"

    def listing(self, m: RunModel, cat: str) -> str:
        return f"/vi/news/{cat}/"

    def article(self, m: RunModel, a: Article) -> str:
        return f"/vi/news/{a.category}/{a.slug}-{a.aid}.html"

    def css_path(self, m: RunModel) -> str:
        return f"/themes/{THEMES[m.theme]}/css/style.css"

    def js_path(self, m: RunModel) -> str:
        return f"/themes/{THEMES[m.theme]}/js/main.js"

    def frame(self, m: RunModel, page: Page, main: str) -> str:
        ident = m.identity
        title = f"{page.title} - {ident.portal_title}"
        block = (
            '<div class="panel panel-default"><div class="panel-heading">Thống kê</div>'
            f'<div class="panel-body">{counter_html(m)}</div></div>'
        )
        search = (
            '<form action="/vi/seek/" method="get"><input type="hidden" name="checkss" value="@@NONCE32@@">'
            '<input type="text" name="q" maxlength="60" placeholder="Tìm kiếm..."></form>'
        )
        header_cls = "header-nav" if m.theme == 0 else "egov-header clearfix"
        return (
            '<!DOCTYPE html>\n<html lang="vi" xmlns="http://www.w3.org/1999/xhtml" prefix="og: http://ogp.me/ns#">\n'
            "<head>\n<title>" + esc(title) + "</title>\n"
            f'<meta name="description" content="{esc(ident.org_name)}">\n'
            '<meta name="author" content="' + esc(ident.portal_title) + '">\n'
            '<meta name="generator" content="NukeViet v4.5">\n'
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">\n'
            f'<link rel="StyleSheet" href="{self.css_path(m)}">\n'
            '<script src="/assets/js/jquery/jquery.min.js"></script>\n'
            '<script>var nv_base_siteurl="/",nv_lang_data="vi",nv_lang_interface="vi",nv_name_variable="nv",'
            "nv_check_pass_mstime=1738000,nv_area_admin=0,theme_responsive=1;</script>"
            f"\n{embeds_head(m)}{HEAD}</head>\n"
            f'<body>{BODY_START}\n<noscript><div class="alert alert-danger">Trình duyệt của bạn đã tắt chức năng hỗ '
            "trợ "
            "JavaScript.</div></noscript>"
            f'<div class="body-bg"><div class="wraper"><header><div class="container {header_cls} nv-header">'
            f'<div id="header" class="row"><div class="logo col-xs-24 col-sm-24 col-md-8">'
            f'<a title="{esc(ident.portal_title)}" href="{self.href(m, self.home(m))}"><img src="/uploads/logo.png" '
            f'alt="{esc(ident.org_name)}"></a><h1>{esc(ident.portal_title)}</h1></div>'
            f'<div class="col-md-16">{search}</div></div></div></header>'
            '<nav class="second-nav" id="menusite"><div class="container">'
            f"{self.menu_html(m, 'nav navbar-nav')}</div></nav>"
            f'<section><div class="container" id="body"><div class="row"><div class="col-md-24">'
            f'<div class="current-time">{date_line(m)}</div></div>'
            f'<div class="col-sm-16 col-md-18">{main}</div><div class="col-sm-8 col-md-6">{block}</div></div></div>'
            "</section>"
            f'<footer id="footer" class="nv-footer"><div class="wraper"><div class="container"><div class="row">'
            f'<div class="col-xs-24 col-sm-24 col-md-12">{self.footer_text(m)}</div></div></div></div>{FOOTER}</footer>'
            f'</div></div>\n<script src="{self.js_path(m)}"></script>\n{BODY_END}</body>\n</html>\n'
        )

    def assets(self, m: RunModel) -> dict[str, tuple[str, str]]:
        out = super().assets(m)
        out["/assets/js/jquery/jquery.min.js"] = ("application/javascript", JQUERY)
        return out
