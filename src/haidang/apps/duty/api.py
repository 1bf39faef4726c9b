"""The duty API routes under /api/v1/: periods, rosters, shifts and who is on duty now.

Reads go through the duty selectors with ``visible_to`` (another owner's roster is a 404); writes
through the services (which check the right to edit, 403, and audit). Referenced units and
organisations are resolved through the registry selectors first.
"""

from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from haidang.apps.accounts.api import request_user
from haidang.apps.duty import selectors, services
from haidang.apps.duty.models import DutyPeriod, Roster, Shift
from haidang.apps.duty.schemas import (
    PeriodFilters,
    PeriodOut,
    RosterDetailOut,
    RosterFilters,
    RosterIn,
    RosterOut,
    ShiftIn,
    ShiftOut,
)
from haidang.apps.registry.models import Organization, Unit
from haidang.apps.registry.schemas import READ_ERRORS, WRITE_ERRORS, ObjectId, Pagination
from haidang.apps.registry.selectors import organization_list, unit_get

router = Router(tags=["Lịch trực"])

_OWNER = {
    "department": Q(unit__isnull=True, organization__isnull=True),
    "unit": Q(unit__isnull=False),
    "organization": Q(organization__isnull=False),
}


def _shift_values(payload: ShiftIn, roster: Roster) -> dict[str, Any]:
    values = payload.model_dump(exclude={"user_id"})
    values["user"] = None
    if payload.user_id is not None:
        accounts = selectors.duty_accounts(unit_id=roster.unit_id, organization_id=roster.organization_id)
        # An account outside the roster's owner reads as "not found", like any invisible object.
        values["user"] = accounts.get(id=payload.user_id)
    return values


@router.get("/duty-periods", response={200: list[PeriodOut], **READ_ERRORS}, summary="Các đợt trực")
@paginate(Pagination)
def periods_list(request: HttpRequest, filters: Query[PeriodFilters]) -> QuerySet[DutyPeriod]:
    periods = selectors.period_list(visible_to=request_user(request))
    return periods.filter(name__icontains=filters.search) if filters.search else periods


@router.get("/rosters", response={200: list[RosterOut], **READ_ERRORS}, summary="Danh sách lịch trực")
@paginate(Pagination)
def rosters_list(request: HttpRequest, filters: Query[RosterFilters]) -> QuerySet[Roster]:
    rosters = selectors.roster_list(
        visible_to=request_user(request),
        period_id=filters.period_id,
        unit_id=filters.unit_id,
        organization_id=filters.organization_id,
        status=filters.status or "",
    )
    if filters.owner:
        rosters = rosters.filter(_OWNER[filters.owner])
    return rosters.order_by("-period__starts_at", "unit_id", "organization_id", "id")


@router.get("/rosters/{roster_id}", response={200: RosterDetailOut, **READ_ERRORS}, summary="Chi tiết lịch trực")
def rosters_detail(request: HttpRequest, roster_id: ObjectId) -> Roster:
    return selectors.roster_get(visible_to=request_user(request), roster_id=roster_id)


@router.post("/rosters", response={201: RosterDetailOut, **WRITE_ERRORS}, summary="Lập lịch trực cho một đợt trực")
def rosters_create(request: HttpRequest, payload: RosterIn) -> Status[Roster]:
    user = request_user(request)
    period = selectors.period_get(visible_to=user, period_id=payload.period_id)
    unit: Unit | None = unit_get(visible_to=user, unit_id=payload.unit_id) if payload.unit_id else None
    organization: Organization | None = None
    if payload.organization_id is not None:
        organization = organization_list(visible_to=user).get(id=payload.organization_id)
    with transaction.atomic():
        roster = services.roster_create(acting_user=user, period=period, unit=unit, organization=organization)
        for shift in payload.shifts:
            services.shift_create(acting_user=user, roster=roster, **_shift_values(shift, roster))
        if payload.submit:
            services.roster_submit(acting_user=user, roster=roster)
    return Status(201, roster)


@router.post(
    "/rosters/{roster_id}/shifts", response={201: ShiftOut, **WRITE_ERRORS}, summary="Thêm ca trực vào lịch trực"
)
def rosters_add_shift(request: HttpRequest, roster_id: ObjectId, payload: ShiftIn) -> Status[Shift]:
    user = request_user(request)
    roster = selectors.roster_get(visible_to=user, roster_id=roster_id)
    return Status(201, services.shift_create(acting_user=user, roster=roster, **_shift_values(payload, roster)))


@router.post(
    "/rosters/{roster_id}/submit", response={200: RosterDetailOut, **WRITE_ERRORS}, summary="Nộp (công bố) lịch trực"
)
def rosters_submit(request: HttpRequest, roster_id: ObjectId) -> Roster:
    user = request_user(request)
    roster = selectors.roster_get(visible_to=user, roster_id=roster_id)
    return services.roster_submit(acting_user=user, roster=roster)


@router.get("/shifts/current", response={200: list[ShiftOut], **READ_ERRORS}, summary="Ai đang trực ngay bây giờ")
@paginate(Pagination)
def shifts_current(request: HttpRequest) -> QuerySet[Shift]:
    return selectors.shifts_current(visible_to=request_user(request))
