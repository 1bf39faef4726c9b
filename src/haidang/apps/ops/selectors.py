"""The health of the platform's parts: database, broker and workers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.db import connection
from django.utils import timezone

from haidang.apps.ops.models import WorkerHeartbeat


@dataclass(frozen=True)
class ComponentHealth:
    ok: bool
    detail: str


def database_health() -> ComponentHealth:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any driver error means the database is not usable
        return ComponentHealth(ok=False, detail=type(exc).__name__)
    return ComponentHealth(ok=True, detail=connection.vendor)


def broker_health() -> ComponentHealth:
    try:
        with current_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            transport = conn.transport_cls
    except Exception as exc:  # noqa: BLE001 - kombu raises transport-specific errors
        return ComponentHealth(ok=False, detail=type(exc).__name__)
    return ComponentHealth(ok=True, detail=str(transport))


def worker_health() -> ComponentHealth:
    cutoff = timezone.now() - timedelta(seconds=settings.HEALTH_WORKER_MAX_AGE_SECONDS)
    try:
        alive = WorkerHeartbeat.objects.filter(last_seen__gte=cutoff).count()
    except Exception as exc:  # noqa: BLE001 - the database itself may be down
        return ComponentHealth(ok=False, detail=type(exc).__name__)
    if alive == 0:
        return ComponentHealth(ok=False, detail="no heartbeat")
    return ComponentHealth(ok=True, detail=f"{alive} alive")
