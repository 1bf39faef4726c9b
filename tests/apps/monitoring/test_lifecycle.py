"""The findings lifecycle with hand-made scan results: open, seen again, resolve, reopen, human decisions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haidang.apps.audit.models import AuditEvent
from haidang.apps.incidents.models import Incident
from haidang.apps.monitoring import services
from haidang.apps.monitoring.models import DailyScans, Disposition, Finding, FindingState, SiteStatus, WatchState
from haidang.apps.monitoring.selectors import finding_events
from haidang.apps.monitoring.store import DbBaselineStore, snapshot_text
from haidang.engines.scanner.types import Severity
from tests.apps.monitoring.conftest import scan_finding, site_result
from tests.personas import World


def _record(world: World, *findings: Any, minutes: int = 0, **kwargs: Any) -> services.RecordOutcome:
    now = timezone.now() + timedelta(minutes=minutes)
    return services.record_scan(
        website=world.website_a, result=site_result(world.website_a, *findings, **kwargs), duration_ms=120, now=now
    )


def test_it_opens_a_finding_on_first_detection_with_its_snapshot(world: World) -> None:
    outcome = _record(world, scan_finding())

    finding = Finding.objects.get()
    assert outcome.opened == [finding]
    assert (finding.state, finding.unit_id, finding.times_seen) == (FindingState.OPEN, world.unit_a.id, 1)
    assert snapshot_text(finding.snapshot) == "<html>home</html>"
    assert [e.kind for e in finding_events(finding)] == ["opened", "incident"]
    watch = WatchState.objects.get(website=world.website_a)
    assert watch.status == SiteStatus.FLAGGED
    assert watch.claimed_until is None
    assert watch.next_due_at > timezone.now() + timedelta(minutes=9)


def test_it_deduplicates_a_finding_while_it_persists(world: World) -> None:
    _record(world, scan_finding())
    outcome = _record(world, scan_finding(), minutes=10)

    finding = Finding.objects.get()
    assert outcome.opened == []
    assert outcome.seen == [finding]
    assert outcome.alerted == []
    assert finding.times_seen == 2
    assert [e.kind for e in finding_events(finding)] == ["opened", "incident"]


def test_it_resolves_when_the_site_is_clean_and_reopens_when_it_returns(world: World) -> None:
    _record(world, scan_finding())
    clean = _record(world, minutes=10)
    back = _record(world, scan_finding(), minutes=20)

    finding = Finding.objects.get()
    assert clean.resolved == [finding]
    assert back.reopened == [finding]
    assert back.alerted == [finding]
    assert (finding.state, finding.times_reopened, finding.resolved_at) == (FindingState.OPEN, 1, None)
    assert [e.kind for e in finding_events(finding)] == ["opened", "incident", "resolved", "reopened"]


def test_it_keeps_content_findings_while_the_site_is_down(world: World) -> None:
    _record(world, scan_finding())
    down = scan_finding("availability.unreachable", evidence="connection_refused", url=world.website_a.url)
    outcome = _record(world, down, minutes=10, reachable=False, reason="connection_refused")

    assert outcome.resolved == []
    assert Finding.objects.filter(state=FindingState.OPEN).count() == 2
    watch = WatchState.objects.get(website=world.website_a)
    assert watch.status == SiteStatus.DOWN
    assert watch.down_since is not None


def test_it_counts_scans_per_day_not_per_row(world: World) -> None:
    _record(world)
    _record(world, scan_finding())

    day = DailyScans.objects.get()
    assert (day.scans, day.up, day.down, day.flagged, day.total_ms) == (2, 2, 0, 1, 240)


def test_it_accepts_a_legitimate_change_into_the_baseline(world: World) -> None:
    _record(world, scan_finding())
    finding = Finding.objects.get()

    services.finding_mark_legitimate(actor=world.officer_a, finding=finding, reason="Banner quảng cáo của Sở")

    finding.refresh_from_db()
    assert finding.disposition == Disposition.LEGITIMATE
    assert finding.state == FindingState.RESOLVED
    assert finding.disposition_by == world.officer_a
    assert finding.disposition_reason == "Banner quảng cáo của Sở"
    assert finding.key in DbBaselineStore().load(world.website_a.url).accepted
    assert AuditEvent.objects.filter(action="monitoring.finding_legitimate", actor=world.officer_a).exists()
    # Reported again anyway (e.g. by a scan that started before the decision): followed, never reopened.
    outcome = _record(world, scan_finding(), minutes=10)
    assert outcome.reopened == []
    assert outcome.alerted == []
    finding.refresh_from_db()
    assert finding.state == FindingState.RESOLVED


def test_it_requires_a_reason_for_a_false_positive(world: World) -> None:
    _record(world, scan_finding())
    finding = Finding.objects.get()

    with pytest.raises(ValidationError):
        services.finding_mark_false_positive(actor=world.duty, finding=finding, reason="  ")
    services.finding_mark_false_positive(actor=world.duty, finding=finding, reason="Tin phòng chống cờ bạc")

    outcome = _record(world, scan_finding(), minutes=10)
    finding.refresh_from_db()
    assert finding.disposition == Disposition.FALSE_POSITIVE
    assert outcome.alerted == []
    assert WatchState.objects.get(website=world.website_a).status == SiteStatus.CLEAN


def test_it_lets_only_those_responsible_act_on_a_finding(world: World) -> None:
    _record(world, scan_finding())
    finding = Finding.objects.get()

    for outsider in (world.viewer, world.officer_b, world.telecom_officer):
        with pytest.raises(PermissionDenied):
            services.finding_acknowledge(actor=outsider, finding=finding)
    services.finding_acknowledge(actor=world.provider_officer, finding=finding)
    services.finding_assign(actor=world.duty, finding=finding, assignee=world.officer_a)
    with pytest.raises(ValidationError):
        services.finding_assign(actor=world.duty, finding=finding, assignee=world.officer_b)

    finding.refresh_from_db()
    assert finding.disposition == Disposition.ACKNOWLEDGED
    assert finding.assignee == world.officer_a
    assert [e.kind for e in finding_events(finding)] == ["opened", "incident", "acknowledged", "assigned"]


def test_it_opens_one_incident_per_site_for_related_findings(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _record(world, scan_finding())
        _record(world, scan_finding(), scan_finding("code.hidden_iframe", evidence="iframe evil.example"), minutes=10)

    incident = Incident.objects.get()
    assert incident.dedupe_key == f"website:{world.website_a.id}"
    assert set(Finding.objects.values_list("incident_id", flat=True)) == {incident.id}


def test_it_does_not_alert_low_findings_or_a_single_failed_scan(world: World) -> None:
    _record(world, scan_finding("content.spam_text", Severity.MEDIUM))
    down = scan_finding("availability.unreachable", evidence="timeout", url=world.website_a.url)
    _record(world, down, minutes=1, reachable=False, reason="timeout")

    assert not Incident.objects.exists()


def test_it_alerts_a_site_down_for_longer_than_the_threshold(world: World, settings: Any) -> None:
    settings.HAIDANG_DOWN_ALERT_MINUTES = 15
    down = scan_finding("availability.unreachable", evidence="timeout", url=world.website_a.url)
    first = _record(world, down, reachable=False, reason="timeout")
    later = _record(world, down, minutes=16, reachable=False, reason="timeout")
    again = _record(world, down, minutes=26, reachable=False, reason="timeout")

    assert (first.down_alert, later.down_alert, again.down_alert) == (False, True, False)
    assert Incident.objects.get().findings.get().kind == "availability.unreachable"


def test_it_refreshes_the_clean_page_at_most_daily_even_when_its_content_was_stored_long_ago(world: World) -> None:
    website, start = world.website_a, timezone.now()
    services.record_scan(website=website, result=site_result(website), duration_ms=5, now=start)
    taken = WatchState.objects.get(website=website).clean_snapshot_at
    assert taken == start
    services.record_scan(website=website, result=site_result(website), duration_ms=5, now=start + timedelta(hours=5))
    assert WatchState.objects.get(website=website).clean_snapshot_at == taken
    later = start + timedelta(hours=25)
    services.record_scan(website=website, result=site_result(website), duration_ms=5, now=later)
    assert WatchState.objects.get(website=website).clean_snapshot_at == later
