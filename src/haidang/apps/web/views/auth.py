"""Sign-in with email and password, then (when the account has an authenticator) a one-time code.

A user with a confirmed authenticator is not signed in after the password step: the session only
remembers who passed it, for a few minutes, until the code is checked (see ``two_factor``).
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import load_backend
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from haidang.apps.accounts.models import User
from haidang.apps.accounts.selectors import totp_device_confirmed
from haidang.apps.web.access import form_data
from haidang.apps.web.forms.auth import LoginForm

PENDING_KEY = "haidang_pending_login"
PENDING_MAX_SECONDS = 300


def next_param(request: HttpRequest) -> str:
    """The ``next`` target when it stays on this site, else an empty string."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


def safe_next(request: HttpRequest) -> str:
    """Where to go after signing in: a safe ``next`` or the dashboard."""
    return next_param(request) or resolve_url(settings.LOGIN_REDIRECT_URL)


def pending_user(request: HttpRequest) -> User | None:
    """The user who passed the password step and still owes a one-time code, if any."""
    pending: dict[str, Any] | None = request.session.get(PENDING_KEY)
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_MAX_SECONDS:
        return None
    user = load_backend(pending["backend"]).get_user(pending["user_id"])
    return user if isinstance(user, User) else None


def complete_login(request: HttpRequest, user: User) -> None:
    """Finish a sign-in that was held back for the one-time code."""
    backend = request.session[PENDING_KEY]["backend"]
    del request.session[PENDING_KEY]
    auth.login(request, user, backend=backend)


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def login(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(safe_next(request))
    form = LoginForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        # The request must reach authenticate(): django-axes counts failures per account and address.
        user = auth.authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if isinstance(user, User):
            return _after_password(request, user)
        form.add_error(None, _("Thư điện tử hoặc mật khẩu không đúng."))
    return render(request, "web/login.html", {"form": form, "next": next_param(request)})


def _after_password(request: HttpRequest, user: User) -> HttpResponseRedirect:
    target = safe_next(request)
    if totp_device_confirmed(user) is not None:
        request.session.cycle_key()
        backend = getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[-1])
        request.session[PENDING_KEY] = {"user_id": user.pk, "backend": backend, "at": time.time()}
        return redirect(f"{resolve_url('web:two_factor')}?next={quote(target, safe='/')}")
    auth.login(request, user)
    return redirect(target)


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    messages.info(request, _("Bạn đã đăng xuất."))
    return redirect(settings.LOGOUT_REDIRECT_URL)
