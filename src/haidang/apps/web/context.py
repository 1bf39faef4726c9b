from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

import haidang


def platform(request: HttpRequest) -> dict[str, Any]:
    return {
        "HAIDANG_ORG_NAME": settings.HAIDANG_ORG_NAME,
        "HAIDANG_HOTLINE": settings.HAIDANG_HOTLINE,
        "HAIDANG_VERSION": haidang.__version__,
    }
