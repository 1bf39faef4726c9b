"""The corpus object: sites with labelled runs, rendered lazily and cached per (site, run)."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .manifest import manifest_dict
from .model import Site
from .render import render_state
from .scenario import plan_sites
from .state import SiteState


@dataclass(frozen=True)
class Corpus:
    seed: int
    sites: tuple[Site, ...]
    _cache: dict[tuple[str, int], SiteState] = field(default_factory=dict, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def site(self, site_id: str) -> Site:
        for site in self.sites:
            if site.site_id == site_id:
                return site
        raise KeyError(site_id)

    @property
    def max_runs(self) -> int:
        return max(len(site.runs) for site in self.sites)

    def render(self, site_id: str, run: int) -> SiteState:
        """What `site_id` serves in `run` (pure function of seed, site and run; cached)."""
        key = (site_id, run)
        with self._lock:
            state = self._cache.get(key)
        if state is None:
            state = render_state(self.site(site_id), run)
            with self._lock:
                self._cache[key] = state
        return state

    def manifest(self, urls: dict[str, str] | None = None) -> dict[str, Any]:
        return manifest_dict(self, urls)

    def write_manifest(self, path: str | Path, urls: dict[str, str] | None = None) -> None:
        """Labels as JSON (ids, templates, labels, techniques, affected paths); `urls` adds served URLs."""
        text = json.dumps(self.manifest(urls), ensure_ascii=False, indent=1, sort_keys=False)
        Path(path).write_text(text + "\n", encoding="utf-8")


def build_corpus(seed: int = 7, sites: int | None = None) -> Corpus:
    """The labelled corpus for `seed` (same seed → same sites, labels and bytes); `sites` truncates it."""
    return Corpus(seed=seed, sites=plan_sites(seed, sites))
