"""Channel addresses: validation, masking and the apprise URLs (pure functions)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from haidang.apps.notify.targets import SmtpConfig, bot_url, email_url, mask_target, validate_target, webhook_url
from haidang.engines.common import AddressPolicy

PUBLIC_ONLY = AddressPolicy()


@pytest.mark.parametrize(
    ("kind", "address", "secret", "shown"),
    [
        ("email", "truc@so.example.vn", "", "truc@so.example.vn"),
        ("telegram", "-1001234", "123456789:AAH-secret", "-1001234 (bot 123456789:••••)"),
        ("zalo", "abc.123", "123456789:AAH-secret", "abc.123 (bot 123456789:••••)"),
        ("webhook", "https://hooks.example.vn/services/T0/B0/XyZ?key=1", "", "https://hooks.example.vn/••••"),
        ("webhook", "https://hooks.example.vn:8443", "", "https://hooks.example.vn:8443/"),
    ],
)
def test_it_never_shows_a_secret_back(kind: str, address: str, secret: str, shown: str) -> None:
    assert mask_target(kind, address, secret) == shown


@pytest.mark.parametrize(
    ("kind", "address", "secret", "field"),
    [
        ("email", "khong-phai-email", "", "address"),
        ("telegram", "12ab", "123456789:AAH-secret", "address"),
        ("telegram", "12345", "not-a-token", "secret"),
        ("zalo", "chat id có dấu", "123456789:AAH-secret", "address"),
        ("webhook", "ftp://hooks.example.vn/", "", "address"),
        ("webhook", "https://user:pw@hooks.example.vn/", "", "address"),
        ("webhook", "http://127.0.0.1:8080/hook", "", "address"),
        ("webhook", "http://169.254.169.254/latest/", "", "address"),
        ("webhook", "http://localhost/hook", "", "address"),
        ("webhook", "https://hooks.example.vn/a#frag", "", "address"),
    ],
)
def test_it_refuses_malformed_targets(kind: str, address: str, secret: str, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_target(kind, address, secret, policy=PUBLIC_ONLY)
    assert field in caught.value.message_dict


def test_it_accepts_loopback_webhooks_only_when_private_targets_are_allowed() -> None:
    validate_target("webhook", "http://127.0.0.1:8080/hook", "", policy=AddressPolicy(allow_private=True))
    with pytest.raises(ValidationError):
        validate_target("webhook", "http://169.254.169.254/", "", policy=AddressPolicy(allow_private=True))


def test_it_builds_a_mailto_url_with_quoted_credentials() -> None:
    config = SmtpConfig(
        host="smtp.so.example.vn", port=587, user="hai dang", password="p@ss:/?", sender="a@b.vn", tls="starttls"
    )

    url = email_url(config, "truc@so.example.vn", timeout=10)

    assert url.startswith("mailto://hai%20dang:p%40ss%3A%2F%3F@smtp.so.example.vn:587?")
    assert "mode=starttls" in url
    assert "to=truc%40so.example.vn" in url


def test_it_keeps_a_webhooks_query_as_request_parameters() -> None:
    url = webhook_url("https://hooks.example.vn:8443/in/abc?token=x%2Fy&b=2", timeout=5)

    assert url == "jsons://hooks.example.vn:8443/in/abc?cto=5&rto=5&-token=x%2Fy&-b=2"


def test_it_builds_bot_urls() -> None:
    assert bot_url("telegram", "1:abc", "@kenh_truc", timeout=4).startswith("tgram://1:abc/@kenh_truc?")
    assert bot_url("zalo", "1:abc", "chat.1", timeout=4).startswith("zalo://1:abc/chat.1?")
