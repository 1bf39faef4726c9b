"""Scheduled downloads of KEV and the NVD API, against local servers (127.0.0.1 only)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper
from typer.testing import CliRunner

from haidang.apps.advisories import feeds, tasks
from haidang.apps.advisories.models import FeedSource, Vulnerability, VulnerabilityProduct
from haidang.cli import app
from tests.personas import World

SAMPLES = Path(__file__).resolve().parents[2] / "engines" / "intel" / "samples"

pytestmark = pytest.mark.django_db


class _Feed:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.kev = (SAMPLES / "known_exploited_vulnerabilities.json").read_bytes()
        nvd = json.loads((SAMPLES / "nvd_cves_2.0.json").read_text(encoding="utf-8"))
        self.records: list[Any] = nvd["vulnerabilities"]
        self.fail = False


@pytest.fixture
def feed(settings: SettingsWrapper) -> Iterator[_Feed]:
    state = _Feed()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            state.requests.append(self.path)
            url = urlparse(self.path)
            if state.fail:
                body, status = b'{"message": "down"}', 500
            elif url.path == "/kev.json":
                body, status = state.kev, 200
            elif url.path == "/nvd":
                query = parse_qs(url.query)
                start, per_page = int(query["startIndex"][0]), int(query["resultsPerPage"][0])
                page = state.records[start : start + 3]  # pages of 3 whatever was asked
                assert per_page >= 1
                assert "lastModStartDate" in query
                body = json.dumps(
                    {
                        "resultsPerPage": len(page),
                        "startIndex": start,
                        "totalResults": len(state.records),
                        "format": "NVD_CVE",
                        "version": "2.0",
                        "vulnerabilities": page,
                    }
                ).encode()
                status = 200
            else:
                body, status = b"", 404
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.HAIDANG_ALLOW_PRIVATE_TARGETS = True
    settings.HAIDANG_KEV_URL = base + "/kev.json"
    settings.HAIDANG_NVD_API_URL = base + "/nvd"
    settings.HAIDANG_FEED_DOWNLOAD = True
    yield state
    server.shutdown()
    server.server_close()


def test_the_scheduled_task_downloads_both_feeds_and_matches(world: World, feed: _Feed) -> None:
    assert tasks.download_feeds() is True
    assert Vulnerability.objects.filter(in_kev=True).count() == 5
    assert Vulnerability.objects.get(cve_id="CVE-2021-44228").in_kev
    assert VulnerabilityProduct.objects.filter(vulnerability__cve_id="CVE-2021-44228").exists()
    nvd_import = feeds.selectors.last_successful_import(FeedSource.NVD_API)
    assert nvd_import is not None
    assert nvd_import.records_read == 7
    assert nvd_import.created == 2
    assert sum(r.startswith("/nvd") for r in feed.requests) == 3  # 7 records in pages of 3


def test_the_next_download_asks_only_for_changes_since_the_last_one(world: World, feed: _Feed) -> None:
    first = feeds.download_nvd()
    assert first.ok
    feed.requests.clear()
    feeds.download_nvd(now=timezone.now() + timedelta(hours=6))
    (start,) = {parse_qs(urlparse(r).query)["lastModStartDate"][0] for r in feed.requests}
    assert start.startswith(str((first.started_at - timedelta(minutes=5)).year))
    again = feeds.selectors.last_successful_import(FeedSource.NVD_API)
    assert again is not None
    assert again.created == 0
    assert again.unchanged == 7


def test_a_failing_source_is_logged_not_raised(world: World, feed: _Feed, settings: SettingsWrapper) -> None:
    feed.fail = True
    kev = feeds.download_kev()
    assert not kev.ok
    assert "HTTP 500" in kev.message
    nvd = feeds.download_nvd(client=feeds.nvd.NvdClient(None, settings.HAIDANG_NVD_API_URL, max_retries=0))
    assert not nvd.ok
    assert "API NVD" in nvd.message


def test_downloads_are_off_unless_configured(world: World, feed: _Feed, settings: SettingsWrapper) -> None:
    settings.HAIDANG_FEED_DOWNLOAD = False
    assert tasks.download_feeds() is False
    assert feed.requests == []


def test_private_addresses_are_refused_without_the_switch(world: World, feed: _Feed, settings: SettingsWrapper) -> None:
    settings.HAIDANG_ALLOW_PRIVATE_TARGETS = False
    result = feeds.download_kev()
    assert not result.ok
    assert feed.requests == []


def test_download_from_the_command_line(world: World, feed: _Feed, settings: SettingsWrapper) -> None:
    settings.HAIDANG_FEED_DOWNLOAD = False  # the command is explicit: it runs whatever the schedule says
    result = CliRunner().invoke(app, ["advisories", "download"])
    assert result.exit_code == 0, result.output
    assert "read 7" in result.output
    assert "inventory rows" in result.output
    feed.fail = True
    assert CliRunner().invoke(app, ["advisories", "download"]).exit_code == 1
