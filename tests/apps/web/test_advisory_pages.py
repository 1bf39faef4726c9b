"""The vulnerability record pages: the list with its imports, one CVE, the affected systems, the review list."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from haidang.apps.advisories import matching
from haidang.apps.advisories.models import Exposure, FeedImport, MatchRun, Vulnerability
from haidang.apps.advisories.services import import_kev_file, import_nvd_file
from haidang.apps.registry.models import SoftwareComponent
from tests.apps.web.conftest import Login, sign_in
from tests.personas import World

SAMPLES = Path(__file__).resolve().parents[2] / "engines" / "intel" / "samples"
NVD_FILE = SAMPLES / "nvd_cves_2.0.json"
KEV_FILE = SAMPLES / "known_exploited_vulnerabilities.json"
LOG4SHELL = "CVE-2021-44228"

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(db: None) -> Login:
    return lambda user: sign_in(Client(), user)


@pytest.fixture
def feeds(world: World) -> None:
    assert import_nvd_file(path=NVD_FILE, actor=world.admin).ok
    assert import_kev_file(path_or_bytes=KEV_FILE, actor=world.admin).ok


@pytest.fixture
def exposed(world: World, feeds: None) -> MatchRun:
    SoftwareComponent.objects.create(
        unit=world.unit_a, system=world.system_a, vendor="Apache", product="Log4j", version="2.14.1"
    )
    SoftwareComponent.objects.create(
        unit=world.unit_b, system=world.system_b, vendor="Acme", product="Nothing", version="1"
    )
    return matching.exposures_refresh()


def _upload(client: Client, kind: str, name: str, content: bytes) -> str:
    response = client.post(
        reverse("web:advisory_import"), {"kind": kind, "file": SimpleUploadedFile(name, content)}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("web:advisory_list")
    return response.content.decode()


# --- the list and the imports ------------------------------------------------------------------


def test_it_imports_the_feeds_from_uploads(login: Login, world: World) -> None:
    client = login(world.admin)
    body = _upload(client, "nvd", "nvdcve-2.0-2021.json.gz", gzip.compress(NVD_FILE.read_bytes()))
    assert "Đã đọc 7 bản ghi: 7 mới" in body
    body = _upload(client, "kev", "known_exploited_vulnerabilities.json", KEV_FILE.read_bytes())
    assert "Đã đọc 5 CVE trong danh mục KEV" in body
    assert Vulnerability.objects.get(cve_id=LOG4SHELL).in_kev
    assert list(FeedImport.objects.values_list("file_name", flat=True).order_by("id")) == [
        "nvdcve-2.0-2021.json.gz",
        "known_exploited_vulnerabilities.json",
    ]
    page = client.get(reverse("web:advisory_list")).content.decode()
    assert "nvdcve-2.0-2021.json.gz" in page
    assert "7 bản ghi: 7 mới, 0 cập nhật" in page


def test_it_refuses_garbage_feed_files_in_vietnamese(login: Login, world: World) -> None:
    client = login(world.duty)
    body = _upload(client, "nvd", "nvd.json", b"<html>not json</html>")
    assert "Không nhập được tệp nvd.json: Tệp không phải dữ liệu CVE NVD 2.0" in body
    body = _upload(client, "kev", "kev.json", b'{"hello": "world"}')
    assert "Không nhập được tệp kev.json: Tệp không phải danh mục KEV của CISA" in body
    body = client.post(reverse("web:advisory_import"), {"kind": "nvd"}, follow=True).content.decode()
    assert "Hãy chọn tệp để nhập." in body
    assert not Vulnerability.objects.exists()


def test_it_refuses_a_feed_file_larger_than_the_limit(login: Login, world: World, settings: Any) -> None:
    settings.HAIDANG_FEED_UPLOAD_MAX_BYTES = 1024 * 1024
    body = _upload(login(world.duty), "nvd", "nvd.json", b" " * (1024 * 1024 + 1))
    assert "Tệp quá lớn (1 MB); tối đa 1 MB." in body
    assert not FeedImport.objects.exists()


def test_it_lists_searches_and_filters_records(login: Login, world: World, exposed: MatchRun) -> None:
    client = login(world.admin)
    response = client.get(reverse("web:advisory_list"))
    rows = {row.vulnerability.cve_id: row for row in response.context["rows"]}
    assert len(rows) == 7
    assert (rows[LOG4SHELL].units, rows[LOG4SHELL].systems) == (1, 1)
    body = response.content.decode()
    assert "Đối chiếu lại kiểm kê" in body
    assert 'data-testid="import-nvd"' in body
    assert 'data-testid="last-run"' in body
    kev = client.get(reverse("web:advisory_list"), {"kev": "on"}).context["rows"]
    assert len(kev) == 5
    found = client.get(reverse("web:advisory_list"), {"q": "log4j"}).context["rows"]
    assert [row.vulnerability.cve_id for row in found] == [LOG4SHELL]


def test_it_shows_the_list_read_only_to_units(login: Login, world: World, exposed: MatchRun) -> None:
    for persona in ("officer_a", "officer_b", "provider_officer", "viewer", "telecom_officer"):
        response = login(getattr(world, persona)).get(reverse("web:advisory_list"))
        assert response.status_code == 200, persona
        body = response.content.decode()
        assert 'data-testid="import-nvd"' not in body, persona
        assert "Đối chiếu lại kiểm kê" not in body, persona
    rows = login(world.officer_b).get(reverse("web:advisory_list")).context["rows"]
    assert all(row.units == 0 for row in rows)
    client = login(world.officer_a)
    assert client.post(reverse("web:advisory_refresh")).status_code == 403
    upload = SimpleUploadedFile("kev.json", KEV_FILE.read_bytes())
    assert client.post(reverse("web:advisory_import"), {"kind": "kev", "file": upload}).status_code == 403


def test_it_matches_the_inventory_again_on_request(login: Login, world: World, feeds: None) -> None:
    SoftwareComponent.objects.create(
        unit=world.unit_a, system=world.system_a, vendor="Apache", product="Log4j", version="2.14.1"
    )
    body = login(world.duty).post(reverse("web:advisory_refresh"), follow=True).content.decode()
    assert "1 cặp hệ thống – CVE, 1 mới phát hiện" in body
    assert Exposure.objects.filter(unit=world.unit_a, resolved_at=None).count() == 1


# --- one record --------------------------------------------------------------------------------


def test_it_shows_a_record_with_safe_links(login: Login, world: World, exposed: MatchRun) -> None:
    Vulnerability.objects.filter(cve_id=LOG4SHELL).update(
        references=["https://logging.apache.org/log4j/2.x/security.html", "javascript:alert(1)", '"><script>x</script>']
    )
    client = login(world.duty)
    response = client.get(reverse("web:advisory_detail", args=[LOG4SHELL.lower()]))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<a href="https://logging.apache.org/log4j/2.x/security.html" rel="noopener noreferrer nofollow"' in body
    assert 'href="javascript:' not in body
    assert "<script>x</script>" not in body
    assert f'href="{reverse("web:warning_new")}?cve={LOG4SHELL}"' in body
    assert "Đang bị khai thác (KEV)" in body
    assert [line.name for line in response.context["units"]] == ["Sở Tư pháp"]
    assert client.get(reverse("web:advisory_detail", args=["CVE-2099-0001"])).status_code == 404


def test_it_shows_each_unit_only_its_own_affected_systems(login: Login, world: World, exposed: MatchRun) -> None:
    url = reverse("web:advisory_detail", args=[LOG4SHELL])
    mine = login(world.officer_a).get(url)
    assert [line.name for line in mine.context["units"]] == ["Sở Tư pháp"]
    assert "Soạn cảnh báo" not in mine.content.decode()
    assert login(world.officer_b).get(url).context["units"] == []
    assert [line.name for line in login(world.provider_officer).get(url).context["units"]] == ["Sở Tư pháp"]


# --- affected systems and review ---------------------------------------------------------------


def test_it_lists_open_exposures_by_unit_and_kev(login: Login, world: World, exposed: MatchRun) -> None:
    client = login(world.admin)
    page = client.get(reverse("web:exposure_list")).context["page"]
    assert [(e.unit, e.vulnerability.cve_id) for e in page] == [(world.unit_a, LOG4SHELL)]
    assert not client.get(reverse("web:exposure_list"), {"unit": world.unit_b.id}).context["page"].object_list
    assert len(client.get(reverse("web:exposure_list"), {"kev": "on"}).context["page"].object_list) == 1
    assert not login(world.officer_b).get(reverse("web:exposure_list")).context["page"].object_list
    assert len(login(world.officer_a).get(reverse("web:exposure_list")).context["page"].object_list) == 1


def test_it_shows_the_review_list_to_the_department_only(login: Login, world: World, exposed: MatchRun) -> None:
    response = login(world.admin).get(reverse("web:match_review"))
    assert response.status_code == 200
    assert response.context["run"] == exposed
    assert any(line.unit == "Sở Y tế" and "Acme" in line.software for line in response.context["lines"])
    for persona in ("officer_a", "viewer", "provider_officer"):
        assert login(getattr(world, persona)).get(reverse("web:match_review")).status_code == 403, persona
