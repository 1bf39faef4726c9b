from __future__ import annotations

from django.urls import reverse

from haidang.apps.audit.services import audit_record
from haidang.apps.registry.models import InformationSystem, Unit
from tests.apps.web.conftest import Login
from tests.personas import World


def test_it_counts_everything_for_the_department(login: Login, world: World) -> None:
    InformationSystem.objects.create(unit=world.unit_b, name="Hệ thống một cửa", security_level=4, is_important=True)
    response = login(world.duty).get(reverse("web:dashboard"))
    figures = response.context["figures"]
    assert (figures.total.units, figures.total.systems, figures.total.websites, figures.total.domains) == (2, 3, 2, 2)
    assert figures.important_systems == 1
    assert dict(figures.levels) == {2: 1, 3: 1, 4: 1}
    body = response.content.decode()
    assert "Tổng quan" in body
    assert "Khối các cơ quan quản lý nhà nước" in body
    assert "Toàn bộ các đơn vị".lower() in body.lower()


def test_it_counts_only_the_officers_unit(login: Login, world: World) -> None:
    response = login(world.officer_a).get(reverse("web:dashboard"))
    figures = response.context["figures"]
    assert (figures.total.units, figures.total.systems, figures.total.websites) == (1, 1, 1)
    assert response.context["own_units"] == [world.unit_a]
    body = response.content.decode()
    assert "Sở Tư pháp" in body
    assert "Sở Y tế" not in body


def test_it_counts_the_providers_assigned_units(login: Login, world: World) -> None:
    figures = login(world.provider_officer).get(reverse("web:dashboard")).context["figures"]
    assert figures.total.units == 1


def test_it_shows_an_empty_state_to_a_telecom_officer(login: Login, world: World) -> None:
    body = login(world.telecom_officer).get(reverse("web:dashboard")).content.decode()
    assert "chưa được giao theo dõi đơn vị nào" in body


def test_it_ignores_merged_units_in_the_figures(login: Login, world: World) -> None:
    Unit.objects.filter(id=world.unit_b.id).update(status="dissolved")
    figures = login(world.viewer).get(reverse("web:dashboard")).context["figures"]
    assert figures.total.units == 1


def test_it_lists_recent_events_in_the_viewers_scope(login: Login, world: World) -> None:
    audit_record(acting_user=world.admin, action="website.create", target=world.website_a, unit_id=world.unit_a.id)
    audit_record(acting_user=world.admin, action="website.create", target=world.website_b, unit_id=world.unit_b.id)
    body = login(world.officer_a).get(reverse("web:dashboard")).content.decode()
    assert "Thêm trang thông tin điện tử" in body
    assert "https://stp.example.gov.vn/" in body
    assert "https://syt.example.gov.vn/" not in body


def test_it_suggests_two_factor_to_an_officer_without_it(login: Login, world: World) -> None:
    body = login(world.officer_a).get(reverse("web:dashboard")).content.decode()
    assert reverse("web:two_factor") in body


def test_it_lists_open_incidents_within_the_officers_reach(login: Login, world: World) -> None:
    from haidang.apps.incidents.services import incident_create

    def report(unit: Unit, title: str) -> None:
        incident_create(
            actor=None, source="api", unit=unit, title=title, description="", category="defacement", severity="high"
        )

    report(world.unit_a, "Trang Sở Tư pháp bị chèn liên kết")
    report(world.unit_b, "Trang Sở Y tế bị chuyển hướng")
    officer = login(world.officer_a).get(reverse("web:dashboard"))
    assert officer.context["incidents"]["open"] == 1
    body = officer.content.decode()
    assert "Trang Sở Tư pháp bị chèn liên kết" in body
    assert "Trang Sở Y tế bị chuyển hướng" not in body
    assert "còn 4 ngày 23 giờ" in body  # the initial report is due 5 days after discovery, in Vietnamese
    department = login(world.duty).get(reverse("web:dashboard"))
    assert (department.context["incidents"]["open"], department.context["incidents"]["department_queue"]) == (2, 0)
    assert "Trực ngay bây giờ" in department.content.decode()
