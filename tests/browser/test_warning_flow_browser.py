"""A vulnerability warning end to end in a real browser.

The duty officer uploads the NVD and KEV sample files, matches the inventory again (unit A's system runs
a vulnerable Log4j), opens Log4Shell, composes a warning from it and sends it to the unit that was found
affected; the unit officer acknowledges, reports the system patched with the new version and uploads a
PDF as evidence; the platform verifies the new version at once, and the department sees 1/1 fixed and
downloads the letter (DOCX).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from haidang.apps.advisories.models import AffectedSystem, SecurityWarning, Verification
from haidang.apps.registry.models import SoftwareComponent
from tests.apps.incidents.files import PDF
from tests.browser.conftest import sign_in
from tests.personas import World

pytestmark = pytest.mark.browser

SAMPLES = Path(__file__).resolve().parents[1] / "engines" / "intel" / "samples"
SHOTS = Path("/tmp/warn-shots")  # noqa: S108 - screenshots are meant to be looked at after the run
LOG4SHELL = "CVE-2021-44228"
NUMBER = "12/CB-ATTT"


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _status(page: Any, text: str) -> None:
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def _nav(page: Any) -> Any:
    return page.get_by_role("navigation", name="Điều hướng chính")


# --- the department ----------------------------------------------------------------------------


def _import_and_match(page: Any) -> None:
    _nav(page).get_by_role("link", name="Lỗ hổng").click()
    page.get_by_role("link", name="Cơ sở dữ liệu CVE").click()
    page.get_by_label("Tệp NVD (CVE API 2.0, .json hoặc .json.gz)").set_input_files(SAMPLES / "nvd_cves_2.0.json")
    page.get_by_role("button", name="Nhập tệp NVD").click()
    _status(page, "Đã đọc 7 bản ghi: 7 mới")
    _status(page, "Kiểm kê sẽ được đối chiếu lại trong giây lát")
    page.get_by_label("Danh mục KEV của CISA (.json)").set_input_files(SAMPLES / "known_exploited_vulnerabilities.json")
    page.get_by_role("button", name="Nhập tệp KEV").click()
    _status(page, "Đã đọc 5 CVE trong danh mục KEV")
    # Each import already matched the inventory in the background (eager tasks here), so a manual run
    # finds the same pair again and nothing new.
    page.get_by_role("button", name="Đối chiếu lại kiểm kê").click()
    _status(page, "1 cặp hệ thống – CVE, 0 mới phát hiện")
    _shot(page, "01-advisories")


def _compose_and_send(page: Any, world: World) -> SecurityWarning:
    page.get_by_label("Tìm theo mã CVE hoặc mô tả").fill("log4j")
    page.get_by_role("button", name="Tìm").click()
    page.get_by_test_id("advisory-list").get_by_role("link", name=LOG4SHELL).click()
    expect(page.get_by_test_id("advisory-affected")).to_contain_text("Sở Tư pháp")
    _shot(page, "02-advisory-detail")
    page.get_by_role("link", name="Soạn cảnh báo").click()
    expect(page.get_by_label("Mã CVE")).to_have_value(LOG4SHELL)
    expect(page.get_by_label("Mức độ")).to_have_value("critical")
    page.get_by_label("Số, ký hiệu").fill(NUMBER)
    _shot(page, "03-compose")
    page.get_by_role("button", name="Tạo bản nháp").click()
    _status(page, "Đã tạo bản nháp cảnh báo.")
    page.get_by_role("link", name="Gửi tới đơn vị").click()
    box = page.get_by_test_id("send-affected").get_by_role("checkbox", name=re.compile("Sở Tư pháp"))
    expect(box).to_be_checked()
    expect(page.get_by_test_id("send-affected")).to_contain_text("Cổng thông tin Sở Tư pháp")
    _shot(page, "04-send")
    page.get_by_role("button", name="Gửi cảnh báo").click()
    _status(page, "Đã gửi cảnh báo tới 1 đơn vị.")
    return SecurityWarning.objects.get(number=NUMBER)


def _department_follows_up(page: Any) -> None:
    _nav(page).get_by_role("link", name="Lỗ hổng").click()
    page.get_by_test_id("warning-list").get_by_role("link", name=NUMBER).click()
    expect(page.get_by_test_id("warning-fixed")).to_have_text("1/1")
    expect(page.get_by_test_id("warning-acknowledged")).to_have_text("1/1")
    _shot(page, "08-department-detail")
    page.get_by_test_id("warning-units").get_by_role("link", name="Sở Tư pháp").click()
    expect(page.get_by_test_id("system-verify")).to_contain_text("Nền tảng đã xác minh")
    _shot(page, "09-department-receipt")


def _download_letter(page: Any) -> None:
    try:
        import haidang.apps.advisories.reports  # noqa: F401
    except ImportError:
        return
    from docx import Document

    page.get_by_role("link", name="Tình hình chung").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Văn bản cảnh báo (DOCX)").click()
    assert download.value.suggested_filename.endswith(".docx")
    document = Document(download.value.path())
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert NUMBER in text + cells
    assert LOG4SHELL in text + cells


# --- the unit ----------------------------------------------------------------------------------


def _unit_reports(page: Any) -> None:
    _nav(page).get_by_role("link", name="Lỗ hổng").click()
    page.get_by_test_id("warning-list").get_by_role("link", name="Báo cáo").click()
    page.wait_for_url(re.compile(r"/warnings/receipts/\d+/"))
    expect(page.get_by_test_id("receipt-acknowledged")).to_have_text("Chưa xác nhận")
    _shot(page, "05-unit-received")
    page.get_by_role("button", name="Xác nhận đã nhận cảnh báo").click()
    _status(page, "Đã xác nhận đơn vị nhận được cảnh báo.")

    system = page.locator("article.vuln-system").first
    system.get_by_label("Đã vá", exact=True).check()
    system.get_by_role("button", name="Lưu báo cáo").click()  # without the version: refused, choice kept
    system = page.locator("article.vuln-system").first
    expect(system.get_by_text("Hãy ghi phiên bản sau khi vá để nền tảng xác minh.")).to_be_visible()
    expect(system.get_by_label("Đã vá", exact=True)).to_be_checked()
    _shot(page, "06-unit-version-refused")
    system.get_by_label("Phiên bản sau khi vá").fill("2.17.1")
    system.get_by_label("Giải trình").fill("Đã nâng cấp Log4j lên 2.17.1 trên máy chủ ứng dụng.")
    system.get_by_role("button", name="Lưu báo cáo").click()
    _status(page, "Đã lưu báo cáo khắc phục hệ thống")
    system = page.locator("article.vuln-system").first
    expect(system.get_by_test_id("system-verify")).to_contain_text("Nền tảng đã xác minh")

    if not system.get_by_test_id("evidence-form").is_visible():
        system.locator("details.receipt-actions > summary").click()
    system.get_by_label("Tệp minh chứng").set_input_files(
        files=[{"name": "bien-ban-va-loi.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    system.get_by_role("button", name="Thêm minh chứng").click()
    _status(page, "Đã thêm minh chứng cho hệ thống")
    expect(page.get_by_role("link", name="bien-ban-va-loi.pdf")).to_be_visible()
    expect(page.get_by_test_id("receipt-progress")).to_have_text("1/1")
    _shot(page, "07-unit-reported")
    page.set_viewport_size({"width": 390, "height": 844})
    _shot(page, "07b-unit-phone")


def test_a_warning_goes_to_the_affected_unit_and_comes_back_fixed(
    live_server: Any, live_world: World, new_page: Any
) -> None:
    base = live_server.url
    SoftwareComponent.objects.create(
        unit=live_world.unit_a, system=live_world.system_a, vendor="Apache", product="Log4j", version="2.14.1"
    )
    duty = new_page(viewport={"width": 1280, "height": 900})
    sign_in(duty, base, live_world.duty.email)
    _import_and_match(duty)
    warning = _compose_and_send(duty, live_world)
    assert [r.unit_id for r in warning.recipients.all()] == [live_world.unit_a.id]

    unit = new_page(viewport={"width": 1280, "height": 900})
    sign_in(unit, base, live_world.officer_a.email)
    _unit_reports(unit)
    system = AffectedSystem.objects.get(recipient__warning=warning)
    assert (system.fixed_version, system.verification) == ("2.17.1", Verification.VERIFIED)
    assert system.evidence.get().original_name == "bien-ban-va-loi.pdf"
    assert SoftwareComponent.objects.get(system=live_world.system_a).version == "2.17.1"

    _department_follows_up(duty)
    _download_letter(duty)
    duty.set_viewport_size({"width": 390, "height": 844})
    duty.goto(f"{base}/warnings/{warning.id}/")
    _shot(duty, "10-department-phone")
