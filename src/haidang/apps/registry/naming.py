"""Short codes for units and organisations derived from Vietnamese names."""

from __future__ import annotations

import unicodedata

from django.utils.text import slugify

# NFKD leaves these as base letters that slugify would drop.
_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})


def ascii_fold(text: str) -> str:
    """``"Sở Thông tin và Truyền thông"`` → ``"So Thong tin va Truyen thong"``."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def short_code_for(name: str, taken: set[str]) -> str:
    """A slug of ``name`` not in ``taken`` (``-2``, ``-3`` … appended on collision); adds it to ``taken``."""
    base = slugify(ascii_fold(name))[:56] or "don-vi"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    taken.add(code)
    return code
