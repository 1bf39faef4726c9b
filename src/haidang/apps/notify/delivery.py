"""Sending one message on one channel through apprise, bounded and isolated.

:func:`send` never raises: every failure (refused address, bad configuration, timeout, refused
connection, a bug inside a plugin) comes back as an :class:`Outcome` with ``ok=False`` and a short
reason, so one broken channel never stops the others.

Webhook, Telegram and Zalo destinations are resolved and checked against the platform's address
policy (``engines.common``) before apprise connects. apprise (through ``requests``) resolves the name
again, so a DNS answer that changes between the two lookups is not caught; redirects are disabled, so
the only destination is the checked name. The SMTP server is the operator's configuration, not user
input, and is trusted (it is often a relay on the private network).
"""

from __future__ import annotations

import html
import logging
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import apprise
from django.conf import settings
from django.utils.translation import gettext as _

from haidang.apps.notify.targets import SMTP_MODES, SmtpConfig, bot_url, email_url, webhook_url
from haidang.engines.common import AddressPolicy, is_forbidden_address, parse_ip

logger = logging.getLogger(__name__)

DETAIL_MAX = 500


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    severity: str = "info"


@dataclass(frozen=True)
class Outcome:
    ok: bool
    detail: str
    duration_ms: int


class DeliveryError(Exception):
    """A reason to give up on one channel before or while sending; the message is shown to people."""


def address_policy() -> AddressPolicy:
    return AddressPolicy(allow_private=bool(settings.HAIDANG_ALLOW_PRIVATE_TARGETS))


def smtp_config() -> SmtpConfig:
    return SmtpConfig(
        host=settings.HAIDANG_SMTP_HOST,
        port=settings.HAIDANG_SMTP_PORT,
        user=settings.HAIDANG_SMTP_USER,
        password=settings.HAIDANG_SMTP_PASSWORD,
        sender=settings.HAIDANG_SMTP_FROM,
        tls=settings.HAIDANG_SMTP_TLS,
    )


def send(kind: str, address: str, secret: str, message: Message) -> Outcome:
    """Deliver ``message`` to one destination; report the result instead of raising."""
    started = time.monotonic()
    secrets = [value for value in (secret, settings.HAIDANG_SMTP_PASSWORD, _url_secret(kind, address)) if value]
    with apprise.LogCapture(level=logging.WARNING, fmt="%(message)s") as captured:  # type: ignore[no-untyped-call]
        try:
            _send(kind, address, secret, message)
        except DeliveryError as exc:
            ok, detail = False, str(exc)
        # A plugin bug or a worker's soft time limit must not escape: the other channels still go.
        except Exception as exc:
            logger.warning("notification on %s failed unexpectedly", kind, exc_info=True)
            ok, detail = False, _("Lỗi khi gửi: %(error)s") % {"error": type(exc).__name__}
        else:
            ok, detail = True, _("Đã gửi.")
        if not ok:
            log = captured.getvalue().strip().splitlines()
            if log:
                detail = f"{detail} {log[-1]}"
    duration_ms = int((time.monotonic() - started) * 1000)
    return Outcome(ok=ok, detail=_scrub(detail, secrets)[:DETAIL_MAX], duration_ms=duration_ms)


def _send(kind: str, address: str, secret: str, message: Message) -> None:
    url, destination = _plan(kind, address, secret, timeout=float(settings.HAIDANG_NOTIFY_TIMEOUT_SECONDS))
    if destination:
        check_destination(destination)
    plugin = apprise.Apprise.instantiate(url, asset=apprise.AppriseAsset(http_redirects=False))
    if plugin is None:
        raise DeliveryError(_("Cấu hình kênh không hợp lệ."))
    base = destination.rstrip("/")
    if kind == "telegram":
        plugin.notify_url = f"{base}/bot"  # type: ignore[attr-defined]
    elif kind == "zalo":
        plugin.notify_url = f"{base}/bot{{token}}/sendMessage"  # type: ignore[attr-defined]
    title, body, body_format = message.title, message.body, apprise.NotifyFormat.TEXT
    if kind == "telegram":
        # Telegram gets HTML; apprise passes "<b>", "<a href>" in plain text through, so a hostile
        # incident title could add links or break the message. Escape it ourselves and declare HTML.
        title, body = "", html.escape(f"{message.title}\n\n{message.body}".strip(), quote=False)
        body_format = apprise.NotifyFormat.HTML
    if not plugin.notify(body=body, title=title, body_format=body_format):
        raise DeliveryError(_("Máy nhận không chấp nhận hoặc không kết nối được."))


def _plan(kind: str, address: str, secret: str, *, timeout: float) -> tuple[str, str]:
    """The apprise URL for one destination, and the URL whose host must pass the address policy."""
    if kind == "email":
        config = smtp_config()
        if not config.host:
            raise DeliveryError(_("Chưa cấu hình máy chủ gửi thư (HAIDANG_SMTP_HOST)."))
        if config.tls not in SMTP_MODES:
            raise DeliveryError(_("HAIDANG_SMTP_TLS phải là starttls, ssl hoặc none."))
        return email_url(config, address, timeout=timeout), ""
    if kind in ("telegram", "zalo"):
        api = settings.HAIDANG_TELEGRAM_API_BASE if kind == "telegram" else settings.HAIDANG_ZALO_API_BASE
        return bot_url(kind, secret, address, timeout=timeout), api
    if kind == "webhook":
        return webhook_url(address, timeout=timeout), address
    raise DeliveryError(_("Loại kênh không được hỗ trợ."))


def check_destination(url: str) -> None:
    """Refuse a destination that is, or resolves to, an address the policy forbids."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    policy = address_policy()
    literal = parse_ip(host)
    if literal is not None:
        addresses: list[str] = [str(literal)]
    else:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise DeliveryError(_("Không phân giải được tên máy %(host)s.") % {"host": host}) from exc
        addresses = sorted({str(info[4][0]) for info in infos})
    refused = [address for address in addresses if is_forbidden_address(address, policy)]
    if refused or not addresses:
        raise DeliveryError(
            _("Địa chỉ %(address)s bị chặn: không gửi tới mạng nội bộ, máy cục bộ hoặc dịch vụ metadata.")
            % {"address": refused[0] if refused else host}
        )


def _url_secret(kind: str, address: str) -> str:
    """The part of a webhook URL that may carry a key (its path and query)."""
    if kind != "webhook":
        return ""
    try:
        parts = urlsplit(address)
    except ValueError:
        return ""
    secret = parts.path.lstrip("/")
    return secret if len(secret) >= 8 else ""


def _scrub(text: str, secrets: list[str]) -> str:
    for value in secrets:
        text = text.replace(value, "••••")
    return text
