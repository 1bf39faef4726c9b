"""What a report, a recipient and a directive amount to: one definition used by the matrix, reminders and reports.

A cell of the matrix (recipient × item) has one state, computed from what the recipient declared, the
department's review and, when the recipient has declared nothing yet, the platform's own verdict:

- ``accepted``: the department accepted the report;
- ``returned``: the department returned it (the recipient must report again);
- ``done``: reported done (or not applicable) and waiting for review;
- ``auto``: nothing declared, but the platform verified the item itself;
- ``in_progress``: reported as in progress;
- ``pending``: nothing yet, before the due time; ``overdue``: nothing finished, past the due time.

An item counts as complete in ``accepted``, ``done`` and ``auto``; a recipient has complied when every
item that applies to it is complete. A platform verdict that contradicts a declaration ("done" but the
check fails) does not change the state: it is shown beside it (``Cell.conflict``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_noop

from haidang.apps.directives.models import AutoVerdict, ItemReport, ReportStatus, ReviewStatus

COMPLETE_STATES = frozenset({"accepted", "done", "auto"})
STATE_ORDER = ("overdue", "returned", "pending", "in_progress", "done", "auto", "accepted")
#: Vietnamese labels (official documents are always in Vietnamese); pages pass them through gettext.
STATE_LABELS = {
    "accepted": gettext_noop("Sở đã chấp nhận"),
    "returned": gettext_noop("Sở trả lại"),
    "done": gettext_noop("Đã báo cáo, chờ xem xét"),
    "auto": gettext_noop("Nền tảng tự xác minh"),
    "in_progress": gettext_noop("Đang thực hiện"),
    "pending": gettext_noop("Chưa báo cáo"),
    "overdue": gettext_noop("Quá hạn"),
}


@dataclass(frozen=True, slots=True)
class Cell:
    state: str
    conflict: bool  # the platform's check fails on an item the recipient declared done

    @property
    def complete(self) -> bool:
        return self.state in COMPLETE_STATES


def cell_for(report: ItemReport, *, due_at: datetime, now: datetime) -> Cell:
    declared = report.status in (ReportStatus.DONE, ReportStatus.NOT_APPLICABLE)
    conflict = report.status == ReportStatus.DONE and report.auto_verdict == AutoVerdict.FAIL
    if report.review == ReviewStatus.ACCEPTED:
        state = "accepted"
    elif report.review == ReviewStatus.RETURNED:
        state = "overdue" if now >= due_at else "returned"
    elif declared:
        state = "done"
    elif report.status == ReportStatus.PENDING and report.auto_verdict == AutoVerdict.PASS:
        state = "auto"
    elif now >= due_at:
        state = "overdue"
    elif report.status == ReportStatus.IN_PROGRESS:
        state = "in_progress"
    else:
        state = "pending"
    return Cell(state=state, conflict=conflict)


def is_complete(report: ItemReport, *, due_at: datetime, now: datetime) -> bool:
    return cell_for(report, due_at=due_at, now=now).complete
