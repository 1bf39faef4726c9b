"""Reads of the registry. The one place that decides which units and assets a user may see.

Visibility by role:
- administrator, duty officer, leadership viewer: every unit;
- unit security officer: their own unit only;
- security provider: the units assigned to their organisation;
- telecom officer: no government unit (their workspace is their own company).
"""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Count, IntegerField, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from haidang.apps.accounts.models import Role, User
from haidang.apps.registry.models import (
    Domain,
    Host,
    InformationSystem,
    Organization,
    SoftwareComponent,
    Unit,
    UnitEvent,
    UnitGroup,
    Website,
)

M = TypeVar("M", bound=Model)


def visible_unit_ids(user: User) -> QuerySet[Unit, int] | None:
    """Return a queryset of unit ids ``user`` may see, or None when they may see every unit."""
    if not user.is_authenticated or not user.is_active:
        return Unit.objects.none().values_list("id", flat=True)
    if user.is_city_wide:
        return None
    if user.role == Role.UNIT and user.unit_id is not None:
        return Unit.objects.filter(id=user.unit_id).values_list("id", flat=True)
    if user.role == Role.PROVIDER and user.organization_id is not None:
        return Unit.objects.filter(providers=user.organization_id).values_list("id", flat=True)
    return Unit.objects.none().values_list("id", flat=True)


def scope_to_units(queryset: QuerySet[M], *, visible_to: User, field: str = "unit_id") -> QuerySet[M]:
    """Restrict ``queryset`` to rows whose ``field`` is a unit ``visible_to`` may see."""
    allowed = visible_unit_ids(visible_to)
    if allowed is None:
        return queryset
    return queryset.filter(**{f"{field}__in": allowed})


def can_edit_unit(user: User, unit_id: int) -> bool:
    """May ``user`` change the unit's systems, websites, domains, hosts and software?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.UNIT and user.unit_id == unit_id


def group_list() -> QuerySet[UnitGroup]:
    return UnitGroup.objects.annotate(unit_count=Count("units", filter=Q(units__status="active")))


def unit_list(
    *,
    visible_to: User,
    search: str = "",
    group: str = "",
    status: str = "active",
) -> QuerySet[Unit]:
    units = scope_to_units(Unit.objects.select_related("group", "successor"), visible_to=visible_to, field="id")
    if status:
        units = units.filter(status=status)
    if group:
        units = units.filter(group__code=group)
    if search:
        units = units.filter(Q(name__icontains=search) | Q(short_code__icontains=search))
    # One correlated sub-query per count: joining the three tables at once would multiply their rows.
    return units.annotate(
        system_count=_count_of(InformationSystem),
        website_count=_count_of(Website),
        domain_count=_count_of(Domain),
    )


def _count_of(model: type[Model]) -> Coalesce:
    rows = model._default_manager.filter(unit_id=OuterRef("pk")).order_by().values("unit_id")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), 0)


def unit_get(*, visible_to: User, unit_id: int) -> Unit:
    """Return the unit, or raise ``Unit.DoesNotExist`` when it does not exist or is not visible."""
    return unit_list(visible_to=visible_to, status="").get(id=unit_id)


def unit_history(*, unit: Unit) -> QuerySet[UnitEvent]:
    return UnitEvent.objects.filter(unit=unit).select_related("related_unit", "actor")


def system_list(*, visible_to: User, unit_id: int | None = None) -> QuerySet[InformationSystem]:
    systems = scope_to_units(InformationSystem.objects.select_related("unit", "operator"), visible_to=visible_to)
    if unit_id is not None:
        systems = systems.filter(unit_id=unit_id)
    return systems


def website_list(*, visible_to: User, unit_id: int | None = None) -> QuerySet[Website]:
    websites = scope_to_units(Website.objects.select_related("unit", "system"), visible_to=visible_to)
    if unit_id is not None:
        websites = websites.filter(unit_id=unit_id)
    return websites


def domain_list(*, visible_to: User, unit_id: int | None = None) -> QuerySet[Domain]:
    domains = scope_to_units(Domain.objects.select_related("unit", "system"), visible_to=visible_to)
    if unit_id is not None:
        domains = domains.filter(unit_id=unit_id)
    return domains


def host_list(*, visible_to: User, unit_id: int | None = None) -> QuerySet[Host]:
    hosts = scope_to_units(Host.objects.select_related("unit", "system"), visible_to=visible_to)
    if unit_id is not None:
        hosts = hosts.filter(unit_id=unit_id)
    return hosts


def software_list(*, visible_to: User, unit_id: int | None = None) -> QuerySet[SoftwareComponent]:
    software = scope_to_units(SoftwareComponent.objects.select_related("unit", "system"), visible_to=visible_to)
    if unit_id is not None:
        software = software.filter(unit_id=unit_id)
    return software


def organization_list(*, visible_to: User, kind: str = "") -> QuerySet[Organization]:
    """City-wide roles see every organisation; a telecom or provider officer sees only their own."""
    organizations = Organization.objects.all()
    if kind:
        organizations = organizations.filter(kind=kind)
    if not visible_to.is_authenticated:
        return organizations.none()
    if visible_to.is_city_wide:
        return organizations
    if visible_to.organization_id is not None:
        return organizations.filter(id=visible_to.organization_id)
    return organizations.none()


def unit_merge_preview(*, unit: Unit) -> dict[str, int]:
    """How many records :func:`~haidang.apps.registry.services.unit_merge` would move to the successor."""
    return {
        "systems": InformationSystem.objects.filter(unit=unit).count(),
        "websites": Website.objects.filter(unit=unit).count(),
        "domains": Domain.objects.filter(unit=unit).count(),
        "hosts": Host.objects.filter(unit=unit).count(),
        "software": SoftwareComponent.objects.filter(unit=unit).count(),
        "officers": User.objects.filter(unit=unit).count(),
        "children": Unit.objects.filter(parent=unit).count(),
        "providers": Organization.objects.filter(assigned_units=unit).count(),
    }
