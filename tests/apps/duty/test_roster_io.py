"""Importing a roster from CSV/XLSX: all or nothing, row-numbered Vietnamese errors, idempotent."""

from __future__ import annotations

import io

import pytest
from django.test import override_settings
from openpyxl import Workbook, load_workbook

from haidang.apps.audit.models import AuditEvent
from haidang.apps.duty import roster_io
from haidang.apps.duty.models import DutyPeriod, Roster, Shift, ShiftRole
from haidang.apps.duty.services import roster_create
from haidang.apps.tabular import ImportFileError
from tests.apps.duty.conftest import vn
from tests.personas import World

GOOD_CSV = (
    "starts_at,ends_at,person_name,role,phone,messaging_handle,user_email,note\n"
    "31/08/2026 07:30,31/08/2026 19:30,Nguyễn Văn An,primary,0912 345 678,Zalo 0912345678,canbo@stp.example.vn,\n"
    "31/08/2026 19:30,01/09/2026 07:30,Trần Thị Bình,trực chính,+84 987 654 321,@binh,,ca đêm\n"
    "2026-08-31T07:30,2026-09-01T07:30,Lê Dự Phòng,backup,0225 3822 123,,,\n"
)


def _rows(text: str) -> list[dict[str, str]]:
    return roster_io.read_rows(io.BytesIO(text.encode()), filename="lich.csv")


@pytest.fixture
def roster(world: World, period: DutyPeriod) -> Roster:
    return roster_create(acting_user=world.officer_a, period=period, unit=world.unit_a)


def test_it_imports_every_row_with_times_in_vietnam(world: World, roster: Roster) -> None:
    result = roster_io.shifts_import(acting_user=world.officer_a, roster=roster, rows=_rows(GOOD_CSV))
    assert (result.ok, result.created) == (True, 3)
    first, backup, second = Shift.objects.all()
    assert first.starts_at == vn(31, 8, 7, 30)
    assert first.user == world.officer_a
    assert (second.phone, second.note, second.messaging_handle) == ("0987654321", "ca đêm", "@binh")
    assert backup.role == ShiftRole.BACKUP
    assert backup.ends_at == vn(1, 9, 7, 30)
    assert AuditEvent.objects.get(action="roster.import").changes == {"created": 3, "updated": 0, "unchanged": 0}


def test_it_changes_nothing_when_the_same_file_comes_twice(world: World, roster: Roster) -> None:
    roster_io.shifts_import(acting_user=world.officer_a, roster=roster, rows=_rows(GOOD_CSV))
    again = roster_io.shifts_import(acting_user=world.officer_a, roster=roster, rows=_rows(GOOD_CSV))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = roster_io.shifts_import(
        acting_user=world.officer_a, roster=roster, rows=_rows(GOOD_CSV.replace("ca đêm", "ca đêm có laptop"))
    )
    assert (changed.created, changed.updated, changed.unchanged) == (0, 1, 2)
    assert Shift.objects.count() == 3


def test_it_writes_nothing_and_reports_every_bad_row(world: World, roster: Roster) -> None:
    text = (
        "starts_at,ends_at,person_name,role,phone,user_email\n"
        "31/08/2026 07:30,31/08/2026 19:30,An,primary,0912345678,\n"
        "31/8/2026 7h30,31/08/2026 19:30,Bình,primary,0912345678,\n"
        "31/08/2026 19:30,31/08/2026 07:30,Chi,trưởng ca,0123,\n"
        "31/08/2026 07:30,31/08/2026 19:30,,primary,,canbo@syt.example.vn\n"
        "31/08/2026 07:30,31/08/2026 19:30,An,primary,0912345678,\n"
    )
    result = roster_io.shifts_import(acting_user=world.officer_a, roster=roster, rows=_rows(text))
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "starts_at"),
        (4, "role"),
        (5, "person_name"),
        (5, "phone"),
        (5, "user_email"),
        (6, "starts_at"),
    }
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert messages[(3, "starts_at")] == "Ngày giờ phải theo dạng dd/mm/yyyy HH:MM, ví dụ 31/08/2026 07:30."
    assert messages[(6, "starts_at")] == "Trùng với dòng 2."
    assert not Shift.objects.exists()
    assert not AuditEvent.objects.filter(action="roster.import").exists()


def test_it_reports_model_errors_by_row(world: World, roster: Roster) -> None:
    text = "starts_at,ends_at,person_name,phone\n31/08/2026 19:30,31/08/2026 07:30,Chi,0123\n"
    result = roster_io.shifts_import(acting_user=world.officer_a, roster=roster, rows=_rows(text))
    assert {(e.row, e.column) for e in result.errors} == {(2, "ends_at"), (2, "phone")}


def test_it_reads_excel_dates_and_numbers_that_lost_their_zero(world: World, roster: Roster) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(list(roster_io.COLUMNS))
    sheet.append([vn(31, 8, 7, 30).replace(tzinfo=None), vn(31, 8, 19, 30).replace(tzinfo=None), "An", "", 912345678])
    stream = io.BytesIO()
    workbook.save(stream)
    rows = roster_io.read_rows(io.BytesIO(stream.getvalue()), filename="LICH.XLSX")
    result = roster_io.shifts_import(acting_user=world.officer_a, roster=roster, rows=rows)
    assert result.ok, result.errors
    shift = Shift.objects.get()
    assert (shift.starts_at, shift.phone, shift.role) == (vn(31, 8, 7, 30), "0912345678", ShiftRole.PRIMARY)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("lich.txt", b"x", "Chỉ nhận tệp .csv hoặc .xlsx."),
        ("lich.csv", b"starts_at,ends_at\n", "Thiếu cột bắt buộc: person_name, phone"),
        ("lich.csv", b"starts_at,ends_at,person_name,phone\n", "không có dòng dữ liệu"),
        ("lich.csv", "tên,giờ\n".encode("utf-16"), "UTF-8"),
        ("lich.xlsx", b"PK not really", "Không đọc được tệp Excel"),
    ],
)
def test_it_refuses_unreadable_files(name: str, content: bytes, message: str) -> None:
    with pytest.raises(ImportFileError, match=message):
        roster_io.read_rows(io.BytesIO(content), filename=name)


@override_settings(IMPORT_MAX_BYTES=100, IMPORT_MAX_ROWS=2)
def test_it_enforces_the_size_and_row_limits() -> None:
    with pytest.raises(ImportFileError, match="Tệp quá lớn"):
        roster_io.read_rows(io.BytesIO(b"x" * 101), filename="lich.csv")
    many = "starts_at,ends_at,person_name,phone\n" + "a,b,c,d\n" * 3
    with pytest.raises(ImportFileError, match="quá nhiều dòng"):
        roster_io.read_rows(io.BytesIO(many.encode()), filename="lich.csv")


def test_it_offers_templates_that_import_cleanly(world: World, roster: Roster) -> None:
    rows = roster_io.read_rows(io.BytesIO(roster_io.template_csv()), filename="mau.csv")
    assert roster_io.shifts_import(acting_user=world.officer_a, roster=roster, rows=rows).created == 1
    sheet = load_workbook(io.BytesIO(roster_io.template_xlsx())).worksheets[0]
    assert [c.value for c in sheet[1]] == list(roster_io.COLUMNS)


def test_it_refuses_an_import_into_someone_elses_roster(world: World, roster: Roster) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        roster_io.shifts_import(acting_user=world.officer_b, roster=roster, rows=_rows(GOOD_CSV))
