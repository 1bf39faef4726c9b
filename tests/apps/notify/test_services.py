"""Channel and notification services: permission, validation, audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haidang.apps.audit.models import AuditEvent
from haidang.apps.notify.models import Channel
from haidang.apps.notify.services import (
    MAX_CHANNELS,
    channel_create,
    channel_delete,
    channel_set_enabled,
    notification_mark_all_read,
    notification_mark_read,
    notify_users,
)
from tests.personas import World

TOKEN = "123456789:AAH-secret-token_part"


def test_it_creates_a_channel_and_audits_it_without_the_secret(world: World) -> None:
    channel = channel_create(
        acting_user=world.officer_a,
        user=world.officer_a,
        kind="telegram",
        address="4242",
        secret=TOKEN,
        name="Nhóm trực",
    )

    event = AuditEvent.objects.get(action="notify_channel.create")
    assert event.actor == world.officer_a
    assert event.changes == {"kind": "telegram", "target": "4242 (bot 123456789:••••)"}
    assert TOKEN not in str(event.changes) + event.object_repr
    assert channel.secret == TOKEN


def test_it_refuses_a_channel_for_someone_else_or_another_unit(world: World) -> None:
    with pytest.raises(PermissionDenied):
        channel_create(acting_user=world.officer_a, user=world.officer_b, kind="email", address="b@syt.example.vn")
    with pytest.raises(PermissionDenied):
        channel_create(acting_user=world.officer_a, unit=world.unit_b, kind="email", address="b@syt.example.vn")
    with pytest.raises(PermissionDenied):
        channel_create(acting_user=world.duty, unit=world.unit_a, kind="email", address="a@stp.example.vn")
    assert not Channel.objects.exists()


def test_it_refuses_duplicates_and_too_many_channels(world: World) -> None:
    channel_create(acting_user=world.duty, user=world.duty, kind="email", address="truc@so.example.vn")
    with pytest.raises(ValidationError) as caught:
        channel_create(acting_user=world.duty, user=world.duty, kind="email", address="truc@so.example.vn")
    assert caught.value.message_dict == {"address": ["Kênh này đã có trong danh sách."]}
    for number in range(1, MAX_CHANNELS):
        channel_create(acting_user=world.duty, user=world.duty, kind="email", address=f"t{number}@so.example.vn")
    with pytest.raises(ValidationError, match="tối đa"):
        channel_create(acting_user=world.duty, user=world.duty, kind="email", address="thua@so.example.vn")


def test_it_refuses_a_private_webhook_by_default(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        channel_create(acting_user=world.duty, user=world.duty, kind="webhook", address="http://10.0.0.5/hook")
    assert "address" in caught.value.message_dict


def test_it_lets_an_officer_manage_their_units_channels(world: World) -> None:
    channel = channel_create(acting_user=world.officer_a, unit=world.unit_a, kind="email", address="stp@stp.example.vn")

    channel_set_enabled(acting_user=world.officer_a, channel=channel, enabled=False)
    assert not Channel.objects.get(id=channel.id).enabled
    with pytest.raises(PermissionDenied):
        channel_delete(acting_user=world.officer_b, channel=channel)
    channel_delete(acting_user=world.admin, channel=channel)

    assert not Channel.objects.exists()
    actions = list(AuditEvent.objects.filter(unit_id=world.unit_a.id).values_list("action", flat=True))
    assert actions == ["notify_channel.delete", "notify_channel.disable", "notify_channel.create"]


def test_it_marks_notifications_read_for_their_owner_only(world: World) -> None:
    (first,) = notify_users([world.officer_a], title="Một", body="", actor=world.admin)
    notify_users([world.officer_a], title="Hai", body="")

    with pytest.raises(PermissionDenied):
        notification_mark_read(acting_user=world.officer_b, notification=first)
    notification_mark_read(acting_user=world.officer_a, notification=first)
    assert first.read_at is not None
    assert notification_mark_all_read(acting_user=world.officer_a) == 1
    assert notification_mark_all_read(acting_user=world.officer_a) == 0
    assert list(AuditEvent.objects.filter(action="notification.send").values_list("actor", flat=True)) == [
        None,
        world.admin.id,
    ]
