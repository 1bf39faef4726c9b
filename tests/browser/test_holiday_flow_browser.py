"""The whole holiday flow of issue #4 in a real browser, as new users would try it.

The department's duty officer announces a holiday period and publishes the department's roster, a unit
submits its roster, a citizen reports a defaced website on the public portal, the duty officer receives
the alert by e-mail (a real SMTP sink on 127.0.0.1) and in the app, sets the unit, triages and assigns
it, the unit escalates another incident beyond its capacity, the initial report downloads as a DOCX
with the structure of an official document, and the citizen sees the new status by tracking code.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from docx import Document
from docx.shared import Mm

from haidang.apps.duty.models import Roster, RosterStatus
from haidang.apps.incidents.models import Incident, Queue, Source, Status
from tests.apps.notify.receivers import SmtpSink, smtp_sink
from tests.apps.portal.conftest import PNG
from tests.browser.conftest import SHOTS, sign_in
from tests.personas import World

__all__ = ["smtp_sink"]

pytestmark = pytest.mark.browser

LOCAL_INPUT = "%Y-%m-%dT%H:%M"
DUTY_PHONE = "0912 345 678"


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"flow-{name}.png"), full_page=True)


@pytest.fixture
def flow_settings(settings: Any) -> None:
    settings.HAIDANG_HOTLINE = "0225 3888 999"
    settings.HAIDANG_PORTAL_MIN_FILL_SECONDS = 0  # the live server shares this process: no waiting


def _announce_and_publish(page: Any, base: str, world: World) -> None:
    now = timezone.localtime().replace(second=0, microsecond=0)
    start, end = now - timedelta(hours=2), now + timedelta(days=2)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Trực").click()
    page.get_by_role("link", name="Thông báo đợt trực").click()
    page.get_by_label("Tên đợt trực").fill("Nghỉ lễ Quốc khánh")
    page.get_by_label("Bắt đầu").fill(start.strftime(LOCAL_INPUT))
    page.get_by_label("Kết thúc").fill(end.strftime(LOCAL_INPUT))
    page.get_by_label(world.group.name).check()
    page.get_by_role("button", name="Thông báo").click()
    assert page.get_by_text("Đã thông báo đợt trực Nghỉ lễ Quốc khánh.").is_visible()

    table = page.get_by_test_id("period-rosters")
    table.get_by_role("row").filter(has_text="Sở phụ trách").get_by_role("button", name="Lập lịch trực").click()
    page.get_by_role("link", name="+ Thêm ca trực").click()
    page.get_by_label("Bắt đầu ca").fill(start.strftime(LOCAL_INPUT))
    page.get_by_label("Kết thúc ca").fill(end.strftime(LOCAL_INPUT))
    page.get_by_label("Tài khoản nhận thông báo").select_option(str(world.duty.id))
    page.get_by_label("Người trực").fill("Trần Văn Trực")
    page.get_by_label("Điện thoại").fill(DUTY_PHONE)
    page.get_by_role("button", name="Lưu", exact=True).click()
    _shot(page, "01a-shift-saved")
    assert page.get_by_text("Đã thêm ca trực của Trần Văn Trực.").is_visible()
    page.get_by_role("button", name="Công bố lịch trực").click()
    assert page.get_by_text("Đã công bố lịch trực của Sở.").is_visible()
    _shot(page, "01-department-roster")


def _add_email_channel(page: Any, base: str, email: str) -> None:
    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="Tài khoản và bảo mật").click()
    page.get_by_role("link", name="Cấu hình kênh nhận thông báo").click()
    page.get_by_label("Loại kênh").select_option("email")
    page.get_by_label("Địa chỉ thư điện tử").fill(email)
    page.get_by_role("button", name="Thêm kênh").click()
    assert page.get_by_role("status").filter(has_text="Đã thêm kênh").is_visible()


def _unit_submits_roster(page: Any, base: str, world: World) -> None:
    sign_in(page, base, world.officer_a.email)
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Trực").click()
    page.get_by_role("link", name="Nghỉ lễ Quốc khánh").first.click()
    page.get_by_role("button", name="Lập lịch trực").click()
    page.get_by_role("link", name="+ Thêm ca trực").click()
    period = Roster.objects.get(unit=world.unit_a).period
    page.get_by_label("Bắt đầu ca").fill(timezone.localtime(period.starts_at).strftime(LOCAL_INPUT))
    page.get_by_label("Kết thúc ca").fill(timezone.localtime(period.ends_at).strftime(LOCAL_INPUT))
    page.get_by_label("Tài khoản nhận thông báo").select_option(str(world.officer_a.id))
    page.get_by_label("Người trực").fill("Lê Văn Một")
    page.get_by_label("Điện thoại").fill("0987 654 321")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.get_by_role("button", name="Nộp lịch trực").click()
    assert page.get_by_text("Đã nộp lịch trực.").is_visible()
    _shot(page, "02-unit-roster")


def _citizen_reports(page: Any, base: str) -> str:
    page.goto(f"{base}/portal/")
    assert page.get_by_role("link", name="0225 3888 999").first.is_visible()
    assert page.get_by_text("Trần Văn Trực").is_visible()  # the department's duty contact, now
    page.get_by_role("link", name="Báo sự cố an toàn thông tin").click()
    page.get_by_label("Sự việc đã xảy ra").fill("Trang chủ Sở Tư pháp hiện dòng chữ 'Hacked by Ghost'.")
    page.get_by_label("Địa chỉ trang web, số điện thoại hoặc người gửi liên quan").fill("https://stp.example.gov.vn/")
    page.get_by_label("Họ và tên của bạn").fill("Lê Văn Công Dân")
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill("không có")
    page.get_by_role("button", name="Gửi phản ánh").click()
    assert page.get_by_text("Hãy nhập số điện thoại (ví dụ 0912 345 678)").is_visible()
    assert "Hacked by Ghost" in page.get_by_label("Sự việc đã xảy ra").input_value()  # nothing lost
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill("0903 111 222")
    page.get_by_label("Ảnh chụp màn hình hoặc tệp PDF (không bắt buộc)").set_input_files(
        files=[{"name": "trang-chu.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_url(f"{base}/portal/report/received/")
    _shot(page, "03-citizen-receipt")
    return str(page.get_by_test_id("tracking-code").inner_text().strip())


def _duty_triages(page: Any, base: str, world: World, incident: Incident) -> None:
    page.goto(f"{base}/")
    assert page.get_by_test_id("notify-unread").is_visible()
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Sự cố").click()
    page.get_by_role("link", name=incident.reference).click()
    page.get_by_role("link", name="Sửa thông tin").click()
    page.get_by_label("Đơn vị", exact=True).select_option(str(world.unit_a.id))
    page.get_by_label("Loại sự cố").select_option("defacement")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(re.compile(rf"/incidents/{incident.id}/"))
    page.get_by_role("button", name="Tiếp nhận, phân loại").click()
    page.wait_for_url(re.compile(r"#status$"))
    page.get_by_label("Giao cho").select_option(str(world.officer_a.id))
    page.get_by_role("button", name="Giao xử lý").click()
    page.wait_for_url(re.compile(r"#status$"))
    assert page.get_by_test_id("incident-status").inner_text() == "Đã phân loại"
    _shot(page, "04-duty-triaged")


def _unit_escalates(page: Any, base: str) -> Incident:
    page.goto(f"{base}/incidents/")
    page.get_by_role("link", name="Báo cáo sự cố").first.click()
    page.get_by_label("Tiêu đề").fill("Máy chủ tệp bị mã hoá tống tiền")
    page.get_by_label("Loại sự cố").select_option("malware")
    page.get_by_label("Mức độ").select_option("high")
    page.get_by_label("Vượt khả năng xử lý của đơn vị — đề nghị Sở hỗ trợ ngay").check()
    page.get_by_role("button", name="Gửi báo cáo sự cố").click()
    page.wait_for_url(re.compile(r"/incidents/\d+/$"))
    assert page.get_by_text("Sự cố đang trong hàng đợi của Sở").is_visible()
    _shot(page, "05-unit-beyond-capacity")
    return Incident.objects.get(title="Máy chủ tệp bị mã hoá tống tiền")


def _docx_report(page: Any, base: str, incident: Incident) -> Any:
    page.goto(f"{base}/incidents/{incident.id}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Báo cáo ban đầu (DOCX)").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    with open(download.path(), "rb") as stream:
        return Document(io.BytesIO(stream.read()))


def test_the_holiday_flow_end_to_end(
    live_server: Any, live_world: World, new_page: Any, smtp_sink: SmtpSink, flow_settings: None
) -> None:
    base = live_server.url
    world = live_world

    duty = new_page()
    sign_in(duty, base, world.duty.email)
    _add_email_channel(duty, base, "truc.so@so.example.vn")
    _announce_and_publish(duty, base, world)

    unit = new_page()
    _unit_submits_roster(unit, base, world)
    assert Roster.objects.get(unit=world.unit_a).status == RosterStatus.SUBMITTED

    citizen = new_page()
    code = _citizen_reports(citizen, base)
    reported = Incident.objects.get(source=Source.PORTAL)
    # The duty officer on the department roster is e-mailed at once.
    assert any(
        reported.reference in (m["Subject"] or "") + body
        for m, body in zip(smtp_sink.messages, smtp_sink.bodies(), strict=True)
    )
    assert ["truc.so@so.example.vn"] in smtp_sink.recipients

    _duty_triages(duty, base, world, reported)
    reported.refresh_from_db()
    assert (reported.status, reported.unit, reported.assignee) == (Status.TRIAGED, world.unit_a, world.officer_a)

    sent_before = len(smtp_sink.messages)
    escalated = _unit_escalates(unit, base)
    assert escalated.queue == Queue.DEPARTMENT
    assert len(smtp_sink.messages) > sent_before
    assert any("vượt khả năng xử lý" in (m["Subject"] or "") for m in smtp_sink.messages[sent_before:])

    document = _docx_report(duty, base, reported)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert section.left_margin >= Mm(30)
    header = document.tables[0]
    header_text = " ".join(cell.text for row in header.rows for cell in row.cells)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header_text
    assert "Độc lập - Tự do - Hạnh phúc" in header_text
    texts = [p.text for p in document.paragraphs if p.text.strip()]
    body = "\n".join(texts)
    # Decree 30's title: the document type in capitals, then its summary (trích yếu) below it.
    kind_at = texts.index("BÁO CÁO")
    assert texts[kind_at + 1].startswith("Ban đầu về sự cố an toàn thông tin mạng")
    assert "I. THÔNG TIN ĐƠN VỊ BÁO CÁO SỰ CỐ" in texts
    assert reported.reference in body or reported.reference in header_text
    # The closing block (a borderless table): recipients bottom-left, signature bottom-right.
    closing = document.tables[-1]
    assert closing.rows[0].cells[0].text.startswith("Nơi nhận:")
    assert closing is not header
    fonts = {run.font.name for p in document.paragraphs for run in p.runs if run.font.name}
    assert fonts <= {"Times New Roman"}

    citizen.goto(f"{base}/portal/")
    citizen.get_by_role("link", name="Tra cứu phản ánh").first.click()
    citizen.get_by_label("Mã theo dõi").fill(code)
    citizen.get_by_role("button", name="Tra cứu").click()
    assert citizen.get_by_test_id("report-status").inner_text() == "Đã phân loại"
    assert citizen.get_by_text("Lê Văn Một").count() == 0  # the assignee never reaches the portal
    _shot(citizen, "06-citizen-status")
