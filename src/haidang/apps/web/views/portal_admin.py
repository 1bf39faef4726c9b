"""Staff pages for the notices of the public portal: only the department's administrators and duty officers."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haidang.apps.portal import services
from haidang.apps.portal.models import PublicNotice
from haidang.apps.portal.selectors import can_manage_notices, notice_get, notice_list
from haidang.apps.web.access import form_data, user_of
from haidang.apps.web.forms.errors import add_service_errors
from haidang.apps.web.forms.portal_admin import NoticeCreateForm, NoticeForm

V = TypeVar("V", bound=Callable[..., HttpResponse])


def notice_managers_only(view: V) -> V:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_manage_notices(user_of(request)):
            raise PermissionDenied(_("Chỉ quản trị và cán bộ trực của Sở được quản lý thông báo công khai."))
        return view(request, *args, **kwargs)

    return cast("V", login_required(wrapped))


def _notice(request: HttpRequest, notice_id: int) -> PublicNotice:
    try:
        return notice_get(visible_to=user_of(request), notice_id=notice_id)
    except PublicNotice.DoesNotExist as exc:
        raise Http404 from exc


@notice_managers_only
@require_http_methods(["GET"])
def notice_list_view(request: HttpRequest) -> HttpResponse:
    page = Paginator(notice_list(visible_to=user_of(request)), 50).get_page(request.GET.get("page"))
    return render(request, "web/portal_admin/notice_list.html", {"page": page, "notices": page.object_list})


@notice_managers_only
@require_http_methods(["GET", "POST"])
def notice_create(request: HttpRequest) -> HttpResponse:
    form = NoticeCreateForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        publish = data.pop("publish")
        try:
            notice = services.notice_create(acting_user=user_of(request), publish=publish, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            done = _("Đã đăng thông báo.") if notice.is_published else _("Đã lưu bản nháp thông báo.")
            messages.success(request, done)
            return redirect("web:notice_list")
    return render(request, "web/portal_admin/notice_form.html", {"form": form, "notice": None})


@notice_managers_only
@require_http_methods(["GET", "POST"])
def notice_edit(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _notice(request, notice_id)
    form = NoticeForm(form_data(request), initial=NoticeForm.initial_for(notice))
    if request.method == "POST" and form.is_valid():
        try:
            services.notice_update(acting_user=user_of(request), notice=notice, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông báo."))
            return redirect("web:notice_list")
    return render(request, "web/portal_admin/notice_form.html", {"form": form, "notice": notice})


@notice_managers_only
@require_POST
def notice_publish(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Publish (``publish=1``) or withdraw (``publish=0``) a notice."""
    notice = _notice(request, notice_id)
    publish = request.POST.get("publish") == "1"
    services.notice_set_published(acting_user=user_of(request), notice=notice, published=publish)
    messages.success(request, _("Đã đăng thông báo.") if publish else _("Đã gỡ thông báo khỏi cổng thông tin."))
    return redirect("web:notice_list")
