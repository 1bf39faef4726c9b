"""DNN / ASP.NET WebForms portal: one <form> around the page, __VIEWSTATE per request, cookieless session ids."""

from __future__ import annotations

from ..content import Article
from .base import BODY_END, BODY_START, FOOTER, HEAD, Page, RunModel, counter_html, date_line, embeds_head, esc
from .cms import JQUERY, Template

THEMES = ("Xcillion", "Gravity")
TABS = {"tin-tuc": 55, "thong-bao": 56, "van-ban": 57}


class Dnn(Template):
    name = "dnn"
    cls = "dnn"

    def intro(self, m: RunModel) -> str:
        return "/gioi-thieu.aspx"

    def contact(self, m: RunModel) -> str:
        return "/lien-he.aspx"

    def schedule(self, m: RunModel) -> str:
        return "/Default.aspx?tabid=60"

    def extra_path(self, m: RunModel) -> str:
        return "/hoi-dap.aspx"

    def listing(self, m: RunModel, cat: str) -> str:
        return f"/{cat}.aspx"

    def article(self, m: RunModel, a: Article) -> str:
        return f"/{a.category}/ArticleId/{a.aid}/{a.slug}.aspx"

    def css_path(self, m: RunModel) -> str:
        return f"/Portals/_default/Skins/{THEMES[m.theme]}/skin.css"

    def js_path(self, m: RunModel) -> str:
        return f"/Portals/0/Skins/{THEMES[m.theme]}/js/scripts.js"

    def href(self, m: RunModel, path: str) -> str:
        if m.has("session_ids"):
            return f"/(S(@@SID@@)){path}"
        return path

    def frame(self, m: RunModel, page: Page, main: str) -> str:
        ident = m.identity
        title = f"{page.title} > {ident.portal_title}" if page.kind != "home" else ident.portal_title
        hidden = (
            '<input type="hidden" name="__EVENTTARGET" id="__EVENTTARGET" value="">'
            '<input type="hidden" name="__EVENTARGUMENT" id="__EVENTARGUMENT" value="">'
            '<input type="hidden" name="__VIEWSTATE" id="__VIEWSTATE" value="@@VIEWSTATE@@">'
            '<input type="hidden" name="__VIEWSTATEGENERATOR" id="__VIEWSTATEGENERATOR" value="CA0B0334">'
            '<input type="hidden" name="__EVENTVALIDATION" id="__EVENTVALIDATION" value="@@NONCE32@@">'
        )
        pane_cls = "ContentPane DNNEmptyPane" if m.theme else "ContentPane"
        nav = self.menu_html(m, "topLevel" if m.theme == 0 else "nav navbar-nav", "item")
        right = (
            f'<div class="DnnModule DnnModule-DNN_HTML"><div class="Normal">{counter_html(m)}</div></div>'
            f'<div class="DnnModule"><span id="dnn_dnnCURRENTDATE_lblDate" class="DateToken">{date_line(m)}</span>'
            "</div>"
        )
        return (
            '<!DOCTYPE html>\n<html lang="vi-VN">\n<head id="Head"><meta content="text/html; charset=UTF-8" '
            'http-equiv="Content-Type">\n<!--*********************************************-->\n'
            "<!-- DNN Platform - http://www.dnnsoftware.com   -->"
            "\n<!--*********************************************-->\n"
            f"<title>\n\t{esc(title)}\n</title>"
            f'<meta id="MetaDescription" name="DESCRIPTION" content="{esc(ident.org_name)}">'
            f'<meta id="MetaKeywords" name="KEYWORDS" content="{esc(ident.portal_title)},DotNetNuke,DNN">'
            '<meta id="MetaRobots" name="ROBOTS" content="INDEX, FOLLOW">'
            f'<link href="{self.css_path(m)}?cdv=121" type="text/css" rel="stylesheet">'
            '<script src="/Resources/libraries/jQuery/03_05_01/jquery.js?cdv=121" type="text/javascript"></script>'
            f"{embeds_head(m)}{HEAD}</head>\n"
            f'<body id="Body">{BODY_START}\n<form method="post" action="{self.href(m, page.path)}" id="Form" '
            f'enctype="multipart/form-data"><div class="aspNetHidden">{hidden}</div>'
            "<script type=\"text/javascript\">//<![CDATA[\nvar theForm = document.forms['Form'];\n"
            "function __doPostBack(eventTarget, eventArgument) { theForm.__EVENTTARGET.value = eventTarget; "
            "theForm.submit(); }\n//]]>\n</script>"
            f'<div id="siteWrapper" class="dnn-skin-{THEMES[m.theme].lower()}"><div id="dnn_HeaderPane" '
            'class="dnn-header">'
            f'<a id="dnn_dnnLOGO_hypLogo" title="{esc(ident.portal_title)}" href="{self.href(m, self.home(m))}">'
            f'<img id="dnn_dnnLOGO_imgLogo" src="/Portals/0/logo.png" alt="{esc(ident.org_name)}"></a>'
            f'<h1 class="portal-name">{esc(ident.portal_title)}</h1></div>'
            f'<div id="dnn_nav">{nav}</div><div class="row"><div id="dnn_ContentPane" class="col-md-8 {pane_cls}">'
            f'<div class="DnnModule DnnModule-EasyDNNnews">{main}</div></div><div id="dnn_RightPane" '
            f'class="col-md-4 RightPane">{right}</div></div><div id="dnn_FooterPane" class="dnn-footer">'
            f'<span id="dnn_dnnCOPYRIGHT_lblCopyright" class="SkinObject">{self.footer_text(m)}</span>{FOOTER}</div>'
            "</div>"
            f'<script src="{self.js_path(m)}" type="text/javascript"></script></form>\n{BODY_END}</body>\n</html>\n'
        )

    def assets(self, m: RunModel) -> dict[str, tuple[str, str]]:
        out = super().assets(m)
        out["/Resources/libraries/jQuery/03_05_01/jquery.js"] = ("application/javascript", JQUERY)
        return out
