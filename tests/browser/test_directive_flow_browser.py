"""Directives end to end in a real browser, on the 88 units of the letter's appendix.

The department's duty officer creates a directive from the letter's template and dispatches it to every
government unit; a unit officer acknowledges it and reports item by item with a file, a link and a
reason for an item that does not apply; item 1d is verified by the platform itself, because the unit's
website (a real site on 127.0.0.1) was scanned clean; the department returns one report with a comment
and accepts another; the officer sees why; and the follow-up report (DOCX) and the matrix (XLSX)
download with those states in them.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect

from haidang.apps.accounts.models import Role, User
from haidang.apps.directives.models import Directive, EvidenceKind, ItemReport, Recipient, ReviewStatus
from haidang.apps.registry.models import Unit, Website
from haidang.apps.registry.unit_io import seed_units_if_empty
from tests.apps.incidents.files import PDF
from tests.apps.monitoring.conftest import LocalSite, local_site
from tests.browser.conftest import sign_in
from tests.personas import PASSWORD

__all__ = ["local_site"]

pytestmark = pytest.mark.browser

PAGES = Path("/tmp/directive-pages")  # noqa: S108 - screenshots are meant to be looked at after the run
UNIT_NAME = "Sở Tư pháp"
NUMBER = "1234/STTTT-BCVT"
RETURN_COMMENT = "Chưa thấy văn bản gửi nhà cung cấp dịch vụ: đề nghị bổ sung bản có chữ ký."


class People:
    def __init__(self) -> None:
        self.unit = Unit.objects.get(name=UNIT_NAME)
        self.duty = User.objects.create_user("truc@so.example.vn", PASSWORD, role=Role.DUTY, full_name="Trần Văn Trực")
        self.officer = User.objects.create_user(
            "canbo@stp.example.vn", PASSWORD, role=Role.UNIT, unit=self.unit, full_name="Lê Thị Một"
        )


@pytest.fixture
def people(transactional_db: None) -> People:
    """The appendix's 88 units, loaded the way the platform does on first start, and two people."""
    assert seed_units_if_empty() == 88
    return People()


def _shot(page: Any, name: str) -> None:
    PAGES.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(PAGES / f"receipt-{name}.png"), full_page=True)


def _item(page: Any, code: str) -> Any:
    return page.get_by_test_id(f"item-{code}")


# --- the unit's website, scanned clean ---------------------------------------------------------


def _register_and_scan(unit_page: Any, duty: Any, base: str, people: People, site: LocalSite) -> None:
    unit_page.goto(f"{base}/units/{people.unit.id}/")
    unit_page.get_by_role("link", name="+ Thêm trang web").click()
    unit_page.get_by_label("Địa chỉ URL").fill(site.url)
    unit_page.get_by_label("Tên trang").fill("Cổng thông tin Sở Tư pháp")
    unit_page.get_by_role("button", name="Lưu").click()
    unit_page.wait_for_url(re.compile(r"/units/\d+/#websites$"))
    website = Website.objects.get(url=site.url)
    duty.goto(f"{base}/monitoring/websites/{website.id}/")
    duty.get_by_role("button", name="Quét ngay").click()
    duty.wait_for_load_state()
    assert duty.get_by_test_id("site-status").first.inner_text().strip() == "Bình thường"


# --- the department ----------------------------------------------------------------------------


def _create_and_dispatch(page: Any) -> Directive:
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Chỉ đạo").click()
    page.get_by_role("link", name="Tạo văn bản từ mẫu").click()
    page.get_by_label("Số, ký hiệu").fill(NUMBER)
    page.get_by_role("button", name="Tạo bản nháp từ mẫu này").click()
    expect(page.get_by_role("status").filter(has_text="Đã tạo bản nháp từ mẫu.")).to_be_visible()
    page.get_by_role("link", name="Gửi tới nơi nhận").click()
    page.get_by_label("Tất cả cơ quan, đơn vị nhà nước").check()
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Đã gửi tới 88 nơi nhận.")).to_be_visible()
    return Directive.objects.get(number=NUMBER)


def _matrix_row(page: Any) -> Any:
    return page.get_by_test_id("matrix").get_by_role("row").filter(has_text=UNIT_NAME)


def _department_follows_up(page: Any, directive: Directive) -> None:
    """The matrix shows the unit's states; the report and the spreadsheet carry them."""
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Chỉ đạo").click()
    page.get_by_role("link", name=NUMBER).click()
    page.get_by_role("link", name="Xem ma trận").click()
    row = _matrix_row(page)
    for label in ("1b: Sở trả lại", "1c: Sở đã chấp nhận", "1d: Nền tảng tự xác minh", "1h: Đã báo cáo, chờ xem xét"):
        assert row.get_by_text(label, exact=True).count() == 1, label
    _shot(page, "07-department-matrix")

    with page.expect_download() as download:
        page.get_by_role("link", name="Báo cáo (DOCX)").click()
    assert download.value.suggested_filename.endswith(".docx")
    document = Document(download.value.path())
    paragraphs = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert NUMBER in paragraphs
    for line in ("Sở trả lại: 1", "Sở đã chấp nhận: 1", "Nền tảng tự xác minh: 1", "Đã báo cáo, chờ xem xét: 1"):
        assert line in paragraphs, line
    assert re.search(rf"{UNIT_NAME} \([^)]*\): hoàn thành 3/8 mục; chưa hoàn thành: 1a, 1b, 1e, 1f, 1g", paragraphs)
    appendix = [[cell.text for cell in table_row.cells] for table in document.tables for table_row in table.rows]
    assert [UNIT_NAME, "Đã xác nhận", "3/8"] in [line[1:4] for line in appendix]
    assert sum(1 for line in appendix if line[3:4] == ["0/8"]) == 87  # nobody else has done anything
    assert [UNIT_NAME, "1b", RETURN_COMMENT] in [line[1:4] for line in appendix]  # section V: returned reports

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải ma trận (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    returned = [line[1:4] for line in workbook["Sở trả lại"].iter_rows(values_only=True)]
    assert (UNIT_NAME, "1b", RETURN_COMMENT) in returned
    sheet = workbook["Ma trận"]
    values = [[cell for cell in line] for line in sheet.iter_rows(values_only=True)]
    header = next(line for line in values if "1a" in line and "1h" in line)
    units = [line for line in values if len(line) > 1 and line[1] and line[0] is not None and str(line[0]).isdigit()]
    assert len(units) == 88
    ours = dict(zip(header, next(line for line in units if line[1] == UNIT_NAME), strict=True))
    assert ours["1b"] == "Sở trả lại"
    assert ours["1c"] == "Sở đã chấp nhận"
    assert ours["1d"] == "Nền tảng tự xác minh"
    assert ours["1h"] == "Đã báo cáo, chờ xem xét"
    assert ours["1a"] == "Chưa báo cáo"


# --- the unit ----------------------------------------------------------------------------------


def _open_receipt_from_list(page: Any) -> None:
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Chỉ đạo").click()
    page.get_by_test_id("directive-list").get_by_role("link", name="Báo cáo").click()
    page.wait_for_url(re.compile(r"/directives/receipts/\d+/"))


def _open_receipt_from_unit_page(page: Any, base: str, people: People) -> None:
    page.goto(f"{base}/units/{people.unit.id}/")
    history = page.get_by_test_id("unit-directives")
    assert NUMBER in history.inner_text()
    history.get_by_role("link", name="Xem").click()
    page.wait_for_url(re.compile(r"/directives/receipts/\d+/"))


def _open_forms(item: Any) -> None:
    if not item.get_by_test_id("report-form").is_visible():
        item.locator("details.receipt-actions > summary").click()


def _report(page: Any, code: str, status: str, note: str = "") -> None:
    item = _item(page, code)
    _open_forms(item)
    item.get_by_label(status, exact=True).check()
    item.get_by_label("Giải trình").fill(note)
    with page.expect_navigation():
        item.get_by_role("button", name="Lưu báo cáo").click()


def _unit_reports(page: Any) -> None:
    _open_receipt_from_list(page)
    assert page.get_by_test_id("receipt-acknowledged").inner_text().strip() == "Chưa xác nhận"
    _shot(page, "01-unit-received")
    page.get_by_role("button", name="Xác nhận đã nhận văn bản").click()
    expect(page.get_by_role("status").filter(has_text="Đã xác nhận đơn vị nhận được văn bản.")).to_be_visible()
    assert "Lê Thị Một" in page.get_by_test_id("receipt-acknowledged").inner_text()

    _report(page, "1b", "Đã thực hiện", "Đã có văn bản yêu cầu nhà cung cấp dịch vụ ưu tiên giám sát.")
    item = _item(page, "1b")
    _open_forms(item)
    item.get_by_label("Tệp", exact=True).set_input_files(
        files=[{"name": "van-ban-yeu-cau.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    item.get_by_role("button", name="Thêm minh chứng").click()
    page.wait_for_url(re.compile(r"#report-\d+$"))
    assert _item(page, "1b").get_by_role("link", name="van-ban-yeu-cau.pdf").is_visible()

    _report(page, "1c", "Đã thực hiện", "Đã gửi tài liệu tuyên truyền tới toàn thể cán bộ.")
    item = _item(page, "1c")
    _open_forms(item)
    item.get_by_label("hoặc đường dẫn").fill("https://stp.example.gov.vn/tin-tuc/tuyen-truyen-attt")
    item.get_by_role("button", name="Thêm minh chứng").click()
    page.wait_for_url(re.compile(r"#report-\d+$"))
    link = _item(page, "1c").get_by_role("link", name="https://stp.example.gov.vn/tin-tuc/tuyen-truyen-attt")
    assert link.get_attribute("target") == "_blank"
    assert "noopener" in (link.get_attribute("rel") or "")

    _report(page, "1h", "Không áp dụng")  # no reason: refused, the choice is kept
    assert _item(page, "1h").get_by_text("Ghi rõ lý do mục này không áp dụng với đơn vị.").is_visible()
    assert _item(page, "1h").get_by_label("Không áp dụng", exact=True).is_checked()
    _shot(page, "02-unit-not-applicable-refused")
    _report(page, "1h", "Không áp dụng", "Dữ liệu của Sở lưu tại Trung tâm dữ liệu thành phố, do Trung tâm sao lưu.")

    auto = _item(page, "1d").get_by_test_id("item-auto")
    assert auto.get_by_test_id("item-auto-verdict").inner_text().strip() == "Đạt"
    assert "tính lúc" in auto.inner_text()
    assert _item(page, "1d").get_by_test_id("item-state").inner_text().strip() == "Nền tảng tự xác minh"
    _shot(page, "03-unit-reported")


def _department_reviews(page: Any) -> None:
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Chỉ đạo").click()
    page.get_by_role("link", name=NUMBER).click()
    page.get_by_test_id("directive-recipients").get_by_role("link", name=UNIT_NAME, exact=True).click()
    page.wait_for_url(re.compile(r"/directives/receipts/\d+/"))
    item = _item(page, "1b")
    with page.expect_download() as download:
        item.get_by_role("link", name="van-ban-yeu-cau.pdf").click()
    assert Path(download.value.path()).read_bytes() == PDF
    with page.expect_navigation():
        item.get_by_role("button", name="Trả lại, yêu cầu bổ sung").click()  # without a comment: refused
    assert _item(page, "1b").get_by_text("Ghi rõ lý do trả lại để đơn vị bổ sung.").is_visible()
    _item(page, "1b").get_by_label("Ý kiến của Sở").fill(RETURN_COMMENT)
    _item(page, "1b").get_by_role("button", name="Trả lại, yêu cầu bổ sung").click()
    page.wait_for_url(re.compile(r"#report-\d+$"))
    assert _item(page, "1b").get_by_test_id("item-state").inner_text().strip() == "Sở trả lại"
    _item(page, "1c").get_by_role("button", name="Chấp nhận").click()
    page.wait_for_url(re.compile(r"#report-\d+$"))
    assert _item(page, "1c").get_by_test_id("item-state").inner_text().strip() == "Sở đã chấp nhận"
    _shot(page, "04-department-reviewed")


def test_a_directive_goes_to_88_units_and_comes_back_reported(
    live_server: Any, people: People, new_page: Any, local_site: LocalSite, settings: Any
) -> None:
    settings.HAIDANG_ALLOW_PRIVATE_TARGETS = True
    base = live_server.url
    unit = new_page()
    sign_in(unit, base, people.officer.email)
    duty = new_page()
    sign_in(duty, base, people.duty.email)
    _register_and_scan(unit, duty, base, people, local_site)

    directive = _create_and_dispatch(duty)
    assert Recipient.objects.filter(directive=directive).count() == 88
    receipt = Recipient.objects.get(directive=directive, unit=people.unit)

    _unit_reports(unit)
    reports = {
        report.item.code: report for report in ItemReport.objects.filter(recipient=receipt).select_related("item")
    }
    assert reports["1b"].evidence.get().kind == EvidenceKind.FILE
    assert reports["1h"].status == "not_applicable"

    _department_reviews(duty)
    assert ItemReport.objects.get(id=reports["1b"].id).review == ReviewStatus.RETURNED

    _open_receipt_from_unit_page(unit, base, people)
    assert _item(unit, "1b").get_by_test_id("item-review-comment").inner_text().strip() == RETURN_COMMENT
    assert _item(unit, "1b").get_by_test_id("report-form").is_visible() is False  # until they choose to report again
    _shot(unit, "05-unit-sees-return")
    unit.set_viewport_size({"width": 390, "height": 844})
    _shot(unit, "06-unit-phone")

    _department_follows_up(duty, directive)
