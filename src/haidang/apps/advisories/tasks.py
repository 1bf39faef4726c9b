"""Background work of advisories: feed downloads, matching the inventory, verification and reminders."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from haidang.apps.advisories import feeds, matching, warning_services

logger = logging.getLogger(__name__)


@shared_task(name="advisories.download_feeds", soft_time_limit=3000, time_limit=3300, ignore_result=True)
def download_feeds() -> bool:
    """Download KEV and the NVD changes (when HAIDANG_FEED_DOWNLOAD is on), then match the inventory again."""
    if not settings.HAIDANG_FEED_DOWNLOAD:
        return False
    kev = feeds.download_kev()
    nvd = feeds.download_nvd()
    if not (kev.ok and nvd.ok):
        logger.warning("feed download: KEV ok=%s, NVD ok=%s", kev.ok, nvd.ok)
    matching.exposures_refresh()
    return kev.ok and nvd.ok


@shared_task(name="advisories.refresh_exposures", soft_time_limit=1800, time_limit=1900, ignore_result=True)
def refresh_exposures() -> int:
    """Match the whole inventory (registry software and what monitoring observes) again."""
    return matching.exposures_refresh().matches


@shared_task(name="advisories.verify", soft_time_limit=840, time_limit=880, ignore_result=True)
def verify() -> int:
    """Verify the patched systems of open warnings against the current inventory."""
    return warning_services.verify_open()


@shared_task(name="advisories.remind_due", soft_time_limit=240, time_limit=280, ignore_result=True)
def remind_due() -> tuple[int, int]:
    return warning_services.send_due_reminders()
