"""Parsed evidence for the checks: every fetched page parsed once, every script read once."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from haidang.engines.common import FetchResult
from haidang.engines.scanner.evidence import PageFetch, SiteEvidence
from haidang.engines.scanner.jsscan import ScriptFacts, analyze_script
from haidang.engines.scanner.page import Page, parse_page_cached
from haidang.engines.scanner.types import Finding, ProbeName

MAX_PARSE_CHARS = 3_000_000


@dataclass(frozen=True, slots=True)
class PageView:
    url: str
    probe: ProbeName
    fetch: FetchResult
    page: Page | None  # None when the response is not an HTML page
    inline: tuple[ScriptFacts, ...]
    is_home: bool

    @property
    def analysis_key(self) -> tuple[int, int, str, bool]:
        """Equal for two views of one scan that every per-page check judges alike.

        Per-page findings depend only on the parsed page, its inline scripts, the URL and whether it is
        the home page (never on the probe, which is only recorded). Probes whose responses share one
        analysis (``_view``) share the very same objects, so their identity is the key; the objects
        outlive every use because the SiteView holds them.
        """
        return id(self.page), id(self.inline), self.url, self.is_home


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


def per_page(view: SiteView, analyse: Callable[[PageView], list[Finding]]) -> list[Finding]:
    """``analyse`` every parsed page, each distinct analysis once; findings recorded per probe.

    The same as calling ``analyse`` for every page view in order: ``analyse`` must depend on nothing
    of the view but what :attr:`PageView.analysis_key` covers (page, inline scripts, URL, home).
    """
    findings: list[Finding] = []
    done: dict[tuple[int, int, str, bool], list[Finding]] = {}
    for page_view in view.pages:
        if page_view.page is None:
            continue
        key = page_view.analysis_key
        found = done.get(key)
        if found is None:
            found = done[key] = analyse(page_view)
        findings.extend(f.seen_by(page_view.probe.value) for f in found)
    return findings


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
_UUID = re.compile(rb"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_DIGITS = b"0123456789"


def _volatile_run(match: re.Match[bytes]) -> bytes:
    """A token-like run is volatile (dropped) when it carries a digit and is not words joined by hyphens.

    Nonces, hashes, base64 view-state and UUIDs are dropped; a slug or a host name such as
    ``nha-cai-uy-tin-so-mot`` or ``w88-vn-dang-ky-2024`` is kept, so a cloaked page that differs from
    the visitor's only in such a link is still analysed on its own. Keeping a run errs on the safe
    side: the probe's page is parsed separately, which costs time, never a finding.
    """
    run = match.group()
    if run.translate(None, _DIGITS) == run:  # no digit: an identifier or a word, not a nonce
        return run
    if b"-" in run and not _UUID.fullmatch(run):
        return run
    return b""


def _without_volatile(data: bytes) -> bytes:
    """``data`` without volatile token-like strings (:func:`_volatile_run`) and digits: counters, clocks,
    nonces and view-state. Applied only to the pieces of two bodies that differ, so its cost is small.
    """
    return _TOKEN.sub(_volatile_run, data).translate(None, _DIGITS)


def _same_apart_from_volatile(lines: list[bytes], other: bytes) -> bool:
    """Whether a body split at newlines (``lines``) and ``other`` are the same page apart from volatile
    parts: equal after :func:`_without_volatile` (what the digest it replaced compared), transforming
    only the pieces that are not byte-identical — for a page that differs in a nonce and a counter,
    two tags' worth instead of the whole body.

    Exact: a newline or ``>`` is neither a token character nor a digit, so no removed run crosses one
    and the transform maps each piece on its own while keeping every separator. Two transformed bodies
    are therefore equal exactly when they have as many pieces and each pair transforms alike.
    """
    return _same_pieces(lines, other.split(b"\n"), _same_line)


def _same_line(line: bytes, other: bytes) -> bool:
    return _same_pieces(line.split(b">"), other.split(b">"), _same_piece)


def _same_piece(piece: bytes, other: bytes) -> bool:
    return _without_volatile(piece) == _without_volatile(other)


def _same_pieces(pieces: list[bytes], others: list[bytes], differing: Callable[[bytes, bytes], bool]) -> bool:
    if len(pieces) != len(others):
        return False
    return all(a == b or differing(a, b) for a, b in zip(pieces, others, strict=True))


def _view(fetch_group: PageFetch, is_home: bool) -> list[PageView]:
    views: list[PageView] = []
    reference: _Reference | None = None
    # Desktop first: other probes that received the same page reuse its analysis.
    order = sorted(fetch_group.by_probe.items(), key=lambda item: item[0] != ProbeName.DESKTOP)
    for probe, fetch in order:
        page: Page | None = None
        inline: tuple[ScriptFacts, ...] = ()
        if _is_html(fetch):
            if reference is not None and reference.matches(fetch):
                page, inline = reference.page, reference.inline
            else:
                page, inline = _parse(fetch.text, fetch.final_url or fetch_group.url)
                if reference is None:
                    reference = _Reference(fetch, page, inline)
        views.append(PageView(fetch_group.url, probe, fetch, page, inline, is_home))
    return views


class _Reference:
    """The first analysed response of a page, against which the other probes' responses are compared."""

    __slots__ = ("_lines", "fetch", "inline", "page")

    def __init__(self, fetch: FetchResult, page: Page, inline: tuple[ScriptFacts, ...]) -> None:
        self.fetch, self.page, self.inline = fetch, page, inline
        self._lines: list[bytes] | None = None  # split only once a body is not byte-identical

    def matches(self, other: FetchResult) -> bool:
        """Same final URL, and the same body apart from counters, clocks, nonces and view-state."""
        if self.fetch.final_url != other.final_url:
            return False
        if self.fetch.body == other.body:
            return True
        if self._lines is None:
            self._lines = self.fetch.body[:MAX_PARSE_CHARS].split(b"\n")
        return _same_apart_from_volatile(self._lines, other.body[:MAX_PARSE_CHARS])


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
