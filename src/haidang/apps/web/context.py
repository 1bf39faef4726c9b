from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

import haidang
from haidang.apps.accounts.models import User
from haidang.apps.accounts.selectors import requires_two_factor


def platform(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    signed_in = isinstance(user, User)
    # Until a required second factor is passed, every page but 2FA redirects: hide the navigation.
    awaiting_2fa = (
        signed_in and requires_two_factor(user) and not getattr(user, "is_verified", lambda: False)()  # type: ignore[arg-type]
    )
    return {
        "HAIDANG_ORG_NAME": settings.HAIDANG_ORG_NAME,
        "HAIDANG_HOTLINE": settings.HAIDANG_HOTLINE,
        "HAIDANG_VERSION": haidang.__version__,
        "show_nav": signed_in and not awaiting_2fa,
    }
