"""How an honest site changes between runs (benign changes), and the shapes of compromise over time."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from .content import Article, lottery_results, make_article, schedule_rows, vn_date
from .hardneg import make_hard_negative
from .identity import Identity
from .templates.base import EMBEDS, RunModel

BIG_CHANGES = (
    "benign.redesign",
    "benign.new_embed_youtube",
    "benign.new_embed_facebook",
    "benign.new_page",
    "benign.https_redirect",
    "benign.root_redirect",
    "benign.removed_page",
)
BENIGN_CHANGES = (
    "benign.new_article",
    "benign.date_clock",
    "benign.visitor_counter",
    "benign.schedule_update",
    "benign.rotating_banner",
    "benign.tokens_per_request",
    "benign.session_ids",
    "benign.reordered_featured",
    *BIG_CHANGES,
)
# per-request noise: site trait → benign code listed in every run of such a site
REQUEST_NOISE = {
    "session_ids": "benign.session_ids",
    "rotating_banner": "benign.rotating_banner",
    "dynamic_counter": "benign.visitor_counter",
    "dynamic_clock": "benign.date_clock",
}

# compromise shapes: C = compromised, . = clean (D = down is added separately)
PATTERNS: dict[str, tuple[str, ...]] = {
    "initial": ("CCC", "CCCC", "CC.", "CCC.", "CCCCC", "C.C"),
    "later": (".CC", "..CC", ".CCC", "..CCC", "...CC"),
    "repaired": ("CC.", ".CC.", ".CC..", "..CC."),
    "recurring": ("C.C", ".C.C", ".CC.C", ".C.CC"),
}


@dataclass(frozen=True)
class SiteSeed:
    """The stable parts of a site from which each run's RunModel is derived."""

    site_id: str
    kind: str
    template: str
    identity: Identity
    traits: tuple[str, ...]
    embeds: tuple[str, ...]
    hard_negatives: tuple[str, ...]
    pinned: bool


@dataclass
class _Evolving:
    """The parts of a site that a big benign change switches, kept across later runs."""

    embeds: tuple[str, ...]
    theme: int = 0
    extra: bool = False
    root: str | None = None
    https: bool = False


def pick_pattern(rng: random.Random, shape: str, runs: int) -> str:
    return rng.choice([p for p in PATTERNS[shape] if len(p) == runs])


def _new_articles(
    rng: random.Random, seed: SiteSeed, *, first_aid: int, count: int, start: date, end: date
) -> list[Article]:
    out = []
    span = max((end - start).days, 1)
    for i in range(count):
        day = start + timedelta(days=rng.randint(1, span))
        out.append(make_article(rng, first_aid + i, seed.kind, seed.identity, day))
    return out


def evolve(
    rng: random.Random, seed: SiteSeed, runs: int, big: dict[int, str]
) -> list[tuple[RunModel, tuple[str, ...]]]:
    """RunModels for each run and the benign changes that run shows relative to the previous one."""
    start = date(2025, 3, 3) + timedelta(days=7 * rng.randint(0, 20))
    aid = rng.randint(120, 4800)
    articles = _new_articles(
        rng, seed, first_aid=aid, count=rng.randint(7, 9), start=start - timedelta(days=60), end=start
    )
    aid += len(articles)
    for code in seed.hard_negatives:
        articles.append(make_hard_negative(rng, code, aid, seed.identity, start - timedelta(days=rng.randint(1, 20))))
        aid += 1
    articles.sort(key=lambda a: (a.day, a.aid), reverse=True)
    pinned = next(a for a in articles if a.hard_negative is None) if seed.pinned else None
    noise = tuple(sorted({"benign.tokens_per_request", *(REQUEST_NOISE[t] for t in seed.traits if t in REQUEST_NOISE)}))
    counter = rng.randint(100_000, 5_000_000)
    state = _Evolving(embeds=seed.embeds)
    out: list[tuple[RunModel, tuple[str, ...]]] = []
    for r in range(runs):
        day = start + timedelta(days=7 * r)
        changes = list(noise)
        if r:
            changes += ["benign.date_clock", "benign.visitor_counter", "benign.schedule_update"]
            fresh = _new_articles(
                rng, seed, first_aid=aid, count=rng.randint(0, 3), start=day - timedelta(days=7), end=day
            )
            if seed.hard_negatives and r == runs - 1:
                fresh.append(make_hard_negative(rng, seed.hard_negatives[0], aid + len(fresh), seed.identity, day))
            aid += len(fresh)
            if fresh:
                changes.append("benign.new_article")
                articles = sorted(fresh + articles, key=lambda a: (a.day, a.aid), reverse=True)
            if "rotating_banner" not in seed.traits:
                changes.append("benign.rotating_banner")
            counter += rng.randint(2_000, 30_000)
        change = big.get(r)
        if change:
            articles = _apply_big(change, state, seed, articles, pinned)
            changes.append(change)
        pool = [a for a in articles[:8] if a is not pinned]
        featured = rng.sample(pool, 3 - (pinned is not None))
        if r and rng.random() < 0.6:
            changes.append("benign.reordered_featured")
        else:
            featured = sorted(featured, key=lambda a: a.aid, reverse=True)
        if pinned is not None:
            featured = [pinned, *featured]
        monday = day - timedelta(days=day.weekday())
        model = RunModel(
            site_id=seed.site_id,
            kind=seed.kind,
            template=seed.template,
            theme=state.theme,
            identity=seed.identity,
            day=day,
            articles=tuple(articles),
            featured=tuple(featured),
            counter=counter,
            banner=r % 5 + 1,
            embeds=state.embeds,
            features=seed.traits + (("https",) if state.https else ()),
            extra_page=state.extra,
            root_redirect=state.root,
            lottery=tuple(lottery_results(rng, day)) if seed.kind == "lottery" else (),
            schedule=tuple(schedule_rows(rng, seed.identity, monday)),
        )
        out.append((model, tuple(dict.fromkeys(changes))))
    return out


def _apply_big(
    change: str, state: _Evolving, seed: SiteSeed, articles: list[Article], pinned: Article | None
) -> list[Article]:
    if change == "benign.redesign":
        state.theme = 1
    elif change == "benign.new_embed_youtube":
        state.embeds = tuple(e for e in EMBEDS if e in (*seed.embeds, "youtube"))
    elif change == "benign.new_embed_facebook":
        state.embeds = tuple(e for e in EMBEDS if e in (*seed.embeds, "fb_sdk", "fb_page"))
    elif change == "benign.new_page":
        state.extra = True
    elif change == "benign.https_redirect":
        state.https = True
    elif change == "benign.root_redirect":
        state.root = "/vi/" if seed.template == "nukeviet" else "/portal/"
    elif change == "benign.removed_page":
        victim = next(a for a in reversed(articles) if a is not pinned and a.hard_negative is None)
        return [a for a in articles if a is not victim]
    return articles


def with_identity(model: RunModel, identity: Identity) -> RunModel:
    return replace(model, identity=identity)


def run_date(model: RunModel) -> str:
    return vn_date(model.day)
