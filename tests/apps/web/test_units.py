from __future__ import annotations

import pytest
from django.urls import reverse

from haidang.apps.registry.models import Host, SoftwareComponent, Unit, UnitEvent
from haidang.apps.registry.services import unit_merge
from tests.apps.web.conftest import Login
from tests.personas import World


def _more_units(world: World, count: int) -> None:
    Unit.objects.bulk_create(
        Unit(group=world.group, number=10 + n, name=f"Ủy ban nhân dân phường {n}", short_code=f"ubnd-phuong-{n}")
        for n in range(count)
    )


def test_it_lists_every_unit_for_the_department(login: Login, world: World) -> None:
    response = login(world.admin).get(reverse("web:unit_list"))
    body = response.content.decode()
    assert response.context["total"] == 2
    assert "Sở Tư pháp" in body
    assert "Sở Y tế" in body
    assert reverse("web:unit_import") in body
    assert reverse("web:unit_export", args=["csv"]) in body


def test_it_lists_only_the_officers_unit(login: Login, world: World) -> None:
    response = login(world.officer_a).get(reverse("web:unit_list"))
    body = response.content.decode()
    assert response.context["total"] == 1
    assert "Sở Tư pháp" in body
    assert "Sở Y tế" not in body
    assert reverse("web:unit_import") not in body


def test_it_searches_by_name_and_short_code(login: Login, world: World) -> None:
    client = login(world.duty)
    assert client.get(reverse("web:unit_list"), {"q": "tư pháp"}).context["total"] == 1
    assert client.get(reverse("web:unit_list"), {"q": "so-y-te"}).context["total"] == 1
    assert client.get(reverse("web:unit_list"), {"q": "không có"}).context["total"] == 0


def test_it_filters_by_group_and_status(login: Login, world: World) -> None:
    unit_merge(acting_user=world.admin, unit=world.unit_b, successor=world.unit_a)
    client = login(world.duty)
    assert client.get(reverse("web:unit_list"), {"group": world.group.code}).context["total"] == 1
    assert client.get(reverse("web:unit_list"), {"status": "merged"}).context["total"] == 1
    assert client.get(reverse("web:unit_list"), {"status": "all"}).context["total"] == 2
    # An unknown group code is left out; the other filters still apply.
    assert client.get(reverse("web:unit_list"), {"group": "khong-co"}).context["total"] == 1
    assert (
        client.get(reverse("web:unit_list"), {"group": "khong-co", "q": "y tế", "status": "all"}).context["total"] == 1
    )


def test_it_paginates_fifty_a_page(login: Login, world: World) -> None:
    _more_units(world, 60)
    client = login(world.viewer)
    first = client.get(reverse("web:unit_list"))
    assert len(first.context["page"].object_list) == 50
    assert "Trang 1 / 2" in first.content.decode()
    second = client.get(reverse("web:unit_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 12


def test_it_shows_a_units_page_with_its_assets(login: Login, world: World) -> None:
    Host.objects.create(unit=world.unit_a, address="203.0.113.10")
    SoftwareComponent.objects.create(unit=world.unit_a, system=world.system_a, vendor="Apache", product="httpd")
    response = login(world.officer_a).get(reverse("web:unit_detail", args=[world.unit_a.id]))
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Cổng thông tin Sở Tư pháp",
        "Cấp độ 2",
        "https://stp.example.gov.vn/",
        "stp.example.gov.vn",
        "203.0.113.10",
        "Apache",
        "Công ty An ninh mạng",
    ):
        assert text in body
    assert reverse("web:asset_add", args=[world.unit_a.id, "website"]) in body
    assert "Sáp nhập vào đơn vị khác" not in body


@pytest.mark.parametrize("persona", ["officer_a", "provider_officer", "telecom_officer"])
def test_it_hides_another_units_page(login: Login, world: World, persona: str) -> None:
    target = world.unit_b if persona != "telecom_officer" else world.unit_a
    response = login(getattr(world, persona)).get(reverse("web:unit_detail", args=[target.id]))
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_it_shows_no_edit_buttons_to_a_viewer(login: Login, world: World) -> None:
    body = login(world.viewer).get(reverse("web:unit_detail", args=[world.unit_a.id])).content.decode()
    assert "Sở Tư pháp" in body
    assert "/add/" not in body
    assert "/delete/" not in body
    assert "Sửa thông tin đơn vị" not in body


def test_it_shows_a_provider_the_assigned_unit_read_only(login: Login, world: World) -> None:
    body = login(world.provider_officer).get(reverse("web:unit_detail", args=[world.unit_a.id])).content.decode()
    assert "Cổng thông tin Sở Tư pháp" in body
    assert "/add/" not in body


def test_it_shows_admin_actions(login: Login, world: World) -> None:
    body = login(world.admin).get(reverse("web:unit_detail", args=[world.unit_a.id])).content.decode()
    assert "Sửa thông tin đơn vị" in body
    assert "Sáp nhập vào đơn vị khác" in body
    assert "Giải thể" in body


def test_it_links_a_merged_unit_to_its_successor(login: Login, world: World) -> None:
    unit_merge(acting_user=world.admin, unit=world.unit_b, successor=world.unit_a, note="QĐ 12/2025")
    client = login(world.duty)
    merged = client.get(reverse("web:unit_detail", args=[world.unit_b.id])).content.decode()
    assert "Đơn vị đã sáp nhập vào" in merged
    assert reverse("web:unit_detail", args=[world.unit_a.id]) in merged
    assert "/add/" not in merged
    successor = client.get(reverse("web:unit_detail", args=[world.unit_a.id])).content.decode()
    assert "Tiếp nhận đơn vị sáp nhập" in successor  # history
    assert reverse("web:unit_detail", args=[world.unit_b.id]) in successor  # predecessor link
    assert "QĐ 12/2025" in successor
    assert UnitEvent.objects.filter(unit=world.unit_a).count() == 1


def test_it_escapes_user_data(login: Login, world: World) -> None:
    Unit.objects.filter(id=world.unit_a.id).update(contact_name="<script>alert(1)</script>")
    body = login(world.admin).get(reverse("web:unit_detail", args=[world.unit_a.id])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
