"""Text folding that defeats the usual spam obfuscations.

Attackers write "nhà cái" as "nha cai", "n h à c á i", "NhÀ CáI", with zero-width characters or HTML
entities (already decoded by the parser). Folding maps all of these to "nha cai".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\ufeff\u00ad\u180e"))
# Four or more single letters/digits separated by one space, dot, dash, underscore or star: "n h a c a i".
_SPACED = re.compile(r"(?<![\w])(?:\w[ .\-_*·]){3,}\w(?![\w])")
_SPACE = re.compile(r"\s+")
_NON_WORD = re.compile(r"[^\w]+")


def _fold_table() -> dict[int, str | None]:
    """One translation table: every accented Latin letter to its base, combining marks and zero-width
    characters removed. A single ``str.translate`` call instead of a per-character loop."""
    table: dict[int, str | None] = dict(_ZERO_WIDTH)
    for start, end in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for code in range(start, end):
            base = "".join(c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c))
            if base and base != chr(code):
                table[code] = base
    for code in range(0x0300, 0x0370):  # combining marks left over from decomposed text
        table[code] = None
    table.update({ord("đ"): "d", ord("Đ"): "D", ord("ð"): "d"})
    return table


_FOLD = _fold_table()


def strip_marks(text: str) -> str:
    return text.translate(_FOLD)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Lower-case ASCII-ish form: no diacritics, no zero-width characters, spaced letters joined.

    Cached: menus, footers and repeated blocks are folded once per process, not once per page.
    """
    text = text.translate(_FOLD).lower()
    text = _SPACED.sub(lambda m: _NON_WORD.sub("", m.group(0)) if _is_spaced_word(m.group(0)) else m.group(0), text)
    return _SPACE.sub(" ", text).strip()


def _is_spaced_word(chunk: str) -> bool:
    # "u b n d" style acronyms are rare in real text; digits-only runs ("1 2 3 4") are counters.
    letters = [c for c in chunk if c.isalpha()]
    return len(letters) >= 3


def tokens(folded: str) -> list[str]:
    return [t for t in _NON_WORD.split(folded) if t]


_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_LEET_WORD = re.compile(r"\b(?=[a-z0-9]*[a-z])(?=[a-z0-9]*[0134])[a-z0-9]{3,}\b")


def unleet(folded: str) -> str:
    """ "w4s h3r3" → "was here": undo digit-for-letter spelling in words that mix both."""
    return _LEET_WORD.sub(lambda m: m.group(0).translate(_LEET), folded)


def has_leet_handle(folded: str) -> bool:
    """A hacker-style handle: a word mixing letters and look-alike digits (Gh0st, Cyb3r, Kh4nh)."""
    return any(not w.isdigit() and len(w) >= 4 for w in _LEET_WORD.findall(folded))
