"""Defacement: a defacer's message, the organisation's identity gone, or the page's structure collapsed."""

from __future__ import annotations

import re

from haidang.engines.scanner.baseline import Baseline
from haidang.engines.scanner.snippets import clip, join
from haidang.engines.scanner.spam import defacement_score
from haidang.engines.scanner.textnorm import fold, tokens
from haidang.engines.scanner.types import Finding, Severity
from haidang.engines.scanner.view import PageView, SiteView, per_page

_HANDLE = re.compile(r"(?<![\w.])@[A-Za-z0-9_]{3,32}\b")
_STOP = frozenset(
    [
        "va",
        "cua",
        "cac",
        "cho",
        "the",
        "la",
        "trong",
        "tai",
        "tren",
        "voi",
        "thong",
        "tin",
        "trang",
        "chu",
        "cong",
        "dien",
        "tu",
    ]
)


def identity_tokens(text: str) -> set[str]:
    return {t for t in tokens(fold(text)) if len(t) > 1 and t not in _STOP and not t.isdigit()}


def _messages(view: PageView) -> list[Finding]:
    page = view.page
    assert page is not None  # noqa: S101
    boasts = []
    for text in (page.title, *(s.text for s in page.segments)):
        if len(text) > 1500:
            continue  # an article about an attack, not a defacer's banner
        score = defacement_score(text)
        if score.boasting:
            boasts.append(f"{clip(text, 120)} [{', '.join((*score.signatures, *score.taunts)[:3])}]")
    for text in page.overlays:
        # A box covering the whole page that names someone (a handle, a Telegram account) or taunts.
        score = defacement_score(text)
        if score.signatures or score.taunts or score.leet or _HANDLE.search(text):
            boasts.append(f"lớp phủ toàn trang: {clip(text, 120)}")
    if not boasts:
        return []
    title = "Trang bị thay đổi giao diện (deface): có thông điệp của tin tặc"
    return [Finding("defacement.message", Severity.CRITICAL, title, join(boasts), view.url)]


def _compared(view: PageView, baseline: Baseline) -> list[Finding]:
    page = view.page
    if page is None or not baseline.established or not view.is_home:
        return []
    findings = []
    known = set(baseline.identity)
    present = identity_tokens(f"{page.identity} {page.title} {page.text[:20000]}")
    kept = len(known & present) / len(known) if known else 1.0
    if known and kept < 0.34:
        missing = sorted(known - present)[:8]
        title = "Tên, biểu trưng của cơ quan biến mất khỏi trang"
        findings.append(Finding("defacement.identity_gone", Severity.HIGH, title, clip(" ".join(missing)), view.url))
    if baseline.elements >= 50 and page.elements < baseline.elements * 0.2 and len(page.links) < baseline.links * 0.2:
        evidence = (
            f"{page.elements} phần tử, {len(page.links)} liên kết (trước đây {baseline.elements}, {baseline.links})"
        )
        title = "Cấu trúc trang bị phá vỡ"
        findings.append(Finding("defacement.structure_collapsed", Severity.HIGH, title, evidence, view.url))
    return findings


def evaluate(view: SiteView, baseline: Baseline) -> list[Finding]:
    return per_page(view, lambda page_view: [*_messages(page_view), *_compared(page_view, baseline)])
