"""Strict parsing of the URLs a fetch is asked for or redirected to.

A URL is rebuilt from what this module understood, so the HTTP client never gets a chance to read
the host differently: legacy IPv4 spellings become dotted quads, names become lower-case IDNA, and
anything two parsers could disagree on (userinfo, backslashes, percent-encoded or control characters
in the authority, IPv6 zone ids) is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv6Address
from urllib.parse import SplitResult, urljoin, urlsplit, urlunsplit

import idna

from haidang.engines.common.addresses import IPAddress, parse_legacy_ipv4

DEFAULT_PORTS = {"http": 80, "https": 443}
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_TAB_NEWLINE = re.compile(r"[\t\n\r]")
_HOST_LABEL = re.compile(r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?")


class InvalidURLError(ValueError):
    """The URL cannot be fetched safely; the message is a short, displayable reason."""


@dataclass(frozen=True, slots=True)
class Target:
    """A parsed, canonical http(s) URL."""

    url: str
    scheme: str
    host: str  # lower-case IDNA name, dotted IPv4 or bare compressed IPv6
    port: int
    ip: IPAddress | None  # set when the host is an address literal

    @property
    def origin(self) -> tuple[str, str, int]:
        """Scheme, host and port: what same-origin comparisons use."""
        return (self.scheme, self.host, self.port)


def _ipv6_host(raw: str) -> IPv6Address:
    if "%" in raw:
        raise InvalidURLError("IPv6 zone identifiers are not allowed")
    try:
        return IPv6Address(raw)
    except ValueError:
        raise InvalidURLError("invalid IPv6 address") from None


def _ascii_host(raw: str) -> str:
    if any(c in raw for c in "%\\@[]<>^|/?#: "):
        raise InvalidURLError("forbidden character in host")
    if raw.isascii():
        return raw.lower()
    try:
        return idna.encode(raw, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError, ValueError):
        raise InvalidURLError("host is not a valid internationalised domain name") from None


def _parse_host(raw: str) -> tuple[str, IPAddress | None]:
    if not raw:
        raise InvalidURLError("URL has no host")
    if raw.startswith("["):
        if not raw.endswith("]"):
            raise InvalidURLError("unterminated IPv6 address")
        v6 = _ipv6_host(raw[1:-1])
        return str(v6), v6
    # IDNA mapping first: full-width digits must not dodge the address check.
    name = _ascii_host(raw)
    try:
        v4 = parse_legacy_ipv4(name)
    except ValueError:
        raise InvalidURLError("host ends in a number but is not an IPv4 address") from None
    if v4 is not None:
        return str(v4), v4
    if name.endswith(".") and not name.endswith(".."):
        name = name[:-1]
    if len(name) > 253 or not all(_HOST_LABEL.fullmatch(label) for label in name.split(".")):
        raise InvalidURLError("host is not a valid domain name")
    return name, None


def _split_authority(parts: SplitResult) -> tuple[str, int | None]:
    netloc = parts.netloc
    if "@" in netloc or "\\" in netloc:
        raise InvalidURLError("credentials or backslashes in the authority are not allowed")
    host, port_text = netloc, ""
    if netloc.startswith("["):
        close = netloc.find("]")
        if close < 0:
            raise InvalidURLError("unterminated IPv6 address")
        host, rest = netloc[: close + 1], netloc[close + 1 :]
        if rest and not rest.startswith(":"):
            raise InvalidURLError("junk after IPv6 address")
        port_text = rest[1:]
    elif ":" in netloc:
        host, port_text = netloc.rsplit(":", 1)
    if not port_text:
        return host, None
    if not port_text.isdigit() or not port_text.isascii() or not 0 < int(port_text) < 65536:
        raise InvalidURLError("invalid port")
    return host, int(port_text)


def parse_target(url: str, *, max_length: int = 8192) -> Target:
    """Parse ``url`` into a canonical http(s) :class:`Target` or raise :class:`InvalidURLError`."""
    return _parse_target(url, max_length)


# A pure function of its arguments with an immutable result: a scanner fetches every URL as several
# probes, so most calls are repeats. Refusals raise and are never cached. Bounded: URLs are capped.
@lru_cache(maxsize=1024)
def _parse_target(url: str, max_length: int) -> Target:
    text = _TAB_NEWLINE.sub("", url.strip())  # as browsers do
    if len(text) > max_length:
        raise InvalidURLError("URL is too long")
    if _CONTROL.search(text):
        raise InvalidURLError("URL contains control characters")
    try:
        parts = urlsplit(text)
    except ValueError:
        raise InvalidURLError("URL cannot be parsed") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise InvalidURLError("only http and https URLs can be fetched")
    raw_host, port = _split_authority(parts)
    host, ip = _parse_host(raw_host)
    port = port or DEFAULT_PORTS[scheme]
    shown_host = f"[{host}]" if isinstance(ip, IPv6Address) else host
    netloc = shown_host if port == DEFAULT_PORTS[scheme] else f"{shown_host}:{port}"
    canonical = urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))
    return Target(url=canonical, scheme=scheme, host=host, port=port, ip=ip)


def resolve_location(base: Target, location: str, *, max_length: int = 8192) -> Target:
    """Resolve a redirect ``Location`` against the URL that sent it, with the same strictness."""
    text = _TAB_NEWLINE.sub("", location.strip())  # as browsers do
    if len(text) > max_length:
        raise InvalidURLError("redirect location is too long")
    if _CONTROL.search(text):
        raise InvalidURLError("redirect location contains control characters")
    try:
        absolute = urljoin(base.url, text)
    except ValueError:
        raise InvalidURLError("redirect location cannot be parsed") from None
    return parse_target(absolute, max_length=max_length)
