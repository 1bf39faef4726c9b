"""Scheduling: "scan now" pressed twice queues once; the dispatcher claims only due websites, in chunks,
and a heightened-alert period brings scans forward between its two dates for its units only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from haidang.apps.monitoring import services, tasks
from haidang.apps.monitoring.models import WatchState
from haidang.apps.monitoring.selectors import effective_interval
from haidang.apps.registry.models import Website
from tests.personas import World


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[list[int]]:
    """Every scan_websites call (its website ids) instead of running it."""
    calls: list[list[int]] = []
    monkeypatch.setattr(tasks.scan_websites, "delay", lambda ids: calls.append(list(ids)))
    return calls


def _websites(world: World, count: int, unit: Any = None) -> list[Website]:
    unit = unit or world.unit_a
    return [Website.objects.create(unit=unit, url=f"https://s{i}-{unit.id}.example.gov.vn/") for i in range(count)]


def test_it_queues_one_scan_when_scan_now_is_pressed_twice(
    world: World, queued: list[list[int]], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = services.scan_now(actor=world.officer_a, website=world.website_a)
        second = services.scan_now(actor=world.officer_a, website=world.website_a)

    assert (first, second) == (True, False)
    assert queued == [[world.website_a.id]]


def test_it_lets_a_claim_expire_so_a_killed_scan_does_not_block_the_website(
    world: World, queued: list[list[int]]
) -> None:
    services.scan_now(actor=world.duty, website=world.website_a)

    with time_machine.travel(timezone.now() + services.CLAIM_FOR + timedelta(seconds=1)):
        assert services.scan_now(actor=world.duty, website=world.website_a)


def test_it_dispatches_only_due_unclaimed_websites_in_chunks(
    world: World, queued: list[list[int]], settings: Any
) -> None:
    settings.HAIDANG_SCAN_CHUNK = 2
    now = timezone.now()
    due = _websites(world, 3)
    later = _websites(world, 1, world.unit_b)
    WatchState.objects.filter(website__in=later).update(next_due_at=now + timedelta(minutes=5))
    WatchState.objects.filter(website=world.website_b).update(claimed_until=now + timedelta(minutes=5))
    WatchState.objects.filter(website=world.website_a).update(enabled=False)

    assert tasks.dispatch_due() == 3
    assert sorted(len(chunk) for chunk in queued) == [1, 2]
    assert sorted(i for chunk in queued for i in chunk) == sorted(w.id for w in due)
    # Claimed now: the next sweep a minute later takes nothing.
    assert tasks.dispatch_due() == 0


def test_it_backfills_a_watch_for_every_active_website(world: World, queued: list[list[int]]) -> None:
    WatchState.objects.all().delete()

    tasks.dispatch_due()

    assert set(WatchState.objects.values_list("website_id", flat=True)) == {world.website_a.id, world.website_b.id}


def test_it_scans_more_often_during_a_heightened_alert_period(world: World, queued: list[list[int]]) -> None:
    start = timezone.now()
    WatchState.objects.update(last_scan_at=start, next_due_at=start + timedelta(minutes=10))
    period = services.alert_period_create(
        actor=world.duty,
        name="Nghỉ lễ Quốc khánh",
        starts_at=start + timedelta(hours=1),
        ends_at=start + timedelta(hours=2),
        interval_minutes=2,
        units=[world.unit_a],
    )
    watch_a = WatchState.objects.get(website=world.website_a)

    with time_machine.travel(start + timedelta(minutes=3)):  # before the period: not due yet
        assert tasks.dispatch_due() == 0
        assert effective_interval(watch_a) == 10
    WatchState.objects.update(last_scan_at=start + timedelta(minutes=58), next_due_at=start + timedelta(minutes=68))
    with time_machine.travel(start + timedelta(hours=1, minutes=1)):  # in the period: unit A only
        assert effective_interval(watch_a) == 2
        assert tasks.dispatch_due() == 1
        assert queued == [[world.website_a.id]]
    services.alert_period_delete(actor=world.duty, period=period)
    assert effective_interval(watch_a) == 10


def test_it_takes_a_website_due_before_the_next_dispatch_rather_than_a_minute_late(
    world: World, queued: list[list[int]]
) -> None:
    now = timezone.now()
    WatchState.objects.filter(website__in=[world.website_a, world.website_b]).update(enabled=False)
    soon, later = _websites(world, 2)
    WatchState.objects.filter(website=soon).update(next_due_at=now + timedelta(seconds=20))
    WatchState.objects.filter(website=later).update(next_due_at=now + timedelta(seconds=50))

    with time_machine.travel(now, tick=False):
        assert tasks.dispatch_due() == 1
    assert queued == [[soon.id]]
