"""A plain hand-made school/ward site: table layout, <font>, marquee, .htm pages, sloppy HTML."""

from __future__ import annotations

from ..content import Article
from .base import BODY_END, BODY_START, FOOTER, HEAD, Page, RunModel, counter_html, date_line, embeds_head, esc
from .cms import Template


class Static(Template):
    name = "static"
    cls = "st"

    def intro(self, m: RunModel) -> str:
        return "/gioithieu.htm"

    def contact(self, m: RunModel) -> str:
        return "/lienhe.htm"

    def schedule(self, m: RunModel) -> str:
        return "/lichcongtac.htm"

    def extra_path(self, m: RunModel) -> str:
        return "/hoidap.htm"

    def listing(self, m: RunModel, cat: str) -> str:
        return f"/{cat.replace('-', '')}.htm"

    def article(self, m: RunModel, a: Article) -> str:
        return f"/tintuc/bai{a.aid}.htm"

    def css_path(self, m: RunModel) -> str:
        return "/css/style.css" if m.theme == 0 else "/v2/css/site.css"

    def js_path(self, m: RunModel) -> str:
        return "/js/script.js" if m.theme == 0 else "/v2/js/site.js"

    def menu_html(self, m: RunModel, ul_cls: str, li_cls: str = "") -> str:
        cells = " | ".join(
            f'<a href="{self.href(m, p)}"><font color="#ffffff">{esc(t)}</font></a>' for p, t in self.menu(m)
        )
        return f'<td class="{ul_cls}" bgcolor="#1a5fa8">{cells}</td>'

    def frame(self, m: RunModel, page: Page, main: str) -> str:
        ident = m.identity
        sloppy = m.has("malformed_html")
        open_p = "<p><b>" if sloppy else "<p>"
        if m.theme == 0:
            body = (
                f'<table width="960" border="0" cellpadding="0" cellspacing="0" align="center" class="st-header">'
                f'<tr><td><a href="{self.href(m, self.home(m))}"><img src="/images/banner.jpg" width="960" '
                'height="150" '
                f'alt="{esc(ident.org_name)}"></a></td></tr>'
                f'<tr><td><marquee scrollamount="3">Chào mừng quý vị đến với {esc(ident.portal_title)}!</marquee>'
                "</td></tr>"
                f"<tr>{self.menu_html(m, 'menu')}</tr></table>"
                '<table width="960" align="center" border="0"><tr><td width="200" valign="top">'
                f'<font face="Arial" size="2">{date_line(m)}<br>{counter_html(m)}</font></td>'
                f'<td valign="top"><font face="Arial" size="2">{main}</font></td></tr></table>'
                '<table width="960" align="center" class="st-footer"><tr><td align="center">'
                f"{open_p}{self.footer_text(m)}"
                f"{FOOTER}</td></tr></table>"
            )
        else:
            body = (
                f'<div id="wrap"><div id="top" class="st-header"><a href="{self.href(m, self.home(m))}">'
                f'<img src="/v2/img/logo.png" alt="{esc(ident.org_name)}"></a><h1>{esc(ident.portal_title)}</h1></div>'
                f'<div id="menu"><table><tr>{self.menu_html(m, "menu2")}</tr></table></div>'
                f'<div id="left">{date_line(m)}<br>{counter_html(m)}</div><div id="main">{main}</div>'
                f'<div id="bottom" class="st-footer">{open_p}{self.footer_text(m)}{FOOTER}</div></div>'
            )
        if sloppy:
            body += "</td></tr></table></div><div><span><b><i>" + "<div><font>" * 300 + "</b>"
        return (
            '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">\n<html>\n<head>\n'
            '<meta http-equiv="Content-Type" content="text/html; '
            f'charset={"windows-1258" if m.has("windows_1258") else "utf-8"}">\n'
            f"<title>{esc(ident.portal_title)} - {esc(page.title) if page.kind != 'home' else 'Trang chủ'}</title>\n"
            f'<link href="{self.css_path(m)}" rel="stylesheet" type="text/css">\n'
            f'<script language="javascript" src="{self.js_path(m)}"></script>\n{embeds_head(m)}{HEAD}</head>\n'
            f'<body bgcolor="#ffffff" topmargin="0" leftmargin="0">{BODY_START}\n{body}\n{BODY_END}</body>\n</html>\n'
        )
