"""Retrieve: fetch a site's home page as every probe, then its inner pages and own scripts (I/O only)."""

from __future__ import annotations

import asyncio
import re
from functools import lru_cache
from urllib.parse import urlsplit, urlunsplit

from haidang.engines.common import Fetcher, FetchResult
from haidang.engines.scanner.baseline import Baseline
from haidang.engines.scanner.evidence import PageFetch, SiteEvidence
from haidang.engines.scanner.page import parse_page_cached
from haidang.engines.scanner.probes import HOME_PROBES, INNER_PROBES, PROBES
from haidang.engines.scanner.sites import host_of, site_of
from haidang.engines.scanner.spam import score_text
from haidang.engines.scanner.types import ProbeName, ScanOptions

MAX_PARSE_CHARS = 3_000_000
_ASSET = re.compile(
    r"\.(?:jpe?g|png|gif|webp|svg|ico|bmp|pdf|docx?|xlsx?|pptx?|zip|rar|7z|gz|mp[34]|avi|mov|wmv|css|js|xml|rss)$",
    re.IGNORECASE,
)
_SESSION = re.compile(r"/\(S\([^)]*\)\)|;jsessionid=[^/?#]*|(?<=[?&])(?:phpsessid|sid|sessionid)=[^&#]*", re.IGNORECASE)


@lru_cache(maxsize=16384)  # every link of two home-page probes, then learning: mostly repeats
def path_key(url: str) -> str:
    """A page's identity across scans: path and query without session tokens."""
    parts = urlsplit(_SESSION.sub("", url))
    return urlunsplit(("", "", parts.path or "/", parts.query, ""))


async def _fetch_as(fetcher: Fetcher, url: str, probes: tuple[ProbeName, ...]) -> PageFetch:
    results = await asyncio.gather(
        *(fetcher.fetch(url, user_agent=PROBES[p].user_agent, headers=PROBES[p].headers()) for p in probes)
    )
    return PageFetch(url, dict(zip(probes, results, strict=True)))


def home_reachable(result: FetchResult) -> bool:
    return result.ok and result.status is not None and result.status < 500


def _inner_candidates(home: PageFetch, baseline: Baseline, limit: int) -> list[str]:
    """Same-host pages linked from the home page: spam-looking hidden links first, then document order."""
    ranked: dict[str, tuple[int, int]] = {}
    home_key = None
    for probe in (ProbeName.DESKTOP, ProbeName.GOOGLEBOT):
        result = home.by_probe.get(probe)
        if result is None or not home_reachable(result) or not result.text:
            continue
        final = result.final_url or home.url
        home_key = home_key or path_key(final)
        page = parse_page_cached(result.text[:MAX_PARSE_CHARS], final)
        for order, link in enumerate(page.links):
            url = link.url.split("#", 1)[0]
            if link.host != host_of(final) or _is_asset(url) or path_key(url) == home_key:
                continue
            # Hidden links with spam-looking text lead to planted pages: fetch those first. Then the
            # home page's own order, which puts the menu and the latest articles first.
            rank = 0 if link.hidden and score_text(link.text).category else 1
            if url not in ranked or ranked[url] > (rank, order):
                ranked[url] = (rank, order)
    chosen: list[str] = []
    seen: set[str] = set()
    for url, _rank in sorted(ranked.items(), key=lambda item: item[1]):
        if path_key(url) in seen:
            continue
        seen.add(path_key(url))
        chosen.append(url)
        if len(chosen) >= limit:
            break
    return chosen


@lru_cache(maxsize=16384)
def _is_asset(url: str) -> bool:
    return bool(_ASSET.search(urlsplit(url).path))


def _own_script_urls(home: PageFetch, site: str, limit: int) -> list[str]:
    result = home.by_probe[ProbeName.DESKTOP]
    if not result.text:
        return []
    page = parse_page_cached(result.text[:MAX_PARSE_CHARS], result.final_url or home.url)
    urls = [s.src for s in page.scripts if s.src and site_of(s.src) == site and "jquery" not in s.src.lower()]
    return list(dict.fromkeys(urls))[:limit]


async def retrieve_site(url: str, fetcher: Fetcher, options: ScanOptions, baseline: Baseline) -> SiteEvidence:
    """Fetch what the checks need for ``url``. Never raises for anything the site does."""
    site = site_of(url)
    home = await _fetch_as(fetcher, url, HOME_PROBES)
    if not home_reachable(home.by_probe[ProbeName.DESKTOP]):
        return SiteEvidence(url, site, home)
    inner_urls = _inner_candidates(home, baseline, options.inner_pages)
    script_urls = _own_script_urls(home, site, options.own_scripts)
    desktop = PROBES[ProbeName.DESKTOP]
    inner, scripts = await asyncio.gather(
        asyncio.gather(*(_fetch_as(fetcher, u, INNER_PROBES) for u in inner_urls)),
        asyncio.gather(*(fetcher.fetch(u, user_agent=desktop.user_agent) for u in script_urls)),
    )
    return SiteEvidence(url, site, home, tuple(inner), dict(zip(script_urls, scripts, strict=True)))
