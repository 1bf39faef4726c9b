"""In a browser: the duty officer walks from the city overview to a finding, compares it with the
baseline (the hostile page stays text: no script runs) and closes it as a legitimate change."""

from __future__ import annotations

import re
from typing import Any

import pytest

from haidang.apps.monitoring.models import Disposition, FindingState
from tests.apps.web.monitoring_world import build_monitoring
from tests.browser.conftest import SHOTS, sign_in
from tests.personas import World

pytestmark = pytest.mark.browser


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"monitoring-{name}.png"), full_page=True)


def _check_period_form_keeps_input(page: Any, base: str) -> None:
    page.goto(f"{base}/monitoring/periods/")
    page.get_by_label("Tên đợt").fill("Nghỉ lễ Quốc khánh 2/9")
    page.get_by_role("button", name="Tạo đợt").click()
    assert page.get_by_text("Hãy nhập ngày giờ.").first.is_visible()
    assert page.get_by_label("Tên đợt").input_value() == "Nghỉ lễ Quốc khánh 2/9"  # nothing typed is lost
    _shot(page, "06-period-errors")


def _check_evidence_side_by_side(page: Any) -> None:
    current = page.get_by_test_id("snapshot-current")
    baseline = page.get_by_test_id("snapshot-baseline")
    assert current.is_visible()
    assert baseline.is_visible()
    assert "<script>alert(1)</script>" in current.inner_text()  # shown as text...
    assert page.locator("main script, main img[onerror]").count() == 0  # ...never as markup
    assert "<script>alert(3)</script>" in page.get_by_test_id("finding-evidence").inner_text()
    current_box, baseline_box = current.bounding_box(), baseline.bounding_box()
    assert current_box["x"] < baseline_box["x"]  # side by side
    assert abs(current_box["y"] - baseline_box["y"]) < 40
    assert "Googlebot" in page.get_by_test_id("finding-probes").inner_text()


def test_it_takes_the_duty_officer_from_the_overview_to_a_decision(
    live_server: Any, live_world: World, new_page: Any
) -> None:
    mon = build_monitoring(live_world)
    base = live_server.url
    page = new_page(viewport={"width": 1280, "height": 900})
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, base, live_world.duty.email)

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Giám sát").click()
    page.wait_for_url(f"{base}/monitoring/")
    row = page.get_by_role("row").filter(has_text=live_world.unit_a.name)
    assert row.get_by_text("Nghiêm trọng").is_visible()  # the colour is also said in words
    _shot(page, "01-overview")

    row.get_by_role("link", name=live_world.unit_a.name).click()
    page.wait_for_url(re.compile(r"/monitoring/units/\d+/$"))
    _shot(page, "02-unit")
    page.get_by_role("link", name=live_world.website_a.url).click()
    page.wait_for_url(re.compile(r"/monitoring/websites/\d+/$"))
    assert page.get_by_test_id("site-status").first.inner_text().strip() == "Có dấu hiệu bất thường"
    assert page.locator("svg[role=img]").count() == 2
    _shot(page, "03-website")

    page.get_by_role("link", name=mon.finding_a.title).first.click()
    page.wait_for_url(re.compile(r"/monitoring/findings/\d+/$"))
    _check_evidence_side_by_side(page)
    _shot(page, "04-finding")

    page.locator("summary", has_text="Xác nhận thay đổi hợp lệ").click()
    page.get_by_role("button", name="Xác nhận là thay đổi hợp lệ").click()
    assert page.get_by_text("Hãy nêu lý do.").first.is_visible()
    page.locator("#id_legitimate-reason").fill("Đơn vị thay giao diện mới theo kế hoạch ngày 1/9.")
    page.get_by_role("button", name="Xác nhận là thay đổi hợp lệ").click()
    page.wait_for_url(re.compile(r"#actions$"))
    assert page.get_by_role("status").filter(has_text="Đã xác nhận đây là thay đổi hợp lệ").is_visible()
    assert page.get_by_test_id("finding-disposition").first.inner_text() == "Thay đổi hợp lệ"
    _shot(page, "05-legitimate")

    mon.finding_a.refresh_from_db()
    assert mon.finding_a.disposition == Disposition.LEGITIMATE
    assert mon.finding_a.state == FindingState.RESOLVED
    assert dialogs == []  # no alert() from the scanned page ever ran

    _check_period_form_keeps_input(page, base)
