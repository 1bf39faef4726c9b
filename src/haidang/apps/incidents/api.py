"""The incidents API routes under /api/v1/: list, create, get, change status, edit.

Reads go through ``selectors.incident_list(visible_to=...)`` (another unit's incident is a 404);
writes through the services, which check the right to act and audit.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from haidang.apps.accounts.api import request_user
from haidang.apps.accounts.models import User
from haidang.apps.incidents import selectors, services
from haidang.apps.incidents.models import Incident, Source
from haidang.apps.incidents.schemas import IncidentFilters, IncidentIn, IncidentOut, IncidentPatch, StatusIn
from haidang.apps.registry.models import InformationSystem, Unit
from haidang.apps.registry.schemas import READ_ERRORS, WRITE_ERRORS, ObjectId, Pagination
from haidang.apps.registry.selectors import system_list, unit_get

router = Router(tags=["Sự cố"])


def _incidents(user: User) -> QuerySet[Incident]:
    return selectors.incident_list(visible_to=user).prefetch_related("systems", "indicators", "deadline_reports")


def _unit(user: User, unit_id: int | None) -> Unit | None:
    return None if unit_id is None else unit_get(visible_to=user, unit_id=unit_id)


def _systems(user: User, ids: list[int]) -> list[InformationSystem]:
    systems = list(system_list(visible_to=user).filter(id__in=ids))
    if len(systems) != len(set(ids)):
        raise InformationSystem.DoesNotExist
    return systems


@router.get("/incidents", response={200: list[IncidentOut], **READ_ERRORS}, summary="Danh sách sự cố")
@paginate(Pagination)
def incidents_list(request: HttpRequest, filters: Query[IncidentFilters]) -> QuerySet[Incident]:
    user = request_user(request)
    incidents = selectors.incident_list(
        visible_to=user,
        status=filters.status or "",
        category=filters.category or "",
        severity=filters.severity or "",
        unit_id=filters.unit_id,
        queue=filters.queue,
        open_only=filters.open,
        search=filters.search,
    )
    return selectors.with_deadline_facts(incidents).prefetch_related("systems", "indicators", "deadline_reports")


@router.post("/incidents", response={201: IncidentOut, **WRITE_ERRORS}, summary="Báo cáo sự cố")
def incidents_create(request: HttpRequest, payload: IncidentIn) -> Status[Incident]:
    user = request_user(request)
    incident = services.incident_create(
        actor=user,
        source=Source.API,
        unit=_unit(user, payload.unit_id),
        title=payload.title,
        description=payload.description,
        category=payload.category,
        severity=payload.severity,
        systems=_systems(user, payload.system_ids),
        discovered_at=payload.discovered_at,
        beyond_capacity=payload.beyond_capacity,
        personal_data=payload.personal_data,
        indicators=payload.indicators,
    )
    return Status(201, _incidents(user).get(id=incident.id))


@router.get("/incidents/{incident_id}", response={200: IncidentOut, **READ_ERRORS}, summary="Chi tiết sự cố")
def incidents_detail(request: HttpRequest, incident_id: ObjectId) -> Incident:
    return _incidents(request_user(request)).get(id=incident_id)


@router.post(
    "/incidents/{incident_id}/status", response={200: IncidentOut, **WRITE_ERRORS}, summary="Chuyển trạng thái sự cố"
)
def incidents_status(request: HttpRequest, incident_id: ObjectId, payload: StatusIn) -> Incident:
    user = request_user(request)
    incident = selectors.incident_get(visible_to=user, incident_id=incident_id)
    services.incident_transition(actor=user, incident=incident, to=payload.status, note=payload.note)
    return _incidents(user).get(id=incident_id)


@router.patch("/incidents/{incident_id}", response={200: IncidentOut, **WRITE_ERRORS}, summary="Sửa thông tin sự cố")
def incidents_update(request: HttpRequest, incident_id: ObjectId, payload: IncidentPatch) -> Incident:
    user = request_user(request)
    incident = selectors.incident_get(visible_to=user, incident_id=incident_id)
    fields = payload.model_dump(exclude_unset=True, exclude={"unit_id", "system_ids"})
    fields = {name: value for name, value in fields.items() if value is not None}
    services.incident_update(
        actor=user,
        incident=incident,
        unit=_unit(user, payload.unit_id),
        systems=None if payload.system_ids is None else _systems(user, payload.system_ids),
        **fields,
    )
    return _incidents(user).get(id=incident_id)
