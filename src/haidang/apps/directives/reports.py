"""What became of a directive, for the leadership: the follow-up report (DOCX, PDF) and the matrix (XLSX).

The report ("Báo cáo kết quả thực hiện Văn bản số … V/v …") is an official document in the layout of
Nghị định 30/2020/NĐ-CP built by ``engines.docs``: I. the directive and the overall figures, II. per
unit group, III. the recipients that have not complied, IV. per item, and an appendix with one row per
recipient. The spreadsheet is the status matrix (recipients × items) with the same figures beside it.

Both are built from :func:`selectors.status_matrix`, which decides what ``visible_to`` may see: a unit
officer's report holds their own unit only. Who may download at all is the views' and API's decision.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from io import BytesIO
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone

from haidang.apps.accounts.models import User
from haidang.apps.directives.models import AutoCheck, Directive, ItemReport, RecipientKind, ReviewStatus
from haidang.apps.directives.selectors import GroupProgress, Matrix, MatrixRow, status_matrix
from haidang.apps.directives.status import STATE_LABELS, Cell
from haidang.apps.downloads import document_response
from haidang.apps.tabular import FORMULA_START
from haidang.engines.docs import (
    Block,
    BulletList,
    Heading,
    Issuer,
    LabeledField,
    OfficialDocument,
    Paragraph,
    Signer,
    Table,
    render_docx,
    render_pdf,
)

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: The order states are listed in, from done to not done.
STATE_DISPLAY = ("accepted", "done", "auto", "in_progress", "pending", "returned", "overdue")
NOT_APPLICABLE = "—"
CONFLICT_MARK = "⚠"
#: The engine caps a table or a list at 200 rows; longer ones are split (the header repeats).
CHUNK = 200
ITEM_EXCERPT = 90

APPENDIX_COLUMNS = ("STT", "Đơn vị", "Xác nhận", "Hoàn thành", "Mục chưa hoàn thành")
GROUP_COLUMNS = ("Khối/nhóm", "Số đơn vị", "Đã xác nhận", "Đã hoàn thành", "Tỉ lệ mục hoàn thành")


# --- the follow-up report ----------------------------------------------------------------------


def followup_response(*, directive: Directive, visible_to: User, fmt: str) -> HttpResponse:
    """The follow-up report as a download, ``fmt`` "docx" or "pdf" (anything else: 404)."""
    if fmt not in CONTENT_TYPES:
        raise Http404
    document = followup_document(directive=directive, visible_to=visible_to)
    body = render_docx(document) if fmt == "docx" else render_pdf(document)
    return document_response(
        body, content_type=CONTENT_TYPES[fmt], filename=f"bao-cao-thuc-hien-{_file_reference(directive)}.{fmt}"
    )


def followup_document(*, directive: Directive, visible_to: User, now: datetime | None = None) -> OfficialDocument:
    """The follow-up report of ``directive`` with what ``visible_to`` may see, as of ``now``."""
    return followup_from_matrix(status_matrix(visible_to=visible_to, directive=directive, now=now))


def followup_from_matrix(matrix: Matrix) -> OfficialDocument:
    """The follow-up report of an already computed matrix."""
    directive = matrix.directive
    symbol = "-".join(part for part in ("BC", settings.HAIDANG_ORG_SYMBOL) if part)
    parent = settings.HAIDANG_ORG_PARENT
    return OfficialDocument(
        issuer=Issuer(name=settings.HAIDANG_ORG_NAME, parent=parent),
        kind="Báo cáo",
        summary=f"Kết quả thực hiện {_directive_reference(directive)}\n{_subject(directive)}",
        place=settings.HAIDANG_ORG_PLACE,
        issued_on=timezone.localdate(matrix.computed_at),
        symbol=symbol,
        signer=Signer(title=settings.HAIDANG_REPORT_SIGNER_TITLE),
        body=(
            *_summary(matrix),
            *_groups(matrix),
            *_laggards(matrix),
            *_items(matrix),
            *_returned_section(matrix),
            *_appendix(matrix),
        ),
        recipients=(*((f"{parent} (để báo cáo)",) if parent else ()), "Lưu: VT"),
        author=settings.HAIDANG_ORG_NAME,
    )


def _summary(matrix: Matrix) -> tuple[Block, ...]:
    directive, rows = matrix.directive, matrix.rows
    complete, total = _item_totals(rows)
    conflicts = sum(row.conflicts for row in rows)
    counts = tuple(
        f"{STATE_LABELS[state]}: {matrix.state_counts.get(state, 0)}"
        for state in STATE_DISPLAY
        if matrix.state_counts.get(state, 0)
    )
    return (
        Heading("I. TÌNH HÌNH CHUNG"),
        Paragraph(
            f"Ngày {_day(directive.issued_on)}, {directive.issuer or settings.HAIDANG_ORG_NAME} ban hành"
            f" {_directive_reference(directive, with_date=False)} {_subject(directive)}."
            f" Tình hình thực hiện tính đến {_when(matrix.computed_at)} như sau:"
        ),
        LabeledField(
            "Thời gian thực hiện",
            f"từ ngày {_day(directive.effective_from)} đến ngày {_day(directive.effective_until)}",
        ),
        LabeledField("Hạn báo cáo", _when(directive.report_due_at)),
        LabeledField("Số cơ quan, đơn vị, doanh nghiệp nhận văn bản", str(len(rows))),
        LabeledField("Đã xác nhận nhận văn bản", _ratio(matrix.acknowledged, len(rows))),
        LabeledField("Đã hoàn thành toàn bộ nội dung", _ratio(matrix.complied, len(rows))),
        LabeledField("Số mục đã hoàn thành", _ratio(complete, total)),
        LabeledField("Tình trạng các mục", f"{total} mục, trong đó:" if counts else "chưa có mục nào"),
        *((BulletList(counts),) if counts else ()),
        LabeledField(
            "Số báo cáo có kết quả kiểm tra tự động của nền tảng trái với nội dung đơn vị báo cáo", str(conflicts)
        ),
    )


def _groups(matrix: Matrix) -> tuple[Block, ...]:
    heading = Heading("II. KẾT QUẢ THEO KHỐI, NHÓM")
    if not matrix.groups:
        return (heading, Paragraph("Không có nơi nhận."))
    rows = [
        (group.name, str(group.recipients), str(group.acknowledged), str(group.complied), f"{group.percent}%")
        for group in _groups_in_order(matrix)
    ]
    complete, total = _item_totals(matrix.rows)
    rows.append(
        (
            "Tổng cộng",
            str(len(matrix.rows)),
            str(matrix.acknowledged),
            str(matrix.complied),
            f"{_percent(complete, total)}%",
        )
    )
    return (heading, *_tables(GROUP_COLUMNS, rows))


def _laggards(matrix: Matrix) -> tuple[Block, ...]:
    heading = Heading("III. CÁC ĐƠN VỊ CHƯA HOÀN THÀNH")
    laggards = matrix.laggards
    if not laggards:
        return (heading, Paragraph("Tất cả các nơi nhận đã hoàn thành các nội dung được giao."))
    lines = [_laggard_line(matrix, row) for row in laggards]
    return (
        heading,
        Paragraph(f"Có {len(laggards)}/{len(matrix.rows)} nơi nhận chưa hoàn thành đầy đủ các nội dung:"),
        *(BulletList(tuple(chunk)) for chunk in _chunks(lines)),
    )


def _laggard_line(matrix: Matrix, row: MatrixRow) -> str:
    missing = _missing(matrix, row)
    parts = [f"{row.recipient.name} ({row.group_name}): hoàn thành {row.complete}/{row.total} mục"]
    if missing:
        parts.append(f"chưa hoàn thành: {', '.join(missing)}")
    parts.append(f"{'đã' if row.recipient.acknowledged_at else 'chưa'} xác nhận nhận văn bản")
    return "; ".join(parts) + "."


def _items(matrix: Matrix) -> tuple[Block, ...]:
    lines = []
    for item in matrix.items:
        cells = [row.cells.get(item.id) for row in matrix.rows]
        applicable = [cell for cell in cells if cell is not None]
        done = sum(cell.complete for cell in applicable)
        conflicts = sum(cell.conflict for cell in applicable)
        line = f"Mục {item.code} ({_excerpt(item.text)}): {_ratio(done, len(applicable))} nơi nhận đã hoàn thành"
        if conflicts:
            line += f"; {conflicts} báo cáo trái với kết quả kiểm tra của nền tảng"
        lines.append(line + ".")
    if not lines:
        return (Heading("IV. KẾT QUẢ THEO TỪNG NỘI DUNG"), Paragraph("Văn bản không có mục nào."))
    return (Heading("IV. KẾT QUẢ THEO TỪNG NỘI DUNG"), *(BulletList(tuple(chunk)) for chunk in _chunks(lines)))


def returned_reports(matrix: Matrix) -> list[tuple[str, str, str]]:
    """(recipient, item code, the department's comment) for each report the department has returned."""
    names = {row.recipient.id: row.recipient.name for row in matrix.rows}
    reports = (
        ItemReport.objects.filter(recipient_id__in=list(names), review=ReviewStatus.RETURNED)
        .select_related("item")
        .order_by("recipient_id", "item__order")
    )
    return [(names[report.recipient_id], report.item.code, report.review_comment) for report in reports]


def _returned_section(matrix: Matrix) -> tuple[Block, ...]:
    returned = returned_reports(matrix)
    if not returned:
        return ()
    rows = [(str(number), name, code, comment) for number, (name, code, comment) in enumerate(returned, start=1)]
    return (
        Heading("V. CÁC BÁO CÁO SỞ ĐÃ TRẢ LẠI ĐỂ BỔ SUNG"),
        *_tables(("STT", "Đơn vị", "Mục", "Ý kiến của Sở"), rows),
    )


def _appendix(matrix: Matrix) -> tuple[Block, ...]:
    # The engine has no pages after the signature: the appendix closes the body instead.
    rows = [
        (
            str(number),
            row.recipient.name,
            "Đã xác nhận" if row.recipient.acknowledged_at else "Chưa",
            f"{row.complete}/{row.total}",
            ", ".join(_missing(matrix, row)) or NOT_APPLICABLE,
        )
        for number, row in enumerate(_rows_in_order(matrix), start=1)
    ]
    return (
        Heading("PHỤ LỤC: KẾT QUẢ THỰC HIỆN CỦA TỪNG CƠ QUAN, ĐƠN VỊ, DOANH NGHIỆP"),
        *(_tables(APPENDIX_COLUMNS, rows) if rows else (Paragraph("Không có nơi nhận."),)),
    )


# --- the status matrix as a spreadsheet --------------------------------------------------------

FILLS = {
    "accepted": "63BE7B",
    "done": "C6EFCE",
    "auto": "7CCFC4",
    "in_progress": "FFEB84",
    "pending": "D9D9D9",
    "returned": "F4B183",
    "overdue": "F8696B",
}
HEADER_FILL = "DDEBF7"
MATRIX_FIRST = ("STT", "Đơn vị", "Khối/nhóm", "Xác nhận", "Hoàn thành", "Tỉ lệ (%)")
MATRIX_WIDTHS = (6, 30, 22, 11, 11, 9)
ITEM_WIDTH = 13  # a state label wraps onto two lines
HEADER_ROW = 4  # title, date line, note, then the header
LINE_HEIGHT = 15  # points per line of 11 pt text
NARROW = 15  # columns narrower than this are centred


def matrix_xlsx_response(*, directive: Directive, visible_to: User, group: str = "") -> HttpResponse:
    """The status matrix of ``directive`` (optionally one unit group) as an XLSX download."""
    matrix = status_matrix(visible_to=visible_to, directive=directive, group=group)
    return document_response(
        matrix_xlsx(matrix), content_type=XLSX_CONTENT_TYPE, filename=f"ma-tran-{_file_reference(directive)}.xlsx"
    )


def matrix_xlsx(matrix: Matrix) -> bytes:
    """The matrix as a workbook: "Ma trận", "Theo khối", "Chưa hoàn thành" and "Nội dung mục".

    Unit names and item texts are user data: every string goes through :func:`_safe`, which keeps
    a spreadsheet from running it as a formula and drops characters XML cannot carry.
    """
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook always has one sheet
    sheet.title = "Ma trận"
    _matrix_sheet(sheet, matrix)
    _groups_sheet(workbook.create_sheet("Theo khối"), matrix)
    _laggards_sheet(workbook.create_sheet("Chưa hoàn thành"), matrix)
    _items_sheet(workbook.create_sheet("Nội dung mục"), matrix)
    _returned_sheet(workbook.create_sheet("Sở trả lại"), matrix)
    workbook.properties.title = _safe(f"Ma trận thực hiện {_directive_reference(matrix.directive)}")
    workbook.properties.creator = _safe(settings.HAIDANG_ORG_NAME)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def _matrix_sheet(sheet: Any, matrix: Matrix) -> None:
    items = matrix.items
    columns = (*MATRIX_FIRST, *(item.code for item in items))
    widths = (*MATRIX_WIDTHS, *(ITEM_WIDTH,) * len(items))
    _title(sheet, matrix, widths)
    _banner(
        sheet,
        3,
        f"Ô ghi {NOT_APPLICABLE}: mục không áp dụng cho nơi nhận; {CONFLICT_MARK}: kết quả kiểm tra của nền tảng"
        " trái với nội dung đã báo cáo. Chú thích màu ở cuối bảng.",
        widths,
    )
    _header(sheet, columns, widths)
    rows = _rows_in_order(matrix)
    for number, row in enumerate(rows, start=1):
        line = HEADER_ROW + number
        values = (
            number,
            row.recipient.name,
            row.group_name,
            "Đã xác nhận" if row.recipient.acknowledged_at else "Chưa",
            f"{row.complete}/{row.total}",
            row.percent,
        )
        _write_row(sheet, line, values, widths, minimum_lines=2)
        for column, item in enumerate(items, start=len(MATRIX_FIRST) + 1):
            _state_cell(sheet.cell(row=line, column=column), row.cells.get(item.id))
    last = HEADER_ROW + max(len(rows), 1)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{_letter(len(columns))}{last}"
    sheet.freeze_panes = f"C{HEADER_ROW + 1}"  # the header row and the unit names stay in view
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _print_setup(sheet, landscape=True)
    _legend(sheet, last + 2)


def _state_cell(cell: Any, state: Cell | None) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    if state is None:
        cell.value = NOT_APPLICABLE
        cell.font = Font(color="808080")
        return
    cell.value = STATE_LABELS[state.state] + (f" {CONFLICT_MARK}" if state.conflict else "")
    cell.fill = PatternFill("solid", start_color=FILLS[state.state], end_color=FILLS[state.state])
    if state.conflict:
        cell.font = Font(bold=True)


def _legend(sheet: Any, first: int) -> None:
    from openpyxl.styles import Font

    sheet.cell(row=first, column=2, value="Chú thích màu").font = Font(bold=True)
    for offset, state in enumerate(STATE_DISPLAY, start=1):
        cell = Cell(state=state, conflict=False)
        _state_cell(sheet.cell(row=first + offset, column=2), cell)
        meaning = "tính là đã hoàn thành" if cell.complete else "chưa hoàn thành"
        sheet.cell(row=first + offset, column=3, value=meaning)


def _groups_sheet(sheet: Any, matrix: Matrix) -> None:
    from openpyxl.styles import Font

    columns = (
        "Khối/nhóm",
        "Số đơn vị",
        "Đã xác nhận",
        "Đã hoàn thành",
        "Số mục hoàn thành",
        "Tổng số mục",
        "Tỉ lệ mục hoàn thành (%)",
    )
    rows: list[Sequence[object]] = [
        (g.name, g.recipients, g.acknowledged, g.complied, g.items_complete, g.items_total, g.percent)
        for g in _groups_in_order(matrix)
    ]
    complete, total = _item_totals(matrix.rows)
    totals = ("Tổng cộng", len(matrix.rows), matrix.acknowledged, matrix.complied, complete, total)
    rows.append((*totals, _percent(complete, total)))
    _table_sheet(sheet, matrix, columns, (44, 11, 12, 12, 12, 11, 14), rows, landscape=False)
    for cell in sheet[HEADER_ROW + len(rows)]:
        cell.font = Font(bold=True)


def _laggards_sheet(sheet: Any, matrix: Matrix) -> None:
    columns = ("STT", "Đơn vị", "Khối/nhóm", "Xác nhận", "Hoàn thành", "Tỉ lệ (%)", "Mục chưa hoàn thành")
    rows = [
        (
            number,
            row.recipient.name,
            row.group_name,
            "Đã xác nhận" if row.recipient.acknowledged_at else "Chưa",
            f"{row.complete}/{row.total}",
            row.percent,
            ", ".join(_missing(matrix, row)),
        )
        for number, row in enumerate(matrix.laggards, start=1)
    ]
    _table_sheet(sheet, matrix, columns, (6, 36, 28, 12, 11, 9, 30), rows, landscape=True)


def _items_sheet(sheet: Any, matrix: Matrix) -> None:
    columns = ("Mã mục", "Nội dung", "Áp dụng cho", "Kiểm tra tự động", "Số nơi nhận áp dụng", "Đã hoàn thành")
    rows = []
    for item in matrix.items:
        applicable = [cell for row in matrix.rows if (cell := row.cells.get(item.id)) is not None]
        rows.append(
            (
                item.code,
                item.text,
                "; ".join(_kind_label(kind) for kind in item.applies_to or ()),
                str(AutoCheck(item.auto_check).label) if item.auto_check in AutoCheck.values else "",
                len(applicable),
                sum(cell.complete for cell in applicable),
            )
        )
    _table_sheet(sheet, matrix, columns, (8, 80, 26, 26, 11, 11), rows, landscape=True)


def _returned_sheet(sheet: Any, matrix: Matrix) -> None:
    columns = ("STT", "Đơn vị", "Mục", "Ý kiến của Sở")
    rows = [(number, name, code, comment) for number, (name, code, comment) in enumerate(returned_reports(matrix), 1)]
    _table_sheet(sheet, matrix, columns, (6, 36, 8, 80), rows, landscape=True)


# --- spreadsheet plumbing ----------------------------------------------------------------------


def _table_sheet(
    sheet: Any,
    matrix: Matrix,
    columns: Sequence[str],
    widths: Sequence[float],
    rows: Sequence[Sequence[object]],
    *,
    landscape: bool,
) -> None:
    """A title, a frozen and filterable header row, one line per row, printed one page wide."""
    _title(sheet, matrix, widths)
    _header(sheet, columns, widths)
    for offset, values in enumerate(rows, start=1):
        _write_row(sheet, HEADER_ROW + offset, values, widths)
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{_letter(len(columns))}{HEADER_ROW + max(len(rows), 1)}"
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _print_setup(sheet, landscape=landscape)


def _title(sheet: Any, matrix: Matrix, widths: Sequence[float]) -> None:
    from openpyxl.styles import Font

    directive = matrix.directive
    title = f"{_directive_reference(directive)} {_subject(directive)}"
    _banner(sheet, 1, title, widths).font = Font(bold=True, size=13)
    when = f"Số liệu tính đến {_when(matrix.computed_at)}; hạn báo cáo {_when(directive.report_due_at)}."
    _banner(sheet, 2, when, widths).font = Font(italic=True)


def _banner(sheet: Any, row: int, text: str, widths: Sequence[float]) -> Any:
    """A line of text across the table's width: merged, so that it neither widens the printout nor hides."""
    from openpyxl.styles import Alignment

    cell = sheet.cell(row=row, column=1, value=_safe(text))
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    if len(widths) > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(widths))
    sheet.row_dimensions[row].height = LINE_HEIGHT * 1.2 * _lines(text, sum(widths))
    return cell


def _header(sheet: Any, columns: Sequence[str], widths: Sequence[float]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    for column, (name, width) in enumerate(zip(columns, widths, strict=True), start=1):
        cell = sheet.cell(row=HEADER_ROW, column=column, value=_safe(name))
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
        sheet.column_dimensions[_letter(column)].width = width
    lines = max(_lines(name, width) for name, width in zip(columns, widths, strict=True))
    sheet.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * max(lines, 2)


def _write_row(
    sheet: Any, line: int, values: Sequence[object], widths: Sequence[float], *, minimum_lines: int = 1
) -> None:
    """One row of values; its height is set from the wrapped text, which LibreOffice does not measure itself."""
    from openpyxl.styles import Alignment

    for column, (value, width) in enumerate(zip(values, widths, strict=False), start=1):
        cell = sheet.cell(row=line, column=column, value=_safe(value))
        # Narrow columns hold numbers and short words: centred, they do not run into their neighbours.
        horizontal = "center" if width < NARROW else "left"
        cell.alignment = Alignment(horizontal=horizontal, vertical="center", wrap_text=isinstance(value, str))
    lines = max(
        (_lines(value, width) for value, width in zip(values, widths, strict=False) if isinstance(value, str)),
        default=1,
    )
    sheet.row_dimensions[line].height = LINE_HEIGHT * max(lines, minimum_lines)


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide (a generous estimate)."""
    usable = max(int(width) - 1, 1)
    return sum(max(1, -(-len(part) // usable)) for part in text.split("\n"))


def _print_setup(sheet: Any, *, landscape: bool) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as needed
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def _safe(value: object) -> object:
    """A cell value from user data: XML-illegal characters dropped, formula-like text made plain text."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    # A leading quote keeps a spreadsheet from reading "=HYPERLINK(…)" from a unit's name as a formula.
    return "'" + text if text and text[0] in FORMULA_START else text


# --- shared parts ------------------------------------------------------------------------------


def _file_reference(directive: Directive) -> str:
    """The directive's number in ASCII for a file name ("1234/STTTT-BCVT" → "1234-STTTT-BCVT")."""
    plain = unicodedata.normalize("NFKD", directive.number.replace("Đ", "D").replace("đ", "d"))
    plain = plain.encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")[:60] or f"vb-{directive.pk}"


def _rows_in_order(matrix: Matrix) -> list[MatrixRow]:
    """Units before companies, whatever order the database puts empty unit fields in."""
    return sorted(matrix.rows, key=lambda row: row.recipient.unit_id is None)


def _groups_in_order(matrix: Matrix) -> list[GroupProgress]:
    return sorted(matrix.groups, key=lambda group: group.key.startswith("kind:"))


def _directive_reference(directive: Directive, *, with_date: bool = True) -> str:
    reference = f"Văn bản số {directive.number}" if directive.number else "Văn bản"
    return f"{reference} ngày {_day(directive.issued_on)}" if with_date else reference


def _subject(directive: Directive) -> str:
    subject = directive.subject.strip()
    return subject if subject[:3].lower() == "v/v" else f"V/v {subject}"


def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def _when(value: datetime) -> str:
    local = timezone.localtime(value)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def _ratio(part: int, whole: int) -> str:
    return f"{part}/{whole} ({_percent(part, whole)}%)"


def _item_totals(rows: Sequence[MatrixRow]) -> tuple[int, int]:
    return sum(row.complete for row in rows), sum(row.total for row in rows)


def _missing(matrix: Matrix, row: MatrixRow) -> list[str]:
    """The codes of the items that apply to ``row`` and are not complete, in the directive's order."""
    return [item.code for item in matrix.items if (cell := row.cells.get(item.id)) is not None and not cell.complete]


def _excerpt(text: str) -> str:
    """The start of an item's text, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= ITEM_EXCERPT:
        return text
    return text[:ITEM_EXCERPT].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def _kind_label(kind: str) -> str:
    return str(RecipientKind(kind).label) if kind in RecipientKind.values else kind


def _chunks(lines: Sequence[Any]) -> list[Sequence[Any]]:
    return [lines[start : start + CHUNK] for start in range(0, len(lines), CHUNK)]


def _tables(columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> tuple[Table, ...]:
    return tuple(Table(columns, tuple(chunk)) for chunk in _chunks(rows))
