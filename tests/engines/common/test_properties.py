"""Property tests: URL parsing and the address policy, on inputs no one thought to write down."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haidang.engines.common import AddressPolicy, InvalidURLError, classify_address, is_forbidden_address, parse_target
from haidang.engines.common.addresses import address_permitted, parse_ip
from haidang.engines.common.fetcher import _client_url

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NON_PUBLIC_V4 = st.one_of(
    st.ip_addresses(v=4, network="127.0.0.0/8"),
    st.ip_addresses(v=4, network="10.0.0.0/8"),
    st.ip_addresses(v=4, network="172.16.0.0/12"),
    st.ip_addresses(v=4, network="192.168.0.0/16"),
    st.ip_addresses(v=4, network="169.254.0.0/16"),
    st.ip_addresses(v=4, network="100.64.0.0/10"),
    st.ip_addresses(v=4, network="0.0.0.0/8"),
    st.ip_addresses(v=4, network="224.0.0.0/3"),
)


@st.composite
def spellings(draw: st.DrawFn, ip: IPv4Address) -> str:
    """One of the many ways a URL host can spell an IPv4 address."""
    value = int(ip)
    octets = list(ip.packed)
    parts = draw(st.sampled_from([1, 2, 3, 4]))
    head, tail = octets[: parts - 1], int.from_bytes(bytes(octets[parts - 1 :]), "big")
    numbers = [*head, tail]

    def spell(n: int) -> str:
        style = draw(st.sampled_from(["dec", "hex", "HEX", "oct"]))
        return {"dec": str(n), "hex": hex(n), "HEX": hex(n).upper().replace("0X", "0x"), "oct": "0" + oct(n)[2:]}[style]

    dotted = ".".join(spell(n) for n in numbers) + draw(st.sampled_from(["", "."]))
    mapped = f"[::ffff:{ip}]"
    mapped_hex = f"[::ffff:{value >> 16:x}:{value & 0xFFFF:x}]"
    return draw(st.sampled_from([dotted, mapped, mapped_hex, str(value)]))


@FAST
@given(st.text(max_size=300))
def test_it_parses_arbitrary_text_or_refuses_it_with_the_documented_error(text: str) -> None:
    try:
        target = parse_target(text)
    except InvalidURLError:
        return
    assert target.scheme in ("http", "https")
    assert parse_target(target.url) == target  # canonical form is a fixed point
    assert _client_url(target).host  # the HTTP client reads the very same host


@FAST
@given(
    scheme=st.sampled_from(["http", "HTTP", "https"]),
    host=st.one_of(
        st.from_regex(r"[a-zA-Z0-9.\-_~%@:\[\]\\]{1,40}", fullmatch=True),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=30),
    ),
    rest=st.from_regex(r"(:[0-9]{0,6})?(/[^#]{0,20})?(#.{0,5})?", fullmatch=True),
)
def test_it_never_lets_a_url_host_become_a_forbidden_address_unnoticed(scheme: str, host: str, rest: str) -> None:
    try:
        target = parse_target(f"{scheme}://{host}{rest}")
    except InvalidURLError:
        return
    if target.ip is None:
        # A name: the fetcher resolves and checks it. It must not be something that connects as an address.
        assert parse_ip(target.host) is None
        return
    assert parse_ip(target.host) == target.ip


@FAST
@given(st.data(), NON_PUBLIC_V4)
def test_it_refuses_every_spelling_of_a_non_public_ipv4_address(data: st.DataObject, ip: IPv4Address) -> None:
    host = data.draw(spellings(ip))
    target = parse_target(f"http://{host}:8080/")
    assert target.ip is not None
    assert not address_permitted(target.ip, target.port, AddressPolicy())
    assert is_forbidden_address(host)


@FAST
@given(st.ip_addresses(v=4))
def test_it_refuses_at_least_what_python_calls_non_global(ip: IPv4Address) -> None:
    if not ip.is_global:
        assert is_forbidden_address(ip)
    mapped = IPv6Address(f"::ffff:{ip}")
    assert is_forbidden_address(mapped) == is_forbidden_address(ip)
    assert classify_address(mapped) == classify_address(ip)


@FAST
@given(st.ip_addresses(), st.booleans(), st.booleans())
def test_it_classifies_any_address_and_loosening_the_policy_never_refuses_more(
    ip: IPv4Address | IPv6Address, allow_private: bool, allow_metadata: bool
) -> None:
    strict = is_forbidden_address(ip)
    loose = is_forbidden_address(ip, AddressPolicy(allow_private=allow_private, allow_metadata=allow_metadata))
    assert strict or not loose
    if str(ip) in ("169.254.169.254", "100.100.100.200", "fd00:ec2::254") and not allow_metadata:
        assert loose
