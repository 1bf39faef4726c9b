"""The inventory file of ``haidang advisories match``: CSV ``unit,system,vendor,product,version,cpe``."""

from __future__ import annotations

import csv
import io

from haidang.engines.intel.types import InventoryRow

INVENTORY_COLUMNS = ("unit", "system", "vendor", "product", "version", "cpe")
MAX_INVENTORY_ROWS = 200_000
MAX_CELL = 1_000


class InventoryError(ValueError):
    """The inventory file cannot be read; the message is for the user (Vietnamese)."""


def read_inventory(data: bytes) -> list[InventoryRow]:
    """The rows of an inventory CSV ``unit,system,vendor,product,version,cpe`` (header required, any column
    order, extra columns ignored, UTF-8 with or without BOM). Blank lines are skipped; a row is never
    refused for its content (garbage rows go to review). Raises :class:`InventoryError`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InventoryError(f"tệp kiểm kê không phải UTF-8 (byte {exc.start}).") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
    except csv.Error as exc:
        raise InventoryError(f"tệp kiểm kê không phải CSV hợp lệ: {exc}") from None
    missing = [column for column in INVENTORY_COLUMNS if column not in header]
    if missing:
        raise InventoryError(
            "tệp kiểm kê thiếu cột " + ", ".join(missing) + " (cần dòng tiêu đề: " + ",".join(INVENTORY_COLUMNS) + ")."
        )
    where = {column: header.index(column) for column in INVENTORY_COLUMNS}
    rows: list[InventoryRow] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_INVENTORY_ROWS:
                raise InventoryError(f"tệp kiểm kê có hơn {MAX_INVENTORY_ROWS} dòng.")
            value = {c: cells[i].strip()[:MAX_CELL] if i < len(cells) else "" for c, i in where.items()}
            rows.append(InventoryRow(**value, line=reader.line_num))
    except csv.Error as exc:
        raise InventoryError(f"tệp kiểm kê lỗi ở dòng {reader.line_num}: {exc}") from None
    return rows
