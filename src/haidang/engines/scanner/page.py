"""What one HTML page shows, links to, loads and hides — parsed once, read by every check."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from haidang.engines.scanner.sites import host_of
from haidang.engines.scanner.visibility import hidden_roots, style_covers_page, style_hides

MAX_SEGMENTS = 3000
MAX_SEGMENT_CHARS = 2000
MAX_INLINE_SCRIPT = 200_000
_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "big",
        "br",
        "cite",
        "code",
        "data",
        "del",
        "dfn",
        "em",
        "font",
        "i",
        "img",
        "ins",
        "kbd",
        "label",
        "mark",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "time",
        "tt",
        "u",
        "var",
        "wbr",
        "nobr",
        "blink",
    ]
)
_SKIP_TEXT = frozenset({"script", "style", "template", "textarea", "svg", "head"})
_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Segment:
    text: str
    hidden: bool


@dataclass(frozen=True, slots=True)
class Link:
    url: str
    host: str
    text: str
    hidden: bool


@dataclass(frozen=True, slots=True)
class Script:
    src: str  # absolute URL, or "" for an inline script
    code: str  # inline code (bounded)


@dataclass(frozen=True, slots=True)
class Frame:
    src: str
    hidden: bool


@dataclass(frozen=True, slots=True)
class Form:
    action: str
    has_password: bool


@dataclass(frozen=True, slots=True)
class Page:
    url: str
    title: str = ""
    meta: str = ""  # description and keywords
    refresh: str = ""  # absolute meta-refresh target
    canonical: tuple[str, ...] = ()  # absolute canonical / amphtml / og:url targets
    segments: tuple[Segment, ...] = ()
    links: tuple[Link, ...] = ()
    scripts: tuple[Script, ...] = ()
    frames: tuple[Frame, ...] = ()
    forms: tuple[Form, ...] = ()
    identity: str = ""  # title, headings and banner text: who the site says it is
    overlays: tuple[str, ...] = ()  # text of full-window boxes drawn over the page
    elements: int = 0
    text_chars: int = 0

    @property
    def text(self) -> str:
        return "\n".join(s.text for s in self.segments)


def parse_page(html: str, url: str) -> Page:
    """Parse ``html`` (hostile, possibly huge or malformed) fetched from ``url``."""
    tree = LexborHTMLParser(html)
    base = _base_url(tree, url)
    hidden = _hidden_ids(tree)
    segments, elements = _segments(tree, hidden)
    title = _text(tree.css_first("title"))
    return Page(
        url=url,
        title=title[:500],
        meta=_meta(tree)[:1000],
        refresh=_refresh(tree, base),
        canonical=_canonical(tree, base),
        segments=segments,
        links=_links(tree, base, hidden),
        scripts=_scripts(tree, base, _may_have_handlers(html)),
        frames=_frames(tree, base, hidden),
        forms=_forms(tree, base),
        identity=_identity(tree, title),
        overlays=tuple(
            _text(n)[:1000] for n in tree.css("[style]")[:2000] if style_covers_page(n.attributes.get("style") or "")
        ),
        elements=elements,
        text_chars=sum(len(s.text) for s in segments),
    )


def _text(node: LexborNode | None) -> str:
    return " ".join(node.text(deep=True).split()) if node is not None else ""


def _base_url(tree: LexborHTMLParser, url: str) -> str:
    node = tree.css_first("base[href]")
    href = (node.attributes.get("href") or "").strip() if node is not None else ""
    return _absolute(url, href) or url if href else url


#: A path that urljoin would leave as it is: no dot segments, backslashes, spaces or controls.
_PLAIN_PATH = re.compile(r"/[A-Za-z0-9\-_~%!$&'()*+,=:@./]*(?:\?[^\s#\\]+)?(?:#\S+)?")


@lru_cache(maxsize=4096)
def _origin(base: str) -> str:
    """``scheme://netloc`` of an http(s) base URL, or "" when urljoin must decide."""
    try:
        parts = urlsplit(base)
    except ValueError:
        return ""
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def _absolute(base: str, href: str | None) -> str:
    href = (href or "").strip()
    if not href or len(href) > 4000 or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return ""
    if href.startswith(("http://", "https://")) and "/./" not in href and "/../" not in href:
        return href if host_of(href) else ""  # already absolute: skip the costly urljoin
    if href[0] == "/" and href[:2] != "//" and "/." not in href and _PLAIN_PATH.fullmatch(href):
        origin = _origin(base)  # a site-relative link (menus, article lists): the common case
        if origin:
            return origin + href
    try:
        absolute = urljoin(base, href)
        parts = urlsplit(absolute)
    except ValueError:
        return ""
    return absolute if parts.scheme in {"http", "https"} and parts.hostname else ""


def _hidden_ids(tree: LexborHTMLParser) -> set[int]:
    ids: set[int] = set()
    for root in hidden_roots(tree):
        if root.mem_id in ids:
            continue
        ids.update(node.mem_id for node in root.traverse(include_text=False))
        if len(ids) > 200_000:
            break
    return ids


def _segments(tree: LexborHTMLParser, hidden: set[int]) -> tuple[tuple[Segment, ...], int]:
    """Text grouped by its nearest block-level element, so a sentence stays in one piece; and the
    number of elements in the body (what ``len(tree.css("body *"))`` counts), from the same walk."""
    body = tree.body
    if body is None:
        return (), 0
    # Keyed by (block, hidden): hidden inline text inside a visible paragraph is its own segment.
    groups: dict[tuple[int, bool], list[str]] = {}
    # Text node's parent element → its block's id, or None when the text is not shown (script, style…).
    # Sibling text nodes share a parent: the walk up through inline elements is done once per parent.
    blocks: dict[int, int | None] = {}
    elements = -1  # the walk starts at <body> itself
    full = False
    for node in body.traverse(include_text=True):
        if not node.is_text_node:
            elements += node.is_element_node
        elif not full and not node.is_empty_text_node:  # lexbor's ASCII-whitespace test, a cheap prefilter
            full = _add_text(node, groups, blocks, hidden)  # once full, keep walking only to count
    segments = tuple(
        Segment(" ".join(" ".join(parts).split())[:MAX_SEGMENT_CHARS], key[1]) for key, parts in groups.items()
    )
    # A <frameset> after body content detaches the body: lexbor still hands it out, the selector no longer
    # matches inside it. Rare enough to ask the selector.
    return segments, elements if body.parent is not None else len(tree.css("body *"))


def _add_text(
    node: LexborNode, groups: dict[tuple[int, bool], list[str]], blocks: dict[int, int | None], hidden: set[int]
) -> bool:
    """Add a text node's value to its (block, hidden) group; True when a new group would pass MAX_SEGMENTS."""
    value = node.text_content or ""
    if not value.strip():
        return False
    direct = node.parent
    if direct is None:
        return False
    direct_id = direct.mem_id
    if direct_id in blocks:
        block = blocks[direct_id]
    else:
        block = blocks[direct_id] = _block_of(direct)
    if block is None:
        return False
    key = (block, direct_id in hidden)
    if key not in groups:
        if len(groups) >= MAX_SEGMENTS:
            return True
        groups[key] = []
    groups[key].append(value)
    return False


def _block_of(parent: LexborNode) -> int | None:
    """The id of the nearest non-inline ancestor-or-self of ``parent``; None when its text is not shown."""
    node: LexborNode | None = parent
    while node is not None and node.tag in _INLINE and node.parent is not None:
        node = node.parent
    if node is None or node.tag in _SKIP_TEXT:
        return None
    return node.mem_id


def _meta(tree: LexborHTMLParser) -> str:
    parts = []
    for node in tree.css("meta[name]"):
        if (node.attributes.get("name") or "").lower() in {"description", "keywords", "og:title", "og:description"}:
            parts.append(node.attributes.get("content") or "")
    for node in tree.css("meta[property]"):
        if (node.attributes.get("property") or "").lower() in {"og:title", "og:description"}:
            parts.append(node.attributes.get("content") or "")
    return " | ".join(p.strip() for p in parts if p and p.strip())


def _refresh(tree: LexborHTMLParser, base: str) -> str:
    for node in tree.css("meta[http-equiv]"):
        if (node.attributes.get("http-equiv") or "").strip().lower() == "refresh":
            match = _REFRESH_URL.search(node.attributes.get("content") or "")
            if match:
                return _absolute(base, match.group(1).strip())
    return ""


def _canonical(tree: LexborHTMLParser, base: str) -> tuple[str, ...]:
    targets = []
    for node in tree.css("link[rel][href]")[:50]:
        if (node.attributes.get("rel") or "").lower() in {"canonical", "amphtml"}:
            targets.append(_absolute(base, node.attributes.get("href")))
    for node in tree.css("meta[property]")[:50]:
        if (node.attributes.get("property") or "").lower() == "og:url":
            targets.append(_absolute(base, node.attributes.get("content")))
    return tuple(t for t in targets if t)


def _links(tree: LexborHTMLParser, base: str, hidden: set[int]) -> tuple[Link, ...]:
    links = []
    for node in tree.css("a[href], area[href]")[:5000]:
        url = _absolute(base, node.attributes.get("href"))
        if url:
            text = _text(node)[:300] or (node.attributes.get("title") or "")[:300]
            links.append(Link(url, host_of(url), text, node.mem_id in hidden))
    return tuple(links)


_HANDLERS = ("onload", "onerror", "onmouseover", "onfocus", "onpageshow", "onclick")
_HANDLER_SELECTOR = ", ".join(f"[{name}]" for name in _HANDLERS)


def _may_have_handlers(html: str) -> bool:
    """False when no element can carry an event-handler attribute: attribute names are never
    entity-decoded, so each must appear in the source as written, in some letter case."""
    lowered = html.lower()
    return any(name in lowered for name in _HANDLERS)


def _scripts(tree: LexborHTMLParser, base: str, handlers_possible: bool = True) -> tuple[Script, ...]:
    scripts = []
    for node in tree.css("script")[:500]:
        src = node.attributes.get("src")
        if src:
            scripts.append(Script(_absolute(base, src), ""))
        else:
            scripts.append(Script("", (node.text(deep=True) or "")[:MAX_INLINE_SCRIPT]))
    # Code in event-handler attributes and javascript: links runs too (<body onload>, <img onerror>).
    for node in tree.css(_HANDLER_SELECTOR)[:200] if handlers_possible else ():
        code = ";".join(node.attributes.get(name) or "" for name in _HANDLERS)
        scripts.append(Script("", code[:MAX_INLINE_SCRIPT]))
    for node in tree.css('a[href^="javascript:"]')[:200]:
        scripts.append(Script("", (node.attributes.get("href") or "")[11:MAX_INLINE_SCRIPT]))
    return tuple(scripts)


def _frames(tree: LexborHTMLParser, base: str, hidden: set[int]) -> tuple[Frame, ...]:
    frames = []
    for node in tree.css("iframe, frame, embed, object")[:200]:
        attrs = node.attributes
        src = _absolute(base, attrs.get("src") or attrs.get("data"))
        if not src:
            continue
        tiny = _tiny(attrs.get("width")) or _tiny(attrs.get("height"))
        frames.append(Frame(src, node.mem_id in hidden or tiny or style_hides(attrs.get("style") or "")))
    return tuple(frames)


def _tiny(value: str | None) -> bool:
    digits = (value or "").strip().rstrip("px").strip()
    return digits.isdigit() and int(digits) <= 2


def _forms(tree: LexborHTMLParser, base: str) -> tuple[Form, ...]:
    forms = []
    for node in tree.css("form")[:100]:
        action = node.attributes.get("action")
        url = _absolute(base, action) if action else base
        forms.append(Form(url, node.css_first("input[type=password], input[type=PASSWORD]") is not None))
    return tuple(forms)


def _identity(tree: LexborHTMLParser, title: str) -> str:
    parts = [title]
    selectors = "h1, header, #header, .header, [class*=logo], [id*=logo], [class*=banner], [class*=brand]"
    parts.extend(_text(node)[:300] for node in tree.css(selectors)[:10])
    return " ".join(parts)[:2000]


@lru_cache(maxsize=512)
def parse_page_cached(html: str, url: str) -> Page:
    """:func:`parse_page`, once for identical bodies (several probes, retrieve and evaluate).

    Keyed on the text itself: a ``str`` caches its hash, so a hit costs one comparison, not a digest.
    """
    return parse_page(html, url)
