"""Hostile servers: endless, dripping, silent, bombs, huge headers, broken framing, resets, crowds."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import struct
import subprocess
import time
import tracemalloc
from pathlib import Path
from shutil import which

import pytest

from haidang.engines.common import AddressPolicy, Fetcher, FetchError, FetchLimits, FetchResult
from tests.engines.common.servers import FakeResolver, Handler, Request, Server, response, run, static
from tests.engines.common.test_decompression import bomb

UA = "HaiDang-test/1"
LOCAL = AddressPolicy(allow_private=True)
SMALL = FetchLimits(
    connect_timeout=1.0,
    total_timeout=0.6,
    read_idle_timeout=0.25,
    max_body_bytes=256 * 1024,
    max_decompressed_bytes=512 * 1024,
)
# The bomb test traces every allocation, which slows inflating several-fold on a busy CI machine: the
# deadline is not what it tests, so it gets room.
BOMB_LIMITS = dataclasses.replace(SMALL, total_timeout=15.0, read_idle_timeout=5.0)


def raw(data: bytes, *, close: bool = True) -> Handler:
    """Send ``data`` verbatim, then close."""

    async def handle(request: Request, writer: asyncio.StreamWriter) -> bool:
        writer.write(data)
        await writer.drain()
        return not close

    return handle


async def endless(request: Request, writer: asyncio.StreamWriter) -> bool:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
    chunk = b"<p>" + b"x" * 65536 + b"</p>"
    while True:  # until the client hangs up
        writer.write(chunk)
        await writer.drain()


def drip(head: bytes) -> Handler:
    async def handle(request: Request, writer: asyncio.StreamWriter) -> bool:
        writer.write(head)
        while True:
            writer.write(b"a")
            await writer.drain()
            await asyncio.sleep(0.05)  # the server drips; faster than the read-idle timeout

    return handle


async def silent(request: Request, writer: asyncio.StreamWriter) -> bool:
    await asyncio.Event().wait()
    return False


async def reset_mid_body(request: Request, writer: asyncio.StreamWriter) -> bool:
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n" + b"y" * 1000)
    await writer.drain()
    sock = writer.get_extra_info("socket")
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with RST
    writer.transport.abort()
    return False


async def fetch_path(handler: Handler, limits: FetchLimits = SMALL) -> tuple[FetchResult, float]:
    async with Server({"/": handler}) as server, Fetcher(policy=LOCAL, limits=limits) as fetcher:
        started = time.monotonic()
        result = await fetcher.fetch(f"{server.url}/", user_agent=UA)
        return result, time.monotonic() - started


def test_it_caps_an_endless_body() -> None:
    result, seconds = run(fetch_path(endless))
    assert result.error is FetchError.TOO_LARGE
    assert result.truncated
    assert len(result.body) == SMALL.max_body_bytes
    assert result.text.startswith("<p>xxx")
    assert seconds < 2


@pytest.mark.parametrize(
    "head",
    [b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n", b"HTTP/1.1 200 OK\r\nX-Slow: "],
    ids=["body", "headers"],
)
def test_it_ends_a_slow_drip_at_the_deadline(head: bytes) -> None:
    result, seconds = run(fetch_path(drip(head)))
    assert result.error is FetchError.TIMEOUT
    assert SMALL.total_timeout - 0.1 < seconds < SMALL.total_timeout + 1
    if head.endswith(b"\r\n\r\n"):  # dripping the body: what arrived is kept, marked incomplete
        assert result.status == 200
        assert result.truncated
        assert result.body.startswith(b"a")
    else:
        assert result.status is None


def test_it_ends_a_silent_server_at_the_read_idle_timeout() -> None:
    result, seconds = run(fetch_path(silent))
    assert result.error is FetchError.TIMEOUT
    assert seconds < SMALL.total_timeout


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate", "br"])
def test_it_stops_a_decompression_bomb_with_bounded_memory(encoding: str) -> None:
    header = "deflate" if encoding == "raw-deflate" else encoding
    handler = static(200, bomb(encoding), {"Content-Type": "text/html", "Content-Encoding": header})

    async def scenario() -> tuple[FetchResult, int]:
        async with Server({"/": handler}) as server, Fetcher(policy=LOCAL, limits=BOMB_LIMITS) as fetcher:
            tracemalloc.start()
            try:
                result = await fetcher.fetch(f"{server.url}/", user_agent=UA)
                return result, tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()

    result, peak = run(scenario())
    assert result.error is FetchError.DECOMPRESSION_BOMB
    assert result.truncated
    assert len(result.body) == SMALL.max_decompressed_bytes
    # The bomb inflates to 16 MiB against a 512 KiB budget: partial output, body and text stay a few budgets.
    assert peak < 8 * SMALL.max_decompressed_bytes, f"peak {peak}"


def test_it_reports_an_unsupported_content_encoding() -> None:
    result, _ = run(fetch_path(static(200, b"\x28\xb5\x2f\xfd", {"Content-Encoding": "zstd"})))
    assert result.error is FetchError.CONTENT_ENCODING_ERROR
    assert result.status == 200


@pytest.mark.parametrize(
    "data",
    [
        b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n",
        b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(500)) + b"\r\n",
    ],
    ids=["long-line", "many-headers"],
)
def test_it_refuses_huge_headers(data: bytes) -> None:
    result, _ = run(fetch_path(raw(data)))
    assert result.error is FetchError.HEADERS_TOO_LARGE
    assert result.status is None


@pytest.mark.parametrize(
    "data",
    [
        b"HTTP/1.1 abc OK\r\n\r\n",
        b"hello world\r\n\r\n",
        b"<html>HTTP/0.9 style</html>",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nxx\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
        b"HTTP/1.1 200 OK\r\nBad Header\x00: v\r\n\r\n",
    ],
)
def test_it_turns_broken_framing_into_a_protocol_error(data: bytes) -> None:
    result, _ = run(fetch_path(raw(data)))
    assert result.error is FetchError.PROTOCOL_ERROR, result
    assert result.error_detail


def test_it_reports_a_server_that_hangs_up_without_answering() -> None:
    result, _ = run(fetch_path(raw(b"")))
    assert result.error is FetchError.CONNECTION_RESET


def test_it_percent_encodes_raw_bytes_in_a_redirect_location() -> None:
    data = b"HTTP/1.1 302 Found\r\nLocation: /\xe1\xbb\x9f\xff?q=\xc3\r\nContent-Length: 0\r\n\r\n"
    result, _ = run(fetch_path(raw(data, close=False)))
    assert result.redirect_chain[0].target.endswith("/%E1%BB%9F%FF?q=%C3")
    assert result.status == 404  # followed to a page the test server does not have


def test_it_keeps_binary_header_bytes_displayable() -> None:
    data = b"HTTP/1.1 200 OK\r\nX-Bin: \xff\xfe\r\nSet-Cookie: \xff=\xfe\r\nContent-Length: 2\r\n\r\nok"
    result, _ = run(fetch_path(raw(data)))
    assert result.ok
    assert result.header("x-bin") == "\ufffd\ufffd"
    assert all(value.encode() for _, value in result.headers)  # no lone surrogates left


def test_it_reports_a_connection_reset_mid_body() -> None:
    result, _ = run(fetch_path(reset_mid_body))
    assert result.error is FetchError.CONNECTION_RESET
    assert result.status == 200
    assert result.truncated


def test_it_honours_per_host_and_total_concurrency() -> None:
    async def slow(request: Request, writer: asyncio.StreamWriter) -> bool:
        await asyncio.sleep(0.03)
        writer.write(response(200, b"ok"))
        await writer.drain()
        return True

    async def scenario(per_host: int, total: int, hosts: list[str]) -> tuple[list[FetchResult], int]:
        limits = FetchLimits(per_host_concurrency=per_host, total_concurrency=total)
        resolver = FakeResolver({key: ["127.0.0.1"] for key in hosts})
        async with Server({"/": slow}) as server, Fetcher(policy=LOCAL, limits=limits, resolver=resolver) as fetcher:
            urls = [f"http://{hosts[i % len(hosts)]}:{server.port}/" for i in range(12)]
            results = await asyncio.gather(*(fetcher.fetch(url, user_agent=UA) for url in urls))
            return list(results), server.max_active

    results, max_active = run(scenario(3, 100, ["a.example.vn"]))
    assert all(r.ok for r in results)
    assert max_active == 3
    results, max_active = run(scenario(4, 5, ["a.example.vn", "b.example.vn"]))
    assert all(r.ok for r in results)
    assert max_active == 5


@pytest.mark.skipif(which("openssl") is None, reason="needs the openssl command to make a certificate")
def test_it_records_tls_errors_and_can_fetch_without_verification(tmp_path: Path) -> None:
    import ssl

    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost"],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    async def scenario() -> list[FetchResult]:
        server = await asyncio.start_server(
            lambda r, w: _tls_reply(w), "127.0.0.1", 0, ssl=context, ssl_handshake_timeout=2
        )
        port = server.sockets[0].getsockname()[1]
        try:
            results = []
            for verify in (True, False):
                async with Fetcher(policy=LOCAL, verify_tls=verify) as fetcher:
                    results.append(await fetcher.fetch(f"https://127.0.0.1:{port}/", user_agent=UA))
            return results
        finally:
            server.close()

    verified, unverified = run(scenario())
    assert verified.error is FetchError.TLS_ERROR
    assert "certificate" in verified.error_detail.lower()
    assert unverified.ok
    assert unverified.body == b"tls"


async def _tls_reply(writer: asyncio.StreamWriter) -> None:
    writer.write(response(200, b"tls", {"Connection": "close"}))
    await writer.drain()
    writer.close()
