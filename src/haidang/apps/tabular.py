"""Uploaded spreadsheets (CSV or XLSX) read into rows, within the platform's size and row limits.

Shared by every import (units, duty rosters): one place decides what a file may be, how big, how many
rows, how cells become text, and which Vietnamese message explains a refusal.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

#: Characters that make a spreadsheet cell a formula; exports prefix such values with a quote.
FORMULA_START = "=+-@\t\r"


class ImportFileError(ValueError):
    """The file as a whole cannot be read (format, size, header)."""


def read_table(
    stream: IO[bytes], *, filename: str, columns: Sequence[str], required: Sequence[str], allow_empty: bool = True
) -> list[dict[str, str]]:
    """Rows of an uploaded ``.csv`` (UTF-8) or ``.xlsx`` file keyed by column name; blank rows skipped."""
    raw = stream.read(settings.IMPORT_MAX_BYTES + 1)
    if len(raw) > settings.IMPORT_MAX_BYTES:
        raise ImportFileError(_("Tệp quá lớn (tối đa %(mb)d MB).") % {"mb": settings.IMPORT_MAX_BYTES // 1048576})
    name = filename.lower()
    if name.endswith(".xlsx"):
        header, rows = _read_xlsx(raw)
    elif name.endswith(".csv"):
        header, rows = _read_csv(raw)
    else:
        raise ImportFileError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
    missing = [column for column in required if column not in {name.strip() for name in header}]
    if missing:
        raise ImportFileError(
            _("Thiếu cột bắt buộc: %(cols)s. Các cột được nhận: %(all)s.")
            % {"cols": ", ".join(missing), "all": ", ".join(columns)}
        )
    if len(rows) > settings.IMPORT_MAX_ROWS:
        raise ImportFileError(_("Tệp có quá nhiều dòng (tối đa %(n)d).") % {"n": settings.IMPORT_MAX_ROWS})
    if not rows and not allow_empty:
        raise ImportFileError(_("Tệp không có dòng dữ liệu nào dưới dòng tên cột."))
    return rows


def _read_csv(raw: bytes) -> tuple[list[str], list[dict[str, str]]]:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("Tệp CSV phải được lưu với mã UTF-8.")) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = list(reader.fieldnames or [])
    rows = []
    for row in reader:
        values = {key.strip(): cell_text(value) for key, value in row.items() if key}
        if any(values.values()):
            rows.append(values)
        if len(rows) > settings.IMPORT_MAX_ROWS:
            break
    return header, rows


def _read_xlsx(raw: bytes) -> tuple[list[str], list[dict[str, str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many unrelated types on a corrupt file
        raise ImportFileError(_("Không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx.")) from exc
    try:
        values = workbook.worksheets[0].iter_rows(values_only=True, max_row=settings.IMPORT_MAX_ROWS + 2)
        header = [str(cell or "").strip() for cell in next(values, ())]
        rows = [
            {name: cell_text(cell) for name, cell in zip(header, cells, strict=False) if name}
            for cells in values
            if not all(cell in (None, "") for cell in cells)
        ]
    finally:
        workbook.close()
    return header, rows


def cell_text(cell: Any) -> str:
    """A cell as text: whole numbers without ".0", dates as dd/mm/yyyy HH:MM (wall-clock, no zone), and the
    quote an export puts before formula-like values removed."""
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.strftime("%d/%m/%Y %H:%M")
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    text = str(cell).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]
    return text
