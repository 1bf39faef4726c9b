"""Unit registry import and export (CSV and XLSX).

Import is all-or-nothing: every row is checked first, and if any row is wrong nothing is written
and the caller gets the full row-by-row error report.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from haidang.apps.accounts.models import User
from haidang.apps.audit.services import audit_record
from haidang.apps.registry.models import Unit, UnitGroup, UnitStatus
from haidang.apps.registry.naming import short_code_for
from haidang.apps.registry.services import _require_admin, unit_group_ensure
from haidang.apps.tabular import FORMULA_START, read_table

COLUMNS = (
    "group_code",
    "group_name",
    "number",
    "name",
    "short_code",
    "parent_short_code",
    "contact_name",
    "contact_email",
    "contact_phone",
    "address",
    "status",
)
REQUIRED = ("group_code", "name")
SEED_FILE = Path(__file__).parent / "data" / "units.csv"


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def read_rows(stream: IO[bytes], *, filename: str) -> list[dict[str, str]]:
    """Parse an uploaded CSV or XLSX file into rows keyed by column name."""
    return read_table(stream, filename=filename, columns=COLUMNS, required=REQUIRED)


@dataclass
class _Planned:
    row: int
    values: dict[str, Any]
    existing: Unit | None


def _validate_row(number: int, row: dict[str, str], groups: dict[str, str], errors: list[RowError]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in REQUIRED:
        if not row.get(column):
            errors.append(RowError(number, column, _("Không được để trống.")))
    group_code = row.get("group_code", "")
    if group_code and group_code not in groups and not row.get("group_name"):
        errors.append(RowError(number, "group_name", _("Khối mới cần có tên khối.")))
    if row.get("number"):
        if not row["number"].isdigit():
            errors.append(RowError(number, "number", _("Số thứ tự phải là số nguyên dương.")))
        else:
            values["number"] = int(row["number"])
    if row.get("contact_email"):
        try:
            validate_email(row["contact_email"])
        except ValidationError:
            errors.append(RowError(number, "contact_email", _("Địa chỉ thư điện tử không hợp lệ.")))
    status = row.get("status") or UnitStatus.ACTIVE
    if status not in UnitStatus.values:
        errors.append(RowError(number, "status", _("Trạng thái phải là một trong: %s.") % ", ".join(UnitStatus.values)))
    for name in ("name", "contact_name", "contact_email", "contact_phone", "address"):
        values[name] = row.get(name, "")
    values["status"] = status
    return values


def _plan(rows: list[dict[str, str]], result: ImportResult) -> list[_Planned]:
    groups = dict(UnitGroup.objects.values_list("code", "name"))
    by_code = {unit.short_code: unit for unit in Unit.objects.all()}
    by_key = {(unit.group.code, unit.name): unit for unit in Unit.objects.select_related("group")}
    taken = set(by_code)
    seen: dict[str, int] = {}
    planned: list[_Planned] = []
    for index, row in enumerate(rows, start=2):  # row 1 is the header
        values = _validate_row(index, row, groups, result.errors)
        code = row.get("short_code", "")
        existing = by_code.get(code) if code else by_key.get((row.get("group_code", ""), row.get("name", "")))
        if existing is None:
            code = code or short_code_for(row.get("name", ""), taken)
            taken.add(code)
        else:
            code = existing.short_code
        if code in seen:
            result.errors.append(RowError(index, "short_code", _("Trùng với dòng %(row)d.") % {"row": seen[code]}))
        seen[code] = index
        values.update(short_code=code, group_code=row.get("group_code", ""), group_name=row.get("group_name", ""))
        values["parent_short_code"] = row.get("parent_short_code", "")
        planned.append(_Planned(index, values, existing))
    for item in planned:
        parent = item.values["parent_short_code"]
        if parent and parent not in taken:
            result.errors.append(RowError(item.row, "parent_short_code", _("Không có đơn vị mã %s.") % parent))
    return planned


@transaction.atomic
def units_import(*, acting_user: User | None, rows: list[dict[str, str]]) -> ImportResult:
    """Create or update units from ``rows``; nothing is written when any row has an error."""
    _require_admin(acting_user)
    result = ImportResult()
    planned = _plan(rows, result)
    if result.errors:
        return result
    group_order = {code: i for i, code in enumerate(UnitGroup.objects.values_list("code", flat=True))}
    units: dict[str, Unit] = {}
    for item in planned:
        values = dict(item.values)
        group_code, group_name = values.pop("group_code"), values.pop("group_name")
        values.pop("parent_short_code")
        order = group_order.setdefault(group_code, len(group_order) + 1)
        group = unit_group_ensure(code=group_code, name=group_name or group_code, order=order, acting_user=acting_user)
        units[values["short_code"]] = _apply(item.existing, group, values, result)
    for item in planned:
        parent_code = item.values["parent_short_code"]
        unit = units[item.values["short_code"]]
        parent_id = (units.get(parent_code) or Unit.objects.get(short_code=parent_code)).id if parent_code else None
        if unit.parent_id != parent_id:
            unit.parent_id = parent_id
            unit.save(update_fields=["parent", "updated_at"])
    audit_record(
        acting_user=acting_user,
        action="unit.import",
        changes={"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return result


def _apply(existing: Unit | None, group: UnitGroup, values: dict[str, Any], result: ImportResult) -> Unit:
    if existing is None:
        unit = Unit(group=group, **values)
        unit.full_clean(exclude=["parent", "successor"])
        unit.save()
        result.created += 1
        return unit
    changed = existing.group_id != group.id or any(getattr(existing, k) != v for k, v in values.items())
    if not changed:
        result.unchanged += 1
        return existing
    existing.group = group
    for name, value in values.items():
        setattr(existing, name, value)
    existing.full_clean(exclude=["parent", "successor"])
    existing.save()
    result.updated += 1
    return existing


def export_rows(units: list[Unit]) -> list[dict[str, str]]:
    return [
        {
            "group_code": unit.group.code,
            "group_name": unit.group.name,
            "number": "" if unit.number is None else str(unit.number),
            "name": unit.name,
            "short_code": unit.short_code,
            "parent_short_code": unit.parent.short_code if unit.parent else "",
            "contact_name": unit.contact_name,
            "contact_email": unit.contact_email,
            "contact_phone": unit.contact_phone,
            "address": unit.address,
            "status": unit.status,
        }
        for unit in units
    ]


def write_csv(rows: list[dict[str, str]], stream: IO[str]) -> None:
    writer = csv.DictWriter(stream, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _neutralise_formula(v) for k, v in row.items()})


def write_xlsx(rows: list[dict[str, str]], stream: IO[bytes]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("units")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append([_neutralise_formula(row[column]) for column in COLUMNS])
    workbook.save(stream)


def _neutralise_formula(value: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection); import undoes it."""
    if value and value[0] in FORMULA_START:
        return "'" + value
    return value


def seed_units_if_empty() -> int:
    """Load the 88 units of the source letter's appendix on first start. Returns units created."""
    if Unit.objects.exists():
        return 0
    with SEED_FILE.open("rb") as stream:
        rows = read_rows(stream, filename=SEED_FILE.name)
    result = units_import(acting_user=None, rows=rows)
    if not result.ok:
        raise RuntimeError(f"packaged unit list is invalid: {result.errors[:3]}")
    return result.created
