"""Continuous monitoring storage (issue #5), each figure against a plain baseline in the same run.

The quick version of ``benchmarks/monitoring_year.py`` (which runs the full year: 1,000 websites, 105,120
scans each): 100 of the city's websites over 3 simulated days, engine results from real scans of the
labelled corpus, the real ``services.record_scan`` and snapshot store. Measured:

* the storage a few simulated days take as state transitions (rows, bytes per table, snapshot files,
  bytes per website-year) against the same scans as row-per-check rows (``extra_info``; no timing claim);
* one quiet scan through ``record_scan`` against inserting one row-per-check row;
* the monitoring overview and findings pages for the department and for a unit officer against the
  same rows read with ``values()`` and dumped with ``json.dumps``.

Run: make benchmark   (or: .venv/bin/pytest benchmarks/test_monitoring_storage.py --benchmark-only)
Full year: .venv/bin/python -m benchmarks.monitoring_year --websites 1000 [--db postgres]
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks import monitoring_year as year
from haidang.apps.accounts.models import Role, User
from haidang.apps.registry.models import Website

pytestmark = pytest.mark.django_db

WEBSITES = 100
DAYS = 3
SLICE_SCANS = 4  # scans per website through record_scan before the replay


@pytest.fixture(scope="module")
def library() -> year.Library:
    return year.build_library(sites=8, runs=3)


@pytest.fixture
def record() -> Any:
    record_scan, _ = year.recorder()
    return year.at_the_time(record_scan)


@pytest.fixture
def websites(city: dict[str, Any]) -> list[Website]:
    return list(Website.objects.order_by("id")[:WEBSITES])


@pytest.fixture
def monitored(city: dict[str, Any], websites: list[Website], library: year.Library, record: Any) -> dict[str, Any]:
    """A few simulated days already recorded (a short slice through record_scan, the rest replayed)."""
    run = year.simulate(websites, library, DAYS, slice_scans=1, record=record)
    # The department as its duty officer (an administrator must first enrol a TOTP device).
    duty = User.objects.create_user("duty@monitoring.vn", "x", role=Role.DUTY)
    return {**city, "run": run, "department": duty}


def test_storage_of_simulated_days(
    benchmark: Any, city: dict[str, Any], websites: list[Website], library: year.Library, record: Any
) -> None:
    run = benchmark.pedantic(
        lambda: year.simulate(websites, library, DAYS, SLICE_SCANS, record), rounds=1, iterations=1
    )
    summary = year.summarise(run)
    benchmark.extra_info.update(
        {
            "rows": summary["rows"],
            "table_bytes": summary["table_bytes"],
            "snapshots": summary["snapshots"],
            "bytes_per_website_year": summary["bytes_per_website_year"],
            "row_per_check_bytes_per_website_year": summary["row_per_check_bytes_per_website_year"],
            "row_per_check_bytes_per_row": summary["row_per_check_bytes_per_row"],
        }
    )
    assert summary["rows"]["monitoring_dailyscans"] == WEBSITES * DAYS
    assert summary["rows"]["monitoring_watchstate"] == WEBSITES
    # Not a row per check: a quiet day adds one DailyScans row per website, not 288 rows.
    assert sum(summary["rows"].values()) < run["row_per_check"]["estimated_rows"] / 50
    assert summary["total_bytes"] < summary["row_per_check_bytes"]


def test_record_scan_quiet_scan(
    benchmark: Any, city: dict[str, Any], websites: list[Website], library: year.Library, record: Any
) -> None:
    site = year.build_timeline(websites[:1], library, year.SCANS_PER_DAY)[0]
    clean = year._daily(site.clean, 0)
    record(website=site.website, result=clean, duration_ms=4000, now=year.at_scan(0))
    scans = iter(range(1, 10_000))
    benchmark(lambda: record(website=site.website, result=clean, duration_ms=4000, now=year.at_scan(next(scans) % 288)))


def test_row_per_check_insert_baseline(
    benchmark: Any, city: dict[str, Any], websites: list[Website], library: year.Library
) -> None:
    """Baseline: the plain design, one INSERT of status + findings JSON per scan."""
    site = year.build_timeline(websites[:1], library, year.SCANS_PER_DAY)[0]
    year.create_check_table()
    row = year.check_row(site.website.id, year.at_scan(0), site.clean, 4000)
    benchmark(lambda: year.insert_check_rows([row]))


def _target(monitored: dict[str, Any], name: str) -> Any:
    department, officer = monitored["department"], monitored["officer"]
    targets = year.dashboard_targets(department, officer)
    if name not in targets:
        pytest.skip(f"{name}: neither the /monitoring/ page nor its selector exists yet")
    return targets[name]


@pytest.mark.parametrize("who", ["department", "officer"])
def test_overview_page(benchmark: Any, monitored: dict[str, Any], who: str) -> None:
    benchmark(_target(monitored, f"overview_{who}"))


@pytest.mark.parametrize("who", ["department", "officer"])
def test_overview_plain_values_baseline(benchmark: Any, monitored: dict[str, Any], who: str) -> None:
    unit_id = None if who == "department" else monitored["officer"].unit_id
    assert benchmark(lambda: year.plain_overview(unit_id))


@pytest.mark.parametrize("who", ["department", "officer"])
def test_findings_page(benchmark: Any, monitored: dict[str, Any], who: str) -> None:
    benchmark(_target(monitored, f"findings_{who}"))


@pytest.mark.parametrize("who", ["department", "officer"])
def test_findings_plain_values_baseline(benchmark: Any, monitored: dict[str, Any], who: str) -> None:
    unit_id = None if who == "department" else monitored["officer"].unit_id
    assert benchmark(lambda: year.plain_findings(unit_id))
