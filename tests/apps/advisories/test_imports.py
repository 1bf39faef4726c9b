"""Offline import of NVD and KEV files: incremental, idempotent, and honest about bad files."""

from __future__ import annotations

import copy
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from haidang.apps.advisories import selectors
from haidang.apps.advisories.configurations import configurations_from_json
from haidang.apps.advisories.models import Exposure, FeedImport, FeedSource, Vulnerability
from haidang.apps.advisories.services import import_kev_file, import_nvd_file
from haidang.apps.audit.models import AuditEvent
from haidang.apps.registry.models import SoftwareComponent
from haidang.cli import app
from haidang.engines.intel import nvd
from tests.personas import World

SAMPLES = Path(__file__).resolve().parents[2] / "engines" / "intel" / "samples"
NVD_FILE = SAMPLES / "nvd_cves_2.0.json"
KEV_FILE = SAMPLES / "known_exploited_vulnerabilities.json"
NVD_IDS = {
    "CVE-2021-44228",
    "CVE-2023-4966",
    "CVE-2021-26855",
    "CVE-2024-3400",
    "CVE-2019-1653",
    "CVE-2025-24813",
    "CVE-2020-24980",
}

pytestmark = pytest.mark.django_db


def _feed() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(NVD_FILE.read_text(encoding="utf-8"))
    return data


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _with_log4shell(data: dict[str, Any], *, last_modified: str, description: str) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    for item in changed["vulnerabilities"]:
        if item["cve"]["id"] == "CVE-2021-44228":
            item["cve"]["lastModified"] = last_modified
            item["cve"]["descriptions"] = [{"lang": "en", "value": description}]
    return changed


def test_it_imports_an_nvd_file(world: World) -> None:
    result = import_nvd_file(path=NVD_FILE, actor=world.admin)
    assert result.ok, result.message
    assert (result.source, result.records_read, result.created, result.updated) == (FeedSource.NVD_FILE, 7, 7, 0)
    assert result.file_name == "nvd_cves_2.0.json"
    assert result.actor == world.admin
    assert set(Vulnerability.objects.values_list("cve_id", flat=True)) == NVD_IDS
    log4shell = Vulnerability.objects.get(cve_id="CVE-2021-44228")
    assert log4shell.last_modified is not None
    assert log4shell.last_modified.isoformat() == "2024-07-24T17:08:24.167000+00:00"
    assert float(log4shell.cvss_score or 0) == 10.0
    assert log4shell.cvss_severity == "CRITICAL"
    assert log4shell.sources == ["nvd"]
    assert log4shell.cwes == ["CWE-20", "CWE-400", "CWE-502", "CWE-917"]
    assert log4shell.references
    assert log4shell.configurations
    assert Vulnerability.objects.get(cve_id="CVE-2020-24980").status == "Rejected"
    event = AuditEvent.objects.get(action="advisories.import")
    assert event.changes["created"] == 7


def test_it_keeps_configurations_the_matcher_can_rebuild(world: World) -> None:
    import_nvd_file(path=NVD_FILE)
    parsed = {record.cve_id: record for record in nvd.iter_file(NVD_FILE)}
    for row in Vulnerability.objects.all():
        assert configurations_from_json(row.configurations) == parsed[row.cve_id].configurations


def test_it_is_idempotent(world: World) -> None:
    import_nvd_file(path=NVD_FILE)
    again = import_nvd_file(path=NVD_FILE)
    assert again.ok
    assert (again.created, again.updated, again.unchanged) == (0, 0, 7)
    assert Vulnerability.objects.count() == 7


def test_it_applies_a_newer_record_and_ignores_an_older_one(world: World, tmp_path: Path) -> None:
    import_nvd_file(path=NVD_FILE)
    newer = _with_log4shell(_feed(), last_modified="2025-01-01T00:00:00.000", description="Newer text")
    result = import_nvd_file(path=_write(tmp_path / "newer.json", newer))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 6)
    assert Vulnerability.objects.get(cve_id="CVE-2021-44228").description == "Newer text"

    older = _with_log4shell(_feed(), last_modified="2022-01-01T00:00:00.000", description="Older text")
    result = import_nvd_file(path=_write(tmp_path / "older.json", older))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 7)
    assert Vulnerability.objects.get(cve_id="CVE-2021-44228").description == "Newer text"


def test_it_reads_gzip(world: World, tmp_path: Path) -> None:
    packed = tmp_path / "nvdcve-2.0-2024.json.gz"
    packed.write_bytes(gzip.compress(NVD_FILE.read_bytes()))
    result = import_nvd_file(path=packed)
    assert result.ok
    assert result.created == 7


def test_it_refuses_a_kev_file_given_as_nvd(world: World) -> None:
    result = import_nvd_file(path=KEV_FILE)
    assert not result.ok
    assert "NVD" in result.message
    assert result.finished_at is not None
    assert not Vulnerability.objects.exists()
    assert selectors.last_successful_import(FeedSource.NVD_FILE) is None


@pytest.mark.parametrize("content", [b"", b"not json at all", b'{"vulnerabilities": [{"cve": {"id": "CVE-2024-0001"'])
def test_it_reports_broken_nvd_files(world: World, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.json"
    path.write_bytes(content)
    result = import_nvd_file(path=path)
    assert not result.ok
    assert result.message


def test_it_keeps_what_a_truncated_file_held_but_reports_failure(world: World, tmp_path: Path) -> None:
    raw = NVD_FILE.read_bytes()
    cut = tmp_path / "cut.json"
    cut.write_bytes(raw[: raw.index(b'"CVE-2024-3400"') + 40])
    result = import_nvd_file(path=cut)
    assert not result.ok
    assert "cắt giữa chừng" in result.message
    assert result.created == 3
    assert Vulnerability.objects.count() == 3


def test_it_reports_a_missing_file(world: World, tmp_path: Path) -> None:
    result = import_nvd_file(path=tmp_path / "missing.json")
    assert not result.ok
    assert "Không đọc được tệp" in result.message
    assert not import_kev_file(path_or_bytes=tmp_path / "missing.json").ok


def test_it_flags_kev_and_keeps_the_nvd_data(world: World) -> None:
    import_nvd_file(path=NVD_FILE)
    result = import_kev_file(path_or_bytes=KEV_FILE, actor=world.admin)
    assert result.ok, result.message
    assert (result.records_read, result.created, result.updated) == (5, 0, 5)
    flagged = set(Vulnerability.objects.filter(in_kev=True).values_list("cve_id", flat=True))
    assert flagged == {"CVE-2024-3400", "CVE-2023-4966", "CVE-2021-44228", "CVE-2021-26855", "CVE-2019-1653"}
    log4shell = Vulnerability.objects.get(cve_id="CVE-2021-44228")
    assert log4shell.kev_date_added is not None
    assert log4shell.kev_date_added.isoformat() == "2021-12-10"
    assert log4shell.kev_required_action
    assert log4shell.sources == ["kev", "nvd"]
    assert log4shell.cvss_severity == "CRITICAL"

    again = import_kev_file(path_or_bytes=KEV_FILE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    # A later NVD import does not clear the KEV flags.
    import_nvd_file(path=NVD_FILE)
    assert Vulnerability.objects.filter(in_kev=True).count() == 5


def test_it_clears_kev_for_cves_no_longer_listed_and_creates_unknown_ones(world: World) -> None:
    import_kev_file(path_or_bytes=KEV_FILE)
    assert Vulnerability.objects.filter(in_kev=True, sources=["kev"]).count() == 5
    catalog = json.loads(KEV_FILE.read_text(encoding="utf-8"))
    catalog["vulnerabilities"] = [v for v in catalog["vulnerabilities"] if v["cveID"] != "CVE-2019-1653"]
    result = import_kev_file(path_or_bytes=json.dumps(catalog).encode(), file_name="kev-2025.json")
    assert result.ok
    assert (result.records_read, result.created, result.updated, result.unchanged) == (4, 0, 1, 4)
    dropped = Vulnerability.objects.get(cve_id="CVE-2019-1653")
    assert (dropped.in_kev, dropped.kev_due_date) == (False, None)

    # The NVD data then fills in a row first known from KEV.
    result = import_nvd_file(path=NVD_FILE)
    assert (result.created, result.updated) == (2, 5)
    assert Vulnerability.objects.get(cve_id="CVE-2024-3400").sources == ["kev", "nvd"]


def test_it_refuses_an_nvd_file_given_as_kev(world: World) -> None:
    result = import_kev_file(path_or_bytes=NVD_FILE)
    assert not result.ok
    assert "KEV" in result.message
    assert not Vulnerability.objects.exists()


def test_it_shows_the_last_successful_import(world: World) -> None:
    first = import_nvd_file(path=NVD_FILE)
    failed = import_nvd_file(path=KEV_FILE)
    assert selectors.last_successful_import(FeedSource.NVD_FILE) == first
    assert selectors.last_successful_import(FeedSource.KEV_FILE) is None
    assert selectors.import_list()[0] == failed
    assert len(selectors.import_list(limit=1)) == 1


def test_it_lists_and_finds_vulnerabilities(world: World) -> None:
    import_nvd_file(path=NVD_FILE)
    import_kev_file(path_or_bytes=KEV_FILE)
    assert selectors.vulnerability_list().count() == 7
    assert selectors.vulnerability_list(kev_only=True).count() == 5
    assert [v.cve_id for v in selectors.vulnerability_list(search="log4j")] == ["CVE-2021-44228"]
    assert selectors.vulnerability_list(search="cve-2024-3400").get().cve_id == "CVE-2024-3400"
    found = selectors.vulnerability_get("cve-2021-44228")
    assert found is not None
    assert found.in_kev
    assert selectors.vulnerability_get("CVE-1999-0001") is None


runner = CliRunner()


def test_it_imports_from_the_command_line(world: World) -> None:
    result = runner.invoke(app, ["advisories", "import", "--nvd", str(NVD_FILE), "--kev", str(KEV_FILE)])
    assert result.exit_code == 0, result.output
    assert "nvd_cves_2.0.json" in result.output
    assert "created 7" in result.output
    assert Vulnerability.objects.filter(in_kev=True).count() == 5
    assert set(AuditEvent.objects.filter(action="advisories.import").values_list("source", flat=True)) == {"cli"}


def test_it_exits_1_when_a_file_fails(world: World) -> None:
    result = runner.invoke(app, ["advisories", "import", "--nvd", str(NVD_FILE), "--nvd", str(KEV_FILE)])
    assert result.exit_code == 1
    assert "import failed" in result.output
    assert FeedImport.objects.filter(ok=True).count() == 1


def test_it_needs_a_file() -> None:
    assert runner.invoke(app, ["advisories", "import"]).exit_code == 2
    assert runner.invoke(app, ["advisories", "import", "--help"]).exit_code == 0


def test_import_matches_the_inventory_afterwards_and_refresh_does_it_on_demand(world: World) -> None:
    SoftwareComponent.objects.create(
        unit=world.unit_a, system=world.system_a, vendor="Apache", product="Log4j", version="2.14.1"
    )
    result = runner.invoke(app, ["advisories", "import", "--nvd", str(NVD_FILE), "--kev", str(KEV_FILE)])
    assert result.exit_code == 0, result.output
    assert "1 system–CVE pairs, 1 new" in result.output
    assert Exposure.objects.filter(unit=world.unit_a, resolved_at__isnull=True).count() == 1
    SoftwareComponent.objects.filter(unit=world.unit_a).update(version="2.17.1")
    result = runner.invoke(app, ["advisories", "refresh"])
    assert result.exit_code == 0, result.output
    assert "0 system–CVE pairs, 0 new, 1 resolved" in result.output
    result = runner.invoke(app, ["advisories", "import", "--kev", str(KEV_FILE), "--no-refresh"])
    assert "inventory rows" not in result.output
