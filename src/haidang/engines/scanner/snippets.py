"""Evidence strings: short, single-line, free of control characters — safe to store and display."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MAX_EVIDENCE = 300


def clip(text: str, limit: int = MAX_EVIDENCE) -> str:
    """One line of at most ``limit`` characters; bidi overrides and control characters removed."""
    line = " ".join(_CONTROL.sub(" ", text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def join(items: list[str], limit: int = MAX_EVIDENCE) -> str:
    unique = list(dict.fromkeys(i for i in items if i))
    shown = "; ".join(unique[:5])
    if len(unique) > 5:
        shown += f"; +{len(unique) - 5}"
    return clip(shown, limit)
