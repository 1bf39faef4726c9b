from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from haidang.apps.incidents.indicators import parse_indicator


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hxxps://Evil[.]Example/Path?q=1#frag", ("url", "https://evil.example/Path?q=1")),
        ("http://[2001:DB8::1]:8080", ("url", "http://[2001:db8::1]:8080/")),
        ("Ví-Dụ.VN.", ("domain", "xn--v-d-rma6749a.vn")),
        ("evil[.]example", ("domain", "evil.example")),
        ("203.0.113.5", ("ipv4", "203.0.113.5")),
        ("2001:DB8:0:0::1", ("ipv6", "2001:db8::1")),
        ("D41D8CD98F00B204E9800998ECF8427E", ("md5", "d41d8cd98f00b204e9800998ecf8427e")),
        ("da39a3ee5e6b4b0d3255bfef95601890afd80709", ("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709")),
        (
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ("sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ),
        ("Phishing[@]Bank-Fake.Example", ("email", "Phishing@bank-fake.example")),
    ],
)
def test_it_recognises_and_normalises(raw: str, expected: tuple[str, str]) -> None:
    assert parse_indicator(raw) == expected


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("", ""),
        ("two words", ""),
        ("javascript:alert(1)", "url"),
        ("http://", ""),
        ("http://[::1", ""),
        ("localhost", ""),
        ("-bad-.example", ""),
        ("999.1.1.1", "ipv4"),
        ("203.0.113.5", "ipv6"),
        ("xyz", "md5"),
        ("a" * 40, "sha256"),
        ("@example.vn", "email"),
        ("evil.example", "registry-key"),
        ("a" * 2001, ""),
    ],
)
def test_it_refuses_invalid_values(raw: str, kind: str) -> None:
    with pytest.raises(ValidationError):
        parse_indicator(raw, kind)
