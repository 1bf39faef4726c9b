"""Unit import/export: all-or-nothing with a row-by-row report, CSV and XLSX, and the seed."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from haidang.apps.audit.models import AuditEvent
from haidang.apps.registry.models import Unit, UnitGroup
from haidang.apps.registry.unit_io import (
    export_rows,
    read_rows,
    seed_units_if_empty,
    units_import,
    write_csv,
    write_xlsx,
)
from haidang.apps.tabular import ImportFileError
from tests.personas import World

HEADER = "group_code,group_name,number,name,short_code,parent_short_code,contact_email,status\n"


def _csv(body: str) -> list[dict[str, str]]:
    return read_rows(io.BytesIO((HEADER + body).encode("utf-8")), filename="units.csv")


def test_it_seeds_the_88_units_of_the_letter_in_7_groups(db: None) -> None:
    assert seed_units_if_empty() == 88
    assert UnitGroup.objects.count() == 7
    assert Unit.objects.filter(group__code="district").count() == 15
    assert Unit.objects.get(short_code="so-thong-tin-va-truyen-thong").group.code == "state_agency_city"
    assert seed_units_if_empty() == 0


def test_it_imports_nothing_when_any_row_is_wrong(world: World) -> None:
    rows = _csv(
        "district,Quận huyện,1,Quận Hồng Bàng,,,,\n"
        "district,Quận huyện,x,Quận Ngô Quyền,,,not-an-email,\n"
        ",,3,,,,,\n"
        "district,Quận huyện,4,Quận Lê Chân,,khong-co,,deleted\n"
    )
    result = units_import(acting_user=world.admin, rows=rows)
    assert not result.ok
    found = {(e.row, e.column) for e in result.errors}
    assert {(3, "number"), (3, "contact_email"), (4, "group_code"), (4, "name"), (5, "status")} <= found
    assert (5, "parent_short_code") in found
    assert not Unit.objects.filter(group__code="district").exists()
    assert not AuditEvent.objects.filter(action="unit.import").exists()


def test_it_creates_then_updates_by_short_code(world: World) -> None:
    rows = _csv("district,Quận huyện,1,Quận Hồng Bàng,hong-bang,,hb@example.vn,\n")
    assert units_import(acting_user=world.admin, rows=rows).created == 1
    again = units_import(acting_user=world.admin, rows=rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    renamed = _csv("district,Quận huyện,1,Quận Hồng Bàng mới,hong-bang,so-tu-phap,,\n")
    assert units_import(acting_user=world.admin, rows=renamed).updated == 1
    unit = Unit.objects.get(short_code="hong-bang")
    assert (unit.name, unit.parent) == ("Quận Hồng Bàng mới", world.unit_a)


def test_it_reports_duplicate_rows(world: World) -> None:
    rows = _csv("district,Quận,1,Quận A,qa,,,\ndistrict,Quận,2,Quận B,qa,,,\n")
    result = units_import(acting_user=world.admin, rows=rows)
    assert [(e.row, e.column) for e in result.errors] == [(3, "short_code")]


def test_it_refuses_a_non_admin(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        units_import(acting_user=world.officer_a, rows=_csv("district,Quận,1,Quận A,qa,,,\n"))


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"name\nX\n", "units.csv"),
        (b"group_code,name\n\xff\xfe\n", "units.csv"),
        (b"PK\x03\x04 not really a workbook", "units.xlsx"),
        (b"group_code,name\n", "units.pdf"),
    ],
)
def test_it_explains_unreadable_files(content: bytes, filename: str) -> None:
    with pytest.raises(ImportFileError) as excinfo:
        read_rows(io.BytesIO(content), filename=filename)
    assert str(excinfo.value)


def test_it_refuses_oversized_files(settings: object) -> None:
    settings.IMPORT_MAX_BYTES = 100  # type: ignore[attr-defined]
    with pytest.raises(ImportFileError):
        read_rows(io.BytesIO(b"group_code,name\n" + b"a,b\n" * 100), filename="u.csv")


def test_it_reads_xlsx_with_numeric_cells(world: World) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["group_code", "group_name", "number", "name"])
    sheet.append(["district", "Quận huyện", 7.0, "Quận Kiến An"])
    sheet.append([None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = read_rows(io.BytesIO(buffer.getvalue()), filename="u.xlsx")
    assert rows == [{"group_code": "district", "group_name": "Quận huyện", "number": "7", "name": "Quận Kiến An"}]


def test_it_round_trips_csv_and_xlsx_without_formula_injection(world: World) -> None:
    world.unit_a.contact_phone = "+84 225 3842 000"
    world.unit_a.contact_name = '=HYPERLINK("http://evil")'
    world.unit_a.save()
    rows = export_rows(list(Unit.objects.select_related("group", "parent")))
    text = io.StringIO()
    write_csv(rows, text)
    assert "'=HYPERLINK" in text.getvalue()
    back = read_rows(io.BytesIO(text.getvalue().encode()), filename="u.csv")
    assert back == rows
    binary = io.BytesIO()
    write_xlsx(rows, binary)
    sheet = load_workbook(io.BytesIO(binary.getvalue())).active
    assert sheet is not None
    assert all(not str(cell.value).startswith("=") for row in sheet.iter_rows() for cell in row if cell.value)
    assert read_rows(io.BytesIO(binary.getvalue()), filename="u.xlsx") == rows
    result = units_import(acting_user=world.admin, rows=back)
    assert (result.created, result.updated) == (0, 0)
