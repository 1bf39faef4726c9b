"""The /healthz answer and the worker heartbeat behind it."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from django.test import Client
from django.utils import timezone

from haidang.apps.ops.models import WorkerHeartbeat
from haidang.apps.ops.tasks import heartbeat


def test_it_reports_each_component(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True
    assert body["worker"] == {"ok": False, "detail": "no heartbeat"}
    assert body["status"] == "degraded"


def test_it_is_ok_after_a_heartbeat_and_degrades_when_it_gets_old(client: Client, db: None) -> None:
    heartbeat.delay()
    assert client.get("/healthz").json()["status"] == "ok"
    assert WorkerHeartbeat.objects.get().tasks_seen == 1
    with time_machine.travel(timezone.now() + timedelta(minutes=10)):
        assert client.get("/healthz").json()["worker"]["ok"] is False


def test_it_reports_an_unreachable_broker(client: Client, db: None, settings: object) -> None:
    from celery import current_app

    current_app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        body = client.get("/healthz").json()
    finally:
        current_app.conf.broker_url = settings.CELERY_BROKER_URL  # type: ignore[attr-defined]
    assert body["broker"]["ok"] is False
    assert body["status"] == "degraded"


def test_it_answers_only_get(client: Client, db: None) -> None:
    assert client.post("/healthz").status_code == 405
