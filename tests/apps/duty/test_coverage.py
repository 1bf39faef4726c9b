"""Gap finding is a pure function: no database."""

from __future__ import annotations

from haidang.apps.duty.coverage import BACKUP_ONLY, UNCOVERED, Gap, Span, find_gaps
from tests.apps.duty.conftest import END, START, vn


def test_it_finds_no_gap_when_one_primary_covers_the_period() -> None:
    assert find_gaps(starts_at=START, ends_at=END, spans=[Span(START, END, primary=True)]) == []


def test_it_reports_the_whole_period_when_there_is_no_shift() -> None:
    assert find_gaps(starts_at=START, ends_at=END, spans=[]) == [Gap(START, END, UNCOVERED)]


def test_it_finds_holes_between_shifts_and_backup_only_stretches() -> None:
    spans = [
        Span(START, vn(31, 8, 19, 30), primary=True),
        Span(vn(31, 8, 19, 30), vn(1, 9, 7, 30), primary=False),  # night: backup only
        Span(vn(1, 9, 9, 0), END, primary=True),  # 07:30-09:00 nobody
    ]
    assert find_gaps(starts_at=START, ends_at=END, spans=spans) == [
        Gap(vn(31, 8, 19, 30), vn(1, 9, 7, 30), BACKUP_ONLY),
        Gap(vn(1, 9, 7, 30), vn(1, 9, 9, 0), UNCOVERED),
    ]


def test_it_merges_overlapping_shifts_and_clips_to_the_period() -> None:
    spans = [
        Span(vn(30, 8, 0, 0), vn(1, 9, 12, 0), primary=True),
        Span(vn(1, 9, 8, 0), vn(5, 9, 0, 0), primary=True),
        Span(vn(1, 9, 0, 0), vn(2, 9, 0, 0), primary=False),
    ]
    assert find_gaps(starts_at=START, ends_at=END, spans=spans) == []


def test_it_merges_adjacent_segments_of_the_same_level() -> None:
    spans = [
        Span(START, vn(1, 9, 0, 0), primary=False),
        Span(vn(1, 9, 0, 0), END, primary=False),
    ]
    gaps = find_gaps(starts_at=START, ends_at=END, spans=spans)
    assert gaps == [Gap(START, END, BACKUP_ONLY)]
    assert gaps[0].hours == 72.0
    assert not gaps[0].is_uncovered
