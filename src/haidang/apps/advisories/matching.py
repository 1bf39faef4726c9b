"""The platform's inventory, matched against the stored records: which unit's system is affected by which CVE.

The inventory is the registry's software components plus what monitoring currently observes on each
website. Rows go to the intel engine's :class:`~haidang.engines.intel.match.Matcher` with the system as
the grouping (so "running on/with" configurations see everything a system runs); only the records whose
configurations name a product the rows can be (the ``VulnerabilityProduct`` index), and the records
awaiting analysis, are loaded from the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from haidang.apps.advisories.configurations import configurations_from_json, product_key
from haidang.apps.advisories.models import Exposure, MatchRun, Vulnerability, VulnerabilityProduct
from haidang.apps.audit.services import audit_record
from haidang.apps.monitoring.models import ObservedSoftware
from haidang.apps.registry.models import SoftwareComponent, UnitStatus
from haidang.engines.intel.match import Matcher, MatchReport
from haidang.engines.intel.products import Resolution, Resolver, Status
from haidang.engines.intel.types import CveRecord, InventoryRow

if TYPE_CHECKING:
    from haidang.apps.accounts.models import User

CHUNK = 500
MAX_REVIEW_STORED = 2_000


@dataclass(frozen=True, slots=True)
class Source:
    """Where an inventory row came from: a registry component or a website observation."""

    unit_id: int
    system_id: int | None
    website_id: int | None
    label: str  # "Apache HTTP Server 2.4.49"
    observed: bool
    component_id: int | None = None  # the registry's SoftwareComponent
    observed_on: int | None = None  # the website monitoring saw it on


@dataclass(slots=True)
class Inventory:
    rows: list[InventoryRow] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)

    def add(self, row: InventoryRow, source: Source) -> None:
        self.rows.append(row)
        self.sources.append(source)


def target_key(system_id: int | None, website_id: int | None) -> str:
    """The matcher's "system": a registry system, or a website that belongs to none."""
    return f"s{system_id}" if system_id is not None else f"w{website_id}"


def _label(vendor: str, product: str, version: str) -> str:
    name = product if vendor.casefold() in product.casefold() else f"{vendor} {product}"
    return f"{name} {version}".strip()[:500]


def inventory(
    *,
    unit_ids: Iterable[int] | None = None,
    system_ids: Iterable[int] | None = None,
    website_ids: Iterable[int] | None = None,
) -> Inventory:
    """The inventory of active units (optionally only some units, systems or websites)."""
    components = SoftwareComponent.objects.filter(unit__status=UnitStatus.ACTIVE)
    observed = ObservedSoftware.objects.filter(current=True, website__unit__status=UnitStatus.ACTIVE)
    if unit_ids is not None:
        ids = list(unit_ids)
        components, observed = components.filter(unit_id__in=ids), observed.filter(unit_id__in=ids)
    if system_ids is not None or website_ids is not None:
        systems, websites = list(system_ids or ()), list(website_ids or ())
        components = components.filter(system_id__in=systems)
        observed = observed.filter(Q(website__system_id__in=systems) | Q(website_id__in=websites))
    result = Inventory()
    for c in components.order_by("id").values_list("id", "unit_id", "system_id", "vendor", "product", "version", "cpe"):
        component_id, unit_id, system_id, vendor, product, version, cpe = c
        row = InventoryRow(str(unit_id), target_key(system_id, None), vendor, product, version, cpe)
        label = _label(vendor, product, version)
        result.add(row, Source(unit_id, system_id, None, label, observed=False, component_id=component_id))
    for o in observed.order_by("id").values_list(
        "unit_id", "website_id", "website__system_id", "vendor", "product", "version"
    ):
        unit_id, website_id, system_id, vendor, product, version = o
        if not version:
            continue  # a product without a disclosed version cannot be matched, only listed
        row = InventoryRow(str(unit_id), target_key(system_id, website_id), vendor, product, version)
        label = _label(vendor, product, version)
        source = Source(unit_id, system_id, None if system_id else website_id, label, True, observed_on=website_id)
        result.add(row, source)
    return result


def _wanted(resolutions: Sequence[Resolution]) -> tuple[set[tuple[str, str]], set[str]]:
    pairs: set[tuple[str, str]] = set()
    keys: set[str] = set()
    for resolution in resolutions:
        for candidate in (*resolution.candidates, *resolution.fallback):
            pairs.update((vendor, product) for _part, vendor, product in candidate.names)
        keys.update(key for key, _prefix in resolution.wanted)
    return pairs, keys


def _chunks(values: Iterable[object], size: int = CHUNK) -> Iterator[list[object]]:
    iterator = iter(values)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _candidate_ids(pairs: set[tuple[str, str]], keys: set[str]) -> set[int]:
    ids: set[int] = set()
    products = sorted({product for _vendor, product in pairs})
    for chunk in _chunks(products):
        for vulnerability_id, vendor, product in VulnerabilityProduct.objects.filter(product__in=chunk).values_list(
            "vulnerability_id", "vendor", "product"
        ):
            if (vendor, product) in pairs:
                ids.add(vulnerability_id)
    for chunk in _chunks(sorted(keys)):
        ids.update(
            VulnerabilityProduct.objects.filter(product_key__in=chunk).values_list("vulnerability_id", flat=True)
        )
    return ids


def _record(row: dict[str, object]) -> CveRecord:
    modified = row["last_modified"]
    configurations = row["configurations"] or []
    return CveRecord(
        cve_id=str(row["cve_id"]),
        status=str(row["status"]),
        last_modified=modified.isoformat() if isinstance(modified, datetime) else "",
        description=str(row["description"]),
        configurations=configurations_from_json(configurations),  # type: ignore[arg-type]
    )


_FIELDS = ("cve_id", "status", "last_modified", "description", "configurations")


def _records(
    pairs: set[tuple[str, str]], keys: set[str], *, awaiting: bool, cves: Collection[str] | None
) -> Iterator[CveRecord]:
    if cves is not None:
        # Only these CVEs (a warning's): the index is not needed, and records awaiting analysis never match.
        for chunk in _chunks(sorted(cves)):
            for row in Vulnerability.objects.filter(cve_id__in=chunk).values(*_FIELDS):
                yield _record(row)
        return
    for chunk in _chunks(sorted(_candidate_ids(pairs, keys))):
        for row in Vulnerability.objects.filter(id__in=chunk).values(*_FIELDS):
            yield _record(row)
    if not awaiting:
        return
    # Awaiting analysis: no configurations, so no index rows; the matcher looks for product names in the text.
    unanalysed = Vulnerability.objects.filter(products__isnull=True, configurations_oversize=False).exclude(
        status__iexact="rejected"
    )
    for row in unanalysed.values(*_FIELDS).iterator(chunk_size=2_000):
        yield _record(row)


def match_inventory(
    rows: Sequence[InventoryRow],
    resolver: Resolver | None = None,
    *,
    awaiting: bool = True,
    cves: Collection[str] | None = None,
) -> MatchReport:
    """Match ``rows`` against every stored record they can concern (KEV flags from the stored catalogue).

    ``awaiting=False`` skips the records awaiting NVD analysis: they only ever add review items, which
    a caller that needs the matches alone (sending, verification) does not read. ``cves`` limits the
    run to those records (a warning's), which is what makes sending and verification cheap.
    """
    resolver = resolver or Resolver()
    kev = frozenset(Vulnerability.objects.filter(in_kev=True).values_list("cve_id", flat=True))
    matcher = Matcher(rows, kev, resolver=resolver)
    pairs, keys = _wanted(matcher.prepared)  # the rows as the matcher resolved them, not resolved twice
    if rows:
        for record in _records(pairs, keys, awaiting=awaiting, cves=cves):
            matcher.add(record)
    return matcher.report()


def _concerns(resolution: Resolution, record_pairs: set[tuple[str, str]], record_keys: set[str]) -> bool:
    if resolution.explicit is not None:
        return (resolution.explicit.vendor, resolution.explicit.product) in record_pairs
    for candidate in resolution.candidates:
        if any((vendor, product) in record_pairs for _part, vendor, product in candidate.names):
            return True
    return resolution.status is Status.PENDING and any(key in record_keys for key, _prefix in resolution.wanted)


@dataclass(frozen=True, slots=True)
class Found:
    """One (target, CVE) the inventory matches, with the rows that make it."""

    unit_id: int
    system_id: int | None
    website_id: int | None
    cve_id: str
    software: str
    observed: bool
    components: tuple[int, ...] = ()
    websites: tuple[int, ...] = ()


def found(inv: Inventory, report: MatchReport, resolver: Resolver | None = None) -> list[Found]:
    """The report's matches with the inventory rows behind each (which product of the system it is)."""
    resolver = resolver or Resolver()
    by_target: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, row in enumerate(inv.rows):
        by_target[(row.unit, row.system)].append(index)
    cves = {m.cve for m in report.matches}
    products: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for chunk in _chunks(sorted(cves)):
        for cve_id, vendor, product in VulnerabilityProduct.objects.filter(vulnerability__cve_id__in=chunk).values_list(
            "vulnerability__cve_id", "vendor", "product"
        ):
            products[cve_id].add((vendor, product))
    resolutions: dict[int, Resolution] = {}
    result = []
    for match in report.matches:
        indices = by_target[(match.unit, match.system)]
        pairs = products.get(match.cve, set())
        keys = {product_key(product) for _vendor, product in pairs}
        behind = []
        for index in indices:
            if index not in resolutions:
                resolutions[index] = resolver.prepare(inv.rows[index])
            if _concerns(resolutions[index], pairs, keys):
                behind.append(index)
        behind = behind or indices  # a platform configuration: the system as a whole
        first = inv.sources[behind[0]]
        labels = list(dict.fromkeys(inv.sources[i].label for i in behind))
        result.append(
            Found(
                unit_id=int(match.unit),
                system_id=first.system_id,
                website_id=None if first.system_id is not None else first.website_id,
                cve_id=match.cve,
                software="; ".join(labels)[:500],
                observed=all(inv.sources[i].observed for i in behind),
                components=tuple(c for i in behind if (c := inv.sources[i].component_id) is not None),
                websites=tuple(dict.fromkeys(w for i in behind if (w := inv.sources[i].observed_on) is not None)),
            )
        )
    return result


def exposures_refresh(*, actor: User | None = None, now: datetime | None = None) -> MatchRun:
    """Match the whole inventory again and fold the result into :class:`Exposure` rows (open, still, resolved).

    Audited with ``actor`` (None for the scheduler).
    """
    now = now or timezone.now()
    run = MatchRun.objects.create(started_at=now)
    resolver = Resolver()
    inv = inventory()
    report = match_inventory(inv.rows, resolver)
    matches = found(inv, report, resolver)
    ids: dict[str, int] = {}
    for chunk in _chunks(sorted({m.cve_id for m in matches})):
        ids.update(Vulnerability.objects.filter(cve_id__in=chunk).values_list("cve_id", "id"))
    with transaction.atomic():
        existing = {
            (e.unit_id, e.system_id, e.website_id, e.vulnerability_id): e
            for e in Exposure.objects.select_for_update().all()
        }
        seen: set[int] = set()
        new: list[Exposure] = []
        for m in matches:
            vulnerability_id = ids.get(m.cve_id)
            if vulnerability_id is None:
                continue
            key = (m.unit_id, m.system_id, m.website_id, vulnerability_id)
            exposure = existing.get(key)
            if exposure is None:
                new.append(
                    Exposure(
                        unit_id=m.unit_id,
                        system_id=m.system_id,
                        website_id=m.website_id,
                        vulnerability_id=vulnerability_id,
                        software=m.software,
                        observed=m.observed,
                        first_seen_at=now,
                        last_seen_at=now,
                    )
                )
                existing[key] = new[-1]
            else:
                seen.add(exposure.pk)
                if exposure.resolved_at is not None or exposure.software != m.software:
                    run.opened += exposure.resolved_at is not None
                    Exposure.objects.filter(pk=exposure.pk).update(
                        resolved_at=None, software=m.software, observed=m.observed
                    )
        Exposure.objects.bulk_create(new, batch_size=CHUNK)
        Exposure.objects.filter(pk__in=seen).update(last_seen_at=now)
        fresh = {id(e) for e in new}
        gone = [e.pk for e in existing.values() if id(e) not in fresh and e.pk not in seen and e.resolved_at is None]
        for chunk in _chunks(gone):
            Exposure.objects.filter(pk__in=chunk).update(resolved_at=now)
        run.opened += len(new)
        run.closed = len(gone)
        run.rows = len(inv.rows)
        run.records = report.stats.records
        run.matches = len(report.matches)
        run.review = [_review(item) for item in report.review[:MAX_REVIEW_STORED]]
        run.review_total = len(report.review)
        run.catalogue_version = report.stats.catalogue_version
        run.finished_at = timezone.now()
        run.save()
        audit_record(
            acting_user=actor,
            action="advisories.match",
            target=run,
            changes={"rows": run.rows, "matches": run.matches, "opened": run.opened, "closed": run.closed},
        )
    return run


def _review(item: object) -> dict[str, object]:
    fields = ("unit", "system", "reason", "cve", "vendor", "product", "version", "candidates")
    return {name: (list(value) if isinstance(value := getattr(item, name), tuple) else str(value)) for name in fields}
