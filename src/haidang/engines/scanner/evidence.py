"""Everything fetched for one site in one scan (the output of *retrieve*, the input of *evaluate*)."""

from __future__ import annotations

from dataclasses import dataclass, field

from haidang.engines.common import FetchResult
from haidang.engines.scanner.types import ProbeName


@dataclass(frozen=True, slots=True)
class PageFetch:
    """One URL as each probe saw it."""

    url: str
    by_probe: dict[ProbeName, FetchResult]


@dataclass(frozen=True, slots=True)
class SiteEvidence:
    url: str  # as given
    site: str  # registrable domain (or IP) of the URL
    home: PageFetch
    inner: tuple[PageFetch, ...] = ()
    scripts: dict[str, FetchResult] = field(default_factory=dict)  # the site's own JavaScript files

    @property
    def desktop_home(self) -> FetchResult:
        return self.home.by_probe[ProbeName.DESKTOP]
