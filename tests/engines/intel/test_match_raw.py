"""The matcher's raw path (``Matcher.add_raw``: configurations kept as JSON, built on first need) gives the
report the object path (``Matcher.add`` of parsed records) gives."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from haidang import intel_cli
from haidang.engines.intel import kev, nvd
from haidang.engines.intel.inventory import read_inventory
from haidang.engines.intel.match import Matcher, MatchReport, Reason, match_records
from haidang.engines.intel.types import InventoryRow
from tests.engines.intel.match_corpus import EXPECTED_MATCHES, INVENTORY, SAMPLES, cpe_match, record, records

OPENSSL = "cpe:2.3:a:openssl:openssl:"


def _row(system: str, product: str, version: str, vendor: str = "") -> InventoryRow:
    return InventoryRow(unit="U", system=system, vendor=vendor, product=product, version=version)


def _raw(
    rows: Sequence[InventoryRow], elements: Iterable[dict[str, Any]], catalog: object = None
) -> tuple[MatchReport, int]:
    """The report through screen → add_raw (→ parse + add when it declines), and how many it took raw."""
    matcher = Matcher(rows, catalog or {})  # type: ignore[arg-type]
    taken = 0
    for element in elements:
        cve = element["cve"]
        if not matcher.screen(cve):
            continue
        if matcher.add_raw(cve):
            taken += 1
        else:
            matcher.add(nvd.parse_cve(cve))
    return matcher.report(), taken


def _built(rows: Sequence[InventoryRow], elements: Iterable[dict[str, Any]], catalog: object = None) -> MatchReport:
    """The report through screen → parse → add, as the command read files before the raw path."""
    matcher = Matcher(rows, catalog or {})  # type: ignore[arg-type]
    for element in elements:
        if matcher.screen(element["cve"]):
            matcher.add(nvd.parse_cve(element["cve"]))
    return matcher.report()


def _same(rows: Sequence[InventoryRow], elements: Sequence[dict[str, Any]]) -> tuple[MatchReport, int]:
    raw, taken = _raw(rows, elements)
    assert raw == _built(rows, elements)
    return raw, taken


def test_it_gives_the_object_paths_report_on_the_whole_corpus() -> None:
    catalog = kev.load(SAMPLES / "known_exploited_vulnerabilities.json")
    rows = read_inventory(INVENTORY.encode())
    sample = json.loads((SAMPLES / "nvd_cves_2.0.json").read_text(encoding="utf-8"))["vulnerabilities"]
    elements = [*records(), *sample]
    raw, taken = _raw(rows, elements, catalog)
    assert {(m.unit, m.system, m.cve, m.kev) for m in raw.matches} == EXPECTED_MATCHES
    assert raw == _built(rows, elements, catalog)
    assert raw.review == match_records(rows, (nvd.parse_cve(e["cve"]) for e in elements), catalog).review
    assert taken > len(elements) // 2  # most records went the raw way


def test_it_leaves_escaped_criteria_to_the_object_path() -> None:
    joomla = record(
        "CVE-2020-0301", "x", [[cpe_match("cpe:2.3:a:joomla:joomla\\!:*:*:*:*:*:*:*:*", end_excluding="4.2.8")]]
    )
    rows = [_row("cms", "Joomla!", "4.2.7", vendor="Open Source Matters")]
    assert not Matcher(rows, {}).add_raw(joomla["cve"])
    report, taken = _same(rows, [joomla])
    assert ([m.cve for m in report.matches], taken) == (["CVE-2020-0301"], 0)


def test_it_leaves_a_record_with_an_unreadable_configuration_to_the_object_path() -> None:
    broken = cpe_match(f"{OPENSSL}*:*:*:*:*:*:*:*", end_excluding="9.0") | {"versionStartIncluding": ""}
    element = record("CVE-2020-0302", "x", [[broken]], [[cpe_match(f"{OPENSSL}1.1.1:*:*:*:*:*:*:*")]])
    report, taken = _same([_row("web", "OpenSSL", "1.1.1")], [element])
    assert ([m.cve for m in report.matches], taken) == (["CVE-2020-0302"], 0)  # the readable one still counts


def test_it_keeps_the_latest_version_whichever_path_read_each() -> None:
    def version(end: str, modified: str) -> dict[str, Any]:
        matches = [[cpe_match(f"{OPENSSL}*:*:*:*:*:*:*:*", end_excluding=end)]]
        return record("CVE-2020-0303", "x", matches, last_modified=f"2024-{modified}T00:00:00.000")

    old, corrected = version("9.0", "01-01"), version("1.0", "06-01")
    rows = [_row("web", "OpenSSL", "1.1.1")]
    for order in ([old, corrected], [corrected, old]):
        report, _taken = _same(rows, order)
        assert report.matches == ()
    matcher = Matcher(rows, {})
    assert matcher.add_raw(old["cve"])  # the raw version is replaced by a built later one
    matcher.add(nvd.parse_cve(corrected["cve"]))
    assert matcher.report().matches == ()
    matcher = Matcher(rows, {})
    matcher.add(nvd.parse_cve(corrected["cve"]))
    assert matcher.add_raw(old["cve"])  # taken, and ignored: older than what is kept
    assert matcher.report() == match_records(rows, [nvd.parse_cve(e["cve"]) for e in (corrected, old)], {})


def test_it_honours_a_negated_node() -> None:
    configuration = {
        "operator": "AND",
        "nodes": [
            {
                "operator": "OR",
                "negate": False,
                "cpeMatch": [cpe_match(f"{OPENSSL}*:*:*:*:*:*:*:*", end_excluding="9.0")],
            },
            {"operator": "OR", "negate": True, "cpeMatch": [cpe_match(f"{OPENSSL}1.1.1:*:*:*:*:*:*:*")]},
        ],
    }
    element = record("CVE-2020-0304", "x")
    element["cve"]["configurations"] = [configuration]
    report, taken = _same([_row("a", "OpenSSL", "1.1.1"), _row("b", "OpenSSL", "1.1.0")], [element])
    assert ([(m.system, m.cve) for m in report.matches], taken) == ([("b", "CVE-2020-0304")], 1)


def test_it_evaluates_an_and_configuration_against_the_systems_platform() -> None:
    firmware = cpe_match("cpe:2.3:o:acme:router_firmware:*:*:*:*:*:*:*:*", end_excluding="2.0")
    hardware = cpe_match("cpe:2.3:h:acme:router_x1:*:*:*:*:*:*:*:*", vulnerable=False)
    element = record("CVE-2020-0305", "x", [[firmware], [hardware]])
    rows = [
        _row("gw", "Router Firmware", "1.5", vendor="ACME"),
        _row("gw", "Router X1", "1.0", vendor="ACME"),
        _row("edge", "Router Firmware", "1.5", vendor="ACME"),
    ]
    report, taken = _same(rows, [element])
    assert [(m.system, m.cve) for m in report.matches] == [("gw", "CVE-2020-0305")]
    assert [(i.system, i.reason) for i in report.review] == [("edge", Reason.NEEDS_PLATFORM)]
    assert taken == 1


def test_it_takes_records_from_the_file_reader(tmp_path: Path) -> None:
    sample = json.loads((SAMPLES / "nvd_cves_2.0.json").read_text(encoding="utf-8"))["vulnerabilities"]
    elements = [*records(), *sample, {"cve": {"id": "not-a-cve"}}]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps({"vulnerabilities": elements}), encoding="utf-8")
    rows = read_inventory(INVENTORY.encode())
    matcher = Matcher(rows, {})
    stats = nvd.ParseStats()
    for built in nvd.iter_file(path, stats=stats, keep=matcher.screen, take=matcher.add_raw):
        matcher.add(built)
    assert (stats.records, stats.skipped) == (len(elements) - 1, 1)
    assert matcher.report() == _built(rows, elements[:-1])


def test_the_command_writes_the_report_json_item_by_item() -> None:
    catalog = kev.load(SAMPLES / "known_exploited_vulnerabilities.json")
    rows = read_inventory(INVENTORY.encode())
    report, _taken = _raw(rows, records(), catalog)
    assert report.matches
    assert report.review
    for shown in (report, MatchReport((), (), report.stats)):
        out = io.StringIO()
        intel_cli.write_json(shown, out)
        assert out.getvalue() == json.dumps(intel_cli.report_json(shown), ensure_ascii=False) + "\n"
