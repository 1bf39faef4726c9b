"""Writes to the registry. Each service checks permission, validates, saves and audits."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from haidang.apps.accounts.models import Role, User
from haidang.apps.audit.services import audit_record, model_changes
from haidang.apps.registry.models import (
    Domain,
    Host,
    InformationSystem,
    Organization,
    SoftwareComponent,
    Unit,
    UnitEvent,
    UnitEventKind,
    UnitGroup,
    UnitStatus,
    Website,
)
from haidang.apps.registry.naming import short_code_for
from haidang.apps.registry.selectors import can_edit_unit

M = TypeVar("M", bound=models.Model)


def _require_admin(user: User | None) -> None:
    if user is not None and user.role != Role.ADMIN:
        raise PermissionDenied(_("Chỉ quản trị của Sở được thực hiện thao tác này."))


def _require_unit_editor(user: User | None, unit: Unit) -> None:
    if user is not None and not can_edit_unit(user, unit.id):
        raise PermissionDenied(_("Bạn không có quyền thay đổi dữ liệu của đơn vị này."))
    if not unit.is_active:
        raise ValidationError(_("Đơn vị đã sáp nhập hoặc giải thể; hãy cập nhật ở đơn vị kế thừa."))


def _save_new(instance: M, *, acting_user: User | None, action: str, unit_id: int | None) -> M:
    instance.full_clean()
    instance.save()
    audit_record(acting_user=acting_user, action=action, target=instance, unit_id=unit_id)
    return instance


def _save_changes(
    instance: M, fields: dict[str, Any], *, acting_user: User | None, action: str, unit_id: int | None
) -> M:
    changes = model_changes(instance, fields)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    if changes:
        audit_record(acting_user=acting_user, action=action, target=instance, unit_id=unit_id, changes=changes)
    return instance


# --- units -------------------------------------------------------------------------------------


@transaction.atomic
def unit_group_ensure(*, code: str, name: str, order: int, acting_user: User | None) -> UnitGroup:
    group, created = UnitGroup.objects.get_or_create(code=code, defaults={"name": name, "order": order})
    if created:
        audit_record(acting_user=acting_user, action="unit_group.create", target=group)
    elif group.name != name:
        _save_changes(group, {"name": name}, acting_user=acting_user, action="unit_group.update", unit_id=None)
    return group


@transaction.atomic
def unit_create(*, acting_user: User | None, group: UnitGroup, name: str, **fields: Any) -> Unit:
    _require_admin(acting_user)
    if not fields.get("short_code"):
        fields["short_code"] = short_code_for(name, set(Unit.objects.values_list("short_code", flat=True)))
    unit = Unit(group=group, name=name, **fields)
    unit.full_clean()
    unit.save()
    UnitEvent.objects.create(unit=unit, kind=UnitEventKind.CREATED, actor=acting_user, detail={"name": name})
    audit_record(acting_user=acting_user, action="unit.create", target=unit, unit_id=unit.id)
    return unit


@transaction.atomic
def unit_update(*, acting_user: User | None, unit: Unit, **fields: Any) -> Unit:
    _require_admin(acting_user)
    old_name = unit.name
    unit = _save_changes(unit, fields, acting_user=acting_user, action="unit.update", unit_id=unit.id)
    if unit.name != old_name:
        UnitEvent.objects.create(
            unit=unit, kind=UnitEventKind.RENAMED, actor=acting_user, detail={"from": old_name, "to": unit.name}
        )
    return unit


@transaction.atomic
def unit_merge(*, acting_user: User | None, unit: Unit, successor: Unit, note: str = "") -> Unit:
    """Merge ``unit`` into ``successor``: its systems, assets, officers and provider assignments move.

    The merged unit stays (status ``merged``) with its history; both units record the event.
    """
    _require_admin(acting_user)
    if unit.id == successor.id:
        raise ValidationError(_("Không thể sáp nhập một đơn vị vào chính nó."))
    if not unit.is_active or not successor.is_active:
        raise ValidationError(_("Chỉ sáp nhập được giữa các đơn vị đang hoạt động."))
    moved = {
        "systems": InformationSystem.objects.filter(unit=unit).update(unit=successor),
        "websites": Website.objects.filter(unit=unit).update(unit=successor),
        "domains": Domain.objects.filter(unit=unit).update(unit=successor),
        "hosts": Host.objects.filter(unit=unit).update(unit=successor),
        "software": SoftwareComponent.objects.filter(unit=unit).update(unit=successor),
        "officers": User.objects.filter(unit=unit).update(unit=successor),
        "children": Unit.objects.filter(parent=unit).update(parent=successor),
    }
    for organization in Organization.objects.filter(assigned_units=unit):
        organization.assigned_units.remove(unit)
        organization.assigned_units.add(successor)
    unit.status = UnitStatus.MERGED
    unit.successor = successor
    unit.full_clean()
    unit.save()
    detail = {"moved": moved, "note": note}
    UnitEvent.objects.create(
        unit=unit, kind=UnitEventKind.MERGED_INTO, related_unit=successor, actor=acting_user, detail=detail
    )
    UnitEvent.objects.create(
        unit=successor, kind=UnitEventKind.ABSORBED, related_unit=unit, actor=acting_user, detail=detail
    )
    audit_record(
        acting_user=acting_user,
        action="unit.merge",
        target=unit,
        unit_id=unit.id,
        changes={"successor": successor.id, **moved},
    )
    audit_record(acting_user=acting_user, action="unit.absorb", target=successor, unit_id=successor.id, changes=moved)
    return successor


@transaction.atomic
def unit_dissolve(*, acting_user: User | None, unit: Unit, note: str = "") -> Unit:
    _require_admin(acting_user)
    if not unit.is_active:
        raise ValidationError(_("Đơn vị không còn hoạt động."))
    if User.objects.filter(unit=unit, is_active=True).exists():
        raise ValidationError(_("Hãy chuyển hoặc khoá tài khoản của cán bộ đơn vị trước khi giải thể."))
    unit.status = UnitStatus.DISSOLVED
    unit.save(update_fields=["status", "updated_at"])
    UnitEvent.objects.create(unit=unit, kind=UnitEventKind.DISSOLVED, actor=acting_user, detail={"note": note})
    audit_record(acting_user=acting_user, action="unit.dissolve", target=unit, unit_id=unit.id, changes={"note": note})
    return unit


# --- organisations -----------------------------------------------------------------------------


@transaction.atomic
def organization_create(*, acting_user: User | None, kind: str, name: str, **fields: Any) -> Organization:
    _require_admin(acting_user)
    if not fields.get("short_code"):
        fields["short_code"] = short_code_for(name, set(Organization.objects.values_list("short_code", flat=True)))
    return _save_new(
        Organization(kind=kind, name=name, **fields),
        acting_user=acting_user,
        action="organization.create",
        unit_id=None,
    )


@transaction.atomic
def provider_assign(*, acting_user: User | None, provider: Organization, unit: Unit) -> Organization:
    _require_admin(acting_user)
    if provider.kind != "provider":
        raise ValidationError(_("Chỉ giao đơn vị cho nhà cung cấp dịch vụ an toàn thông tin."))
    provider.assigned_units.add(unit)
    audit_record(acting_user=acting_user, action="provider.assign", target=provider, unit_id=unit.id)
    return provider


# --- systems and assets ------------------------------------------------------------------------


def _check_system_unit(system: InformationSystem | None, unit: Unit) -> None:
    if system is not None and system.unit_id != unit.id:
        raise ValidationError({"system": _("Hệ thống không thuộc đơn vị này.")})


@transaction.atomic
def system_create(*, acting_user: User | None, unit: Unit, name: str, **fields: Any) -> InformationSystem:
    _require_unit_editor(acting_user, unit)
    system = InformationSystem(unit=unit, name=name, **fields)
    return _save_new(system, acting_user=acting_user, action="system.create", unit_id=unit.id)


@transaction.atomic
def system_update(*, acting_user: User | None, system: InformationSystem, **fields: Any) -> InformationSystem:
    _require_unit_editor(acting_user, system.unit)
    return _save_changes(system, fields, acting_user=acting_user, action="system.update", unit_id=system.unit_id)


@transaction.atomic
def website_create(
    *, acting_user: User | None, unit: Unit, url: str, system: InformationSystem | None = None, **fields: Any
) -> Website:
    _require_unit_editor(acting_user, unit)
    _check_system_unit(system, unit)
    website = Website(unit=unit, url=url.strip(), system=system, **fields)
    return _save_new(website, acting_user=acting_user, action="website.create", unit_id=unit.id)


@transaction.atomic
def domain_create(
    *, acting_user: User | None, unit: Unit, name: str, system: InformationSystem | None = None, **fields: Any
) -> Domain:
    _require_unit_editor(acting_user, unit)
    _check_system_unit(system, unit)
    domain = Domain(unit=unit, name=name.strip().rstrip(".").lower(), system=system, **fields)
    return _save_new(domain, acting_user=acting_user, action="domain.create", unit_id=unit.id)


@transaction.atomic
def host_create(
    *, acting_user: User | None, unit: Unit, address: str, system: InformationSystem | None = None, **fields: Any
) -> Host:
    _require_unit_editor(acting_user, unit)
    _check_system_unit(system, unit)
    host = Host(unit=unit, address=address.strip().lower(), system=system, **fields)
    return _save_new(host, acting_user=acting_user, action="host.create", unit_id=unit.id)


@transaction.atomic
def software_create(
    *, acting_user: User | None, system: InformationSystem, vendor: str, product: str, **fields: Any
) -> SoftwareComponent:
    _require_unit_editor(acting_user, system.unit)
    component = SoftwareComponent(
        unit=system.unit, system=system, vendor=vendor.strip(), product=product.strip(), **fields
    )
    return _save_new(component, acting_user=acting_user, action="software.create", unit_id=system.unit_id)


@transaction.atomic
def asset_delete(*, acting_user: User | None, asset: Website | Domain | Host | SoftwareComponent) -> None:
    """Remove a website, domain, host or software component; the audit row keeps what it was."""
    _require_unit_editor(acting_user, asset.unit)
    label = asset._meta.model_name
    audit_record(
        acting_user=acting_user,
        action=f"{label}.delete",
        target=asset,
        unit_id=asset.unit_id,
        changes={"deleted": str(asset)},
    )
    asset.delete()
