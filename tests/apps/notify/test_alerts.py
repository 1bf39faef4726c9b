"""Alerts: the escalation chain over time, acknowledgement, deduplication, the unit's channels."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from haidang.apps.accounts.models import Role, User
from haidang.apps.audit.models import AuditEvent
from haidang.apps.notify.models import Alert, AlertEvent, AlertStatus, DeliveryAttempt, Notification
from haidang.apps.notify.selectors import alert_chain, alerts_for_subject
from haidang.apps.notify.services import (
    alert_acknowledge,
    alert_escalate,
    alert_escalate_due,
    alert_raise,
    channel_create,
)
from haidang.apps.notify.tasks import escalate_due
from haidang.config.celery import app
from tests.apps.notify.receivers import HttpReceiver, SmtpSink
from tests.personas import PASSWORD, World

Commit = Callable[..., AbstractContextManager[Any]]
START = datetime(2026, 9, 2, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))  # Quốc khánh

pytestmark = pytest.mark.usefixtures("allow_private")


@pytest.fixture
def backup(world: World) -> User:
    return User.objects.create_user(
        "du-phong@stp.example.vn", PASSWORD, role=Role.UNIT, unit=world.unit_a, full_name="Cán bộ dự phòng"
    )


def _inbox(user: User) -> list[str]:
    return list(Notification.objects.filter(user=user).values_list("title", flat=True))


def _raise(world: World, backup: User, **kwargs: Any) -> Alert:
    options: dict[str, Any] = {
        "chain": [[world.officer_a], [backup], [world.duty]],
        "title": "Trang stp.example.gov.vn bị thay đổi giao diện",
        "body": "Phát hiện nội dung lạ trên trang chủ.",
        "severity": "critical",
        "unit": world.unit_a,
        "subject": world.website_a,
    }
    options.update(kwargs)
    return alert_raise(**options)


def test_it_walks_the_chain_until_it_is_exhausted(
    world: World,
    backup: User,
    smtp_sink: SmtpSink,
    time_machine: Any,
    django_capture_on_commit_callbacks: Commit,
) -> None:
    channel_create(acting_user=world.duty, user=world.duty, kind="email", address="truc.ban@so.example.vn")
    time_machine.move_to(START, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        alert = _raise(world, backup, ack_within=timedelta(minutes=10))

    assert _inbox(world.officer_a) == [alert.title]
    assert _inbox(backup) == []
    assert alert.next_escalation_at == START + timedelta(minutes=10)

    time_machine.move_to(START + timedelta(minutes=9, seconds=59), tick=False)
    assert alert_escalate_due() == 0

    time_machine.move_to(START + timedelta(minutes=10), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        escalate_due.delay()
    alert.refresh_from_db()
    assert alert.current_tier == 1
    assert _inbox(backup) == [alert.title]
    assert "Cấp trước chưa xác nhận trong 10 phút" in Notification.objects.get(user=backup).body
    assert _inbox(world.duty) == []
    assert smtp_sink.messages == []

    time_machine.move_to(START + timedelta(minutes=20), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert alert_escalate_due() == 1
    alert.refresh_from_db()
    assert alert.current_tier == 2
    # The acceptance test of the issue: the department duty officer receives it, by e-mail too.
    assert _inbox(world.duty) == [alert.title]
    assert smtp_sink.recipients == [["truc.ban@so.example.vn"]]
    assert alert.title in smtp_sink.messages[0]["Subject"]
    assert f"/notifications/alerts/{alert.id}/" in smtp_sink.bodies()[0]

    time_machine.move_to(START + timedelta(minutes=30), tick=False)
    assert alert_escalate_due() == 1
    alert.refresh_from_db()
    assert alert.status == AlertStatus.EXHAUSTED
    assert alert.next_escalation_at is None
    assert list(AlertEvent.objects.filter(alert=alert).values_list("kind", "tier")) == [
        ("raised", 0),
        ("escalated", 1),
        ("escalated", 2),
        ("exhausted", 2),
    ]
    assert AuditEvent.objects.filter(action="alert.exhaust", object_id=str(alert.id)).exists()

    time_machine.move_to(START + timedelta(hours=2), tick=False)
    assert alert_escalate_due() == 0


def test_it_stops_escalating_once_acknowledged(
    world: World, backup: User, time_machine: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    time_machine.move_to(START, tick=False)
    alert = _raise(world, backup)
    time_machine.move_to(START + timedelta(minutes=3), tick=False)

    alert_acknowledge(alert, user=world.officer_a)

    assert alert.status == AlertStatus.ACKNOWLEDGED
    assert alert.acknowledged_by == world.officer_a
    assert alert.acknowledged_at == START + timedelta(minutes=3)
    assert Notification.objects.get(user=world.officer_a).read_at is not None
    time_machine.move_to(START + timedelta(hours=1), tick=False)
    assert alert_escalate_due() == 0
    assert _inbox(backup) == []
    event = AuditEvent.objects.get(action="alert.acknowledge")
    assert (event.actor, event.unit_id) == (world.officer_a, world.unit_a.id)


def test_it_takes_the_default_time_from_the_severity(world: World, backup: User, settings: Any) -> None:
    settings.HAIDANG_ACK_MINUTES_CRITICAL = 7
    critical = _raise(world, backup)
    high = _raise(world, backup, severity="high")
    info = _raise(world, backup, severity="info")
    medium_with_time = _raise(world, backup, severity="medium", ack_within=timedelta(minutes=45))

    assert critical.ack_within == timedelta(minutes=7)
    assert high.ack_within == timedelta(minutes=30)
    assert info.ack_within is None
    assert info.next_escalation_at is None
    assert medium_with_time.ack_within == timedelta(minutes=45)


def test_it_lets_only_the_chain_and_the_department_acknowledge(world: World, backup: User) -> None:
    alert = _raise(world, backup)

    for outsider in (world.officer_b, world.viewer, world.provider_officer):
        with pytest.raises(PermissionDenied):
            alert_acknowledge(alert, user=outsider)
    assert Alert.objects.get(id=alert.id).status == AlertStatus.OPEN

    alert_acknowledge(alert, user=backup)  # a later tier may take it before it escalates
    assert alert.acknowledged_by == backup
    again = alert_acknowledge(alert, user=world.duty)
    assert again.acknowledged_by == backup
    assert AuditEvent.objects.filter(action="alert.acknowledge").count() == 1


def test_it_lets_a_duty_officer_acknowledge_an_exhausted_alert(world: World, time_machine: Any) -> None:
    time_machine.move_to(START, tick=False)
    alert = alert_raise(chain=[[world.officer_a]], title="Mất kết nối", body="", severity="critical")
    time_machine.move_to(START + timedelta(minutes=11), tick=False)
    assert alert_escalate_due() == 1
    alert.refresh_from_db()
    assert alert.status == AlertStatus.EXHAUSTED

    alert_acknowledge(alert, user=world.duty)

    assert alert.status == AlertStatus.ACKNOWLEDGED


def test_it_reuses_an_open_alert_with_the_same_dedupe_key(
    world: World, backup: User, django_capture_on_commit_callbacks: Commit
) -> None:
    first = _raise(world, backup, dedupe_key="website:1:defaced")
    second = _raise(world, backup, dedupe_key="website:1:defaced", title="Lần quét sau")
    other = _raise(world, backup, dedupe_key="website:2:defaced")

    assert second.id == first.id
    assert other.id != first.id
    assert Notification.objects.filter(user=world.officer_a).count() == 2

    alert_acknowledge(first, user=world.officer_a)
    third = _raise(world, backup, dedupe_key="website:1:defaced")
    assert third.id != first.id


def test_it_claims_each_escalation_once(world: World, backup: User, time_machine: Any) -> None:
    time_machine.move_to(START, tick=False)
    alert = _raise(world, backup)
    now = START + timedelta(minutes=10)
    stale = Alert.objects.get(id=alert.id)

    assert alert_escalate(alert_id=alert.id, now=now)
    # A second worker holding the old state loses the conditional update.
    assert not Alert.objects.filter(id=stale.id, current_tier=stale.current_tier, status="open").update(current_tier=9)
    assert not alert_escalate(alert_id=alert.id, now=now)
    assert Notification.objects.filter(user=backup).count() == 1


def test_it_skips_empty_tiers_and_inactive_people(world: World, backup: User) -> None:
    backup.is_active = False
    backup.save()

    alert = alert_raise(chain=[[], [backup], [world.duty, world.duty]], title="Sự cố", body="", severity="critical")

    assert alert.tier_count == 1
    assert alert_chain(alert) == [[world.duty]]
    assert _inbox(world.duty) == ["Sự cố"]


def test_it_notifies_the_units_channels(
    world: World, backup: User, receiver: HttpReceiver, django_capture_on_commit_callbacks: Commit
) -> None:
    channel_create(acting_user=world.officer_a, unit=world.unit_a, kind="webhook", address=f"{receiver.url}/unit-a")
    channel_create(acting_user=world.officer_b, unit=world.unit_b, kind="webhook", address=f"{receiver.url}/unit-b")

    with django_capture_on_commit_callbacks(execute=True):
        alert = _raise(world, backup)

    assert [r.path for r in receiver.requests] == ["/unit-a"]
    attempt = DeliveryAttempt.objects.get()
    assert (attempt.alert, attempt.unit, attempt.recipient, attempt.ok) == (alert, world.unit_a, None, True)
    assert f"/notifications/alerts/{alert.id}/" in receiver.requests[0].body["message"]


def test_it_finds_the_alerts_of_a_subject(world: World, backup: User) -> None:
    alert = _raise(world, backup)
    _raise(world, backup, subject=world.website_b)

    assert list(alerts_for_subject(world.website_a)) == [alert]
    assert alert.subject == world.website_a


def test_it_schedules_the_escalation_every_minute() -> None:
    entry = next(e for e in app.conf.beat_schedule.values() if e["task"] == "notify.escalate_due")
    assert entry["schedule"] == 60.0
    assert escalate_due.name == "notify.escalate_due"


def test_it_records_the_raise_in_the_audit_log(world: World, backup: User) -> None:
    alert = _raise(world, backup)

    event = AuditEvent.objects.get(action="alert.raise")
    assert event.object_id == str(alert.id)
    assert event.unit_id == world.unit_a.id
    assert event.changes["tiers"] == [[world.officer_a.id], [backup.id], [world.duty.id]]
    assert timezone.now() >= alert.created_at
