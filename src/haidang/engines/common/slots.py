"""Per-host concurrency: at most N requests in flight to one host, whatever the callers do."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class HostSlots:
    """A semaphore per host, created on demand and dropped when idle so the table stays small."""

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        # host -> (semaphore, number of tasks holding or waiting for it)
        self._table: dict[str, tuple[asyncio.Semaphore, int]] = {}

    def __len__(self) -> int:
        return len(self._table)

    @asynccontextmanager
    async def hold(self, host: str) -> AsyncIterator[None]:
        """Wait for a free slot on ``host`` and hold it for the duration of the block."""
        semaphore, users = self._table.get(host) or (asyncio.Semaphore(self._per_host), 0)
        self._table[host] = (semaphore, users + 1)
        try:
            async with semaphore:
                yield
        finally:
            semaphore, users = self._table[host]
            if users == 1:
                del self._table[host]
            else:
                self._table[host] = (semaphore, users - 1)
