"""`haidang scan`: the website-integrity scanner from the command line (no Django, no database).

Contract (other tools depend on it):
    haidang scan --state DIR --format json URL [URL ...]
stdout is one JSON object {"results": [{"url", "reachable", "findings": [{kind, severity, title,
evidence}, ...]}, ...]}; exit status 0 when the scan ran.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from haidang.engines.scanner import ScanOptions, SiteResult, scan_sites
from haidang.engines.scanner.types import Severity

_COLOURS = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "dim"}
MAX_TARGETS = 10_000


def result_json(result: SiteResult) -> dict[str, Any]:
    return {
        "url": result.url,
        "reachable": result.reachable,
        "reason": result.reason,
        "flagged": result.flagged,
        "pages": result.pages,
        "baseline_scans": result.baseline_scans,
        "findings": [
            {
                "kind": f.kind,
                "severity": f.severity.value,
                "title": f.title,
                "evidence": f.evidence,
                "url": f.url,
                "probes": list(f.probes),
            }
            for f in result.findings
        ],
    }


def _targets(urls: list[str], targets: Path | None) -> list[str]:
    found = [u.strip() for u in urls if u.strip()]
    if targets is not None:
        try:
            lines = targets.read_text(encoding="utf-8-sig").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise typer.BadParameter(f"không đọc được tệp danh sách: {exc}", param_hint="--targets") from exc
        found.extend(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))
    if not found:
        raise typer.BadParameter("cần ít nhất một URL (tham số hoặc --targets).", param_hint="URL")
    if len(found) > MAX_TARGETS:
        raise typer.BadParameter(f"tối đa {MAX_TARGETS} URL mỗi lần quét.", param_hint="URL")
    return found


def _table(results: list[SiteResult], console: Console) -> None:
    for result in results:
        state = "[green]sạch / clean[/]" if not result.flagged else "[bold red]có dấu hiệu xâm phạm / compromised[/]"
        if not result.reachable:
            state = f"[bold magenta]không truy cập được / unreachable[/] ({escape(result.reason)})"
        console.print(Text(f"\n{result.url}", style="bold"), end="")
        console.print(f" — {state} — {result.pages} trang / pages")
        shown = [f for f in result.findings if f.severity != Severity.INFO]
        if not shown:
            continue
        table = Table(show_header=True, header_style="bold", expand=True)
        for column in ("Mức / Severity", "Loại / Kind", "Mô tả / Title", "Bằng chứng / Evidence"):
            table.add_column(column, overflow="fold")
        for finding in shown:
            colour = _COLOURS[finding.severity.value]
            # Evidence is attacker-controlled: printed as plain text, never interpreted as markup.
            table.add_row(
                Text(finding.severity.value, style=colour),
                Text(finding.kind),
                Text(finding.title),
                Text(finding.evidence),
            )
        console.print(table)


def scan(  # noqa: PLR0917 - Typer maps parameters to options
    urls: Annotated[list[str] | None, typer.Argument(help="Địa chỉ trang cần quét. / URLs to scan.")] = None,
    state: Annotated[
        Path | None,
        typer.Option(
            "--state", help="Thư mục lưu đường cơ sở giữa các lần quét (mặc định: HAIDANG_DATA_DIR/scan-state)."
        ),
    ] = None,
    output_format: Annotated[str, typer.Option("--format", help="table (mặc định) hoặc json.")] = "table",
    targets: Annotated[Path | None, typer.Option("--targets", help="Tệp danh sách URL, mỗi dòng một URL.")] = None,
    allow_private: Annotated[
        bool, typer.Option("--allow-private", help="Cho phép quét địa chỉ nội bộ/loopback (kiểm thử).")
    ] = False,
    inner_pages: Annotated[int, typer.Option(help="Số trang con quét thêm mỗi website.", min=0, max=50)] = 10,
    jobs: Annotated[int, typer.Option(help="Số tiến trình song song (0 = theo số nhân CPU).", min=0, max=64)] = 0,
) -> None:
    """Quét toàn vẹn website: deface, nội dung cờ bạc/ẩn, chuyển hướng, cloaking, mã độc, thay đổi liên hệ."""
    if output_format not in {"table", "json"}:
        raise typer.BadParameter("chỉ nhận table hoặc json.", param_hint="--format")
    found = _targets(urls or [], targets)
    state = state or Path(os.environ.get("HAIDANG_DATA_DIR", "data")) / "scan-state"
    allow = allow_private or os.environ.get("HAIDANG_ALLOW_PRIVATE_TARGETS", "") in {"1", "true", "yes"}
    options = ScanOptions(allow_private=allow, inner_pages=inner_pages)
    workers = jobs or min(os.cpu_count() or 1, 8)
    if output_format == "json":
        results = scan_sites(found, state, options, jobs=workers)
        sys.stdout.write(json.dumps({"results": [result_json(r) for r in results]}, ensure_ascii=False) + "\n")
        return
    console = Console(highlight=False)
    with Progress(
        TextColumn("[bold]Đang quét / Scanning"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=Console(stderr=True), transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("scan", total=len(set(found)))
        results = scan_sites(found, state, options, progress=lambda _r: progress.advance(task), jobs=workers)
    _table(results, console)
    flagged = sum(r.flagged for r in results)
    down = sum(not r.reachable for r in results)
    console.print(
        f"\nTổng / Total: {len(results)} website, {flagged} có dấu hiệu xâm phạm, {down} không truy cập được."
    )
