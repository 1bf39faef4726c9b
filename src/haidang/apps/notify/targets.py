"""What a channel's address and secret must look like, how they are shown, and their apprise URL.

Pure functions: no database, no network. :mod:`haidang.apps.notify.delivery` does the sending.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from haidang.apps.registry.validators import validate_http_url
from haidang.engines.common import AddressPolicy, is_forbidden_address, parse_ip

#: A bot token as Telegram and Zalo issue them: the bot's number, a colon, then the secret part.
BOT_TOKEN = re.compile(r"^[0-9]{3,20}:[A-Za-z0-9_-]{8,200}$")
TELEGRAM_CHAT = re.compile(r"^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$")
ZALO_CHAT = re.compile(r"^[A-Za-z0-9._-]{1,100}$")
MASK = "••••"


def validate_target(kind: str, address: str, secret: str, *, policy: AddressPolicy) -> None:
    """Raise ``ValidationError`` keyed by ``address``/``secret`` when they do not fit ``kind``."""
    errors: dict[str, list[ValidationError]] = {}
    if kind == "email":
        try:
            validate_email(address)
        except ValidationError:
            errors["address"] = [ValidationError(_("Địa chỉ thư điện tử không hợp lệ."), code="email")]
    elif kind in ("telegram", "zalo"):
        pattern = TELEGRAM_CHAT if kind == "telegram" else ZALO_CHAT
        if not pattern.match(address):
            errors["address"] = [ValidationError(_("Mã cuộc trò chuyện (chat ID) không hợp lệ."), code="chat_id")]
        if not BOT_TOKEN.match(secret):
            message = _("Mã bot không hợp lệ: dạng đúng là 123456789:AbCdEf…, lấy từ tin nhắn khi tạo bot.")
            errors["secret"] = [ValidationError(message, code="bot_token")]
    elif kind == "webhook":
        try:
            _validate_webhook(address, policy=policy)
        except ValidationError as exc:
            errors["address"] = exc.error_list
    if errors:
        raise ValidationError(errors)


def _validate_webhook(url: str, *, policy: AddressPolicy) -> None:
    validate_http_url(url)
    parts = urlsplit(url)
    if parts.fragment:
        raise ValidationError(_("Địa chỉ webhook không được có phần #…"), code="url_fragment")
    host = parts.hostname or ""
    literal = parse_ip(host)
    # Names are resolved and checked again at every send; here only the obvious mistakes are caught.
    if (literal is not None and is_forbidden_address(literal, policy)) or (
        host == "localhost" and not policy.allow_private
    ):
        raise ValidationError(
            _("Địa chỉ nội bộ (mạng riêng, máy cục bộ, dịch vụ metadata) không được dùng làm webhook."),
            code="url_private",
        )


def mask_secret(secret: str) -> str:
    """``123456789:AbCd…`` → ``123456789:••••``: the bot's public number only."""
    bot, sep, _rest = secret.partition(":")
    return f"{bot}{sep}{MASK}" if sep else MASK


def mask_target(kind: str, address: str, secret: str) -> str:
    """How a channel is shown back: never a token, never a webhook's path or query (they carry keys)."""
    if kind in ("telegram", "zalo"):
        return f"{address} (bot {mask_secret(secret)})"
    if kind == "webhook":
        try:
            parts = urlsplit(address)
            netloc = parts.hostname or ""
            if parts.port:
                netloc = f"{netloc}:{parts.port}"
        except ValueError:
            return MASK
        hidden = parts.path not in ("", "/") or parts.query
        return f"{parts.scheme}://{netloc}/{MASK if hidden else ''}"
    return address


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    user: str
    password: str
    sender: str
    tls: str  # starttls | ssl | none


SMTP_MODES = {"starttls": "starttls", "ssl": "ssl", "none": "insecure"}


def email_url(config: SmtpConfig, to: str, *, timeout: float) -> str:
    """The apprise ``mailto://`` URL that sends to ``to`` through the configured SMTP server."""
    auth = f"{quote(config.user, safe='')}:{quote(config.password, safe='')}@" if config.user else ""
    query = urlencode(
        {
            "smtp": config.host,
            "mode": SMTP_MODES[config.tls],
            "from": config.sender,
            "to": to,
            "cto": f"{timeout:g}",
            "rto": f"{timeout:g}",
        }
    )
    return f"mailto://{auth}{_host(config.host)}:{config.port}?{query}"


def bot_url(kind: str, secret: str, chat_id: str, *, timeout: float) -> str:
    """The apprise ``tgram://`` or ``zalo://`` URL; the API base is set on the plugin afterwards."""
    schema = "tgram" if kind == "telegram" else "zalo"
    query = urlencode({"cto": f"{timeout:g}", "rto": f"{timeout:g}"})
    return f"{schema}://{secret}/{quote(chat_id, safe='@')}?{query}"


def webhook_url(url: str, *, timeout: float) -> str:
    """The apprise ``json://``/``jsons://`` URL posting to ``url``, its query kept as request parameters."""
    parts = urlsplit(url)
    schema = "jsons" if parts.scheme == "https" else "json"
    netloc = _host(parts.hostname or "")
    if parts.port:
        netloc = f"{netloc}:{parts.port}"
    params: list[tuple[str, str]] = [("cto", f"{timeout:g}"), ("rto", f"{timeout:g}")]
    for pair in parts.query.split("&") if parts.query else []:
        key, _sep, value = pair.partition("=")
        # apprise passes "-name=value" on as the GET parameter "name".
        params.append((f"-{key}", value))
    query = "&".join(f"{quote(k, safe='-%')}={quote(v, safe='%')}" for k, v in params)
    return f"{schema}://{netloc}{parts.path or '/'}?{query}"


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
