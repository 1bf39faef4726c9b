"""A synchronous front for one-off command-line use: fetch a few URLs and return their results."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from haidang.engines.common.fetcher import Fetcher
from haidang.engines.common.types import AddressPolicy, FetchLimits, FetchResult


def fetch_many(
    urls: Sequence[str],
    *,
    user_agent: str,
    headers: dict[str, str] | None = None,
    limits: FetchLimits | None = None,
    policy: AddressPolicy | None = None,
    verify_tls: bool = True,
) -> list[FetchResult]:
    """Fetch ``urls`` concurrently on a fresh event loop; results come back in the order given.

    For scripts and the command line only: it must not be called from inside a running event loop.
    """

    async def run() -> list[FetchResult]:
        async with Fetcher(limits=limits, policy=policy, verify_tls=verify_tls) as fetcher:
            return list(
                await asyncio.gather(*(fetcher.fetch(url, user_agent=user_agent, headers=headers) for url in urls))
            )

    return asyncio.run(run())
