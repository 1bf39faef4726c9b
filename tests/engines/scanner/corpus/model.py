"""Public types of the corpus: probes, labelled runs, sites, and the internal plan a run renders from."""

from __future__ import annotations

from dataclasses import dataclass, field

from .identity import Identity
from .templates.base import RunModel

CLEAN, COMPROMISED, DOWN = "clean", "compromised", "down"


@dataclass(frozen=True)
class Probe:
    """One of the clients the scanner issue names; the server decides what to serve from these headers only."""

    name: str
    user_agent: str
    referer: str | None = None


_CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
PROBES: dict[str, Probe] = {
    p.name: p
    for p in (
        Probe("desktop", _CHROME),
        Probe(
            "mobile",
            "Mozilla/5.0 (Linux; Android 14; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/124.0 Mobile Safari/537.36",
        ),
        Probe("googlebot", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
        Probe("bingbot", "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)"),
        Probe("referer_google", _CHROME, "https://www.google.com/"),
        Probe("referer_google_vn", _CHROME, "https://www.google.com.vn/"),
    )
}

# which probes see content served under each server-side condition
VISIBLE_TO: dict[str, tuple[str, ...]] = {
    "any": tuple(PROBES),
    "googlebot": ("googlebot",),
    "bingbot": ("bingbot",),
    "crawlers": ("googlebot", "bingbot"),
    "search_referer": ("referer_google", "referer_google_vn"),
    "mobile": ("mobile",),
}


@dataclass(frozen=True)
class Op:
    """One edit an attack makes to a rendered site. `page` is logical: home, all, intro, contact, featured, js."""

    kind: str  # insert | title | replace | redirect | append_asset | add_page
    page: str
    cond: str = "any"
    marker: str = ""
    html: str = ""
    status: int = 0
    location: str = ""
    title: str = ""
    description: str = ""
    keywords: str = ""


@dataclass(frozen=True)
class Attack:
    techniques: tuple[str, ...]
    ops: tuple[Op, ...]
    pages: tuple[str, ...]
    visible_to: tuple[str, ...]
    evidence: tuple[str, ...]
    tamper: str | None = None


@dataclass(frozen=True)
class RunPlan:
    """What a site serves in one run: a benign model plus attacks, or a failure mode."""

    model: RunModel
    attacks: tuple[Attack, ...] = ()
    down: str | None = None  # http_5xx | hang | refused
    down_status: int = 0


@dataclass(frozen=True)
class Run:
    """The label of one site in one run (all the scanner is judged against)."""

    index: int
    label: str  # clean | compromised | down
    techniques: tuple[str, ...]
    affected_paths: tuple[str, ...]
    visible_to: tuple[str, ...]
    evidence: tuple[str, ...]
    benign_changes: tuple[str, ...]
    date: str


@dataclass(frozen=True)
class Site:
    site_id: str
    index: int
    host: str
    kind: str
    template: str
    identity: Identity
    traits: tuple[str, ...]
    hard_negatives: tuple[str, ...]
    runs: tuple[Run, ...]
    plans: tuple[RunPlan, ...] = field(repr=False, compare=False, default=())

    @property
    def compromised_from_start(self) -> bool:
        return bool(self.runs) and self.runs[0].label == COMPROMISED
