"""Reminders before a directive's report is due, and escalation once it has passed.

The ``dispatched`` directive's report is due 05/09/2026 17:00 (Vietnam time); with reminders 24 hours
ahead, the reminder window is 04/09 17:00 → 05/09 17:00.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import QuerySet
from pytest_django.fixtures import Settings

from haidang.apps.accounts.models import Role, User
from haidang.apps.audit.models import AuditEvent
from haidang.apps.directives import services, tasks
from haidang.apps.directives.models import Directive, DirectiveStatus, EventKind, Recipient, RecipientEvent
from haidang.apps.directives.reminders import send_due_reminders
from haidang.apps.duty.models import DutyPeriod, Roster, RosterStatus, Shift
from haidang.apps.notify.models import Notification
from haidang.apps.registry.models import Unit
from tests.personas import PASSWORD, World

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DUE = datetime(2026, 9, 5, 17, 0, tzinfo=VN)
IN_WINDOW = DUE - timedelta(hours=8)
BEFORE_WINDOW = DUE - timedelta(hours=24, minutes=1)


@pytest.fixture(autouse=True)
def _remind_a_day_ahead(settings: Settings) -> None:
    settings.HAIDANG_DIRECTIVE_REMIND_BEFORE_HOURS = 24


def inbox(user: User, title_start: str) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, title__startswith=title_start)


def receipt(directive: Directive, **owner: object) -> Recipient:
    return Recipient.objects.get(directive=directive, **owner)


def report_everything(world: World, directive: Directive) -> None:
    """Unit B's officer reports every item done: unit B has nothing left to do."""
    for report in receipt(directive, unit=world.unit_b).reports.select_related("recipient__directive", "item"):
        services.report_update(actor=world.officer_b, report=report, status="done", note="Đã thực hiện")


def test_the_fixture_is_due_when_these_tests_think(dispatched: Directive) -> None:
    assert dispatched.report_due_at == DUE


def test_it_reminds_nobody_before_the_window(world: World, dispatched: Directive) -> None:
    assert send_due_reminders(now=BEFORE_WINDOW) == (0, 0)

    assert not inbox(world.officer_a, "Sắp đến hạn").exists()
    assert not Recipient.objects.filter(reminded_at__isnull=False).exists()


def test_it_reminds_each_recipient_behind_once(world: World, dispatched: Directive) -> None:
    assert send_due_reminders(now=IN_WINDOW) == (4, 0)

    notification = inbox(world.officer_a, "Sắp đến hạn báo cáo: 1234/STTTT-BCVT").get()
    assert notification.severity == "medium"
    assert "Hạn báo cáo: 17:00 05/09/2026. Còn 8 mục chưa hoàn thành: 1a, 1b" in notification.body
    assert notification.link.endswith(f"/{receipt(dispatched, unit=world.unit_a).id}/")
    assert inbox(world.telecom_officer, "Sắp đến hạn").count() == 1
    assert "Còn 4 mục chưa hoàn thành: 2a, 2b, 2c, 2d." in inbox(world.telecom_officer, "Sắp đến hạn").get().body
    assert inbox(world.provider_officer, "Sắp đến hạn").count() == 1
    assert not inbox(world.duty, "Sắp đến hạn").exists()
    unit_a = receipt(dispatched, unit=world.unit_a)
    assert unit_a.reminded_at == IN_WINDOW
    assert unit_a.escalated_at is None
    assert RecipientEvent.objects.filter(recipient=unit_a, kind=EventKind.REMINDED).count() == 1
    assert AuditEvent.objects.filter(action="directive.remind").count() == 4

    assert send_due_reminders(now=IN_WINDOW + timedelta(minutes=5)) == (0, 0)
    assert inbox(world.officer_a, "Sắp đến hạn").count() == 1
    assert RecipientEvent.objects.filter(kind=EventKind.REMINDED).count() == 4


def test_it_leaves_alone_a_recipient_that_has_reported_everything(world: World, dispatched: Directive) -> None:
    report_everything(world, dispatched)

    assert send_due_reminders(now=IN_WINDOW) == (3, 0)
    assert send_due_reminders(now=DUE) == (0, 3)

    assert not inbox(world.officer_b, "Sắp đến hạn").exists()
    assert not inbox(world.officer_b, "Quá hạn").exists()
    unit_b = receipt(dispatched, unit=world.unit_b)
    assert unit_b.reminded_at is None
    assert unit_b.escalated_at is None
    summary = inbox(world.duty, "3 nơi nhận quá hạn").get()
    assert "Sở Y tế" not in summary.body


def test_it_counts_a_verified_item_as_complete(world: World, dispatched: Directive) -> None:
    """Items the platform verified itself need no declaration; the rest still do."""
    unit_a = receipt(dispatched, unit=world.unit_a)
    unit_a.reports.update(auto_verdict="pass")

    assert send_due_reminders(now=IN_WINDOW) == (3, 0)
    assert not inbox(world.officer_a, "Sắp đến hạn").exists()


def test_it_escalates_once_after_the_due_time_with_one_summary(world: World, dispatched: Directive) -> None:
    assert send_due_reminders(now=IN_WINDOW) == (4, 0)

    assert send_due_reminders(now=DUE) == (0, 4)

    escalation = inbox(world.officer_a, "Quá hạn báo cáo: 1234/STTTT-BCVT").get()
    assert escalation.severity == "high"
    assert "Đã quá hạn báo cáo (17:00 05/09/2026)" in escalation.body
    summary = inbox(world.duty, "4 nơi nhận quá hạn báo cáo: 1234/STTTT-BCVT").get()
    assert summary.severity == "high"
    assert summary.body.startswith("Hạn báo cáo 17:00 05/09/2026 đã qua. Chưa hoàn thành: Sở Tư pháp; Sở Y tế;")
    assert "Viễn thông Thành phố" in summary.body
    assert "Công ty An ninh mạng" in summary.body
    assert summary.link.endswith(f"/{dispatched.id}/matrix/")
    assert not inbox(world.admin, "4 nơi nhận").exists()  # the person on duty, not everybody
    unit_a = receipt(dispatched, unit=world.unit_a)
    assert unit_a.escalated_at == DUE
    assert RecipientEvent.objects.filter(recipient=unit_a, kind=EventKind.ESCALATED).count() == 1
    assert AuditEvent.objects.filter(action="directive.escalate").count() == 4

    assert send_due_reminders(now=DUE + timedelta(hours=1)) == (0, 0)
    assert inbox(world.officer_a, "Quá hạn").count() == 1
    assert Notification.objects.filter(title__contains="nơi nhận quá hạn").count() == 1


def test_it_escalates_without_a_reminder_when_the_window_was_missed(world: World, dispatched: Directive) -> None:
    assert send_due_reminders(now=DUE + timedelta(days=2)) == (0, 4)

    assert not Notification.objects.filter(title__startswith="Sắp đến hạn").exists()
    assert receipt(dispatched, unit=world.unit_a).reminded_at is None


def test_it_tells_the_departments_person_on_duty(world: World, dispatched: Directive) -> None:
    on_duty = User.objects.create_user("truc2@so.example.vn", PASSWORD, role=Role.DUTY, full_name="truc2")
    period = DutyPeriod.objects.create(
        name="Trực tháng 9", starts_at=DUE - timedelta(days=1), ends_at=DUE + timedelta(days=1)
    )
    roster = Roster.objects.create(period=period, status=RosterStatus.SUBMITTED)  # the department's roster
    Shift.objects.create(
        roster=roster,
        starts_at=period.starts_at,
        ends_at=period.ends_at,
        person_name="Trực 2",
        phone="0912345678",
        user=on_duty,
    )

    send_due_reminders(now=DUE)

    assert inbox(on_duty, "4 nơi nhận quá hạn").count() == 1
    assert not inbox(world.duty, "4 nơi nhận quá hạn").exists()


def test_it_names_at_most_ten_recipients_in_the_summary(world: World, dispatched: Directive) -> None:
    units = [
        Unit.objects.create(group=world.group, number=10 + n, name=f"Phường số {n:02d}", short_code=f"phuong-{n}")
        for n in range(12)
    ]
    services.directive_dispatch(actor=world.admin, directive=dispatched, unit_ids=[unit.id for unit in units])

    assert send_due_reminders(now=DUE) == (0, 16)

    summary = inbox(world.duty, "16 nơi nhận quá hạn").get()
    assert summary.body.endswith(" và 6 nơi nhận khác.")


def test_it_ignores_closed_directives(world: World, dispatched: Directive) -> None:
    Directive.objects.filter(id=dispatched.id).update(status=DirectiveStatus.CLOSED)

    assert send_due_reminders(now=IN_WINDOW) == (0, 0)
    assert send_due_reminders(now=DUE) == (0, 0)


def test_it_runs_as_a_task(world: World, dispatched: Directive) -> None:
    with time_machine.travel(IN_WINDOW, tick=False):
        assert tuple(tasks.remind_due.delay().get()) == (4, 0)
        assert tuple(tasks.remind_due.delay().get()) == (0, 0)
