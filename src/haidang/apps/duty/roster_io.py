"""Import of a roster's shifts from CSV/XLSX, and the blank template.

All or nothing, as the unit import: every row is checked first; if any row is wrong nothing is
written and the caller gets every error with its row number and column. A row equal to a shift
already in the roster (same start, end, person and role) updates that shift instead of adding a
second one, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haidang.apps.accounts.models import User
from haidang.apps.audit.services import audit_record
from haidang.apps.duty.models import Roster, Shift, ShiftRole
from haidang.apps.duty.selectors import duty_accounts
from haidang.apps.duty.services import SHIFT_FIELDS, _require_roster_editor, shift_build
from haidang.apps.tabular import read_table

COLUMNS = ("starts_at", "ends_at", "person_name", "role", "phone", "messaging_handle", "user_email", "note")
REQUIRED = ("starts_at", "ends_at", "person_name", "phone")
DATETIME_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M")
ROLE_WORDS = {
    "primary": ShiftRole.PRIMARY,
    "chinh": ShiftRole.PRIMARY,
    "chính": ShiftRole.PRIMARY,
    "trực chính": ShiftRole.PRIMARY,
    "backup": ShiftRole.BACKUP,
    "du phong": ShiftRole.BACKUP,
    "dự phòng": ShiftRole.BACKUP,
    "trực dự phòng": ShiftRole.BACKUP,
}


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


# --- reading -----------------------------------------------------------------------------------


def read_rows(stream: IO[bytes], *, filename: str) -> list[dict[str, str]]:
    """Parse an uploaded CSV or XLSX file into rows keyed by column name, within the size limits."""
    return read_table(stream, filename=filename, columns=COLUMNS, required=REQUIRED, allow_empty=False)


def parse_datetime(text: str) -> datetime | None:
    """``31/08/2026 07:30`` or ISO ``2026-08-31T07:30[+07:00]``, aware in the platform's zone; None if neither."""
    value = text.strip()
    for fmt in DATETIME_FORMATS:
        try:
            return timezone.make_aware(datetime.strptime(value, fmt))
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


# --- checking and writing ----------------------------------------------------------------------


def _row_values(number: int, row: dict[str, str], users: dict[str, User], errors: list[RowError]) -> dict[str, Any]:
    values: dict[str, Any] = {name: row.get(name, "") for name in ("person_name", "phone", "messaging_handle", "note")}
    for column in REQUIRED:
        if not row.get(column):
            errors.append(RowError(number, column, _("Không được để trống.")))
    for column in ("starts_at", "ends_at"):
        if row.get(column):
            values[column] = parse_datetime(row[column])
            if values[column] is None:
                message = _("Ngày giờ phải theo dạng dd/mm/yyyy HH:MM, ví dụ 31/08/2026 07:30.")
                errors.append(RowError(number, column, message))
    role_text = (row.get("role") or "primary").strip().lower()
    values["role"] = ROLE_WORDS.get(role_text)
    if values["role"] is None:
        errors.append(RowError(number, "role", _("Vai trò phải là primary (trực chính) hoặc backup (dự phòng).")))
    email = (row.get("user_email") or "").strip().lower()
    values["user"] = users.get(email) if email else None
    if email and values["user"] is None:
        message = _("Không có tài khoản đang hoạt động %(email)s thuộc chủ thể của lịch trực.") % {"email": email}
        errors.append(RowError(number, "user_email", message))
    return values


def _check(roster: Roster, rows: list[dict[str, str]], result: ImportResult) -> list[Shift]:
    users = {u.email.lower(): u for u in duty_accounts(unit_id=roster.unit_id, organization_id=roster.organization_id)}
    planned: list[Shift] = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        before = len(result.errors)
        values = _row_values(number, row, users, result.errors)
        if len(result.errors) > before:
            continue
        try:
            shift = shift_build(roster=roster, **values)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                column = {"user": "user_email", "__all__": "starts_at"}.get(name, name)
                result.errors.extend(RowError(number, column, message) for message in messages)
            continue
        key = (shift.starts_at, shift.ends_at, shift.person_name.lower(), shift.role)
        if key in seen:
            result.errors.append(RowError(number, "starts_at", _("Trùng với dòng %(row)d.") % {"row": seen[key]}))
        seen[key] = number
        planned.append(shift)
    return planned


@transaction.atomic
def shifts_import(*, acting_user: User | None, roster: Roster, rows: list[dict[str, str]]) -> ImportResult:
    """Add the file's shifts to ``roster``; nothing is written when any row has an error."""
    _require_roster_editor(acting_user, roster)
    result = ImportResult()
    planned = _check(roster, rows, result)
    if result.errors:
        return result
    existing = {(s.starts_at, s.ends_at, s.person_name.lower(), s.role): s for s in roster.shifts.all()}
    for shift in planned:
        match = existing.get((shift.starts_at, shift.ends_at, shift.person_name.lower(), shift.role))
        if match is None:
            shift.save()
            result.created += 1
        elif any(getattr(match, f) != getattr(shift, f) for f in SHIFT_FIELDS):
            for name in SHIFT_FIELDS:
                setattr(match, name, getattr(shift, name))
            match.save()
            result.updated += 1
        else:
            result.unchanged += 1
    audit_record(
        acting_user=acting_user,
        action="roster.import",
        target=roster,
        unit_id=roster.unit_id,
        changes={"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
    )
    return result


# --- template ----------------------------------------------------------------------------------

EXAMPLE = {
    "starts_at": "31/08/2026 07:30",
    "ends_at": "31/08/2026 19:30",
    "person_name": "Nguyễn Văn An",
    "role": "primary",
    "phone": "0912345678",
    "messaging_handle": "Zalo 0912345678",
    "user_email": "",
    "note": "",
}


def template_csv() -> bytes:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerow(EXAMPLE)
    # The byte-order mark makes Excel read the Vietnamese text as UTF-8; import accepts it.
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("lich-truc")
    sheet.append(list(COLUMNS))
    sheet.append([EXAMPLE[column] for column in COLUMNS])
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()
