"""Where the current change comes from (web request address, API, command line).

Services record audit rows with ``acting_user``; the address and channel are carried here so
that no service needs the request object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse


@dataclass(frozen=True)
class Origin:
    source: str = "system"
    ip_address: str | None = None
    user_agent: str = ""


_current: ContextVar[Origin] = ContextVar("haidang_audit_origin", default=Origin())  # noqa: B039 - frozen


def current_origin() -> Origin:
    return _current.get()


@contextmanager
def origin(value: Origin) -> Iterator[None]:
    token = _current.set(value)
    try:
        yield
    finally:
        _current.reset(token)


class AuditOriginMiddleware:
    """Attach the client's address to every change made while handling a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = "api" if request.path.startswith("/api/") else "web"
        value = Origin(
            source=source,
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        )
        with origin(value):
            return self.get_response(request)
