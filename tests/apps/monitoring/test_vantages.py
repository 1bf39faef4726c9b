"""Vantage points: a website scanned from two places (two local source addresses on one machine),
what differs between them becomes a finding, and each vantage's scans go to its own queue."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from haidang.apps.monitoring import services, tasks
from haidang.apps.monitoring.models import Finding, FindingState, SiteStatus, VantageObservation, WatchState
from haidang.apps.monitoring.store import DbBaselineStore
from haidang.apps.monitoring.vantages import Seen, differences
from haidang.apps.registry.models import Website
from tests.apps.monitoring.conftest import LocalSite, site_result
from tests.personas import World


@pytest.fixture
def watched_twice(quiet_world: World, local_site: LocalSite, settings: Any) -> Website:
    settings.HAIDANG_ALLOW_PRIVATE_TARGETS = True
    settings.HAIDANG_SCAN_INTERVAL_MINUTES = 10
    website = Website.objects.create(unit=quiet_world.unit_a, url=local_site.url, name="Cổng thử nghiệm")
    services.watch_update(
        actor=quiet_world.officer_a, website=website, enabled=True, interval_minutes=None, vantages="hanoi"
    )
    return website


def _scan_from(settings: Any, vantage: str, source: str, website: Website) -> int:
    settings.HAIDANG_VANTAGE, settings.HAIDANG_VANTAGE_SOURCE_ADDRESS = vantage, source
    return tasks.scan_websites([website.id], vantage=vantage)


def _open(website: Website, kind: str) -> list[Finding]:
    return list(Finding.objects.filter(website=website, kind=kind, state=FindingState.OPEN))


def test_it_reports_a_redirect_only_one_vantage_gets_and_resolves_when_they_agree(
    watched_twice: Website,
    local_site: LocalSite,
    other_site: LocalSite,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    website = watched_twice
    # Visitors from "Hà Nội" (127.0.0.2) are sent to another site.
    local_site.redirects["127.0.0.2"] = other_site.url

    with django_capture_on_commit_callbacks(execute=True):
        assert _scan_from(settings, "default", "", website) == 1
        assert _scan_from(settings, "hanoi", "127.0.0.2", website) == 1

    assert local_site.clients == {"127.0.0.1", "127.0.0.2"}
    seen = {o.vantage: o for o in VantageObservation.objects.filter(website=website)}
    assert (seen["default"].final_url, seen["default"].addresses) == (local_site.url, ["127.0.0.1"])
    assert (seen["hanoi"].final_url, seen["hanoi"].addresses) == (other_site.url, ["127.0.0.3"])
    (finding,) = _open(website, "vantage.redirect_difference")
    assert finding.severity == "high"  # another site altogether
    assert finding.evidence == "default: 127.0.0.1; hanoi: 127.0.0.3"
    # Different hosts are a redirect, not a DNS difference.
    assert not _open(website, "vantage.dns_difference")
    # The other vantage only observes: one scan in the lifecycle, and the baseline learned once.
    watch = WatchState.objects.get(website=website)
    assert (watch.scans_total, watch.status) == (1, SiteStatus.CLEAN)
    assert DbBaselineStore().load(website.url).scans_seen == 1

    # The default vantage's next scan does not resolve what only the comparison decides.
    with django_capture_on_commit_callbacks(execute=True):
        _scan_from(settings, "default", "", website)
    assert _open(website, "vantage.redirect_difference") == [finding]

    local_site.redirects.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _scan_from(settings, "hanoi", "127.0.0.2", website)

    assert not Finding.objects.filter(website=website, kind__startswith="vantage.", state=FindingState.OPEN)
    finding.refresh_from_db()
    assert finding.state == FindingState.RESOLVED


def _observe(website: Website, vantage: str, **seen: Any) -> None:
    result = replace(site_result(website), final_url=website.url, **seen)
    services.vantage_observe(website=website, vantage=vantage, result=result)


def test_it_reports_a_dns_difference_and_an_unreachable_vantage(watched_twice: Website) -> None:
    website = watched_twice

    _observe(website, "default", addresses=("203.0.113.5",))
    _observe(website, "hanoi", addresses=("198.51.100.7",))

    (dns,) = _open(website, "vantage.dns_difference")
    assert dns.severity == "medium"
    assert dns.evidence == "127.0.0.1 — default: 203.0.113.5; hanoi: 198.51.100.7"

    _observe(website, "hanoi", addresses=("198.51.100.7", "203.0.113.5"))  # one address in common
    assert not _open(website, "vantage.dns_difference")

    _observe(website, "hanoi", reachable=False, reason="timeout", addresses=())
    (reach,) = _open(website, "vantage.reachability_difference")
    assert reach.evidence == "default: up; hanoi: down"


def test_it_compares_only_recent_observations_of_vantages_still_watched(watched_twice: Website) -> None:
    website = watched_twice
    _observe(website, "hanoi", addresses=("198.51.100.7",))
    VantageObservation.objects.filter(vantage="hanoi").update(scanned_at=timezone.now() - timedelta(minutes=21))
    _observe(website, "default", addresses=("203.0.113.5",))
    assert not _open(website, "vantage.dns_difference")  # older than twice the 10-minute interval

    _observe(website, "hanoi", addresses=("198.51.100.7",))
    assert _open(website, "vantage.dns_difference")
    WatchState.objects.filter(website=website).update(vantages="")
    _observe(website, "default", addresses=("203.0.113.5",))
    assert not _open(website, "vantage.dns_difference")


@pytest.mark.parametrize(
    ("hosts", "severity"),
    [
        (("https://stp.haiphong.gov.vn/", "https://nhacai-fb88vn.club/"), "high"),
        (("https://stp.haiphong.gov.vn/", "https://www.stp.haiphong.gov.vn/"), "medium"),
    ],
)
def test_it_rates_a_redirect_to_another_site_higher_than_within_the_site(hosts: tuple[str, str], severity: str) -> None:
    seen = [Seen("default", True, hosts[0], ()), Seen("hanoi", True, hosts[1], ())]

    (finding,) = differences("https://stp.haiphong.gov.vn/", seen)

    assert (finding.kind, finding.severity.value) == ("vantage.redirect_difference", severity)


def test_it_finds_no_difference_with_one_vantage_or_agreement() -> None:
    one = Seen("default", True, "https://a.gov.vn/", ("203.0.113.5",))
    assert differences("https://a.gov.vn/", [one]) == []
    assert differences("https://a.gov.vn/", [one, replace(one, vantage="hanoi")]) == []


@pytest.fixture
def routed(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, list[int]]]:
    """Every scan_websites enqueued, as (queue, website ids), instead of running it."""
    calls: list[tuple[str, list[int]]] = []

    def apply_async(args: tuple[list[int]], kwargs: dict[str, str], queue: str, **options: Any) -> None:
        assert kwargs == {"vantage": queue.removeprefix("scan.")}
        calls.append((queue, list(args[0])))

    monkeypatch.setattr(tasks.scan_websites, "delay", lambda ids: calls.append(("celery", list(ids))))
    monkeypatch.setattr(tasks.scan_websites, "apply_async", apply_async)
    return calls


def test_it_routes_each_vantage_to_its_own_queue(
    quiet_world: World, routed: list[tuple[str, list[int]]], settings: Any
) -> None:
    settings.HAIDANG_SCAN_CHUNK = 10
    one, two, three = (
        Website.objects.create(unit=quiet_world.unit_a, url=f"https://s{i}.example.gov.vn/") for i in range(3)
    )
    WatchState.objects.filter(website=one).update(vantages="hanoi")
    WatchState.objects.filter(website=two).update(vantages="hanoi,hcm")

    assert tasks.dispatch_due() == 3

    assert sorted(routed) == [
        ("celery", [one.id, two.id, three.id]),
        ("scan.hanoi", [one.id, two.id]),
        ("scan.hcm", [two.id]),
    ]


def test_it_refuses_a_scan_meant_for_another_vantage(
    watched_twice: Website, local_site: LocalSite, settings: Any
) -> None:
    services.watches_claim_due()
    settings.HAIDANG_VANTAGE = "hanoi"  # a Hà Nội worker that also took the default queue

    assert tasks.scan_websites([watched_twice.id]) == 0

    assert local_site.requests == 0
    watch = WatchState.objects.get(website=watched_twice)
    assert watch.claimed_until is None  # released for the next sweep
    assert watch.scans_total == 0


def test_it_keeps_only_valid_vantage_names(quiet_world: World) -> None:
    website = quiet_world.website_a
    watch = services.watch_update(
        actor=quiet_world.officer_a,
        website=website,
        enabled=True,
        interval_minutes=None,
        vantages=" HaNoi, default,hanoi,hcm",
    )
    assert watch.vantages == "hanoi,hcm"

    with pytest.raises(ValidationError, match="ha noi"):
        services.watch_update(
            actor=quiet_world.officer_a, website=website, enabled=True, interval_minutes=None, vantages="ha noi"
        )
