"""The plan: which site plays which role, its runs, its labels. Deterministic from the seed."""

from __future__ import annotations

import random

from .catalogue import CATALOGUE
from .hardneg import HARD_NEGATIVES
from .identity import KINDS, Identity, ascii_slug, make_identity, tamper_identity
from .model import CLEAN, COMPROMISED, DOWN, VISIBLE_TO, Attack, Run, RunPlan, Site
from .techniques import Spec, build_attack
from .templates import KIND_TEMPLATES, TEMPLATES
from .templates.base import EMBEDS, RunModel
from .timeline import BIG_CHANGES, SiteSeed, evolve, pick_pattern, run_date, with_identity

HARDNEG_KIND = {
    "hardneg.police_gambling_bust": "police",
    "hardneg.lottery_results": "lottery",
    "hardneg.sports_betting_warning": "sports",
    "hardneg.scam_warning": "police",
    "hardneg.casino_law": "department",
    "hardneg.school_game_club": "school",
    "hardneg.crypto_fintech": "department",
}
CLEAN_SITES = 24
KIND_WEIGHTS = (30, 18, 12, 15, 4, 5, 7, 9)  # same order as identity.KINDS
DOWN_KINDS = ("http_5xx", "hang", "refused")
MAX_SITES = 248  # hosts 127.0.0.2 … 127.0.0.249; 250–254 are attacker origins


def _roles(rng: random.Random) -> list[tuple[str, object]]:
    roles: list[tuple[str, object]] = [("hardneg", code) for code in HARD_NEGATIVES for _ in range(2)]
    roles += [("clean", None)] * CLEAN_SITES
    roles += [("down", kind) for kind in DOWN_KINDS for _ in range(3)]
    roles += [("attack", spec) for spec in CATALOGUE]
    rng.shuffle(roles)
    return roles


def _traits(rng: random.Random, template: str) -> tuple[str, ...]:
    traits = []
    roll = rng.random()
    if roll < 0.06:
        traits.append("windows_1258")
    elif roll < 0.11:
        traits.append("invalid_utf8")
    for name, p in (("huge_dom", 0.03), ("malformed_html", 0.07), ("gzip", 0.4), ("dynamic_counter", 0.3)):
        if rng.random() < p:
            traits.append(name)
    if rng.random() < (0.5 if template == "dnn" else 0.12) and template not in ("liferay",):
        traits.append("session_ids")
    if rng.random() < 0.2:
        traits.append("dynamic_clock")
    if rng.random() < 0.4:
        traits.append("rotating_banner")
    return tuple(traits)


def _kind_for(rng: random.Random, role: str, arg: object) -> str:
    if role == "hardneg":
        return HARDNEG_KIND[str(arg)]
    if isinstance(arg, Spec) and arg.family == "tamper" and arg.variant == "bank_account":
        return rng.choice(("lottery", "hospital", "school", "department"))
    return rng.choices(KINDS, weights=KIND_WEIGHTS)[0]


def _big_changes(rng: random.Random, runs: int, template: str, queue: list[str]) -> dict[int, str]:
    if rng.random() < 0.45:
        return {}
    change = queue.pop(0)
    queue.append(change)
    if change == "benign.root_redirect" and template == "liferay":
        change = "benign.new_page"
    return {rng.randint(1, runs - 1): change}


def resolve(model: RunModel, page: str) -> tuple[str, ...]:
    """Logical page name → served paths for this run."""
    tpl = TEMPLATES[model.template]
    if page.startswith("/"):
        return (page,)
    if page == "all":
        return tuple(p.path for p in tpl.pages(model))
    single = {
        "home": tpl.home,
        "featured": lambda m: tpl.article(m, m.featured[0]),
        "intro": tpl.intro,
        "contact": tpl.contact,
        "js": tpl.js_path,
    }
    return (single[page](model),)


def _label(r: int, plan: RunPlan, changes: tuple[str, ...]) -> Run:
    day = run_date(plan.model)
    if plan.down:
        return Run(
            r,
            DOWN,
            (f"down.{plan.down}",),
            (TEMPLATES[plan.model.template].home(plan.model),),
            VISIBLE_TO["any"],
            (),
            changes,
            day,
        )
    if not plan.attacks:
        return Run(r, CLEAN, (), (), (), (), changes, day)
    techniques = tuple(dict.fromkeys(t for a in plan.attacks for t in a.techniques))
    paths = tuple(dict.fromkeys(p for a in plan.attacks for page in a.pages for p in resolve(plan.model, page)))
    visible = tuple(dict.fromkeys(v for a in plan.attacks for v in a.visible_to))
    evidence = tuple(dict.fromkeys(e for a in plan.attacks for e in a.evidence))
    return Run(r, COMPROMISED, techniques, paths, visible, evidence, changes, day)


def _tamper_attack(rng: random.Random, spec: Spec, seed: SiteSeed) -> tuple[Attack, Identity]:
    field_name = {"bank_account": "bank"}.get(spec.variant, spec.variant)
    new_identity, evidence = tamper_identity(rng, seed.identity, field_name)
    # phone and e-mail are in every page's footer; the bank account only on the contact page
    pages = ("contact",) if field_name == "bank" else ("home", "contact")
    attack = Attack((f"tamper.{spec.variant}",), (), pages, VISIBLE_TO["any"], (evidence,), tamper=spec.variant)
    return attack, new_identity


def _down_plans(rng: random.Random, kind: str, models: list[RunModel]) -> list[RunPlan]:
    down_runs = set(rng.sample(range(len(models)), rng.choice((1, 1, 2))))
    status = rng.choice((500, 502, 503, 504))
    return [RunPlan(m, down=kind if r in down_runs else None, down_status=status) for r, m in enumerate(models)]


def _attack_plans(rng: random.Random, spec: Spec, seed: SiteSeed, models: list[RunModel]) -> list[RunPlan]:
    shape = rng.choices(("initial", "later", "repaired", "recurring"), weights=(35, 30, 20, 15))[0]
    if spec.family == "tamper" and shape == "initial":
        shape = "later"  # a changed phone number is only visible against what the site showed before
    pattern = pick_pattern(rng, shape, len(models))
    if spec.family == "tamper":
        attack, identity = _tamper_attack(rng, spec, seed)
        return [
            RunPlan(with_identity(m, identity), (attack,)) if p == "C" else RunPlan(m)
            for m, p in zip(models, pattern, strict=True)
        ]
    attack = build_attack(rng, spec, seed.identity)
    return [RunPlan(m, (attack,) if p == "C" else ()) for m, p in zip(models, pattern, strict=True)]


def _plans(rng: random.Random, role: str, arg: object, seed: SiteSeed, models: list[RunModel]) -> list[RunPlan]:
    if role == "down":
        return _down_plans(rng, str(arg), models)
    if role == "attack":
        assert isinstance(arg, Spec)
        return _attack_plans(rng, arg, seed, models)
    return [RunPlan(m) for m in models]


def plan_sites(seed: int, count: int | None = None) -> tuple[Site, ...]:
    """Every site of the corpus with its runs and labels."""
    rng = random.Random(f"haidang-corpus:{seed}")  # noqa: S311 - reproducible test data, not security
    roles = _roles(rng)
    if count is not None:
        roles = roles[:count]
    if len(roles) > MAX_SITES:
        raise ValueError(f"at most {MAX_SITES} sites fit on 127.0.0.x")
    queue = list(BIG_CHANGES)
    sites = []
    for index, (role, arg) in enumerate(roles):
        srng = random.Random(f"haidang-corpus:{seed}:{index}")  # noqa: S311 - reproducible test data
        kind = _kind_for(srng, role, arg)
        template = srng.choice(KIND_TEMPLATES[kind])
        spec = arg if isinstance(arg, Spec) else None
        with_bank = (spec is not None and spec.variant == "bank_account") or srng.random() < 0.35
        identity = make_identity(srng, kind, with_bank)
        embeds = tuple(e for e in EMBEDS if srng.random() < 0.3 and e not in ("fb_page", "youtube"))
        hard = (str(arg),) if role == "hardneg" else ()
        if role == "clean" and srng.random() < 0.2:
            hard = (srng.choice(HARD_NEGATIVES),)
        site_id = f"s{index:03d}-{template}-{ascii_slug(identity.org_name)[:28].rstrip('-')}"
        seed_data = SiteSeed(
            site_id,
            kind,
            template,
            identity,
            _traits(srng, template),
            embeds,
            hard,
            pinned=spec is not None and spec.page == "featured",
        )
        runs = srng.randint(3, 5)
        evolved = evolve(srng, seed_data, runs, _big_changes(srng, runs, template, queue))
        models = [m for m, _ in evolved]
        plans = _plans(srng, role, arg, seed_data, models)
        labels = tuple(_label(r, plan, evolved[r][1]) for r, plan in enumerate(plans))
        traits = seed_data.traits + (("root_redirect",) if template == "liferay" else ())
        sites.append(
            Site(site_id, index, f"127.0.0.{index + 2}", kind, template, identity, traits, hard, labels, tuple(plans))
        )
    return tuple(sites)
