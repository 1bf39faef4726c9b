"""First-start bootstrap and worker heartbeats."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from haidang.apps.accounts.services import AdminBootstrap, admin_bootstrap
from haidang.apps.ops.models import WorkerHeartbeat
from haidang.apps.registry.unit_io import seed_units_if_empty


@dataclass(frozen=True)
class BootstrapReport:
    units_created: int
    admin: AdminBootstrap | None


def platform_bootstrap(*, admin_email: str, admin_password: str | None) -> BootstrapReport:
    """Seed the letter's units and create the first administrator. Safe to run on every start."""
    units = seed_units_if_empty()
    return BootstrapReport(units_created=units, admin=admin_bootstrap(email=admin_email, password=admin_password))


def heartbeat_record(*, hostname: str) -> WorkerHeartbeat:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(hostname=hostname).update(last_seen=now, tasks_seen=F("tasks_seen") + 1)
    if not updated:
        WorkerHeartbeat.objects.get_or_create(hostname=hostname, defaults={"last_seen": now, "tasks_seen": 1})
    return WorkerHeartbeat.objects.get(hostname=hostname)
