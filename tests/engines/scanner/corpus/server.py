"""Serve the corpus: every site on its own loopback host (127.0.0.N), all on one HTTP port and one HTTPS port.

One asyncio loop in a background thread hosts every listener. A site that is "refused" in a run has no
listener, but its port stays reserved by a bound, never-listening SO_REUSEPORT socket, so connecting is
refused by the kernel and the port cannot be taken by anyone else before the site comes back.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gzip
import itertools
import re
import secrets
import socket
import ssl
import threading
import time
from email.utils import formatdate
from http import HTTPStatus
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from .render import attacker_state
from .state import Response, SiteState, matches
from .techniques import ATTACKER_ORIGINS

if TYPE_CHECKING:
    from .corpus import Corpus

TLS_DIR = Path(__file__).parent / "tls"
CA_FILE = TLS_DIR / "cert.pem"
_DYNAMIC = re.compile(rb"@@(NONCE32|NONCE10|NONCE8|VIEWSTATE|SID|COUNTER|TIME|BANNER)@@")
_SESSION_SEGMENT = re.compile(r"^/\(S\([a-z0-9]+\)\)")
_IMAGE_EXT = (".jpg", ".jpeg", ".png", ".gif", ".ico", ".svg", ".webp")
_GIF = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
_MAX_HEAD = 16 * 1024


class _Compiled:
    """A Response with origins filled in and per-request placeholders split out."""

    __slots__ = ("gz", "hang", "head", "parts", "status")

    def __init__(self, response: Response, static: dict[bytes, bytes]) -> None:
        body = response.body
        head = "".join(f"{k}: {v}\r\n" for k, v in response.headers).encode("latin-1", "replace")
        for key, value in static.items():
            body = body.replace(key, value)
            head = head.replace(key, value)
        self.status = response.status
        self.hang = response.hang
        self.head = head
        self.parts: list[bytes] = _DYNAMIC.split(body)
        self.gz: bytes | None = None


class _Site:
    __slots__ = ("fallback", "gzip", "https_redirect", "refused", "routes")

    def __init__(self, state: SiteState, static: dict[bytes, bytes]) -> None:
        self.routes = {
            path: tuple((cond, _Compiled(resp, static)) for cond, resp in route.variants)
            for path, route in state.routes.items()
        }
        self.fallback = _Compiled(state.fallback, static)
        self.refused = state.refused
        self.https_redirect = state.https_redirect
        self.gzip = state.gzip


def _reserve(hosts: list[str], port: int) -> tuple[int, list[socket.socket]]:
    """Bind (never listen) one SO_REUSEPORT socket per host on a port free on all of them."""
    for _attempt in range(50):
        held: list[socket.socket] = []
        try:
            chosen = port
            for host in hosts:
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
                held.append(sock)
                sock.bind((host, chosen))
                chosen = sock.getsockname()[1]
            return chosen, held
        except OSError:
            for sock in held:
                sock.close()
            if port:
                raise
    raise OSError("no port free on every corpus host")


def _listening_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(256)
    sock.setblocking(False)
    return sock


class CorpusServer:
    """Serves a Corpus on 127.0.0.x; `set_run(r)` switches every site to its state in run r."""

    def __init__(self, corpus: Corpus, *, http_port: int = 0, https_port: int = 0, hang_seconds: float = 30.0) -> None:
        self.corpus = corpus
        self.hang_seconds = hang_seconds
        self.http_port = http_port
        self.https_port = https_port
        self.run: int | None = None
        self._hosts = [site.host for site in corpus.sites]
        self._attackers = [f"127.0.0.{250 + i}" for i in range(ATTACKER_ORIGINS)]
        self._sites: list[_Site] = []
        self._listeners: dict[tuple[int, str], asyncio.AbstractServer] = {}
        self._reserved: list[socket.socket] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="corpus-server", daemon=True)
        self._counter = itertools.count(1_000_000 + secrets.randbelow(8_000_000))
        self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._tls.load_cert_chain(TLS_DIR / "cert.pem", TLS_DIR / "key.pem")

    # lifecycle
    def __enter__(self) -> CorpusServer:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def start(self, run: int = 0) -> None:
        self.http_port, held = _reserve(self._hosts + self._attackers, self.http_port)
        self._reserved += held
        self.https_port, held = _reserve(self._hosts, self.https_port)
        self._reserved += held
        self._thread.start()
        self.set_run(run)

    def stop(self) -> None:
        if self._thread.is_alive():
            asyncio.run_coroutine_threadsafe(self._shutdown(), self._loop).result(10)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        self._loop.close()
        for sock in self._reserved:
            sock.close()
        self._reserved.clear()

    # addressing
    @property
    def ca_file(self) -> Path:
        """Self-signed certificate (CA:TRUE, SAN 127.0.0.1–254) to trust for the HTTPS listeners."""
        return CA_FILE

    def origin(self, site_id: str, scheme: str = "http") -> str:
        host = self.corpus.site(site_id).host
        return f"{scheme}://{host}:{self.https_port if scheme == 'https' else self.http_port}"

    def url_for(self, site_id: str) -> str:
        """The URL a unit registers for its site: always http://127.0.0.N:PORT/ (it may redirect)."""
        return self.origin(site_id) + "/"

    def attacker_origin(self, n: int) -> str:
        return f"http://{self._attackers[n]}:{self.http_port}"

    # runs
    def set_run(self, run: int) -> None:
        """Serve run `run` on every site (a site with fewer runs keeps serving its last one)."""
        sites = []
        for site in self.corpus.sites:
            state = self.corpus.render(site.site_id, min(run, len(site.runs) - 1))
            sites.append(_Site(state, self._static(site.site_id, state)))
        attackers = [_Site(attacker_state(i), {}) for i in range(ATTACKER_ORIGINS)]
        asyncio.run_coroutine_threadsafe(self._switch(sites + attackers), self._loop).result(30)
        self.run = run

    def _static(self, site_id: str, state: SiteState) -> dict[bytes, bytes]:
        scheme = "https" if state.https_redirect else "http"
        values = {b"@@SELF@@": self.origin(site_id, scheme).encode()}
        for i in range(ATTACKER_ORIGINS):
            values[f"@@ATTACKER{i}@@".encode()] = self.attacker_origin(i).encode()
        return values

    async def _switch(self, sites: list[_Site]) -> None:
        self._sites = sites
        hosts = self._hosts + self._attackers
        for index, host in enumerate(hosts):
            schemes = ("http",) if index >= len(self._hosts) else ("http", "https")
            for scheme in schemes:
                key = (index, scheme)
                if sites[index].refused and key in self._listeners:
                    self._listeners.pop(key).close()
                elif not sites[index].refused and key not in self._listeners:
                    port = self.https_port if scheme == "https" else self.http_port
                    self._listeners[key] = await asyncio.start_server(
                        self._client(index, scheme),
                        sock=_listening_socket(host, port),
                        ssl=self._tls if scheme == "https" else None,
                        limit=_MAX_HEAD,
                    )

    async def _shutdown(self) -> None:
        for server in self._listeners.values():
            server.close()
        self._listeners.clear()
        # abort rather than cancel: each handler then sees its connection lost and ends normally
        for writer in list(self._writers):
            writer.transport.abort()
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=5)

    # HTTP
    def _client(self, index: int, scheme: str):  # type: ignore[no-untyped-def]
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            self._tasks.add(task)
            self._writers.add(writer)
            try:
                while await self._one_request(index, scheme, reader, writer):
                    pass
            except (
                ConnectionError,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
                ssl.SSLError,
                TimeoutError,
                ValueError,  # a garbled request line or Content-Length: drop the connection
            ):
                pass
            finally:
                self._tasks.discard(task)
                self._writers.discard(writer)
                writer.close()

        return handle

    async def _one_request(
        self, index: int, scheme: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, version = ([*lines[0].split(" "), "", ""])[:3]
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0") or 0)
        if 0 < length <= 1 << 20:
            await reader.readexactly(length)
        site = self._sites[index]
        if site.refused:
            return False
        keep = version == "HTTP/1.1" and headers.get("connection", "").lower() != "close"
        if scheme == "http" and site.https_redirect:
            location = f"https://{self._hosts[index]}:{self.https_port}{target}"
            writer.write(self._redirect_bytes(location, keep))
            await writer.drain()
            return keep
        compiled = self._route(site, target, headers)
        if compiled.hang:
            # answer nothing; give up when the client hangs up or after hang_seconds
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(reader.read(), self.hang_seconds)
            return False
        gz = site.gzip and "gzip" in headers.get("accept-encoding", "")
        writer.write(self._response_bytes(compiled, method == "HEAD", keep, gz))
        await writer.drain()
        return keep

    def _route(self, site: _Site, target: str, headers: dict[str, str]) -> _Compiled:
        target = _SESSION_SEGMENT.sub("", target.split("#", 1)[0]) or "/"
        variants = site.routes.get(target) or site.routes.get(target.split("?", 1)[0])
        if variants is None:
            if target.split("?", 1)[0].lower().endswith(_IMAGE_EXT) and site.fallback.status == 404:
                return _Compiled(Response(200, (("Content-Type", "image/gif"),), _GIF), {})
            return site.fallback
        ua, referer = headers.get("user-agent", ""), headers.get("referer", "")
        for cond, compiled in variants:
            if cond == "any" or matches(cond, ua, referer):
                return compiled
        return variants[-1][1]

    def _fill(self, compiled: _Compiled) -> bytes:
        if len(compiled.parts) == 1:
            return compiled.parts[0]
        values: dict[bytes, bytes] = {}
        out = []
        for i, part in enumerate(compiled.parts):
            if i % 2 == 0:
                out.append(part)
            else:
                if part not in values:
                    values[part] = self._token(part)
                out.append(values[part])
        return b"".join(out)

    def _token(self, name: bytes) -> bytes:
        makers = {
            b"NONCE32": lambda: secrets.token_hex(16),
            b"NONCE10": lambda: secrets.token_hex(5),
            b"NONCE8": lambda: secrets.token_urlsafe(6),
            b"VIEWSTATE": lambda: base64.b64encode(secrets.token_bytes(180 + secrets.randbelow(420))).decode(),
            b"SID": lambda: "".join(secrets.choice("abcdefghijklmnopqrstuvwxyz012345") for _ in range(24)),
            b"COUNTER": lambda: f"{next(self._counter):,}".replace(",", "."),
            b"TIME": lambda: time.strftime("%H:%M:%S"),
            b"BANNER": lambda: str(1 + secrets.randbelow(5)),
        }
        return makers[name]().encode()

    def _response_bytes(self, compiled: _Compiled, head_only: bool, keep: bool, gz: bool) -> bytes:
        dynamic = len(compiled.parts) > 1
        body = self._fill(compiled)
        extra = ""
        if gz and compiled.status == 200:
            if dynamic:
                body = gzip.compress(body, 5, mtime=0)
            else:
                if compiled.gz is None:
                    compiled.gz = gzip.compress(body, 5, mtime=0)
                body = compiled.gz
            extra = "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n"
        status = compiled.status
        start = (
            f"HTTP/1.1 {status} {HTTPStatus(status).phrase}\r\nDate: {formatdate(usegmt=True)}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: {'keep-alive' if keep else 'close'}\r\n{extra}"
        ).encode()
        head = compiled.head
        if b"@@SID@@" in head:
            head = head.replace(b"@@SID@@", self._token(b"SID"))
        return start + head + b"\r\n" + (b"" if head_only else body)

    def _redirect_bytes(self, location: str, keep: bool) -> bytes:
        return (
            f"HTTP/1.1 301 Moved Permanently\r\nDate: {formatdate(usegmt=True)}\r\nLocation: {location}\r\n"
            f"Content-Length: 0\r\nConnection: {'keep-alive' if keep else 'close'}\r\nServer: nginx\r\n\r\n"
        ).encode()
