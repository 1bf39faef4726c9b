"""Figures for the dashboard, computed from the registry selectors (so scoped to the viewer)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count

from haidang.apps.accounts.models import User
from haidang.apps.audit.models import AuditEvent
from haidang.apps.registry.selectors import system_list, unit_list

#: unit_list aggregates (GROUP BY), which drops the model's default ordering; pages restore it.
UNIT_ORDER = ("group__order", "group__code", "number", "name", "id")


@dataclass
class GroupFigures:
    code: str
    name: str
    units: int = 0
    systems: int = 0
    websites: int = 0
    domains: int = 0


@dataclass
class Overview:
    groups: list[GroupFigures] = field(default_factory=list)
    total: GroupFigures = field(default_factory=lambda: GroupFigures(code="", name=""))
    levels: list[tuple[int | None, int]] = field(default_factory=list)
    important_systems: int = 0


def overview(user: User) -> Overview:
    """Active units, systems, websites and domains per group, and systems per security level."""
    result = Overview()
    by_group: dict[str, GroupFigures] = {}
    for unit in unit_list(visible_to=user).order_by(*UNIT_ORDER):
        row = by_group.get(unit.group.code)
        if row is None:
            row = by_group[unit.group.code] = GroupFigures(code=unit.group.code, name=unit.group.name)
        for target in (row, result.total):
            target.units += 1
            target.systems += unit.system_count  # type: ignore[attr-defined]
            target.websites += unit.website_count  # type: ignore[attr-defined]
            target.domains += unit.domain_count  # type: ignore[attr-defined]
    result.groups = list(by_group.values())
    systems = system_list(visible_to=user).filter(unit__status="active")
    counted = systems.values("security_level").annotate(n=Count("id")).order_by("security_level")
    result.levels = [(row["security_level"], row["n"]) for row in counted]
    result.important_systems = systems.filter(is_important=True).count()
    return result


def unit_names(user: User, events: Iterable[AuditEvent]) -> dict[int, str]:
    """Names of the (visible) units the given audit rows refer to, by id."""
    ids = {event.unit_id for event in events if event.unit_id is not None}
    if not ids:
        return {}
    return dict(unit_list(visible_to=user, status="").filter(id__in=ids).values_list("id", "name"))
