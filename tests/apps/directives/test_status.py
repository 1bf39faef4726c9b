"""One definition of a cell's state: declared, reviewed, verified by the platform, overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from haidang.apps.directives.models import AutoVerdict, ItemReport, ReportStatus, ReviewStatus
from haidang.apps.directives.status import cell_for

DUE = datetime(2026, 9, 3, 17, 0)
BEFORE = DUE - timedelta(hours=1)
AFTER = DUE + timedelta(hours=1)


@pytest.mark.parametrize(
    ("status", "review", "verdict", "now", "expected"),
    [
        (ReportStatus.PENDING, "", "", BEFORE, ("pending", False)),
        (ReportStatus.PENDING, "", "", AFTER, ("overdue", False)),
        (ReportStatus.IN_PROGRESS, "", "", BEFORE, ("in_progress", False)),
        (ReportStatus.IN_PROGRESS, "", "", AFTER, ("overdue", False)),
        (ReportStatus.DONE, ReviewStatus.SUBMITTED, "", AFTER, ("done", False)),
        (ReportStatus.NOT_APPLICABLE, ReviewStatus.SUBMITTED, "", BEFORE, ("done", False)),
        (ReportStatus.DONE, ReviewStatus.ACCEPTED, AutoVerdict.FAIL, AFTER, ("accepted", True)),
        (ReportStatus.DONE, ReviewStatus.RETURNED, "", BEFORE, ("returned", False)),
        (ReportStatus.DONE, ReviewStatus.RETURNED, "", AFTER, ("overdue", False)),
        (ReportStatus.PENDING, "", AutoVerdict.PASS, AFTER, ("auto", False)),
        (ReportStatus.PENDING, "", AutoVerdict.UNKNOWN, BEFORE, ("pending", False)),
        (ReportStatus.IN_PROGRESS, "", AutoVerdict.PASS, BEFORE, ("in_progress", False)),
        (ReportStatus.DONE, ReviewStatus.SUBMITTED, AutoVerdict.FAIL, BEFORE, ("done", True)),
    ],
)
def test_cell_state(status: str, review: str, verdict: str, now: datetime, expected: tuple[str, bool]) -> None:
    report = ItemReport(status=status, review=review, auto_verdict=verdict)
    cell = cell_for(report, due_at=DUE, now=now)
    assert (cell.state, cell.conflict) == expected
    assert cell.complete == (expected[0] in {"accepted", "done", "auto"})
