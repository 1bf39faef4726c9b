from __future__ import annotations

import asyncio
import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haidang.engines.common import AddressPolicy, Fetcher
from haidang.engines.intel import nvd
from haidang.engines.intel.types import CpeName
from tests.engines.common.servers import Request, Server, response, run

SAMPLE = Path(__file__).parent / "samples" / "nvd_cves_2.0.json"
LOOPBACK = AddressPolicy(allow_private=True)


def _records() -> dict[str, nvd.CveRecord]:
    return {r.cve_id: r for r in nvd.iter_file(SAMPLE)}


# ------------------------------------------------------------------------------------------- records


def test_it_reads_every_record_of_an_api_response_file() -> None:
    stats = nvd.ParseStats()
    ids = [r.cve_id for r in nvd.iter_file(SAMPLE, stats=stats)]
    assert ids == [
        "CVE-2021-44228",
        "CVE-2023-4966",
        "CVE-2021-26855",
        "CVE-2024-3400",
        "CVE-2019-1653",
        "CVE-2025-24813",
        "CVE-2020-24980",
    ]
    assert (stats.records, stats.skipped) == (7, 0)


def test_it_reads_log4shell_ranges_exact_versions_and_its_and_configuration() -> None:
    log4shell = _records()["CVE-2021-44228"]
    assert log4shell.status == "Analyzed"
    assert log4shell.published == "2021-12-10T10:15:09.143"
    assert log4shell.description.startswith("Apache Log4j2 2.0-beta9 through 2.15.0")
    assert (log4shell.cvss_score, log4shell.cvss_severity) == (10.0, "CRITICAL")
    assert log4shell.cwes == ("CWE-20", "CWE-400", "CWE-502", "CWE-917")
    first = log4shell.configurations[0].nodes[0].matches
    assert [(m.version_start_including, m.version_end_excluding) for m in first[:3]] == [
        ("2.0.1", "2.3.1"),
        ("2.4.0", "2.12.2"),
        ("2.13.0", "2.15.0"),
    ]
    assert first[4].criteria == CpeName("a", "apache", "log4j", "2.0", "beta9")
    assert not first[4].has_range
    siemens = log4shell.configurations[1]
    assert siemens.operator == "AND"
    assert [n.matches[0].vulnerable for n in siemens.nodes] == [True, False]
    assert siemens.nodes[1].matches[0].criteria.part == "h"
    assert "https://logging.apache.org/log4j/2.x/security.html" in log4shell.references


def test_it_prefers_nvds_primary_score_over_a_higher_cna_score() -> None:
    bleed = _records()["CVE-2023-4966"]
    assert (bleed.cvss_score, bleed.cvss_severity) == (7.5, "HIGH")  # Citrix's own 9.4 is Secondary
    ranges = [
        (m.criteria.product, m.criteria.sw_edition, m.version_start_including, m.version_end_excluding)
        for m in bleed.configurations[0].nodes[0].matches
    ]
    assert ("netscaler_application_delivery_controller", "fips", "13.1", "13.1-37.164") in ranges
    assert ("netscaler_gateway", "*", "14.1", "14.1-8.50") in ranges


def test_it_keeps_exchange_cumulative_updates_as_cpe_update_values() -> None:
    exchange = _records()["CVE-2021-26855"]
    names = [m.criteria for m in exchange.configurations[0].nodes[0].matches]
    assert CpeName("a", "microsoft", "exchange_server", "2019", "cumulative_update_8") in names
    assert CpeName("a", "microsoft", "exchange_server", "2019", "-") in names
    assert exchange.cwes == ("CWE-918",)


def test_it_scores_v30_and_v40_metrics() -> None:
    records = _records()
    assert (records["CVE-2019-1653"].cvss_score, records["CVE-2019-1653"].cvss_severity) == (7.5, "HIGH")
    assert records["CVE-2024-3400"].cvss_score == 10.0
    only_v4 = nvd.parse_cve(
        {
            "id": "CVE-2024-0001",
            "metrics": {
                "cvssMetricV40": [{"type": "Secondary", "cvssData": {"baseScore": 8.7, "baseSeverity": "HIGH"}}],
                "cvssMetricV2": [{"type": "Secondary", "cvssData": {"baseScore": 5.0}, "baseSeverity": "MEDIUM"}],
            },
        }
    )
    assert (only_v4.cvss_score, only_v4.cvss_severity) == (8.7, "HIGH")


def test_it_reads_records_awaiting_analysis_and_rejected_ones_without_configurations() -> None:
    records = _records()
    tomcat = records["CVE-2025-24813"]
    assert tomcat.status == "Awaiting Analysis"
    assert tomcat.configurations == ()
    assert tomcat.cvss_score == 9.8  # the CISA-ADP Secondary score is all there is
    rejected = records["CVE-2020-24980"]
    assert rejected.status == "Rejected"
    assert (rejected.cvss_score, rejected.cvss_severity, rejected.configurations) == (None, "", ())


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ("cpe:2.3:a:Cisco:Unified_Communications_Manager:11.5\\(1\\):*:*:*:*:*:*:*", ("cisco", "11.5\\(1\\)")),
        ("cpe:2.3:a:a\\:b:c:1:*:*:*:*:*:*:*", ("a\\:b", "1")),
    ],
)
def test_it_parses_criteria_honouring_escapes(criteria: str, expected: tuple[str, str]) -> None:
    config = {"nodes": [{"operator": "OR", "cpeMatch": [{"vulnerable": True, "criteria": criteria}]}]}
    record = nvd.parse_cve({"id": "CVE-2024-0003", "configurations": [config]})
    name = record.configurations[0].nodes[0].matches[0].criteria
    assert (name.vendor, name.version) == expected


@pytest.mark.parametrize("criteria", ["cpe:2.3:a:b", "cpe:2.3:a::p:*:*:*:*:*:*:*:*", "garbage", ""])
def test_it_drops_a_configuration_whose_criteria_is_not_a_cpe_name(criteria: str) -> None:
    config = {"nodes": [{"operator": "OR", "cpeMatch": [{"vulnerable": True, "criteria": criteria}]}]}
    assert nvd.parse_cve({"id": "CVE-2024-0003", "configurations": [config]}).configurations == ()


def test_it_drops_a_configuration_it_cannot_read_whole() -> None:
    record = nvd.parse_cve(
        {
            "id": "CVE-2024-0002",
            "configurations": [
                {"nodes": [{"operator": "OR", "cpeMatch": [{"criteria": "cpe:2.3:a:v:p:1:*:*:*:*:*:*:*"}]}]},
                {
                    "operator": "AND",
                    "nodes": [
                        {
                            "operator": "OR",
                            "cpeMatch": [{"vulnerable": True, "criteria": "cpe:2.3:a:v:q:*:*:*:*:*:*:*:*"}],
                        },
                        {"operator": "OR", "cpeMatch": [{"vulnerable": False, "criteria": "garbage"}]},
                    ],
                },
                {"nodes": [{"operator": "XOR", "cpeMatch": []}]},
            ],
        }
    )
    assert len(record.configurations) == 1
    assert record.configurations[0].nodes[0].matches[0].vulnerable is False  # absent means not vulnerable


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5),
    max_leaves=40,
)
_keys = st.sampled_from(
    ["id", "vulnStatus", "descriptions", "metrics", "weaknesses", "configurations", "references", "published"]
)
_cve_like = st.dictionaries(_keys, _json, max_size=8).map(lambda d: {**d, "id": "CVE-2021-44228"})


@given(item=_json | _cve_like)
def test_it_never_raises_anything_but_a_format_error_on_random_json(item: object) -> None:
    try:
        record = nvd.parse_cve(item)  # type: ignore[arg-type]
    except nvd.NvdFormatError:
        return
    assert record.cve_id == "CVE-2021-44228"


# --------------------------------------------------------------------------------------------- files


def test_it_streams_a_gzip_compressed_feed_file(tmp_path: Path) -> None:
    compressed = tmp_path / "nvdcve-2.0-2021.json.gz"
    compressed.write_bytes(gzip.compress(SAMPLE.read_bytes()))
    assert list(nvd.iter_file(compressed)) == list(nvd.iter_file(SAMPLE))


def _with_elements(tmp_path: Path, elements: list[object]) -> Path:
    document = json.loads(SAMPLE.read_text())
    document["vulnerabilities"] = elements
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(document))
    return path


def test_it_skips_and_counts_malformed_records(tmp_path: Path) -> None:
    good = json.loads(SAMPLE.read_text())["vulnerabilities"]
    path = _with_elements(tmp_path, [good[0], 42, {"cve": {"id": "nope"}}, {"nocve": {}}, "x", good[1]])
    stats = nvd.ParseStats()
    assert [r.cve_id for r in nvd.iter_file(path, stats=stats)] == ["CVE-2021-44228", "CVE-2023-4966"]
    assert (stats.records, stats.skipped) == (2, 4)
    assert len(stats.warnings) == 4


def test_it_skips_an_oversized_record_and_goes_on(tmp_path: Path) -> None:
    good = json.loads(SAMPLE.read_text())["vulnerabilities"]
    huge = {"cve": {"id": "CVE-2024-9999", "descriptions": [{"lang": "en", "value": "A" * 400_000}]}}
    path = _with_elements(tmp_path, [good[3], huge, good[4], 7, good[6]])
    stats = nvd.ParseStats()
    records = list(nvd.iter_file(path, stats=stats, max_record_bytes=200_000))
    assert [r.cve_id for r in records] == ["CVE-2024-3400", "CVE-2019-1653", "CVE-2020-24980"]
    assert stats.skipped == 2
    assert any("larger than" in w for w in stats.warnings)


def test_it_ends_with_a_warning_on_a_truncated_file(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    cut = tmp_path / "cut.json"
    cut.write_bytes(data[: data.index(b'"CVE-2021-26855"')])
    stats = nvd.ParseStats()
    assert [r.cve_id for r in nvd.iter_file(cut, stats=stats)] == ["CVE-2021-44228", "CVE-2023-4966"]
    assert stats.skipped == 1


@pytest.mark.parametrize(
    "data", [b"", b"garbage", b"[1, 2]", b'{"vulnerabilities": 5}', b"\x1f\x8bnot gzip", b"{" * 50_000]
)
def test_it_never_crashes_on_a_file_that_is_not_nvd(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    assert list(nvd.iter_file(path)) == []


# ----------------------------------------------------------------------------------------------- API


class FakeTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_it_never_lets_more_than_the_limit_through_any_rolling_window() -> None:
    fake = FakeTime()
    limiter = nvd.SlidingWindowLimiter(5, 30.0, clock=fake.clock, sleep=fake.sleep)
    times: list[float] = []

    async def scenario() -> None:
        for _ in range(12):
            await limiter.acquire()
            times.append(fake.now)
            fake.now += 1.0

    run(scenario())
    assert times[:5] == [1000.0, 1001.0, 1002.0, 1003.0, 1004.0]
    assert times[5] == 1030.0  # waits for the first to leave the window
    assert all(sum(1 for t in times if start <= t < start + 30) <= 5 for start in times)


def test_it_splits_ranges_longer_than_120_days() -> None:
    start = datetime(2024, 1, 1, tzinfo=UTC)
    windows = nvd.split_range(start, start + timedelta(days=300))
    assert [(b - a).days for a, b in windows] == [120, 120, 60]
    assert windows[0][1] == windows[1][0]
    with pytest.raises(ValueError, match="timezone"):
        nvd.split_range(datetime(2024, 1, 1), datetime(2024, 2, 1))


def _page_document(start: int, total: int, per_page: int) -> bytes:
    elements = json.loads(SAMPLE.read_text())["vulnerabilities"]
    return json.dumps(
        {
            "resultsPerPage": per_page,
            "startIndex": start,
            "totalResults": total,
            "format": "NVD_CVE",
            "version": "2.0",
            "timestamp": "2025-03-12T08:05:41.230",
            "vulnerabilities": elements[start : start + per_page],
        }
    ).encode()


def _nvd_handler(script: list[int] | None = None):  # type: ignore[no-untyped-def]
    """Serve the sample as a paged API; ``script`` lists statuses to answer before succeeding."""
    pending = list(script or [])

    async def handle(request: Request, writer: asyncio.StreamWriter) -> bool:
        query = {k: v[0] for k, v in parse_qs(urlsplit(request.path).query).items()}
        if pending:
            status = pending.pop(0)
            writer.write(response(status, b"", {"Retry-After": "2", "message": "slow down"}))
        else:
            start, per_page = int(query.get("startIndex", "0")), int(query["resultsPerPage"])
            body = _page_document(start, 7, per_page)
            writer.write(response(200, body, {"Content-Type": "application/json"}))
        await writer.drain()
        return True

    return handle


def _client(server: Server, fetcher: Fetcher, fake: FakeTime, api_key: str | None = "k-123") -> nvd.NvdClient:
    return nvd.NvdClient(
        api_key, f"{server.url}/rest/json/cves/2.0", fetcher=fetcher, clock=fake.clock, sleep=fake.sleep
    )


async def _collect(client: nvd.NvdClient, **kwargs: object) -> list[nvd.NvdPage]:
    return [page async for page in client.iter_pages(**kwargs)]  # type: ignore[arg-type]


def test_it_pages_the_api_with_the_api_key_until_total_results() -> None:
    fake = FakeTime()

    async def scenario() -> tuple[list[nvd.NvdPage], Server]:
        async with Server({"/rest/json/cves/2.0": _nvd_handler()}) as server, Fetcher(policy=LOOPBACK) as fetcher:
            pages = await _collect(_client(server, fetcher, fake), results_per_page=3)
        return pages, server

    pages, server = run(scenario())
    assert [p.start_index for p in pages] == [0, 3, 6]
    assert [len(p.records) for p in pages] == [3, 3, 1]
    assert pages[2].records[0].cve_id == "CVE-2020-24980"
    assert [r.headers.get("apikey") for r in server.requests] == ["k-123"] * 3
    queries = [parse_qs(urlsplit(r.path).query) for r in server.requests]
    assert [q["startIndex"] for q in queries] == [["0"], ["3"], ["6"]]
    assert "lastModStartDate" not in queries[0]
    assert fake.sleeps == []  # 3 requests are well within 50 per 30 s


def test_it_sends_split_date_windows_and_respects_the_keyless_limit() -> None:
    fake = FakeTime()
    start = datetime(2024, 1, 1, tzinfo=UTC)

    async def scenario() -> Server:
        async with Server({"/rest/json/cves/2.0": _nvd_handler()}) as server, Fetcher(policy=LOOPBACK) as fetcher:
            client = _client(server, fetcher, fake, api_key=None)
            await _collect(
                client, last_mod_start=start, last_mod_end=start + timedelta(days=250), results_per_page=2000
            )
            await _collect(
                client, last_mod_start=start, last_mod_end=start + timedelta(days=250), results_per_page=2000
            )
        return server

    server = run(scenario())
    queries = [parse_qs(urlsplit(r.path).query) for r in server.requests]
    assert [(q["lastModStartDate"][0], q["lastModEndDate"][0]) for q in queries[:3]] == [
        ("2024-01-01T00:00:00.000+00:00", "2024-04-30T00:00:00.000+00:00"),
        ("2024-04-30T00:00:00.000+00:00", "2024-08-28T00:00:00.000+00:00"),
        ("2024-08-28T00:00:00.000+00:00", "2024-09-07T00:00:00.000+00:00"),
    ]
    assert all("apikey" not in r.headers for r in server.requests)
    assert len(server.requests) == 6
    assert sum(fake.sleeps) == pytest.approx(30.0)  # the 6th request waits for the rolling window


def test_it_retries_rate_limited_and_unavailable_answers_with_backoff() -> None:
    fake = FakeTime()

    async def scenario() -> tuple[list[nvd.NvdPage], Server]:
        async with (
            Server({"/rest/json/cves/2.0": _nvd_handler([403, 429, 503])}) as server,
            Fetcher(policy=LOOPBACK) as fetcher,
        ):
            pages = await _collect(_client(server, fetcher, fake))
        return pages, server

    pages, server = run(scenario())
    assert len(pages) == 1
    assert len(pages[0].records) == 7
    assert len(server.requests) == 4
    assert fake.sleeps == [6.0, 12.0, 24.0]  # exponential, never shorter than Retry-After (2 s)


def test_it_gives_up_after_the_retries_and_on_other_errors() -> None:
    fake = FakeTime()

    async def scenario(script: list[int], retries: int) -> None:
        async with Server({"/rest/json/cves/2.0": _nvd_handler(script)}) as server, Fetcher(policy=LOOPBACK) as fetcher:
            client = _client(server, fetcher, fake)
            client.max_retries = retries
            await _collect(client)

    with pytest.raises(nvd.NvdApiError, match="after 3 attempts"):
        run(scenario([503, 503, 503, 503], 2))
    with pytest.raises(nvd.NvdApiError, match=r"HTTP 404 slow down"):
        run(scenario([404], 5))


def test_it_refuses_a_page_that_is_not_a_cve_page() -> None:
    fake = FakeTime()

    async def bad(request: Request, writer: asyncio.StreamWriter) -> bool:
        writer.write(response(200, b'{"hello": "world"}', {"Content-Type": "application/json"}))
        return True

    async def scenario() -> None:
        async with Server({"/rest/json/cves/2.0": bad}) as server, Fetcher(policy=LOOPBACK) as fetcher:
            await _collect(_client(server, fetcher, fake))

    with pytest.raises(nvd.NvdApiError, match=r"not a CVE API 2\.0 page"):
        run(scenario())
