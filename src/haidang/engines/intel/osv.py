"""OSV (Open Source Vulnerabilities) JSON advisories: GitHub, PyPI, npm, Maven, Go, … databases."""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from haidang.engines.common.types import MIB

logger = logging.getLogger(__name__)

MAX_FILE_BYTES = 8 * MIB
MAX_TEXT = 64 * 1024
MAX_ITEMS = 10_000  # affected packages, ranges, events or versions in one advisory
CVE_ID = re.compile(r"CVE-[0-9]{4}-[0-9]{4,19}", re.ASCII)
EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")


@dataclass(frozen=True, slots=True)
class OsvRange:
    type: str  # "SEMVER" | "ECOSYSTEM" | "GIT"
    events: tuple[tuple[str, str], ...]  # ("introduced" | "fixed" | "last_affected" | "limit", version)


@dataclass(frozen=True, slots=True)
class OsvAffected:
    ecosystem: str
    name: str
    ranges: tuple[OsvRange, ...] = ()
    versions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class OsvAdvisory:
    id: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    details: str = ""
    published: str = ""
    modified: str = ""
    withdrawn: str = ""
    affected: tuple[OsvAffected, ...] = ()


def _text(value: object, limit: int = MAX_TEXT) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _list(value: object) -> list[Any]:
    return value[:MAX_ITEMS] if isinstance(value, list) else []


def _range(item: object) -> OsvRange | None:
    if not isinstance(item, dict):
        return None
    events = []
    for event in _list(item.get("events")):
        if isinstance(event, dict) and len(event) == 1:
            ((kind, version),) = event.items()
            if kind in EVENT_KINDS and isinstance(version, str) and version:
                events.append((kind, version[:200]))
    return OsvRange(type=_text(item.get("type"), 20), events=tuple(events))


def _affected(item: object) -> OsvAffected | None:
    if not isinstance(item, dict):
        return None
    package = item.get("package")
    package = package if isinstance(package, dict) else {}
    ranges = (_range(r) for r in _list(item.get("ranges")))
    return OsvAffected(
        ecosystem=_text(package.get("ecosystem"), 100),
        name=_text(package.get("name"), 500),
        ranges=tuple(r for r in ranges if r is not None),
        versions=tuple(v[:200] for v in _list(item.get("versions")) if isinstance(v, str)),
    )


def parse(obj: Mapping[str, Any]) -> OsvAdvisory:
    """The :class:`OsvAdvisory` of one OSV record; raises ValueError when ``obj`` has no string ``id``."""
    if not isinstance(obj, Mapping) or not isinstance(obj.get("id"), str) or not obj["id"]:
        raise ValueError("not an OSV record: no 'id'")
    affected = (_affected(a) for a in _list(obj.get("affected")))
    return OsvAdvisory(
        id=obj["id"][:200],
        aliases=tuple(a[:200] for a in _list(obj.get("aliases")) if isinstance(a, str)),
        summary=_text(obj.get("summary"), 1000).strip(),
        details=_text(obj.get("details")).strip(),
        published=_text(obj.get("published"), 64),
        modified=_text(obj.get("modified"), 64),
        withdrawn=_text(obj.get("withdrawn"), 64),
        affected=tuple(a for a in affected if a is not None),
    )


def cve_ids(advisory: OsvAdvisory) -> tuple[str, ...]:
    """The CVE ids an advisory is (its own id, for a CVE-… record) or aliases, de-duplicated in order."""
    found = (name.upper() for name in (advisory.id, *advisory.aliases))
    return tuple(dict.fromkeys(name for name in found if CVE_ID.fullmatch(name)))


def _load(path: str | os.PathLike[str]) -> object:
    with open(path, "rb") as handle:
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise ValueError(f"larger than {MAX_FILE_BYTES} bytes")
    return json.loads(raw)


def iter_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[OsvAdvisory]:
    """The advisories of OSV JSON files (one record, or a list of records, per file).

    A file that is unreadable, too large or not OSV is skipped with a logged warning.
    """
    for path in paths:
        try:
            data = _load(path)
        except (OSError, ValueError, RecursionError) as exc:
            logger.warning("OSV file %s skipped: %s", os.fspath(path)[:300], str(exc)[:200])
            continue
        for obj in data if isinstance(data, list) else [data]:
            try:
                yield parse(obj)
            except ValueError as exc:
                logger.warning("OSV record in %s skipped: %s", os.fspath(path)[:300], exc)
