"""End to end in a real browser: the department announces a period and publishes its roster, a unit
officer imports and submits theirs, and the duty board shows both."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from haidang.apps.duty.models import DutyPeriod, Roster, RosterStatus
from tests.browser.conftest import SHOTS
from tests.browser.test_web_browser import _set_up_two_factor, _sign_in
from tests.personas import World

pytestmark = pytest.mark.browser

LOCAL_INPUT = "%Y-%m-%dT%H:%M"
SHEET = "%d/%m/%Y %H:%M"


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"duty-{name}.png"), full_page=True)


def _announce(page: Any, base: str, world: World, start: Any, end: Any) -> None:
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Trực").click()
    assert page.get_by_role("heading", name="Trực ngay bây giờ", level=1).is_visible()
    page.get_by_role("link", name="Thông báo đợt trực").click()
    page.get_by_label("Tên đợt trực").fill("Nghỉ lễ cuối năm")
    page.get_by_label("Bắt đầu").fill(start.strftime(LOCAL_INPUT))
    page.get_by_label("Kết thúc").fill(start.strftime(LOCAL_INPUT))  # wrong on purpose: not after the start
    page.get_by_label(world.group.name).check()
    page.get_by_role("button", name="Thông báo").click()
    assert page.get_by_text("Thời điểm kết thúc phải sau thời điểm bắt đầu.").is_visible()
    assert page.get_by_label("Tên đợt trực").input_value() == "Nghỉ lễ cuối năm"
    _shot(page, "01-period-invalid")
    page.get_by_label("Kết thúc").fill(end.strftime(LOCAL_INPUT))
    page.get_by_role("button", name="Thông báo").click()
    page.wait_for_url(f"{base}/duty/periods/*/")
    assert page.get_by_text("Đã thông báo đợt trực Nghỉ lễ cuối năm.").is_visible()
    _shot(page, "02-period-announced")


def _publish_department_roster(page: Any, start: Any, end: Any) -> None:
    table = page.get_by_test_id("period-rosters")
    table.get_by_role("row").filter(has_text="Sở phụ trách").get_by_role("button", name="Lập lịch trực").click()
    page.get_by_role("link", name="+ Thêm ca trực").click()
    page.get_by_label("Bắt đầu ca").fill(start.strftime(LOCAL_INPUT))
    page.get_by_label("Kết thúc ca").fill(end.strftime(LOCAL_INPUT))
    page.get_by_label("Người trực").fill("Trần Văn Trực")
    page.get_by_label("Điện thoại").fill("0912 abc")
    page.get_by_role("button", name="Lưu", exact=True).click()
    assert page.get_by_text("Số điện thoại không hợp lệ").is_visible()
    assert page.get_by_label("Người trực").input_value() == "Trần Văn Trực"
    page.get_by_label("Điện thoại").fill("0912 345 678")
    page.get_by_role("button", name="Lưu", exact=True).click()
    assert page.get_by_text("Đã thêm ca trực của Trần Văn Trực.").is_visible()
    page.get_by_role("button", name="Công bố lịch trực").click()
    assert page.get_by_text("Đã công bố lịch trực của Sở.").is_visible()
    _shot(page, "03-department-roster")


def _unit_officer_imports_and_submits(page: Any, base: str, world: World, period: DutyPeriod) -> None:
    start = timezone.localtime(period.starts_at)
    middle = start + timedelta(days=1)
    end = timezone.localtime(period.ends_at)
    csv = (
        "starts_at,ends_at,person_name,role,phone,messaging_handle\n"
        f"{start.strftime(SHEET)},{middle.strftime(SHEET)},Lê Văn Một,primary,0987 654 321,Zalo 0987654321\n"
        f"{middle.strftime(SHEET)},{end.strftime(SHEET)},Lê Văn Hai,primary,0987 000 111,\n"
        f"{start.strftime(SHEET)},{end.strftime(SHEET)},Lê Dự Phòng,backup,0912 99,\n"
    )
    _sign_in(page, base, world.officer_a.email)
    page.goto(f"{base}/duty/periods/{period.id}/")
    assert page.get_by_text("Sở Y tế").count() == 0
    page.get_by_role("button", name="Lập lịch trực").click()
    page.get_by_role("link", name="Nhập từ tệp").click()
    upload = page.get_by_label("Tệp lịch trực (.csv hoặc .xlsx)")
    upload.set_input_files(files=[{"name": "lich.csv", "mimeType": "text/csv", "buffer": csv.encode()}])
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    errors = page.get_by_test_id("import-errors")
    assert errors.locator("tbody tr").count() == 1
    assert "Số điện thoại không hợp lệ" in errors.inner_text()
    _shot(page, "04-import-errors")
    fixed = csv.replace("0912 99", "0912 999 999")
    upload.set_input_files(files=[{"name": "lich.csv", "mimeType": "text/csv", "buffer": fixed.encode()}])
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    assert page.get_by_text("Đã nhập lịch trực từ tệp.").is_visible()
    page.get_by_role("link", name="Xem lịch trực").click()
    assert page.get_by_text("Lịch trực phủ kín toàn bộ đợt trực.").is_visible()
    page.get_by_role("button", name="Nộp lịch trực").click()
    assert page.get_by_text("Đã nộp lịch trực.").is_visible()
    _shot(page, "05-unit-roster-submitted")


def test_it_runs_a_duty_period_end_to_end(live_server: Any, live_world: World, new_page: Any) -> None:
    base = live_server.url
    now = timezone.localtime().replace(second=0, microsecond=0)
    start, end = now - timedelta(hours=1), now + timedelta(days=2)

    admin = new_page()
    _sign_in(admin, base, live_world.admin.email)
    _set_up_two_factor(admin, base)
    _announce(admin, base, live_world, start, end)
    _publish_department_roster(admin, start, end)

    period = DutyPeriod.objects.get()
    officer = new_page()
    _unit_officer_imports_and_submits(officer, base, live_world, period)
    assert Roster.objects.get(unit=live_world.unit_a).status == RosterStatus.SUBMITTED

    admin.goto(f"{base}/duty/")
    board = admin.get_by_test_id("duty-board")
    assert board.get_by_text("Trần Văn Trực").is_visible()
    assert board.get_by_text("Lê Văn Một").is_visible()
    assert board.get_by_text("Lê Dự Phòng").is_visible()
    assert board.get_by_role("link", name="0987654321").is_visible()
    nobody = admin.get_by_test_id("duty-nobody")
    assert nobody.get_by_text("Sở Y tế").is_visible()
    _shot(admin, "06-duty-board")

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    _sign_in(phone, base, live_world.officer_a.email)
    phone.goto(f"{base}/duty/")
    assert phone.get_by_text("Lê Văn Một").is_visible()
    assert phone.get_by_text("Trần Văn Trực").is_visible()  # the department's public contact
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(phone, "07-duty-board-phone")
