"""The Celery application and the platform's one beat schedule."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidang.config.settings.local")

app = Celery("haidang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "ops-heartbeat": {"task": "ops.heartbeat", "schedule": 30.0, "options": {"expires": 25}},
    "notify-escalate-due": {"task": "notify.escalate_due", "schedule": 60.0, "options": {"expires": 55}},
    "monitoring-dispatch-due": {"task": "monitoring.dispatch_due", "schedule": 60.0, "options": {"expires": 55}},
    "monitoring-prune-snapshots": {"task": "monitoring.prune_snapshots", "schedule": 86400.0},
    "directives-refresh-auto-checks": {
        "task": "directives.refresh_auto_checks",
        "schedule": 900.0,
        "options": {"expires": 840},
    },
    "directives-remind-due": {"task": "directives.remind_due", "schedule": 300.0, "options": {"expires": 280}},
    # Off unless HAIDANG_FEED_DOWNLOAD is on (the task returns at once); then every HAIDANG_FEED_INTERVAL_HOURS.
    "advisories-download-feeds": {
        "task": "advisories.download_feeds",
        "schedule": 3600.0 * max(1, int(os.environ.get("HAIDANG_FEED_INTERVAL_HOURS", "6") or 6)),
    },
    "advisories-refresh-exposures": {"task": "advisories.refresh_exposures", "schedule": 3600.0},
    "advisories-verify": {"task": "advisories.verify", "schedule": 900.0, "options": {"expires": 840}},
    "advisories-remind-due": {"task": "advisories.remind_due", "schedule": 300.0, "options": {"expires": 280}},
}
