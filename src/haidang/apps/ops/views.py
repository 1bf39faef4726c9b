from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from haidang.apps.ops.selectors import broker_health, database_health, worker_health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers; each component's state is in the body."""
    components = {"database": database_health(), "broker": broker_health(), "worker": worker_health()}
    body = {name: {"ok": c.ok, "detail": c.detail} for name, c in components.items()}
    healthy = all(c.ok for c in components.values())
    status = "ok" if healthy else "degraded"
    if not components["database"].ok:
        status = "down"
    return JsonResponse({"status": status, **body}, status=503 if status == "down" else 200)
