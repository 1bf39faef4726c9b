"""The warning letter: what the DOCX and the PDF carry, and that hostile text cannot break them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.utils import timezone
from docx import Document
from docx.document import Document as DocxDocument
from pytest_django.fixtures import Settings as SettingsWrapper

from haidang.apps.advisories.models import (
    AffectedSystem,
    SecurityWarning,
    Severity,
    Vulnerability,
    WarningRecipient,
)
from haidang.apps.advisories.reports import (
    APPENDIX_TITLE,
    KEV_LABEL,
    warning_document,
    warning_docx,
    warning_pdf,
)
from haidang.apps.registry.models import Unit
from haidang.engines.docs import Paragraph, Table, document_html
from tests.personas import World

NUMBER = "12/CB-ATTT"
TITLE = "cảnh báo lỗ hổng nghiêm trọng trong Exchange và Confluence"
#: 17:00 local time, whatever the test database stores.
DEADLINE = timezone.make_aware(datetime(2026, 9, 5, 17, 0))
LONG_DESCRIPTION = "Microsoft Exchange Server remote code execution vulnerability " * 20


@dataclass
class Letter:
    warning: SecurityWarning
    kev: Vulnerability
    other: Vulnerability


@pytest.fixture
def agency(settings: SettingsWrapper) -> None:
    settings.HAIDANG_ORG_PLACE = "Hải Phòng"
    settings.HAIDANG_ORG_SYMBOL = "STTTT"


def make_warning(world: World, **fields: object) -> Letter:
    """Two CVEs (one in KEV), sent to unit A (two systems) and unit B (one), written directly to the ORM."""
    kev = Vulnerability.objects.create(
        cve_id="CVE-2026-10001",
        description=LONG_DESCRIPTION,
        cvss_score=Decimal("9.8"),
        cvss_severity="CRITICAL",
        in_kev=True,
        kev_due_date=date(2026, 9, 20),
        kev_required_action="Apply mitigations per vendor instructions.",
    )
    other = Vulnerability.objects.create(
        cve_id="CVE-2026-20002",
        description="Confluence path traversal.",
        cvss_score=Decimal("7.5"),
        cvss_severity="HIGH",
    )
    values: dict[str, object] = {
        "number": NUMBER,
        "issued_on": date(2026, 8, 29),
        "issuer": "Sở Thông tin và Truyền thông",
        "issuer_parent": "UBND thành phố Hải Phòng",
        "signer_title": "Giám đốc",
        "signer_name": "Nguyễn Văn An",
        "title": TITLE,
        "summary": "Các lỗ hổng sau ảnh hưởng tới phần mềm đang dùng tại đơn vị.\nKẻ tấn công đã khai thác.",
        "action": "Cập nhật bản vá của nhà sản xuất.\nRà soát nhật ký truy cập.",
        "severity": Severity.CRITICAL,
        "deadline": DEADLINE,
    }
    values.update(fields)
    warning = SecurityWarning.objects.create(**values)
    warning.vulnerabilities.set([other, kev])
    sent = timezone.make_aware(datetime(2026, 8, 29, 9, 0))
    recipient_a = WarningRecipient.objects.create(warning=warning, unit=world.unit_a, sent_at=sent)
    recipient_b = WarningRecipient.objects.create(warning=warning, unit=world.unit_b, sent_at=sent)
    AffectedSystem.objects.create(
        recipient=recipient_a,
        system=world.system_a,
        label="Cổng thông tin Sở Tư pháp",
        software="Microsoft Exchange Server 2019 CU12",
        cves=[kev.cve_id],
    )
    AffectedSystem.objects.create(
        recipient=recipient_a, label="Wiki nội bộ", software="Atlassian Confluence 7.13", cves=[other.cve_id]
    )
    AffectedSystem.objects.create(
        recipient=recipient_b,
        system=world.system_b,
        label="Cổng thông tin Sở Y tế",
        software="Microsoft Exchange Server 2016",
        cves=[kev.cve_id, other.cve_id],
    )
    return Letter(warning=warning, kev=kev, other=other)


@pytest.fixture
def letter(world: World, agency: None) -> Letter:
    return make_warning(world)


def _open(data: bytes) -> DocxDocument:
    return Document(BytesIO(data))


def _all_text(document: DocxDocument) -> str:
    """Body paragraphs and every table cell (header, CVE table, appendix, closing)."""
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _table_rows(document: DocxDocument, first_header: str, second_header: str) -> list[list[str]]:
    for table in document.tables:
        header = [cell.text for cell in table.rows[0].cells]
        if header[:2] == [first_header, second_header]:
            return [[cell.text for cell in row.cells] for row in table.rows[1:]]
    raise AssertionError(f"no table headed {first_header}, {second_header}")


def test_it_writes_the_letter_as_docx(letter: Letter) -> None:
    document = _open(warning_docx(letter.warning))
    text = _all_text(document)
    header = document.tables[0]
    assert header.rows[0].cells[0].text.split("\n")[:2] == ["UBND THÀNH PHỐ HẢI PHÒNG", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"]
    assert header.rows[0].cells[1].text.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc")
    assert header.rows[1].cells[0].text == "Số: 12/CB-ATTT"
    assert header.rows[1].cells[1].text == "Hải Phòng, ngày 29 tháng 8 năm 2026"
    assert f"V/v {TITLE}" in [paragraph.text for paragraph in document.paragraphs]
    for cve in ("CVE-2026-10001", "CVE-2026-20002"):
        assert cve in text
    assert KEV_LABEL in text
    assert "Thời hạn hoàn thành khắc phục và báo cáo: trước 17:00 ngày 05/09/2026" in text
    assert "Kính gửi:\n- Sở Tư pháp;\n- Sở Y tế." in text
    for label in ("Cổng thông tin Sở Tư pháp", "Wiki nội bộ", "Cổng thông tin Sở Y tế"):
        assert label in text
    assert APPENDIX_TITLE in text
    assert "nền tảng Hải Đăng" in text
    closing = document.tables[-1].rows[0].cells
    assert closing[0].text.split("\n") == [
        "Nơi nhận:",
        "- Như trên;",
        "- UBND thành phố Hải Phòng (để báo cáo);",
        "- Lưu: VT.",
    ]
    signature = [line for line in closing[1].text.split("\n") if line]
    assert signature == ["GIÁM ĐỐC", "Nguyễn Văn An"]


def test_it_keeps_each_line_of_the_summary_and_action_as_a_paragraph(letter: Letter) -> None:
    paragraphs = [paragraph.text for paragraph in _open(warning_docx(letter.warning)).paragraphs]
    assert "Các lỗ hổng sau ảnh hưởng tới phần mềm đang dùng tại đơn vị." in paragraphs
    assert "Kẻ tấn công đã khai thác." in paragraphs
    assert "Cập nhật bản vá của nhà sản xuất." in paragraphs
    assert "Rà soát nhật ký truy cập." in paragraphs


def test_it_lists_the_cves_kev_first_with_vietnamese_levels(letter: Letter) -> None:
    rows = _table_rows(_open(warning_docx(letter.warning)), "STT", "Mã CVE")
    assert [row[:2] for row in rows] == [["1", "CVE-2026-10001"], ["2", "CVE-2026-20002"]]
    kev, other = rows
    assert kev[2] == f"Nghiêm trọng\n{KEV_LABEL}"
    assert other[2:4] == ["Cao", "7.5"]
    assert kev[3] == "9.8"
    assert len(kev[4]) <= 300
    assert kev[4].endswith("…")
    assert other[4] == "Confluence path traversal."


def test_it_lists_every_unit_and_system_in_the_appendix(world: World, letter: Letter) -> None:
    unit_c = Unit.objects.create(group=world.group, number=3, name="Sở Xây dựng", short_code="so-xay-dung")
    WarningRecipient.objects.create(warning=letter.warning, unit=unit_c, sent_at=DEADLINE)
    document = _open(warning_docx(letter.warning))
    assert _table_rows(document, "STT", "Đơn vị") == [
        ["1", "Sở Tư pháp", "Cổng thông tin Sở Tư pháp", "Microsoft Exchange Server 2019 CU12", "CVE-2026-10001"],
        ["", "", "Wiki nội bộ", "Atlassian Confluence 7.13", "CVE-2026-20002"],
        ["2", "Sở Y tế", "Cổng thông tin Sở Y tế", "Microsoft Exchange Server 2016", "CVE-2026-10001, CVE-2026-20002"],
        ["3", "Sở Xây dựng", "—", "—", "—"],
    ]
    # Up to five addressees are named after "Kính gửi:".
    assert "Kính gửi:\n- Sở Tư pháp;\n- Sở Y tế;\n- Sở Xây dựng." in _all_text(document)


def test_it_builds_the_number_from_the_stored_one(world: World, agency: None) -> None:
    assert warning_document(make_warning(world, number="12/CB-ATTT").warning).symbol == "CB-ATTT"
    SecurityWarning.objects.all().delete()
    Vulnerability.objects.all().delete()
    bare = warning_document(make_warning(world, number="7").warning)
    assert (bare.number, bare.symbol) == ("7", "CB-STTTT")


def test_it_writes_the_letter_as_pdf(letter: Letter) -> None:
    body = warning_pdf(letter.warning)
    assert body.startswith(b"%PDF-")
    html = document_html(warning_document(letter.warning))
    assert "Số: 12/CB-ATTT" in html
    assert KEV_LABEL in html


def test_it_survives_hostile_and_oversized_text(world: World, agency: None) -> None:
    # PostgreSQL refuses NUL in text (the services strip it from what people type); SQLite stores it.
    nul = "\x00" if connection.vendor == "sqlite" else ""
    hostile = nul + "\x0b<script>alert(1)</script>\x1f"
    letter = make_warning(
        world,
        title=f"{hostile} tiêu đề",
        summary=f"{hostile}\n" + "Đoạn tóm tắt rất dài. " * 250,  # > 5,000 characters
        action=hostile + "x" * 5_000,
        signer_name=hostile,
    )
    letter.kev.description = hostile * 100
    letter.kev.save()
    AffectedSystem.objects.filter(label="Wiki nội bộ").update(label=hostile, software=hostile, cves=[hostile, 7])

    document = _open(warning_docx(letter.warning))
    text = _all_text(document)
    assert "<script>alert(1)</script>" in text  # shown as text, not markup
    assert "\x00" not in text
    assert "\x0b" not in text
    assert "Đoạn tóm tắt rất dài." in text
    assert warning_pdf(letter.warning).startswith(b"%PDF-")
    html = document_html(warning_document(letter.warning))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_it_refers_many_addressees_to_the_appendix(world: World, letter: Letter) -> None:
    for number in range(3, 9):
        unit = Unit.objects.create(group=world.group, number=number, name=f"Đơn vị {number}", short_code=f"dv-{number}")
        WarningRecipient.objects.create(warning=letter.warning, unit=unit, sent_at=DEADLINE)
    document = warning_document(letter.warning)
    first = document.body[0]
    assert isinstance(first, Paragraph)
    assert first.text == "Kính gửi: Các cơ quan, đơn vị có tên tại Phụ lục kèm theo."
    appendix = [block for block in document.body if isinstance(block, Table) and block.columns[1] == "Đơn vị"]
    assert len(appendix) == 1
    assert len(appendix[0].rows) == 3 + 6
