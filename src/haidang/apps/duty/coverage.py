"""Where a roster leaves its period uncovered. Pure functions over (start, end, role) spans."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

#: Nobody on duty at all.
UNCOVERED = "uncovered"
#: Only backup officers on duty: somebody answers, but no primary is responsible.
BACKUP_ONLY = "backup_only"


@dataclass(frozen=True)
class Span:
    starts_at: datetime
    ends_at: datetime
    primary: bool


@dataclass(frozen=True)
class Gap:
    starts_at: datetime
    ends_at: datetime
    level: str

    @property
    def is_uncovered(self) -> bool:
        return self.level == UNCOVERED

    @property
    def hours(self) -> float:
        return round((self.ends_at - self.starts_at).total_seconds() / 3600, 1)


def find_gaps(*, starts_at: datetime, ends_at: datetime, spans: Iterable[Span]) -> list[Gap]:
    """The intervals of [starts_at, ends_at) with no primary shift, merged, in time order.

    A sweep over shift boundaries clipped to the period: at each boundary the number of primary
    and backup shifts running changes; consecutive segments with the same level are merged.
    """
    changes: dict[datetime, list[int]] = {starts_at: [0, 0], ends_at: [0, 0]}
    for span in spans:
        start, end = max(span.starts_at, starts_at), min(span.ends_at, ends_at)
        if start >= end:
            continue
        index = 0 if span.primary else 1
        changes.setdefault(start, [0, 0])[index] += 1
        changes.setdefault(end, [0, 0])[index] -= 1
    gaps: list[Gap] = []
    primary = backup = 0
    moments = sorted(changes)
    for here, following in pairwise(moments):
        primary += changes[here][0]
        backup += changes[here][1]
        if primary > 0:
            continue
        level = BACKUP_ONLY if backup > 0 else UNCOVERED
        if gaps and gaps[-1].ends_at == here and gaps[-1].level == level:
            gaps[-1] = Gap(gaps[-1].starts_at, following, level)
        else:
            gaps.append(Gap(here, following, level))
    return gaps
