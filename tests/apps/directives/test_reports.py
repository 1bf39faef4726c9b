from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from typing import Any

import pytest
from django.http import Http404
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from pytest_django.fixtures import Settings as SettingsWrapper

from haidang.apps.directives import services
from haidang.apps.directives.models import AutoVerdict, Directive, ItemReport, Recipient, ReportStatus, ReviewStatus
from haidang.apps.directives.reports import (
    HEADER_ROW,
    followup_document,
    followup_response,
    matrix_xlsx,
    matrix_xlsx_response,
)
from haidang.apps.directives.selectors import status_matrix
from haidang.apps.directives.status import STATE_LABELS
from haidang.engines.docs import Block, BulletList, Heading, LabeledField, OfficialDocument, Table
from tests.apps.directives.conftest import TEMPLATE
from tests.personas import World

#: Before the template's report due time (17:00 on the seventh day after 29/8/2026).
BEFORE_DUE = timezone.make_aware(datetime(2026, 9, 1, 10, 0))
AFTER_DUE = timezone.make_aware(datetime(2026, 9, 10, 10, 0))


def _set(recipient: Recipient, code: str, **fields: object) -> None:
    updated = ItemReport.objects.filter(recipient=recipient, item__code=code).update(**fields)
    assert updated == 1, (recipient, code)


RETURN_COMMENT = "Thiếu văn bản yêu cầu gửi nhà cung cấp dịch vụ"


def mix_states(directive: Directive, world: World) -> Directive:
    """Unit A and the provider have complied; unit B and the telecom have not, with every state in between.

    Reports are written directly: the report's look is under test here, not the reporting workflow.
    """
    ItemReport.objects.filter(recipient__directive=directive).update(
        status=ReportStatus.PENDING, review=ReviewStatus.NONE, auto_verdict=AutoVerdict.NONE
    )
    unit_a, unit_b = (directive.recipients.get(unit=unit) for unit in (world.unit_a, world.unit_b))
    telecom, provider = (directive.recipients.get(organization=org) for org in (world.telecom, world.provider))
    Recipient.objects.filter(id__in=[unit_a.id, telecom.id, provider.id]).update(acknowledged_at=BEFORE_DUE)
    for code in ("1a", "1b", "1c"):
        _set(unit_a, code, status=ReportStatus.DONE, review=ReviewStatus.ACCEPTED)
    for code in ("1d", "1e", "1f"):
        _set(unit_a, code, status=ReportStatus.DONE, review=ReviewStatus.SUBMITTED)
    _set(unit_a, "1g", auto_verdict=AutoVerdict.PASS)  # nothing declared, the platform verified it
    _set(unit_a, "1h", status=ReportStatus.DONE, auto_verdict=AutoVerdict.FAIL)  # a contradiction
    _set(unit_b, "1a", status=ReportStatus.IN_PROGRESS)
    _set(unit_b, "1b", status=ReportStatus.DONE, review=ReviewStatus.RETURNED, review_comment=RETURN_COMMENT)
    _set(telecom, "2a", status=ReportStatus.DONE, review=ReviewStatus.ACCEPTED)
    _set(telecom, "2b", status=ReportStatus.DONE)
    _set(telecom, "2c", status=ReportStatus.IN_PROGRESS)
    for code in ("2a", "2b", "2d"):
        _set(provider, code, status=ReportStatus.DONE)
    return directive


def dispatch_with_states(world: World) -> Directive:
    """The letter's directive sent to unit A, unit B, the telecom and the provider, reports in a mix of states.

    Like conftest's ``dispatched`` but without running the on-commit work (notifications, automatic
    checks): the verdicts are set here, and the report must not depend on the web layer's URLs.
    """
    directive = services.directive_from_template(
        actor=world.admin, template_key=TEMPLATE, issued_on=date(2026, 8, 29), number="1234/STTTT-BCVT"
    )
    services.directive_dispatch(
        actor=world.admin,
        directive=directive,
        unit_ids=[world.unit_a.id, world.unit_b.id],
        organization_ids=[world.telecom.id, world.provider.id],
    )
    directive.refresh_from_db()
    return mix_states(directive, world)


@pytest.fixture
def mixed(world: World) -> Directive:
    return dispatch_with_states(world)


@pytest.fixture
def agency(settings: SettingsWrapper) -> None:
    settings.HAIDANG_ORG_NAME = "Sở Thông tin và Truyền thông"
    settings.HAIDANG_ORG_PARENT = "UBND thành phố Hải Phòng"
    settings.HAIDANG_ORG_PLACE = "Hải Phòng"
    settings.HAIDANG_ORG_SYMBOL = "STTTT"
    settings.HAIDANG_REPORT_SIGNER_TITLE = "Giám đốc"


def _fields(document: OfficialDocument) -> dict[str, str]:
    return {block.label: block.value for block in document.body if isinstance(block, LabeledField)}


def _tables(document: OfficialDocument) -> list[Table]:
    return [block for block in document.body if isinstance(block, Table)]


def _tables_under(document: OfficialDocument, number: str) -> list[Table]:
    return [block for block in _section(document, number) if isinstance(block, Table)]


def _section(document: OfficialDocument, number: str) -> list[Block]:
    """The blocks under the heading that starts with ``number``."""
    blocks: list[Block] = []
    inside = False
    for block in document.body:
        if isinstance(block, Heading):
            inside = block.text.startswith(number)
        elif inside:
            blocks.append(block)
    return blocks


def _workbook(data: bytes) -> Workbook:
    return load_workbook(BytesIO(data))


def _body_rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    """The table's rows below the header, up to the first empty line (the legend follows)."""
    rows = []
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        if row[0].value is None:
            break
        rows.append(row)
    return rows


# --- the document ------------------------------------------------------------------------------


def test_it_sums_up_the_directive(world: World, mixed: Directive, agency: None) -> None:
    document = followup_document(directive=mixed, visible_to=world.admin, now=BEFORE_DUE)
    assert document.kind == "Báo cáo"
    assert document.symbol == "BC-STTTT"
    assert document.summary.startswith("Kết quả thực hiện Văn bản số 1234/STTTT-BCVT ngày 29/08/2026\nV/v tăng cường")
    assert document.signer.title == "Giám đốc"
    assert document.issued_on == BEFORE_DUE.date()
    fields = _fields(document)
    assert fields["Số cơ quan, đơn vị, doanh nghiệp nhận văn bản"] == "4"
    assert fields["Đã xác nhận nhận văn bản"] == "3/4 (75%)"
    assert fields["Đã hoàn thành toàn bộ nội dung"] == "2/4 (50%)"
    # unit A 8/8, unit B 0/8, telecom 2/4, provider 3/3
    assert fields["Số mục đã hoàn thành"] == "13/23 (57%)"
    assert fields["Hạn báo cáo"] == "17:00 ngày 05/09/2026"
    assert fields["Thời gian thực hiện"] == "từ ngày 29/08/2026 đến ngày 04/09/2026"
    key = "Số báo cáo có kết quả kiểm tra tự động của nền tảng trái với nội dung đơn vị báo cáo"
    assert fields[key] == "1"
    counts = next(block for block in document.body if isinstance(block, BulletList))
    assert f"{STATE_LABELS['accepted']}: 4" in counts.items
    assert f"{STATE_LABELS['returned']}: 1" in counts.items
    assert f"{STATE_LABELS['pending']}: 7" in counts.items
    assert document.recipients == ("UBND thành phố Hải Phòng (để báo cáo)", "Lưu: VT")


def test_it_lists_groups_laggards_items_and_every_recipient(world: World, mixed: Directive, agency: None) -> None:
    document = followup_document(directive=mixed, visible_to=world.admin, now=BEFORE_DUE)
    headings = [block.text for block in document.body if isinstance(block, Heading)]
    assert [heading.split(" ", 1)[0] for heading in headings] == ["I.", "II.", "III.", "IV.", "V.", "PHỤ"]
    groups, returned, appendix = _tables(document)
    assert returned.columns == ("STT", "Đơn vị", "Mục", "Ý kiến của Sở")
    assert groups.columns == ("Khối/nhóm", "Số đơn vị", "Đã xác nhận", "Đã hoàn thành", "Tỉ lệ mục hoàn thành")
    assert groups.rows[0] == ("Khối các cơ quan quản lý nhà nước", "2", "1", "1", "50%")
    assert groups.rows[-1] == ("Tổng cộng", "4", "3", "2", "57%")
    assert appendix.columns == ("STT", "Đơn vị", "Xác nhận", "Hoàn thành", "Mục chưa hoàn thành")
    assert len(appendix.rows) == 4
    by_name = {row[1]: row for row in appendix.rows}
    assert by_name["Sở Y tế"] == ("2", "Sở Y tế", "Chưa", "0/8", "1a, 1b, 1c, 1d, 1e, 1f, 1g, 1h")
    assert by_name["Sở Tư pháp"][2:] == ("Đã xác nhận", "8/8", "—")
    (laggards,) = (block for block in _section(document, "III.") if isinstance(block, BulletList))
    (items,) = (block for block in _section(document, "IV.") if isinstance(block, BulletList))
    lines = laggards.items
    assert len(lines) == 2
    assert lines[0].startswith("Sở Y tế (Khối các cơ quan quản lý nhà nước): hoàn thành 0/8 mục; chưa hoàn thành: 1a")
    assert lines[0].endswith("chưa xác nhận nhận văn bản.")
    assert lines[1].startswith("Viễn thông Thành phố (Doanh nghiệp viễn thông, Internet): hoàn thành 2/4 mục")
    assert "chưa hoàn thành: 2c, 2d;" in lines[1]
    assert items.items[0].startswith("Mục 1a (Giao thêm nhiệm vụ")
    assert items.items[0].endswith(": 1/2 (50%) nơi nhận đã hoàn thành.")
    assert next(line for line in items.items if line.startswith("Mục 1h")).endswith(
        "; 1 báo cáo trái với kết quả kiểm tra của nền tảng."
    )
    assert next(line for line in items.items if line.startswith("Mục 2c")).endswith(
        ": 0/1 (0%) nơi nhận đã hoàn thành."
    )


def test_it_counts_unfinished_items_as_overdue_after_the_due_time(world: World, mixed: Directive) -> None:
    document = followup_document(directive=mixed, visible_to=world.admin, now=AFTER_DUE)
    counts = next(block for block in document.body if isinstance(block, BulletList))
    assert f"{STATE_LABELS['overdue']}: 10" in counts.items  # all of unit B's 8, the telecom's 2c and 2d


def test_it_reports_only_the_unit_of_a_unit_officer(world: World, mixed: Directive) -> None:
    assert [row.recipient.unit_id for row in status_matrix(visible_to=world.officer_b, directive=mixed).rows] == [
        world.unit_b.id
    ]
    document = followup_document(directive=mixed, visible_to=world.officer_b, now=BEFORE_DUE)
    appendix = _tables(document)[-1]
    assert [row[1] for row in appendix.rows] == ["Sở Y tế"]
    assert _fields(document)["Số cơ quan, đơn vị, doanh nghiệp nhận văn bản"] == "1"
    text = repr(document)
    assert "Sở Tư pháp" not in text
    assert "Viễn thông Thành phố" not in text


def test_it_downloads_the_report_as_docx(world: World, mixed: Directive, agency: None) -> None:
    response = followup_response(directive=mixed, visible_to=world.admin, fmt="docx")
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-thuc-hien-1234-STTTT-BCVT.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    document = Document(BytesIO(response.content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "BÁO CÁO"
    assert texts[1].startswith("Kết quả thực hiện Văn bản số 1234/STTTT-BCVT")
    assert "I. TÌNH HÌNH CHUNG" in texts
    assert any(text.startswith("- Sở Y tế (Khối các cơ quan quản lý nhà nước)") for text in texts)
    header, groups, returned, appendix, closing = document.tables
    assert [cell.text for cell in returned.rows[1].cells] == ["1", "Sở Y tế", "1b", RETURN_COMMENT]
    assert header.rows[0].cells[1].text.startswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    assert groups.rows[0].cells[0].text == "Khối/nhóm"
    assert len(appendix.rows) == 1 + 4
    assert [cell.text for cell in appendix.rows[2].cells][1:3] == ["Sở Y tế", "Chưa"]
    assert closing.rows[0].cells[1].paragraphs[0].text == "GIÁM ĐỐC"


def test_it_downloads_the_report_as_pdf(world: World, mixed: Directive, agency: None) -> None:
    response = followup_response(directive=mixed, visible_to=world.admin, fmt="pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-thuc-hien-1234-STTTT-BCVT.pdf"'
    assert response.content.startswith(b"%PDF-")


def test_it_refuses_an_unknown_format(world: World, mixed: Directive) -> None:
    with pytest.raises(Http404):
        followup_response(directive=mixed, visible_to=world.admin, fmt="odt")


@pytest.mark.parametrize(("number", "stem"), [("12/QĐ-SởTTTT", "12-QD-SoTTTT"), ("§/¤", "vb-{pk}"), ("", "vb-{pk}")])
def test_it_names_the_file_in_ascii(world: World, mixed: Directive, number: str, stem: str) -> None:
    mixed.number = number
    response = matrix_xlsx_response(directive=mixed, visible_to=world.admin)
    assert response["Content-Disposition"] == f'attachment; filename="ma-tran-{stem.format(pk=mixed.pk)}.xlsx"'


# --- the spreadsheet ---------------------------------------------------------------------------


def test_it_exports_the_matrix_with_states_and_colours(world: World, mixed: Directive) -> None:
    matrix = status_matrix(visible_to=world.admin, directive=mixed, now=BEFORE_DUE)
    workbook = _workbook(matrix_xlsx(matrix))
    assert workbook.sheetnames == ["Ma trận", "Theo khối", "Chưa hoàn thành", "Nội dung mục", "Sở trả lại"]
    returned = [[cell.value for cell in row] for row in _body_rows(workbook["Sở trả lại"])]
    assert returned == [[1, "Sở Y tế", "1b", RETURN_COMMENT]]
    sheet = workbook["Ma trận"]
    assert sheet["A1"].value.startswith("Văn bản số 1234/STTTT-BCVT ngày 29/08/2026 V/v")
    header = [cell.value for cell in sheet[4]]
    assert header[:6] == ["STT", "Đơn vị", "Khối/nhóm", "Xác nhận", "Hoàn thành", "Tỉ lệ (%)"]
    codes = header[6:]
    assert codes == ["1a", "1b", "1c", "1d", "1e", "1f", "1g", "1h", "2a", "2b", "2c", "2d"]
    rows = {row[1].value: {code: cell for code, cell in zip(codes, row[6:], strict=True)} for row in _body_rows(sheet)}
    assert set(rows) == {"Sở Tư pháp", "Sở Y tế", "Viễn thông Thành phố", "Công ty An ninh mạng"}
    unit_a, unit_b = rows["Sở Tư pháp"], rows["Sở Y tế"]
    assert unit_a["1a"].value == "Sở đã chấp nhận"
    assert unit_a["1a"].fill.fgColor.rgb == "0063BE7B"
    assert unit_a["1d"].value == "Đã báo cáo, chờ xem xét"
    assert unit_a["1g"].value == "Nền tảng tự xác minh"
    assert unit_a["1h"].value == "Đã báo cáo, chờ xem xét ⚠"
    assert unit_a["2a"].value == "—"
    assert unit_a["2a"].fill.fill_type is None
    assert (unit_b["1a"].value, unit_b["1b"].value, unit_b["1c"].value) == (
        "Đang thực hiện",
        "Sở trả lại",
        "Chưa báo cáo",
    )
    fills = {unit_b[code].fill.fgColor.rgb for code in ("1a", "1b", "1c")}
    assert fills == {"00FFEB84", "00F4B183", "00D9D9D9"}
    assert sheet.freeze_panes == "C5"
    assert sheet.auto_filter.ref == "A4:R8"
    assert sheet.column_dimensions["B"].width == 30
    assert sheet.column_dimensions["G"].width == 13
    assert sheet.row_dimensions[5].height >= 30  # two lines: LibreOffice does not size wrapped rows itself
    assert "B1" in sheet.merged_cells  # the title spans the table, it does not widen the printout


def test_it_paints_overdue_cells_red(world: World, mixed: Directive) -> None:
    matrix = status_matrix(visible_to=world.admin, directive=mixed, now=AFTER_DUE)
    sheet = _workbook(matrix_xlsx(matrix))["Ma trận"]
    unit_b = next(row for row in _body_rows(sheet) if row[1].value == "Sở Y tế")
    assert unit_b[6].value == "Quá hạn"
    assert unit_b[6].fill.fgColor.rgb == "00F8696B"


def test_it_exports_groups_laggards_and_items(world: World, mixed: Directive) -> None:
    workbook = _workbook(matrix_xlsx(status_matrix(visible_to=world.admin, directive=mixed, now=BEFORE_DUE)))
    groups = [[cell.value for cell in row] for row in _body_rows(workbook["Theo khối"])]
    assert groups[0] == ["Khối các cơ quan quản lý nhà nước", 2, 1, 1, 8, 16, 50]
    assert groups[-1] == ["Tổng cộng", 4, 3, 2, 13, 23, 57]
    laggards = [[cell.value for cell in row] for row in _body_rows(workbook["Chưa hoàn thành"])]
    assert [row[1] for row in laggards] == ["Sở Y tế", "Viễn thông Thành phố"]
    assert laggards[1][3:] == ["Đã xác nhận", "2/4", 50, "2c, 2d"]
    items = {row[0].value: row for row in _body_rows(workbook["Nội dung mục"])}
    assert items["1a"][1].value.startswith("Giao thêm nhiệm vụ cho bộ phận")
    assert items["1a"][3].value == "Lịch trực đã nộp phủ kín thời gian hiệu lực"
    assert [cell.value for cell in items["2c"][4:]] == [1, 0]
    for name in workbook.sheetnames:
        assert workbook[name].freeze_panes is not None


def test_it_keeps_formulas_and_control_characters_out_of_cells(world: World, mixed: Directive) -> None:
    world.unit_b.name = '=HYPERLINK("http://evil.example/","Bấm vào đây")'
    world.unit_b.save()
    world.telecom.name = "Viễn thông\x01\x0b Thành phố"
    world.telecom.save()
    workbook = _workbook(matrix_xlsx(status_matrix(visible_to=world.admin, directive=mixed, now=BEFORE_DUE)))
    names = {row[1].value: row[1] for row in _body_rows(workbook["Ma trận"])}
    assert "Viễn thông Thành phố" in names
    injected = names['\'=HYPERLINK("http://evil.example/","Bấm vào đây")']
    assert injected.data_type == "s"
    laggards = [row[1] for row in _body_rows(workbook["Chưa hoàn thành"])]
    assert laggards[0].value.startswith("'=")
    assert laggards[0].data_type == "s"
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_it_exports_one_group_for_the_xlsx_download(world: World, mixed: Directive) -> None:
    response = matrix_xlsx_response(directive=mixed, visible_to=world.admin, group=world.group.code)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="ma-tran-1234-STTTT-BCVT.xlsx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    sheet = _workbook(response.content)["Ma trận"]
    assert [row[1].value for row in _body_rows(sheet)] == ["Sở Tư pháp", "Sở Y tế"]


def test_it_exports_only_the_officers_unit(world: World, mixed: Directive) -> None:
    response = matrix_xlsx_response(directive=mixed, visible_to=world.officer_a)
    workbook = _workbook(response.content)
    assert [row[1].value for row in _body_rows(workbook["Ma trận"])] == ["Sở Tư pháp"]
    assert [row[0].value for row in _body_rows(workbook["Theo khối"])] == [
        "Khối các cơ quan quản lý nhà nước",
        "Tổng cộng",
    ]


def test_it_lists_the_reports_the_department_returned_with_its_comment(
    world: World, mixed: Directive, agency: None
) -> None:
    document = followup_document(directive=mixed, visible_to=world.admin, now=BEFORE_DUE)
    (table,) = _tables_under(document, "V.")
    assert table.rows == (("1", "Sở Y tế", "1b", RETURN_COMMENT),)
    # The officer of unit A sees no other unit's returns.
    mine = followup_document(directive=mixed, visible_to=world.officer_a, now=BEFORE_DUE)
    assert not _tables_under(mine, "V.")
