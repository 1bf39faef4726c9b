"""Render one site in one run: template pages, then the run's attacks, then encoding into served responses."""

from __future__ import annotations

import html
import re
import unicodedata

from .model import Op, RunPlan, Site
from .scenario import resolve
from .state import CONDITIONS, Response, Route, SiteState
from .templates import TEMPLATES
from .templates.base import BODY_END, MARKERS, RunModel, hash_text

Variant = str | tuple[int, str]  # html text, or (status, Location) for a redirect

SERVER_HEADERS: dict[str, tuple[tuple[str, str], ...]] = {
    "joomla": (("Server", "Apache/2.4.41 (Ubuntu)"), ("X-Powered-By", "PHP/7.4.33")),
    "wordpress": (
        ("Server", "nginx/1.18.0"),
        ("X-Powered-By", "PHP/8.1.2"),
        ("Link", '<@@SELF@@/wp-json/>; rel="https://api.w.org/"'),
    ),
    "dnn": (("Server", "Microsoft-IIS/10.0"), ("X-AspNet-Version", "4.0.30319"), ("X-Powered-By", "ASP.NET")),
    "liferay": (("Server", "Apache"), ("Liferay-Portal", "Liferay Community Edition Portal 7.4.3.112-ga112")),
    "nukeviet": (("Server", "nginx"), ("X-Powered-By", "PHP/7.3.33")),
    "static": (("Server", "Microsoft-IIS/8.5"),),
}
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_META_DESC = re.compile(r"<meta[^>]*name=\"(?:description|keywords)\"[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(r"charset=([\"']?)utf-8", re.IGNORECASE)
ERROR_PAGES = {
    500: (
        "<html><head><title>500 Internal Server Error</title></head><body><h1>Internal Server Error</h1></body></html>"
    ),
    502: (
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
        "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    ),
    503: (
        "<!DOCTYPE html><html><head><title>Service Unavailable</title></head><body><h2>Service Unavailable</h2>"
        "<p>HTTP Error 503. The service is unavailable.</p></body></html>"
    ),
    504: (
        "<html><head><title>504 Gateway Time-out</title></head>"
        "<body><center><h1>504 Gateway Time-out</h1></center></body></html>"
    ),
}
NOT_FOUND = (
    b"<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not Found</h1>"
    b"<p>The requested URL was not found on this server.</p></body></html>"
)


def _cp1258_table() -> dict[int, str]:
    """Characters windows-1258 lacks precomposed → base letter + combining tone mark."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x1EFF + 1):
        ch = chr(code)
        try:
            ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        try:
            (base + tones).encode("cp1258")
        except UnicodeEncodeError:
            continue
        table[code] = base + tones
    return table


_CP1258 = _cp1258_table()


_CP1258_NEEDED = re.compile("[" + "".join(chr(code) for code in sorted(_CP1258)) + "]")


def encode_cp1258(text: str) -> bytes:
    """windows-1258 as Vietnamese pages use it: base letter + combining tone mark where no precomposed byte exists."""
    decomposed = _CP1258_NEEDED.sub(lambda match: _CP1258[ord(match.group())], text)
    return decomposed.encode("cp1258", "xmlcharrefreplace")


def encode_page(text: str, m: RunModel) -> bytes:
    for marker in MARKERS:
        text = text.replace(marker, "")
    if m.has("windows_1258"):
        return encode_cp1258(_CHARSET.sub(r"charset=\1windows-1258", text))
    data = text.encode("utf-8")
    if m.has("invalid_utf8"):
        # a few stray bytes inside article prose, as left by a broken editor or a bad copy-paste
        data = data.replace(b"</p>", b"\xff\xfe</p>", 2).replace(b"<p>", b"<p>\xe1\xba", 1)
    return data


def _insert(text: str, marker: str, snippet: str) -> str:
    return text.replace(marker, snippet + marker, 1)


def _set_title(text: str, op: Op) -> str:
    text = re.sub(
        r"<title>.*?</title>", lambda _m: f"<title>{html.escape(op.title)}</title>", text, count=1, flags=re.S
    )
    text = _META_DESC.sub("", text)
    metas = (
        f'<meta name="description" content="{html.escape(op.description)}">'
        f'<meta name="keywords" content="{html.escape(op.keywords)}">'
    )
    return text.replace("</title>", "</title>\n" + metas, 1)


def _apply(op: Op, drafts: dict[str, dict[str, Variant]], assets: dict[str, tuple[str, str]], m: RunModel) -> None:
    if op.kind == "add_page":
        drafts[op.page] = {"any": op.html}
        return
    if op.kind == "append_asset":
        path = resolve(m, "js")[0]
        ctype, text = assets[path]
        assets[path] = (ctype, text + op.html)
        return
    for path in resolve(m, op.page):
        variants = drafts[path]
        if op.cond != "any" and op.cond not in variants:
            variants[op.cond] = variants["any"]
        targets = [op.cond] if op.cond != "any" else list(variants)
        for cond in targets:
            current = variants[cond]
            if op.kind == "replace":
                variants[cond] = op.html
            elif op.kind == "redirect":
                variants[cond] = (op.status, op.location)
            elif isinstance(current, str) and op.kind == "insert":
                variants[cond] = _insert(current, op.marker, op.html)
            elif isinstance(current, str) and op.kind == "title":
                variants[cond] = _set_title(current, op)


def _html_headers(site: Site, m: RunModel) -> tuple[tuple[str, str], ...]:
    if m.has("windows_1258") and hash_text(site.site_id) % 2:
        ctype = "text/html"  # charset only in the <meta>, as many old IIS sites do
    elif m.has("windows_1258"):
        ctype = "text/html; charset=windows-1258"
    else:
        ctype = "text/html; charset=utf-8"
    headers = [("Content-Type", ctype), *SERVER_HEADERS[site.template], ("Cache-Control", "no-cache")]
    if m.has("session_ids"):
        name = "ASP.NET_SessionId" if site.template == "dnn" else "PHPSESSID"
        headers.append(("Set-Cookie", f"{name}=@@SID@@; path=/; HttpOnly"))
    return tuple(headers)


def _down_state(plan: RunPlan) -> SiteState:
    if plan.down == "refused":
        return SiteState(routes={}, fallback=Response(503, (), b""), refused=True)
    if plan.down == "hang":
        return SiteState(routes={}, fallback=Response(200, (), b"", hang=True))
    status = plan.down_status or 503
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "text/html"), ("Server", "nginx"))
    if status == 503:
        headers += (("Retry-After", "3600"),)
    return SiteState(routes={}, fallback=Response(status, headers, ERROR_PAGES[status].encode()))


def _malform(text: str) -> str:
    junk = "</div></span><p><b>Ghi chú: <i>cập nhật <img src=/images/new.gif width=20 border=0> " + "<div><font>" * 250
    return _insert(text, BODY_END, junk)


def _route(variants: dict[str, Variant], html_headers: tuple[tuple[str, str], ...], m: RunModel) -> Route:
    ordered = []
    for cond in CONDITIONS:
        value = variants.get(cond)
        if value is None:
            continue
        if isinstance(value, tuple):
            status, location = value
            body = f'<html><body>Moved <a href="{location}">here</a></body></html>'.encode()
            ordered.append((cond, Response(status, (("Location", location), ("Content-Type", "text/html")), body)))
        else:
            ordered.append((cond, Response(200, html_headers, encode_page(value, m))))
    return Route(tuple(ordered))


def render_state(site: Site, run: int) -> SiteState:
    """Everything `site` serves in `run`, per path and per client condition."""
    plan = site.plans[run]
    if plan.down:
        return _down_state(plan)
    m = plan.model
    tpl = TEMPLATES[site.template]
    drafts: dict[str, dict[str, Variant]] = {}
    for page in tpl.pages(m):
        text = tpl.render(m, page)
        drafts[page.path] = {"any": _malform(text) if m.has("malformed_html") and site.template != "static" else text}
    assets = tpl.assets(m)
    for attack in plan.attacks:
        for op in attack.ops:
            _apply(op, drafts, assets, m)
    home = tpl.home(m)
    if home != "/":
        drafts["/"] = {"any": (302, f"@@SELF@@{home}")}
    routes = {path: _route(variants, _html_headers(site, m), m) for path, variants in drafts.items()}
    for path, (ctype, text) in assets.items():
        routes[path] = Route(
            (("any", Response(200, (("Content-Type", ctype), ("Cache-Control", "max-age=3600")), text.encode())),)
        )
    robots = "User-agent: *\nDisallow: /administrator/\nDisallow: /wp-admin/\nSitemap: @@SELF@@/sitemap.xml\n"
    routes["/robots.txt"] = Route((("any", Response(200, (("Content-Type", "text/plain"),), robots.encode())),))
    fallback = Response(404, (("Content-Type", "text/html"), *SERVER_HEADERS[site.template]), NOT_FOUND)
    return SiteState(routes=routes, fallback=fallback, https_redirect=m.has("https"), gzip=m.has("gzip"))


def attacker_state(index: int) -> SiteState:
    """A loopback attacker origin: a gambling landing page on every path."""
    body = (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Nhà cái uy tín số 1 – Đăng ký nhận '
        "100K</title>"
        "</head><body><h1>Chào mừng đến nhà cái</h1><p>Cá cược bóng đá, tài xỉu, nổ hũ, bắn cá – nạp rút 1 phút.</p>"
        f'<a href="/dang-ky?aff={index}">Đăng ký ngay</a></body></html>'
    ).encode()
    page = Response(200, (("Content-Type", "text/html; charset=utf-8"), ("Server", "cloudflare")), body)
    return SiteState(routes={}, fallback=page)
