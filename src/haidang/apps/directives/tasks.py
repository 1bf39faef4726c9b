"""Background work of directives: the platform's own checks, and reminders before and after the due time."""

from __future__ import annotations

from celery import shared_task

from haidang.apps.directives.checks import refresh_auto_checks as checks_refresh
from haidang.apps.directives.models import Directive
from haidang.apps.directives.reminders import send_due_reminders


@shared_task(name="directives.refresh_auto_checks", soft_time_limit=600, time_limit=660, ignore_result=True)
def refresh_auto_checks(directive_id: int | None = None) -> int:
    """Recompute the automatic verdicts of dispatched directives (all, or one); return how many were evaluated."""
    if directive_id is None:
        return checks_refresh()
    directive = Directive.objects.filter(id=directive_id).first()
    return 0 if directive is None else checks_refresh(directive=directive)


@shared_task(name="directives.remind_due", soft_time_limit=240, time_limit=280, ignore_result=True)
def remind_due() -> tuple[int, int]:
    """Remind and escalate recipients behind on reports (run every few minutes by beat)."""
    return send_due_reminders()
