"""Which server and CMS software a website discloses about itself, and which versions.

Pure: :func:`observe` reads one response's headers and the start of its body; it never fetches. Only
what the site states is reported. A version is reported only when disclosed in full (at least
"major.minor"); software named without one ("Server: nginx", "Drupal 9 (https://www.drupal.org)") is
reported with version "" and its text kept as evidence. Nothing is inferred from looks.

Everything here reads attacker-controlled text: every header value, attribute and version is bounded,
versions must match a strict pattern, and nothing raises on garbage, binary or oddly encoded input.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from haidang.engines.scanner.sites import site_of, site_of_host
from haidang.engines.scanner.types import Observed

__all__ = ["MAX_OBSERVATIONS", "PRODUCTS", "Observed", "observe"]

MAX_HEADERS = 200  # header lines read per response
MAX_HEADER_CHARS = 500  # of each header value
MAX_COOKIES = 20
BODY_WINDOW = 65_536  # generators and core assets sit in <head>
MAX_OBSERVATIONS = 20
MAX_EVIDENCE = 200
MAX_GENERATOR_WORDS = 30  # "generator" also appears in script names (regenerator-runtime)
MAX_ASSETS = 60  # asset URLs looked at
MAX_SIGNED_PAGE = 16_384  # default and error pages that sign themselves are small

# Names as a person writes them in an inventory; tests/engines/test_software_names_resolve.py checks
# that the intel engine's alias catalogue resolves each one.
APACHE_HTTPD = ("Apache Software Foundation", "Apache HTTP Server")
TOMCAT = ("Apache Software Foundation", "Tomcat")
NGINX = ("F5", "nginx")
IIS = ("Microsoft", "Internet Information Services")
ASP_NET = ("Microsoft", "ASP.NET")
ASP_NET_MVC = ("Microsoft", "ASP.NET MVC")
PHP = ("The PHP Group", "PHP")
OPENSSL = ("OpenSSL", "OpenSSL")
LITESPEED = ("LiteSpeed Technologies", "LiteSpeed Web Server")
WEBLOGIC = ("Oracle", "WebLogic Server")
WORDPRESS = ("WordPress", "WordPress")
JOOMLA = ("Joomla", "Joomla!")
DRUPAL = ("Drupal", "Drupal")
MOODLE = ("Moodle", "Moodle")
JQUERY = ("OpenJS Foundation", "jQuery")

#: Every (vendor, product) :func:`observe` can report.
PRODUCTS: tuple[tuple[str, str], ...] = (
    APACHE_HTTPD, TOMCAT, NGINX, IIS, ASP_NET, ASP_NET_MVC, PHP, OPENSSL, LITESPEED, WEBLOGIC,
    WORDPRESS, JOOMLA, DRUPAL, MOODLE, JQUERY,
)  # fmt: skip

# Product tokens of Server / X-Powered-By ("Apache/2.4.49 (Unix) OpenSSL/1.0.2k-fips"), by lower-case name.
_TOKEN_PRODUCTS = {
    "apache": APACHE_HTTPD,
    "nginx": NGINX,
    "microsoft-iis": IIS,
    "php": PHP,
    "openssl": OPENSSL,
    "litespeed": LITESPEED,
    "asp.net": ASP_NET,
}
# Apache-Coyote is Tomcat's connector: its version is the connector's, never Tomcat's.
_VERSIONLESS_TOKENS = {"apache-coyote": TOMCAT}
_TOKEN = re.compile(r"([A-Za-z][\w.+-]{0,40})(?:/([^\s()/;,]{1,60}))?")
_COMMENT = re.compile(r"\([^()]{0,200}\)")
_TOMCAT = re.compile(r"Apache[ -]Tomcat(?:/([^\s()/;,]{1,60}))?", re.IGNORECASE)
_WEBLOGIC = re.compile(r"(?:Oracle[ -])?WebLogic(?:[ -]Server)?(?:[ /](\d[^\s()/;,]{0,59}))?", re.IGNORECASE)

# The upstream version: 2 to 7 numeric parts, an optional letter/pre-release tail ("1.0.2k", "8.3.0RC1"),
# then an optional distribution or build suffix that is dropped ("-1ubuntu2.14", "-fips", "+deb11u1").
_VERSION = re.compile(r"[vV]?(\d{1,6}(?:\.\d{1,9}){1,6}[A-Za-z]{0,8}\d{0,4})(?:[-+~_][\w.+~-]{0,40})?")
MAX_VERSION_CHARS = 40

_GENERATORS = (
    (WORDPRESS, re.compile(r"\s*WordPress(?:\s+(\S{1,60}))?(?:\s|$)", re.IGNORECASE)),
    (JOOMLA, re.compile(r"\s*Joomla!?(?:\s+(\S{1,60}))?(?:\s|$)", re.IGNORECASE)),
    (DRUPAL, re.compile(r"\s*Drupal(?:\s+(\S{1,60}))?(?:\s|\(|$)", re.IGNORECASE)),
)
MAX_TAG = 600
_META_OPENINGS = frozenset({b"<meta ", b"<meta\t", b"<meta\n", b"<meta\r"})
_ATTRIBUTE = re.compile(rb"""([\w:-]{1,40})\s*=\s*(?:"([^"]{0,400})"|'([^']{0,400})'|([^\s"'>]{1,400}))""")
_ADDRESS = re.compile(rb"<address>\s*((?:Apache|nginx)[^<]{0,200}?) Server at [^<]{1,200}</address>", re.IGNORECASE)
_NGINX_PAGE = re.compile(rb"<center>\s*(nginx(?:/[^\s<]{1,60})?(?: \([^<)]{1,40}\))?)\s*</center>", re.IGNORECASE)
_TOMCAT_PAGE = re.compile(rb"<(h3|title)>\s*(Apache Tomcat/[^\s<]{1,60})\s*</\1>", re.IGNORECASE)
_ASSET_MARKERS = (b"/wp-includes/", b"jquery")
# An attribute value from its "=": the marker must fall inside it and the attribute must be src or href.
_ATTRIBUTE_VALUE = re.compile(rb"""=\s*["']([^"'<>\s]{1,500})""")
_VER_PARAM = re.compile(r"(?:^|&)ver=([^&#]{1,60})")
_JQUERY_FILE = re.compile(r"jquery(?:-(\d[\w.]{0,40}?))?(?:\.slim)?(?:\.min)?\.js", re.IGNORECASE)
_JQUERY_CDN = re.compile(r"/jquery/(\d[\w.]{0,40})/jquery(?:\.slim)?(?:\.min)?\.js$", re.IGNORECASE)
# Core files WordPress loads with its own version as ?ver=; bundled libraries (jQuery, hoverIntent,
# underscore, js/dist/vendor …) carry their own versions and js/dist scripts carry content hashes.
_WP_CORE_JS = frozenset({
    "wp-emoji-release.min.js", "wp-emoji.js", "wp-emoji-loader.min.js", "comment-reply.min.js", "comment-reply.js",
    "wp-embed.min.js", "wp-embed.js", "admin-bar.min.js", "admin-bar.js", "wp-util.min.js", "wp-util.js",
})  # fmt: skip

# Control characters, lone surrogates (undecodable header bytes), zero-width and bidirectional controls.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")

_Product = tuple[str, str]
_Found = tuple[_Product, str, str, str]  # product, version, source, evidence text


def observe(headers: Mapping[str, str] | Iterable[tuple[str, str]], body: bytes, url: str) -> tuple[Observed, ...]:
    """The server and CMS software the response for ``url`` discloses, in order of discovery.

    ``headers`` are matched case-insensitively (a mapping or ``FetchResult.headers`` pairs); only the
    first :data:`BODY_WINDOW` bytes of ``body`` are read. At most :data:`MAX_OBSERVATIONS`, one per
    (vendor, product, version); software named without a version is left out when a version of it was
    also disclosed.
    """
    named = _header_values(headers)
    found = _from_headers(named)
    head = body[:BODY_WINDOW] if isinstance(body, bytes | bytearray) else b""
    if head:
        found.extend(_from_page(bytes(head), url))
    return _settle(found)


def _header_values(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    named: dict[str, list[str]] = {}
    for count, item in enumerate(items):
        if count >= MAX_HEADERS:
            break
        name, value = item
        if isinstance(name, str) and isinstance(value, str):
            named.setdefault(name.strip().lower(), []).append(value[:MAX_HEADER_CHARS])
    return named


def _first(named: dict[str, list[str]], name: str) -> str:
    values = named.get(name.lower())
    return values[0] if values else ""


def _from_headers(named: dict[str, list[str]]) -> list[_Found]:
    found: list[_Found] = []
    for name in ("Server", "X-Powered-By"):
        value = _first(named, name)
        if value:
            found.extend((p, v, f"header:{name}", f"{name}: {value}") for p, v in _product_tokens(value))
    for name, product in (("X-AspNet-Version", ASP_NET), ("X-AspNetMvc-Version", ASP_NET_MVC)):
        value = _first(named, name)
        if value:
            found.append((product, version_of(value.strip()), f"header:{name}", f"{name}: {value}"))
    for name in ("X-Generator", "X-Content-Encoded-By"):
        value = _first(named, name)
        if value:
            found.extend((p, v, f"header:{name}", f"{name}: {value}") for p, v in _generator(value))
    for name in ("X-Drupal-Cache", "X-Drupal-Dynamic-Cache"):
        value = _first(named, name)
        if value:
            found.append((DRUPAL, "", f"header:{name}", f"{name}: {value}"))
    cookie = next((c for c in named.get("set-cookie", ())[:MAX_COOKIES] if c.lstrip().startswith("MoodleSession")), "")
    if cookie:
        found.append((MOODLE, "", "header:Set-Cookie", "Set-Cookie: " + cookie.split("=", 1)[0]))
    return found


def _product_tokens(value: str) -> list[tuple[_Product, str]]:
    """Software named in a Server / X-Powered-By value, with its version when given in full."""
    found: list[tuple[_Product, str]] = []
    # Multi-word names first, blanked so that "Apache Tomcat/9.0" is not also read as Apache httpd.
    # Only the first mention counts: WebLogic repeats itself with patch and module versions.
    for pattern, product in ((_TOMCAT, TOMCAT), (_WEBLOGIC, WEBLOGIC)):
        match = pattern.search(value)
        if match is not None:
            found.append((product, version_of(match.group(1) or "")))
            value = pattern.sub(" ", value)
    for match in _TOKEN.finditer(_COMMENT.sub(" ", value)):
        name = match.group(1).lower()
        if name in _TOKEN_PRODUCTS:
            found.append((_TOKEN_PRODUCTS[name], version_of(match.group(2) or "")))
        elif name in _VERSIONLESS_TOKENS:
            found.append((_VERSIONLESS_TOKENS[name], ""))
    return found


def version_of(raw: str) -> str:
    """The upstream version in a disclosed version string, or "" when it is not a full version.

    "8.1.2-1ubuntu2.14" → "8.1.2", "1.0.2k-fips" → "1.0.2k", "10.0" → "10.0"; "9", "latest", "1.2.3.4.5.6.7.8"
    and anything over 40 characters → "".
    """
    if len(raw) > MAX_VERSION_CHARS:
        return ""
    match = _VERSION.fullmatch(raw)
    return match.group(1) if match else ""


def _generator(text: str) -> list[tuple[_Product, str]]:
    for product, pattern in _GENERATORS:
        match = pattern.match(text)
        if match:
            return [(product, version_of(match.group(1) or ""))]
    return []


def _from_page(head: bytes, url: str) -> list[_Found]:
    # Literal searches (bytes.find): IGNORECASE regexes over 64 KB cost far more than the rest.
    found: list[_Found] = []
    for content in _generator_contents(head):
        found.extend((p, v, "meta:generator", content) for p, v in _generator(content))
    if len(head) <= MAX_SIGNED_PAGE:
        found.extend(_signatures(head, head.lower()))
    urls = _asset_urls(head)
    if urls:
        found.extend(_assets(urls, url))
    return found


def _generator_contents(head: bytes) -> list[str]:
    """The content of each <meta name="generator">, found from the word outwards to its tag (a regex
    from every "<meta" costs quadratic time on a page of unclosed tags)."""
    contents: list[str] = []
    for at in _generator_positions(head):
        start = head.rfind(b"<", max(0, at - MAX_TAG), at)
        end = head.find(b">", at, at + MAX_TAG)
        if start < 0 or end < 0 or head[start : start + 6].lower() not in _META_OPENINGS:
            continue
        tag = head[start:end]
        attributes = {m.group(1).lower(): m.group(2) or m.group(3) or m.group(4) for m in _ATTRIBUTE.finditer(tag)}
        if attributes.get(b"name", b"").strip().lower() == b"generator" and attributes.get(b"content"):
            contents.append(_text(attributes[b"content"]))
    return [c for c in dict.fromkeys(contents) if c]


def _generator_positions(head: bytes) -> list[int]:
    positions: list[int] = []
    for word in (b"generator", b"Generator", b"GENERATOR"):
        at = head.find(word)
        while at >= 0 and len(positions) < MAX_GENERATOR_WORDS:
            positions.append(at)
            at = head.find(word, at + len(word))
    return sorted(positions)


def _signatures(head: bytes, lower: bytes) -> list[_Found]:
    """The server's own default and error pages, which sign themselves."""
    found: list[_Found] = []
    if b"<address>" in lower:
        for match in _ADDRESS.finditer(head):
            text = _text(match.group(1))
            found.extend((p, v, "page:address", text) for p, v in _product_tokens(text))
    if b"<center>" in lower:
        for match in _NGINX_PAGE.finditer(head):
            text = _text(match.group(1))
            found.extend((p, v, "page:signature", text) for p, v in _product_tokens(text))
    if b"apache tomcat/" in lower:
        for match in _TOMCAT_PAGE.finditer(head):
            text = _text(match.group(2))
            found.extend((p, v, "page:signature", text) for p, v in _product_tokens(text))
    return found


def _asset_urls(head: bytes) -> list[str]:
    """The src/href URLs that mention /wp-includes/ or jquery, in page order, each once."""
    urls: dict[str, None] = {}
    for at in _marker_positions(head):
        equals = head.rfind(b"=", max(0, at - 400), at)
        if equals < 0 or not head[max(0, equals - 8) : equals].rstrip().lower().endswith((b"src", b"href")):
            continue
        value = _ATTRIBUTE_VALUE.match(head, equals)
        if value is not None and value.start(1) <= at < value.end(1):
            urls[_text(value.group(1))] = None
    return list(urls)


def _marker_positions(head: bytes) -> list[int]:
    # bytes.find, not a regex alternation: ten times faster over 64 KB of page.
    positions: list[int] = []
    for marker in _ASSET_MARKERS:
        at = head.find(marker)
        while at >= 0 and len(positions) < MAX_ASSETS:
            positions.append(at)
            at = head.find(marker, at + len(marker))
    return sorted(positions)


def _assets(urls: list[str], url: str) -> list[_Found]:
    """WordPress from its own /wp-includes/ files (a version only when every core file agrees on it)
    and jQuery from a versioned file name, CDN path or WordPress's bundled copy."""
    page_site = site_of(url)
    found: list[_Found] = []
    wordpress: dict[str, str] = {}  # version → first asset URL
    wp_seen = ""
    for asset in urls:
        try:
            parts = urlsplit(asset)
            host = parts.hostname or ""
        except ValueError:
            continue
        path, ver = parts.path, _ver_param(parts.query)
        jquery = _jquery_version(path, ver)
        if jquery:
            found.append((JQUERY, jquery, "asset:ver" if "/wp-includes/" in path else "asset:path", asset))
        if "/wp-includes/" not in path or (host and site_of_host(host) != page_site):
            continue
        wp_seen = wp_seen or asset
        version = version_of(ver) if _wp_core(path) else ""
        if version:
            wordpress.setdefault(version, asset)
    if len(wordpress) == 1:
        ((version, asset),) = wordpress.items()
        found.append((WORDPRESS, version, "asset:ver", asset))
    elif wp_seen:
        found.append((WORDPRESS, "", "asset:path", wp_seen))
    return found


def _ver_param(query: str) -> str:
    match = _VER_PARAM.search(query)
    return match.group(1) if match else ""


def _wp_core(path: str) -> bool:
    if "/wp-includes/css/" in path:
        return path.endswith(".css")
    return "/wp-includes/js/" in path and path.rsplit("/", 1)[-1] in _WP_CORE_JS


def _jquery_version(path: str, ver: str) -> str:
    name = path.rsplit("/", 1)[-1]
    match = _JQUERY_FILE.fullmatch(name)
    if match is None:
        return ""  # jquery-migrate, jquery-ui, jquery.cookie …: not jQuery itself
    if match.group(1):
        return version_of(match.group(1))
    cdn = _JQUERY_CDN.search(path)
    if cdn:
        return version_of(cdn.group(1))
    # WordPress's bundled copy is loaded with jQuery's own version; a theme's copy with the theme's.
    return version_of(ver) if "/wp-includes/js/jquery/" in path else ""


def _text(raw: bytes) -> str:
    """Bytes from the page as short display-safe text (entities decoded)."""
    text = raw[: MAX_EVIDENCE * 2].decode("utf-8", "replace")
    return _clean(html.unescape(text) if "&" in text else text)


def _clean(text: str) -> str:
    return " ".join(_UNSAFE.sub(" ", text[: MAX_EVIDENCE * 2]).split())[:MAX_EVIDENCE]


def _settle(found: list[_Found]) -> tuple[Observed, ...]:
    versioned = {product for product, version, _s, _e in found if version}
    seen: set[tuple[_Product, str]] = set()
    observed: list[Observed] = []
    for product, version, source, evidence in found:
        key = (product, version)
        if key in seen or (not version and product in versioned):
            continue
        seen.add(key)
        observed.append(Observed(product[0], product[1], version, source, _clean(evidence)))
        if len(observed) >= MAX_OBSERVATIONS:
            break
    return tuple(observed)
