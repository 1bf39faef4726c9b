"""Mapping whatever the network throws to a stable :class:`FetchError` code and a short detail."""

from __future__ import annotations

import errno
import ssl

import aiohttp
from aiohttp import http_exceptions

from haidang.engines.common.decompression import ContentEncodingError, DecompressionBombError
from haidang.engines.common.guard import ForbiddenAddressError, ForbiddenPeerError
from haidang.engines.common.types import FetchError
from haidang.engines.common.urls import InvalidURLError

MAX_DETAIL = 200
_REFUSED = {errno.ECONNREFUSED}
_RESET = {errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED}
# aiohttp's parser reports its size limits only in the message (the C parser does not chain LineTooLong).
_HEADER_LIMIT_MESSAGES = ("Got more than", "Too many headers", "Header value is too long", "Status line is too long")


class BodyTooLargeError(Exception):
    """More body bytes arrived than the limit allows."""


def short(text: object) -> str:
    """A one-line detail of bounded length; server-controlled text must not bloat evidence."""
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_DETAIL else line[: MAX_DETAIL - 1] + "…"


def _connector_error(exc: aiohttp.ClientConnectorError) -> FetchError:
    os_error = exc.os_error
    if isinstance(os_error, ForbiddenAddressError):
        return FetchError.FORBIDDEN_ADDRESS
    if isinstance(exc, aiohttp.ClientConnectorDNSError):
        return FetchError.DNS_FAILURE
    if isinstance(os_error, ssl.SSLError):
        return FetchError.TLS_ERROR
    if os_error.errno in _REFUSED:
        return FetchError.CONNECTION_REFUSED
    if os_error.errno in _RESET:
        return FetchError.CONNECTION_RESET
    return FetchError.NETWORK_ERROR


def _response_error(exc: aiohttp.ClientResponseError) -> FetchError:
    message = str(exc.message)
    if isinstance(exc.__cause__, http_exceptions.LineTooLong) or message.startswith(_HEADER_LIMIT_MESSAGES):
        return FetchError.HEADERS_TOO_LARGE
    return FetchError.PROTOCOL_ERROR


_DIRECT: tuple[tuple[type[BaseException], FetchError], ...] = (
    (InvalidURLError, FetchError.INVALID_URL),
    (aiohttp.InvalidURL, FetchError.INVALID_URL),
    (ForbiddenAddressError, FetchError.FORBIDDEN_ADDRESS),
    (ForbiddenPeerError, FetchError.FORBIDDEN_ADDRESS),
    (DecompressionBombError, FetchError.DECOMPRESSION_BOMB),
    (ContentEncodingError, FetchError.CONTENT_ENCODING_ERROR),
    (BodyTooLargeError, FetchError.TOO_LARGE),
    (aiohttp.ClientSSLError, FetchError.TLS_ERROR),
    (ssl.SSLError, FetchError.TLS_ERROR),
    (TimeoutError, FetchError.TIMEOUT),
    (aiohttp.ServerDisconnectedError, FetchError.CONNECTION_RESET),
    (ConnectionResetError, FetchError.CONNECTION_RESET),
    (ConnectionRefusedError, FetchError.CONNECTION_REFUSED),
)


def classify_exception(exc: BaseException) -> tuple[FetchError, str]:
    """The error code and a bounded detail for an exception raised while fetching."""
    detail = short(exc) or type(exc).__name__
    for kind, code in _DIRECT:
        if isinstance(exc, kind):
            return code, detail
    if isinstance(exc, aiohttp.ClientConnectorError):
        return _connector_error(exc), short(exc.os_error) or detail
    if isinstance(exc, aiohttp.ClientResponseError):
        return _response_error(exc), short(exc.message) or detail
    return _other_error(exc, detail), detail


def _other_error(exc: BaseException, detail: str) -> FetchError:
    if isinstance(exc, aiohttp.ClientPayloadError):
        # Broken chunked framing is the server speaking nonsense; a short body is a cut connection.
        broken = isinstance(exc.__cause__, http_exceptions.TransferEncodingError) or "TransferEncoding" in detail
        return FetchError.PROTOCOL_ERROR if broken else FetchError.CONNECTION_RESET
    if isinstance(exc, OSError):
        return FetchError.CONNECTION_RESET if exc.errno in _RESET else FetchError.NETWORK_ERROR
    return FetchError.PROTOCOL_ERROR
