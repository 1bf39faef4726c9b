"""Liferay/SharePoint-style portal: portlets, /web/guest/ friendly URLs, p_auth and authToken per request."""

from __future__ import annotations

from ..content import Article
from .base import (
    BODY_END,
    BODY_START,
    FOOTER,
    HEAD,
    Page,
    RunModel,
    counter_html,
    date_line,
    embeds_head,
    esc,
    hash_text,
)
from .cms import Template

THEMES = ("egov-theme", "dialect-theme")


class Liferay(Template):
    name = "liferay"
    cls = "lr"

    def home(self, m: RunModel) -> str:
        return m.root_redirect or "/web/guest/trang-chu"

    def intro(self, m: RunModel) -> str:
        return "/web/guest/gioi-thieu"

    def contact(self, m: RunModel) -> str:
        return "/web/guest/lien-he"

    def schedule(self, m: RunModel) -> str:
        return "/web/guest/lich-cong-tac"

    def extra_path(self, m: RunModel) -> str:
        return "/web/guest/hoi-dap"

    def listing(self, m: RunModel, cat: str) -> str:
        return f"/web/guest/{cat}"

    def article(self, m: RunModel, a: Article) -> str:
        return f"/web/guest/{a.category}/-/asset_publisher/Nw{a.aid % 97:02d}x/content/{a.slug}"

    def css_path(self, m: RunModel) -> str:
        return f"/o/{THEMES[m.theme]}/css/main.css"

    def js_path(self, m: RunModel) -> str:
        return f"/o/{THEMES[m.theme]}/js/main.js"

    def href(self, m: RunModel, path: str) -> str:
        return "@@SELF@@" + path

    def portlet(self, m: RunModel, name: str, title: str, inner: str) -> str:
        instance = f"{hash_text(m.site_id + name) % 10**12:012d}"
        return (
            f'<section class="portlet" id="portlet_{name}_INSTANCE_{instance}"><div class="portlet-content">'
            f'<h2 class="portlet-title-text">{esc(title)}</h2><div class="portlet-content-container">'
            f'<div class="portlet-body">{inner}</div></div></div></section>'
        )

    def frame(self, m: RunModel, page: Page, main: str) -> str:
        ident = m.identity
        title = f"{page.title} - {ident.portal_title}"
        content = self.portlet(m, "com_liferay_journal_content_web_portlet_JournalContentPortlet", page.title, main)
        side = self.portlet(m, "com_liferay_site_navigation_menu_web", "Thống kê truy cập", counter_html(m))
        columns = (
            f'<div class="portlet-layout row"><div class="col-md-8 portlet-column" id="column-1">{content}</div>'
            f'<div class="col-md-4 portlet-column" id="column-2">{side}</div></div>'
        )
        if m.theme == 1:
            columns = (
                '<div class="columns-1" id="main-content" role="main">'
                f'<div class="portlet-layout">{content}{side}</div></div>'
            )
        return (
            '<!DOCTYPE html>\n<html class="ltr" dir="ltr" lang="vi-VN">\n<head>\n'
            f"<title>{esc(title)}</title>\n"
            '<meta content="initial-scale=1.0, width=device-width" name="viewport">\n'
            '<meta content="text/html; charset=UTF-8" http-equiv="content-type">\n'
            f'<meta content="{esc(ident.org_name)}" lang="vi-VN" name="description">\n'
            f'<link href="@@SELF@@{self.css_path(m)}?browserId=chrome&amp;themeId={THEMES[m.theme]}" '
            'rel="stylesheet">\n'
            '<script data-senna-track="permanent">var Liferay = Liferay || {};'
            "Liferay.authToken = '@@NONCE8@@';Liferay.currentURL = '" + page.path + "';</script>\n"
            f"{embeds_head(m)}{HEAD}</head>\n"
            f'<body class="controls-visible chrome yui3-skin-sam signed-out public-page site">{BODY_START}\n'
            '<div class="d-flex flex-column min-vh-100"><div class="pt-0" id="wrapper">'
            '<header id="banner" role="banner" class="lr-header"><div id="heading"><div aria-level="1" '
            'class="site-title" '
            f'role="heading"><a class="logo custom-logo" href="{self.href(m, self.home(m))}" '
            f'title="{esc(ident.portal_title)}">'
            f'<img alt="{esc(ident.org_name)}" src="/image/layout_set_logo?img_id=3582"></a><span class="site-name">'
            f'{esc(ident.portal_title)}</span></div></div><div class="date-time">{date_line(m)}</div>'
            f'<nav class="sort-pages modify-pages" id="navigation" role="navigation">'
            f"{self.menu_html(m, 'nav navbar-site', 'lfr-nav-item')}</nav>"
            '<a href="@@SELF@@/c/portal/login?p_l_id=20128&amp;p_auth=@@NONCE8@@" class="sign-in">Đăng nhập</a>'
            "</header>"
            f'<section id="content">{columns}</section>'
            f'<footer id="footer" role="contentinfo" class="lr-footer"><p class="powered-by">{self.footer_text(m)}</p>'
            f"{FOOTER}</footer></div></div>\n"
            f'<script src="@@SELF@@{self.js_path(m)}?t=1712"></script>\n{BODY_END}</body>\n</html>\n'
        )
