"""A year of continuous monitoring: database and disk growth, and the dashboard at that size (issue #5).

1,000 websites over the 88 seeded units, each scanned every 5 minutes for 365 days (105,120 scans a
website). Nobody can run 105 M scans for a benchmark, so:

(a) a **slice** runs the real record path (``services.record_scan``, snapshots through ``store``) for
    every scan of every website over the first ``--slice-scans`` scans of the year, with engine
    ``SiteResult`` objects taken from real scans of the labelled corpus (``tests/engines/scanner/corpus``);
    the same slice is written as row-per-check rows (one row per scan: status + findings JSON), the plain
    design the state-transition model replaces, to measure what that design costs a row;
(b) the **rest of the year** is replayed through the same real ``record_scan`` at every scan where
    something changes (the first bad scan of an episode, its last one, the first good scan after it);
    the scans in between change nothing but counters, so their effect (``times_seen``, ``last_seen_at``,
    ``scans_total``, the ``DailyScans`` counts) is written in bulk afterwards.

Episodes (per website-year, Poisson; ``RATES``): compromises lasting hours to days then repaired, some of
which come back; outages; one-scan flaps of a low or medium finding; 10 % of websites carry one low
finding all year. Page snapshots go through the real content-addressed store; a website whose home page
changes between two real scans of the same state (counters, tokens) gets a new page at every scan.

Run:  .venv/bin/python -m benchmarks.monitoring_year [--websites 1000] [--db sqlite|postgres] [--days 365]
Prints one JSON object. Results: benchmarks/RESULTS.md, "Continuous monitoring storage (issue #5)".
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import random
import statistics
import sys
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

SCAN_MINUTES = 5
SCANS_PER_DAY = 24 * 60 // SCAN_MINUTES  # 288
#: The simulated year ends at the last local midnight (Asia/Ho_Chi_Minh, UTC+7), so the dashboard reads it "now".
_TZ = timezone(timedelta(hours=7))
YEAR_START = datetime.now(_TZ).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=365)

#: Episodes per website-year and how long they last (in 5-minute scans). Chosen, not measured: a city's
#: ~1,000 public portals, most of them quiet; the compromise rate is an order of magnitude above what the
#: department saw in recent years so the estimate errs on the large side.
RATES: dict[str, Any] = {
    "compromise_per_year": 0.3,  # gambling spam, defacement, cloaking, miners: real corpus findings
    "compromise_median_hours": 18.0,  # log-normal, sigma 1.2, clipped to 1 h .. 14 days
    "compromise_recur_probability": 0.25,  # the same findings return 3..30 days after the repair
    "outage_per_year": 3.0,  # unreachable (timeout, 5xx, refused)
    "outage_mean_minutes": 40.0,  # exponential, clipped to 5 min .. 12 h
    "flap_per_year": 4.0,  # one scan with a low/medium finding, gone at the next scan
    "flap_same_key_probability": 0.5,  # half of the flaps are the same finding coming back (reopen)
    "persistent_low_fraction": 0.10,  # websites with one low finding open all year
    "scan_duration_ms": 4000,  # mean time of a full site scan (DailyScans.total_ms)
}


# --------------------------------------------------------------------------- corpus library


@dataclass
class Library:
    """Real engine results from the corpus: per corpus site, a clean result (two scans of one state),
    the compromised results and an unreachable one; and the baselines the scans learned."""

    clean: list[Any]  # SiteResult, reachable, no medium+ finding
    noisy: list[bool]  # the clean home page differed between two scans of the same state
    compromised: list[Any]  # SiteResult, flagged
    down: list[Any]  # SiteResult, unreachable
    low: list[Any]  # scanner Finding objects of severity low/medium (for flaps and the persistent one)
    baselines: list[bytes]  # baseline JSON files as the scanner wrote them
    scan_seconds: float = 0.0


def build_library(sites: int = 40, runs: int = 3, seed: int = 7) -> Library:
    """Scan ``sites`` corpus sites over ``runs`` runs (run 0 twice) with the real scanner, snapshots kept."""
    from tests.engines.scanner.corpus import CorpusServer, build_corpus

    from haidang.engines.scanner import ScanOptions, scan_sites
    from haidang.engines.scanner.types import Severity

    corpus = build_corpus(seed=seed, sites=sites)
    options = ScanOptions(allow_private=True, keep_snapshots=True, inner_pages=10)
    started = time.perf_counter()
    rows: list[list[Any]] = []
    with tempfile.TemporaryDirectory() as state, CorpusServer(corpus, hang_seconds=2) as server:
        urls = [server.url_for(site.site_id) for site in corpus.sites]
        server.set_run(0)
        rows.append(scan_sites(urls, Path(state), options))
        rows.append(scan_sites(urls, Path(state), options))
        for run in range(1, runs):
            server.set_run(run)
            rows.append(scan_sites(urls, Path(state), options))
        baselines = [path.read_bytes() for path in sorted(Path(state).glob("*.json"))]
    lib = Library([], [], [], [], [], baselines, time.perf_counter() - started)
    for index in range(len(corpus.sites)):
        first, again = rows[0][index], rows[1][index]
        for result in (row[index] for row in rows):
            if not result.reachable:
                lib.down.append(result)
            elif result.flagged:
                lib.compromised.append(result)
            lib.low.extend(f for f in result.findings if f.severity.rank <= Severity.MEDIUM.rank)
        if first.reachable and not first.flagged and again.reachable and not again.flagged:
            lib.clean.append(replace(first, findings=()))
            lib.noisy.append(first.snapshots.get(first.url) != again.snapshots.get(again.url))
    if not lib.down:  # no refused/hanging site in this slice of the corpus: the engine's own shape
        from haidang.engines.scanner.types import Finding

        unreachable = Finding("availability.unreachable", Severity.HIGH, "Không truy cập được", "timeout", "")
        lib.down.append(type(lib.clean[0])(lib.clean[0].url, False, (unreachable,), "timeout"))
    return lib


# --------------------------------------------------------------------------- the year's timeline


@dataclass
class Episode:
    kind: str  # compromise | outage | flap | persistent
    start: int  # first scan index (inclusive)
    end: int  # first scan index after the episode (the clean scan), may be == total scans
    result: Any  # the SiteResult of every scan inside the episode


@dataclass
class Site:
    index: int
    website: Any
    url: str
    clean: Any  # SiteResult for a quiet scan (persistent low finding included)
    noisy: bool
    episodes: list[Episode] = field(default_factory=list)

    def result_at(self, scan: int) -> Any:
        for episode in self.episodes:
            if episode.start <= scan < episode.end:
                return episode.result
        return self.clean


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _for_site(result: Any, url: str, extra: tuple[Any, ...] = ()) -> Any:
    """A library result moved to this website's URL: finding URLs and snapshot keys follow."""
    old = result.url

    def move(value: str) -> str:
        return url + value[len(old) :] if value.startswith(old) else value

    findings = tuple(replace(f, url=move(f.url)) for f in result.findings) + extra
    # Every website's pages are its own: no two websites share a stored page.
    mark = f"<!-- {url} -->".encode()
    snapshots = {move(key): body.replace(b"</body>", mark + b"</body>") for key, body in result.snapshots.items()}
    return replace(result, url=url, findings=findings, snapshots=snapshots)


def build_timeline(websites: list[Any], lib: Library, total_scans: int, seed: int = 5) -> list[Site]:  # noqa: C901 - one loop per episode kind
    rng = random.Random(seed)
    days = total_scans / SCANS_PER_DAY
    year = days / 365
    sites = []
    for index, website in enumerate(websites):
        pick = index % len(lib.clean)
        persistent: tuple[Any, ...] = ()
        if rng.random() < RATES["persistent_low_fraction"] and lib.low:
            low = rng.choice([f for f in lib.low if f.severity == "low"] or lib.low)
            persistent = (replace(low, url=website.url, evidence=f"{low.evidence} #{index}"),)
        clean = _for_site(lib.clean[pick], website.url, persistent)
        site = Site(index, website, website.url, clean, lib.noisy[pick])
        wanted: list[Episode] = []
        for _ in range(_poisson(rng, RATES["compromise_per_year"] * year)):
            start = rng.randrange(total_scans)
            hours = rng.lognormvariate(math.log(RATES["compromise_median_hours"]), 1.2)
            length = int(min(max(hours, 1.0), 14 * 24) * 60 / SCAN_MINUTES)
            bad = _for_site(rng.choice(lib.compromised), website.url, persistent)
            wanted.append(Episode("compromise", start, start + length, bad))
            if rng.random() < RATES["compromise_recur_probability"]:
                again = start + length + rng.randrange(3 * SCANS_PER_DAY, 30 * SCANS_PER_DAY)
                wanted.append(Episode("compromise", again, again + max(12, length // 2), bad))
        for _ in range(_poisson(rng, RATES["outage_per_year"] * year)):
            start = rng.randrange(total_scans)
            minutes = min(max(rng.expovariate(1 / RATES["outage_mean_minutes"]), 5.0), 12 * 60.0)
            down = _for_site(rng.choice(lib.down), website.url)
            wanted.append(Episode("outage", start, start + max(1, int(minutes / SCAN_MINUTES)), down))
        flap_key = 0
        for _ in range(_poisson(rng, RATES["flap_per_year"] * year)):
            start = rng.randrange(total_scans)
            if rng.random() >= RATES["flap_same_key_probability"]:
                flap_key += 1
            low = lib.low[(index + flap_key) % len(lib.low)] if lib.low else None
            if low is None:
                continue
            finding = replace(low, url=website.url, evidence=f"{low.evidence} ~{flap_key}")
            wanted.append(Episode("flap", start, start + 1, replace(clean, findings=(*clean.findings, finding))))
        taken: list[Episode] = []
        for episode in sorted(wanted, key=lambda e: e.start):  # no overlaps: later episodes give way
            if (not taken or episode.start > taken[-1].end) and episode.start < total_scans:
                episode.end = min(episode.end, total_scans)
                taken.append(episode)
        site.episodes = taken
        sites.append(site)
    return sites


# --------------------------------------------------------------------------- the real code, or a stand-in


def recorder() -> tuple[Callable[..., Any], str]:
    try:
        from haidang.apps.monitoring.services import record_scan
    except ImportError:
        return _standin_record_scan, "stand-in (services.record_scan absent): models written directly"
    return record_scan, "haidang.apps.monitoring.services.record_scan"


def snapshot_writer() -> tuple[Callable[[bytes, str], Any], str]:
    try:
        from haidang.apps.monitoring.store import snapshot_put
    except ImportError:
        return _standin_snapshot_put, "stand-in (store.snapshot_put absent)"
    return snapshot_put, "haidang.apps.monitoring.store.snapshot_put"


def snapshot_dir() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "snapshots"


def _standin_snapshot_put(data: bytes, media_type: str = "text/html") -> Any:
    from haidang.apps.monitoring.models import Snapshot

    digest = hashlib.sha256(data).hexdigest()
    existing = Snapshot.objects.filter(digest=digest).first()
    if existing is not None:
        return existing
    packed = zlib.compress(data, 6)
    path = snapshot_dir() / digest[:2] / digest[2:4] / digest
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(packed)
    return Snapshot.objects.create(digest=digest, size=len(data), stored_size=len(packed), media_type=media_type)


def _standin_record_scan(*, website: Any, result: Any, duration_ms: int, now: datetime | None = None) -> None:
    """What the model's docstring describes, written directly: used only until services.record_scan exists."""
    from django.db.models import F
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

    now = now or timezone.now()
    status = SiteStatus.DOWN if not result.reachable else SiteStatus.FLAGGED if result.flagged else SiteStatus.CLEAN
    watch, _ = WatchState.objects.get_or_create(website=website, defaults={"unit_id": website.unit_id})
    watch.status, watch.reason, watch.last_scan_at, watch.last_duration_ms = status, result.reason, now, duration_ms
    watch.scans_total += 1
    watch.down_since = (watch.down_since or now) if not result.reachable else None
    watch.save()
    day, _ = DailyScans.objects.get_or_create(website=website, day=now.date())
    DailyScans.objects.filter(pk=day.pk).update(
        scans=F("scans") + 1,
        up=F("up") + int(result.reachable),
        down=F("down") + int(not result.reachable),
        flagged=F("flagged") + int(result.flagged),
        total_ms=F("total_ms") + duration_ms,
    )
    current = {f.stable_key(): f for f in result.findings}
    known = {f.key: f for f in Finding.objects.filter(website=website)}
    for key, found in current.items():
        row = known.get(key)
        if row is None:
            page = result.snapshots.get(found.url) or result.snapshots.get(result.url)
            snap = _standin_snapshot_put(page) if page else None
            row = Finding.objects.create(
                website=website,
                unit_id=website.unit_id,
                key=key,
                kind=found.kind,
                severity=found.severity.value,
                title=found.title[:300],
                evidence=found.evidence[:4000],
                url=found.url[:2000],
                probes=",".join(found.probes)[:300],
                first_seen_at=now,
                last_seen_at=now,
                snapshot=snap,
            )
            FindingEvent.objects.create(finding=row, kind=FindingEventKind.OPENED, at=now)
        elif row.state == FindingState.RESOLVED:
            Finding.objects.filter(pk=row.pk).update(
                state=FindingState.OPEN,
                resolved_at=None,
                last_seen_at=now,
                times_seen=F("times_seen") + 1,
                times_reopened=F("times_reopened") + 1,
            )
            FindingEvent.objects.create(finding=row, kind=FindingEventKind.REOPENED, at=now)
        else:
            Finding.objects.filter(pk=row.pk).update(last_seen_at=now, times_seen=F("times_seen") + 1)
    if result.reachable:
        for key, row in known.items():
            if key not in current and row.state == FindingState.OPEN:
                Finding.objects.filter(pk=row.pk).update(state=FindingState.RESOLVED, resolved_at=now)
                FindingEvent.objects.create(finding=row, kind=FindingEventKind.RESOLVED, at=now)


# --------------------------------------------------------------------------- sizes


def table_sizes() -> dict[str, int]:
    """Bytes per table, its indexes included (SQLite: dbstat; PostgreSQL: pg_total_relation_size)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = 'public'"
            )
            return {name: int(size) for name, size in cursor.fetchall()}
        cursor.execute(
            "SELECT COALESCE(m.tbl_name, s.name), SUM(s.pgsize) FROM dbstat s "
            "LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY 1"
        )
        return {name: int(size) for name, size in cursor.fetchall()}


def row_counts(models: Iterable[Any]) -> dict[str, int]:
    return {model._meta.db_table: model.objects.count() for model in models}


def dir_size(path: Path) -> dict[str, int]:
    files = apparent = disk = 0
    if path.exists():
        for item in path.rglob("*"):
            if item.is_file():
                stat = item.stat()
                files += 1
                apparent += stat.st_size
                disk += stat.st_blocks * 512
    return {"files": files, "bytes": apparent, "disk_bytes": disk}


# --------------------------------------------------------------------------- the row-per-check baseline

CHECK_TABLE = "bench_row_per_check"


def create_check_table() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {CHECK_TABLE}")
        key = "BIGSERIAL PRIMARY KEY" if connection.vendor == "postgresql" else "INTEGER PRIMARY KEY AUTOINCREMENT"
        cursor.execute(
            f"CREATE TABLE {CHECK_TABLE} (id {key}, website_id BIGINT NOT NULL, at TIMESTAMP NOT NULL, "
            "status VARCHAR(16) NOT NULL, reason VARCHAR(500) NOT NULL, duration_ms INTEGER NOT NULL, "
            "findings TEXT NOT NULL)"
        )
        cursor.execute(f"CREATE INDEX {CHECK_TABLE}_site_at ON {CHECK_TABLE} (website_id, at)")


def check_row(website_id: int, at: datetime, result: Any, duration_ms: int) -> tuple[Any, ...]:
    status = "down" if not result.reachable else "flagged" if result.flagged else "clean"
    findings = [
        {"kind": f.kind, "severity": f.severity.value, "title": f.title, "evidence": f.evidence, "url": f.url}
        | {"probes": list(f.probes)}
        for f in result.findings
    ]
    return (website_id, at, status, result.reason, duration_ms, json.dumps(findings, ensure_ascii=False))


def insert_check_rows(rows: list[tuple[Any, ...]]) -> None:
    from django.db import connection

    marks = ", ".join(["%s"] * 6)
    sql = f"INSERT INTO {CHECK_TABLE} (website_id, at, status, reason, duration_ms, findings) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


# --------------------------------------------------------------------------- the simulation


def _duration(rng: random.Random) -> int:
    return max(300, int(rng.gauss(RATES["scan_duration_ms"], 1200)))


def _daily(result: Any, scan: int) -> Any:
    """A clean home page as it is on the day of ``scan``: a portal's home page changes every day (news)."""
    body = result.snapshots.get(result.url)
    if not body:
        return result
    marker = f"<!-- tin ngày {scan // SCANS_PER_DAY} -->".encode()
    return replace(result, snapshots={**result.snapshots, result.url: body.replace(b"</body>", marker + b"</body>")})


def at_the_time(record: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``record`` with the clock at the scan's time: rows stamped with the wall clock (a snapshot's
    ``created_at``, which decides when the clean page is refreshed) then agree with the simulated year."""
    import time_machine

    def call(*, website: Any, result: Any, duration_ms: int, now: datetime) -> Any:
        with time_machine.travel(now, tick=False):
            return record(website=website, result=result, duration_ms=duration_ms, now=now)

    return call


def at_scan(scan: int) -> datetime:
    return YEAR_START + timedelta(minutes=SCAN_MINUTES * scan)


def run_slice(sites: list[Site], scans: int, record: Callable[..., Any]) -> dict[str, Any]:
    """Every scan of every website over the first ``scans`` scans, through the real record path."""
    rng = random.Random(11)
    checks: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    started = time.perf_counter()
    calls = 0
    for scan in range(scans):
        now = at_scan(scan)
        for site in sites:
            result = site.result_at(scan)
            if result is site.clean:
                result = _daily(result, scan)
            duration = _duration(rng)
            record(website=site.website, result=result, duration_ms=duration, now=now)
            calls += 1
            row = check_row(site.website.id, now, result, duration)
            checks[row[2]].append(row)
    elapsed = time.perf_counter() - started
    return {"calls": calls, "seconds": elapsed, "checks": checks}


def measure_check_rows(checks: dict[str, list[tuple[Any, ...]]], lib: Library, sites: list[Site]) -> dict[str, Any]:
    """Insert the slice as row-per-check rows, one status at a time, for bytes per row per status.

    A status with under 500 rows in the slice is topped up with rows made from the same library results
    (measurement only) so that every status has a stable per-row figure.
    """
    create_check_table()
    per_status: dict[str, float] = {}
    inserted: dict[str, int] = {}
    samples = {"clean": [s.clean for s in sites], "flagged": lib.compromised, "down": lib.down}
    for status in ("clean", "flagged", "down"):
        rows = list(checks.get(status, []))
        at = at_scan(0)
        while len(rows) < 500:
            rows.append(
                check_row(
                    sites[len(rows) % len(sites)].website.id,
                    at,
                    samples[status][len(rows) % 7 % len(samples[status])],
                    4000,
                )
            )
        before = table_sizes().get(CHECK_TABLE, 0)
        insert_check_rows(rows)
        per_status[status] = (table_sizes().get(CHECK_TABLE, 0) - before) / len(rows)
        inserted[status] = len(rows)
    return {
        "bytes_per_row": per_status,
        "rows_inserted": inserted,
        "slice_rows": {k: len(v) for k, v in checks.items()},
    }


def _daily_scans(site: Site, first_scan: int, total_scans: int) -> set[tuple[int, int]]:
    """The daily refresh of the clean ("before") page that record_scan does at the first clean scan 24 h
    after the last one: written through the real store (``snapshot_put``) and set on the watch."""
    wanted = set()
    for day in range(first_scan // SCANS_PER_DAY, math.ceil(total_scans / SCANS_PER_DAY)):
        scan = day * SCANS_PER_DAY + (site.index * 7) % SCANS_PER_DAY
        if first_scan <= scan < total_scans:
            wanted.add((scan, -3))
    return wanted


def replay_year(sites: list[Site], first_scan: int, total_scans: int, record: Callable[..., Any]) -> dict[str, Any]:  # noqa: C901
    """Every scan from ``first_scan`` on where something changes, and one scan per website per day,
    through the real record path."""
    rng = random.Random(13)
    calls: list[tuple[int, int, Any]] = []
    for site in sites:
        wanted: set[tuple[int, int]] = set()  # (scan, episode index or -1 for a clean scan)
        for number, episode in enumerate(site.episodes):
            if episode.start >= first_scan:  # last_seen_at/times_seen of the scans after: fill_steady_scans
                wanted.add((episode.start, number))
            if first_scan <= episode.end < total_scans:
                wanted.add((episode.end, -1))
        wanted |= _daily_scans(site, first_scan, total_scans)
        last = total_scans - 1
        if last >= first_scan and not any(scan == last for scan, _ in wanted):
            wanted.add((last, -2))
        for scan, number in sorted(wanted):
            if number == -3:
                calls.append((scan, site.index, None))
                continue
            result = site.episodes[number].result if number >= 0 else site.result_at(scan)
            if result is site.clean:
                result = _daily(result, scan)
            calls.append((scan, site.index, result))
    calls.sort(key=lambda call: (call[0], call[1]))
    started = time.perf_counter()
    refreshed = 0
    for scan, index, result in calls:
        if result is None:
            refreshed += _refresh_clean_page(sites[index], scan)
            continue
        record(website=sites[index].website, result=result, duration_ms=_duration(rng), now=at_scan(scan))
    elapsed = time.perf_counter() - started
    return {"record_scan_calls": len(calls) - sum(1 for c in calls if c[2] is None), "clean_pages": refreshed} | {
        "seconds": elapsed
    }


def _refresh_clean_page(site: Site, scan: int) -> int:
    from haidang.apps.monitoring.models import WatchState
    from haidang.apps.monitoring.store import snapshot_put

    result = site.result_at(scan)
    if result is not site.clean or not result.reachable:
        return 0  # record_scan refreshes the clean page only from a clean scan
    body = _daily(result, scan).snapshots.get(result.url)
    if not body:
        return 0
    WatchState.objects.filter(website=site.website).update(clean_snapshot=snapshot_put(body))
    return 1


def fill_steady_scans(sites: list[Site], total_scans: int) -> dict[str, Any]:  # noqa: C901
    """What the elided scans between transitions would have written: counters and DailyScans, in bulk."""
    from haidang.apps.monitoring.models import DailyScans, Finding, FindingEvent, FindingEventKind, WatchState

    started = time.perf_counter()
    findings = {(f.website_id, f.key): f for f in Finding.objects.all()}
    changed: list[Any] = []
    events: list[Any] = []
    days = math.ceil(total_scans / SCANS_PER_DAY)
    daily: list[Any] = []
    rng = random.Random(17)
    for site in sites:
        seen: Counter[str] = Counter()
        last: dict[str, int] = {}
        down = [0] * days
        flagged = [0] * days
        covered = 0
        for episode in site.episodes:
            length = episode.end - episode.start
            covered += length
            for finding in episode.result.findings:
                seen[finding.stable_key()] += length
                last[finding.stable_key()] = max(last.get(finding.stable_key(), 0), episode.end - 1)
            for scan in range(episode.start, episode.end):
                down[scan // SCANS_PER_DAY] += int(not episode.result.reachable)
                flagged[scan // SCANS_PER_DAY] += int(episode.result.flagged)
            if episode.kind == "compromise":  # a person acknowledges the first finding within 30 minutes
                key = episode.result.findings[0].stable_key()
                row = findings.get((site.website.id, key))
                if row is not None:
                    at = at_scan(min(episode.start + 6, total_scans - 1))
                    events.append(FindingEvent(finding=row, kind=FindingEventKind.ACKNOWLEDGED, at=at))
        clean_scans = total_scans - covered
        clean_last = max((s for s in range(total_scans - 1, -1, -1) if site.result_at(s) is site.clean), default=0)
        for finding in site.clean.findings:
            seen[finding.stable_key()] += clean_scans
            last[finding.stable_key()] = max(last.get(finding.stable_key(), 0), clean_last)
        for key, count in seen.items():
            row = findings.get((site.website.id, key))
            if row is not None:
                row.times_seen, row.last_seen_at = count, at_scan(last[key])
                changed.append(row)
        for day in range(days):
            scans = min(SCANS_PER_DAY, total_scans - day * SCANS_PER_DAY)
            total_ms = sum(_duration(rng) for _ in range(8)) * scans // 8
            daily.append(
                DailyScans(
                    website=site.website,
                    day=(YEAR_START + timedelta(days=day)).date(),
                    scans=scans,
                    up=scans - down[day],
                    down=down[day],
                    flagged=flagged[day],
                    total_ms=total_ms,
                )
            )
    Finding.objects.bulk_update(changed, ["times_seen", "last_seen_at"], batch_size=1000)
    FindingEvent.objects.bulk_create(events, batch_size=2000)
    websites = [site.website.id for site in sites]
    DailyScans.objects.filter(website_id__in=websites).delete()
    DailyScans.objects.bulk_create(daily, batch_size=5000)
    WatchState.objects.filter(website_id__in=websites).update(scans_total=total_scans)
    return {"findings_updated": len(changed), "human_events": len(events), "daily_rows": len(daily)} | {
        "seconds": time.perf_counter() - started
    }


def store_baselines(sites: list[Site], lib: Library) -> dict[str, Any]:
    """One BaselineRecord per website (zlib JSON): the baselines the corpus scans learned, cycled."""
    from haidang.apps.monitoring.models import BaselineRecord

    BaselineRecord.objects.filter(url__in=[s.url for s in sites]).delete()
    records = [
        BaselineRecord(url=s.url, data=zlib.compress(lib.baselines[s.index % len(lib.baselines)], 6)) for s in sites
    ]
    BaselineRecord.objects.bulk_create(records, batch_size=1000)
    raw = [len(b) for b in lib.baselines]
    packed = [len(zlib.compress(b, 6)) for b in lib.baselines]
    return {
        "measured_json_bytes_mean": statistics.mean(raw),
        "measured_zlib_bytes_mean": statistics.mean(packed),
        "at_caps_zlib_bytes": baseline_at_caps(),
    }


def baseline_at_caps() -> int:
    """The largest a baseline can grow (every set at its cap), compressed: the year-end upper bound."""
    from haidang.engines.scanner import baseline as bl

    rng = random.Random(3)
    hosts = {f"cdn{i}.{rng.randrange(10**6)}.example.vn" for i in range(bl.MAX_HOSTS)}
    full = bl.Baseline(
        url="https://so.example.gov.vn/",
        scans=105_120,
        scans_seen=105_120,
        script_hosts=set(hosts),
        frame_hosts=set(list(hosts)[:50]),
        link_hosts=set(hosts),
        redirect_hosts=set(list(hosts)[:20]),
        segments={f"{rng.getrandbits(64):016x}" for _ in range(bl.MAX_SEGMENTS)},
        paths={f"/tin-tuc/{rng.randrange(10**6)}/bai-viet-so-{i}.html" for i in range(bl.MAX_PATHS)},
    )
    raw = json.dumps(full.to_json(), ensure_ascii=False, separators=(",", ":")).encode()
    return len(zlib.compress(raw, 6))


# --------------------------------------------------------------------------- the dashboard


def percentiles(samples: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return {"p50_ms": round(statistics.median(samples), 2), "p95_ms": round(cuts[18], 2), "n": len(samples)}


def time_calls(fn: Callable[[], Any], requests: int) -> dict[str, float]:
    fn()  # warm-up (templates, translations, connection)
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def dashboard_targets(department: Any, officer: Any) -> dict[str, Callable[[], Any]]:  # noqa: C901
    """What to measure: the /monitoring/ pages when they exist, else the selectors behind them."""
    from django.test import Client
    from django.urls import Resolver404, resolve

    def page(url: str, user: Any) -> Callable[[], Any] | None:
        try:
            resolve(url)
        except Resolver404:
            return None
        except Exception as exc:  # the pages are being written: fall back to the selectors, say why  # noqa: BLE001
            sys.stderr.write(f"{url}: {type(exc).__name__}: {exc}; measuring the selectors instead\n")
            return None
        client = Client()
        client.force_login(user)

        def get() -> Any:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            return response

        return get

    targets: dict[str, Callable[[], Any]] = {}
    for name, user in (("department", department), ("officer", officer)):
        overview = page("/monitoring/", user)
        findings = page("/monitoring/findings/", user)
        if overview is None or findings is None:
            try:
                from haidang.apps.monitoring import selectors
            except ImportError:
                selectors = None
            if overview is None and selectors is not None and hasattr(selectors, "city_overview"):
                overview = lambda user=user, s=selectors: s.city_overview(visible_to=user)  # noqa: E731
            if findings is None and selectors is not None and hasattr(selectors, "finding_list"):
                findings = lambda user=user, s=selectors: list(s.finding_list(visible_to=user)[:50])  # noqa: E731
        if overview is not None:
            targets[f"overview_{name}"] = overview
        if findings is not None:
            targets[f"findings_{name}"] = findings
    return targets


def plain_overview(unit_id: int | None) -> bytes:
    """Baseline: the watch rows and open-finding counts as values(), dumped with json.dumps."""
    from django.db.models import Count

    from haidang.apps.monitoring.models import Finding, WatchState

    watches = WatchState.objects.all() if unit_id is None else WatchState.objects.filter(unit_id=unit_id)
    rows = list(watches.values("website_id", "website__url", "unit__name", "status", "last_scan_at", "down_since"))
    found = Finding.objects.filter(state="open")
    found = found if unit_id is None else found.filter(unit_id=unit_id)
    counts = list(found.values("website_id", "severity").annotate(n=Count("id")))
    return json.dumps({"websites": rows, "open": counts}, default=str).encode()


def plain_findings(unit_id: int | None) -> bytes:
    """Baseline: the first 50 open findings, newest first, as values(), with the total count."""
    from haidang.apps.monitoring.models import Finding

    found = Finding.objects.filter(state="open")
    found = found if unit_id is None else found.filter(unit_id=unit_id)
    fields = ("id", "website__url", "unit__name", "kind", "severity", "title", "first_seen_at", "last_seen_at")
    rows = list(found.order_by("-last_seen_at", "-id").values(*fields)[:50])
    return json.dumps({"items": rows, "count": found.count()}, default=str).encode()


def measure_dashboard(department: Any, officer: Any, requests: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, fn in dashboard_targets(department, officer).items():
        out[name] = time_calls(fn, requests)
    out["baseline_overview_department"] = time_calls(lambda: plain_overview(None), requests)
    out["baseline_overview_officer"] = time_calls(lambda: plain_overview(officer.unit_id), requests)
    out["baseline_findings_department"] = time_calls(lambda: plain_findings(None), requests)
    out["baseline_findings_officer"] = time_calls(lambda: plain_findings(officer.unit_id), requests)
    return out


# --------------------------------------------------------------------------- setup and the whole run


def monitoring_models() -> list[Any]:
    from haidang.apps.monitoring import models as m

    return [m.WatchState, m.Finding, m.FindingEvent, m.DailyScans, m.Snapshot, m.BaselineRecord]


def make_websites(count: int) -> list[Any]:
    from haidang.apps.registry.models import Unit, Website
    from haidang.apps.registry.unit_io import seed_units_if_empty

    seed_units_if_empty()
    units = list(Unit.objects.order_by("id"))
    Website.objects.bulk_create(
        Website(unit=units[i % len(units)], url=f"https://w{i}.{units[i % len(units)].short_code}.example.vn/".lower())
        for i in range(count)
    )
    return list(Website.objects.order_by("id")[:count])


def make_users(officer_unit_id: int) -> tuple[Any, Any]:
    from haidang.apps.accounts.models import Role, User

    duty = User.objects.create_user("duty@year.vn", "x", role=Role.DUTY)
    officer = User.objects.create_user("officer@year.vn", "x", role=Role.UNIT, unit_id=officer_unit_id)
    return duty, officer


def simulate(
    websites: list[Any], lib: Library, days: float, slice_scans: int, record: Callable[..., Any]
) -> dict[str, Any]:
    """The slice and the replay of the year over ``websites``; sizes and rows before and after each step."""
    total = int(days * SCANS_PER_DAY)
    sites = build_timeline(websites, lib, total)
    snaps = snapshot_dir()
    before = {"tables": table_sizes(), "rows": row_counts(monitoring_models()), "snapshots": dir_size(snaps)}
    piece = run_slice(sites, min(slice_scans, total), record)
    after_slice = {"tables": table_sizes(), "rows": row_counts(monitoring_models()), "snapshots": dir_size(snaps)}
    checks = measure_check_rows(piece.pop("checks"), lib, sites)
    replay = replay_year(sites, min(slice_scans, total), total, record)
    fill = fill_steady_scans(sites, total)
    baselines = store_baselines(sites, lib)
    after = {"tables": table_sizes(), "rows": row_counts(monitoring_models()), "snapshots": dir_size(snaps)}
    episodes = Counter(e.kind for s in sites for e in s.episodes)
    scans_by_status: Counter[str] = Counter()
    for site in sites:
        bad = 0
        for e in site.episodes:
            scans_by_status["down" if not e.result.reachable else "flagged" if e.result.flagged else "clean"] += (
                e.end - e.start
            )
            bad += e.end - e.start
        scans_by_status["clean"] += total - bad
    per_row = checks["bytes_per_row"]
    return {
        "websites": len(sites),
        "days": days,
        "scans_per_website": total,
        "episodes": dict(episodes),
        "scans_by_status": dict(scans_by_status),
        "slice": piece | {"scans_per_website": min(slice_scans, total)},
        "replay": replay,
        "fill": fill,
        "baselines": baselines,
        "before": before,
        "after_slice": after_slice,
        "after": after,
        "row_per_check": checks
        | {"estimated_bytes": int(sum(per_row[k] * n for k, n in scans_by_status.items()))}
        | {"estimated_rows": sum(scans_by_status.values())},
    }


def referenced_snapshots() -> dict[str, int]:
    """Snapshots something still points at (a finding's page or "before" page, a watch's clean page):
    what a clean-up of unreferenced pages would keep."""
    from django.db.models import Q, Sum

    from haidang.apps.monitoring.models import Finding, Snapshot, WatchState

    digests = set(Finding.objects.values_list("snapshot_id", flat=True))
    digests |= set(Finding.objects.values_list("baseline_snapshot_id", flat=True))
    digests |= set(WatchState.objects.values_list("clean_snapshot_id", flat=True))
    digests.discard(None)
    kept = Snapshot.objects.filter(Q(digest__in=digests))
    return {"snapshots": kept.count(), "stored_bytes": kept.aggregate(n=Sum("stored_size"))["n"] or 0}


def _delta(after: dict[str, int], before: dict[str, int], names: Iterable[str]) -> dict[str, int]:
    return {name: after.get(name, 0) - before.get(name, 0) for name in names}


def summarise(run: dict[str, Any]) -> dict[str, Any]:
    names = [m._meta.db_table for m in monitoring_models()]
    rows = _delta(run["after"]["rows"], run["before"]["rows"], names)
    sizes = _delta(run["after"]["tables"], run["before"]["tables"], names)
    others = {
        name: grown
        for name, grown in _delta(run["after"]["tables"], run["before"]["tables"], run["after"]["tables"]).items()
        if grown > 0 and name not in names and name != CHECK_TABLE
    }
    snaps = {k: run["after"]["snapshots"][k] - run["before"]["snapshots"][k] for k in run["after"]["snapshots"]}
    database = sum(sizes.values()) + sum(others.values())
    total = database + snaps["disk_bytes"]
    website_years = run["websites"] * run["days"] / 365
    slice_rows = _delta(run["after_slice"]["rows"], run["before"]["rows"], names)
    slice_sizes = _delta(run["after_slice"]["tables"], run["before"]["tables"], names)
    return {
        "rows": rows,
        "table_bytes": sizes,
        "other_tables_grown_bytes": others,
        "database_bytes": database,
        "snapshots": snaps,
        "total_bytes": total,
        "bytes_per_website_year": int(total / website_years),
        "row_per_check_bytes": run["row_per_check"]["estimated_bytes"],
        "row_per_check_rows": run["row_per_check"]["estimated_rows"],
        "row_per_check_bytes_per_row": {k: round(v, 1) for k, v in run["row_per_check"]["bytes_per_row"].items()},
        "row_per_check_bytes_per_website_year": int(run["row_per_check"]["estimated_bytes"] / website_years),
        "ratio_row_per_check_to_state_transitions": round(run["row_per_check"]["estimated_bytes"] / total, 1),
        "slice_rows": slice_rows,
        "slice_table_bytes": slice_sizes,
        "slice_snapshots": {
            k: run["after_slice"]["snapshots"][k] - run["before"]["snapshots"][k] for k in run["after"]["snapshots"]
        },
    }


def _configure(db: str, keep: bool, reuse: bool = False) -> dict[str, Any]:
    data = Path(tempfile.mkdtemp(prefix="haidang-year-"))
    os.environ["HAIDANG_DATA_DIR"] = str(data)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haidang.config.settings.test")
    info: dict[str, Any] = {"data_dir": str(data), "db": db}
    if db == "postgres":
        import psycopg

        name = "haidang_monitoring_year"
        if not reuse:
            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name}")
                conn.execute(f"CREATE DATABASE {name}")
        os.environ["HAIDANG_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        os.environ.pop("HAIDANG_DATABASE_URL", None)
    import django
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    call_command("migrate", verbosity=0)
    return info


def sqlite_file_after_vacuum() -> int | None:
    from django.db import connection

    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {CHECK_TABLE}")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(connection.settings_dict["NAME"]).stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--websites", type=int, default=1000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--days", type=float, default=365)
    parser.add_argument("--slice-scans", type=int, default=12, help="scans per website through the real path")
    parser.add_argument("--corpus-sites", type=int, default=40)
    parser.add_argument("--requests", type=int, default=60, help="requests per dashboard measurement")
    parser.add_argument("--keep", action="store_true", help="keep the data directory (and PostgreSQL database)")
    parser.add_argument(
        "--dashboard-only", action="store_true", help="PostgreSQL: measure the dashboard of the last run's database"
    )
    args = parser.parse_args(argv)
    info = _configure(args.db, args.keep, reuse=args.dashboard_only)
    if args.dashboard_only:
        from haidang.apps.accounts.models import User

        department, officer = User.objects.get(email="duty@year.vn"), User.objects.get(email="officer@year.vn")
        sys.stdout.write(json.dumps(measure_dashboard(department, officer, args.requests), indent=2) + "\n")
        return 0
    record, record_name = recorder()
    record = at_the_time(record)
    _, store_name = snapshot_writer()
    started = time.perf_counter()
    lib = build_library(sites=args.corpus_sites)
    websites = make_websites(args.websites)
    department, officer = make_users(websites[10].unit_id)
    run = simulate(websites, lib, args.days, args.slice_scans, record)
    summary = summarise(run)
    summary["referenced_snapshots"] = referenced_snapshots()
    summary["sqlite_file_bytes_after_vacuum"] = sqlite_file_after_vacuum()
    dashboard = measure_dashboard(department, officer, args.requests)
    report = {
        "setup": info
        | {"record_path": record_name, "snapshot_store": store_name, "rates": RATES}
        | {"library": {"clean": len(lib.clean), "noisy": sum(lib.noisy), "compromised": len(lib.compromised)}}
        | {"library_down": len(lib.down), "library_scan_seconds": round(lib.scan_seconds, 1)},
        "simulation": {k: run[k] for k in ("websites", "days", "scans_per_website", "episodes", "scans_by_status")}
        | {"slice": run["slice"], "replay": run["replay"], "fill": run["fill"], "baselines": run["baselines"]},
        "storage": summary,
        "dashboard": dashboard,
        "seconds": round(time.perf_counter() - started, 1),
    }
    sys.stdout.write(json.dumps(report, indent=2, default=str) + "\n")
    if not args.keep:
        import shutil

        from django.db import connections

        connections.close_all()
        shutil.rmtree(info["data_dir"], ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
