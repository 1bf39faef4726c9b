"""Hostile HTTP servers on 127.0.0.1 for the fetcher's tests: raw asyncio sockets, scripted per path."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TypeVar

from aiohttp.abc import AbstractResolver, ResolveResult


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]


T = TypeVar("T")
Handler = Callable[[Request, asyncio.StreamWriter], Awaitable[bool]]  # returns whether to keep the connection


def response(status: int = 200, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    """A complete HTTP/1.1 response with Content-Length."""
    head = [f"HTTP/1.1 {status} X"]
    fields = {"Content-Type": "text/html; charset=utf-8", **(headers or {}), "Content-Length": str(len(body))}
    head += [f"{k}: {v}" for k, v in fields.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


def static(status: int = 200, body: bytes = b"", headers: dict[str, str] | None = None) -> Handler:
    """A handler that always sends the same response."""
    data = response(status, body, headers)

    async def handle(request: Request, writer: asyncio.StreamWriter) -> bool:
        writer.write(data)
        await writer.drain()
        return True

    return handle


@dataclass
class Server:
    """Serve ``routes`` (path → handler) on 127.0.0.1; count connections, requests and concurrency."""

    routes: dict[str, Handler] = field(default_factory=dict)
    connections: int = 0
    requests: list[Request] = field(default_factory=list)
    clients: list[str] = field(default_factory=list)  # the client address of each connection
    active: int = 0
    max_active: int = 0
    port: int = 0
    _server: asyncio.Server | None = None
    _writers: set[asyncio.StreamWriter] = field(default_factory=set)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> Server:
        self._server = await asyncio.start_server(self._client, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._server is not None:
            self._server.close()
        for writer in list(self._writers):
            writer.close()

    async def _read_request(self, reader: asyncio.StreamReader) -> Request | None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            return None
        lines = head.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = {}
        for line in lines[1:]:
            if ":" in line:
                name, value = line.split(":", 1)
                headers[name.strip().lower()] = value.strip()
        return Request(method, path, headers)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self.clients.append(str(writer.get_extra_info("peername")[0]))
        self._writers.add(writer)
        try:
            while (request := await self._read_request(reader)) is not None:
                self.requests.append(request)
                handler = self.routes.get(request.path.split("?")[0]) or static(404, b"not found")
                self.active += 1
                self.max_active = max(self.max_active, self.active)
                try:
                    keep = await handler(request, writer)
                finally:
                    self.active -= 1
                if not keep:
                    break
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self._writers.discard(writer)
            writer.close()


class FakeResolver(AbstractResolver):
    """Answers from a table, so no test ever asks a real DNS server; unknown names fail like NXDOMAIN."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.asked: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.asked.append(host)
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            {
                "hostname": host,
                "host": ip,
                "port": port,
                "family": socket.AF_INET6 if ":" in ip else socket.AF_INET,
                "proto": 0,
                "flags": socket.AI_NUMERICHOST,
            }
            for ip in self.table[host]
        ]

    async def close(self) -> None:
        return None


def run(coroutine: Awaitable[T]) -> T:
    """Run a test scenario on a fresh event loop (pytest-asyncio is not used in this project)."""

    async def main() -> T:
        return await coroutine

    return asyncio.run(main())
