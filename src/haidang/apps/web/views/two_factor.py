"""Two-factor sign-in with an authenticator app (TOTP): set up once, then a code at every sign-in."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from haidang.apps.accounts.models import User
from haidang.apps.accounts.selectors import requires_two_factor, totp_device_confirmed
from haidang.apps.accounts.services import totp_device_begin, totp_device_confirm, totp_disable, totp_verify
from haidang.apps.web.access import form_data, user_of
from haidang.apps.web.forms.auth import TotpForm
from haidang.apps.web.forms.errors import add_service_errors
from haidang.apps.web.views.auth import complete_login, next_param, pending_user, safe_next


def is_verified(request: HttpRequest) -> bool:
    """Has this session passed a one-time code? (``OTPMiddleware`` adds ``is_verified``.)"""
    return bool(getattr(request.user, "is_verified", lambda: False)())


def qr_svg(config_url: str) -> SafeString:
    """The authenticator's ``otpauth://`` address as an inline SVG QR code."""
    svg = segno.make(config_url, error="m").svg_inline(scale=5, border=2, dark="#0b2545", light="#ffffff")
    # segno writes only <svg> and <path> geometry (no title, no text), so there is nothing to escape.
    return mark_safe(str(svg))  # noqa: S308


def _grouped_secret(device_key: bytes) -> str:
    secret = b32encode(device_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        if is_verified(request):
            return redirect(safe_next(request))
        user: User | None = user_of(request)
    else:
        user = pending_user(request)
    if user is None:
        messages.info(request, _("Phiên đăng nhập đã hết hạn; hãy đăng nhập lại."))
        return redirect("web:login")
    if totp_device_confirmed(user) is None:
        if not request.user.is_authenticated:
            return redirect("web:login")
        return _setup(request, user)
    return _verify(request, user)


def _setup(request: HttpRequest, user: User) -> HttpResponse:
    device = totp_device_begin(user=user)
    form = TotpForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = totp_device_confirm(user=user, token=form.cleaned_data["token"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            otp_login(request, confirmed)
            messages.success(request, _("Đã bật xác thực hai bước cho tài khoản của bạn."))
            return redirect(safe_next(request))
    context = {
        "form": form,
        "qr_svg": qr_svg(device.config_url),
        "secret": _grouped_secret(device.bin_key),
        "required": requires_two_factor(user),
        "next": next_param(request),
    }
    return render(request, "web/two_factor_setup.html", context)


def _verify(request: HttpRequest, user: User) -> HttpResponse:
    form = TotpForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            device = totp_verify(user=user, token=form.cleaned_data["token"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not request.user.is_authenticated:
                complete_login(request, user)
            otp_login(request, device)
            return redirect(safe_next(request))
    context = {"form": form, "pending_email": user.email, "next": next_param(request)}
    return render(request, "web/two_factor_verify.html", context)


@login_required
@require_POST
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    try:
        totp_disable(acting_user=user, user=user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã tắt xác thực hai bước."))
    return redirect("web:account")
