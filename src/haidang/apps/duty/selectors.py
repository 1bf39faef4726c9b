"""Reads of duty periods, rosters and shifts. The one place that decides who sees which roster.

Visibility follows the registry (``visible_unit_ids``) and extends it to organisations:
- administrator, duty officer, leadership viewer: every roster, including the department's;
- unit security officer: their own unit's rosters;
- telecom officer: their own company's rosters;
- security provider: the rosters of the units assigned to their organisation (read only).
Periods are announcements: every signed-in account sees them; what each sees inside is scoped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from django.db.models import Case, IntegerField, Model, Q, QuerySet, Value, When
from django.utils import timezone

from haidang.apps.accounts.models import Role, User
from haidang.apps.duty.coverage import Gap, Span, find_gaps
from haidang.apps.duty.models import DutyPeriod, HandoverNote, OwnerKind, Roster, RosterStatus, Shift, ShiftRole
from haidang.apps.registry.models import Organization, OrganizationKind, Unit, UnitStatus
from haidang.apps.registry.selectors import visible_unit_ids

M = TypeVar("M", bound=Model)

#: Shifts of these rosters count for "who is on duty now": a draft is not a commitment yet.
LIVE = RosterStatus.SUBMITTED


# --- tenancy -----------------------------------------------------------------------------------


def scope_to_owners(
    queryset: QuerySet[M],
    *,
    visible_to: User,
    unit_field: str = "unit_id",
    organization_field: str = "organization_id",
) -> QuerySet[M]:
    """Restrict ``queryset`` to rows whose owner (department, unit or organisation) ``visible_to`` may see."""
    if not visible_to.is_authenticated or not visible_to.is_active:
        return queryset.none()
    if visible_to.is_city_wide:
        return queryset
    condition = Q(**{f"{unit_field}__in": visible_unit_ids(visible_to)})
    if visible_to.role == Role.TELECOM and visible_to.organization_id is not None:
        condition |= Q(**{organization_field: visible_to.organization_id})
    return queryset.filter(condition)


def may_see_department(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.is_city_wide


def can_announce(user: User) -> bool:
    """May ``user`` announce periods and keep the department's roster? (administrator, duty officer)"""
    return user.is_authenticated and user.is_active and user.role in (Role.ADMIN, Role.DUTY)


def can_edit_owner(user: User, *, unit_id: int | None, organization_id: int | None) -> bool:
    """May ``user`` keep the roster of this owner (unit, organisation, or the department when both are None)?"""
    if can_announce(user):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if unit_id is not None:
        return user.role == Role.UNIT and user.unit_id == unit_id
    if organization_id is not None:
        return user.role == Role.TELECOM and user.organization_id == organization_id
    return False


def can_edit_roster(user: User, roster: Roster) -> bool:
    return can_edit_owner(user, unit_id=roster.unit_id, organization_id=roster.organization_id)


# --- periods and rosters -----------------------------------------------------------------------


def period_list(*, visible_to: User) -> QuerySet[DutyPeriod]:
    if not visible_to.is_authenticated or not visible_to.is_active:
        return DutyPeriod.objects.none()
    return DutyPeriod.objects.select_related("announced_by").prefetch_related("groups")


def period_get(*, visible_to: User, period_id: int) -> DutyPeriod:
    """Return the period, or raise ``DutyPeriod.DoesNotExist``."""
    return period_list(visible_to=visible_to).get(id=period_id)


def periods_running(*, at: datetime | None = None) -> QuerySet[DutyPeriod]:
    at = at or timezone.now()
    return DutyPeriod.objects.filter(starts_at__lte=at, ends_at__gt=at).prefetch_related("groups")


def roster_list(
    *,
    visible_to: User,
    period_id: int | None = None,
    unit_id: int | None = None,
    organization_id: int | None = None,
    department: bool | None = None,
    status: str = "",
) -> QuerySet[Roster]:
    rosters = scope_to_owners(
        Roster.objects.select_related("period", "unit", "organization", "submitted_by"), visible_to=visible_to
    )
    if period_id is not None:
        rosters = rosters.filter(period_id=period_id)
    if unit_id is not None:
        rosters = rosters.filter(unit_id=unit_id)
    if organization_id is not None:
        rosters = rosters.filter(organization_id=organization_id)
    if department is not None:
        owned_by_department = Q(unit__isnull=True, organization__isnull=True)
        rosters = rosters.filter(owned_by_department if department else ~owned_by_department)
    if status:
        rosters = rosters.filter(status=status)
    return rosters


def roster_get(*, visible_to: User, roster_id: int) -> Roster:
    """Return the roster, or raise ``Roster.DoesNotExist`` when it does not exist or is not visible."""
    return roster_list(visible_to=visible_to).get(id=roster_id)


def shift_list(*, visible_to: User, roster_id: int | None = None) -> QuerySet[Shift]:
    shifts = scope_to_owners(
        Shift.objects.select_related("roster", "roster__unit", "roster__organization", "user"),
        visible_to=visible_to,
        unit_field="roster__unit_id",
        organization_field="roster__organization_id",
    )
    if roster_id is not None:
        shifts = shifts.filter(roster_id=roster_id)
    return shifts


def handover_notes(*, shift_ids: Iterable[int]) -> QuerySet[HandoverNote]:
    """Notes of shifts the caller already resolved through :func:`shift_list`."""
    return HandoverNote.objects.filter(shift_id__in=list(shift_ids)).select_related("author", "shift")


def roster_gaps(roster: Roster, shifts: Iterable[Shift] | None = None) -> list[Gap]:
    """Uncovered and backup-only intervals of the roster's period."""
    items = roster.shifts.all() if shifts is None else shifts
    spans = [Span(s.starts_at, s.ends_at, s.role == ShiftRole.PRIMARY) for s in items]
    return find_gaps(starts_at=roster.period.starts_at, ends_at=roster.period.ends_at, spans=spans)


def my_shifts(*, user: User, since: datetime | None = None) -> QuerySet[Shift]:
    """Shifts naming ``user`` as the account on duty, from ``since`` (default: 30 days ago)."""
    since = since or timezone.now() - timedelta(days=30)
    return (
        Shift.objects.filter(user=user, ends_at__gte=since)
        .select_related("roster", "roster__period", "roster__unit", "roster__organization")
        .order_by("starts_at", "id")
    )


def duty_accounts(*, unit_id: int | None, organization_id: int | None) -> QuerySet[User]:
    """Active accounts that may be named on a shift of this owner's roster."""
    users = User.objects.filter(is_active=True)
    if unit_id is not None:
        return users.filter(unit_id=unit_id).order_by("full_name", "email")
    if organization_id is not None:
        return users.filter(organization_id=organization_id).order_by("full_name", "email")
    return users.filter(role__in=(Role.ADMIN, Role.DUTY)).order_by("full_name", "email")


def _primary_first(shifts: QuerySet[Shift]) -> QuerySet[Shift]:
    rank = Case(When(role=ShiftRole.PRIMARY, then=Value(0)), default=Value(1), output_field=IntegerField())
    return shifts.annotate(role_rank=rank).order_by("role_rank", "starts_at", "id")


def shifts_current(*, visible_to: User, at: datetime | None = None) -> QuerySet[Shift]:
    """Who is on duty at ``at`` (default now) in the submitted rosters ``visible_to`` may see."""
    at = at or timezone.now()
    shifts = shift_list(visible_to=visible_to).filter(roster__status=LIVE, starts_at__lte=at, ends_at__gt=at)
    return _primary_first(shifts.select_related("roster__period"))


# --- a period: who submitted, who is missing ---------------------------------------------------


@dataclass
class OwnerRow:
    """One department, unit or organisation in a period or on the duty board."""

    kind: str
    name: str
    unit: Unit | None = None
    organization: Organization | None = None
    required: bool = False
    roster: Roster | None = None
    gaps: list[Gap] = field(default_factory=list)
    shifts: list[Shift] = field(default_factory=list)

    @property
    def key(self) -> tuple[int | None, int | None]:
        return (
            self.unit.id if self.unit is not None else None,
            self.organization.id if self.organization is not None else None,
        )

    @property
    def submitted(self) -> bool:
        return self.roster is not None and self.roster.is_submitted

    @property
    def missing(self) -> bool:
        return self.required and not self.submitted

    @property
    def uncovered(self) -> list[Gap]:
        return [gap for gap in self.gaps if gap.is_uncovered]

    @property
    def backup_only(self) -> list[Gap]:
        return [gap for gap in self.gaps if not gap.is_uncovered]


def _department_row(name: str) -> OwnerRow:
    return OwnerRow(kind=OwnerKind.DEPARTMENT, name=name, required=True)


def _required_units(period: DutyPeriod, visible_to: User | None) -> QuerySet[Unit]:
    units = Unit.objects.filter(group__in=period.groups.all(), status=UnitStatus.ACTIVE).select_related("group")
    if visible_to is not None:
        allowed = visible_unit_ids(visible_to)
        if allowed is not None:
            units = units.filter(id__in=allowed)
    return units.order_by("group__order", "group__code", "number", "name", "id")


def _required_telecoms(period: DutyPeriod, visible_to: User | None) -> QuerySet[Organization]:
    if not period.telecoms_required:
        return Organization.objects.none()
    orgs = Organization.objects.filter(kind=OrganizationKind.TELECOM, is_active=True).order_by("name", "id")
    if visible_to is None or visible_to.is_city_wide:
        return orgs
    if visible_to.role == Role.TELECOM and visible_to.organization_id is not None:
        return orgs.filter(id=visible_to.organization_id)
    return orgs.none()


def _row_for(roster: Roster) -> OwnerRow:
    if roster.unit is not None:
        return OwnerRow(kind=OwnerKind.UNIT, name=roster.unit.name, unit=roster.unit)
    if roster.organization is not None:
        return OwnerRow(kind=OwnerKind.ORGANIZATION, name=roster.organization.name, organization=roster.organization)
    return _department_row(roster.owner_name)


def period_rows(*, visible_to: User, period: DutyPeriod, department_name: str) -> list[OwnerRow]:
    """The department, every required unit and telecom, and any other owner that keeps a roster."""
    rows: dict[tuple[int | None, int | None], OwnerRow] = {}
    if may_see_department(visible_to):
        rows[(None, None)] = _department_row(department_name)
    for unit in _required_units(period, visible_to):
        rows[(unit.id, None)] = OwnerRow(kind=OwnerKind.UNIT, name=unit.name, unit=unit, required=True)
    for org in _required_telecoms(period, visible_to):
        rows[(None, org.id)] = OwnerRow(kind=OwnerKind.ORGANIZATION, name=org.name, organization=org, required=True)
    rosters = roster_list(visible_to=visible_to, period_id=period.id).prefetch_related("shifts")
    for roster in rosters:
        row = rows.setdefault((roster.unit_id, roster.organization_id), _row_for(roster))
        row.roster = roster
        row.gaps = roster_gaps(roster, roster.shifts.all())
    return list(rows.values())


def period_missing(*, period: DutyPeriod, visible_to: User | None = None) -> list[Unit | Organization]:
    """Required active units (and telecoms, when asked for) without a submitted roster for ``period``.

    Without ``visible_to`` the answer is not scoped (for reminders sent by the platform itself).
    """
    submitted = Roster.objects.filter(period=period, status=RosterStatus.SUBMITTED)
    units = _required_units(period, visible_to).exclude(id__in=submitted.filter(unit__isnull=False).values("unit_id"))
    orgs = _required_telecoms(period, visible_to).exclude(
        id__in=submitted.filter(organization__isnull=False).values("organization_id")
    )
    return [*units, *orgs]


# --- the duty board ----------------------------------------------------------------------------


def duty_board(*, visible_to: User, department_name: str, at: datetime | None = None) -> list[OwnerRow]:
    """Every owner ``visible_to`` may see that is expected on duty now (or is), with who is on duty."""
    at = at or timezone.now()
    rows: dict[tuple[int | None, int | None], OwnerRow] = {}
    if may_see_department(visible_to):
        rows[(None, None)] = _department_row(department_name)
    running = list(periods_running(at=at))
    for period in running:
        for unit in _required_units(period, visible_to):
            rows.setdefault((unit.id, None), OwnerRow(kind=OwnerKind.UNIT, name=unit.name, unit=unit))
            rows[(unit.id, None)].required = True
        for org in _required_telecoms(period, visible_to):
            rows.setdefault((None, org.id), OwnerRow(kind=OwnerKind.ORGANIZATION, name=org.name, organization=org))
            rows[(None, org.id)].required = True
    for roster in roster_list(visible_to=visible_to).filter(period__in=running):
        row = rows.setdefault((roster.unit_id, roster.organization_id), _row_for(roster))
        if row.roster is None or roster.is_submitted:
            row.roster = roster
    for shift in shifts_current(visible_to=visible_to, at=at):
        roster = shift.roster
        row = rows.setdefault((roster.unit_id, roster.organization_id), _row_for(roster))
        row.shifts.append(shift)
        row.roster = row.roster or roster
    return list(rows.values())


# --- interfaces for other modules (notifications, incidents, the public portal) ----------------


def on_duty_now(
    *, unit: Unit | None = None, organization: Organization | None = None, at: datetime | None = None
) -> list[Shift]:
    """Shifts covering ``at`` (default now) in the owner's submitted rosters, primary first.

    ``unit=None`` and ``organization=None`` mean the department's roster. Not scoped to a viewer:
    callers are the platform itself (escalation, notifications, the public hotline).
    """
    if unit is not None and organization is not None:
        raise ValueError("a roster belongs to a unit or an organization, not both")
    at = at or timezone.now()
    shifts = Shift.objects.filter(
        roster__status=LIVE,
        roster__unit=unit,
        roster__organization=organization,
        starts_at__lte=at,
        ends_at__gt=at,
    ).select_related("user", "roster", "roster__unit", "roster__organization")
    return list(_primary_first(shifts))


def escalation_chain(
    *, unit: Unit | None = None, organization: Organization | None = None, at: datetime | None = None
) -> list[list[User]]:
    """Who to alert, tier after tier: the owner's primaries, its backups, then the department.

    The department tier is the accounts on the department's roster now (primary before backup) or,
    when none of them has an active account, every active department duty officer. Empty tiers are
    dropped, a person appears only in the first tier they occur in, inactive accounts are skipped.
    """
    at = at or timezone.now()
    tiers: list[list[User]] = []
    seen: set[int] = set()

    def add(users: Iterable[User | None]) -> None:
        tier: list[User] = []
        for user in users:
            if user is not None and user.is_active and user.id not in seen:
                seen.add(user.id)
                tier.append(user)
        if tier:
            tiers.append(tier)

    if unit is not None or organization is not None:
        own = on_duty_now(unit=unit, organization=organization, at=at)
        add(shift.user for shift in own if shift.is_primary)
        add(shift.user for shift in own if not shift.is_primary)
    department = [shift.user for shift in on_duty_now(at=at) if shift.user is not None and shift.user.is_active]
    if department:
        add(department)
    else:
        add(User.objects.filter(role=Role.DUTY, is_active=True).order_by("id"))
    return tiers


@dataclass(frozen=True)
class PublicDutyContact:
    """Only what may be shown to the public: a name, a phone number, until when."""

    name: str
    phone: str
    until: datetime


def department_contact_now(at: datetime | None = None) -> PublicDutyContact | None:
    """The department's primary officer on duty now, for the public portal; None when there is none."""
    for shift in on_duty_now(at=at):
        if shift.is_primary:
            return PublicDutyContact(name=shift.person_name, phone=shift.phone, until=shift.ends_at)
    return None
