"""What a site normally looks like, learned from its clean scans and kept between runs.

Only scans without a medium-or-worse finding are learned, so a site that is already compromised at
its first scan is never taught that the compromise is normal: it stays flagged until it is repaired.
Values that change every visit (dates, counters, tokens, rotating items) are kept as sets of what has
been seen, so noise that recurs stops mattering, while the last clean values of contacts are kept
separately to notice a change.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

VERSION = 1
MAX_SEGMENTS = 20_000
MAX_HOSTS = 500
MAX_PATHS = 2_000
MAX_ACCEPTED = 5_000


@dataclass
class Baseline:
    url: str
    scans: int = 0  # clean scans learned
    scans_seen: int = 0  # all scans, clean or not
    script_hosts: set[str] = field(default_factory=set)
    frame_hosts: set[str] = field(default_factory=set)
    link_hosts: set[str] = field(default_factory=set)
    redirect_hosts: set[str] = field(default_factory=set)
    own_js: dict[str, str] = field(default_factory=dict)  # URL → content hash
    own_js_urls: dict[str, list[str]] = field(default_factory=dict)  # URL → off-site URLs it referenced
    contacts: dict[str, dict[str, list[str]]] = field(default_factory=dict)  # path → kind → values
    identity: list[str] = field(default_factory=list)  # tokens present in every clean scan's identity
    elements: int = 0
    links: int = 0
    segments: set[str] = field(default_factory=set)  # hashes of text segments seen on clean scans
    paths: set[str] = field(default_factory=set)  # inner paths seen
    # Finding.stable_key() of findings a person accepted as a legitimate change: never reported again.
    accepted: set[str] = field(default_factory=set)

    @property
    def established(self) -> bool:
        return self.scans > 0

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        for name, value in data.items():
            if isinstance(value, set):
                data[name] = sorted(value)
        data["version"] = VERSION
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Baseline:
        if data.get("version") != VERSION:
            return cls(url=str(data.get("url", "")))
        kwargs = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for name in ("script_hosts", "frame_hosts", "link_hosts", "redirect_hosts", "segments", "paths", "accepted"):
            kwargs[name] = set(kwargs.get(name, []))
        return cls(**kwargs)


def accept(baseline: Baseline, finding_key: str) -> bool:
    """Accept a finding (its ``Finding.stable_key()``) as a legitimate change; False when the list is full."""
    if finding_key in baseline.accepted:
        return True
    if len(baseline.accepted) >= MAX_ACCEPTED:
        return False
    baseline.accepted.add(finding_key)
    return True


def segment_key(folded: str) -> str:
    return hashlib.blake2b(folded.encode(), digest_size=8).hexdigest()


class Store(Protocol):
    """Where baselines are kept between scans: files for the command line, the database in the platform."""

    def load(self, url: str) -> Baseline: ...

    def save(self, baseline: Baseline) -> None: ...


class BaselineStore:
    """Baselines as one JSON file per URL in a directory (the scanner's ``--state DIR``)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    def _path(self, url: str) -> Path:
        return self.directory / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".json")

    def load(self, url: str) -> Baseline:
        path = self._path(url)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return Baseline(url=url)
        return Baseline.from_json(data) if isinstance(data, dict) else Baseline(url=url)

    def save(self, baseline: Baseline) -> None:
        path = self._path(baseline.url)
        # Write-then-rename: a crash mid-write never leaves a half baseline behind.
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(baseline.to_json(), handle, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
