"""Ordinary fetching: redirects recorded, headers sent, cookies kept to one host, errors as codes."""

from __future__ import annotations

import asyncio
import socket

import pytest

from haidang.engines.common import AddressPolicy, Fetcher, FetchError, FetchLimits, FetchResult, fetch_many
from tests.engines.common.servers import FakeResolver, Request, Server, response, run, static
from tests.engines.common.test_charset import VIETNAMESE, cp1258

UA = "HaiDang-test/1"
LOCAL = AddressPolicy(allow_private=True)


async def fetch_from(server: Server, path: str, **kwargs: object) -> FetchResult:
    limits = kwargs.pop("limits", None)
    resolver = kwargs.pop("resolver", None)
    async with Fetcher(policy=LOCAL, limits=limits, resolver=resolver) as fetcher:  # type: ignore[arg-type]
        return await fetcher.fetch(f"{server.url}{path}", user_agent=UA, **kwargs)  # type: ignore[arg-type]


def test_it_follows_and_records_redirects() -> None:
    async def scenario() -> tuple[FetchResult, str]:
        async with Server() as server:
            server.routes["/a"] = static(301, b"", {"Location": "/b?x=1"})
            server.routes["/b"] = static(302, b"", {"Location": f"http://127.0.0.1:{server.port}/c"})
            server.routes["/c"] = static(200, VIETNAMESE.encode())
            return await fetch_from(server, "/a"), server.url

    result, base = run(scenario())
    assert result.ok
    assert result.status == 200
    assert result.text == VIETNAMESE
    assert result.final_url == f"{base}/c"
    assert [(hop.status, hop.location, hop.target) for hop in result.redirect_chain] == [
        (301, "/b?x=1", f"{base}/b?x=1"),
        (302, f"{base}/c", f"{base}/c"),
    ]


def test_it_detects_a_redirect_loop() -> None:
    async def scenario() -> FetchResult:
        async with Server() as server:
            server.routes["/one"] = static(302, b"", {"Location": "/two"})
            server.routes["/two"] = static(307, b"", {"Location": "/one"})
            return await fetch_from(server, "/one")

    result = run(scenario())
    assert result.error is FetchError.REDIRECT_LOOP
    assert len(result.redirect_chain) == 2


def test_it_stops_after_the_redirect_limit() -> None:
    async def scenario() -> tuple[FetchResult, int]:
        async with Server() as server:
            for i in range(20):
                server.routes[f"/r{i}"] = static(302, b"", {"Location": f"/r{i + 1}"})
            return await fetch_from(server, "/r0"), len(server.requests)

    result, requests = run(scenario())
    assert result.error is FetchError.TOO_MANY_REDIRECTS
    assert len(result.redirect_chain) == 6
    assert requests == 6


def test_it_reports_an_unusable_redirect_target() -> None:
    async def scenario() -> FetchResult:
        async with Server({"/": static(302, b"", {"Location": "javascript:alert(1)"})}) as server:
            return await fetch_from(server, "/")

    result = run(scenario())
    assert result.error is FetchError.INVALID_URL
    assert result.redirect_chain[0].location == "javascript:alert(1)"
    assert result.redirect_chain[0].target == ""


def test_it_sends_its_user_agent_and_owns_the_sensitive_headers() -> None:
    async def scenario() -> tuple[FetchResult, Request]:
        async with Server({"/": static(200, b"ok")}) as server:
            headers = {"Referer": "https://www.google.com.vn/", "accept-encoding": "identity", "Cookie": "a=b"}
            result = await fetch_from(server, "/", headers=headers)
            return result, server.requests[0]

    result, request = run(scenario())
    assert result.ok
    assert request.headers["user-agent"] == UA
    assert request.headers["referer"] == "https://www.google.com.vn/"
    assert request.headers["accept-encoding"] == "gzip, deflate, br"
    assert "cookie" not in request.headers


def test_it_keeps_cookies_within_one_fetch_and_one_host() -> None:
    async def set_cookie(request: Request, writer: asyncio.StreamWriter) -> bool:
        if "seen=1" in request.headers.get("cookie", ""):
            writer.write(response(302, b"", {"Location": f"http://other.example.vn:{port}/end"}))
        else:
            writer.write(response(302, b"", {"Set-Cookie": "seen=1; Path=/", "Location": "/check"}))
        await writer.drain()
        return True

    async def scenario() -> tuple[list[FetchResult], list[Request]]:
        nonlocal port
        async with Server({"/check": set_cookie, "/end": static(200, b"done")}) as server:
            port = server.port
            resolver = FakeResolver({"site.example.vn": ["127.0.0.1"], "other.example.vn": ["127.0.0.1"]})
            async with Fetcher(policy=LOCAL, resolver=resolver) as fetcher:
                url = f"http://site.example.vn:{port}/check"
                results = [await fetcher.fetch(url, user_agent=UA) for _ in range(2)]
            return results, server.requests

    port = 0
    results, requests = run(scenario())
    assert all(r.ok and r.body == b"done" for r in results)
    assert [len(r.redirect_chain) for r in results] == [2, 2]
    # A fresh fetch starts without cookies; the other host never receives the cookie.
    assert ["cookie" in r.headers for r in requests] == [False, True, False] * 2


def test_it_ignores_proxy_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario() -> tuple[FetchResult, int, int]:
        async with Server({"/": static(200, b"direct")}) as proxy, Server({"/": static(200, b"direct")}) as target:
            for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "ALL_PROXY"):
                monkeypatch.setenv(name, proxy.url)
            monkeypatch.setenv("NO_PROXY", "")
            result = await fetch_from(target, "/")
            return result, proxy.connections, target.connections

    result, proxy_connections, target_connections = run(scenario())
    assert result.ok
    assert (proxy_connections, target_connections) == (0, 1)


def test_it_reports_refused_connections_and_dns_failures() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed_port = sock.getsockname()[1]

    async def scenario() -> list[FetchResult]:
        async with Fetcher(policy=LOCAL, resolver=FakeResolver({})) as fetcher:
            return [
                await fetcher.fetch(f"http://127.0.0.1:{closed_port}/", user_agent=UA),
                await fetcher.fetch("http://no-such-host.example.vn/", user_agent=UA),
                await fetcher.fetch("gopher://example.vn/", user_agent=UA),
            ]

    refused, unknown, invalid = run(scenario())
    assert refused.error is FetchError.CONNECTION_REFUSED
    assert unknown.error is FetchError.DNS_FAILURE
    assert invalid.error is FetchError.INVALID_URL
    assert all(r.status is None and r.error_detail for r in (refused, unknown, invalid))


def test_it_decodes_vietnamese_legacy_and_broken_pages() -> None:
    legacy = cp1258(f'<html><head><meta charset="windows-1258"></head><body>{VIETNAMESE}</body></html>')

    async def scenario() -> list[FetchResult]:
        async with Server() as server:
            server.routes["/legacy"] = static(200, legacy, {"Content-Type": "text/html"})
            server.routes["/broken"] = static(
                200, b"\xff\xfe<p>\xc3\x28 S\xe1\xbb\x9f</p>", {"Content-Type": "text/html"}
            )
            return [await fetch_from(server, "/legacy"), await fetch_from(server, "/broken")]

    legacy_result, broken_result = run(scenario())
    assert "Sở Thông tin" in legacy_result.text
    assert legacy_result.encoding == "cp1258"
    assert broken_result.ok
    assert isinstance(broken_result.text, str)


def test_it_returns_http_errors_as_statuses_not_errors() -> None:
    async def scenario() -> FetchResult:
        async with Server({"/": static(503, b"down")}) as server:
            return await fetch_from(server, "/")

    result = run(scenario())
    assert result.error is None
    assert result.status == 503
    assert result.text == "down"
    assert result.header("content-length") == "4"


def test_it_fetches_many_from_synchronous_code() -> None:
    async def serve_then_fetch() -> list[FetchResult]:
        async with Server({"/": static(200, b"one")}) as server:
            urls = [f"{server.url}/", "not a url"]
            return await asyncio.to_thread(fetch_many, urls, user_agent=UA, policy=LOCAL, limits=FetchLimits())

    results = run(serve_then_fetch())
    assert [r.body for r in results] == [b"one", b""]
    assert results[1].error is FetchError.INVALID_URL


def test_it_refuses_unsupported_methods_and_use_outside_a_context() -> None:
    async def scenario() -> None:
        fetcher = Fetcher()
        with pytest.raises(RuntimeError):
            await fetcher.fetch("http://example.vn/", user_agent=UA)
        async with fetcher:
            with pytest.raises(ValueError, match="unsupported method"):
                await fetcher.fetch("http://example.vn/", user_agent=UA, method="POST")

    run(scenario())
