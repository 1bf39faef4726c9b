"""What the server holds for one site in one run: routes with per-client variants, already encoded."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

CONDITIONS = ("googlebot", "bingbot", "crawlers", "search_referer", "mobile", "any")
SEARCH_REFERER_HOSTS = frozenset({"google.com", "www.google.com", "google.com.vn", "www.google.com.vn"})
MOBILE_TOKENS = ("mobile", "android", "iphone", "ipad")


@dataclass(frozen=True)
class Response:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    hang: bool = False


@dataclass(frozen=True)
class Route:
    """Variants in match order; the last one has condition "any"."""

    variants: tuple[tuple[str, Response], ...]


@dataclass(frozen=True)
class SiteState:
    routes: dict[str, Route]
    fallback: Response
    refused: bool = False
    https_redirect: bool = False
    gzip: bool = False


def matches(cond: str, user_agent: str, referer: str) -> bool:
    """Does a request with these headers fall under a cloaking condition (as a cloaking kit would judge it)?"""
    ua = user_agent.lower()
    google = "googlebot" in ua
    bing = "bingbot" in ua or "msnbot" in ua
    crawler = google or bing
    tests = {
        "any": True,
        "googlebot": google,
        "bingbot": bing,
        "crawlers": crawler,
        # kits keep crawlers out of visitor-only tricks so the search engine never sees the redirect
        "mobile": not crawler and any(tok in ua for tok in MOBILE_TOKENS),
        "search_referer": not crawler and (urlsplit(referer).hostname or "") in SEARCH_REFERER_HOSTS,
    }
    return tests[cond]


def select(route: Route, user_agent: str, referer: str) -> Response:
    for cond, response in route.variants:
        if matches(cond, user_agent, referer):
            return response
    return route.variants[-1][1]
