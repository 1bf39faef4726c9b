"""Who sees which alert, notification, channel and delivery attempt."""

from __future__ import annotations

import pytest

from haidang.apps.notify.models import Alert, Channel
from haidang.apps.notify.selectors import (
    alert_get,
    alert_list,
    channel_get,
    channel_list,
    delivery_attempt_list,
    notifications_for,
    unread_count,
)
from haidang.apps.notify.services import alert_raise, channel_create, notify_users
from tests.personas import World

#: Alert of unit A (chain: officer A), of unit B (chain: officer B), and without unit (chain: telecom).
SEES_ALERTS = {
    "admin": {"a", "b", "x"},
    "duty": {"a", "b", "x"},
    "viewer": {"a", "b"},
    "officer_a": {"a"},
    "officer_b": {"b"},
    "provider_officer": {"a"},
    "telecom_officer": {"x"},
}


@pytest.fixture
def alerts(world: World) -> dict[str, Alert]:
    return {
        "a": alert_raise(chain=[[world.officer_a]], title="A", body="", unit=world.unit_a),
        "b": alert_raise(chain=[[world.officer_b]], title="B", body="", unit=world.unit_b),
        "x": alert_raise(chain=[[world.telecom_officer]], title="X", body=""),
    }


@pytest.mark.parametrize("persona", SEES_ALERTS)
def test_it_lists_and_shows_only_visible_alerts(world: World, alerts: dict[str, Alert], persona: str) -> None:
    user = getattr(world, persona)

    assert {a.title.lower() for a in alert_list(visible_to=user)} == SEES_ALERTS[persona]
    for side, alert in alerts.items():
        if side in SEES_ALERTS[persona]:
            assert alert_get(visible_to=user, alert_id=alert.id) == alert
        else:
            with pytest.raises(Alert.DoesNotExist):
                alert_get(visible_to=user, alert_id=alert.id)


def test_it_shows_an_alert_to_someone_in_its_chain_outside_their_unit(world: World) -> None:
    alert = alert_raise(chain=[[world.officer_a], [world.officer_b]], title="Chung", body="", unit=world.unit_a)

    assert alert_get(visible_to=world.officer_b, alert_id=alert.id) == alert


def test_it_filters_alerts_by_status(world: World, alerts: dict[str, Alert]) -> None:
    assert alert_list(visible_to=world.admin, status="acknowledged").count() == 0
    assert alert_list(visible_to=world.admin, status="open").count() == 3


def test_it_shows_notifications_only_to_their_owner(world: World) -> None:
    [mine] = notify_users([world.officer_a], title="Của A", body="")
    notify_users([world.officer_b], title="Của B", body="")

    assert list(notifications_for(world.officer_a)) == [mine]
    assert unread_count(world.officer_a) == 1
    assert list(notifications_for(world.admin)) == []


def test_it_shows_a_channel_to_its_owner_and_a_units_channels_to_who_manages_the_unit(world: World) -> None:
    own = channel_create(acting_user=world.officer_a, user=world.officer_a, kind="email", address="a@stp.example.vn")
    unit_a = channel_create(acting_user=world.admin, unit=world.unit_a, kind="email", address="stp@stp.example.vn")

    assert list(channel_list(visible_to=world.officer_a)) == [own]
    assert list(channel_list(visible_to=world.officer_a, unit_id=world.unit_a.id)) == [unit_a]
    assert list(channel_list(visible_to=world.officer_b, unit_id=world.unit_a.id)) == []
    assert list(channel_list(visible_to=world.admin)) == []
    assert channel_get(visible_to=world.admin, channel_id=unit_a.id) == unit_a
    for outsider in (world.officer_b, world.duty, world.viewer, world.provider_officer, world.admin):
        if outsider == world.admin:
            continue
        with pytest.raises(Channel.DoesNotExist):
            channel_get(visible_to=outsider, channel_id=unit_a.id)
    for outsider in (world.officer_b, world.admin, world.duty):
        with pytest.raises(Channel.DoesNotExist):
            channel_get(visible_to=outsider, channel_id=own.id)


def test_it_shows_the_delivery_log_to_administrators_only(world: World) -> None:
    for persona in ("duty", "viewer", "officer_a", "provider_officer", "telecom_officer"):
        assert delivery_attempt_list(visible_to=getattr(world, persona)).query is not None
        assert not delivery_attempt_list(visible_to=getattr(world, persona)).exists()
