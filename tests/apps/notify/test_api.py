"""The notifications and alerts API: each persona sees and changes only what is theirs."""

from __future__ import annotations

import pytest
from django.test import Client

from haidang.apps.accounts.models import User
from haidang.apps.accounts.services import token_create
from haidang.apps.notify.models import Alert, Notification
from haidang.apps.notify.services import alert_raise, notify_users
from tests.apps.notify.test_selectors import SEES_ALERTS
from tests.personas import World

API = "/api/v1"


def _headers(user: User) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_create(acting_user=None, user=user).token}"}


@pytest.fixture
def alerts(world: World) -> dict[str, Alert]:
    return {
        "a": alert_raise(chain=[[world.officer_a]], title="A", body="", unit=world.unit_a, severity="critical"),
        "b": alert_raise(chain=[[world.officer_b]], title="B", body="", unit=world.unit_b),
        "x": alert_raise(chain=[[world.telecom_officer]], title="X", body=""),
    }


def test_it_lists_only_the_callers_notifications(client: Client, world: World) -> None:
    [mine] = notify_users([world.officer_a], title="Của A", body="Nội dung", link="/units/1/")
    notify_users([world.officer_b], title="Của B", body="")

    response = client.get(f"{API}/notifications", headers=_headers(world.officer_a))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == mine.id
    assert body["items"][0]["title"] == "Của A"
    assert body["items"][0]["read_at"] is None


def test_it_marks_a_notification_read_and_hides_others(client: Client, world: World) -> None:
    [mine] = notify_users([world.officer_a], title="Của A", body="")
    [theirs] = notify_users([world.officer_b], title="Của B", body="")
    headers = _headers(world.officer_a)

    response = client.post(f"{API}/notifications/{mine.id}/read", headers=headers)
    assert response.status_code == 200
    assert response.json()["read_at"] is not None

    response = client.post(f"{API}/notifications/{theirs.id}/read", headers=headers)
    assert response.status_code == 404
    assert Notification.objects.get(id=theirs.id).read_at is None
    unread = client.get(f"{API}/notifications", {"unread": "true"}, headers=headers).json()
    assert unread["count"] == 0


def test_it_marks_everything_read(client: Client, world: World) -> None:
    notify_users([world.officer_a], title="Một", body="")
    notify_users([world.officer_a], title="Hai", body="")

    response = client.post(f"{API}/notifications/read-all", headers=_headers(world.officer_a))

    assert response.json() == {"marked": 2}


@pytest.mark.parametrize("persona", SEES_ALERTS)
def test_it_lists_and_shows_alerts_per_persona(
    client: Client, world: World, alerts: dict[str, Alert], persona: str
) -> None:
    headers = _headers(getattr(world, persona))

    listed = client.get(f"{API}/alerts", headers=headers).json()
    assert {item["title"].lower() for item in listed["items"]} == SEES_ALERTS[persona]
    for side, alert in alerts.items():
        response = client.get(f"{API}/alerts/{alert.id}", headers=headers)
        assert response.status_code == (200 if side in SEES_ALERTS[persona] else 404)


def test_it_describes_an_alert(client: Client, world: World, alerts: dict[str, Alert]) -> None:
    item = client.get(f"{API}/alerts/{alerts['a'].id}", headers=_headers(world.admin)).json()

    assert item["chain"] == [[world.officer_a.id]]
    assert item["status"] == "open"
    assert item["severity"] == "critical"
    assert item["unit_id"] == world.unit_a.id
    assert item["next_escalation_at"] is not None
    assert item["subject_type"] == ""


@pytest.mark.parametrize(
    "case",
    [
        ("officer_a", "a", 200),
        ("officer_b", "a", 404),
        ("duty", "b", 200),
        ("viewer", "a", 403),
        ("provider_officer", "a", 403),
        ("telecom_officer", "x", 200),
    ],
)
def test_it_acknowledges_only_for_the_chain_and_the_department(
    client: Client, world: World, alerts: dict[str, Alert], case: tuple[str, str, int]
) -> None:
    persona, side, status = case
    user = getattr(world, persona)

    response = client.post(f"{API}/alerts/{alerts[side].id}/acknowledge", headers=_headers(user))

    assert response.status_code == status
    alert = Alert.objects.get(id=alerts[side].id)
    if status == 200:
        assert response.json()["status"] == "acknowledged"
        assert response.json()["acknowledged_by_id"] == user.id
        assert alert.acknowledged_by == user
    else:
        assert alert.status == "open"


def test_it_filters_alerts_by_status(client: Client, world: World, alerts: dict[str, Alert]) -> None:
    headers = _headers(world.admin)
    client.post(f"{API}/alerts/{alerts['b'].id}/acknowledge", headers=headers)

    acknowledged = client.get(f"{API}/alerts", {"status": "acknowledged"}, headers=headers).json()
    assert [item["id"] for item in acknowledged["items"]] == [alerts["b"].id]
    assert client.get(f"{API}/alerts", {"status": "bogus"}, headers=headers).status_code == 422


def test_it_requires_a_token(client: Client, db: None) -> None:
    assert client.get(f"{API}/notifications").status_code == 401
    assert client.get(f"{API}/alerts").status_code == 401
