"""Version order and free-text → CPE (version, update), on versions from real NVD records."""

from __future__ import annotations

from functools import cmp_to_key

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haidang.engines.intel.versions import compare, in_range, is_prerelease, split_update

ASCENDING = [
    # semver-style pre-releases, release, four-part
    ("1.0.0-alpha", "1.0.0-beta2"),
    ("1.0.0-beta2", "1.0.0-rc1"),
    ("1.0.0-rc1", "1.0.0"),
    ("1.0.0", "1.0.0.1"),
    ("1.0b2", "1.0"),
    ("2.0.0.M1", "2.0.0"),
    ("2.0.0.M1", "2.0.0.RC1"),
    ("5.0.0-SNAPSHOT", "5.0.0"),
    ("5.0.0-SNAPSHOT", "5.0.0-alpha1"),
    ("1.0.0-beta2", "1.0.0-beta10"),
    # OpenSSL letters (CVE-2016-2107 and friends)
    ("1.0.2k", "1.0.2za"),
    ("1.0.2za", "1.0.2zd"),
    ("1.0.2zd", "1.0.2zz"),
    ("1.1.1", "1.1.1a"),
    ("1.0.2a", "1.0.2b"),
    ("1.0.2o", "1.0.2p"),
    ("1.0.2p", "1.0.2u"),
    ("1.0.2u", "1.0.10"),
    ("1.0.2zz", "1.0.3"),
    # Citrix ADC builds (CVE-2023-3519)
    ("13.1-48.47", "13.1-49.13"),
    ("12.1-55.291", "13.0-36.27"),
    ("13.0-91.12", "13.0-91.13"),
    # post-release markers
    ("9.0.0", "9.0.0 patch 23"),
    ("9.0.0 patch 9", "9.0.0 patch 23"),
    ("9.0.0 patch 23", "9.0.1"),
    ("1.0", "1.0-p1"),
    ("1.0-p1", "1.0.1"),
    ("8.9p1", "9.3p2"),
    ("9.3p1", "9.3p2"),
    # Log4j (CVE-2021-44228)
    ("2.0-beta9", "2.0-rc1"),
    ("2.0-rc2", "2.0"),
    ("2.0", "2.0.1"),
    ("2.14.1", "2.15.0"),
    ("2.15.0-rc1", "2.15.0"),
    # Windows builds, FortiOS, numeric not textual
    ("10.0.19041.1234", "10.0.19041.1235"),
    ("10.0.19041.999", "10.0.19041.1234"),
    ("7.2.4", "7.2.10"),
    ("7.0.12", "7.2.0"),
]
EQUAL = [
    ("1.0", "1.0.0"),
    ("1.0.0", "1.0.0.0.0"),
    ("v7.2.2", "7.2.2"),
    ("version 7.2.2", "7.2.2"),
    ("V7.2.2", "7.2.2"),
    ("13.1-48.47", "13.1.48.47"),
    ("1.0.0-RC1", "1.0-rc1"),
    ("2.0-beta9", "2.0.0-BETA9"),
    ("1.0.GA", "1.0"),
    ("6.7 update 3", "6.7u3"),
    ("p30", "patch30"),
    ("m1", "milestone1"),
    ("cumulative_update_12", "CU12"),
    ("2013 Service Pack 1", "2013 sp1"),
    ("", "0"),
]


@pytest.mark.parametrize(("lower", "higher"), ASCENDING)
def test_it_orders_real_versions(lower: str, higher: str) -> None:
    assert compare(lower, higher) == -1
    assert compare(higher, lower) == 1


@pytest.mark.parametrize(("left", "right"), EQUAL)
def test_it_treats_spellings_of_one_version_as_equal(left: str, right: str) -> None:
    assert compare(left, right) == 0
    assert compare(right, left) == 0


def test_it_never_raises_on_junk() -> None:
    for junk in ["", " ", "*", "-", "²", "١٢", "1..2", "--", "v", "version", "a" * 1000, "9" * 400, "\x00\\:"]:
        assert compare(junk, "1.0") in {-1, 0, 1}


LOG4J = {"start_including": "2.0-beta9", "end_excluding": "2.15.0"}


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2.0-beta8", False),
        ("2.0-beta9", True),
        ("2.0-rc1", True),
        ("2.0", True),
        ("2.14.1", True),
        ("2.15.0-rc1", True),
        ("2.15.0", False),
        ("2.17.1", False),
        ("1.2.17", False),
    ],
)
def test_it_checks_the_log4j_range(version: str, expected: bool) -> None:
    assert in_range(version, **LOG4J) is expected


@pytest.mark.parametrize(
    ("version", "bounds", "expected"),
    [
        # OpenSSL CVE-2016-2107: 1.0.2 .. 1.0.2h excluding
        ("1.0.2g", {"start_including": "1.0.2", "end_excluding": "1.0.2h"}, True),
        ("1.0.2h", {"start_including": "1.0.2", "end_excluding": "1.0.2h"}, False),
        ("1.0.2", {"start_including": "1.0.2", "end_excluding": "1.0.2h"}, True),
        ("1.0.1t", {"start_including": "1.0.2", "end_excluding": "1.0.2h"}, False),
        # Citrix CVE-2023-3519: 13.1 .. 13.1-49.13 excluding
        ("13.1-48.47", {"start_including": "13.1", "end_excluding": "13.1-49.13"}, True),
        ("13.1-49.13", {"start_including": "13.1", "end_excluding": "13.1-49.13"}, False),
        ("13.0-91.12", {"start_including": "13.1", "end_excluding": "13.1-49.13"}, False),
        # FortiOS CVE-2022-40684: 7.2.0 .. 7.2.1 including
        ("7.2.1", {"start_including": "7.2.0", "end_including": "7.2.1"}, True),
        ("7.2.2", {"start_including": "7.2.0", "end_including": "7.2.1"}, False),
        ("v7.2.0", {"start_including": "7.2.0", "end_including": "7.2.1"}, True),
        ("7.0.7", {"start_excluding": "7.0.6", "end_including": "7.0.7"}, True),
        ("7.0.6", {"start_excluding": "7.0.6", "end_including": "7.0.7"}, False),
        ("1.0", {}, True),
    ],
)
def test_it_checks_real_ranges(version: str, bounds: dict[str, str], expected: bool) -> None:
    assert in_range(version, **bounds) is expected


@pytest.mark.parametrize("version", ["", "*", "-", "  "])
def test_it_puts_no_stated_version_in_a_range(version: str) -> None:
    assert in_range(version, end_excluding="99") is False


@pytest.mark.parametrize(
    ("vendor", "product", "text", "expected"),
    [
        ("vmware", "vcenter_server", "6.7 U3j", ("6.7", "update3j")),
        ("vmware", "vcenter_server", "6.7 Update 3", ("6.7", "update3")),
        ("vmware", "vcenter_server", "6.7u3j", ("6.7", "update3j")),
        ("microsoft", "exchange_server", "2019 CU12", ("2019", "cumulative_update_12")),
        ("microsoft", "exchange_server", "2016 CU23", ("2016", "cumulative_update_23")),
        ("microsoft", "exchange_server", "Exchange Server 2019 CU14 SU2", ("2019", "cumulative_update_14")),
        ("microsoft", "exchange_server", "2013 Service Pack 1", ("2013", "sp1")),
        ("ivanti", "connect_secure", "22.4R2.1", ("22.4", "r2.1")),
        ("pulsesecure", "pulse_connect_secure", "9.1R18.2", ("9.1", "r18.2")),
        ("pulsesecure", "pulse_connect_secure", "9.1 R11", ("9.1", "r11")),
        ("juniper", "junos", "21.4R3-S5", ("21.4", "r3-s5")),
        ("zimbra", "collaboration", "9.0.0 Patch 23", ("9.0.0", "patch23")),
        ("zimbra", "collaboration", "8.8.15 P30", ("8.8.15", "patch30")),
        ("openbsd", "openssh", "8.9p1", ("8.9", "p1")),
        ("apache", "log4j", "2.0-beta9", ("2.0", "beta9")),
        ("apache", "log4j", "2.15.0-rc1", ("2.15.0", "rc1")),
        ("fortinet", "fortios", "7.2.4", ("7.2.4", "")),
        ("fortinet", "fortios", "v7.2.4", ("7.2.4", "")),
        ("citrix", "netscaler_application_delivery_controller", "13.1-48.47", ("13.1-48.47", "")),
        ("openssl", "openssl", "1.0.2k", ("1.0.2k", "")),
        ("openssl", "openssl", "1.0.2a", ("1.0.2a", "")),
        ("openssl", "openssl", "1.0.2u", ("1.0.2u", "")),
        ("apache", "http_server", "2.4.49", ("2.4.49", "")),
        ("x", "y", "", ("", "")),
    ],
)
def test_it_splits_free_text_into_nvd_version_and_update(
    vendor: str, product: str, text: str, expected: tuple[str, str]
) -> None:
    assert split_update(vendor, product, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("beta9", True),
        ("rc1", True),
        ("m1", True),
        ("update3j", False),
        ("patch23", False),
        ("r2.1", False),
        ("k", False),
        ("1.0", False),
    ],
)
def test_it_knows_pre_releases(text: str, expected: bool) -> None:
    assert is_prerelease(text) is expected


_VERSION_PART = st.one_of(
    st.integers(min_value=0, max_value=30).map(str),
    st.sampled_from(["a", "b", "k", "za", "rc", "beta", "alpha", "m", "p", "u", "r", "patch", "update", "sp", "dev"]),
)
VERSIONS = st.lists(
    st.tuples(_VERSION_PART, st.sampled_from(["", ".", "-", "_", " ", "+"])), min_size=0, max_size=6
).map(lambda parts: "".join(token + sep for token, sep in parts))


@given(VERSIONS, VERSIONS)
def test_it_is_antisymmetric(a: str, b: str) -> None:
    assert compare(a, b) == -compare(b, a)
    assert compare(a, a) == 0


@given(VERSIONS, VERSIONS, VERSIONS)
def test_it_is_transitive(a: str, b: str, c: str) -> None:
    low, mid, high = sorted([a, b, c], key=cmp_to_key(compare))
    assert compare(low, mid) <= 0
    assert compare(mid, high) <= 0
    assert compare(low, high) <= 0
    if compare(a, b) <= 0 and compare(b, c) <= 0:
        assert compare(a, c) <= 0
    if compare(a, b) == 0 and compare(b, c) == 0:
        assert compare(a, c) == 0


@given(st.text(max_size=30), st.text(max_size=30))
def test_it_never_raises_on_any_text(a: str, b: str) -> None:
    assert compare(a, b) in {-1, 0, 1}
