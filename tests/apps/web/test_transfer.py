from __future__ import annotations

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from haidang.apps.audit.models import AuditEvent
from haidang.apps.registry.models import Unit
from haidang.apps.registry.unit_io import COLUMNS
from tests.apps.web.conftest import Login
from tests.personas import World

GOOD_CSV = (
    "group_code,group_name,number,name,contact_email\n"
    "district,Khối quận huyện,1,Ủy ban nhân dân quận Hồng Bàng,vp@hongbang.example.vn\n"
    "district,Khối quận huyện,2,Ủy ban nhân dân quận Lê Chân,\n"
    "state_agency_city,,2,Sở Y tế,yte@example.vn\n"
)
BAD_CSV = (
    "group_code,group_name,number,name,contact_email\n"
    "district,Khối quận huyện,1,Ủy ban nhân dân quận Hồng Bàng,vp@hongbang.example.vn\n"
    "district,Khối quận huyện,hai,Ủy ban nhân dân quận Lê Chân,khong-phai-email\n"
)


def _csv(text: str, name: str = "don-vi.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def _xlsx(rows: list[list[object]]) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("don-vi.xlsx", buffer.getvalue())


def test_it_shows_the_import_page_to_an_admin(login: Login, world: World) -> None:
    body = login(world.admin).get(reverse("web:unit_import")).content.decode()
    assert "Nhập danh sách đơn vị" in body
    assert reverse("web:unit_import_template", args=["xlsx"]) in body
    assert "parent_short_code" in body
    assert 'enctype="multipart/form-data"' in body


def test_it_forbids_import_to_everyone_else(login: Login, world: World) -> None:
    for persona in ("officer_a", "duty", "viewer", "provider_officer"):
        client = login(getattr(world, persona))
        assert client.get(reverse("web:unit_import")).status_code == 403
        assert client.post(reverse("web:unit_import"), {"file": _csv(GOOD_CSV)}).status_code == 403
        assert client.get(reverse("web:unit_import_template", args=["csv"])).status_code == 403
        client.logout()
    assert Unit.objects.count() == 2


def test_it_imports_nothing_when_a_row_is_wrong(login: Login, world: World) -> None:
    response = login(world.admin).post(reverse("web:unit_import"), {"file": _csv(BAD_CSV)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "chưa có dữ liệu nào được ghi" in body
    errors = {(e.row, e.column) for e in response.context["result"].errors}
    assert errors == {(3, "number"), (3, "contact_email")}
    assert "Số thứ tự phải là số nguyên dương." in body
    assert "Địa chỉ thư điện tử không hợp lệ." in body
    assert '<td class="num">3</td>' in body
    assert Unit.objects.count() == 2
    assert not AuditEvent.objects.filter(action="unit.import").exists()


def test_it_imports_a_good_csv(login: Login, world: World) -> None:
    response = login(world.admin).post(reverse("web:unit_import"), {"file": _csv(GOOD_CSV)})
    result = response.context["result"]
    assert (result.created, result.updated, result.unchanged) == (2, 1, 0)
    body = response.content.decode()
    assert "Kết quả nhập" in body
    assert "Đã nhập danh sách đơn vị." in body
    assert Unit.objects.get(name="Ủy ban nhân dân quận Lê Chân").group.name == "Khối quận huyện"
    world.unit_b.refresh_from_db()
    assert world.unit_b.contact_email == "yte@example.vn"
    assert AuditEvent.objects.filter(action="unit.import", actor=world.admin).count() == 1


def test_it_imports_a_good_xlsx(login: Login, world: World) -> None:
    upload = _xlsx(
        [
            ["group_code", "group_name", "number", "name"],
            ["district", "Khối quận huyện", 1, "Ủy ban nhân dân huyện Thủy Nguyên"],
            ["district", "Khối quận huyện", 2, "Ủy ban nhân dân huyện An Lão"],
        ]
    )
    response = login(world.admin).post(reverse("web:unit_import"), {"file": upload})
    assert response.context["result"].created == 2
    assert Unit.objects.get(name="Ủy ban nhân dân huyện An Lão").number == 2


def test_it_reports_a_file_it_cannot_read(login: Login, world: World) -> None:
    client = login(world.admin)
    wrong_type = client.post(reverse("web:unit_import"), {"file": _csv(GOOD_CSV, name="don-vi.txt")})
    assert "Chỉ nhận tệp .csv hoặc .xlsx." in wrong_type.content.decode()
    no_header = client.post(reverse("web:unit_import"), {"file": _csv("ten,khoi\nA,B\n")})
    assert "Thiếu cột bắt buộc: group_code, name." in no_header.content.decode()
    broken = client.post(reverse("web:unit_import"), {"file": SimpleUploadedFile("x.xlsx", b"not a zip")})
    assert "Không đọc được tệp Excel" in broken.content.decode()
    assert Unit.objects.count() == 2


def test_it_requires_a_file(login: Login, world: World) -> None:
    body = login(world.admin).post(reverse("web:unit_import"), {}).content.decode()
    assert "Hãy chọn tệp để nhập." in body


def test_it_offers_template_files(login: Login, world: World) -> None:
    client = login(world.admin)
    response = client.get(reverse("web:unit_import_template", args=["csv"]))
    assert response["Content-Disposition"] == 'attachment; filename="mau-danh-sach-don-vi.csv"'
    assert response.content.decode("utf-8-sig").splitlines() == [",".join(COLUMNS)]
    xlsx = client.get(reverse("web:unit_import_template", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == list(COLUMNS)


def _csv_rows(content: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_it_exports_csv_of_the_visible_units(login: Login, world: World) -> None:
    Unit.objects.filter(id=world.unit_a.id).update(contact_name="=HYPERLINK()")
    response = login(world.duty).get(reverse("web:unit_export", args=["csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="don-vi-')
    assert response.content.startswith("\ufeff".encode())
    rows = _csv_rows(response.content)
    assert [row["short_code"] for row in rows] == ["so-tu-phap", "so-y-te"]
    assert rows[0]["name"] == "Sở Tư pháp"
    assert rows[0]["contact_name"] == "'=HYPERLINK()"  # no formula injection


def test_it_exports_only_the_officers_unit(login: Login, world: World) -> None:
    rows = _csv_rows(login(world.officer_a).get(reverse("web:unit_export", args=["csv"])).content)
    assert [row["short_code"] for row in rows] == ["so-tu-phap"]


def test_it_exports_with_the_list_filters(login: Login, world: World) -> None:
    response = login(world.admin).get(reverse("web:unit_export", args=["csv"]), {"q": "y tế"})
    assert [row["short_code"] for row in _csv_rows(response.content)] == ["so-y-te"]


def test_it_exports_xlsx(login: Login, world: World) -> None:
    response = login(world.viewer).get(reverse("web:unit_export", args=["xlsx"]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == list(COLUMNS)
    assert [row[COLUMNS.index("name")] for row in values[1:]] == ["Sở Tư pháp", "Sở Y tế"]


def test_it_round_trips_an_export_through_import(login: Login, world: World) -> None:
    client = login(world.admin)
    exported = client.get(reverse("web:unit_export", args=["xlsx"])).content
    response = client.post(reverse("web:unit_import"), {"file": SimpleUploadedFile("back.xlsx", exported)})
    result = response.context["result"]
    assert (result.created, result.updated, result.unchanged, result.errors) == (0, 0, 2, [])
