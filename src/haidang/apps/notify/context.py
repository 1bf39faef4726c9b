"""The unread-notification count shown in the page header."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from haidang.apps.accounts.models import User
from haidang.apps.notify.selectors import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {"notify_unread": 0}
    # Lazy: counted only when a template shows it.
    return {"notify_unread": SimpleLazyObject(lambda: unread_count(user))}
