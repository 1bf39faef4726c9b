"""Scoring text for foreign content (gambling, adult, pharma, crypto scams, Chinese spam).

A government page may talk about gambling — police news about a gambling ring, the lottery company's
results, a warning quoting a scam message. What spam does differently: it *promotes* (sign up, link,
bonus, uy tín) and names brands, it does not report (arrested, warned, decree). The score weighs the
three, so a term alone is never a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from haidang.engines.scanner import lexicon
from haidang.engines.scanner.textnorm import fold, has_leet_handle, unleet


def _alternation(terms: tuple[str, ...]) -> re.Pattern[str]:
    # Words may be glued or joined by punctuation: "nha cai", "nhacai", "nha-cai", "nha.cai".
    escaped = sorted({r"[ _.\-]?".join(map(re.escape, t.split(" "))) for t in terms}, key=len, reverse=True)
    return re.compile(r"(?<![a-z0-9])(?:" + "|".join(escaped) + r")(?![a-z0-9])")


_CATEGORIES: dict[str, re.Pattern[str]] = {
    "gambling": _alternation(lexicon.GAMBLING),
    "adult": _alternation(lexicon.ADULT),
    "pharma": _alternation(lexicon.PHARMA),
    "crypto": _alternation(lexicon.CRYPTO),
}
_CHINESE = re.compile("|".join(map(re.escape, lexicon.CHINESE)))
_PROMO = _alternation(lexicon.PROMO)
_PROMO_STRONG = _alternation(lexicon.PROMO_STRONG)
_NEWS = _alternation(lexicon.NEWS)
_DEFACE = _alternation(lexicon.DEFACEMENT)
_TAUNT = _alternation(lexicon.TAUNTS)
_SECURITY_NEWS = _alternation(lexicon.SECURITY_NEWS)
_SEPARATORS = re.compile(r"[ _.\-]+")
_WALLET = re.compile(r"\b(?:0x[a-f0-9]{40}|(?:bc1|[13])[a-z0-9]{25,39}|T[A-Za-z1-9]{33})\b")


@dataclass(frozen=True, slots=True)
class SpamScore:
    category: str  # "" when nothing foreign
    terms: tuple[str, ...]
    brands: tuple[str, ...]
    promo: int
    news: int
    promo_strong: int = 0

    @property
    def strong(self) -> int:
        return len(self.terms) + len(self.brands)

    def is_spam(self, *, context: str = "text") -> bool:
        """Is this promotion of foreign content, given where it was found?

        ``context``: "text" (visible body text), "hidden" (hidden by CSS/attributes), "link" (an anchor
        or its target), "title" (title/meta tags).
        """
        if not self.category:
            return False
        if context in {"hidden", "link"}:
            return self.strong >= 1 and (self.news == 0 or self.promo + self.strong > self.news)
        if context == "title":
            return (bool(self.brands) and self.news <= 1) or (
                (self.promo_strong >= 1 or self.strong >= 2) and self.news == 0
            )
        if self.news == 0 and (
            (self.strong >= 2 and self.promo >= 1)
            or (self.strong >= 1 and self.promo_strong >= 1)
            or (bool(self.brands) and self.promo >= 1)
            or (self.category == "chinese" and self.strong >= 2)
        ):
            return True
        return self.strong >= 3 and self.promo >= 2 and self.news <= 1


_EMPTY = SpamScore("", (), (), 0, 0)


@lru_cache(maxsize=16384)  # every segment and anchor of a sweep: 4,096 entries thrashed on the corpus
def score_text(text: str) -> SpamScore:
    """Score one segment of text (a block, an anchor, a title)."""
    if not text:
        return _EMPTY
    folded = fold(text)
    found: dict[str, list[str]] = {}
    for name, pattern in _CATEGORIES.items():
        hits = sorted({_SEPARATORS.sub(" ", hit) for hit in pattern.findall(folded)})
        if hits:
            found[name] = hits
    chinese = sorted(set(_CHINESE.findall(text)))
    if chinese:
        found["chinese"] = chinese
    wallets = _WALLET.findall(text)
    if wallets and "crypto" in found:
        found["crypto"] = found["crypto"] + ["wallet"]
    brands = tuple(sorted({b for b in lexicon.BRAND.findall(folded) if b not in lexicon.BRAND_FALSE_FRIENDS}))
    if not found and not brands:
        return _EMPTY
    category = max(found, key=lambda k: len(found[k])) if found else "gambling"
    terms = tuple(t for hits in found.values() for t in hits)
    promo = len(set(_PROMO.findall(folded)))
    return SpamScore(
        category, terms, brands, promo, len(set(_NEWS.findall(folded))), len(set(_PROMO_STRONG.findall(folded)))
    )


@dataclass(frozen=True, slots=True)
class DefacementScore:
    signatures: tuple[str, ...]
    taunts: tuple[str, ...]
    news: int

    leet: bool = False

    @property
    def boasting(self) -> bool:
        """A defacer's message, not an article about an attack."""
        loud = bool(self.signatures) or len(self.taunts) >= 2 or (len(self.taunts) == 1 and self.leet)
        return loud and self.news <= 1


@lru_cache(maxsize=16384)
def defacement_score(text: str) -> DefacementScore:
    """Hacker signatures ("hacked by") and taunts ("admin ơi bảo mật kém") in ``text``."""
    folded = fold(text)
    plain = unleet(folded)
    return DefacementScore(
        tuple(sorted(set(_DEFACE.findall(plain)))),
        tuple(sorted(set(_TAUNT.findall(plain)))),
        len(set(_SECURITY_NEWS.findall(folded))),
        has_leet_handle(folded),
    )


def host_looks_bad(host: str) -> bool:
    """Does a host name itself advertise gambling/adult content (nhacai-fb88.club, casino-vn.top)?"""
    return bool(lexicon.BAD_HOST.search(host)) or bool(lexicon.BRAND.search(host.replace("-", " ").replace(".", " ")))
