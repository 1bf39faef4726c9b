"""The address guard inside the fetcher: no request ever reaches a refused address, by any route."""

from __future__ import annotations

import pytest

from haidang.engines.common import AddressPolicy, Fetcher, FetchError, FetchResult
from tests.engines.common.servers import FakeResolver, Server, run, static

UA = "HaiDang-test/1"


def only(port: int) -> AddressPolicy:
    """A policy that admits exactly one local test server, so everything else local stays refused."""
    return AddressPolicy(allowed_endpoints=frozenset({("127.0.0.1", port)}))


async def fetch(url: str, policy: AddressPolicy | None = None, resolver: FakeResolver | None = None) -> FetchResult:
    async with Fetcher(policy=policy, resolver=resolver) as fetcher:
        return await fetcher.fetch(url, user_agent=UA)


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "127.0.0.1.", "0x7f.0.0.1",
             "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "localhost", "LOCALHOST", "２１３０７０６４３３"],
)  # fmt: skip
def test_it_refuses_loopback_in_any_spelling_without_connecting(host: str) -> None:
    async def scenario() -> tuple[FetchResult, int]:
        async with Server({"/": static(200, b"secret")}) as server:
            result = await fetch(f"http://{host}:{server.port}/")
            return result, server.connections

    result, connections = run(scenario())
    assert result.error is FetchError.FORBIDDEN_ADDRESS, result
    assert result.status is None
    assert result.body == b""
    assert connections == 0


@pytest.mark.parametrize("url", ["http://[::1]:9/", "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0:9/",
                                 "http://[fd00:ec2::254]/", "http://100.100.100.200/", "http://10.0.0.1/"])  # fmt: skip
def test_it_refuses_private_and_metadata_literals_before_connecting(url: str) -> None:
    result = run(fetch(url))
    assert result.error is FetchError.FORBIDDEN_ADDRESS
    assert result.elapsed_ms < 500


def test_it_refuses_metadata_even_when_private_targets_are_allowed() -> None:
    result = run(fetch("http://169.254.169.254/latest/meta-data/", AddressPolicy(allow_private=True)))
    assert result.error is FetchError.FORBIDDEN_ADDRESS


def test_it_checks_names_after_resolution() -> None:
    resolver = FakeResolver({"rebound.example.vn": ["127.0.0.1"], "meta.example.vn": ["169.254.169.254"]})

    async def scenario() -> tuple[list[FetchResult], int]:
        async with Server({"/": static(200, b"secret")}) as server:
            results = [await fetch(f"http://{name}:{server.port}/", resolver=resolver) for name in resolver.table]
            return results, server.connections

    results, connections = run(scenario())
    assert [r.error for r in results] == [FetchError.FORBIDDEN_ADDRESS] * 2
    assert "resolves only to refused addresses" in results[0].error_detail
    assert connections == 0


def test_it_drops_refused_answers_and_connects_only_to_permitted_ones() -> None:
    async def scenario() -> FetchResult:
        async with Server({"/": static(200, b"ok")}) as server:
            resolver = FakeResolver({"mixed.example.vn": ["127.0.0.2", "127.0.0.1"]})
            return await fetch(f"http://mixed.example.vn:{server.port}/", only(server.port), resolver)

    result = run(scenario())
    assert result.ok
    assert result.body == b"ok"
    assert result.peer_address == "127.0.0.1"


@pytest.mark.parametrize(
    "location",
    ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:{other}/", "http://localhost:{other}/",
     "http://2130706433:{other}/", "http://[::ffff:127.0.0.1]:{other}/"],
)  # fmt: skip
def test_it_rechecks_every_redirect_hop(location: str) -> None:
    async def scenario() -> tuple[FetchResult, int]:
        async with Server({"/": static(200, b"internal")}) as internal:
            target = location.format(other=internal.port)
            async with Server({"/go": static(302, b"", {"Location": target})}) as public:
                result = await fetch(f"{public.url}/go", only(public.port))
            return result, internal.connections

    result, internal_connections = run(scenario())
    assert result.error is FetchError.FORBIDDEN_ADDRESS
    assert internal_connections == 0
    assert len(result.redirect_chain) == 1
    assert result.redirect_chain[0].status == 302
    assert result.status is None
    assert result.body == b""


def test_it_allows_loopback_when_private_targets_are_allowed() -> None:
    async def scenario() -> FetchResult:
        async with Server({"/": static(200, b"ok")}) as server:
            return await fetch(f"http://localhost:{server.port}/", AddressPolicy(allow_private=True))

    result = run(scenario())
    assert result.ok
    assert result.peer_address in ("127.0.0.1", "::1")
