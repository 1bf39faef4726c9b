"""Notification pages: the inbox, alerts to acknowledge, delivery channels, the delivery log.

A person's inbox and channels are theirs alone; the selectors answer 404 for anyone else's. These
are personal settings, so a read-only (leadership) account may use them too.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from haidang.apps.accounts.models import Role, User
from haidang.apps.notify import selectors, services
from haidang.apps.notify.models import Alert, AlertStatus, Channel, Notification
from haidang.apps.registry.models import Unit
from haidang.apps.registry.selectors import unit_list
from haidang.apps.web.access import admin_only, form_data, user_of, visible_unit
from haidang.apps.web.forms.notify import ChannelForm, DeliveryFilterForm

PAGE_SIZE = 50


# --- inbox ---------------------------------------------------------------------------------------


@login_required
@require_safe
def inbox(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    unread_only = request.GET.get("unread") == "1"
    notifications = selectors.notifications_for(user, unread_only=unread_only).select_related("alert")
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": unread_only, "unread": selectors.unread_count(user)}
    return render(request, "web/notify/inbox.html", context)


def _own_notification(user: User, notification_id: int) -> Notification:
    try:
        return selectors.notifications_for(user).get(id=notification_id)
    except Notification.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark read, then go where the notification points (only ever within this site)."""
    user = user_of(request)
    notification = services.notification_mark_read(
        acting_user=user, notification=_own_notification(user, notification_id)
    )
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, {request.get_host()}, require_https=request.is_secure()):
        return redirect(link)
    return redirect("web:notify_inbox")


@login_required
@require_POST
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    user = user_of(request)
    services.notification_mark_read(acting_user=user, notification=_own_notification(user, notification_id))
    return redirect("web:notify_inbox")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notification_mark_all_read(acting_user=user_of(request))
    messages.success(request, _("Đã đánh dấu %(count)s thông báo là đã đọc.") % {"count": count})
    return redirect("web:notify_inbox")


# --- alerts --------------------------------------------------------------------------------------


def _visible_alert(user: User, alert_id: int) -> Alert:
    try:
        return selectors.alert_get(visible_to=user, alert_id=alert_id)
    except Alert.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_safe
def alert_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    status = request.GET.get("status", "")
    status = status if status in AlertStatus.values else ""
    page = Paginator(selectors.alert_list(visible_to=user, status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "status": status, "statuses": AlertStatus.choices}
    return render(request, "web/notify/alert_list.html", context)


@login_required
@require_safe
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    user = user_of(request)
    alert = _visible_alert(user, alert_id)
    link = alert.link if url_has_allowed_host_and_scheme(alert.link, {request.get_host()}) else ""
    context = {
        "alert": alert,
        "subject_link": link,
        "chain": selectors.alert_chain(alert),
        "ack_minutes": int(alert.ack_within.total_seconds() // 60) if alert.ack_within else None,
        "events": selectors.alert_events(alert),
        "attempts": selectors.alert_attempts(alert)[:200],
        "can_acknowledge": alert.status != AlertStatus.ACKNOWLEDGED and selectors.can_acknowledge(user, alert),
    }
    return render(request, "web/notify/alert_detail.html", context)


@login_required
@require_POST
def alert_acknowledge(request: HttpRequest, alert_id: int) -> HttpResponse:
    user = user_of(request)
    alert = services.alert_acknowledge(_visible_alert(user, alert_id), user=user)
    if alert.acknowledged_by_id == user.id:
        messages.success(request, _("Đã xác nhận. Cảnh báo sẽ không chuyển cấp nữa."))
    else:
        messages.info(request, _("Cảnh báo đã được người khác xác nhận trước."))
    return redirect("web:notify_alert_detail", alert_id=alert.id)


# --- channels ------------------------------------------------------------------------------------


def _add_channel(request: HttpRequest, *, owner: User | None, unit: Unit | None) -> ChannelForm | None:
    """Handle the add form; None after a successful add (the caller redirects)."""
    form = ChannelForm(form_data(request))
    if request.method != "POST" or not form.is_valid():
        return form
    try:
        channel = services.channel_create(acting_user=user_of(request), user=owner, unit=unit, **form.channel_values())
    except ValidationError as exc:
        form.add_channel_errors(exc)
        return form
    messages.success(
        request, _("Đã thêm kênh %(channel)s. Hãy bấm “Gửi thử” để kiểm tra.") % {"channel": channel.masked_target}
    )
    return None


@login_required
@require_http_methods(["GET", "POST"])
def channel_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = _add_channel(request, owner=user, unit=None)
    if form is None:
        return redirect("web:notify_channels")
    managed = unit_list(visible_to=user, status="").filter(id__in=selectors.managed_unit_ids(user))
    context = {
        "form": form,
        "channels": selectors.channel_list(visible_to=user),
        "unit": None,
        "managed_units": managed.order_by("name")[:200] if user.role == Role.ADMIN else managed,
    }
    return render(request, "web/notify/channels.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def unit_channels(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = user_of(request)
    if not selectors.can_manage_unit_channels(user, unit_id):
        raise Http404
    unit = visible_unit(user, unit_id)
    form = _add_channel(request, owner=None, unit=unit)
    if form is None:
        return redirect("web:notify_unit_channels", unit_id=unit.id)
    context = {"form": form, "channels": selectors.channel_list(visible_to=user, unit_id=unit.id), "unit": unit}
    return render(request, "web/notify/channels.html", context)


def _managed_channel(user: User, channel_id: int) -> Channel:
    try:
        return selectors.channel_get(visible_to=user, channel_id=channel_id)
    except Channel.DoesNotExist as exc:
        raise Http404 from exc


def _back(channel: Channel) -> HttpResponse:
    if channel.unit_id is not None:
        return redirect("web:notify_unit_channels", unit_id=channel.unit_id)
    return redirect("web:notify_channels")


@login_required
@require_POST
def channel_test(request: HttpRequest, channel_id: int) -> HttpResponse:
    user = user_of(request)
    channel = _managed_channel(user, channel_id)
    services.channel_test(acting_user=user, channel=channel)
    channel.refresh_from_db()
    messages.info(
        request,
        _("Đã gửi tin thử tới %(channel)s; kết quả hiện ở cột “Lần gửi gần nhất”.")
        % {"channel": channel.masked_target},
    )
    return _back(channel)


@login_required
@require_POST
def channel_toggle(request: HttpRequest, channel_id: int) -> HttpResponse:
    user = user_of(request)
    channel = services.channel_set_enabled(
        acting_user=user, channel=_managed_channel(user, channel_id), enabled=request.POST.get("enabled") == "1"
    )
    text = _("Đã bật kênh %(channel)s.") if channel.enabled else _("Đã tắt kênh %(channel)s.")
    messages.success(request, text % {"channel": channel.masked_target})
    return _back(channel)


@login_required
@require_POST
def channel_delete(request: HttpRequest, channel_id: int) -> HttpResponse:
    user = user_of(request)
    channel = _managed_channel(user, channel_id)
    response = _back(channel)
    label = channel.masked_target
    services.channel_delete(acting_user=user, channel=channel)
    messages.success(request, _("Đã xoá kênh %(channel)s.") % {"channel": label})
    return response


# --- delivery log --------------------------------------------------------------------------------


@admin_only
@require_safe
def delivery_log(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = DeliveryFilterForm(request.GET or None)
    filters = form.values() if form.is_bound else {}
    attempts = selectors.delivery_attempt_list(visible_to=user, **filters)
    page = Paginator(attempts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/notify/delivery_log.html", {"form": form, "page": page, "total": page.paginator.count})
