"""`haidang scan`: the exact command-line contract other tools depend on."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from haidang.cli import app
from tests.engines.scanner.corpus import CorpusServer, build_corpus

runner = CliRunner()


@pytest.fixture(scope="module")
def served() -> Iterator[list[str]]:
    corpus = build_corpus(seed=7, sites=4)
    with CorpusServer(corpus, hang_seconds=5) as server:
        server.set_run(0)
        yield [server.url_for(site.site_id) for site in corpus.sites]


def test_it_prints_one_json_object(served: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", "--state", str(tmp_path), "--format", "json", "--allow-private", *served])
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert [r["url"] for r in body["results"]] == served
    for site in body["results"]:
        assert isinstance(site["reachable"], bool)
        for finding in site["findings"]:
            assert set(finding) >= {"kind", "severity", "title", "evidence"}
            assert finding["severity"] in {"info", "low", "medium", "high", "critical"}
    assert any(tmp_path.glob("*.json"))  # the baselines are kept for the next run


def test_it_refuses_loopback_targets_unless_allowed(served: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", "--state", str(tmp_path), "--format", "json", served[0]])
    site = json.loads(result.stdout)["results"][0]
    assert (site["reachable"], site["reason"].split(":")[0]) == (False, "forbidden_address")


def test_it_reads_targets_from_a_file_and_prints_a_table(served: list[str], tmp_path: Path) -> None:
    targets = tmp_path / "targets.txt"
    targets.write_text("# danh sách\n" + "\n".join(served[:2]) + "\n\n", encoding="utf-8")
    result = runner.invoke(
        app,
        ["scan", "--state", str(tmp_path / "s"), "--targets", str(targets)],
        env={"HAIDANG_ALLOW_PRIVATE_TARGETS": "1"},
    )
    assert result.exit_code == 0, result.output
    assert "Tổng / Total: 2 website" in result.stdout


def test_it_scans_a_bare_host_as_http_and_keeps_the_url_as_given(served: list[str], tmp_path: Path) -> None:
    bare = served[0].removeprefix("http://")
    result = runner.invoke(app, ["scan", "--state", str(tmp_path), "--format", "json", "--allow-private", bare])
    site = json.loads(result.stdout)["results"][0]
    assert (site["url"], site["reachable"]) == (bare, True)


def test_it_reports_down_sites_as_unreachable(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["scan", "--state", str(tmp_path), "--format", "json", "--allow-private", "http://127.0.0.1:9/"]
    )
    site = json.loads(result.stdout)["results"][0]
    assert site["reachable"] is False
    assert site["reason"].startswith("connection_refused")


@pytest.mark.parametrize("args", [["--format", "xml", "http://x.gov.vn/"], [], ["--targets", "/nonexistent"]])
def test_it_explains_bad_arguments(args: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", "--state", str(tmp_path), *args])
    assert result.exit_code == 2
