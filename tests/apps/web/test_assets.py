from __future__ import annotations

import pytest
from django.urls import reverse

from haidang.apps.audit.models import AuditEvent
from haidang.apps.registry.models import Domain, Host, InformationSystem, SoftwareComponent, Website
from haidang.apps.registry.services import unit_merge
from tests.apps.web.conftest import Login
from tests.personas import World


def _add(world: World, kind: str, unit: str = "unit_a") -> str:
    return reverse("web:asset_add", args=[getattr(world, unit).id, kind])


def test_it_shows_the_add_website_form(login: Login, world: World) -> None:
    response = login(world.officer_a).get(_add(world, "website"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Thêm trang thông tin điện tử" in body
    assert '<label for="id_url">' in body
    assert "Cổng thông tin Sở Tư pháp" in body  # the unit's own system is offered
    assert "Cổng thông tin Sở Y tế" not in body


def test_it_rejects_an_invalid_url_in_vietnamese_and_writes_nothing(login: Login, world: World) -> None:
    before = Website.objects.count()
    response = login(world.officer_a).post(_add(world, "website"), {"url": "ftp://stp.example.gov.vn", "name": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Địa chỉ phải bắt đầu bằng http:// hoặc https:// và có tên miền." in body
    assert "hãy sửa các mục được đánh dấu" in body
    assert Website.objects.count() == before
    assert not AuditEvent.objects.filter(action="website.create").exists()


def test_it_requires_the_url(login: Login, world: World) -> None:
    body = login(world.officer_a).post(_add(world, "website"), {"url": ""}).content.decode()
    assert "Trường này là bắt buộc." in body


def test_it_rejects_a_duplicate_website(login: Login, world: World) -> None:
    response = login(world.officer_a).post(_add(world, "website"), {"url": world.website_a.url})
    assert "đã tồn tại" in response.content.decode()
    assert Website.objects.filter(url=world.website_a.url).count() == 1


def test_it_adds_a_website(login: Login, world: World) -> None:
    client = login(world.officer_a)
    response = client.post(
        _add(world, "website"), {"url": "https://dichvucong.stp.example.gov.vn/", "system": world.system_a.id}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/units/{world.unit_a.id}/#websites")
    website = Website.objects.get(url="https://dichvucong.stp.example.gov.vn/")
    assert (website.unit, website.system) == (world.unit_a, world.system_a)
    event = AuditEvent.objects.get(action="website.create")
    assert (event.actor, event.source, event.ip_address) == (world.officer_a, "web", "127.0.0.1")
    page = client.get(response["Location"]).content.decode()
    assert "Đã thêm trang thông tin điện tử" in page
    assert "https://dichvucong.stp.example.gov.vn/" in page


def test_it_refuses_a_system_of_another_unit(login: Login, world: World) -> None:
    response = login(world.officer_a).post(
        _add(world, "website"), {"url": "https://x.stp.example.gov.vn/", "system": world.system_b.id}
    )
    assert "Hãy chọn một lựa chọn hợp lệ." in response.content.decode()
    assert not Website.objects.filter(url="https://x.stp.example.gov.vn/").exists()


def test_it_adds_a_system_with_security_level_and_flags(login: Login, world: World) -> None:
    data = {"name": "Hệ thống quản lý văn bản", "security_level": "3", "is_important": "on", "hosting": "city_dc"}
    response = login(world.officer_a).post(_add(world, "system"), data)
    assert response.status_code == 302
    system = InformationSystem.objects.get(name="Hệ thống quản lý văn bản")
    assert (system.unit, system.security_level, system.is_important, system.hosting) == (
        world.unit_a,
        3,
        True,
        "city_dc",
    )


def test_it_rejects_a_duplicate_system_name(login: Login, world: World) -> None:
    response = login(world.officer_a).post(_add(world, "system"), {"name": world.system_a.name, "hosting": "cloud"})
    assert response.status_code == 200
    assert InformationSystem.objects.filter(name=world.system_a.name).count() == 1


def test_it_edits_a_system(login: Login, world: World) -> None:
    url = reverse("web:system_edit", args=[world.unit_a.id, world.system_a.id])
    client = login(world.officer_a)
    assert client.get(url).context["form"].initial["security_level"] == 2
    data = {"name": world.system_a.name, "security_level": "4", "hosting": "cloud", "is_active": "on"}
    assert client.post(url, data).status_code == 302
    world.system_a.refresh_from_db()
    assert (world.system_a.security_level, world.system_a.hosting) == (4, "cloud")
    assert AuditEvent.objects.get(action="system.update").changes["security_level"] == [2, 4]


def test_it_adds_a_domain_with_a_vietnamese_error_first(login: Login, world: World) -> None:
    client = login(world.officer_a)
    bad = client.post(_add(world, "domain"), {"name": "khong hop le"})
    assert "Tên miền không hợp lệ" in bad.content.decode()
    good = client.post(_add(world, "domain"), {"name": "Moi.STP.example.gov.vn.", "expires_on": "2027-01-31"})
    assert good.status_code == 302
    assert Domain.objects.get(name="moi.stp.example.gov.vn").expires_on.isoformat() == "2027-01-31"


def test_it_adds_a_host(login: Login, world: World) -> None:
    response = login(world.officer_a).post(_add(world, "host"), {"address": "203.0.113.0/28", "description": "DMZ"})
    assert response.status_code == 302
    assert Host.objects.filter(unit=world.unit_a, address="203.0.113.0/28").exists()


def test_it_adds_software_to_a_system_and_checks_the_cpe(login: Login, world: World) -> None:
    client = login(world.officer_a)
    base = {"system": world.system_a.id, "vendor": "Apache", "product": "HTTP Server", "version": "2.4.58"}
    bad = client.post(_add(world, "software"), {**base, "cpe": "apache httpd"})
    assert "CPE phải theo định dạng CPE 2.3" in bad.content.decode()
    assert client.post(_add(world, "software"), base).status_code == 302
    assert SoftwareComponent.objects.get(product="HTTP Server").unit == world.unit_a


def test_it_requires_a_system_for_software(login: Login, world: World) -> None:
    response = login(world.officer_a).post(_add(world, "software"), {"vendor": "Apache", "product": "httpd"})
    assert response.status_code == 200
    assert not SoftwareComponent.objects.exists()


def test_it_answers_404_for_an_unknown_kind(login: Login, world: World) -> None:
    assert login(world.officer_a).get(_add(world, "printer")).status_code == 404


def test_it_hides_another_units_forms(login: Login, world: World) -> None:
    client = login(world.officer_a)
    assert client.get(_add(world, "website", unit="unit_b")).status_code == 404
    response = client.post(_add(world, "website", unit="unit_b"), {"url": "https://evil.example.gov.vn/"})
    assert response.status_code == 404
    assert not Website.objects.filter(url="https://evil.example.gov.vn/").exists()


@pytest.mark.parametrize("persona", ["viewer", "duty", "provider_officer"])
def test_it_forbids_changes_by_people_who_may_only_look(login: Login, world: World, persona: str) -> None:
    client = login(getattr(world, persona))
    assert client.get(_add(world, "website")).status_code == 403
    response = client.post(_add(world, "website"), {"url": "https://new.stp.example.gov.vn/"})
    assert response.status_code == 403
    expected = "Tài khoản chỉ xem" if persona == "viewer" else "Bạn không có quyền thay đổi dữ liệu của đơn vị này."
    assert expected in response.content.decode()
    assert not Website.objects.filter(url="https://new.stp.example.gov.vn/").exists()


def test_it_lets_an_admin_add_to_any_unit(login: Login, world: World) -> None:
    response = login(world.admin).post(
        _add(world, "website", unit="unit_b"), {"url": "https://moi.syt.example.gov.vn/"}
    )
    assert response.status_code == 302


def test_it_refuses_to_add_to_a_merged_unit(login: Login, world: World) -> None:
    unit_merge(acting_user=world.admin, unit=world.unit_b, successor=world.unit_a)
    response = login(world.admin).post(_add(world, "website", unit="unit_b"), {"url": "https://cu.syt.example.gov.vn/"})
    assert "hãy cập nhật ở đơn vị kế thừa" in response.content.decode()
    assert not Website.objects.filter(url="https://cu.syt.example.gov.vn/").exists()


def test_it_deletes_a_website_after_confirmation(login: Login, world: World) -> None:
    url = reverse("web:asset_delete", args=[world.unit_a.id, "website", world.website_a.id])
    client = login(world.officer_a)
    confirm = client.get(url).content.decode()
    assert "Xác nhận xoá" in confirm
    assert world.website_a.url in confirm
    assert Website.objects.filter(id=world.website_a.id).exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not Website.objects.filter(id=world.website_a.id).exists()
    assert AuditEvent.objects.get(action="website.delete").changes == {"deleted": world.website_a.url}


def test_it_deletes_a_domain(login: Login, world: World) -> None:
    url = reverse("web:asset_delete", args=[world.unit_a.id, "domain", world.domain_a.id])
    assert login(world.officer_a).post(url).status_code == 302
    assert not Domain.objects.filter(id=world.domain_a.id).exists()


def test_it_hides_another_units_asset_from_delete(login: Login, world: World) -> None:
    client = login(world.officer_a)
    # The asset of unit B addressed through unit A's URL is not found either.
    url = reverse("web:asset_delete", args=[world.unit_a.id, "website", world.website_b.id])
    assert client.post(url).status_code == 404
    assert Website.objects.filter(id=world.website_b.id).exists()


def test_it_has_no_delete_for_systems(login: Login, world: World) -> None:
    url = reverse("web:asset_delete", args=[world.unit_a.id, "system", world.system_a.id])
    assert login(world.admin).post(url).status_code == 404


def test_it_forbids_a_viewer_to_delete(login: Login, world: World) -> None:
    url = reverse("web:asset_delete", args=[world.unit_a.id, "website", world.website_a.id])
    assert login(world.viewer).post(url).status_code == 403
    assert Website.objects.filter(id=world.website_a.id).exists()
