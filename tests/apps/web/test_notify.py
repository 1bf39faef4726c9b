"""Notification pages: inbox and badge, alerts and acknowledgement, channels, delivery log; per persona."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.urls import reverse

from haidang.apps.notify.models import Alert, Channel, DeliveryAttempt, Notification
from haidang.apps.notify.services import alert_raise, channel_create, notify_users
from tests.apps.notify.receivers import HttpReceiver, allow_private, closed_port, receiver
from tests.apps.notify.test_selectors import SEES_ALERTS
from tests.apps.web.conftest import Login
from tests.personas import World

__all__ = ["allow_private", "closed_port", "receiver"]

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture
def alerts(world: World) -> dict[str, Alert]:
    return {
        "a": alert_raise(chain=[[world.officer_a], [world.duty]], title="A", body="Chi tiết A", unit=world.unit_a),
        "b": alert_raise(chain=[[world.officer_b]], title="B", body="", unit=world.unit_b),
        "x": alert_raise(chain=[[world.telecom_officer]], title="X", body=""),
    }


# --- inbox ---------------------------------------------------------------------------------------


def test_it_shows_the_unread_badge_and_the_inbox(login: Login, world: World) -> None:
    notify_users([world.officer_a], title="Thông báo cho A", body="Nội dung <b>đậm</b>")
    notify_users([world.officer_b], title="Thông báo cho B", body="")
    client = login(world.officer_a)

    dashboard = client.get(reverse("web:dashboard")).content.decode()
    assert 'data-testid="notify-unread"' in dashboard
    assert reverse("web:notify_inbox") in dashboard

    body = client.get(reverse("web:notify_inbox")).content.decode()
    assert "Thông báo cho A" in body
    assert "Thông báo cho B" not in body
    assert "Nội dung &lt;b&gt;đậm&lt;/b&gt;" in body


def test_it_hides_the_badge_when_everything_is_read(login: Login, world: World) -> None:
    notify_users([world.officer_a], title="Một", body="")
    client = login(world.officer_a)

    response = client.post(reverse("web:notify_read_all"), follow=True)

    assert "Đã đánh dấu 1 thông báo là đã đọc." in response.content.decode()
    assert 'data-testid="notify-unread"' not in client.get(reverse("web:dashboard")).content.decode()


def test_it_opens_a_notification_and_marks_it_read(login: Login, world: World) -> None:
    [notification] = notify_users([world.officer_a], title="Mở", body="", link=f"/units/{world.unit_a.id}/")

    response = login(world.officer_a).post(reverse("web:notify_open", args=[notification.id]))

    assert response.status_code == 302
    assert response["Location"] == f"/units/{world.unit_a.id}/"
    assert Notification.objects.get(id=notification.id).read_at is not None


def test_it_never_redirects_off_site(login: Login, world: World) -> None:
    [notification] = notify_users([world.officer_a], title="Lạ", body="", link="https://evil.example/")

    response = login(world.officer_a).post(reverse("web:notify_open", args=[notification.id]))

    assert response["Location"] == reverse("web:notify_inbox")


@pytest.mark.parametrize("name", ["web:notify_open", "web:notify_read"])
def test_it_answers_404_for_someone_elses_notification(login: Login, world: World, name: str) -> None:
    [theirs] = notify_users([world.officer_b], title="Của B", body="")

    response = login(world.officer_a).post(reverse(name, args=[theirs.id]))

    assert response.status_code == 404
    assert Notification.objects.get(id=theirs.id).read_at is None


def test_it_lets_a_read_only_viewer_read_their_notifications(login: Login, world: World) -> None:
    [notification] = notify_users([world.viewer], title="Báo cáo", body="")

    response = login(world.viewer).post(reverse("web:notify_read", args=[notification.id]))

    assert response.status_code == 302
    assert Notification.objects.get(id=notification.id).read_at is not None


# --- alerts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", SEES_ALERTS)
def test_it_lists_and_shows_alerts_per_persona(
    login: Login, world: World, alerts: dict[str, Alert], persona: str
) -> None:
    client = login(getattr(world, persona))

    listed = client.get(reverse("web:notify_alert_list")).content.decode()
    for side, alert in alerts.items():
        url = reverse("web:notify_alert_detail", args=[alert.id])
        assert (url in listed) == (side in SEES_ALERTS[persona])
        assert client.get(url).status_code == (200 if side in SEES_ALERTS[persona] else 404)


def test_it_shows_the_chain_history_and_the_acknowledge_button(
    login: Login, world: World, alerts: dict[str, Alert]
) -> None:
    body = login(world.officer_a).get(reverse("web:notify_alert_detail", args=[alerts["a"].id])).content.decode()

    assert "Xác nhận đã nhận" in body
    assert "Chuỗi chuyển cấp" in body
    assert "Cấp 1" in body
    assert "Cấp 2" in body
    assert "Phát cảnh báo" in body
    assert "Chi tiết A" in body


def test_it_acknowledges_from_the_alert_page(login: Login, world: World, alerts: dict[str, Alert]) -> None:
    client = login(world.officer_a)

    response = client.post(reverse("web:notify_alert_acknowledge", args=[alerts["a"].id]), follow=True)

    body = response.content.decode()
    assert "Đã xác nhận. Cảnh báo sẽ không chuyển cấp nữa." in body
    assert "Xác nhận đã nhận</button>" not in body
    assert Alert.objects.get(id=alerts["a"].id).acknowledged_by == world.officer_a


def test_it_refuses_an_acknowledgement_from_outside_the_chain(
    login: Login, world: World, alerts: dict[str, Alert]
) -> None:
    provider = login(world.provider_officer)
    assert (
        "Xác nhận đã nhận</button>"
        not in provider.get(reverse("web:notify_alert_detail", args=[alerts["a"].id])).content.decode()
    )
    assert provider.post(reverse("web:notify_alert_acknowledge", args=[alerts["a"].id])).status_code == 403
    assert (
        login(world.officer_b).post(reverse("web:notify_alert_acknowledge", args=[alerts["a"].id])).status_code == 404
    )
    assert Alert.objects.get(id=alerts["a"].id).status == "open"


def test_it_shows_an_exhausted_alert_as_such(login: Login, world: World, alerts: dict[str, Alert]) -> None:
    Alert.objects.filter(id=alerts["a"].id).update(status="exhausted", next_escalation_at=None)

    body = login(world.duty).get(reverse("web:notify_alert_detail", args=[alerts["a"].id])).content.decode()

    assert "Hết cấp chuyển, chưa ai xác nhận" in body
    assert "Đã chuyển hết các cấp mà chưa ai xác nhận." in body
    assert "Xác nhận đã nhận" in body


# --- channels ------------------------------------------------------------------------------------


def test_it_links_the_channel_page_from_the_account_page(login: Login, world: World) -> None:
    body = login(world.officer_a).get(reverse("web:account")).content.decode()
    assert reverse("web:notify_channels") in body


@pytest.mark.usefixtures("allow_private")
def test_it_adds_a_webhook_channel_and_sends_a_test(
    login: Login, world: World, receiver: HttpReceiver, django_capture_on_commit_callbacks: Commit
) -> None:
    client = login(world.officer_a)
    data = {"kind": "webhook", "name": "Nhóm trực", "webhook_url": f"{receiver.url}/hooks/abcdefgh-secret"}

    response = client.post(reverse("web:notify_channels"), data, follow=True)

    body = response.content.decode()
    assert "Đã thêm kênh" in body
    assert "abcdefgh-secret" not in body
    channel = Channel.objects.get(user=world.officer_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("web:notify_channel_test", args=[channel.id]), follow=True)
    assert "Đã gửi tin thử" in response.content.decode()
    assert receiver.requests[0].path == "/hooks/abcdefgh-secret"
    assert "Thành công" in client.get(reverse("web:notify_channels")).content.decode()


def test_it_keeps_the_input_and_explains_errors(login: Login, world: World) -> None:
    data = {"kind": "telegram", "telegram_token": "khong-hop-le", "telegram_chat": "12345", "email": "x@y.vn"}

    response = login(world.officer_a).post(reverse("web:notify_channels"), data)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Mã bot không hợp lệ" in body
    assert 'value="khong-hop-le"' in body
    assert 'value="12345"' in body
    assert not Channel.objects.exists()


def test_it_asks_for_the_fields_of_the_chosen_kind(login: Login, world: World) -> None:
    response = login(world.officer_a).post(reverse("web:notify_channels"), {"kind": "zalo"})

    assert response.content.decode().count("Hãy điền mục này cho loại kênh đã chọn.") == 2


def test_it_refuses_a_private_webhook(login: Login, world: World) -> None:
    response = login(world.officer_a).post(
        reverse("web:notify_channels"), {"kind": "webhook", "webhook_url": "http://192.168.1.10/hook"}
    )

    assert "Địa chỉ nội bộ" in response.content.decode()
    assert not Channel.objects.exists()


@pytest.mark.parametrize("name", ["web:notify_channel_test", "web:notify_channel_toggle", "web:notify_channel_delete"])
def test_it_answers_404_for_someone_elses_channel(login: Login, world: World, name: str) -> None:
    channel = channel_create(
        acting_user=world.officer_b, user=world.officer_b, kind="email", address="b@syt.example.vn"
    )

    for intruder in (world.officer_a, world.admin):
        assert login(intruder).post(reverse(name, args=[channel.id])).status_code == 404
    assert Channel.objects.get(id=channel.id).enabled


def test_it_disables_and_deletes_a_channel(login: Login, world: World) -> None:
    channel = channel_create(
        acting_user=world.officer_a, user=world.officer_a, kind="email", address="a@stp.example.vn"
    )
    client = login(world.officer_a)

    client.post(reverse("web:notify_channel_toggle", args=[channel.id]))
    assert not Channel.objects.get(id=channel.id).enabled
    client.post(reverse("web:notify_channel_toggle", args=[channel.id]), {"enabled": "1"})
    assert Channel.objects.get(id=channel.id).enabled
    client.post(reverse("web:notify_channel_delete", args=[channel.id]))
    assert not Channel.objects.filter(id=channel.id).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("officer_a", 200), ("officer_b", 404), ("duty", 404), ("viewer", 404), ("provider_officer", 404)],
)
def test_it_lets_the_unit_and_the_administrators_configure_the_units_channels(
    login: Login, world: World, persona: str, status: int
) -> None:
    client = login(getattr(world, persona))
    url = reverse("web:notify_unit_channels", args=[world.unit_a.id])

    assert client.get(url).status_code == status
    response = client.post(url, {"kind": "email", "email": "stp@stp.example.vn"})
    assert response.status_code == (302 if status == 200 else status)
    assert Channel.objects.filter(unit=world.unit_a).exists() == (status == 200)


def test_it_shows_a_units_channels_only_on_that_units_page(login: Login, world: World) -> None:
    channel_create(acting_user=world.admin, unit=world.unit_a, kind="email", address="stp@stp.example.vn")
    channel_create(acting_user=world.admin, unit=world.unit_b, kind="email", address="syt@syt.example.vn")

    body = login(world.officer_a).get(reverse("web:notify_unit_channels", args=[world.unit_a.id])).content.decode()

    assert "stp@stp.example.vn" in body
    assert "syt@syt.example.vn" not in body
    own = login(world.officer_a).get(reverse("web:notify_channels")).content.decode()
    assert reverse("web:notify_unit_channels", args=[world.unit_a.id]) in own


# --- delivery log --------------------------------------------------------------------------------


@pytest.mark.usefixtures("allow_private")
def test_it_shows_the_delivery_log_to_administrators_with_a_failed_filter(
    login: Login,
    world: World,
    receiver: HttpReceiver,
    closed_port: int,
    django_capture_on_commit_callbacks: Commit,
) -> None:
    channel_create(acting_user=world.duty, user=world.duty, kind="webhook", address=f"{receiver.url}/ok")
    channel_create(acting_user=world.duty, user=world.duty, kind="webhook", address=f"http://127.0.0.1:{closed_port}/x")
    with django_capture_on_commit_callbacks(execute=True):
        notify_users([world.duty], title="Kiểm tra", body="")
    assert DeliveryAttempt.objects.count() == 2

    client = login(world.admin)
    everything = client.get(reverse("web:notify_delivery_log")).content.decode()
    failed = client.get(reverse("web:notify_delivery_log"), {"failed": "on"}).content.decode()

    assert everything.count("badge-ok") == 1
    assert everything.count("Thất bại") == 1
    assert "badge-ok" not in failed
    assert "Máy nhận không chấp nhận hoặc không kết nối được." in failed


@pytest.mark.parametrize("persona", ["duty", "viewer", "officer_a", "telecom_officer", "provider_officer"])
def test_it_refuses_the_delivery_log_to_everyone_else(login: Login, world: World, persona: str) -> None:
    assert login(getattr(world, persona)).get(reverse("web:notify_delivery_log")).status_code == 403
