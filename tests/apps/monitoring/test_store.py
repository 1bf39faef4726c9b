"""Snapshots are stored once by content, compressed and bounded; baselines live in the database."""

from __future__ import annotations

import zlib

from haidang.apps.monitoring.models import BaselineRecord, Snapshot
from haidang.apps.monitoring.store import (
    SNAPSHOT_MAX_BYTES,
    DbBaselineStore,
    snapshot_path,
    snapshot_put,
    snapshot_text,
)
from haidang.engines.scanner.baseline import Baseline, accept
from tests.personas import World


def test_it_stores_a_page_once_by_its_content(db: None) -> None:
    page = ("<p>Tin tức hoạt động của Sở</p>" * 2000).encode()

    first, again = snapshot_put(page), snapshot_put(page)

    assert first.digest == again.digest
    assert Snapshot.objects.count() == 1
    assert first.stored_size < first.size / 10
    assert snapshot_path(first.digest).parent.parent.name == first.digest[:2]
    assert zlib.decompress(snapshot_path(first.digest).read_bytes()) == page
    assert snapshot_text(first) == page.decode()


def test_it_bounds_what_it_stores_and_returns(db: None) -> None:
    snapshot = snapshot_put(b"a" * (SNAPSHOT_MAX_BYTES + 10))

    assert snapshot.size == SNAPSHOT_MAX_BYTES
    assert len(snapshot_text(snapshot, limit=100)) == 100
    assert snapshot_text(snapshot_put(b"\xff\xfeabc")) == "\ufffd\ufffdabc"
    assert snapshot_text(None) == ""


def test_it_keeps_baselines_in_the_database_and_merges_a_concurrent_accept(db: None) -> None:
    url = "https://stp.example.gov.vn/"
    DbBaselineStore().save(Baseline(url=url, scans=3))
    scanning = DbBaselineStore(deferred=True)
    scanning.preload([url])
    baseline = scanning.load(url)
    baseline.scans += 1
    scanning.save(baseline)
    # A person accepts a finding while the scan runs.
    direct = DbBaselineStore()
    stored = direct.load(url)
    accept(stored, "k" * 32)
    direct.save(stored)

    scanning.flush()

    final = DbBaselineStore().load(url)
    assert (final.scans, final.accepted) == (4, {"k" * 32})
    assert BaselineRecord.objects.count() == 1


def test_it_prunes_snapshots_nothing_refers_to(world: World) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from haidang.apps.monitoring import services
    from haidang.apps.monitoring.models import Finding, WatchState
    from haidang.apps.monitoring.store import snapshots_prune
    from tests.apps.monitoring.conftest import scan_finding, site_result

    website = world.website_a
    services.record_scan(website=website, result=site_result(website, scan_finding()), duration_ms=1)
    finding = Finding.objects.get(website=website)
    clean = WatchState.objects.get(website=website).clean_snapshot
    orphan_old, orphan_new = snapshot_put(b"<html>old page</html>"), snapshot_put(b"<html>new page</html>")
    Snapshot.objects.filter(digest=orphan_old.digest).update(created_at=timezone.now() - timedelta(days=3))

    assert snapshots_prune() == 1
    assert not Snapshot.objects.filter(digest=orphan_old.digest).exists()
    assert not snapshot_path(orphan_old.digest).exists()
    kept = {orphan_new.digest, finding.snapshot_id} | ({clean.digest} if clean else set())
    assert kept <= set(Snapshot.objects.values_list("digest", flat=True))
    assert snapshot_path(orphan_new.digest).exists()
