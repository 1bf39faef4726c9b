"""Keep a signed-in user whose role requires two-factor authentication inside the 2FA pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from haidang.apps.accounts.selectors import requires_two_factor

_ALLOWED_PREFIXES = ("/account/2fa/", "/logout/", "/static/", "/i18n/", "/healthz", "/api/")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and requires_two_factor(user)
            # OTPMiddleware (installed before this one) adds is_verified() to the user.
            and not getattr(user, "is_verified", lambda: False)()
            and not request.path.startswith(_ALLOWED_PREFIXES)
        ):
            return redirect("web:two_factor")
        return self.get_response(request)
