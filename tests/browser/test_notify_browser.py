"""End to end in a real browser: an officer adds a webhook channel, gets an alert, sees the badge and acknowledges."""

from __future__ import annotations

import re
from typing import Any

import pytest

from haidang.apps.notify.models import Channel
from haidang.apps.notify.services import alert_raise
from tests.apps.notify.receivers import HttpReceiver, allow_private, receiver
from tests.browser.conftest import SHOTS
from tests.personas import PASSWORD, World

__all__ = ["allow_private", "receiver"]

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("allow_private")]


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_it_lets_an_officer_receive_and_acknowledge_an_alert(
    live_server: Any, live_world: World, new_page: Any, receiver: HttpReceiver
) -> None:
    base = live_server.url
    page = new_page()
    page.goto(f"{base}/login/")
    page.get_by_label("Thư điện tử").fill(live_world.officer_a.email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")
    assert page.get_by_test_id("notify-unread").count() == 0

    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="Tài khoản và bảo mật").click()
    page.get_by_role("link", name="Cấu hình kênh nhận thông báo").click()
    page.get_by_label("Loại kênh").select_option("webhook")
    assert page.get_by_label("Địa chỉ webhook").is_visible()
    assert not page.get_by_label("Mã bot Telegram").is_visible()
    page.get_by_label("Địa chỉ webhook").fill(f"{receiver.url}/hooks/truc-ban-stp")
    page.get_by_role("button", name="Thêm kênh").click()
    assert page.get_by_role("status").filter(has_text="Đã thêm kênh").is_visible()
    assert page.get_by_text("/hooks/truc-ban-stp").count() == 0  # the path may hold a key: masked
    assert Channel.objects.filter(user=live_world.officer_a, kind="webhook").exists()
    _shot(page, "notify-01-channels")

    alert = alert_raise(
        chain=[[live_world.officer_a], [live_world.duty]],
        title="Trang stp.example.gov.vn bị chèn liên kết cờ bạc",
        body="Phát hiện 12 liên kết ẩn tới trang cá cược.",
        severity="critical",
        unit=live_world.unit_a,
    )
    [delivered] = receiver.requests
    assert delivered.path == "/hooks/truc-ban-stp"
    assert delivered.body["title"] == "[Nghiêm trọng] Trang stp.example.gov.vn bị chèn liên kết cờ bạc"

    page.goto(f"{base}/")
    badge = page.get_by_test_id("notify-unread")
    assert badge.is_visible()
    assert "1" in badge.inner_text()
    _shot(page, "notify-02-badge")
    page.get_by_test_id("notify-bell").click()
    assert page.get_by_role("heading", name="Thông báo", level=1).is_visible()
    page.get_by_role("button", name="Mở cảnh báo").click()
    page.wait_for_url(re.compile(rf"/notifications/alerts/{alert.id}/$"))
    assert page.get_by_role("heading", name=alert.title).is_visible()
    assert page.get_by_text("Chuỗi chuyển cấp").is_visible()
    _shot(page, "notify-03-alert")

    page.get_by_role("button", name="Xác nhận đã nhận").click()
    assert page.get_by_role("status").filter(has_text="Đã xác nhận").first.is_visible()
    assert page.get_by_role("button", name="Xác nhận đã nhận").count() == 0
    assert page.get_by_test_id("notify-unread").count() == 0
    alert.refresh_from_db()
    assert (alert.status, alert.acknowledged_by) == ("acknowledged", live_world.officer_a)
    _shot(page, "notify-04-acknowledged")
