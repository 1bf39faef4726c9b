"""End to end on a real local website: baseline, compromise → finding, incident and the duty officer
paged within one interval, repair → resolved. Everything runs in this process (eager Celery) and
touches only 127.0.0.1."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from haidang.apps.incidents.models import Incident
from haidang.apps.monitoring import tasks
from haidang.apps.monitoring.models import Finding, FindingState, SiteStatus, WatchState
from haidang.apps.monitoring.store import DbBaselineStore, snapshot_text
from haidang.apps.notify.models import Alert, Notification
from haidang.apps.registry.models import Website
from tests.apps.monitoring.conftest import CLEAN, COMPROMISED, LocalSite
from tests.personas import World


@pytest.fixture
def monitored(quiet_world: World, local_site: LocalSite, settings: Any) -> Website:
    settings.HAIDANG_ALLOW_PRIVATE_TARGETS = True
    settings.HAIDANG_SCAN_INTERVAL_MINUTES = 10
    return Website.objects.create(unit=quiet_world.unit_a, url=local_site.url, name="Cổng thử nghiệm")


def test_it_watches_a_local_website_from_baseline_to_compromise_to_repair(
    quiet_world: World, local_site: LocalSite, monitored: Website, django_capture_on_commit_callbacks: Any
) -> None:
    world, start = quiet_world, timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch_due() == 1
    assert DbBaselineStore().load(monitored.url).scans == 1
    assert not Finding.objects.exists()
    watch = WatchState.objects.get(website=monitored)
    assert watch.status == SiteStatus.CLEAN
    assert watch.claimed_until is None
    assert watch.clean_snapshot is not None
    assert "Sở Tư pháp" in snapshot_text(watch.clean_snapshot)

    local_site.serve(COMPROMISED)
    with time_machine.travel(start + timedelta(minutes=5)), django_capture_on_commit_callbacks(execute=True):
        assert tasks.dispatch_due() == 0  # not due before the interval
    with (
        time_machine.travel(start + timedelta(minutes=10, seconds=5)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.dispatch_due() == 1

    findings = Finding.objects.filter(website=monitored, state=FindingState.OPEN)
    assert findings.filter(severity="high", kind__startswith="content.").exists()
    incident = Incident.objects.get(dedupe_key=f"website:{monitored.id}")
    assert incident.unit == world.unit_a
    assert set(findings.values_list("incident_id", flat=True)) == {incident.id}
    alert = Alert.objects.get(object_id=str(incident.id), members__user=world.duty)
    assert alert.severity == "high"
    assert Notification.objects.filter(user=world.duty, alert=alert).exists()
    assert Notification.objects.filter(user=world.officer_a).exists()  # the unit's officer hears too
    opened = set(findings.values_list("id", flat=True))
    finding = findings.first()
    assert finding is not None
    assert "kubet" in snapshot_text(finding.snapshot)
    assert "kubet" not in snapshot_text(finding.baseline_snapshot)
    assert WatchState.objects.get(website=monitored).status == SiteStatus.FLAGGED

    local_site.serve(CLEAN)
    with (
        time_machine.travel(start + timedelta(minutes=20, seconds=10)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert tasks.dispatch_due() == 1

    assert not Finding.objects.filter(website=monitored, state=FindingState.OPEN).exists()
    assert set(Finding.objects.filter(website=monitored, state=FindingState.RESOLVED).values_list("id", flat=True)) == (
        opened
    )
    assert WatchState.objects.get(website=monitored).status == SiteStatus.CLEAN


def test_it_confirms_with_an_immediate_rescan_before_alerting(
    quiet_world: World, local_site: LocalSite, monitored: Website, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        tasks.scan_websites([monitored.id])
    before = local_site.requests
    local_site.serve(COMPROMISED)

    with django_capture_on_commit_callbacks(execute=True):
        tasks.scan_websites([monitored.id])

    # The home page is fetched by 6 probes per scan: a confirmed compromise costs two scans.
    assert local_site.requests - before >= 12
    assert Incident.objects.count() == 1
    # Seen again on the next scan: no re-scan, no new incident.
    before = local_site.requests
    with django_capture_on_commit_callbacks(execute=True):
        tasks.scan_websites([monitored.id])
    assert local_site.requests - before < 12
    assert Incident.objects.count() == 1
