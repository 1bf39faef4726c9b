"""A website registered anywhere (UI, API, import, merge) is watched from that moment.

The dispatcher's backfill (``services.watch_sync``) covers bulk writes that send no signal; this
receiver only makes a new website's watch appear at once rather than within a minute.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from haidang.apps.monitoring.services import watch_ensure
from haidang.apps.registry.models import Website


@receiver(post_save, sender=Website, dispatch_uid="monitoring.watch_website")
def watch_website(sender: type[Website], instance: Website, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if raw:  # loading fixtures
        return
    watch_ensure(instance)
