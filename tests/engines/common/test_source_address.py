"""Connections leave from the configured local address: how one machine scans from several uplinks."""

from __future__ import annotations

from pathlib import Path

import pytest

from haidang.engines.common import AddressPolicy, Fetcher, FetchResult
from haidang.engines.scanner import ScanOptions, SiteResult, scan_sites_async
from tests.engines.common.servers import Server, run, static

UA = "HaiDang-test/1"
LOCAL = AddressPolicy(allow_private=True)
HOME = b"<html><head><title>Trang chu</title></head><body><h1>Xin chao</h1></body></html>"


def test_it_connects_from_the_source_address() -> None:
    async def scenario() -> tuple[FetchResult, list[str]]:
        async with Server() as server:
            server.routes["/"] = static(200, b"ok")
            async with Fetcher(policy=LOCAL, source_address="127.0.0.2") as fetcher:
                result = await fetcher.fetch(f"{server.url}/", user_agent=UA)
            return result, server.clients

    result, clients = run(scenario())
    assert result.ok
    assert clients == ["127.0.0.2"]
    assert result.peer_address == "127.0.0.1"  # the remote end, not the local one


def test_it_leaves_the_source_address_to_the_system_by_default() -> None:
    async def scenario() -> list[str]:
        async with Server() as server:
            server.routes["/"] = static(200, b"ok")
            async with Fetcher(policy=LOCAL) as fetcher:
                await fetcher.fetch(f"{server.url}/", user_agent=UA)
            return server.clients

    assert run(scenario()) == ["127.0.0.1"]


def test_it_refuses_a_source_address_that_is_not_an_ip_address() -> None:
    with pytest.raises(ValueError, match="does not appear to be an IPv4 or IPv6 address"):
        Fetcher(source_address="uplink-2")


def test_it_scans_from_the_source_address_and_reports_where_the_home_page_ended(tmp_path: Path) -> None:
    async def scenario() -> tuple[SiteResult, list[str], str]:
        async with Server() as server:
            server.routes["/"] = static(302, b"", {"Location": "/vi/trang-chu"})
            server.routes["/vi/trang-chu"] = static(200, HOME)
            options = ScanOptions(allow_private=True, inner_pages=0, own_scripts=0, source_address="127.0.0.2")
            (result,) = await scan_sites_async([f"{server.url}/"], tmp_path, options)
            return result, server.clients, server.url

    result, clients, base = run(scenario())
    assert result.reachable
    assert result.final_url == f"{base}/vi/trang-chu"
    assert result.addresses == ("127.0.0.1",)
    assert clients
    assert set(clients) == {"127.0.0.2"}


def test_it_reports_no_address_for_a_site_that_refuses_connections(tmp_path: Path) -> None:
    async def scenario() -> tuple[SiteResult, str]:
        async with Server() as server:
            url = f"{server.url}/"
        # The server is closed: nothing listens on the port any more.
        (result,) = await scan_sites_async([url], tmp_path, ScanOptions(allow_private=True))
        return result, url

    result, url = run(scenario())
    assert not result.reachable
    assert result.final_url == url
    assert result.addresses == ()
