"""Parsed evidence for the checks: every fetched page parsed once, every script read once."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

from haidang.engines.common import FetchResult
from haidang.engines.scanner.evidence import PageFetch, SiteEvidence
from haidang.engines.scanner.jsscan import ScriptFacts, analyze_script
from haidang.engines.scanner.page import Page, parse_page_cached
from haidang.engines.scanner.types import ProbeName

MAX_PARSE_CHARS = 3_000_000


@dataclass(frozen=True, slots=True)
class PageView:
    url: str
    probe: ProbeName
    fetch: FetchResult
    page: Page | None  # None when the response is not an HTML page
    inline: tuple[ScriptFacts, ...]
    is_home: bool


@dataclass(frozen=True, slots=True)
class SiteView:
    evidence: SiteEvidence
    pages: tuple[PageView, ...]
    own_scripts: dict[str, tuple[FetchResult, ScriptFacts]]

    @property
    def site(self) -> str:
        return self.evidence.site

    def home(self, probe: ProbeName = ProbeName.DESKTOP) -> PageView | None:
        return next((p for p in self.pages if p.is_home and p.probe == probe), None)


def _is_html(fetch: FetchResult) -> bool:
    if not fetch.ok or not fetch.text:
        return False
    kind = (fetch.header("content-type") or "").lower()
    return "html" in kind or (not kind and "<" in fetch.text[:1000])


@lru_cache(maxsize=4096)
def _script(code: str, url: str) -> ScriptFacts:
    return analyze_script(code, url)


def _parse(text: str, url: str) -> tuple[Page, tuple[ScriptFacts, ...]]:
    page = parse_page_cached(text[:MAX_PARSE_CHARS], url)
    return page, tuple(_script(s.code, url) for s in page.scripts if s.code.strip())


_TOKEN = re.compile(rb"[A-Za-z0-9+/=_\-]{20,}")
_DIGITS = b"0123456789"


def _fingerprint(fetch: FetchResult) -> bytes:
    """The body without token-like strings and digits: equal for two probes that got the same page
    apart from counters, clocks, nonces and view-state.

    One single-class regex pass and a C-level ``translate`` for the digits: 2.4 times faster than
    one alternation regex (0.53 against 1.27 ms for a 17 KB page), and the scanner computes this
    for every probe of every page.
    """
    body = fetch.body[:MAX_PARSE_CHARS]
    return hashlib.blake2b(_TOKEN.sub(b"", body).translate(None, _DIGITS), digest_size=16).digest()


def _view(fetch_group: PageFetch, is_home: bool) -> list[PageView]:
    views: list[PageView] = []
    reference: tuple[bytes, bytes, str, Page, tuple[ScriptFacts, ...]] | None = None
    # Desktop first: other probes that received the same page reuse its analysis.
    order = sorted(fetch_group.by_probe.items(), key=lambda item: item[0] != ProbeName.DESKTOP)
    for probe, fetch in order:
        page: Page | None = None
        inline: tuple[ScriptFacts, ...] = ()
        if _is_html(fetch):
            same_url = reference is not None and reference[2] == fetch.final_url
            # Byte-identical bodies (static pages) need no fingerprint at all.
            if (
                reference is not None
                and same_url
                and (reference[1] == fetch.body or reference[0] == _fingerprint(fetch))
            ):
                page, inline = reference[3], reference[4]
            else:
                page, inline = _parse(fetch.text, fetch.final_url or fetch_group.url)
                if reference is None:
                    reference = (_fingerprint(fetch), fetch.body, fetch.final_url, page, inline)
        views.append(PageView(fetch_group.url, probe, fetch, page, inline, is_home))
    return views


def build_view(evidence: SiteEvidence) -> SiteView:
    pages = _view(evidence.home, True)
    for inner in evidence.inner:
        pages.extend(_view(inner, False))
    own = {
        url: (fetch, analyze_script(fetch.text, fetch.final_url or url))
        for url, fetch in evidence.scripts.items()
        if fetch.ok and fetch.status is not None and fetch.status < 400
    }
    return SiteView(evidence, tuple(pages), own)
