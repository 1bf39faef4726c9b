"""Reminding recipients before a directive's report is due, and escalating those still behind after it.

Run by beat every few minutes, :func:`send_due_reminders` is idempotent: each recipient is reminded at
most once (``reminded_at``) and escalated at most once (``escalated_at``), both claimed with a
conditional UPDATE so two runs racing never notify twice. A recipient whose every item is complete
(:func:`haidang.apps.directives.status.is_complete`) is left alone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haidang.apps.audit.services import audit_record
from haidang.apps.directives.models import Directive, DirectiveStatus, EventKind, Recipient, RecipientEvent
from haidang.apps.directives.selectors import recipient_officers
from haidang.apps.directives.status import is_complete
from haidang.apps.duty.selectors import escalation_chain
from haidang.apps.notify.models import Severity
from haidang.apps.notify.services import notify_users

logger = logging.getLogger(__name__)

#: How many overdue recipients the department's summary names.
SUMMARY_NAMES = 10


def _link(name: str, object_id: int) -> str:
    try:
        return reverse(name, args=[object_id])
    except NoReverseMatch:
        return ""


def _when(at: datetime) -> str:
    return timezone.localtime(at).strftime("%H:%M %d/%m/%Y")


def _title(directive: Directive) -> str:
    return f"{directive.number} — {directive.subject}" if directive.number else directive.subject


def _unfinished(recipient: Recipient, *, now: datetime) -> list[str]:
    """Codes of the recipient's items that are not complete yet, in item order."""
    due_at = recipient.directive.report_due_at
    reports = recipient.reports.select_related("item").order_by("item__order", "item_id")
    return [report.item.code for report in reports if not is_complete(report, due_at=due_at, now=now)]


def _claim(recipient: Recipient, field: str, now: datetime) -> bool:
    """Set ``field`` (reminded_at or escalated_at) if nobody has: True when this run did."""
    claimed = Recipient.objects.filter(id=recipient.id, **{f"{field}__isnull": True}).update(**{field: now})
    setattr(recipient, field, now)
    return claimed == 1


@dataclass(frozen=True)
class _Notice:
    """One of the two messages a recipient can get: the reminder before the due time, the escalation after."""

    field: str  # the Recipient field that records it was sent (once)
    kind: str  # EventKind
    action: str  # audit action
    title: str
    body: str  # with %(due)s, %(count)d, %(items)s
    severity: str


def _remind(recipient: Recipient, unfinished: list[str], *, now: datetime) -> bool:
    return _send(
        recipient,
        unfinished,
        now=now,
        notice=_Notice(
            field="reminded_at",
            kind=EventKind.REMINDED,
            action="directive.remind",
            title=_("Sắp đến hạn báo cáo: %(title)s"),
            body=_("Hạn báo cáo: %(due)s. Còn %(count)d mục chưa hoàn thành: %(items)s."),
            severity=Severity.MEDIUM,
        ),
    )


def _escalate(recipient: Recipient, unfinished: list[str], *, now: datetime) -> bool:
    return _send(
        recipient,
        unfinished,
        now=now,
        notice=_Notice(
            field="escalated_at",
            kind=EventKind.ESCALATED,
            action="directive.escalate",
            title=_("Quá hạn báo cáo: %(title)s"),
            body=_("Đã quá hạn báo cáo (%(due)s). Còn %(count)d mục chưa hoàn thành: %(items)s. Sở đã được báo cáo."),
            severity=Severity.HIGH,
        ),
    )


@transaction.atomic
def _send(recipient: Recipient, unfinished: list[str], *, now: datetime, notice: _Notice) -> bool:
    if not _claim(recipient, notice.field, now):
        return False
    directive = recipient.directive
    body = notice.body % {
        "due": _when(directive.report_due_at),
        "count": len(unfinished),
        "items": ", ".join(unfinished),
    }
    notify_users(
        recipient_officers(recipient),
        title=notice.title % {"title": _title(directive)},
        body=body,
        link=_link("web:directive_recipient", recipient.id),
        severity=notice.severity,
    )
    RecipientEvent.objects.create(recipient=recipient, kind=notice.kind, body=body)
    audit_record(
        acting_user=None,
        action=notice.action,
        target=recipient,
        unit_id=recipient.unit_id,
        changes={"directive": directive.id, "items": unfinished},
    )
    return True


def _summarize(directive: Directive, overdue: list[Recipient], *, now: datetime) -> None:
    """One notification to the department's person on duty: who is overdue on ``directive``."""
    tiers = escalation_chain(at=now)
    if not tiers:
        logger.warning("directives: nobody on duty at the department to tell about directive %s", directive.id)
        return
    names = [recipient.name for recipient in overdue[:SUMMARY_NAMES]]
    more = len(overdue) - len(names)
    body = _("Hạn báo cáo %(due)s đã qua. Chưa hoàn thành: %(names)s") % {
        "due": _when(directive.report_due_at),
        "names": "; ".join(names),
    }
    if more:
        body += _(" và %(more)d nơi nhận khác") % {"more": more}
    notify_users(
        tiers[-1],
        title=_("%(count)d nơi nhận quá hạn báo cáo: %(title)s") % {"count": len(overdue), "title": _title(directive)},
        body=body + ".",
        link=_link("web:directive_matrix", directive.id),
        severity=Severity.HIGH,
    )


def send_due_reminders(*, now: datetime | None = None) -> tuple[int, int]:
    """Remind recipients behind on reports due soon, escalate those overdue; return (reminded, escalated)."""
    now = now or timezone.now()
    ahead = timedelta(hours=settings.HAIDANG_DIRECTIVE_REMIND_BEFORE_HOURS)
    reminded = escalated = 0
    directives = Directive.objects.filter(status=DirectiveStatus.DISPATCHED, report_due_at__lte=now + ahead)
    for directive in directives.order_by("report_due_at", "id"):
        overdue = now >= directive.report_due_at
        field = "escalated_at" if overdue else "reminded_at"
        recipients = (
            directive.recipients.filter(**{f"{field}__isnull": True})
            .select_related("directive", "unit", "unit__group", "organization")
            # Units first (by group and number), then organisations: nulls last on every database.
            .order_by(
                F("unit__group__order").asc(nulls_last=True),
                F("unit__number").asc(nulls_last=True),
                "organization__name",
                "id",
            )
        )
        newly_overdue: list[Recipient] = []
        for recipient in recipients:
            unfinished = _unfinished(recipient, now=now)
            if not unfinished:
                continue
            if not overdue:
                reminded += _remind(recipient, unfinished, now=now)
            elif _escalate(recipient, unfinished, now=now):
                newly_overdue.append(recipient)
        if newly_overdue:
            escalated += len(newly_overdue)
            _summarize(directive, newly_overdue, now=now)
    return reminded, escalated
