"""The screen over raw records (remembered per (vendor, product) as written) lets through every record that
matters, and the raw path takes rejected and awaiting records as the object path does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from haidang.engines.intel import nvd
from haidang.engines.intel.match import Matcher, _decided, _product_key, match_records
from haidang.engines.intel.products import cpe_text, squash
from haidang.engines.intel.types import InventoryRow
from tests.engines.intel.match_corpus import cpe_match, record


def _row(product: str, version: str, vendor: str = "") -> InventoryRow:
    return InventoryRow(unit="U", system="S", vendor=vendor, product=product, version=version)


def _one(cve_id: str, criteria: str, *, modified: str = "2024-01-01", end: str = "9.0") -> dict[str, Any]:
    return record(cve_id, "x", [[cpe_match(criteria, end_excluding=end)]], last_modified=f"{modified}T00:00:00.000")


def _through_screen(rows: Sequence[InventoryRow], elements: Sequence[dict[str, Any]]) -> tuple[Any, list[bool]]:
    """The report the command's reader gives (screen, then add_raw or parse + add), and the screen's answers."""
    matcher = Matcher(rows, {})
    answers = []
    for element in elements:
        cve = element["cve"]
        answers.append(matcher.screen(cve))
        if answers[-1] and not matcher.add_raw(cve):
            matcher.add(nvd.parse_cve(cve))
    return matcher.report(), answers


def _everything(rows: Sequence[InventoryRow], elements: Sequence[dict[str, Any]]) -> Any:
    return match_records(rows, [nvd.parse_cve(e["cve"]) for e in elements], {})


def test_it_lets_uppercase_criteria_through_and_matches_them() -> None:
    upper = _one("CVE-2020-0401", "cpe:2.3:a:OpenSSL:OpenSSL:*:*:*:*:*:*:*:*")
    rows = [_row("OpenSSL", "1.1.1")]
    report, answers = _through_screen(rows, [upper])
    assert answers == [True]
    assert [m.cve for m in report.matches] == ["CVE-2020-0401"]
    assert report == _everything(rows, [upper])


def test_it_lets_escaped_criteria_through_whatever_their_fields() -> None:
    rows = [_row("OpenSSL", "1.1.1")]
    escaped = _one("CVE-2020-0402", "cpe:2.3:a:open\\:ssl:foo:*:*:*:*:*:*:*:*")
    joomla = _one("CVE-2020-0403", "cpe:2.3:a:joomla:joomla\\!:*:*:*:*:*:*:*:*")
    _report, answers = _through_screen(rows, [escaped, joomla])
    assert answers == [True, True]
    rows = [_row("Joomla!", "4.2.7", vendor="Open Source Matters")]
    report, _answers = _through_screen(rows, [joomla])
    assert report == _everything(rows, [joomla])


def test_it_remembers_a_pair_as_written_not_lower_cased() -> None:
    rows = [_row("OpenSSL", "1.1.1")]
    unrelated = _one("CVE-2020-0404", "cpe:2.3:a:acme:widget:*:*:*:*:*:*:*:*")
    upper = _one("CVE-2020-0405", "cpe:2.3:a:OPENSSL:OPENSSL:*:*:*:*:*:*:*:*")
    plain = _one("CVE-2020-0406", "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*")
    elements = [unrelated, plain, upper, unrelated]
    report, answers = _through_screen(rows, elements)
    assert answers == [False, True, True, False]
    assert [m.cve for m in report.matches] == ["CVE-2020-0405", "CVE-2020-0406"]
    assert report == _everything(rows, elements)


def test_it_lets_through_a_record_relevant_only_through_a_pending_rows_product_key() -> None:
    rows = [_row("Road-Runner", "1.5", vendor="ACME Inc.")]  # in no catalogue: the feeds' vocabulary settles it
    feed = _one("CVE-2020-0407", "cpe:2.3:a:acme:road_runner:*:*:*:*:*:*:*:*", end="2.0")
    other = _one("CVE-2020-0408", "cpe:2.3:a:acme:coyote:*:*:*:*:*:*:*:*")
    report, answers = _through_screen(rows, [other, feed, other])
    assert answers == [False, True, False]
    assert [m.cve for m in report.matches] == ["CVE-2020-0407"]
    assert report == _everything(rows, [other, feed, other])


def test_it_lets_through_a_record_relevant_only_in_a_later_version() -> None:
    rows = [_row("OpenSSL", "1.1.1")]
    before = _one("CVE-2020-0409", "cpe:2.3:a:acme:other:*:*:*:*:*:*:*:*", modified="2024-01-01")
    after = _one("CVE-2020-0409", "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*", modified="2024-06-01")
    report, answers = _through_screen(rows, [before, after, before])
    assert answers == [False, True, False]  # the older version read again after the newer is skipped
    assert [m.cve for m in report.matches] == ["CVE-2020-0409"]
    everything = _everything(rows, [before, after, before])
    assert (report.matches, report.review) == (everything.matches, everything.review)


def test_it_takes_rejected_and_awaiting_records_raw_as_the_object_path_does() -> None:
    rows = [_row("OpenSSL", "1.1.1")]
    live = _one("CVE-2020-0410", "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*", modified="2024-01-01")
    rejected = record("CVE-2020-0410", "** REJECT **", status="Rejected", last_modified="2025-01-01T00:00:00.000")
    waiting = record("CVE-2020-0411", "A flaw in OpenSSL before 3.0 allows…", status="Awaiting Analysis")
    rejected_with_configurations = _one("CVE-2020-0412", "cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*")
    rejected_with_configurations["cve"]["vulnStatus"] = "Rejected"
    elements = [live, rejected, waiting, rejected_with_configurations]
    matcher = Matcher(rows, {})
    for element in elements:
        assert matcher.add_raw(element["cve"])
    report = matcher.report()
    assert report == _everything(rows, elements)
    assert report.matches == ()
    assert [(i.reason, i.cve) for i in report.review] == [("awaiting_analysis", "CVE-2020-0411")]
    assert (report.stats.rejected, report.stats.awaiting) == (2, 1)


def test_it_declines_configurations_the_parser_reads_otherwise() -> None:
    odd = record("CVE-2020-0413", "x")
    odd["cve"]["configurations"] = "not a list"  # the parser reads no configuration: awaiting analysis
    assert not Matcher([_row("OpenSSL", "1.1.1")], {}).add_raw(odd["cve"])


@given(st.text(alphabet="abcxyz0129._-", min_size=1, max_size=12))
def test_a_plain_products_key_is_squash_of_its_text(product: str) -> None:
    assert _product_key({}, product) == squash(cpe_text(product))


@given(st.text(min_size=1, max_size=12))
def test_any_products_key_is_squash_of_its_text(product: str) -> None:
    assert _product_key({}, product) == squash(cpe_text(product))


@given(st.lists(st.integers(0, 3), min_size=1, max_size=4), st.lists(st.integers(0, 3), min_size=1, max_size=4))
def test_decided_orders_at_the_first_differing_number(a: list[int], b: list[int]) -> None:
    expected = next(((-1 if x < y else 1) for x, y in zip(a, b, strict=False) if x != y), 0)
    assert _decided(tuple(a), tuple(b)) == expected
