"""Named people the tests act as: the department's admin, two unit officers, and the rest.

Unit A and unit B are two real units of the seeded appendix; each owns one system, website and
domain so that every list has something a neighbour must not see.
"""

from __future__ import annotations

from dataclasses import dataclass

from haidang.apps.accounts.models import Role, User
from haidang.apps.registry.models import Domain, InformationSystem, Organization, Unit, UnitGroup, Website

PASSWORD = "Mat-khau-rat-dai-2026!"


@dataclass
class World:
    group: UnitGroup
    unit_a: Unit
    unit_b: Unit
    system_a: InformationSystem
    system_b: InformationSystem
    website_a: Website
    website_b: Website
    domain_a: Domain
    domain_b: Domain
    telecom: Organization
    provider: Organization
    admin: User
    duty: User
    viewer: User
    officer_a: User
    officer_b: User
    telecom_officer: User
    provider_officer: User


def _user(email: str, role: str, **extra: object) -> User:
    return User.objects.create_user(email, PASSWORD, role=role, full_name=email.split("@", maxsplit=1)[0], **extra)


def build_world() -> World:
    group = UnitGroup.objects.create(code="state_agency_city", name="Khối các cơ quan quản lý nhà nước", order=1)
    unit_a = Unit.objects.create(group=group, number=1, name="Sở Tư pháp", short_code="so-tu-phap")
    unit_b = Unit.objects.create(group=group, number=2, name="Sở Y tế", short_code="so-y-te")
    system_a = InformationSystem.objects.create(unit=unit_a, name="Cổng thông tin Sở Tư pháp", security_level=2)
    system_b = InformationSystem.objects.create(unit=unit_b, name="Cổng thông tin Sở Y tế", security_level=3)
    telecom = Organization.objects.create(kind="telecom", name="Viễn thông Thành phố", short_code="vnpt-tp")
    provider = Organization.objects.create(kind="provider", name="Công ty An ninh mạng", short_code="atm")
    provider.assigned_units.add(unit_a)
    return World(
        group=group,
        unit_a=unit_a,
        unit_b=unit_b,
        system_a=system_a,
        system_b=system_b,
        website_a=Website.objects.create(unit=unit_a, system=system_a, url="https://stp.example.gov.vn/"),
        website_b=Website.objects.create(unit=unit_b, system=system_b, url="https://syt.example.gov.vn/"),
        domain_a=Domain.objects.create(unit=unit_a, name="stp.example.gov.vn"),
        domain_b=Domain.objects.create(unit=unit_b, name="syt.example.gov.vn"),
        telecom=telecom,
        provider=provider,
        admin=_user("admin@so.example.vn", Role.ADMIN, is_staff=True, is_superuser=True),
        duty=_user("truc@so.example.vn", Role.DUTY),
        viewer=_user("lanhdao@so.example.vn", Role.VIEWER),
        officer_a=_user("canbo@stp.example.vn", Role.UNIT, unit=unit_a),
        officer_b=_user("canbo@syt.example.vn", Role.UNIT, unit=unit_b),
        telecom_officer=_user("noc@vnpt.example.vn", Role.TELECOM, organization=telecom),
        provider_officer=_user("soc@atm.example.vn", Role.PROVIDER, organization=provider),
    )
