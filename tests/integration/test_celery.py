"""A real Celery worker consuming from Redis and writing to PostgreSQL — the scale-out mode."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest
from celery import current_app
from django.conf import settings
from django.db import connection

from haidang.apps.ops.models import WorkerHeartbeat
from tests.integration.conftest import base_env, wait_until

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:task_always_eager has no effect on send_task"),
]


@pytest.fixture
def worker() -> Iterator[subprocess.Popen[bytes]]:
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis"):
        pytest.skip("needs HAIDANG_DATABASE_URL (PostgreSQL) and HAIDANG_BROKER_URL (Redis): make test-integration")
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"  # the test database
    env = base_env(HAIDANG_DATABASE_URL=url, HAIDANG_BROKER_URL=settings.CELERY_BROKER_URL)
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "haidang.config", "worker", "--concurrency", "1", "--loglevel", "INFO"],
        env=env,
    )
    yield process
    process.terminate()
    process.wait(timeout=30)


def _seen() -> int:
    return sum(WorkerHeartbeat.objects.values_list("tasks_seen", flat=True))


def test_it_runs_tasks_on_a_worker_through_redis(worker: subprocess.Popen[bytes]) -> None:
    wait_until(lambda: _seen() >= 1, seconds=60, what="worker ready")
    before = _seen()
    for _ in range(3):
        current_app.send_task("ops.heartbeat")  # send_task always goes through the broker
    wait_until(lambda: _seen() >= before + 3, seconds=60, what="three heartbeats consumed")
    assert worker.poll() is None
