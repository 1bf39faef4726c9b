"""Build scanner evidence from recorded pages (tests/engines/scanner/data/) without any network."""

from __future__ import annotations

from pathlib import Path

from haidang.engines.common import FetchError, FetchResult, RedirectHop
from haidang.engines.scanner.evidence import PageFetch, SiteEvidence
from haidang.engines.scanner.probes import HOME_PROBES, INNER_PROBES
from haidang.engines.scanner.sites import site_of
from haidang.engines.scanner.types import ProbeName

DATA = Path(__file__).parent / "data"
HOME = "http://portal.example.gov.vn/"


def recorded(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def response(
    url: str, html: str, *, status: int = 200, final: str = "", chain: tuple[RedirectHop, ...] = ()
) -> FetchResult:
    body = html.encode("utf-8")
    headers = (("Content-Type", "text/html; charset=utf-8"),)
    return FetchResult(url, final or url, status, headers, body, html, "utf-8", chain)


def down(url: str, error: FetchError = FetchError.CONNECTION_REFUSED) -> FetchResult:
    return FetchResult(url, url, error=error, error_detail="test")


def site(
    home: str,
    *,
    url: str = HOME,
    probes: dict[ProbeName, FetchResult] | None = None,
    inner: dict[str, str] | None = None,
    scripts: dict[str, str] | None = None,
) -> SiteEvidence:
    """Evidence where every probe got ``home`` unless ``probes`` overrides some of them."""
    by_probe = {probe: response(url, home) for probe in HOME_PROBES}
    by_probe.update(probes or {})
    pages = tuple(
        PageFetch(page_url, {probe: response(page_url, html) for probe in INNER_PROBES})
        for page_url, html in (inner or {}).items()
    )
    js = {
        u: FetchResult(u, u, 200, (("Content-Type", "application/javascript"),), c.encode(), c)
        for u, c in (scripts or {}).items()
    }
    return SiteEvidence(url, site_of(url), PageFetch(url, by_probe), pages, js)
