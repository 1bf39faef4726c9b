"""The address policy applied inside aiohttp: to what DNS returned, and to the socket's actual peer.

aiohttp connects only to the addresses its resolver hands back, so filtering them in
:class:`GuardedResolver` closes the DNS-rebinding window: there is no second lookup between the check
and the connection. Addresses the policy refuses are dropped; if none is left the lookup fails with
:class:`ForbiddenAddressError`, reported as ``forbidden_address`` rather than a DNS failure.
:class:`GuardedConnector` then checks the peer of every connection handed to a request, new or pooled,
before a byte of the request is sent, and records it for the result's ``peer_address``.
"""

from __future__ import annotations

import socket
from contextvars import ContextVar
from ipaddress import ip_address
from typing import Any

from aiohttp import ClientRequest, ClientTimeout, TCPConnector
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.connector import Connection
from aiohttp.resolver import ThreadedResolver

from haidang.engines.common.addresses import address_permitted
from haidang.engines.common.types import AddressPolicy


class ForbiddenAddressError(OSError):
    """Every address a host resolved to is refused by the address policy."""

    def __init__(self, host: str, addresses: list[str]) -> None:
        shown = ", ".join(addresses[:3])
        if [host] == addresses:
            super().__init__(f"address {host} is refused by the address policy")
        else:
            super().__init__(f"{host} resolves only to refused addresses ({shown})")
        self.host = host
        self.addresses = addresses


class ForbiddenPeerError(Exception):
    """The connection's peer address is refused by the policy (checked after connecting)."""


# The fetch that is asking for a connection: ``connect`` runs in the requesting task, so a context
# variable set around the request carries the peer back without touching aiohttp's request object.
PEER_SINK: ContextVar[list[str] | None] = ContextVar("haidang_peer_sink", default=None)


class GuardedResolver(AbstractResolver):
    """A resolver that never returns an address the policy refuses."""

    def __init__(self, policy: AddressPolicy, inner: AbstractResolver | None = None) -> None:
        self._policy = policy
        self._inner = inner or ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve ``host`` and keep only the addresses the policy permits."""
        results = await self._inner.resolve(host, port, family)
        allowed: list[ResolveResult] = []
        refused: list[str] = []
        for result in results:
            try:
                ip = ip_address(result["host"])
            except ValueError:
                refused.append(result["host"][:64])
                continue
            if address_permitted(ip, port, self._policy):
                allowed.append(result)
            else:
                refused.append(str(ip))
        if not allowed:
            if refused:
                raise ForbiddenAddressError(host, refused)
            raise OSError(f"{host} has no usable address")
        return allowed

    async def close(self) -> None:
        """Release the wrapped resolver."""
        await self._inner.close()


class GuardedConnector(TCPConnector):
    """A TCP connector that refuses, before sending anything, a connection whose peer the policy refuses."""

    def __init__(self, *, policy: AddressPolicy, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._policy = policy

    async def connect(self, req: ClientRequest, traces: list[Any], timeout: ClientTimeout) -> Connection:
        """Get a pooled or new connection and check its peer address."""
        connection = await super().connect(req, traces, timeout)
        transport = connection.transport
        peer: Any = transport.get_extra_info("peername") if transport is not None else None
        try:
            ip, port = ip_address(peer[0]), int(peer[1])
        except (TypeError, ValueError, IndexError):
            ip, port = None, None
        if ip is None or not address_permitted(ip, port, self._policy):
            connection.close()
            raise ForbiddenPeerError(f"connected peer {ip or 'unknown'} is refused by the address policy")
        sink = PEER_SINK.get()
        if sink is not None:
            sink.append(str(ip))
        return connection
