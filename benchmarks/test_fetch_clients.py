"""Outbound HTTP client: aiohttp against httpx, and Hải Đăng's guarded Fetcher (built on aiohttp).

Every client fetches the same gzip-compressed ~30 KB Vietnamese page from a local server on 127.0.0.1
(a separate process, listening on PORTS ports that stand for as many sites), with the same number of
requests in flight, and reads the whole decoded body.

    make benchmark                                          # pytest-benchmark timings
    .venv/bin/python benchmarks/test_fetch_clients.py       # the RESULTS.md table: each client in a
                                                            # fresh process, req/s and peak RSS
"""

from __future__ import annotations

import asyncio
import gzip
import json
import multiprocessing
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Coroutine, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiohttp
import httpx
import pytest

from haidang.engines.common import AddressPolicy, Fetcher, FetchLimits

PAGES = 3000
CONCURRENCY = 64
PORTS = 16
USER_AGENT = "HaiDang-benchmark/1"

_PROSE = (
    "Sở Thông tin và Truyền thông thành phố thông báo lịch trực bảo đảm an toàn mạng trong dịp nghỉ lễ "
    "các đơn vị rà soát cổng điện tử tên miền sao lưu dữ liệu ủy ban nhân dân quận huyện phường xã kế hoạch năm tháng"
)
_WORDS = _PROSE.split()


def _page(paragraphs: int, seed: int = 7) -> bytes:
    """A deterministic ~30 KB page that compresses like real prose (about 4:1), not like a repeated line."""
    rng = random.Random(seed)
    body = "".join(
        f"<p id=p{i}>" + " ".join(rng.choice(_WORDS) for _ in range(40)) + f" {rng.randint(1, 99999)}.</p>\n"
        for i in range(paragraphs)
    )
    head = "<!doctype html><html lang=vi><head><meta charset=utf-8><title>Cổng thông tin</title></head><body>\n"
    return (head + body + "</body></html>").encode()


PAGE = _page(110)
PAGE_GZIP = gzip.compress(PAGE, 6)
RESPONSE = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n"
    + f"Content-Length: {len(PAGE_GZIP)}\r\nConnection: keep-alive\r\n\r\n".encode()
    + PAGE_GZIP
)


class _Protocol(asyncio.Protocol):
    """Answers every request on a keep-alive connection with the same page."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport: Any = transport
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
            self.buffer = self.buffer[end + 4 :]
            self.transport.write(RESPONSE)


def serve(ports_out: Connection, count: int) -> None:
    """Run the page server on ``count`` ports of 127.0.0.1 until killed (in a child process)."""

    async def main() -> None:
        loop = asyncio.get_running_loop()
        servers = [await loop.create_server(_Protocol, "127.0.0.1", 0, backlog=1024) for _ in range(count)]
        ports_out.send([server.sockets[0].getsockname()[1] for server in servers])
        await asyncio.Event().wait()

    asyncio.run(main())


def page_urls(ports: list[int], pages: int) -> list[str]:
    return [f"http://127.0.0.1:{ports[i % len(ports)]}/page/{i}" for i in range(pages)]


async def _gather(urls: list[str], concurrency: int, one: Callable[[str], Coroutine[Any, Any, int]]) -> int:
    slots = asyncio.Semaphore(concurrency)

    async def limited(url: str) -> int:
        async with slots:
            return await one(url)

    sizes = await asyncio.gather(*(limited(url) for url in urls))
    if min(sizes) != len(PAGE):
        raise AssertionError("a page came back incomplete")
    return len(sizes)


async def run_aiohttp(urls: list[str], concurrency: int) -> int:
    """Plain aiohttp, library defaults (automatic decompression)."""
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector, headers={"User-Agent": USER_AGENT}) as session:

        async def one(url: str) -> int:
            async with session.get(url) as response:
                return len(await response.read())

        return await _gather(urls, concurrency, one)


async def run_httpx(urls: list[str], concurrency: int) -> int:
    """Plain httpx, library defaults (automatic decompression)."""
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, headers={"User-Agent": USER_AGENT}, trust_env=False) as client:

        async def one(url: str) -> int:
            response = await client.get(url)
            return len(response.content)

        return await _gather(urls, concurrency, one)


async def run_fetcher(urls: list[str], concurrency: int) -> int:
    """Hải Đăng's Fetcher: guards, own bounded decompression, charset decoding, per-host limits."""
    # Per-host limit lifted to match the plain clients: this measures client overhead, not politeness.
    limits = FetchLimits(total_concurrency=concurrency, per_host_concurrency=concurrency)
    async with Fetcher(limits=limits, policy=AddressPolicy(allow_private=True)) as fetcher:

        async def one(url: str) -> int:
            result = await fetcher.fetch(url, user_agent=USER_AGENT)
            return len(result.body) if result.ok and result.text else 0

        return await _gather(urls, concurrency, one)


CLIENTS = {"aiohttp": run_aiohttp, "httpx": run_httpx, "haidang-fetcher": run_fetcher}


def start_server() -> tuple[multiprocessing.process.BaseProcess, list[int]]:
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=serve, args=(sender, PORTS), daemon=True)
    process.start()
    return process, receiver.recv()


@pytest.fixture(scope="module")
def ports() -> Iterator[list[int]]:
    process, server_ports = start_server()
    yield server_ports
    process.kill()
    process.join()


@pytest.mark.parametrize("client", list(CLIENTS))
def test_fetch_pages(benchmark: Any, ports: list[int], client: str) -> None:
    urls = page_urls(ports, PAGES)
    run = CLIENTS[client]
    fetched = benchmark.pedantic(lambda: asyncio.run(run(urls, CONCURRENCY)), rounds=3, iterations=1)
    assert fetched == PAGES
    benchmark.extra_info["req_per_s"] = round(PAGES / benchmark.stats.stats.median)


def _rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _child(client: str, ports: list[int], rounds: int) -> None:
    """One client in a fresh process: print its median req/s and memory as JSON."""
    urls = page_urls(ports, PAGES)
    asyncio.run(CLIENTS[client](urls[:200], CONCURRENCY))  # warm up imports and code paths
    before = _rss_kib()
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        asyncio.run(CLIENTS[client](urls, CONCURRENCY))
        times.append(time.perf_counter() - started)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"client": client, "req_per_s": PAGES / statistics.median(times), "rss_before_kib": before,
                      "peak_rss_kib": peak}))  # fmt: skip


def main() -> None:
    """Print the RESULTS.md table, each client measured in its own process against one server."""
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _child(sys.argv[2], json.loads(sys.argv[3]), int(sys.argv[4]))
        return
    process, server_ports = start_server()
    try:
        print(f"{PAGES} pages, {CONCURRENCY} in flight, {PORTS} ports, {len(PAGE_GZIP)} B gzip / {len(PAGE)} B page")
        print("| Client | req/s (median of 5) | RSS after warm-up (MiB) | peak RSS (MiB) |")
        print("|---|---:|---:|---:|")
        for client in CLIENTS:
            args = [sys.executable, __file__, "--child", client, json.dumps(server_ports), "5"]
            out = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
            print(f"| {client} | {out['req_per_s']:.0f} | {out['rss_before_kib'] / 1024:.1f} | "
                  f"{out['peak_rss_kib'] / 1024:.1f} |")  # fmt: skip
    finally:
        process.kill()
        process.join()


if __name__ == "__main__":
    main()
