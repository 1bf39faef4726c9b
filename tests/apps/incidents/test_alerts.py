"""Alerts go through the real notify and duty apps: the rows they write are what is checked."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from haidang.apps.accounts.models import Role, User
from haidang.apps.incidents import services
from haidang.apps.notify.models import Alert, AlertMember, Notification
from tests.apps.incidents.conftest import MakeIncident
from tests.personas import World

Capture = Callable[..., AbstractContextManager[Any]]


def _alert(key: str) -> Alert:
    return Alert.objects.get(dedupe_key=key)


def _members(alert: Alert) -> set[str]:
    return set(AlertMember.objects.filter(alert=alert).values_list("user__email", flat=True))


def test_it_alerts_the_department_of_a_public_report(world: World, django_capture_on_commit_callbacks: Capture) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        receipt = services.incident_report_public(
            kind="scam", reporter_name="", reporter_contact="", subject_url="", description="Tin nhắn lừa đảo"
        )
    alert = _alert(f"incident:{receipt.incident.id}:opened")
    assert world.duty.email in _members(alert)
    assert receipt.incident.reference in alert.title


def test_it_does_not_page_the_department_for_a_routine_unit_report(
    world: World, make_incident: MakeIncident, django_capture_on_commit_callbacks: Capture
) -> None:
    colleague = User.objects.create_user("canbo2@stp.example.vn", "x" * 16, role=Role.UNIT, unit=world.unit_a)
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident(severity="low")
    assert not Alert.objects.filter(dedupe_key=f"incident:{incident.id}:opened").exists()
    # The unit has no duty roster: its other officers are alerted (in the app and on their channels).
    assert colleague.email in _members(_alert(f"incident:{incident.id}:unit"))
    assert Notification.objects.filter(user=colleague, title__contains=incident.reference).exists()
    assert not Notification.objects.filter(user=world.officer_a).exists()


def test_it_pages_the_department_for_a_critical_unit_report(
    world: World, make_incident: MakeIncident, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident(severity="critical")
    assert _alert(f"incident:{incident.id}:opened").severity == "critical"


def test_it_alerts_the_duty_officer_at_once_when_beyond_capacity(
    world: World, make_incident: MakeIncident, django_capture_on_commit_callbacks: Capture
) -> None:
    incident = make_incident()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.incident_mark_beyond_capacity(actor=world.officer_a, incident=incident, reason="Bị mã hoá")
    assert len(callbacks) == 1
    alert = _alert(f"incident:{incident.id}:beyond_capacity")
    assert alert.severity == "critical"
    assert world.duty.email in _members(alert)
    assert alert.unit_id == world.unit_a.id


def test_it_notifies_the_assignee(
    world: World, make_incident: MakeIncident, django_capture_on_commit_callbacks: Capture
) -> None:
    incident = make_incident()
    with django_capture_on_commit_callbacks(execute=True):
        services.incident_assign(actor=world.duty, incident=incident, assignee=world.provider_officer)
    note = Notification.objects.get(user=world.provider_officer)
    assert incident.reference in note.title


def test_a_failing_notification_does_not_undo_the_incident(
    world: World,
    make_incident: MakeIncident,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    def broken(**_kwargs: Any) -> None:
        raise RuntimeError("notify down")

    monkeypatch.setattr("haidang.apps.notify.services.alert_raise", broken)
    with django_capture_on_commit_callbacks(execute=True):
        incident = make_incident(severity="critical")
    assert incident.pk is not None


def test_a_units_channels_hear_of_a_new_incident_once(
    world: World, make_incident: MakeIncident, django_capture_on_commit_callbacks: Capture
) -> None:
    from haidang.apps.notify.models import Channel, DeliveryAttempt

    Channel.objects.create(unit=world.unit_a, kind="webhook", name="unit hook", address="http://127.0.0.1:9/hook")
    with django_capture_on_commit_callbacks(execute=True):
        make_incident(severity="critical")  # pages the department too
    assert DeliveryAttempt.objects.filter(channel__unit=world.unit_a).count() == 1
