from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.http import Http404
from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument
from pytest_django.fixtures import Settings as SettingsWrapper

from haidang.apps.incidents import services
from haidang.apps.incidents.models import Category, Incident, Severity, Source
from haidang.apps.incidents.reports import incident_report_document, report_response
from haidang.engines.docs import LabeledField, Table
from tests.personas import World


@pytest.fixture
def agency(settings: SettingsWrapper) -> None:
    settings.HAIDANG_ORG_NAME = "Sở Khoa học và Công nghệ"
    settings.HAIDANG_ORG_PARENT = "UBND thành phố Hải Phòng"
    settings.HAIDANG_ORG_PLACE = "Hải Phòng"
    settings.HAIDANG_ORG_SYMBOL = "SKHCN"


def _incident(world: World) -> Incident:
    world.unit_a.address = "1 Lê Đại Hành, Hồng Bàng"
    world.unit_a.contact_phone = "0225 3822 123"
    world.unit_a.save()
    incident = services.incident_create(
        actor=world.officer_a,
        source=Source.WEB,
        unit=world.unit_a,
        title="Trang chủ bị thay giao diện",
        description="Trang chủ hiển thị 'Hacked by X' <script>alert(1)</script>.",
        category=Category.DEFACEMENT,
        severity=Severity.HIGH,
        systems=[world.system_a],
        discovered_at=timezone.now() - timedelta(hours=2),
        personal_data=True,
        indicators=["http://evil.example/shell.php", "203.0.113.66"],
    )
    services.task_add(actor=world.admin, incident=incident, title="Cô lập máy chủ web")
    services.note_add(actor=world.admin, incident=incident, body="Đã khôi phục giao diện từ bản sao lưu.")
    return incident


def _fields(document: object) -> dict[str, str]:
    return {block.label: block.value for block in document.body if isinstance(block, LabeledField)}  # type: ignore[attr-defined]


def _docx(data: bytes) -> DocxDocument:
    return Document(BytesIO(data))


def test_it_maps_an_incident_to_the_initial_report(world: World, agency: None) -> None:
    incident = _incident(world)
    document = incident_report_document(incident, "initial")
    assert (document.issuer.name, document.issuer.parent) == ("Sở Khoa học và Công nghệ", "UBND thành phố Hải Phòng")
    assert document.symbol == "BC-SKHCN"
    assert document.issued_on == timezone.localdate()
    assert document.summary.startswith("Ban đầu về sự cố an toàn thông tin mạng")
    assert incident.reference in document.summary
    fields = _fields(document)
    assert fields["Tên đơn vị"] == "Sở Tư pháp"
    assert fields["Địa chỉ"] == "1 Lê Đại Hành, Hồng Bàng"
    assert fields["Điện thoại"] == "0225 3822 123"
    assert fields["Phân loại sơ bộ"] == "Thay đổi giao diện (deface)"
    assert fields["Mức độ"] == "Cao"
    assert fields["Liên quan đến dữ liệu cá nhân"] == "Có"
    tables = [block for block in document.body if isinstance(block, Table)]
    systems, indicators = tables
    assert systems.rows[0][1:4] == ("Cổng thông tin Sở Tư pháp", "Sở Tư pháp", "Cấp độ 2")
    assert {row[2] for row in indicators.rows} == {"http://evil.example/shell.php", "203.0.113.66"}
    assert "Sở Tư pháp (để phối hợp)" in document.recipients


def test_it_maps_the_final_report_with_the_timeline(world: World, agency: None) -> None:
    incident = _incident(world)
    document = incident_report_document(incident, "final")
    assert document.summary.startswith("Kết thúc ứng cứu sự cố an toàn thông tin mạng")
    timeline = next(b for b in document.body if isinstance(b, Table) and b.columns[0] == "Thời gian")
    assert any("Đã khôi phục giao diện từ bản sao lưu." in row[2] for row in timeline.rows)
    assert "Nguyên nhân" in _fields(document)


def test_it_refuses_an_unknown_report_kind(world: World) -> None:
    with pytest.raises(ValueError, match="unknown report kind"):
        incident_report_document(_incident(world), "weekly")
    with pytest.raises(Http404):
        report_response(_incident(world), "initial", "exe")


def test_it_downloads_the_initial_report_as_docx(world: World, agency: None) -> None:
    incident = _incident(world)
    response = report_response(incident, "initial", "docx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = response["Content-Disposition"]
    assert disposition == f'attachment; filename="bao-cao-ban-dau-{incident.reference.replace("/", "-")}.docx"'
    assert disposition.isascii()
    assert response["X-Content-Type-Options"] == "nosniff"
    document = _docx(response.content)
    header = document.tables[0]
    assert header.rows[0].cells[0].text.startswith("UBND THÀNH PHỐ HẢI PHÒNG\nSỞ KHOA HỌC VÀ CÔNG NGHỆ")
    assert header.rows[0].cells[1].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    assert header.rows[1].cells[0].text.replace(" ", "") == "Số:/BC-SKHCN"
    today = timezone.localdate()
    assert header.rows[1].cells[1].text.startswith(f"Hải Phòng, ngày {today:%d}")
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "BÁO CÁO"
    assert "I. THÔNG TIN ĐƠN VỊ BÁO CÁO SỰ CỐ" in texts
    assert "Trang chủ hiển thị 'Hacked by X' <script>alert(1)</script>." in texts
    assert document.tables[-1].rows[0].cells[0].paragraphs[0].text == "Nơi nhận:"
    assert document.tables[-1].rows[0].cells[1].paragraphs[0].text == "GIÁM ĐỐC"


def test_it_downloads_the_final_report_as_pdf(world: World, agency: None) -> None:
    response = report_response(_incident(world), "final", "pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="bao-cao-ket-thuc-')
    assert response.content.startswith(b"%PDF-")


def test_it_reports_a_public_report_with_the_reporter(world: World, agency: None) -> None:
    receipt = services.incident_report_public(
        kind="scam",
        reporter_name="Nguyễn Thị Dân",
        reporter_contact="0912345678",
        subject_url="https://ngan-hang-gia.example/",
        description="Tin nhắn mạo danh ngân hàng yêu cầu đăng nhập.",
    )
    fields = _fields(incident_report_document(receipt.incident, "initial"))
    assert fields["Người phản ánh"] == "Nguyễn Thị Dân"
    assert fields["Địa chỉ liên quan (URL, tên miền, số điện thoại)"] == "https://ngan-hang-gia.example/"
