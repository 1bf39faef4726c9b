"""NVD CVE API 2.0 JSON: one record, a whole (possibly gzip-compressed) file, and the paged API.

Everything here reads hostile input. ``parse_cve`` raises only :class:`NvdFormatError` (a ValueError)
for an element that is not a CVE record; ``iter_file`` streams a file of any size with memory bounded
by :data:`MAX_RECORD_BYTES` per record, skipping and counting what it cannot use, and never raises for
the file's content; :class:`NvdClient` pages the API through :class:`haidang.engines.common.Fetcher`
within NVD's published rate limits.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import logging
import math
import os
import re
import time
import zlib
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any
from urllib.parse import urlencode

import ijson  # type: ignore[import-untyped]

from haidang.engines.common import Fetcher, FetchLimits, FetchResult
from haidang.engines.common.types import MIB
from haidang.engines.intel import cpe, jsonstream
from haidang.engines.intel.types import ANY, Configuration, CpeMatch, CpeName, CveRecord, Node

logger = logging.getLogger(__name__)

MAX_RECORD_BYTES = 16 * MIB  # the largest real records (CPU side channels) are a few MB of cpeMatch
MAX_TEXT = 64 * 1024
MAX_REFERENCES = 500
MAX_WARNINGS_KEPT = 100
CVE_ID = re.compile(r"CVE-[0-9]{4}-[0-9]{4,19}", re.ASCII)
_CWE = re.compile(r"CWE-[0-9]{1,6}", re.ASCII)
_SEVERITIES = frozenset({"CRITICAL", "HIGH", "MEDIUM", "LOW", "NONE"})
# Tie-break between equal scores: the order types.CveRecord documents.
_METRIC_KEYS = ("cvssMetricV31", "cvssMetricV30", "cvssMetricV40", "cvssMetricV2")
_FS_PREFIX = "cpe:2.3:"
_PARTS = frozenset({"a", "o", "h", ANY})
_RANGE_KEYS = (
    ("versionStartIncluding", "version_start_including"),
    ("versionStartExcluding", "version_start_excluding"),
    ("versionEndIncluding", "version_end_including"),
    ("versionEndExcluding", "version_end_excluding"),
)


class NvdFormatError(ValueError):
    """The data is not an NVD CVE API 2.0 record (or response)."""


# --------------------------------------------------------------------------------------------- records


def _parse_cpe(text: str) -> CpeName:
    try:
        return _criteria(text)
    except ValueError as exc:
        raise NvdFormatError(f"criteria is not a CPE name: {str(exc)[:200]}") from None


@lru_cache(maxsize=1 << 15)
def _criteria(text: str) -> CpeName:
    """``cpe.parse(text)``; quicker for the usual criteria, and one CpeName shared by the records that repeat it.

    Without a backslash, splitting at ``:`` is what cpe's quoting-aware split gives; anything else (and every
    error, for its message) goes through :func:`cpe.parse`.
    """
    if "\\" not in text and text.startswith(_FS_PREFIX) and text == text.strip():
        fields = text.split(":")
        if len(fields) == 13:
            try:
                values = [_canonical(value) for value in fields[2:]]
            except ValueError:
                return cpe.parse(text)
            if values[0] in _PARTS:
                return CpeName(*values)
    return cpe.parse(text)


@lru_cache(maxsize=1 << 16)
def _canonical(value: str) -> str:
    return cpe.canonical_value(value)


def _text(value: object, limit: int = MAX_TEXT) -> str:
    return value[:limit] if isinstance(value, str) else ""


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _english(descriptions: object) -> str:
    texts = [d for d in _list(descriptions) if isinstance(d, dict)]
    chosen = next((d for d in texts if d.get("lang") == "en"), texts[0] if texts else {})
    return _text(chosen.get("value")).strip()


def _score(metric: object) -> tuple[float, str, bool] | None:
    """``(base score, severity, is Primary)`` of one cvssMetric entry, or None when unusable."""
    if not isinstance(metric, dict) or not isinstance(metric.get("cvssData"), dict):
        return None
    data = metric["cvssData"]
    score = data.get("baseScore")
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 10:
        return None
    # v3/v4 keep the severity in cvssData, v2 beside it.
    severity = data.get("baseSeverity") or metric.get("baseSeverity")
    severity = severity.upper() if isinstance(severity, str) and severity.upper() in _SEVERITIES else ""
    return float(score), severity, metric.get("type") == "Primary"


def _cvss(metrics: object) -> tuple[float | None, str]:
    if not isinstance(metrics, dict):
        return None, ""
    found: list[tuple[float, int, str, bool]] = []
    for rank, key in enumerate(_METRIC_KEYS):
        for metric in _list(metrics.get(key)):
            scored = _score(metric)
            if scored is not None:
                found.append((scored[0], -rank, scored[1], scored[2]))
    # NVD's own (Primary) assessment wins over a CNA's (Secondary) whatever the scores.
    candidates = [f for f in found if f[3]] or found
    if not candidates:
        return None, ""
    score, _, severity, _ = max(candidates, key=lambda f: (f[0], f[1]))
    return score, severity


def _cwes(weaknesses: object) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for weakness in _list(weaknesses):
        for description in _list(weakness.get("description") if isinstance(weakness, dict) else None):
            value = description.get("value") if isinstance(description, dict) else None
            if isinstance(value, str) and _CWE.fullmatch(value):
                found[value] = None
    return tuple(found)


def _references(references: object) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for reference in _list(references)[:MAX_REFERENCES]:
        url = reference.get("url") if isinstance(reference, dict) else None
        if isinstance(url, str) and 0 < len(url) <= 2048:
            found[url] = None
    return tuple(found)


def _cpe_match(match: object) -> CpeMatch:
    if not isinstance(match, dict) or not isinstance(match.get("criteria"), str):
        raise NvdFormatError("cpeMatch without criteria")
    bounds: list[str | None] = []
    for key, _name in _RANGE_KEYS:
        value = match.get(key)
        if isinstance(value, str) and value and len(value) <= 200:
            bounds.append(value)
        elif value is None:
            bounds.append(None)
        else:
            raise NvdFormatError(f"cpeMatch {key} is not a version")
    return _shared_match(match["criteria"][:1000], match.get("vulnerable") is True, tuple(bounds))


@lru_cache(maxsize=1 << 15)
def _shared_match(criteria: str, vulnerable: bool, bounds: tuple[str | None, ...]) -> CpeMatch:
    """One CpeMatch for the records that repeat it (NVD shares match criteria between CVEs)."""
    start_including, start_excluding, end_including, end_excluding = bounds
    return CpeMatch(
        criteria=_parse_cpe(criteria),
        vulnerable=vulnerable,
        version_start_including=start_including,
        version_start_excluding=start_excluding,
        version_end_including=end_including,
        version_end_excluding=end_excluding,
    )


def _node(node: object) -> Node:
    if not isinstance(node, dict):
        raise NvdFormatError("node is not an object")
    operator = node.get("operator", "OR")
    if operator not in ("OR", "AND"):
        raise NvdFormatError("node operator is neither OR nor AND")
    return Node(
        operator=operator,
        negate=node.get("negate") is True,
        matches=tuple(_cpe_match(m) for m in _list(node.get("cpeMatch"))),
    )


def _configuration(configuration: object) -> Configuration:
    if not isinstance(configuration, dict):
        raise NvdFormatError("configuration is not an object")
    operator = configuration.get("operator", "OR")
    if operator not in ("OR", "AND"):
        raise NvdFormatError("configuration operator is neither OR nor AND")
    return Configuration(
        nodes=tuple(_node(n) for n in _list(configuration.get("nodes"))),
        operator=operator,
        negate=configuration.get("negate") is True,
    )


def _configurations(configurations: object) -> tuple[Configuration, ...]:
    parsed: list[Configuration] = []
    for configuration in _list(configurations):
        try:
            parsed.append(_configuration(configuration))
        except NvdFormatError as exc:
            # A configuration with one unreadable part is dropped whole: matching half of an AND or a
            # range without its bound would report systems that are not affected.
            logger.warning("NVD configuration dropped: %s", exc)
    return tuple(parsed)


def parse_cve(item: Mapping[str, Any]) -> CveRecord:
    """The :class:`CveRecord` of one ``vulnerabilities[].cve`` object of an NVD 2.0 response or feed.

    Unknown or ill-typed fields are ignored; a configuration that cannot be read whole is dropped (and
    logged). Raises :class:`NvdFormatError` when ``item`` has no valid CVE id.
    """
    if not isinstance(item, Mapping):
        raise NvdFormatError("element has no 'cve' object")
    cve_id = item.get("id")
    if not isinstance(cve_id, str) or not CVE_ID.fullmatch(cve_id):
        raise NvdFormatError("CVE record has no valid id")
    score, severity = _cvss(item.get("metrics"))
    return CveRecord(
        cve_id=cve_id,
        status=_text(item.get("vulnStatus"), 100),
        published=_text(item.get("published"), 64),
        last_modified=_text(item.get("lastModified"), 64),
        description=_english(item.get("descriptions")),
        cvss_score=score,
        cvss_severity=severity,
        cwes=_cwes(item.get("weaknesses")),
        references=_references(item.get("references")),
        configurations=_configurations(item.get("configurations")),
    )


#: Criteria that :func:`_criteria` reads by splitting at ``:`` and whose values are already canonical
#: (lower-case, nothing quoted, no wildcard but a lone ``*``): the value of each field is its text.
PLAIN_CRITERIA = re.compile(r"cpe:2\.3:[aoh*](?::(?:\*|[a-z0-9._\-]+)){10}")


def plain_head(item: Mapping[str, Any]) -> tuple[str, str, str, str] | None:
    """``(cve id, vulnStatus, lastModified, description)`` of a raw ``cve`` object, as :func:`parse_cve` reads
    them; None when it has no valid id (:func:`parse_cve` would refuse it)."""
    cve_id = item.get("id")
    if not isinstance(cve_id, str) or not CVE_ID.fullmatch(cve_id):
        return None
    status = _text(item.get("vulnStatus"), 100)
    return cve_id, status, _text(item.get("lastModified"), 64), _english(item.get("descriptions"))


def plain_bounds(match: Mapping[str, Any]) -> tuple[str | None, ...] | None:
    """The range bounds of a raw cpeMatch as :func:`_cpe_match` reads them; None when it would refuse them."""
    get = match.get  # _RANGE_KEYS' order, spelled out: this runs for every cpeMatch of a relevant record
    bounds = (
        get("versionStartIncluding"),
        get("versionStartExcluding"),
        get("versionEndIncluding"),
        get("versionEndExcluding"),
    )
    for value in bounds:
        if value is not None and not (isinstance(value, str) and 0 < len(value) <= 200):
            return None
    return bounds


def vulnerable_match(criteria: str, bounds: tuple[str | None, ...]) -> CpeMatch:
    """The CpeMatch :func:`parse_cve` builds for a vulnerable cpeMatch with these (valid) criteria and bounds."""
    return _shared_match(criteria, True, bounds)


def configurations_from_json(data: bytes) -> tuple[Configuration, ...]:
    """The configurations of a record from the JSON text of its raw ``configurations`` array."""
    return _configurations(json.loads(data))


def configurations_from_raw(configurations: object) -> tuple[Configuration, ...]:
    """The configurations of a record from its raw ``configurations`` array (as :func:`parse_cve` reads it)."""
    return _configurations(configurations)


# ----------------------------------------------------------------------------------------------- files


@dataclass
class ParseStats:
    """What a parse read and what it had to skip; ``warnings`` keeps the first few reasons."""

    records: int = 0
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.skipped += 1
        if len(self.warnings) < MAX_WARNINGS_KEPT:
            self.warnings.append(message)
        logger.warning("NVD: %s", message)


_SCALAR_EVENTS = frozenset({"null", "boolean", "integer", "double", "number", "string"})
_BROKEN_FILE = (ijson.JSONError, ValueError, EOFError, gzip.BadGzipFile, zlib.error)


class RecordTooLargeError(Exception):
    """The element being parsed grew past the per-record budget."""


class _MeteredReader:
    """A binary file that refuses to hand out more than ``budget`` bytes since the last ``reset``."""

    def __init__(self, raw: io.BufferedIOBase, budget: int) -> None:
        self._raw = raw
        self._budget = budget
        self.since_reset = 0

    def reset(self) -> None:
        self.since_reset = 0

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        self.since_reset += len(data)
        if self.since_reset > self._budget:
            raise RecordTooLargeError
        return data


def _open(path: str | os.PathLike[str]) -> io.BufferedIOBase:
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    if raw.read(2) == b"\x1f\x8b":
        raw.seek(0)
        return gzip.GzipFile(fileobj=raw, mode="rb")
    raw.seek(0)
    return raw


#: A caller's screen over the raw ``cve`` object of each element: False skips it.
Keep = Callable[[Mapping[str, Any]], bool]


def _from_element(
    element: object, stats: ParseStats, keep: Keep | None = None, take: Keep | None = None
) -> CveRecord | None:
    if (keep is not None or take is not None) and isinstance(element, dict):
        cve = element.get("cve")
        if isinstance(cve, dict):
            if keep is not None and not keep(cve):
                return None  # screened out by the caller before the (costly) record is built
            if take is not None and take(cve):
                stats.records += 1  # the caller used the raw record itself
                return None
    try:
        record = parse_cve(element.get("cve") if isinstance(element, dict) else None)  # type: ignore[arg-type]
    except (NvdFormatError, RecursionError) as exc:
        stats.warn(f"record {stats.records + stats.skipped + 1} skipped: {str(exc)[:200]}")
        return None
    stats.records += 1
    return record


def _fast_elements(path: str | os.PathLike[str], budget: int) -> Iterator[object]:
    """Every ``vulnerabilities[]`` element, built by ijson's C backend; raises RecordTooLargeError."""
    with _open(path) as handle:
        reader = _MeteredReader(handle, budget)
        for element in ijson.items(reader, "vulnerabilities.item", use_float=True, buf_size=64 * 1024):
            reader.reset()
            yield element


def _bounded_elements(path: str | os.PathLike[str], budget: int, stats: ParseStats) -> Iterator[object]:
    """The same elements from the event stream, dropping any element whose events exceed ``budget``."""
    with _open(path) as handle:
        builder: ijson.ObjectBuilder | None = None
        spent = 0
        for prefix, event, value in ijson.parse(handle, use_float=True, buf_size=64 * 1024):
            at_item = prefix == "vulnerabilities.item"
            if at_item and event in _SCALAR_EVENTS and builder is None:
                yield value  # counted like the fast path counts it, then rejected by _from_element
                continue
            if at_item and event in ("start_map", "start_array"):
                builder, spent = ijson.ObjectBuilder(), 0
            if builder is None:
                continue
            spent += 16 + (len(value) if isinstance(value, str) else 0)
            if spent > budget:
                stats.warn(f"record {stats.records + stats.skipped + 1} skipped: larger than {budget} bytes")
                builder = None
                # Skip the rest of the oversized element without keeping any of it.
                continue
            builder.event(event, value)
            if at_item and event in ("end_map", "end_array"):
                yield builder.value
                builder = None


def iter_file(
    path: str | os.PathLike[str],
    *,
    stats: ParseStats | None = None,
    max_record_bytes: int = MAX_RECORD_BYTES,
    keep: Keep | None = None,
    take: Keep | None = None,
) -> Iterator[CveRecord]:
    """Stream the :class:`CveRecord` s of an NVD 2.0 JSON file (API response or yearly feed, maybe gzip).

    Memory stays within about ``max_record_bytes`` whatever the file's size. Records that are malformed
    or larger than the budget are skipped and counted in ``stats``; a file that breaks off or stops being
    JSON ends the iteration with a warning. ``keep``, when given, sees each raw ``cve`` object first and
    can screen it out before its record is built (not counted as skipped); ``take``, when given, sees each
    raw ``cve`` object that passed ``keep`` and answers True when it has used the record itself (counted as
    read, not yielded) — it must only take records :func:`parse_cve` accepts. Raises OSError only when the
    file cannot be read.
    """
    stats = stats if stats is not None else ParseStats()
    # The standard library's scanner reads the usual file; anything it leaves (another shape, broken
    # data, an oversized record) is read again with ijson from the element where it stopped.
    done = 0
    try:
        with _open(path) as handle:
            for element in jsonstream.elements(handle, "vulnerabilities", max_record_bytes):
                record = _from_element(element, stats, keep, take)
                done += 1
                if record is not None:
                    yield record
        return
    except jsonstream.UnusualDocumentError:
        pass
    yield from _iter_ijson(path, done, max_record_bytes, stats, keep=keep, take=take)


def _iter_ijson(
    path: str | os.PathLike[str], done: int, budget: int, stats: ParseStats, *, keep: Keep | None, take: Keep | None
) -> Iterator[CveRecord]:
    """The elements after the first ``done``: ijson's C backend, then its event stream past an oversized one."""
    yielded = 0
    try:
        for element in _fast_elements(path, budget):
            yielded += 1
            if yielded <= done:
                continue
            record = _from_element(element, stats, keep, take)
            if record is not None:
                yield record
        return
    except RecordTooLargeError:
        pass  # an oversized element: start again on the slow path that can skip it
    except _BROKEN_FILE as exc:
        stats.warn(f"file ends in invalid data after {yielded} elements: {str(exc)[:200]}")
        return
    yield from _resume_bounded(path, max(yielded, done), budget, stats, keep=keep, take=take)


def _resume_bounded(
    path: str | os.PathLike[str], done: int, budget: int, stats: ParseStats, *, keep: Keep | None, take: Keep | None
) -> Iterator[CveRecord]:
    seen = 0
    try:
        for element in _bounded_elements(path, budget, stats):
            seen += 1
            if seen <= done:
                continue
            record = _from_element(element, stats, keep, take)
            if record is not None:
                yield record
    except _BROKEN_FILE as exc:
        stats.warn(f"file ends in invalid data: {str(exc)[:200]}")


# ------------------------------------------------------------------------------------------------- API

NVD_API = "https://services.nvd.nist.gov/rest/json/cves/2.0"
MAX_RANGE = timedelta(days=120)
RETRY_STATUSES = frozenset({403, 429, 503, 502, 504})
# A page of 2,000 records is tens of MB of JSON.
NVD_FETCH_LIMITS = FetchLimits(
    total_timeout=120.0, read_idle_timeout=60.0, max_body_bytes=64 * MIB, max_decompressed_bytes=256 * MIB
)


class NvdApiError(Exception):
    """The API kept failing (after retries) or answered with something that is not a CVE page."""


class SlidingWindowLimiter:
    """At most ``limit`` acquisitions in any rolling ``window`` seconds (NVD counts a rolling 30 s)."""

    def __init__(
        self,
        limit: int,
        window: float = 30.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit and window must be positive")
        self.limit, self.window = limit, window
        self._clock, self._sleep = clock, sleep
        self._times: deque[float] = deque()

    async def acquire(self) -> None:
        while True:
            now = self._clock()
            while self._times and self._times[0] <= now - self.window:
                self._times.popleft()
            if len(self._times) < self.limit:
                self._times.append(now)
                return
            await self._sleep(self._times[0] + self.window - now)


@dataclass(frozen=True, slots=True)
class NvdPage:
    """One page of the CVE API: its records, where it sits in the result set, and what was skipped."""

    start_index: int
    total_results: int
    records: tuple[CveRecord, ...]
    skipped: int = 0
    timestamp: str = ""


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def split_range(start: datetime, end: datetime, step: timedelta = MAX_RANGE) -> list[tuple[datetime, datetime]]:
    """``[start, end]`` cut into consecutive windows no longer than NVD's 120-day maximum."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("lastModified bounds must be timezone-aware")
    if end < start:
        raise ValueError("lastModified range ends before it starts")
    windows = []
    while True:
        stop = min(start + step, end)
        windows.append((start, stop))
        if stop >= end:
            return windows
        start = stop


def _page(result: FetchResult) -> NvdPage:
    try:
        data = json.loads(result.body)
    except (ValueError, RecursionError) as exc:
        raise NvdApiError(f"response is not JSON: {str(exc)[:200]}") from None
    if not isinstance(data, dict) or not isinstance(data.get("vulnerabilities"), list):
        raise NvdApiError("response is not a CVE API 2.0 page")
    total, start = data.get("totalResults"), data.get("startIndex", 0)
    if not isinstance(total, int) or not isinstance(start, int) or total < 0 or start < 0:
        raise NvdApiError("response has no valid totalResults/startIndex")
    stats = ParseStats()
    records = tuple(r for r in (_from_element(e, stats) for e in data["vulnerabilities"]) if r is not None)
    return NvdPage(start, total, records, stats.skipped, _text(data.get("timestamp"), 64))


class NvdClient:
    """The NVD CVE API 2.0, paged by ``startIndex`` within the rate limit of the key (or of no key).

    ``fetcher`` must be an entered :class:`Fetcher` (made with :data:`NVD_FETCH_LIMITS` or larger
    limits); without one, ``iter_pages`` opens its own for the duration. ``clock`` and ``sleep`` are
    the limiter's and the back-off's, replaceable in tests.
    """

    def __init__(
        self,
        api_key: str | None,
        base_url: str = NVD_API,
        *,
        fetcher: Fetcher | None = None,
        user_agent: str = "haidang-intel/1",
        max_retries: int = 5,
        backoff: float = 6.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.api_key = api_key or None
        self.base_url = base_url
        self.fetcher = fetcher
        self.user_agent = user_agent
        self.max_retries, self.backoff = max_retries, backoff
        self._sleep, self._now = sleep, now
        # NVD: 5 requests per rolling 30 s without a key, 50 with one.
        self.limiter = SlidingWindowLimiter(50 if self.api_key else 5, 30.0, clock=clock, sleep=sleep)

    async def iter_pages(
        self,
        last_mod_start: datetime | None = None,
        last_mod_end: datetime | None = None,
        results_per_page: int = 2000,
    ) -> AsyncIterator[NvdPage]:
        """Every page of CVEs (modified within the range, if given), ranges longer than 120 days split.

        Raises :class:`NvdApiError` when a request still fails after the retries.
        """
        if not 1 <= results_per_page <= 2000:
            raise ValueError("results_per_page must be between 1 and 2000")
        if last_mod_start is None and last_mod_end is not None:
            raise ValueError("last_mod_end needs last_mod_start")
        windows: list[tuple[datetime, datetime] | None] = [None]
        if last_mod_start is not None:
            windows = list(split_range(last_mod_start, last_mod_end or self._now()))
        if self.fetcher is not None:
            async for page in self._windows(self.fetcher, windows, results_per_page):
                yield page
            return
        async with Fetcher(limits=NVD_FETCH_LIMITS) as fetcher:
            async for page in self._windows(fetcher, windows, results_per_page):
                yield page

    async def _windows(
        self, fetcher: Fetcher, windows: list[tuple[datetime, datetime] | None], per_page: int
    ) -> AsyncIterator[NvdPage]:
        for window in windows:
            params: dict[str, str | int] = {"resultsPerPage": per_page}
            if window is not None:
                params |= {"lastModStartDate": _iso(window[0]), "lastModEndDate": _iso(window[1])}
            start = 0
            while True:
                page = await self._get(fetcher, {**params, "startIndex": start})
                yield page
                count = len(page.records) + page.skipped
                if not count:
                    break  # a server that stops returning records must not keep us looping
                start += count  # our own count, not the page's startIndex: a server ignoring it cannot loop us
                if start >= page.total_results:
                    break

    async def _get(self, fetcher: Fetcher, params: Mapping[str, str | int]) -> NvdPage:
        url = f"{self.base_url}?{urlencode(params)}"
        headers = {"Accept": "application/json"} | ({"apiKey": self.api_key} if self.api_key else {})
        problem = ""
        for attempt in range(self.max_retries + 1):
            if attempt:
                await self._sleep(self._delay(attempt, problem))
            await self.limiter.acquire()
            result = await fetcher.fetch(url, user_agent=self.user_agent, headers=headers)
            if result.ok and result.status == 200:
                return _page(result)
            if result.ok and result.status not in RETRY_STATUSES:
                message = (result.header("message") or "")[:200]
                raise NvdApiError(f"NVD answered HTTP {result.status} {message}".strip())
            problem = (result.header("Retry-After") or "") if result.ok else ""
            logger.warning("NVD request failed (%s), attempt %d", result.status or result.error, attempt + 1)
        raise NvdApiError(f"NVD still failing after {self.max_retries + 1} attempts")

    def _delay(self, attempt: int, retry_after: str) -> float:
        backoff = self.backoff * 2.0 ** (attempt - 1)
        try:
            asked = float(retry_after)
        except ValueError:
            return min(backoff, 300.0)
        return min(max(asked, backoff), 300.0) if math.isfinite(asked) else min(backoff, 300.0)
