"""Background tasks of the platform itself."""

from __future__ import annotations

import socket

from celery import shared_task
from celery.signals import worker_ready

from haidang.apps.ops.services import heartbeat_record


@shared_task(name="ops.heartbeat", soft_time_limit=20, time_limit=30, ignore_result=True)
def heartbeat() -> None:
    """Record that a worker is alive and consuming; the health check reads it."""
    heartbeat_record(hostname=socket.gethostname())


@worker_ready.connect
def _heartbeat_on_start(**_kwargs: object) -> None:
    # A worker that has just started counts as alive before the first scheduled heartbeat.
    heartbeat_record(hostname=socket.gethostname())
