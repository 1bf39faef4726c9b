"""Importing the vulnerability feeds: NVD CVE 2.0 files and the CISA KEV catalogue.

Imports are incremental and idempotent: a record is created once, replaced only by a record with a
newer NVD ``lastModified`` (an older file never overwrites newer data), and counted as unchanged
otherwise. Every run, successful or not, leaves a :class:`FeedImport` row and an audit row; a bad file
ends as ``ok=False`` with a Vietnamese message, never as an exception to the caller.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from haidang.apps.advisories.configurations import configurations_to_json, product_key
from haidang.apps.advisories.models import (
    MAX_CONFIGURATIONS_CHARS,
    MAX_DESCRIPTION,
    MAX_MESSAGE,
    MAX_REFERENCES,
    FeedImport,
    FeedSource,
    Vulnerability,
    VulnerabilityProduct,
)
from haidang.apps.audit.services import audit_record
from haidang.engines.intel import cpe, kev, nvd
from haidang.engines.intel.types import CveRecord, KevEntry

if TYPE_CHECKING:
    from haidang.apps.accounts.models import User

logger = logging.getLogger(__name__)

BATCH = 500
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
#: Called after each batch with the number of records read so far (for progress displays).
Progress = Callable[[int], None]

# The fields an NVD record sets; the KEV fields belong to the KEV import alone.
_NVD_FIELDS = (
    "status",
    "published",
    "last_modified",
    "description",
    "cvss_score",
    "cvss_severity",
    "cwes",
    "references",
    "configurations",
    "configurations_oversize",
    "sources",
    "updated_at",
)
_KEV_FIELDS = ("in_kev", "kev_date_added", "kev_due_date", "kev_required_action", "kev_ransomware")


@dataclass
class _Counts:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0


def _timestamp(value: str) -> datetime | None:
    """NVD timestamps (``2024-07-24T17:08:24.167``, UTC without an offset) as aware datetimes."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _score(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 1)))


def _configurations(record: CveRecord) -> tuple[list[object], bool]:
    compact = configurations_to_json(record.configurations)
    if len(json.dumps(compact, separators=(",", ":"))) > MAX_CONFIGURATIONS_CHARS:
        # Half a configuration would match wrongly (AND nodes, ranges): keep none and say so.
        logger.warning("NVD %s: configurations too large to store", record.cve_id)
        return [], True
    return list(compact), False


def _apply_nvd(row: Vulnerability, record: CveRecord, now: datetime) -> None:
    row.status = record.status
    row.published = _timestamp(record.published)
    row.last_modified = _timestamp(record.last_modified)
    row.description = record.description[:MAX_DESCRIPTION]
    row.cvss_score = _score(record.cvss_score)
    row.cvss_severity = record.cvss_severity
    row.cwes = list(record.cwes)
    row.references = list(record.references[:MAX_REFERENCES])
    row.configurations, row.configurations_oversize = _configurations(record)
    row.sources = sorted({*row.sources, "nvd"})
    row.updated_at = now


def _is_newer(record: CveRecord, row: Vulnerability) -> bool:
    if row.last_modified is None:
        return True  # a row known only from KEV, or from a record without a timestamp
    modified = _timestamp(record.last_modified)
    return modified is not None and modified > row.last_modified


def _batches(records: Iterable[CveRecord]) -> Iterator[list[CveRecord]]:
    iterator = iter(records)
    while batch := list(islice(iterator, BATCH)):
        yield batch


@transaction.atomic
def _upsert_batch(batch: list[CveRecord], counts: _Counts) -> None:
    # A file may list a CVE twice: the newest version of it wins.
    latest: dict[str, CveRecord] = {}
    for record in batch:
        seen = latest.get(record.cve_id)
        if seen is None or (_timestamp(record.last_modified) or _EPOCH) > (_timestamp(seen.last_modified) or _EPOCH):
            latest[record.cve_id] = record
    counts.unchanged += len(batch) - len(latest)
    existing = Vulnerability.objects.select_for_update().in_bulk(list(latest), field_name="cve_id")
    now = timezone.now()
    new_rows: list[Vulnerability] = []
    changed: list[Vulnerability] = []
    for cve_id, record in latest.items():
        row = existing.get(cve_id)
        if row is None:
            row = Vulnerability(cve_id=cve_id, sources=[])
            _apply_nvd(row, record, now)
            new_rows.append(row)
        elif _is_newer(record, row):
            _apply_nvd(row, record, now)
            changed.append(row)
        else:
            counts.unchanged += 1
    # ignore_conflicts: a concurrent import may have created the same CVE since the lookup above.
    Vulnerability.objects.bulk_create(new_rows, batch_size=BATCH, ignore_conflicts=True)
    Vulnerability.objects.bulk_update(changed, _NVD_FIELDS, batch_size=BATCH)
    _index_products([*new_rows, *changed])
    counts.created += len(new_rows)
    counts.updated += len(changed)


def _pairs(configurations: list[Any]) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for configuration in configurations:
        for node in configuration["nodes"]:
            for match in node["m"]:
                fields = cpe.parse(match["c"])
                pairs.add((fields.vendor, fields.product))
    return pairs


def _index_products(rows: list[Vulnerability]) -> None:
    """Rebuild the (vendor, product) index of these records, which match runs load records by."""
    if not rows:
        return
    ids = dict(Vulnerability.objects.filter(cve_id__in=[r.cve_id for r in rows]).values_list("cve_id", "id"))
    VulnerabilityProduct.objects.filter(vulnerability_id__in=list(ids.values())).delete()
    products = [
        VulnerabilityProduct(
            vulnerability_id=ids[row.cve_id],
            vendor=vendor[:200],
            product=product[:200],
            product_key=product_key(product),
        )
        for row in rows
        if row.cve_id in ids
        for vendor, product in sorted(_pairs(row.configurations))
    ]
    VulnerabilityProduct.objects.bulk_create(products, batch_size=BATCH)


def _start(source: FeedSource, file_name: str, actor: User | None) -> FeedImport:
    return FeedImport.objects.create(source=source, started_at=timezone.now(), file_name=file_name[-255:], actor=actor)


def _finish(feed_import: FeedImport, counts: _Counts, *, ok: bool, message: str, actor: User | None) -> FeedImport:
    feed_import.finished_at = timezone.now()
    feed_import.ok = ok
    feed_import.records_read = counts.read
    feed_import.created = counts.created
    feed_import.updated = counts.updated
    feed_import.unchanged = counts.unchanged
    feed_import.skipped = counts.skipped
    feed_import.message = message[:MAX_MESSAGE]
    feed_import.save()
    audit_record(
        acting_user=actor,
        action="advisories.import",
        target=feed_import,
        changes={
            "source": feed_import.source,
            "file": feed_import.file_name,
            "ok": ok,
            "created": counts.created,
            "updated": counts.updated,
            "unchanged": counts.unchanged,
            "skipped": counts.skipped,
        },
    )
    return feed_import


def _nvd_message(stats: nvd.ParseStats, counts: _Counts) -> tuple[bool, str]:
    broken = [w for w in stats.warnings if w.startswith("file ends in invalid data")]
    if stats.records == 0:
        detail = f" ({stats.warnings[0]})" if stats.warnings else ""
        return False, f"Tệp không phải dữ liệu CVE NVD 2.0: không đọc được bản ghi CVE nào{detail}."
    summary = (
        f"Đã đọc {counts.read} bản ghi: {counts.created} mới, {counts.updated} cập nhật, "
        f"{counts.unchanged} không đổi, {counts.skipped} bỏ qua."
    )
    if broken:
        return False, f"Tệp bị hỏng hoặc bị cắt giữa chừng; các bản ghi đọc được trước đó đã được nhập. {summary}"
    if stats.warnings:
        summary += " Bản ghi bị bỏ qua đầu tiên: " + stats.warnings[0]
    return True, summary


def import_nvd_file(
    *,
    path: str | os.PathLike[str],
    actor: User | None = None,
    progress: Progress | None = None,
    file_name: str = "",
) -> FeedImport:
    """Import an NVD CVE API 2.0 JSON file (API response or yearly feed, plain or gzip), in batches.

    New CVEs are created, CVEs whose ``lastModified`` is newer than the stored one are replaced (the
    KEV fields are kept), the rest count as unchanged. Rejected CVEs are stored with status Rejected.
    Each batch commits on its own, so a file that breaks off keeps the records read before the break.
    """
    feed_import = _start(FeedSource.NVD_FILE, file_name or Path(path).name, actor)
    counts = _Counts()
    stats = nvd.ParseStats()
    try:
        for batch in _batches(nvd.iter_file(path, stats=stats)):
            counts.read += len(batch)
            _upsert_batch(batch, counts)
            if progress is not None:
                progress(counts.read)
    except OSError as exc:
        counts.skipped = stats.skipped
        return _finish(
            feed_import, counts, ok=False, message=f"Không đọc được tệp: {exc.strerror or exc}.", actor=actor
        )
    counts.skipped = stats.skipped
    ok, message = _nvd_message(stats, counts)
    return _finish(feed_import, counts, ok=ok, message=message, actor=actor)


def _kev_values(entry: KevEntry | None) -> dict[str, object]:
    if entry is None:
        return {
            "in_kev": False,
            "kev_date_added": None,
            "kev_due_date": None,
            "kev_required_action": "",
            "kev_ransomware": False,
        }
    return {
        "in_kev": True,
        "kev_date_added": entry.date_added,
        "kev_due_date": entry.due_date,
        "kev_required_action": entry.required_action[:MAX_DESCRIPTION],
        "kev_ransomware": entry.known_ransomware,
    }


def _set_kev(row: Vulnerability, entry: KevEntry | None, now: datetime) -> bool:
    values = _kev_values(entry)
    if all(getattr(row, name) == value for name, value in values.items()):
        return False
    for name, value in values.items():
        setattr(row, name, value)
    if entry is not None and "kev" not in row.sources:
        row.sources = sorted({*row.sources, "kev"})
    row.updated_at = now
    return True


@transaction.atomic
def _apply_kev(entries: dict[str, KevEntry], counts: _Counts) -> None:
    now = timezone.now()
    # Every row the catalogue lists, and every row flagged by an earlier catalogue (to clear it).
    rows = {
        row.cve_id: row for row in Vulnerability.objects.select_for_update().filter(cve_id__in=list(entries)).iterator()
    }
    rows.update(
        (row.cve_id, row)
        for row in Vulnerability.objects.select_for_update().filter(in_kev=True).exclude(cve_id__in=list(entries))
    )
    changed = [row for cve_id, row in rows.items() if _set_kev(row, entries.get(cve_id), now)]
    new_rows: list[Vulnerability] = []
    for cve_id, entry in entries.items():
        if cve_id in rows:
            continue
        # Known from KEV only: a minimal record until the NVD feed brings the rest.
        row = Vulnerability(cve_id=cve_id, description=entry.short_description[:MAX_DESCRIPTION], sources=[])
        _set_kev(row, entry, now)
        new_rows.append(row)
    Vulnerability.objects.bulk_create(new_rows, batch_size=BATCH, ignore_conflicts=True)
    Vulnerability.objects.bulk_update(changed, [*_KEV_FIELDS, "sources", "updated_at"], batch_size=BATCH)
    counts.created = len(new_rows)
    counts.updated = len(changed)
    counts.unchanged = len(entries) - counts.created - sum(1 for row in changed if row.cve_id in entries)


def import_kev_file(
    *,
    path_or_bytes: str | os.PathLike[str] | bytes,
    actor: User | None = None,
    file_name: str = "",
    source: FeedSource = FeedSource.KEV_FILE,
) -> FeedImport:
    """Import the CISA KEV catalogue: flag the CVEs it lists, clear the flag of those it no longer lists.

    A CVE the catalogue lists but no NVD import has brought yet gets a minimal record.
    """
    if not file_name:
        file_name = "" if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).name
    feed_import = _start(source, file_name, actor)
    counts = _Counts()
    try:
        entries = kev.load(path_or_bytes)
    except OSError as exc:
        message = f"Không đọc được tệp: {exc.strerror or exc}."
        return _finish(feed_import, counts, ok=False, message=message, actor=actor)
    except ValueError as exc:
        message = f"Tệp không phải danh mục KEV của CISA: {str(exc)[:300]}."
        return _finish(feed_import, counts, ok=False, message=message, actor=actor)
    counts.read = len(entries)
    _apply_kev(entries, counts)
    message = (
        f"Đã đọc {counts.read} CVE trong danh mục KEV: {counts.created} mới, {counts.updated} cập nhật, "
        f"{counts.unchanged} không đổi."
    )
    return _finish(feed_import, counts, ok=True, message=message, actor=actor)
