"""Website monitoring API routes under /api/v1/: findings, their handling, "scan now", a website's watch.

Reads go through :mod:`haidang.apps.monitoring.selectors` (another unit's finding or website is a
404), writes through :mod:`haidang.apps.monitoring.services` (which check the right to act and audit).
"""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from haidang.apps.accounts.api import request_user
from haidang.apps.accounts.models import User
from haidang.apps.monitoring import selectors, services
from haidang.apps.monitoring.models import Finding, WatchState
from haidang.apps.monitoring.schemas import AssignIn, FindingFilters, FindingOut, ReasonIn, ScanQueuedOut, WatchOut
from haidang.apps.registry.schemas import READ_ERRORS, WRITE_ERRORS, ObjectId, Pagination
from haidang.apps.registry.selectors import website_list

router = Router(tags=["Giám sát trang web"])


def _finding(user: User, finding_id: int) -> Finding:
    return selectors.finding_get(visible_to=user, finding_id=finding_id)


@router.get("/findings", response={200: list[FindingOut], **READ_ERRORS}, summary="Danh sách phát hiện")
@paginate(Pagination)
def findings_list(request: HttpRequest, filters: Query[FindingFilters]) -> QuerySet[Finding]:
    disposition = (
        None if filters.disposition is None else ("" if filters.disposition == "none" else filters.disposition)
    )
    return selectors.finding_list(
        visible_to=request_user(request),
        unit_id=filters.unit_id,
        website_id=filters.website_id,
        severity=filters.severity or "",
        state=filters.status or "",
        disposition=disposition,
    )


@router.get("/findings/{finding_id}", response={200: FindingOut, **READ_ERRORS}, summary="Chi tiết phát hiện")
def findings_detail(request: HttpRequest, finding_id: ObjectId) -> Finding:
    return _finding(request_user(request), finding_id)


@router.post(
    "/findings/{finding_id}/acknowledge", response={200: FindingOut, **WRITE_ERRORS}, summary="Ghi nhận phát hiện"
)
def findings_acknowledge(request: HttpRequest, finding_id: ObjectId) -> Finding:
    user = request_user(request)
    return services.finding_acknowledge(actor=user, finding=_finding(user, finding_id))


@router.post("/findings/{finding_id}/assign", response={200: FindingOut, **WRITE_ERRORS}, summary="Giao xử lý")
def findings_assign(request: HttpRequest, finding_id: ObjectId, payload: AssignIn) -> Finding:
    user = request_user(request)
    finding = _finding(user, finding_id)
    assignee = None
    if payload.assignee_id is not None:
        assignee = User.objects.filter(id=payload.assignee_id, is_active=True).first()
        if assignee is None:
            raise ValidationError({"assignee_id": _("Không có người dùng này.")})
    return services.finding_assign(actor=user, finding=finding, assignee=assignee)


@router.post(
    "/findings/{finding_id}/legitimate",
    response={200: FindingOut, **WRITE_ERRORS},
    summary="Xác nhận thay đổi hợp lệ (không cảnh báo lại)",
)
def findings_legitimate(request: HttpRequest, finding_id: ObjectId, payload: ReasonIn) -> Finding:
    user = request_user(request)
    return services.finding_mark_legitimate(actor=user, finding=_finding(user, finding_id), reason=payload.reason)


@router.post(
    "/findings/{finding_id}/false-positive",
    response={200: FindingOut, **WRITE_ERRORS},
    summary="Đánh dấu cảnh báo nhầm",
)
def findings_false_positive(request: HttpRequest, finding_id: ObjectId, payload: ReasonIn) -> Finding:
    user = request_user(request)
    return services.finding_mark_false_positive(actor=user, finding=_finding(user, finding_id), reason=payload.reason)


@router.post(
    "/websites/{website_id}/scan",
    response={202: ScanQueuedOut, **WRITE_ERRORS},
    summary="Quét ngay một trang web",
)
def websites_scan(request: HttpRequest, website_id: ObjectId) -> Status[dict[str, object]]:
    user = request_user(request)
    website = website_list(visible_to=user).get(id=website_id)
    if not services.scan_now(actor=user, website=website):
        return Status(409, {"detail": _("Trang web này đang chờ quét hoặc đang được quét.")})
    return Status(202, {"queued": True, "detail": _("Đã đưa vào hàng đợi quét.")})


@router.get(
    "/websites/{website_id}/watch", response={200: WatchOut, **READ_ERRORS}, summary="Trạng thái giám sát trang web"
)
def websites_watch(request: HttpRequest, website_id: ObjectId) -> WatchState:
    user = request_user(request)
    website = website_list(visible_to=user).get(id=website_id)
    services.watch_ensure(website)
    return selectors.watch_get(visible_to=user, website_id=website.id)
