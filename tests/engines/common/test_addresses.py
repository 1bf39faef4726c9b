"""The private-address guard on its own: every class of address, every spelling, the policy switches."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address

import pytest

from haidang.engines.common import (
    AddressClass,
    AddressPolicy,
    FetchLimits,
    classify_address,
    is_forbidden_address,
    parse_ip,
)
from haidang.engines.common.addresses import address_permitted, parse_legacy_ipv4

FORBIDDEN = [
    "127.0.0.1", "127.255.255.254", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
    "169.254.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.255", "100.100.100.200", "168.63.129.16",
    "0.0.0.0",  # noqa: S104 - an address under test, not a bind
    "0.1.2.3", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "192.0.0.8",
    "198.18.0.1", "192.0.2.1", "::", "::1", "fe80::1", "fc00::1", "fd00:ec2::254", "fd12:3456::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1", "64:ff9b::7f00:1",
    "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2002:a9fe:a9fe::", "2001:0:4136:e378:8000:63bf:80ff:fffe",
    "2001:db8::1", "fec0::1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "[::ffff:127.0.0.1]", "[::1]",
    "not an address", "", "fe80::1%eth0",
]  # fmt: skip
PUBLIC = ["8.8.8.8", "1.1.1.1", "203.162.4.190", "14.225.0.1", "2001:4860:4860::8888", "::ffff:8.8.8.8",
          "2002:0808:0808::1", "100.63.255.255", "100.128.0.1", "172.32.0.1", "169.255.0.1"]  # fmt: skip


@pytest.mark.parametrize("address", FORBIDDEN)
def test_it_refuses_non_public_addresses_in_every_spelling(address: str) -> None:
    assert is_forbidden_address(address)


@pytest.mark.parametrize("address", PUBLIC)
def test_it_allows_public_addresses(address: str) -> None:
    assert not is_forbidden_address(address)


def test_it_classifies_metadata_separately_from_private() -> None:
    assert classify_address(IPv4Address("169.254.169.254")) is AddressClass.METADATA
    assert classify_address(IPv4Address("100.100.100.200")) is AddressClass.METADATA
    assert classify_address(IPv6Address("fd00:ec2::254")) is AddressClass.METADATA
    assert classify_address(IPv6Address("::ffff:169.254.169.254")) is AddressClass.METADATA
    assert classify_address(IPv4Address("127.0.0.1")) is AddressClass.PRIVATE
    assert classify_address(IPv4Address("255.255.255.255")) is AddressClass.UNROUTABLE


def test_it_lifts_private_but_not_metadata_with_allow_private() -> None:
    policy = AddressPolicy(allow_private=True)
    assert not is_forbidden_address("127.0.0.1", policy)
    assert not is_forbidden_address("192.168.1.10", policy)
    assert not is_forbidden_address("::1", policy)
    assert is_forbidden_address("169.254.169.254", policy)
    assert is_forbidden_address("::ffff:169.254.169.254", policy)
    assert is_forbidden_address("100.100.100.200", policy)
    assert is_forbidden_address("fd00:ec2::254", policy)
    assert is_forbidden_address("0.0.0.0", policy)  # noqa: S104
    assert is_forbidden_address("224.0.0.1", policy)


def test_it_lifts_metadata_only_with_its_own_flag() -> None:
    assert not is_forbidden_address("169.254.169.254", AddressPolicy(allow_metadata=True))
    assert is_forbidden_address("127.0.0.1", AddressPolicy(allow_metadata=True))
    assert is_forbidden_address("255.255.255.255", AddressPolicy(allow_private=True, allow_metadata=True))


def test_it_admits_a_single_allowed_endpoint_and_nothing_next_to_it() -> None:
    policy = AddressPolicy(allowed_endpoints=frozenset({("10.0.0.5", 8443)}))
    assert address_permitted(IPv4Address("10.0.0.5"), 8443, policy)
    assert not address_permitted(IPv4Address("10.0.0.5"), 8444, policy)
    assert not address_permitted(IPv4Address("10.0.0.6"), 8443, policy)
    assert not address_permitted(IPv4Address("10.0.0.5"), None, policy)


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0X7F.1", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0177.0000.0000.0001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.1", "127.0.0.1"),
        ("10.0x10.1", "10.16.0.1"),
        ("0", "0.0.0.0"),  # noqa: S104
        ("0x", "0.0.0.0"),  # noqa: S104
        ("1.2.3.4.", "1.2.3.4"),
        ("3232235777", "192.168.1.1"),
    ],
)
def test_it_reads_legacy_ipv4_spellings_like_a_browser(spelling: str, expected: str) -> None:
    assert parse_legacy_ipv4(spelling) == IPv4Address(expected)
    assert parse_ip(spelling) == IPv4Address(expected)


@pytest.mark.parametrize("spelling", ["1.2.3.999", "4294967296", "08.0.0.1", "1.2.3.4.5", "1..2", "0x1g.5", "9" * 5000])
def test_it_rejects_hosts_that_end_in_a_number_but_are_no_address(spelling: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the only documented error
        parse_legacy_ipv4(spelling)
    assert parse_ip(spelling) is None


def test_it_leaves_names_alone() -> None:
    assert parse_legacy_ipv4("example.gov.vn") is None
    assert parse_legacy_ipv4("1.2.3.example") is None
    assert parse_legacy_ipv4("0x1g") is None  # does not end in a number: a (strange) name


@pytest.mark.parametrize(
    "bad",
    [{"total_timeout": 0}, {"read_idle_timeout": -1}, {"max_body_bytes": 0}, {"per_host_concurrency": 0},
     {"max_redirects": -1}],
)  # fmt: skip
def test_it_refuses_nonsensical_limits(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        FetchLimits(**bad)  # type: ignore[arg-type]
