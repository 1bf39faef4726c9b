"""RSS 2.0 and Atom 1.0 advisory feeds (national CERT, vendors): entries and the CVE ids they name.

Feeds are hostile XML. The parser resolves no entity, loads no DTD, touches no network and keeps
libxml2's limits on (``huge_tree`` off); a feed that declares entities at all is refused, so neither
an XXE nor a "billion laughs" payload gets further than the parser's refusal.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.utils import parsedate_to_datetime

from lxml import etree, html  # type: ignore[import-untyped]

from haidang.engines.common.types import MIB
from haidang.engines.intel.types import Advisory

MAX_FEED_BYTES = 10 * MIB
MAX_ENTRIES = 5000
MAX_TITLE = 1000
MAX_SUMMARY = 20_000
MAX_LINK = 2048
# Strict: ASCII digits only (``\d`` would accept other scripts' digits), not inside a longer token.
CVE_PATTERN = re.compile(r"(?<![A-Za-z0-9])CVE-[0-9]{4}-[0-9]{4,19}(?![0-9])", re.IGNORECASE | re.ASCII)
_BLOCK_TAGS = frozenset({"p", "br", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "pre"})
_ATOM = "http://www.w3.org/2005/Atom"


class FeedError(ValueError):
    """The data is not an RSS or Atom feed this module will read."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if _local(child) == name]


def _child_text(element: etree._Element, *names: str) -> tuple[str, etree._Element | None]:
    for name in names:
        for child in _children(element, name):
            text = "".join(child.itertext())
            if text.strip() or len(child):
                return text, child
    return "", None


def _squash(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


def html_to_text(markup: str) -> str:
    """Visible text of an HTML fragment: tags, scripts and styles dropped, entities decoded."""
    if "<" not in markup and "&" not in markup:
        return markup
    parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, recover=True)
    try:
        root = html.fragment_fromstring(markup[: MAX_SUMMARY * 4], create_parent="div", parser=parser)
    except (etree.LxmlError, ValueError):
        return re.sub(r"<[^>]*>", " ", markup)
    etree.strip_elements(root, "script", "style", etree.Comment, with_tail=False)
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.lower() in _BLOCK_TAGS:
            element.tail = "\n" + (element.tail or "")
    return str(root.text_content())


def _content(element: etree._Element | None, text: str) -> str:
    if element is None:
        return ""
    if len(element) and element.get("type") == "xhtml":
        return "".join(element.itertext())  # inline XHTML: already markup-free text
    if element.get("type") == "text":
        return text
    return html_to_text(text)


def _date(text: str) -> str:
    text = text.strip()[:100]
    if not text:
        return ""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError, OverflowError):
        return text


def _web_link(url: str) -> str:
    url = url.strip()
    return url if url.lower().startswith(("https://", "http://")) and len(url) <= MAX_LINK else ""


def _link(entry: etree._Element) -> str:
    for link in _children(entry, "link"):
        href = link.get("href")
        if href is not None:  # Atom
            if link.get("rel", "alternate") == "alternate":
                return _web_link(href)
        elif link.text:
            return _web_link(link.text)
    for guid in _children(entry, "guid"):
        if guid.get("isPermaLink", "true") != "false" and guid.text:
            return _web_link(guid.text)
    return ""


def cve_ids_in(text: str) -> tuple[str, ...]:
    """CVE ids named in ``text``, upper-cased and de-duplicated in order of appearance."""
    return tuple(dict.fromkeys(match.upper() for match in CVE_PATTERN.findall(text)))


def _advisory(entry: etree._Element, source: str) -> Advisory:
    raw_title, title_element = _child_text(entry, "title")
    title = _squash(_content(title_element, raw_title) if title_element is not None else "", MAX_TITLE)
    raw_summary, summary_element = _child_text(entry, "description", "summary", "content", "encoded")
    summary = _squash(_content(summary_element, raw_summary), MAX_SUMMARY)
    published, _ = _child_text(entry, "pubDate", "published", "date", "updated")
    return Advisory(
        title=title,
        link=_link(entry),
        published=_date(published),
        summary=summary,
        cve_ids=cve_ids_in(f"{title}\n{summary}"),
        source=source,
    )


def _entries(root: etree._Element) -> list[etree._Element]:
    kind = _local(root)
    if kind == "rss":
        channels = _children(root, "channel")
        return _children(channels[0], "item") if channels else []
    if kind == "feed" and etree.QName(root).namespace == _ATOM:
        return _children(root, "entry")
    if kind == "RDF":  # RSS 1.0
        return _children(root, "item")
    raise FeedError("not an RSS or Atom feed")


def parse_feed(data: bytes, source: str = "") -> list[Advisory]:
    """The entries of an RSS 2.0 (or 1.0) or Atom 1.0 feed as :class:`Advisory` records.

    Descriptions are reduced to text; ``cve_ids`` lists every CVE id in the title and summary. Raises
    :class:`FeedError` (a ValueError) for anything that is not such a feed, is larger than
    :data:`MAX_FEED_BYTES`, or declares entities (XXE, entity expansion).
    """
    if len(data) > MAX_FEED_BYTES:
        raise FeedError(f"feed larger than {MAX_FEED_BYTES} bytes")
    try:
        root = etree.fromstring(data, parser=_parser())
    except (etree.LxmlError, ValueError) as exc:
        raise FeedError(f"feed is not well-formed XML: {str(exc)[:200]}") from None
    if root is None:
        raise FeedError("feed is empty")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise FeedError("feed declares XML entities")
    return [_advisory(entry, source) for entry in _entries(root)[:MAX_ENTRIES]]
