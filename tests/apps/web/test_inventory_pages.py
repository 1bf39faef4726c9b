"""The software inventory page and its import: what each role sees, who may import, and the match after it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from haidang.apps.advisories.models import Exposure
from haidang.apps.advisories.services import import_kev_file, import_nvd_file
from haidang.apps.monitoring.models import ObservedSoftware
from haidang.apps.registry.models import SoftwareComponent
from tests.apps.advisories.conftest import LOG4SHELL, SAMPLES
from tests.apps.web.conftest import Login
from tests.personas import World

pytestmark = pytest.mark.django_db

CSV = (
    "unit,system,vendor,product,version,cpe\n"
    "so-tu-phap,Cổng thông tin Sở Tư pháp,Apache Software Foundation,Log4j,2.14.1,\n"
).encode()


@pytest.fixture
def feeds(world: World) -> None:
    assert import_nvd_file(path=SAMPLES / "nvd_cves_2.0.json").ok
    assert import_kev_file(path_or_bytes=SAMPLES / "known_exploited_vulnerabilities.json").ok


@pytest.fixture
def inventory(world: World) -> None:
    SoftwareComponent.objects.create(
        unit=world.unit_a, system=world.system_a, vendor="Apache", product="Tomcat", version="9.0.65"
    )
    SoftwareComponent.objects.create(
        unit=world.unit_b, system=world.system_b, vendor="Microsoft", product="Exchange Server", version="2019 CU12"
    )
    now = timezone.now()
    ObservedSoftware.objects.create(
        website=world.website_b,
        unit=world.unit_b,
        vendor="F5",
        product="nginx",
        version="1.20.1",
        source="header:Server",
        evidence="nginx/1.20.1",
        first_seen_at=now,
        last_seen_at=now,
    )


def _upload(client: Any, data: bytes = CSV, name: str = "kiem-ke.csv") -> str:
    response = client.post(reverse("web:inventory_import"), {"file": SimpleUploadedFile(name, data)}, follow=True)
    return str(response.content.decode())


def test_each_role_sees_only_its_inventory(login: Login, world: World, inventory: None) -> None:
    page = login(world.duty).get(reverse("web:inventory")).content.decode()
    for shown in ("Tomcat", "Exchange Server", "nginx/1.20.1"):
        assert shown in page
    page = login(world.officer_a).get(reverse("web:inventory")).content.decode()
    assert "Tomcat" in page
    assert "Exchange Server" not in page
    assert "nginx/1.20.1" not in page
    page = login(world.telecom_officer).get(reverse("web:inventory")).content.decode()
    assert "Tomcat" not in page
    searched = login(world.viewer).get(reverse("web:inventory"), {"q": "exchange"}).content.decode()
    assert "Exchange Server" in searched
    assert "Tomcat" not in searched


def test_an_import_writes_the_inventory_and_matches_it_again(
    login: Login, world: World, feeds: None, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        body = _upload(login(world.officer_a))
    assert "Đã nhập kiểm kê phần mềm" in body
    assert SoftwareComponent.objects.filter(unit=world.unit_a, product="Log4j", version="2.14.1").exists()
    assert Exposure.objects.filter(unit=world.unit_a, vulnerability__cve_id=LOG4SHELL).exists()


def test_who_may_import_and_what_a_bad_file_says(login: Login, world: World) -> None:
    body = _upload(login(world.officer_b))  # a row of unit A
    assert "Bạn không có quyền cập nhật phần mềm của đơn vị này." in body
    assert not SoftwareComponent.objects.exists()
    assert login(world.duty).get(reverse("web:inventory_import")).status_code == 403
    assert login(world.provider_officer).get(reverse("web:inventory_import")).status_code == 403
    body = _upload(login(world.admin), b"\x89PNG garbage", "kiem-ke.png")
    assert "Chỉ nhận tệp .csv hoặc .xlsx." in body
    template = login(world.officer_a).get(reverse("web:inventory_template"))
    assert template.content.decode("utf-8-sig").startswith("unit,system,vendor,product,version,cpe")
