"""Where monitoring keeps what it learns and what it saw.

- :class:`DbBaselineStore`: the scanner's baseline ``Store`` over :class:`BaselineRecord` (zlib JSON),
  so every worker machine sees the same baseline;
- snapshots: page bodies content-addressed by SHA-256, zlib-compressed, one file per distinct content
  under ``DATA_DIR/snapshots/ab/cd/<digest>``, with a :class:`Snapshot` row describing it. The same page
  seen a thousand times is stored once.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zlib
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from haidang.apps.monitoring.models import BaselineRecord, Finding, Snapshot, WatchState
from haidang.engines.scanner.baseline import Baseline

SNAPSHOT_MAX_BYTES = 2_000_000
#: Bounds what one baseline or snapshot may decompress to (a corrupted or hostile blob stays bounded).
BASELINE_MAX_BYTES = 20_000_000
ZLIB_LEVEL = 6


def _inflate(data: bytes, limit: int) -> bytes:
    return zlib.decompressobj().decompress(data, limit)


def _decode(blob: bytes, url: str) -> Baseline:
    try:
        data = json.loads(_inflate(blob, BASELINE_MAX_BYTES))
    except (zlib.error, ValueError):
        return Baseline(url=url)
    return Baseline.from_json(data) if isinstance(data, dict) else Baseline(url=url)


class DbBaselineStore:
    """The scanner's ``Store`` protocol, backed by the database (one row per website URL).

    The scanner calls ``load``/``save`` from inside its event loop, where Django refuses database
    queries; a scan task therefore preloads the chunk's baselines, scans with ``deferred=True``
    (saves stay in memory) and flushes them afterwards. Used directly, ``save`` writes at once.
    """

    def __init__(self, *, deferred: bool = False) -> None:
        self.deferred = deferred
        self._cache: dict[str, Baseline] = {}
        self._dirty: set[str] = set()

    def preload(self, urls: Iterable[str]) -> None:
        wanted = {url[:500]: url for url in urls}
        for record in BaselineRecord.objects.filter(url__in=list(wanted)):
            self._cache[wanted[record.url]] = _decode(bytes(record.data), wanted[record.url])
        for url in wanted.values():
            self._cache.setdefault(url, Baseline(url=url))

    def load(self, url: str) -> Baseline:
        if url in self._cache:
            return self._cache[url]
        return self.load_stored(url)

    def save(self, baseline: Baseline) -> None:
        if self.deferred:
            self._cache[baseline.url] = baseline
            self._dirty.add(baseline.url)
            return
        self._write(baseline)

    def flush(self) -> None:
        """Write every deferred save, keeping changes accepted by a person meanwhile."""
        for url in sorted(self._dirty):
            baseline = self._cache[url]
            # A finding marked legitimate while the scan ran was accepted into the stored copy.
            baseline.accepted |= self.load_stored(url).accepted
            self._write(baseline)
        self._dirty.clear()

    def load_stored(self, url: str) -> Baseline:
        record = BaselineRecord.objects.filter(url=url[:500]).first()
        return Baseline(url=url) if record is None else _decode(bytes(record.data), url)

    def _write(self, baseline: Baseline) -> None:
        raw = json.dumps(baseline.to_json(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        BaselineRecord.objects.update_or_create(
            url=baseline.url[:500], defaults={"data": zlib.compress(raw, ZLIB_LEVEL)}
        )


def snapshot_path(digest: str) -> Path:
    return Path(settings.DATA_DIR) / "snapshots" / digest[:2] / digest[2:4] / digest


def snapshot_put(data: bytes, media_type: str = "text/html") -> Snapshot:
    """Store ``data`` (cut to 2 MB) once by content; return its row, existing or new."""
    data = data[:SNAPSHOT_MAX_BYTES]
    digest = hashlib.sha256(data).hexdigest()
    existing = Snapshot.objects.filter(digest=digest).first()
    path = snapshot_path(digest)
    if existing is not None and path.exists():
        return existing
    compressed = zlib.compress(data, ZLIB_LEVEL)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write-then-rename: a reader never sees half a file; two writers write the same bytes.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(compressed)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Snapshot.objects.create(
                digest=digest, size=len(data), stored_size=len(compressed), media_type=media_type[:100]
            )
    except IntegrityError:
        # Another worker stored the same content between our check and our insert.
        return Snapshot.objects.get(digest=digest)


def snapshot_bytes(snapshot: Snapshot | None, limit: int = SNAPSHOT_MAX_BYTES) -> bytes:
    """The stored content (at most ``limit`` bytes); empty when missing or unreadable."""
    if snapshot is None:
        return b""
    try:
        return _inflate(snapshot_path(snapshot.digest).read_bytes(), limit)
    except (OSError, zlib.error):
        return b""


def snapshot_text(snapshot: Snapshot | None, limit: int = 200_000) -> str:
    """The stored page as text (UTF-8, undecodable bytes replaced), at most ``limit`` characters."""
    return snapshot_bytes(snapshot, limit * 4).decode("utf-8", errors="replace")[:limit]


def snapshots_prune(*, older_than: timedelta = timedelta(days=1), now: datetime | None = None) -> int:
    """Delete snapshots nothing refers to any more (no finding, no watch's clean page); return how many.

    Only snapshots stored more than ``older_than`` ago are considered, so one a scan has just written
    and is about to link is never taken. Files go first, then rows: a crash in between leaves rows
    whose file is missing, which ``snapshot_put`` rewrites and ``snapshot_text`` reads as empty.
    """
    cutoff = (now or timezone.now()) - older_than
    referenced = (
        Q(digest__in=Finding.objects.filter(snapshot__isnull=False).values("snapshot_id"))
        | Q(digest__in=Finding.objects.filter(baseline_snapshot__isnull=False).values("baseline_snapshot_id"))
        | Q(digest__in=WatchState.objects.filter(clean_snapshot__isnull=False).values("clean_snapshot_id"))
    )
    unused = list(Snapshot.objects.filter(created_at__lt=cutoff).exclude(referenced).values_list("digest", flat=True))
    for start in range(0, len(unused), 500):
        batch = unused[start : start + 500]
        for digest in batch:
            snapshot_path(digest).unlink(missing_ok=True)
        Snapshot.objects.filter(digest__in=batch).delete()
    return len(unused)
