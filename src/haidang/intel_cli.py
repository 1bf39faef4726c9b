"""`haidang advisories match`: which units' systems a set of CVE records affects (no Django, no database).

Contract (other tools depend on it):
    haidang advisories match --nvd FILE [--nvd FILE ...] --kev FILE --inventory FILE --format json
stdout is one JSON object {"matches": [{"unit", "system", "cve", "kev"}, ...], "review": [{"unit",
"system", "vendor", "product", "version", "reason", "cve"?, "candidates"?}, ...]}; exit status 0 when the
match ran, 2 for a usage error or a file that cannot be used (message on stderr, in Vietnamese).
"""

from __future__ import annotations

import gc
import json
import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from haidang.engines.intel import kev as kev_feed
from haidang.engines.intel import nvd
from haidang.engines.intel.inventory import InventoryError, read_inventory
from haidang.engines.intel.match import Matcher, MatchReport, Reason, ReviewItem
from haidang.engines.intel.products import CatalogueError, Resolver
from haidang.engines.intel.types import CveRecord, InventoryRow

MAX_INVENTORY_BYTES = 64 * 1024 * 1024
MAX_TABLE_REVIEW = 300  # the table is for people; the full list is in --format json

REASONS_VI = {
    Reason.AMBIGUOUS_PRODUCT: "tên sản phẩm chưa rõ / ambiguous product",
    Reason.UNKNOWN_PRODUCT: "không nhận ra sản phẩm / unknown product",
    Reason.AWAITING_ANALYSIS: "CVE chưa được NVD phân tích / awaiting analysis",
    Reason.NEEDS_PLATFORM: "cần biết nền tảng chạy / needs platform",
    Reason.UNPARSEABLE_VERSION: "phiên bản không đọc được / unparseable version",
}

err = Console(stderr=True, highlight=False, soft_wrap=True)


class _FileError(Exception):
    """A file named on the command line cannot be used; the message is for the user."""


def _fail(message: str) -> typer.Exit:
    err.print(Text("Lỗi: ", style="bold red") + Text(message))
    return typer.Exit(2)


def _check_file(path: Path, option: str) -> None:
    if not path.exists():
        raise _fail(f"{option}: không tìm thấy tệp {path}.")
    if not path.is_file():
        raise _fail(f"{option}: {path} không phải là tệp.")


def _records(paths: list[Path], stats: list[nvd.ParseStats], matcher: Matcher) -> Iterator[CveRecord]:
    for path in paths:
        file_stats = nvd.ParseStats()
        stats.append(file_stats)
        try:
            yield from nvd.iter_file(path, stats=file_stats, keep=matcher.screen, take=matcher.add_raw)
        except OSError as exc:
            raise _FileError(f"--nvd: không đọc được {path}: {exc.strerror or exc}") from None
        if file_stats.records == 0 and file_stats.skipped:
            reason = file_stats.warnings[0].splitlines()[0] if file_stats.warnings else ""
            raise _FileError(f"--nvd: {path} không phải tệp JSON NVD CVE API 2.0 hợp lệ ({reason}).")


def report_json(report: MatchReport) -> dict[str, Any]:
    return {
        "matches": [{"unit": m.unit, "system": m.system, "cve": m.cve, "kev": m.kev} for m in report.matches],
        "review": [_review_json(item) for item in report.review],
    }


def write_json(report: MatchReport, out: TextIO) -> None:
    """``json.dumps(report_json(report), ensure_ascii=False)`` and a newline, the same text, written item by item:
    the whole document as dicts and one string would be the run's peak memory (100,000s of review items)."""
    out.write('{"matches": [')
    for n, m in enumerate(report.matches):
        entry = {"unit": m.unit, "system": m.system, "cve": m.cve, "kev": m.kev}
        out.write((", " if n else "") + json.dumps(entry, ensure_ascii=False))
    out.write('], "review": [')
    for n, item in enumerate(report.review):
        out.write((", " if n else "") + json.dumps(_review_json(item), ensure_ascii=False))
    out.write("]}\n")


def _review_json(item: ReviewItem) -> dict[str, Any]:
    body: dict[str, Any] = {
        "unit": item.unit,
        "system": item.system,
        "vendor": item.vendor,
        "product": item.product,
        "version": item.version,
        "reason": item.reason.value,
    }
    if item.cve:
        body["cve"] = item.cve
    if item.candidates:
        body["candidates"] = list(item.candidates)
    return body


def _table(report: MatchReport, console: Console) -> None:
    matches = Table(title="Hệ thống bị ảnh hưởng / Affected systems", header_style="bold", expand=True)
    for column in ("Đơn vị / Unit", "Hệ thống / System", "CVE", "KEV"):
        matches.add_column(column, overflow="fold")
    for match in report.matches:
        kev = Text("CÓ / YES", style="bold red") if match.kev else Text("")
        matches.add_row(Text(match.unit), Text(match.system), Text(match.cve), kev)
    console.print(matches)
    if report.review:
        counts: dict[str, int] = {}
        for item in report.review:
            counts[REASONS_VI[item.reason]] = counts.get(REASONS_VI[item.reason], 0) + 1
        console.print(Text("Cần xem xét / Needs review: " + "; ".join(f"{k}: {v}" for k, v in sorted(counts.items()))))
        title = "Cần xem xét / Needs review"
        if len(report.review) > MAX_TABLE_REVIEW:
            title += f" ({MAX_TABLE_REVIEW} mục đầu; dùng --format json để xem tất cả / first rows only)"
        review = Table(title=title, header_style="bold", expand=True)
        for column in ("Đơn vị / Unit", "Hệ thống / System", "Sản phẩm / Product", "Lý do / Reason", "CVE"):
            review.add_column(column, overflow="fold")
        for item in report.review[:MAX_TABLE_REVIEW]:
            product = " ".join(part for part in (item.vendor, item.product, item.version) if part)
            reason = REASONS_VI[item.reason]
            if item.candidates:
                reason += ": " + "; ".join(item.candidates)
            review.add_row(Text(item.unit), Text(item.system), Text(product), Text(reason), Text(item.cve))
        console.print(review)
    stats = report.stats
    kev_count = sum(m.kev for m in report.matches)
    console.print(
        f"Tổng / Total: {len(report.matches)} cặp hệ thống–CVE ({kev_count} trong KEV), {len(report.review)} mục "
        f"cần xem xét; đã đọc {stats.records} bản ghi CVE, {stats.rows} dòng kiểm kê "
        f"(danh mục bí danh {stats.catalogue_version})."
    )


def match(
    nvd_files: Annotated[
        list[Path],
        typer.Option("--nvd", help="Tệp JSON NVD CVE API 2.0 (có thể .gz); lặp lại cho nhiều tệp. / NVD 2.0 file."),
    ],
    inventory: Annotated[
        Path, typer.Option("--inventory", help="CSV kiểm kê: unit,system,vendor,product,version,cpe.")
    ],
    kev: Annotated[Path | None, typer.Option("--kev", help="Danh mục CISA KEV (JSON). / CISA KEV catalog.")] = None,
    output_format: Annotated[str, typer.Option("--format", help="table (mặc định) hoặc json.")] = "table",
) -> None:
    """Đối chiếu bản ghi CVE (NVD) với danh mục phần mềm của các đơn vị. / Match CVEs against the inventory."""
    if output_format not in {"table", "json"}:
        raise _fail("--format chỉ nhận table hoặc json.")
    for path in nvd_files:
        _check_file(path, "--nvd")
    _check_file(inventory, "--inventory")
    try:
        rows = read_inventory(_read_inventory_bytes(inventory))
    except InventoryError as exc:
        raise _fail(f"--inventory: {exc}") from None
    catalog = _kev_catalog(kev)
    try:
        resolver = Resolver()
    except CatalogueError as exc:  # pragma: no cover - the shipped catalogue is tested
        raise _fail(str(exc)) from None
    stats: list[nvd.ParseStats] = []
    # The parser logs every skipped record; the command sums them up once instead.
    parser_log = logging.getLogger(nvd.__name__)
    level = parser_log.level
    parser_log.setLevel(logging.ERROR)
    # What the matcher keeps from a full NVD corpus is millions of small acyclic objects: the cycle
    # collector would walk them again and again (a quarter of the run) and free nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        report = _match_files(nvd_files, rows, catalog, resolver, stats)
    except _FileError as exc:
        raise _fail(str(exc)) from None
    finally:
        parser_log.setLevel(level)
        if collecting:
            gc.enable()
    skipped = sum(s.skipped for s in stats)
    if skipped:
        first = next((w.splitlines()[0] for s in stats for w in s.warnings), "")
        err.print(Text(f"Cảnh báo: bỏ qua {skipped} bản ghi NVD không đọc được ({first})."))
    if output_format == "json":
        write_json(report, sys.stdout)
        return
    _table(report, Console(highlight=False))


def _match_files(
    paths: list[Path],
    rows: list[InventoryRow],
    catalog: dict[str, object],
    resolver: Resolver,
    stats: list[nvd.ParseStats],
) -> MatchReport:
    """The report of the files; the matcher (what it kept of the records) is freed before the output is written."""
    matcher = Matcher(rows, catalog, resolver=resolver)
    for record in _records(paths, stats, matcher):
        matcher.add(record)
    return matcher.report()


def _kev_catalog(path: Path | None) -> dict[str, object]:
    if path is None:
        return {}
    _check_file(path, "--kev")
    try:
        return dict(kev_feed.load(path))
    except (ValueError, OSError) as exc:
        raise _fail(f"--kev: {path} không phải danh mục CISA KEV hợp lệ ({exc}).") from None


def _read_inventory_bytes(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_INVENTORY_BYTES + 1)
    except OSError as exc:
        raise _fail(f"--inventory: không đọc được {path}: {exc.strerror or exc}") from None
    if len(data) > MAX_INVENTORY_BYTES:
        raise _fail(f"--inventory: tệp lớn hơn {MAX_INVENTORY_BYTES // (1024 * 1024)} MB.")
    return data
