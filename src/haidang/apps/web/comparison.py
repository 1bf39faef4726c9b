"""A finding's page seen next to its baseline, line by line, as plain text.

Scanned pages are hostile: this only splits and compares strings. The template prints every line with
Django's auto-escaping inside <pre>, so markup in a page (scripts, event handlers, iframes) is shown as
text and never runs in the department's browser.
"""

from __future__ import annotations

from dataclasses import dataclass

MAX_LINES = 4000
MAX_LINE_CHARS = 2000
MAX_ADDED_SHOWN = 200


@dataclass(frozen=True)
class Line:
    text: str
    changed: bool  # not on the other side


@dataclass(frozen=True)
class Side:
    lines: tuple[Line, ...]
    total_lines: int
    truncated: bool
    empty: bool


@dataclass(frozen=True)
class Comparison:
    current: Side
    baseline: Side
    added: tuple[str, ...]  # lines of the current page that the baseline did not have (first ones)
    added_total: int


def _lines(text: str) -> list[str]:
    return [line.rstrip()[:MAX_LINE_CHARS] for line in text.splitlines()]


def _side(lines: list[str], other: set[str], *, compare: bool) -> Side:
    shown = tuple(Line(line, compare and bool(line.strip()) and line not in other) for line in lines[:MAX_LINES])
    return Side(shown, len(lines), len(lines) > MAX_LINES, not lines)


def compare(current: str, baseline: str) -> Comparison:
    """Mark the lines present on only one side; with no baseline nothing is marked (nothing to compare)."""
    now, before = _lines(current), _lines(baseline)
    known_now, known_before = set(now), set(before)
    compare_sides = bool(now) and bool(before)
    added = [line for line in dict.fromkeys(now) if compare_sides and line.strip() and line not in known_before]
    return Comparison(
        current=_side(now, known_before, compare=compare_sides),
        baseline=_side(before, known_now, compare=compare_sides),
        added=tuple(added[:MAX_ADDED_SHOWN]),
        added_total=len(added),
    )
