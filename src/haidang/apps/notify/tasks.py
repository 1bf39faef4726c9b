"""Background work of notifications: one delivery per task, and the escalation sweep."""

from __future__ import annotations

from celery import shared_task

from haidang.apps.notify.services import alert_escalate_due, delivery_run


# The hard limit stays above the longest bounded attempt (connect + read timeouts of one channel).
@shared_task(name="notify.deliver", soft_time_limit=60, time_limit=90, ignore_result=True)
def deliver(
    channel_id: int, notification_id: int | None = None, alert_id: int | None = None, test: bool = False
) -> None:
    """Send one message on one channel and log the attempt (failures are logged, not retried)."""
    delivery_run(channel_id=channel_id, notification_id=notification_id, alert_id=alert_id, test=test)


@shared_task(name="notify.escalate_due", soft_time_limit=50, time_limit=58, ignore_result=True)
def escalate_due() -> None:
    """Move every alert nobody acknowledged in time to its next tier (run every minute by beat)."""
    alert_escalate_due()
