"""The audit trail over HTTP, scoped by :func:`haidang.apps.audit.selectors.audit_list`."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from haidang.apps.accounts.api import request_user
from haidang.apps.audit.models import AuditEvent
from haidang.apps.audit.schemas import AuditEventOut, AuditFilters
from haidang.apps.audit.selectors import audit_list
from haidang.apps.registry.schemas import READ_ERRORS, ObjectId, Pagination

router = Router(tags=["Nhật ký thao tác"])


@router.get("/audit", response={200: list[AuditEventOut], **READ_ERRORS}, summary="Nhật ký thao tác, mới nhất trước")
@paginate(Pagination)
def audit_events_list(request: HttpRequest, filters: Query[AuditFilters]) -> QuerySet[AuditEvent]:
    return audit_list(visible_to=request_user(request), **filters.model_dump())


@router.get("/audit/{event_id}", response={200: AuditEventOut, **READ_ERRORS}, summary="Chi tiết sự kiện nhật ký")
def audit_events_detail(request: HttpRequest, event_id: ObjectId) -> AuditEvent:
    return audit_list(visible_to=request_user(request)).get(id=event_id)
