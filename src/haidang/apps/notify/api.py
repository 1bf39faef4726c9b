"""The notify API routes under /api/v1/: the caller's own notifications, and alerts they may see.

Reads go through :mod:`haidang.apps.notify.selectors` (someone else's notification, or an alert the
caller may not see, is a 404), writes through :mod:`haidang.apps.notify.services`.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from haidang.apps.accounts.api import request_user
from haidang.apps.notify import selectors, services
from haidang.apps.notify.models import Alert, Notification
from haidang.apps.notify.schemas import AlertFilters, AlertOut, NotificationFilters, NotificationOut, ReadAllOut
from haidang.apps.registry.schemas import READ_ERRORS, WRITE_ERRORS, ObjectId, Pagination

router = Router(tags=["Thông báo"])


@router.get(
    "/notifications", response={200: list[NotificationOut], **READ_ERRORS}, summary="Thông báo của tôi, mới nhất trước"
)
@paginate(Pagination)
def notifications_list(request: HttpRequest, filters: Query[NotificationFilters]) -> QuerySet[Notification]:
    return selectors.notifications_for(request_user(request), unread_only=filters.unread)


@router.post(
    "/notifications/read-all", response={200: ReadAllOut, **WRITE_ERRORS}, summary="Đánh dấu mọi thông báo đã đọc"
)
def notifications_read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": services.notification_mark_all_read(acting_user=request_user(request))}


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **WRITE_ERRORS},
    summary="Đánh dấu một thông báo đã đọc",
)
def notifications_read(request: HttpRequest, notification_id: ObjectId) -> Notification:
    user = request_user(request)
    notification = selectors.notifications_for(user).get(id=notification_id)
    return services.notification_mark_read(acting_user=user, notification=notification)


@router.get("/alerts", response={200: list[AlertOut], **READ_ERRORS}, summary="Cảnh báo cần xác nhận")
@paginate(Pagination)
def alerts_list(request: HttpRequest, filters: Query[AlertFilters]) -> QuerySet[Alert]:
    alerts = selectors.alert_list(visible_to=request_user(request), status=filters.status or "")
    return alerts.select_related("content_type").prefetch_related("members")


@router.get("/alerts/{alert_id}", response={200: AlertOut, **READ_ERRORS}, summary="Chi tiết cảnh báo")
def alerts_detail(request: HttpRequest, alert_id: ObjectId) -> Alert:
    return selectors.alert_get(visible_to=request_user(request), alert_id=alert_id)


@router.post(
    "/alerts/{alert_id}/acknowledge",
    response={200: AlertOut, **WRITE_ERRORS},
    summary="Xác nhận đã nhận cảnh báo (dừng chuyển cấp)",
)
def alerts_acknowledge(request: HttpRequest, alert_id: ObjectId) -> Alert:
    user = request_user(request)
    alert = selectors.alert_get(visible_to=user, alert_id=alert_id)
    return services.alert_acknowledge(alert, user=user)
