"""The platform's vulnerability matching at city scale, against a plain baseline in the same run.

A synthetic NVD 2.0 file of 30,000 records (a long tail of 3,000 products, head products such as
Log4j, Apache HTTP Server, PHP and WordPress with version ranges, ~7 % awaiting analysis) is imported
once; the 88 seeded units get 5 systems each and 2,200 software components written the way people
write them (catalogue names, vocabulary-only names, versions in and out of the ranges). Measured:

* ``exposures_refresh`` — the whole inventory resolved, the records it can concern loaded through the
  (vendor, product) index, NVD applicability evaluated, exposures folded in as state;
* baseline: one SQL join of components and the product index on lower-cased names (no alias
  catalogue, no versions, no applicability) — what a naive tool pays to read the same data;
* ``warning_send`` of a warning about the 5 most widespread CVEs to every affected unit (their inventory
  matched again against those CVEs, systems listed, notifications);
* ``verify_system`` of one patched system.

Run: make benchmark   (or: .venv/bin/pytest benchmarks/test_advisories.py --benchmark-only)
"""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count

from haidang.apps.accounts.models import Role, User
from haidang.apps.advisories import matching, warning_services
from haidang.apps.advisories.models import Exposure, RemediationStatus, Vulnerability
from haidang.apps.advisories.services import import_nvd_file
from haidang.apps.registry.models import InformationSystem, SoftwareComponent

pytestmark = pytest.mark.django_db

RECORDS = 30_000
TAIL = 3_000
#: (CPE vendor, CPE product, written vendor, written product, versions people run)
HEAD = [
    ("apache", "log4j", "Apache Software Foundation", "Log4j", ["2.14.1", "2.17.1", "2.12.1"]),
    ("apache", "http_server", "Apache", "Apache HTTP Server", ["2.4.49", "2.4.58", "2.4.41"]),
    ("php", "php", "The PHP Group", "PHP", ["7.4.33", "8.1.2", "8.2.20"]),
    ("wordpress", "wordpress", "WordPress.org", "WordPress", ["6.4.1", "5.8.3", "6.6.2"]),
    ("f5", "nginx", "F5 Networks", "nginx", ["1.20.1", "1.25.3"]),
    ("openssl", "openssl", "OpenSSL Project", "OpenSSL", ["1.0.2k", "1.1.1w", "3.0.8"]),
]


def _version(rng: random.Random) -> str:
    return f"{rng.randint(0, 9)}.{rng.randint(0, 20)}.{rng.randint(0, 30)}"


def _record(rng: random.Random, index: int) -> dict[str, Any]:
    if rng.random() < 0.15:
        vendor, product, *_ = HEAD[rng.randrange(len(HEAD))]
    else:
        tail = int(rng.paretovariate(0.9)) % TAIL
        vendor, product = f"vendor{tail // 2}", f"product_{tail}"
    cve: dict[str, Any] = {
        "id": f"CVE-2024-{index:05d}",
        "vulnStatus": "Analyzed",
        "published": "2024-03-01T10:00:00.000",
        "lastModified": "2024-06-01T10:00:00.000",
        "descriptions": [{"lang": "en", "value": f"A flaw in {product.replace('_', ' ')} allows remote attackers."}],
        "metrics": {},
    }
    if rng.random() < 0.07:
        cve["vulnStatus"] = "Awaiting Analysis"
        return {"cve": cve}
    matches = []
    for _ in range(rng.randint(1, 3)):
        low = _version(rng)
        high = f"{low.rsplit('.', 1)[0]}.{rng.randint(31, 60)}"
        matches.append(
            {
                "vulnerable": True,
                "criteria": f"cpe:2.3:a:{vendor}:{product}:*:*:*:*:*:*:*:*",
                "versionStartIncluding": low,
                "versionEndExcluding": high,
                "matchCriteriaId": "00000000-0000-0000-0000-000000000000",
            }
        )
    cve["configurations"] = [{"nodes": [{"operator": "OR", "negate": False, "cpeMatch": matches}]}]
    return {"cve": cve}


@pytest.fixture(scope="session")
def nvd_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rng = random.Random(7)
    path = tmp_path_factory.mktemp("nvd") / "nvd-bench.json.gz"
    data = {
        "format": "NVD_CVE",
        "version": "2.0",
        "totalResults": RECORDS,
        "vulnerabilities": [_record(rng, i) for i in range(RECORDS)],
    }
    path.write_bytes(gzip.compress(json.dumps(data).encode()))
    return path


@pytest.fixture
def inventory(city: dict[str, Any], nvd_file: Path) -> dict[str, Any]:
    imported = import_nvd_file(path=nvd_file)
    assert imported.ok, imported.message
    rng = random.Random(11)
    components = []
    for system in InformationSystem.objects.select_related("unit"):
        for _ in range(5):
            if rng.random() < 0.5:
                _v, _p, vendor, product, versions = HEAD[rng.randrange(len(HEAD))]
                version = rng.choice(versions)
            else:
                tail = rng.randrange(TAIL)
                vendor, product, version = f"Vendor{tail // 2}", f"Product {tail}", _version(rng)
            components.append(
                SoftwareComponent(unit=system.unit, system=system, vendor=vendor, product=product, version=version)
            )
    SoftwareComponent.objects.bulk_create(components)
    User.objects.bulk_create(
        User(email=f"o{s.unit_id}-{s.id}@bench.vn", role=Role.UNIT, unit_id=s.unit_id, password="!")  # noqa: S106
        for s in InformationSystem.objects.all()[::5]
    )
    duty = User.objects.create_user("duty@bench.vn", "x", role=Role.DUTY)
    return {**city, "duty": duty, "components": len(components)}


def _most_exposed(count: int) -> list[str]:
    """The CVEs that affect the most units: what a department warns about first."""
    ranked = (
        Vulnerability.objects.filter(exposures__resolved_at__isnull=True)
        .annotate(units=Count("exposures__unit", distinct=True))
        .order_by("-units", "cve_id")
    )
    return list(ranked.values_list("cve_id", flat=True)[:count])


def test_exposures_refresh(benchmark: Any, inventory: dict[str, Any]) -> None:
    run = benchmark.pedantic(matching.exposures_refresh, rounds=3, iterations=1)
    benchmark.extra_info.update(rows=run.rows, matches=run.matches, review=run.review_total, records=run.records)
    assert run.rows == inventory["components"]
    assert Exposure.objects.filter(resolved_at__isnull=True).count() == run.matches > 0


def test_plain_join_baseline(benchmark: Any, inventory: dict[str, Any]) -> None:
    sql = """
        SELECT COUNT(*) FROM registry_softwarecomponent c
        JOIN advisories_vulnerabilityproduct p
          ON p.product = REPLACE(LOWER(c.product), ' ', '_') AND p.vendor = LOWER(c.vendor)
    """

    def join() -> int:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return int(cursor.fetchone()[0])

    pairs = benchmark.pedantic(join, rounds=3, iterations=1)
    benchmark.extra_info.update(pairs=pairs)


def test_send_a_warning_to_every_affected_unit(
    benchmark: Any, inventory: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    matching.exposures_refresh()
    duty = inventory["duty"]
    cves = tuple(_most_exposed(5))
    fields = warning_services.suggest(cves)
    fields.number = "1/CB-BENCH"

    def send() -> int:
        warning = warning_services.warning_create(actor=duty, data=fields)
        from haidang.apps.advisories.warning_selectors import affected_units

        units = list(affected_units(warning).values_list("id", flat=True))
        with django_capture_on_commit_callbacks(execute=True):
            warning_services.warning_send(actor=duty, warning=warning, unit_ids=units)
        warning.number = f"sent-{warning.id}"
        warning.save(update_fields=["number"])
        return len(units)

    units = benchmark.pedantic(send, rounds=3, iterations=1)
    benchmark.extra_info.update(units=units)
    assert units > 0


def test_verify_one_patched_system(benchmark: Any, inventory: dict[str, Any]) -> None:
    matching.exposures_refresh()
    duty = inventory["duty"]
    (cve_id,) = _most_exposed(1)
    cve = Vulnerability.objects.get(cve_id=cve_id)
    fields = warning_services.suggest((cve_id,))
    fields.number = "2/CB-BENCH"
    warning = warning_services.warning_create(actor=duty, data=fields)
    unit_id = Exposure.objects.filter(vulnerability=cve).values_list("unit_id", flat=True).first()
    (recipient,) = warning_services.warning_send(actor=duty, warning=warning, unit_ids=[unit_id])
    system = recipient.systems.first()
    assert system is not None

    def patched() -> tuple[tuple[Any, ...], dict[str, Any]]:
        system.status, system.fixed_version, system.verification = RemediationStatus.PATCHED, "99.0.0", ""
        system.save()
        return (system,), {}

    verdict = benchmark.pedantic(warning_services.verify_system, setup=patched, rounds=5, iterations=1)
    assert verdict == "reopened"  # the registry still says the old version: the system is still affected
