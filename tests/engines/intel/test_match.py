"""The matcher on a tricky inventory: strict NVD semantics, review instead of guesses, one pass, bounded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from haidang.engines.intel import kev, nvd
from haidang.engines.intel.inventory import InventoryError, read_inventory
from haidang.engines.intel.match import Matcher, MatchReport, Reason, ReviewItem, match_records
from haidang.engines.intel.types import CveRecord, InventoryRow
from tests.engines.intel.match_corpus import EXPECTED_MATCHES, INVENTORY, SAMPLES, cpe_match, record, records


def _records() -> Iterator[CveRecord]:
    for element in records():
        yield nvd.parse_cve(element["cve"])
    yield from nvd.iter_file(SAMPLES / "nvd_cves_2.0.json")


@pytest.fixture(scope="module")
def report() -> MatchReport:
    catalog = kev.load(SAMPLES / "known_exploited_vulnerabilities.json")
    return match_records(read_inventory(INVENTORY.encode()), _records(), catalog)


def _review(report: MatchReport, system: str) -> list[ReviewItem]:
    return [item for item in report.review if item.system == system]


def test_it_finds_exactly_the_expected_matches_with_kev_flags(report: MatchReport) -> None:
    found = {(m.unit, m.system, m.cve, m.kev) for m in report.matches}
    assert found == EXPECTED_MATCHES


def test_it_sorts_and_deduplicates_matches(report: MatchReport) -> None:
    keys = [(m.unit, m.system, m.cve) for m in report.matches]
    assert keys == sorted(set(keys))


def test_it_never_matches_mariadb_to_mysql_cves(report: MatchReport) -> None:
    assert not [m for m in report.matches if m.system in {"db", "db3"} and m.cve == "CVE-2023-21980"]


def test_it_keeps_server_and_data_center_apart(report: MatchReport) -> None:
    wiki = {m.cve for m in report.matches if m.system == "wiki"}
    assert "CVE-2023-22515" not in wiki  # Data Center only


def test_it_sends_an_edition_less_name_to_review_with_its_candidates(report: MatchReport) -> None:
    (item,) = _review(report, "wiki-x")
    assert item.reason is Reason.AMBIGUOUS_PRODUCT
    assert [c.split(" ")[0] for c in item.candidates] == [
        "atlassian-confluence-data-center",
        "atlassian-confluence-server",
    ]


def test_it_lists_a_platform_dependent_cve_for_review_not_as_a_match(report: MatchReport) -> None:
    assert [(i.reason, i.cve) for i in _review(report, "switch")] == [(Reason.NEEDS_PLATFORM, "CVE-2023-36845")]


def test_it_surfaces_records_awaiting_analysis_that_name_the_product(report: MatchReport) -> None:
    zimbra = [(i.reason, i.cve) for i in _review(report, "mail") if i.unit == "UBND-J"]
    assert zimbra == [(Reason.AWAITING_ANALYSIS, "CVE-2024-45519")]
    assert not _review(report, "cms")  # "… plugin for WordPress" is not WordPress


def test_it_puts_garbage_rows_in_review(report: MatchReport) -> None:
    reasons = {i.system: i.reason for i in report.review if i.unit == "UBND-Z"}
    assert reasons == {
        "junk": Reason.UNKNOWN_PRODUCT,
        "junk2": Reason.UNKNOWN_PRODUCT,
        "junk3": Reason.UNPARSEABLE_VERSION,
        "junk4": Reason.UNKNOWN_PRODUCT,
    }


def test_it_ignores_rejected_records(report: MatchReport) -> None:
    assert "CVE-2017-9999" not in {m.cve for m in report.matches}
    assert report.stats.rejected == 2  # the hand-written one and the sample's


def _row(product: str, version: str, vendor: str = "") -> InventoryRow:
    return InventoryRow(unit="U", system="S", vendor=vendor, product=product, version=version)


def _criteria(end: str) -> list[list[dict[str, object]]]:
    return [[cpe_match("cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*", end_excluding=end)]]


def test_it_keeps_the_latest_version_of_a_cve_read_twice() -> None:
    old = record("CVE-2020-0001", "x", _criteria("9.0"), last_modified="2024-01-01T00:00:00.000")
    corrected = record("CVE-2020-0001", "x", _criteria("1.0"), last_modified="2024-06-01T00:00:00.000")
    parsed = [nvd.parse_cve(old["cve"]), nvd.parse_cve(corrected["cve"])]
    for order in (parsed, parsed[::-1]):
        result = match_records([_row("OpenSSL", "1.1.1")], iter(order), {})
        assert result.matches == ()


def test_it_drops_a_cve_rejected_in_a_later_file() -> None:
    live = record("CVE-2020-0002", "x", _criteria("9.0"))
    rejected = record("CVE-2020-0002", "** REJECT **", status="Rejected", last_modified="2025-01-01T00:00:00.000")
    result = match_records(
        [_row("OpenSSL", "1.1.1")], iter([nvd.parse_cve(live["cve"]), nvd.parse_cve(rejected["cve"])]), {}
    )
    assert result.matches == ()


def test_it_resolves_an_uncatalogued_product_from_the_feeds_vocabulary() -> None:
    feed = record(
        "CVE-2020-0003", "x", [[cpe_match("cpe:2.3:a:acme:road_runner:*:*:*:*:*:*:*:*", end_excluding="2.0")]]
    )
    result = match_records([_row("Road-Runner", "1.5", vendor="ACME Inc.")], iter([nvd.parse_cve(feed["cve"])]), {})
    assert [m.cve for m in result.matches] == ["CVE-2020-0003"]


def test_it_sends_a_product_two_vendors_publish_to_review() -> None:
    feeds = [
        record(f"CVE-2020-000{n}", "x", [[cpe_match(f"cpe:2.3:a:{vendor}:widget:*:*:*:*:*:*:*:*", end_excluding="9")]])
        for n, vendor in ((4, "acme"), (5, "globex"))
    ]
    result = match_records([_row("Widget", "1.0")], iter(nvd.parse_cve(f["cve"]) for f in feeds), {})
    assert result.matches == ()
    (item,) = result.review
    assert (item.reason, item.candidates) == (Reason.AMBIGUOUS_PRODUCT, ("acme:widget", "globex:widget"))


def test_it_keeps_only_the_records_the_inventory_can_use() -> None:
    unrelated = (
        nvd.parse_cve(record(f"CVE-2021-{n:05d}", "x", [[cpe_match(f"cpe:2.3:a:v{n}:p{n}:1.0:*:*:*:*:*:*:*")]])["cve"])
        for n in range(2000)
    )
    result = match_records([_row("OpenSSL", "1.0.2k")], unrelated, {})
    assert (result.stats.records, result.stats.kept) == (2000, 0)


def test_it_reads_the_inventory_in_any_column_order_with_a_bom() -> None:
    data = "\ufeffcpe,version,product,vendor,system,unit,extra\n,1.0,OpenSSL,,web,U1,x\n\n".encode()
    (row,) = read_inventory(data)
    assert (row.unit, row.system, row.product, row.version, row.cpe, row.line) == ("U1", "web", "OpenSSL", "1.0", "", 2)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"unit,system,product\nU,S,P\n", "thiếu cột vendor, version, cpe"),
        (b"\xff\xfe\x00garbage", "không phải UTF-8"),
        (b"", "thiếu cột"),
    ],
)
def test_it_refuses_an_unusable_inventory_in_vietnamese(data: bytes, message: str) -> None:
    with pytest.raises(InventoryError, match=message):
        read_inventory(data)


def test_it_accepts_the_real_sample_inventory_path(tmp_path: Path) -> None:
    path = tmp_path / "inv.csv"
    path.write_text(INVENTORY, encoding="utf-8")
    assert len(read_inventory(path.read_bytes())) == INVENTORY.count("\n") - 1


def test_it_gives_the_same_report_when_the_reader_screens_raw_records() -> None:
    catalog = kev.load(SAMPLES / "known_exploited_vulnerabilities.json")
    rows = read_inventory(INVENTORY.encode())
    sample = json.loads((SAMPLES / "nvd_cves_2.0.json").read_text(encoding="utf-8"))["vulnerabilities"]
    unrelated = [
        record(f"CVE-2021-{n:05d}", "x", [[cpe_match(f"cpe:2.3:a:v{n}:p{n}:1.0:*:*:*:*:*:*:*")]]) for n in range(50)
    ]
    matcher = Matcher(rows, catalog)
    parsed = 0
    for element in [*records(), *sample, *unrelated]:
        if matcher.screen(element["cve"]):
            matcher.add(nvd.parse_cve(element["cve"]))
            parsed += 1
    screened = matcher.report()
    assert {(m.unit, m.system, m.cve, m.kev) for m in screened.matches} == EXPECTED_MATCHES
    assert screened.review == match_records(rows, _records(), catalog).review
    assert parsed <= len(records()) + len(sample)  # the 50 unrelated records were never built


def test_it_screens_in_a_newer_version_that_no_longer_names_the_product() -> None:
    matcher = Matcher([_row("OpenSSL", "1.1.1")], {})
    old = record("CVE-2020-0009", "x", _criteria("9.0"), last_modified="2024-01-01T00:00:00.000")
    moved = record(
        "CVE-2020-0009",
        "x",
        [[cpe_match("cpe:2.3:a:acme:other:*:*:*:*:*:*:*:*", end_excluding="9.0")]],
        last_modified="2024-06-01T00:00:00.000",
    )
    for element in (old, moved):
        if matcher.screen(element["cve"]):
            matcher.add(nvd.parse_cve(element["cve"]))
    assert matcher.report().matches == ()
    assert not matcher.screen(old["cve"])  # an older version read later is skipped


def test_it_never_matches_a_catalogue_name_merely_contained_in_the_product() -> None:
    httpd = record("CVE-2021-41773", "x", [[cpe_match("cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*")]])
    result = match_records([_row("Apache Kafka", "2.4.49", vendor="Apache")], iter([nvd.parse_cve(httpd["cve"])]), {})
    assert result.matches == ()
    (item,) = result.review
    assert item.reason is Reason.AMBIGUOUS_PRODUCT
    assert item.candidates[0].startswith("apache-http-server")


def test_it_finds_exact_versions_filed_under_their_first_number() -> None:
    def exact(cve: str, *versions: str) -> CveRecord:
        matches = [cpe_match(f"cpe:2.3:a:openssl:openssl:{v}:*:*:*:*:*:*:*") for v in versions]
        return nvd.parse_cve(record(cve, "x", [matches])["cve"])

    feed = [
        exact("CVE-2020-0101", "0.9.8", "1.0.2k"),
        exact("CVE-2020-0102", "11.0.2", "10.0.2k"),
        exact("CVE-2020-0103", "1.0.2"),  # 1.0.2 vs 1.0.2k: a prefix, left to the matcher
        exact("CVE-2020-0104", "-"),
    ]
    result = match_records([_row("OpenSSL", "1.0.2k")], iter(feed), {})
    assert [m.cve for m in result.matches] == ["CVE-2020-0101"]
    unnumbered = match_records([_row("OpenSSL", "1.0.2k")], iter([*feed, exact("CVE-2020-0105", "1.0.2k", "*")]), {})
    assert [m.cve for m in unnumbered.matches] == ["CVE-2020-0101", "CVE-2020-0105"]
