"""The one outbound-network seam shared by every engine.

Every request an engine makes goes through :class:`Fetcher`: strict URL parsing, a private-address
guard applied after DNS resolution and on every redirect, bounded time, size, redirects and
decompression, and results (never exceptions) with stable error codes.
"""

from haidang.engines.common.addresses import classify_address, is_forbidden_address, parse_ip
from haidang.engines.common.batch import fetch_many
from haidang.engines.common.fetcher import Fetcher
from haidang.engines.common.types import (
    AddressClass,
    AddressPolicy,
    FetchError,
    FetchLimits,
    FetchResult,
    RedirectHop,
)
from haidang.engines.common.urls import InvalidURLError, Target, parse_target

__all__ = [
    "AddressClass",
    "AddressPolicy",
    "FetchError",
    "FetchLimits",
    "FetchResult",
    "Fetcher",
    "InvalidURLError",
    "RedirectHop",
    "Target",
    "classify_address",
    "fetch_many",
    "is_forbidden_address",
    "parse_ip",
    "parse_target",
]
