"""`haidang advisories match`: the exact command-line contract other tools depend on."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from haidang.cli import app
from tests.engines.intel.match_corpus import EXPECTED_MATCHES, INVENTORY, SAMPLES, write_feeds

runner = CliRunner()
KEV = SAMPLES / "known_exploited_vulnerabilities.json"


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    handwritten, sample = write_feeds(tmp_path)
    inventory = tmp_path / "inventory.csv"
    inventory.write_text(INVENTORY, encoding="utf-8")
    return {"handwritten": handwritten, "sample": sample, "inventory": inventory}


def _args(files: dict[str, Path], *extra: str) -> list[str]:
    return [
        "advisories", "match",
        "--nvd", str(files["handwritten"]), "--nvd", str(files["sample"]),
        "--kev", str(KEV), "--inventory", str(files["inventory"]), *extra,
    ]  # fmt: skip


def test_it_prints_one_json_object_with_the_exact_keys(files: dict[str, Path]) -> None:
    result = runner.invoke(app, _args(files, "--format", "json"))
    assert result.exit_code == 0, result.output
    body = json.loads(result.stdout)
    assert set(body) == {"matches", "review"}
    assert all(set(m) == {"unit", "system", "cve", "kev"} for m in body["matches"])
    assert {(m["unit"], m["system"], m["cve"], m["kev"]) for m in body["matches"]} == EXPECTED_MATCHES
    for item in body["review"]:
        assert {"unit", "system", "vendor", "product", "version", "reason"} <= set(item)
        assert set(item) <= {"unit", "system", "vendor", "product", "version", "reason", "cve", "candidates"}
    reasons = {item["reason"] for item in body["review"]}
    assert reasons == {
        "ambiguous_product",
        "unknown_product",
        "awaiting_analysis",
        "needs_platform",
        "unparseable_version",
    }


def test_it_reads_gzip_feeds_and_merges_repeated_nvd_options(files: dict[str, Path], tmp_path: Path) -> None:
    packed = tmp_path / "nvd.json.gz"
    with files["handwritten"].open("rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    files["handwritten"] = packed
    result = runner.invoke(app, _args(files, "--format", "json"))
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["matches"]) == len(EXPECTED_MATCHES)


def test_it_prints_a_bilingual_table_by_default(files: dict[str, Path]) -> None:
    result = runner.invoke(app, _args(files), env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Hệ thống bị ảnh hưởng / Affected systems" in result.stdout
    assert "CVE-2023-4966" in result.stdout
    assert f"Tổng / Total: {len(EXPECTED_MATCHES)} cặp" in result.stdout


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"inventory": "missing.csv"}, "--inventory: không tìm thấy tệp"),
        ({"handwritten": "missing.json"}, "--nvd: không tìm thấy tệp"),
        ({"handwritten": "not-json"}, "không phải tệp JSON NVD"),
        ({"handwritten": "kev"}, "không phải tệp JSON NVD"),
        ({"inventory": "bad-header"}, "thiếu cột"),
        ({"kev": "not-json"}, "--kev"),
    ],
)
def test_it_refuses_bad_files_with_exit_2_and_a_vietnamese_message(
    files: dict[str, Path], tmp_path: Path, change: dict[str, str], message: str
) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("this is not json {", encoding="utf-8")
    bad_header = tmp_path / "bad.csv"
    bad_header.write_text("name,version\nx,1\n", encoding="utf-8")
    replacements = {
        "missing.csv": tmp_path / "missing.csv",
        "missing.json": tmp_path / "missing.json",
        "not-json": junk,
        "kev": KEV,
        "bad-header": bad_header,
    }
    kev = KEV
    for key, value in change.items():
        if key == "kev":
            kev = replacements[value]
        else:
            files[key] = replacements[value]
    args = [a if a != str(KEV) else str(kev) for a in _args(files, "--format", "json")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""


def test_it_refuses_an_unknown_format(files: dict[str, Path]) -> None:
    result = runner.invoke(app, _args(files, "--format", "xml"))
    assert result.exit_code == 2
    assert "--format chỉ nhận table hoặc json" in result.stderr


def test_it_needs_nvd_and_inventory_options() -> None:
    assert runner.invoke(app, ["advisories", "match", "--format", "json"]).exit_code == 2


def test_it_runs_as_a_real_process_without_django(files: dict[str, Path]) -> None:
    code = (
        "import sys; from haidang.cli import main; sys.argv = ['haidang'] + sys.argv[1:]; main();"
        "assert 'django' not in sys.modules, 'the match command must not load Django'"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *_args(files, "--format", "json")], capture_output=True, check=False, timeout=60
    )
    assert done.returncode == 0, done.stderr.decode()
    assert len(json.loads(done.stdout)["matches"]) == len(EXPECTED_MATCHES)
