"""WordPress-style district/ward portal: absolute links to the site URL, date permalinks, wp nonces."""

from __future__ import annotations

from ..content import Article
from .base import BODY_END, BODY_START, FOOTER, HEAD, Page, RunModel, counter_html, date_line, embeds_head, esc
from .cms import JQUERY, Template

THEMES = ("twentyseventeen", "newsmag-child")


class WordPress(Template):
    name = "wordpress"
    cls = "wp"

    def intro(self, m: RunModel) -> str:
        return "/gioi-thieu/"

    def contact(self, m: RunModel) -> str:
        return "/lien-he/"

    def schedule(self, m: RunModel) -> str:
        return "/lich-cong-tac/"

    def extra_path(self, m: RunModel) -> str:
        return "/hoi-dap/"

    def listing(self, m: RunModel, cat: str) -> str:
        return f"/category/{cat}/"

    def article(self, m: RunModel, a: Article) -> str:
        return f"/{a.day.year}/{a.day.month:02d}/{a.day.day:02d}/{a.slug}/"

    def css_path(self, m: RunModel) -> str:
        return f"/wp-content/themes/{THEMES[m.theme]}/style.css"

    def js_path(self, m: RunModel) -> str:
        return f"/wp-content/themes/{THEMES[m.theme]}/assets/js/global.js"

    def href(self, m: RunModel, path: str) -> str:
        return "@@SELF@@" + super().href(m, path)

    def frame(self, m: RunModel, page: Page, main: str) -> str:
        ident = m.identity
        title = ident.portal_title if page.kind == "home" else f"{page.title} – {ident.portal_title}"
        body_cls = "home blog" if page.kind == "home" else f"{page.kind} wp-custom-logo"
        widgets = (
            '<section id="search-2" class="widget widget_search"><form role="search" method="get" '
            'action="@@SELF@@/"><input type="search" name="s" placeholder="Tìm kiếm …"></form></section>'
            f'<section class="widget widget_text"><h2 class="widget-title">Thống kê</h2>{counter_html(m)}</section>'
        )
        if m.theme == 0:
            layout = (
                f'<div id="page" class="site"><header id="masthead" class="site-header wp-header" role="banner">'
                f'<div class="site-branding"><p class="site-title"><a href="{self.href(m, self.home(m))}" rel="home">'
                f'{esc(ident.portal_title)}</a></p><p class="site-description">{esc(ident.org_name)}</p></div>'
                f'<nav id="site-navigation" class="main-navigation">{self.menu_html(m, "menu", "menu-item")}</nav>'
                f'<p class="header-date">{date_line(m)}</p></header>'
                f'<div class="site-content-contain"><div id="content" class="site-content"><div id="primary" '
                f'class="content-area"><main id="main" class="site-main">{main}</main></div>'
                f'<aside id="secondary" class="widget-area">{widgets}</aside></div>'
                '<footer id="colophon" class="site-footer wp-footer"><div class="site-info">'
                f"{self.footer_text(m)}</div>"
                f"{FOOTER}</footer></div></div>"
            )
        else:
            layout = (
                f'<div class="td-container"><div class="td-header-wrap wp-header"><div class="td-logo">'
                f'<a href="{self.href(m, self.home(m))}"><img src="/wp-content/uploads/logo.png" '
                f'alt="{esc(ident.org_name)}"></a>'
                f'</div><div class="td-header-menu">{self.menu_html(m, "sf-menu", "menu-item")}</div>'
                f'<div class="td-date">{date_line(m)}</div></div><div class="td-main-content-wrap"><div class="vc_row">'
                f'<div class="vc_column td-pb-span8">{main}</div><div class="vc_column td-pb-span4">{widgets}</div>'
                f'</div></div><div class="td-footer-wrapper wp-footer">{self.footer_text(m)}{FOOTER}</div></div>'
            )
        return (
            '<!doctype html>\n<html lang="vi">\n<head>\n<meta charset="UTF-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n"
            f'<meta name="description" content="{esc(ident.org_name)}">\n'
            f'<link rel="stylesheet" id="theme-css" href="@@SELF@@{self.css_path(m)}?ver=6.4.3" media="all">\n'
            '<script src="@@SELF@@/wp-includes/js/jquery/jquery.min.js?ver=3.7.1" id="jquery-core-js"></script>\n'
            '<script id="wp-api-js-extra">var wpApiSettings = {"root":"@@SELF@@\\/wp-json\\/",'
            '"nonce":"@@NONCE10@@","versionString":"wp\\/v2\\/"};</script>\n'
            f'<link rel="https://api.w.org/" href="@@SELF@@/wp-json/">\n{embeds_head(m)}\n'
            f'<meta name="generator" content="WordPress 6.4.3">\n{HEAD}</head>\n'
            f'<body class="{body_cls}">{BODY_START}\n{layout}\n'
            f'<script src="@@SELF@@{self.js_path(m)}?ver=1.0" id="global-js"></script>\n{BODY_END}</body>\n</html>\n'
        )

    def assets(self, m: RunModel) -> dict[str, tuple[str, str]]:
        out = super().assets(m)
        out["/wp-includes/js/jquery/jquery.min.js"] = ("application/javascript", JQUERY)
        return out
