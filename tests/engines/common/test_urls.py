"""Strict URL parsing: one canonical reading of the host, so no parser can be played against another."""

from __future__ import annotations

from ipaddress import IPv4Address

import pytest

from haidang.engines.common import InvalidURLError, parse_target
from haidang.engines.common.urls import resolve_location


@pytest.mark.parametrize(
    ("url", "canonical", "ip"),
    [
        ("http://2130706433/", "http://127.0.0.1/", "127.0.0.1"),
        ("http://0x7f000001:8080/a?b=1#frag", "http://127.0.0.1:8080/a?b=1", "127.0.0.1"),
        ("http://0177.0.0.1/", "http://127.0.0.1/", "127.0.0.1"),
        ("http://127.1/", "http://127.0.0.1/", "127.0.0.1"),
        ("http://２１３０７０６４３３/", "http://127.0.0.1/", "127.0.0.1"),  # full-width digits, IDNA-mapped
        ("http://１２７.０.０.１/", "http://127.0.0.1/", "127.0.0.1"),
        ("http://[::ffff:127.0.0.1]/", "http://[::ffff:7f00:1]/", "::ffff:7f00:1"),
        ("http://[::1]:8080", "http://[::1]:8080/", "::1"),
        ("HTTPS://WWW.HaiPhong.Gov.VN:443/x", "https://www.haiphong.gov.vn/x", None),
        ("http://example.vn./", "http://example.vn/", None),
        ("http://ví-dụ.việt.nam/đường dẫn", "http://xn--v-d-rma6749a.xn--vit-5kz.nam/đường dẫn", None),
        ("  http://exa\tmple.vn/\n ", "http://example.vn/", None),
    ],
)
def test_it_canonicalises_hosts(url: str, canonical: str, ip: str | None) -> None:
    target = parse_target(url)
    assert target.url == canonical
    assert (str(target.ip) if target.ip else None) == ip


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.vn/",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "gopher://127.0.0.1:25/",
        "http://",
        "http:///example.vn/",
        "http://user:pass@example.vn/",
        "http://example.vn@127.0.0.1/",
        "http://example.vn\\@127.0.0.1/",
        "http://1.2.3.999/",
        "http://example.123/",
        "http://exa mple.vn/",
        "http://%31%32%37.0.0.1/",
        "http://[fe80::1%25eth0]/",
        "http://[::1/",
        "http://[::1]x/",
        "http://example.vn:0/",
        "http://example.vn:65536/",
        "http://example.vn:８０/",
        "http://example.vn:-1/",
        "http://exa\x00mple.vn/",
        "http://" + "a" * 300 + ".vn/",
        "http://example.vn/" + "a" * 9000,
        "http://-bad-.vn/",
    ],
)
def test_it_refuses_unsafe_or_ambiguous_urls(url: str) -> None:
    with pytest.raises(InvalidURLError):
        parse_target(url)


def test_it_resolves_redirect_locations_against_the_current_url() -> None:
    base = parse_target("https://portal.gov.vn/a/b?c=1")
    assert resolve_location(base, "../d").url == "https://portal.gov.vn/d"
    assert resolve_location(base, "//cdn.example.vn/x").url == "https://cdn.example.vn/x"
    assert resolve_location(base, "http://0x7f.1/").ip == IPv4Address("127.0.0.1")
    assert resolve_location(base, "?q=2").url == "https://portal.gov.vn/a/b?q=2"
    with pytest.raises(InvalidURLError):
        resolve_location(base, "javascript:alert(1)")
