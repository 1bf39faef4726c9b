"""Software inventory import: CSV or XLSX rows ``unit,system,vendor,product,version,cpe`` into the registry.

The same columns as ``haidang advisories match --inventory``. ``unit`` is the unit's short code or its
exact name; ``system`` the name of one of its information systems (created if the unit has none by that
name). A row updates the component with the same system, vendor and product (compared without case), or
adds one. Each row is checked against the importer's rights (an administrator: every unit; a unit
officer: their own unit only); nothing is written when any row has an error. Audited as one event.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haidang.apps.accounts.models import User
from haidang.apps.audit.services import audit_record
from haidang.apps.registry.models import InformationSystem, SoftwareComponent, Unit, UnitStatus
from haidang.apps.registry.selectors import can_edit_unit
from haidang.apps.registry.unit_io import ImportResult, RowError
from haidang.apps.registry.validators import validate_cpe23
from haidang.apps.tabular import read_table

COLUMNS = ("unit", "system", "vendor", "product", "version", "cpe")
REQUIRED = ("unit", "system", "vendor", "product")
_LIMITS = {"system": 255, "vendor": 200, "product": 200, "version": 100, "cpe": 500}


def read_rows(stream: IO[bytes], *, filename: str) -> list[dict[str, str]]:
    return read_table(stream, filename=filename, columns=COLUMNS, required=REQUIRED)


@dataclass
class SoftwareImportResult(ImportResult):
    systems_created: int = 0


@dataclass
class _Row:
    number: int
    unit: Unit
    system: str
    vendor: str
    product: str
    version: str
    cpe: str


def _find_unit(value: str, by_code: dict[str, Unit], by_name: dict[str, Unit]) -> Unit | None:
    return by_code.get(value.strip().lower()) or by_name.get(" ".join(value.split()).casefold())


def _check(
    number: int, row: dict[str, str], actor: User, units: tuple[dict[str, Unit], dict[str, Unit]]
) -> tuple[_Row | None, list[RowError]]:
    errors = [
        RowError(number, column, _("Không được để trống.")) for column in REQUIRED if not row.get(column, "").strip()
    ]
    for column, limit in _LIMITS.items():
        if len(row.get(column, "")) > limit:
            errors.append(RowError(number, column, _("Tối đa %(n)d ký tự.") % {"n": limit}))
    unit = _find_unit(row.get("unit", ""), *units) if row.get("unit", "").strip() else None
    if row.get("unit", "").strip() and unit is None:
        errors.append(RowError(number, "unit", _("Không có đơn vị đang hoạt động có mã hoặc tên này.")))
    elif unit is not None and not can_edit_unit(actor, unit.id):
        errors.append(RowError(number, "unit", _("Bạn không có quyền cập nhật phần mềm của đơn vị này.")))
    cpe = row.get("cpe", "").strip()
    if cpe:
        try:
            validate_cpe23(cpe)
        except ValidationError as exc:
            errors.append(RowError(number, "cpe", " ".join(exc.messages)))
    if errors or unit is None:
        return None, errors
    values = {name: " ".join(row.get(name, "").split()) for name in ("system", "vendor", "product", "version")}
    return _Row(number, unit, cpe=cpe, **values), []


@transaction.atomic
def software_import(*, acting_user: User, rows: list[dict[str, str]]) -> SoftwareImportResult:
    """Create or update software components from ``rows``; nothing is written when any row has an error."""
    result = SoftwareImportResult()
    active = list(Unit.objects.filter(status=UnitStatus.ACTIVE))
    units = ({u.short_code.lower(): u for u in active}, {" ".join(u.name.split()).casefold(): u for u in active})
    planned: list[_Row] = []
    seen: dict[tuple[int, str, str, str], int] = {}
    for number, row in enumerate(rows, start=2):  # row 1 is the header
        checked, errors = _check(number, row, acting_user, units)
        result.errors.extend(errors)
        if checked is None:
            continue
        key = (checked.unit.id, checked.system.casefold(), checked.vendor.casefold(), checked.product.casefold())
        if key in seen:
            result.errors.append(RowError(number, "product", _("Trùng với dòng %(row)d.") % {"row": seen[key]}))
        seen[key] = number
        planned.append(checked)
    if result.errors:
        return result
    systems = {
        (s.unit_id, s.name.casefold()): s
        for s in InformationSystem.objects.filter(unit__in={r.unit.id for r in planned})
    }
    components = {
        (c.system_id, c.vendor.casefold(), c.product.casefold()): c
        for c in SoftwareComponent.objects.filter(system__in=list(systems.values()))
    }
    for item in planned:
        system = systems.get((item.unit.id, item.system.casefold()))
        if system is None:
            system = InformationSystem(unit=item.unit, name=item.system)
            system.full_clean()
            system.save()
            systems[(item.unit.id, item.system.casefold())] = system
            result.systems_created += 1
        component = components.get((system.id, item.vendor.casefold(), item.product.casefold()))
        if component is None:
            component = SoftwareComponent(
                unit=item.unit,
                system=system,
                vendor=item.vendor,
                product=item.product,
                version=item.version,
                cpe=item.cpe,
            )
            component.full_clean()
            component.save()
            components[(system.id, item.vendor.casefold(), item.product.casefold())] = component
            result.created += 1
        elif (component.version, component.cpe) != (item.version, item.cpe):
            component.version, component.cpe = item.version, item.cpe
            component.full_clean()
            component.save(update_fields=["version", "cpe", "updated_at"])
            result.updated += 1
        else:
            result.unchanged += 1
    audit_record(
        acting_user=acting_user,
        action="software.import",
        unit_id=acting_user.unit_id if acting_user.unit_id else None,
        changes={
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "systems_created": result.systems_created,
        },
    )
    return result
