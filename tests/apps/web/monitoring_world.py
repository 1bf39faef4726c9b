"""Monitoring rows for the web and browser tests, written straight to the models (no scan runs).

Unit A's portal has a hostile page: the snapshot carries a script and an <img onerror> that must
only ever appear as text. Unit B's portal is clean and has an old resolved finding.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from haidang.apps.monitoring.models import (
    DailyScans,
    Finding,
    FindingEvent,
    FindingEventKind,
    FindingState,
    SiteStatus,
    WatchState,
)
from haidang.apps.monitoring.store import snapshot_put
from haidang.apps.registry.models import Website
from tests.personas import World

BASELINE_PAGE = """<html><head><title>Sở Tư pháp</title></head>
<body><h1>Cổng thông tin Sở Tư pháp</h1>
<p>Liên hệ: 0225 3842 123</p>
</body></html>""".encode()

HOSTILE_PAGE = """<html><head><title>Sở Tư pháp</title></head>
<body><h1>Cổng thông tin Sở Tư pháp</h1>
<script>alert(1)</script>
<img src=x onerror="alert(2)">
<a href="https://nhacai-fb88vn.club/">Nhà cái uy tín</a>
<p>Liên hệ: 0225 3842 123</p>
</body></html>""".encode()

EVIDENCE = '<a href="https://nhacai-fb88vn.club/">Nhà cái uy tín</a> <script>alert(3)</script>'


@dataclass
class Monitoring:
    watch_a: WatchState
    watch_b: WatchState
    finding_a: Finding
    finding_b: Finding


def _watch(website: Website, **state: object) -> WatchState:
    watch, _created = WatchState.objects.update_or_create(website=website, defaults={"unit": website.unit, **state})
    return watch


def build_monitoring(world: World) -> Monitoring:
    now = timezone.now()
    # A registered website is watched at once (monitoring's receiver); these rows give it a history.
    watch_a = _watch(
        world.website_a,
        status=SiteStatus.FLAGGED,
        last_scan_at=now - timedelta(minutes=3),
        last_duration_ms=850,
        scans_total=120,
    )
    watch_b = _watch(world.website_b, status=SiteStatus.CLEAN, last_scan_at=now - timedelta(minutes=5))
    finding_a = Finding.objects.create(
        website=world.website_a,
        unit=world.unit_a,
        key="a" * 32,
        kind="content.hidden_spam",
        severity="high",
        title="Nội dung cờ bạc bị chèn vào trang chủ",
        evidence=EVIDENCE,
        url=world.website_a.url,
        probes="googlebot,mobile_from_google",
        first_seen_at=now - timedelta(hours=2),
        last_seen_at=now - timedelta(minutes=3),
        times_seen=7,
        snapshot=snapshot_put(HOSTILE_PAGE),
        baseline_snapshot=snapshot_put(BASELINE_PAGE),
    )
    FindingEvent.objects.create(finding=finding_a, kind=FindingEventKind.OPENED, at=finding_a.first_seen_at)
    finding_b = Finding.objects.create(
        website=world.website_b,
        unit=world.unit_b,
        key="b" * 32,
        kind="availability.down",
        severity="medium",
        title="Trang không truy cập được",
        evidence="HTTP 503",
        state=FindingState.RESOLVED,
        first_seen_at=now - timedelta(days=3),
        last_seen_at=now - timedelta(days=3),
        resolved_at=now - timedelta(days=2),
    )
    FindingEvent.objects.create(finding=finding_b, kind=FindingEventKind.OPENED, at=finding_b.first_seen_at)
    today = timezone.localdate()
    DailyScans.objects.create(website=world.website_a, day=today, scans=10, up=9, down=1, flagged=2, total_ms=9000)
    DailyScans.objects.create(
        website=world.website_a, day=today - timedelta(days=1), scans=144, up=144, flagged=0, total_ms=144_000
    )
    return Monitoring(watch_a, watch_b, finding_a, finding_b)
