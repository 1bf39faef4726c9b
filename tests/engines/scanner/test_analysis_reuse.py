"""Shortcuts that save work must never change what the scanner finds or learns.

Each shortcut is checked against the plain computation it replaces: probes that share one analysis,
the body comparison that decides whether they may, the single walk that groups text and counts
elements, and the source test that skips the event-handler query.
"""

from __future__ import annotations

import copy
import hashlib
import re
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from haidang.engines.common import FetchResult
from haidang.engines.scanner.baseline import Baseline
from haidang.engines.scanner.checks import code, content, defacement
from haidang.engines.scanner.learn import learn
from haidang.engines.scanner.page import (
    _HANDLER_SELECTOR,
    _INLINE,
    _SKIP_TEXT,
    MAX_SEGMENT_CHARS,
    MAX_SEGMENTS,
    Segment,
    _hidden_ids,
    _may_have_handlers,
    _segments,
    parse_page,
)
from haidang.engines.scanner.registry import CHECKS
from haidang.engines.scanner.types import Finding, ProbeName
from haidang.engines.scanner.view import PageView, SiteView, _same_apart_from_volatile, build_view, per_page
from tests.engines.scanner.recorded import HOME, recorded, response, site

SPAM = '<div style="display:none"><a href="https://nhacai-fb88.club/">nhà cái uy tín fb88 đăng ký nhận 100k</a></div>'


def _page_with(nonce: str, extra: str = "") -> str:
    html = recorded("security_news.html")
    return html.replace("</body>", f"<script>var nonce='{nonce}';</script>{extra}</body>")


def _cloaked_site() -> SiteView:
    """Probes that got the same page apart from a nonce, and a crawler that got spam."""
    probes = {
        ProbeName.MOBILE: response(HOME, _page_with("1302")),  # a counter: volatile, the same page
        ProbeName.GOOGLEBOT: response(HOME, _page_with("1303", SPAM)),
        ProbeName.BINGBOT: response(HOME, _page_with("d4e5f6", SPAM)),  # letters: not volatile, parsed again
    }
    evidence = site(
        _page_with("1301"),
        probes=probes,
        inner={HOME + "tin-tuc/1.html": _page_with("x", SPAM), HOME + "lien-he.html": recorded("scam_warning.html")},
    )
    return build_view(evidence)


def _unshared(view: SiteView) -> SiteView:
    """The same view with every page view owning its own analysis: nothing can be reused."""
    pages = tuple(replace(p, page=copy.copy(p.page), inline=tuple(copy.copy(f) for f in p.inline)) for p in view.pages)
    return SiteView(view.evidence, pages, view.own_scripts)


def test_it_shares_an_analysis_only_between_probes_that_got_the_same_page() -> None:
    view = _cloaked_site()
    home = {p.probe: p for p in view.pages if p.is_home}

    assert home[ProbeName.MOBILE].analysis_key == home[ProbeName.DESKTOP].analysis_key
    assert home[ProbeName.GOOGLEBOT].analysis_key != home[ProbeName.DESKTOP].analysis_key


def test_it_finds_exactly_what_every_check_finds_page_by_page() -> None:
    view = _cloaked_site()
    for baseline in (Baseline(url=HOME), Baseline(url=HOME, scans=1, identity=["portal"], elements=500, links=90)):
        for check in CHECKS.values():
            assert check(view, baseline) == check(_unshared(view), baseline)


def test_it_analyses_each_distinct_page_once() -> None:
    view = _cloaked_site()
    analysed: list[PageView] = []

    def analyse(page_view: PageView) -> list[Finding]:
        analysed.append(page_view)
        return content._page(page_view, view.site, Baseline(url=HOME))

    found = per_page(view, analyse)
    plain = [
        f.seen_by(p.probe.value)
        for p in view.pages
        if p.page is not None
        for f in content._page(p, view.site, Baseline(url=HOME))
    ]

    assert found == plain
    assert len(analysed) == len({p.analysis_key for p in view.pages if p.page is not None}) < len(view.pages)
    assert any(f.kind == "content.hidden_spam" and f.probes == ("googlebot",) for f in found)


def test_it_keeps_the_per_page_checks_free_of_the_probe() -> None:
    view = _cloaked_site()
    baseline = Baseline(url=HOME)
    for page_view in view.pages:
        if page_view.page is None:
            continue
        as_desktop = replace(page_view, probe=ProbeName.DESKTOP)
        assert content._page(page_view, view.site, baseline) == content._page(as_desktop, view.site, baseline)
        assert code._page(page_view, view.site, baseline) == code._page(as_desktop, view.site, baseline)
        assert defacement._messages(page_view) == defacement._messages(as_desktop)


def test_it_learns_exactly_what_learning_page_by_page_learns() -> None:
    shared, unshared = Baseline(url=HOME), Baseline(url=HOME)
    view = _cloaked_site()

    learn(shared, view)
    learn(unshared, _unshared(view))

    assert shared.to_json() == unshared.to_json()


_VOLATILE_TOKEN = re.compile(rb"[A-Za-z0-9+/=_\-]{20,}")
_UUID_TOKEN = re.compile(rb"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")
_PIECES = [
    b"\n",
    b">",
    b"<",
    b" ",
    b"1",
    b"7",
    b"a",
    b"Q",
    b"-",
    b"abc>",
    b"A" * 19,
    b"B" * 20,
    b"x9" * 12,
    b"nha-cai-uy-tin-so-mot",
    b"9f1c2b3a-0d4e-4f5a-8b6c-7d8e9f0a1b2c",
]


def _token(match: re.Match[bytes]) -> bytes:
    run = match.group()
    volatile = any(ch in b"0123456789" for ch in run) and (b"-" not in run or _UUID_TOKEN.fullmatch(run))
    return b"" if volatile else run


def _digest(body: bytes) -> bytes:
    """The fingerprint the comparison must agree with: runs carrying a digit (unless words joined by
    hyphens, UUIDs excepted) and then all digits removed, hashed."""
    return hashlib.blake2b(_VOLATILE_TOKEN.sub(_token, body).translate(None, b"0123456789"), digest_size=16).digest()


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=30), st.lists(st.sampled_from(_PIECES), max_size=30))
def test_it_compares_bodies_exactly_like_the_fingerprint(first: list[bytes], second: list[bytes]) -> None:
    a, b = b"".join(first), b"".join(second)
    for other in (b, a.translate(bytes.maketrans(b"0123456789", b"5678901234")), a + b"1", a + b"\n"):
        assert _same_apart_from_volatile(a.split(b"\n"), other) == (_digest(a) == _digest(other))


def _reference_segments(tree: LexborHTMLParser, hidden: set[int]) -> tuple[tuple[Segment, ...], int]:
    """The walk the single-pass ``_segments`` replaced: parents looked up per text node, elements
    counted with a selector."""
    elements = len(tree.css("body *"))
    body = tree.body
    if body is None:
        return (), elements
    groups: dict[tuple[int, bool], list[str]] = {}
    for node in body.traverse(include_text=True):
        if not node.is_text_node:
            continue
        parent = node.parent
        while parent is not None and parent.tag in _INLINE and parent.parent is not None:
            parent = parent.parent
        if parent is None or parent.tag in _SKIP_TEXT:
            continue
        value = node.text_content or ""
        if not value.strip():
            continue
        key = (parent.mem_id, node.parent is not None and node.parent.mem_id in hidden)
        if key not in groups:
            if len(groups) >= MAX_SEGMENTS:
                break
            groups[key] = []
        groups[key].append(value)
    segments = tuple(
        Segment(" ".join(" ".join(parts).split())[:MAX_SEGMENT_CHARS], key[1]) for key, parts in groups.items()
    )
    return segments, elements


_HTML = [
    "<p>", "</p>", "<b>", "</b>", "<div hidden>", "</div>", "<div>", "text", " ", "\xa0", "\u200b", "\n\t",
    "<script>var a=1</script>", "<style>.x{display:none}</style>", '<span class="x">', "</span>",
    '<span style="display:none">', '<a href="/x">', "</a>", "<template>", "</template>", "<svg><g>", "</svg>",
    "<noscript>", "</noscript>", "<body>", "<table><tr><td>", "<br>", "<!-- c -->", "<textarea>", "</textarea>",
    "<frameset>", "<head>", "<title>t</title>", "<font><i>", "</i></font>", "<li>", "<select><option>o",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_HTML), max_size=40))
def test_it_groups_text_and_counts_elements_as_the_plain_walk(fragments: list[str]) -> None:
    tree = LexborHTMLParser("".join(fragments))
    hidden = _hidden_ids(tree)

    assert _segments(tree, hidden) == _reference_segments(tree, hidden)


def test_it_keeps_counting_elements_past_the_segment_limit() -> None:
    tree = LexborHTMLParser("<body>" + "<p>paragraph <b>x</b></p>" * (MAX_SEGMENTS + 200))

    segments, elements = _segments(tree, set())

    assert len(segments) == MAX_SEGMENTS
    assert (segments, elements) == _reference_segments(tree, set())


_HANDLER_HTML = ["<img src=x", " oNeRrOr=a", " onload=b", " title=onclick", ">", "<body", " ONCLICK=c", "&#111;nload=d"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_HANDLER_HTML), max_size=12))
def test_it_skips_the_event_handler_query_only_when_it_cannot_match(fragments: list[str]) -> None:
    html = "".join(fragments)
    if LexborHTMLParser(html).css(_HANDLER_SELECTOR):
        assert _may_have_handlers(html)


def test_it_still_reads_event_handlers_in_any_letter_case() -> None:
    page = parse_page('<body><img src="x.png" OnErRoR="location.href=\'https://w88vn.net/\'"></body>', HOME)

    assert any("w88vn.net" in script.code for script in page.scripts)


def test_it_treats_an_identical_body_as_the_same_page_only_at_the_same_address() -> None:
    html = _page_with("n1")
    moved = FetchResult(HOME, HOME + "other/", 200, (("Content-Type", "text/html"),), html.encode(), html, "utf-8")
    view = build_view(site(html, probes={ProbeName.GOOGLEBOT: moved}))
    home = {p.probe: p for p in view.pages if p.is_home}

    assert home[ProbeName.GOOGLEBOT].analysis_key != home[ProbeName.DESKTOP].analysis_key
    assert home[ProbeName.MOBILE].analysis_key == home[ProbeName.DESKTOP].analysis_key


def test_a_cloaked_page_differing_only_in_a_slug_link_is_not_the_visitors_page() -> None:
    visitor = b'<p>Tin t\xe1\xbb\xa9c</p><a href="/tin-tuc/2026">xem</a>'
    crawler = b'<p>Tin t\xe1\xbb\xa9c</p><a href="https://w88-vn-nha-cai-uy-tin/">xem</a>'
    nonce_a = b'<input name="__VIEWSTATE" value="dDwtMTA4MzE0MjEwNTs7Pj4A9f3k2">'
    nonce_b = b'<input name="__VIEWSTATE" value="dDwtMTA4MzE0MjEwNTs7Pj4B7q1z8">'
    assert not _same_apart_from_volatile(visitor.split(b"\n"), crawler)
    assert _same_apart_from_volatile(nonce_a.split(b"\n"), nonce_b)
