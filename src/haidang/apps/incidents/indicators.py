"""Indicators of compromise: recognise the kind of a value, validate it and write it one canonical way.

Analysts paste indicators "defanged" (``hxxp://evil[.]example``); they are refanged here so the same
indicator is stored once whatever way it was typed.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_LENGTH = 2000
_HEX = re.compile(r"^[0-9a-f]+$")
_HASH_KINDS = {32: "md5", 40: "sha1", 64: "sha256"}
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_EMAIL_LOCAL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$")
_DEFANG = (("[.]", "."), ("(.)", "."), ("{.}", "."), ("[dot]", "."), ("[:]", ":"), ("[@]", "@"), ("[at]", "@"))


def refang(raw: str) -> str:
    value = raw.strip()
    for old, new in _DEFANG:
        value = value.replace(old, new)
    return re.sub(r"^(hxxp|hXXp|HXXP|fxp)(s?)://", lambda m: ("ftp" if m[1] == "fxp" else "http") + m[2] + "://", value)


def normalize_domain(raw: str) -> str:
    """Lower-case, no trailing dot, internationalised names in their ASCII (punycode) form."""
    name = raw.strip().rstrip(".").lower()
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValidationError(_("Tên miền không hợp lệ: %(value)s") % {"value": raw[:100]}) from exc
    labels = ascii_name.split(".")
    if len(labels) < 2 or len(ascii_name) > 253 or not all(_LABEL.match(label) for label in labels):
        raise ValidationError(_("Tên miền không hợp lệ: %(value)s") % {"value": raw[:100]})
    if labels[-1].isdigit():
        raise ValidationError(_("Tên miền không hợp lệ: %(value)s") % {"value": raw[:100]})
    return ascii_name


def _url(value: str) -> str:
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        port = parts.port
    except ValueError as exc:
        raise ValidationError(_("Địa chỉ URL không đúng cú pháp: %(value)s") % {"value": value[:100]}) from exc
    if parts.scheme.lower() not in {"http", "https", "ftp"} or not host:
        raise ValidationError(_("Địa chỉ URL phải bắt đầu bằng http://, https:// hoặc ftp:// và có tên máy."))
    try:
        host = str(ipaddress.ip_address(host))
        netloc_host = f"[{host}]" if ":" in host else host
    except ValueError:
        host = normalize_domain(host)
        netloc_host = host
    netloc = netloc_host if port is None else f"{netloc_host}:{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def _email(value: str) -> str:
    local, _sep, domain = value.rpartition("@")
    if not _EMAIL_LOCAL.match(local):
        raise ValidationError(_("Địa chỉ thư điện tử không hợp lệ: %(value)s") % {"value": value[:100]})
    return f"{local}@{normalize_domain(domain)}"


def parse_indicator(raw: str, kind: str = "") -> tuple[str, str]:
    """Return ``(kind, canonical value)``; ``kind`` is guessed when not given. Raises ValidationError."""
    value = refang(raw)
    if not value:
        raise ValidationError(_("Dấu hiệu đang trống."))
    if len(value) > MAX_LENGTH or any(ch.isspace() for ch in value) or "\x00" in value:
        raise ValidationError(_("Mỗi dấu hiệu là một giá trị không chứa khoảng trắng, tối đa 2000 ký tự."))
    guessed = kind or _guess(value)
    parsers = {
        "url": _url,
        "domain": normalize_domain,
        "ipv4": lambda v: _ip(v, 4),
        "ipv6": lambda v: _ip(v, 6),
        "md5": lambda v: _hash(v, 32),
        "sha1": lambda v: _hash(v, 40),
        "sha256": lambda v: _hash(v, 64),
        "email": _email,
    }
    parser = parsers.get(guessed)
    if parser is None:
        raise ValidationError(_("Loại dấu hiệu không hợp lệ: %(kind)s") % {"kind": guessed[:20]})
    return guessed, parser(value)


def _guess(value: str) -> str:
    lowered = value.lower()
    if "://" in value:
        return "url"
    if _HEX.match(lowered) and len(lowered) in _HASH_KINDS:
        return _HASH_KINDS[len(lowered)]
    try:
        return f"ipv{ipaddress.ip_address(value).version}"
    except ValueError:
        pass
    if "@" in value:
        return "email"
    return "domain"


def _ip(value: str, version: int) -> str:
    try:
        address = ipaddress.ip_address(value)
    except ValueError as exc:
        raise ValidationError(_("Địa chỉ IP không hợp lệ: %(value)s") % {"value": value[:100]}) from exc
    if address.version != version:
        raise ValidationError(_("Địa chỉ IP không hợp lệ: %(value)s") % {"value": value[:100]})
    return str(address)


def _hash(value: str, length: int) -> str:
    lowered = value.lower()
    if len(lowered) != length or not _HEX.match(lowered):
        raise ValidationError(
            _("Mã băm phải gồm đúng %(n)s ký tự thập lục phân (0-9, a-f).") % {"n": length},
        )
    return lowered
