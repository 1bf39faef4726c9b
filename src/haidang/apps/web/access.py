"""Who may open which page. Visibility of data stays in the selectors; this only gates views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _

from haidang.apps.accounts.models import Role, User
from haidang.apps.registry.models import Unit
from haidang.apps.registry.selectors import can_edit_unit, unit_get

V = TypeVar("V", bound=Callable[..., HttpResponse])

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def user_of(request: HttpRequest) -> User:
    """The signed-in user. Views using this are wrapped in ``login_required``."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def signed_in(view: V) -> V:
    """Sign-in required; a read-only (leadership) account gets 403 on any request that writes."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in SAFE_METHODS and user_of(request).is_read_only:
            raise PermissionDenied(_("Tài khoản chỉ xem không được thay đổi dữ liệu."))
        return view(request, *args, **kwargs)

    return cast("V", login_required(wrapped))


def admin_only(view: V) -> V:
    """Only the department's administrators."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if user_of(request).role != Role.ADMIN:
            raise PermissionDenied(_("Chỉ quản trị của Sở được thực hiện thao tác này."))
        return view(request, *args, **kwargs)

    return cast("V", login_required(wrapped))


def visible_unit(user: User, unit_id: int) -> Unit:
    """The unit when ``user`` may see it; 404 otherwise, so other units' existence is not revealed."""
    try:
        return unit_get(visible_to=user, unit_id=unit_id)
    except Unit.DoesNotExist as exc:
        raise Http404 from exc


def editable_unit(user: User, unit_id: int) -> Unit:
    """A visible unit whose assets ``user`` may change (403 when only visible)."""
    unit = visible_unit(user, unit_id)
    if user.is_read_only or not can_edit_unit(user, unit.id):
        raise PermissionDenied(_("Bạn không có quyền thay đổi dữ liệu của đơn vị này."))
    return unit


def form_data(request: HttpRequest) -> QueryDict | None:
    """The submitted fields on POST (even when empty, so required fields are reported), else None."""
    return request.POST if request.method == "POST" else None
