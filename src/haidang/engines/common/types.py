"""Inputs and outputs of the outbound-network seam: frozen dataclasses and stable enums."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

KIB = 1024
MIB = 1024 * KIB


class FetchError(StrEnum):
    """Why a fetch produced no complete response. Stable codes: stored and translated by callers."""

    INVALID_URL = "invalid_url"
    FORBIDDEN_ADDRESS = "forbidden_address"
    DNS_FAILURE = "dns_failure"
    CONNECTION_REFUSED = "connection_refused"
    CONNECTION_RESET = "connection_reset"
    NETWORK_ERROR = "network_error"
    TIMEOUT = "timeout"
    TLS_ERROR = "tls_error"
    PROTOCOL_ERROR = "protocol_error"
    HEADERS_TOO_LARGE = "headers_too_large"
    TOO_LARGE = "too_large"
    DECOMPRESSION_BOMB = "decompression_bomb"
    CONTENT_ENCODING_ERROR = "content_encoding_error"
    TOO_MANY_REDIRECTS = "too_many_redirects"
    REDIRECT_LOOP = "redirect_loop"


class AddressClass(StrEnum):
    """What kind of network an IP address belongs to, from the point of view of an outbound guard."""

    PUBLIC = "public"
    PRIVATE = "private"  # loopback, RFC 1918, CGNAT, unique-local, link-local IPv6, …
    METADATA = "metadata"  # cloud instance-metadata endpoints and IPv4 link-local 169.254/16
    UNROUTABLE = "unroutable"  # unspecified, multicast, broadcast, reserved, documentation: never a target


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Which destination addresses a fetch may connect to.

    The default refuses everything but public unicast addresses. ``allow_private`` (the scanner's
    ``--allow-private`` / ``HAIDANG_ALLOW_PRIVATE_TARGETS=1``, read by the caller) lifts the refusal of
    private and loopback networks but not of cloud-metadata addresses, which need ``allow_metadata``.
    ``allowed_endpoints`` admits single ``(ip, port)`` pairs whatever their class, for one internal
    server the department wants monitored without opening every private network.
    """

    allow_private: bool = False
    allow_metadata: bool = False
    allowed_endpoints: frozenset[tuple[str, int]] = frozenset()


@dataclass(frozen=True, slots=True)
class FetchLimits:
    """Bounds on every fetch. Times in seconds, sizes in bytes."""

    connect_timeout: float = 5.0
    total_timeout: float = 10.0  # all hops of one fetch, counted while a request is in flight
    read_idle_timeout: float = 5.0  # longest silence while reading headers or body
    max_body_bytes: int = 2 * MIB  # bytes on the wire (compressed)
    max_decompressed_bytes: int = 8 * MIB
    max_redirects: int = 5
    max_header_line_bytes: int = 8190
    max_headers: int = 100
    per_host_concurrency: int = 4
    total_concurrency: int = 100
    max_url_length: int = 8192

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "total_timeout", "read_idle_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")
        for name in ("max_body_bytes", "max_decompressed_bytes", "max_header_line_bytes", "max_headers"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.per_host_concurrency < 1 or self.total_concurrency < 1:
            raise ValueError("concurrency limits must be at least 1")
        if self.max_redirects < 0:
            raise ValueError("max_redirects must not be negative")


@dataclass(frozen=True, slots=True)
class RedirectHop:
    """One redirect response: where it came from, what it said, and the absolute URL it resolved to."""

    url: str
    status: int
    location: str  # as sent by the server, cut to a bounded length
    target: str  # absolute URL after resolving ``location`` against ``url``; "" when unusable


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one fetch. Never raised: failures are ``error`` plus a short ``error_detail``."""

    requested_url: str
    final_url: str
    status: int | None = None
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    text: str = ""
    encoding: str | None = None
    redirect_chain: tuple[RedirectHop, ...] = ()
    error: FetchError | None = None
    error_detail: str = ""
    elapsed_ms: int = 0
    truncated: bool = False
    peer_address: str | None = None

    @property
    def ok(self) -> bool:
        """A response arrived complete (any HTTP status) with no error."""
        return self.error is None and self.status is not None

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        return next((value for key, value in self.headers if key.lower() == wanted), None)
