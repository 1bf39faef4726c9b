"""Field validators for registry assets, with messages a unit officer can act on."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_CPE23 = re.compile(r"^cpe:2\.3:[aho\*\-](?::(?:[^:\\]|\\.)*){10}$")


def validate_http_url(value: str) -> None:
    try:
        parts = urlsplit(value)
        hostname = parts.hostname  # parses the port and IPv6 brackets, which can also fail
        parts.port  # noqa: B018 - evaluated for its validation
    except ValueError as exc:
        raise ValidationError(_("Địa chỉ URL không hợp lệ."), code="url") from exc
    if parts.scheme not in {"http", "https"} or not hostname:
        raise ValidationError(_("Địa chỉ phải bắt đầu bằng http:// hoặc https:// và có tên miền."), code="url_scheme")
    if parts.username or parts.password:
        raise ValidationError(_("Địa chỉ không được chứa tên đăng nhập hoặc mật khẩu."), code="url_credentials")


def validate_domain_name(value: str) -> None:
    name = value.rstrip(".").lower()
    try:
        ascii_name = name.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValidationError(_("Tên miền không hợp lệ."), code="domain") from exc
    labels = ascii_name.split(".")
    if len(ascii_name) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise ValidationError(_("Tên miền không hợp lệ (ví dụ đúng: sotttt.haiphong.gov.vn)."), code="domain")


def validate_host_address(value: str) -> None:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        try:
            ipaddress.ip_network(value, strict=False)
        except ValueError:
            validate_domain_name(value)


def validate_cpe23(value: str) -> None:
    if value and not _CPE23.match(value):
        raise ValidationError(
            _("CPE phải theo định dạng CPE 2.3, ví dụ cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*."),
            code="cpe",
        )
