"""Software inventory import: the match command's columns into the registry, all or nothing, within rights."""

from __future__ import annotations

import io

import pytest

from haidang.apps.audit.models import AuditEvent
from haidang.apps.registry import software_io
from haidang.apps.registry.models import InformationSystem, SoftwareComponent
from haidang.apps.tabular import ImportFileError
from tests.personas import World

pytestmark = pytest.mark.django_db

HEADER = "unit,system,vendor,product,version,cpe\n"


def _rows(text: str) -> list[dict[str, str]]:
    return software_io.read_rows(io.BytesIO(text.encode()), filename="kiem-ke.csv")


def test_it_creates_then_updates_by_system_vendor_and_product(world: World) -> None:
    text = (
        HEADER
        + "so-tu-phap,Cổng thông tin Sở Tư pháp,Apache,Log4j,2.14.1,\n"
        + "Sở Y tế,Hệ thống mới,The PHP Group,PHP,7.4.33,\n"
    )
    result = software_io.software_import(acting_user=world.admin, rows=_rows(text))
    assert result.ok, result.errors
    assert (result.created, result.updated, result.systems_created) == (2, 0, 1)
    assert InformationSystem.objects.filter(unit=world.unit_b, name="Hệ thống mới").exists()
    again = software_io.software_import(
        acting_user=world.admin,
        rows=_rows(HEADER + "SO-TU-PHAP,cổng thông tin sở tư pháp,apache,LOG4J,2.17.1,\n"),
    )
    assert (again.created, again.updated, again.unchanged) == (0, 1, 0)
    assert SoftwareComponent.objects.get(unit=world.unit_a).version == "2.17.1"
    assert AuditEvent.objects.filter(action="software.import").count() == 2


def test_a_unit_officer_imports_only_for_their_own_unit_and_a_bad_row_writes_nothing(world: World) -> None:
    text = (
        HEADER
        + "so-tu-phap,Cổng thông tin Sở Tư pháp,Apache,Log4j,2.14.1,\n"
        + "so-y-te,Cổng thông tin Sở Y tế,Apache,Log4j,2.14.1,\n"
        + "khong-co,Hệ thống,Apache,Log4j,2.14.1,\n"
        + "so-tu-phap,Cổng thông tin Sở Tư pháp,Apache,Tomcat,9.0.1,not-a-cpe\n"
        + "so-tu-phap,Cổng thông tin Sở Tư pháp,,Log4j,2.14.1,\n"
        + "so-tu-phap,Cổng thông tin Sở Tư pháp,apache,log4j,2.15.0,\n"
    )
    result = software_io.software_import(acting_user=world.officer_a, rows=_rows(text))
    errors = {(e.row, e.column) for e in result.errors}
    assert errors == {(3, "unit"), (4, "unit"), (5, "cpe"), (6, "vendor"), (7, "product")}
    assert not SoftwareComponent.objects.exists()
    assert not AuditEvent.objects.filter(action="software.import").exists()


def test_it_refuses_files_that_are_not_inventories(world: World) -> None:
    with pytest.raises(ImportFileError):
        software_io.read_rows(io.BytesIO(b"name,value\nx,y\n"), filename="x.csv")
    with pytest.raises(ImportFileError):
        software_io.read_rows(io.BytesIO(HEADER.encode()), filename="x.pdf")
