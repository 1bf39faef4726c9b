"""End to end in a browser: a unit officer reports, the duty officer triages and assigns, the unit asks for help."""

from __future__ import annotations

import re
from typing import Any

import pytest

from haidang.apps.incidents.models import Incident, Queue, Status
from tests.browser.conftest import SHOTS, sign_in
from tests.personas import World

pytestmark = pytest.mark.browser


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"incidents-{name}.png"), full_page=True)


def _report(page: Any, base: str, title: str, *, beyond: bool = False) -> Incident:
    page.goto(f"{base}/incidents/")
    page.get_by_role("link", name="Báo cáo sự cố").first.click()
    page.get_by_label("Tiêu đề").fill(title)
    page.get_by_role("button", name="Gửi báo cáo sự cố").click()
    assert page.get_by_text("Chưa lưu được").is_visible()
    assert page.get_by_label("Tiêu đề").input_value() == title  # nothing typed is lost
    page.get_by_label("Loại sự cố").select_option("defacement")
    page.get_by_label("Mức độ").select_option("high")
    page.get_by_label("Dấu hiệu nhận biết (IOC)").fill("hxxp://defacer[.]example/x")
    if beyond:
        page.get_by_label("Vượt khả năng xử lý của đơn vị — đề nghị Sở hỗ trợ ngay").check()
    page.get_by_role("button", name="Gửi báo cáo sự cố").click()
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    return Incident.objects.get(title=title)


def test_it_carries_an_incident_from_the_unit_to_the_duty_officer(
    live_server: Any, live_world: World, new_page: Any
) -> None:
    base = live_server.url
    unit = new_page()
    sign_in(unit, base, live_world.officer_a.email)
    incident = _report(unit, base, "Cổng thông tin bị thay giao diện")
    assert unit.get_by_role("status").filter(has_text="Đã tiếp nhận sự cố").is_visible()
    assert unit.get_by_text("http://defacer.example/x").is_visible()
    assert unit.get_by_text("Báo cáo ban đầu sự cố (mẫu Phụ lục 02)").is_visible()
    _shot(unit, "01-reported")

    duty = new_page()
    sign_in(duty, base, live_world.duty.email)
    duty.goto(f"{base}/incidents/?queue=all")
    duty.get_by_role("link", name=incident.reference).click()
    duty.get_by_label("Ghi chú", exact=True).first.fill("Đã xác minh, giao nhà cung cấp.")
    duty.get_by_role("button", name="Tiếp nhận, phân loại").click()
    duty.wait_for_url(re.compile(r"#status$"))
    assert duty.get_by_test_id("incident-status").inner_text() == "Đã phân loại"
    duty.get_by_label("Giao cho").select_option(str(live_world.provider_officer.id))
    duty.get_by_role("button", name="Giao xử lý").click()
    duty.wait_for_url(re.compile(r"#status$"))
    _shot(duty, "02-triaged-assigned")
    incident.refresh_from_db()
    assert incident.status == Status.TRIAGED
    assert incident.assignee == live_world.provider_officer

    second = _report(unit, base, "Máy chủ tệp bị mã hoá")
    unit.get_by_label("Lý do và hỗ trợ cần có").fill("Không có người phân tích mã độc.")
    unit.get_by_role("button", name="Vượt khả năng xử lý — chuyển Sở").click()
    unit.wait_for_url(re.compile(r"#status$"))
    assert unit.get_by_text("Sự cố đang trong hàng đợi của Sở").is_visible()
    _shot(unit, "03-beyond-capacity")
    second.refresh_from_db()
    assert second.queue == Queue.DEPARTMENT
    assert second.beyond_capacity

    duty.goto(f"{base}/incidents/")
    assert duty.get_by_role("link", name=second.reference).is_visible()
    _shot(duty, "04-department-queue")
