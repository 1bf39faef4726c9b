"""A city-sized registry for benchmarks: the 88 seeded units, 5 systems, 3 websites and 2 domains each."""

from __future__ import annotations

import pytest

from haidang.apps.accounts.models import Role, User
from haidang.apps.accounts.services import token_create
from haidang.apps.registry.models import Domain, InformationSystem, Unit, Website
from haidang.apps.registry.unit_io import seed_units_if_empty


@pytest.fixture
def city(db: None) -> dict[str, object]:
    seed_units_if_empty()
    units = list(Unit.objects.all())
    systems = InformationSystem.objects.bulk_create(
        InformationSystem(unit=unit, name=f"Hệ thống {i}", security_level=1 + i % 5) for unit in units for i in range(5)
    )
    Website.objects.bulk_create(
        Website(unit=s.unit, system=s, url=f"https://s{s.id}.{s.unit.short_code}.example.vn/") for s in systems[::2]
    )
    Domain.objects.bulk_create(
        Domain(unit=s.unit, name=f"d{s.id}.{s.unit.short_code}.example.vn") for s in systems[::3]
    )
    admin = User.objects.create_user("admin@bench.vn", "x", role=Role.ADMIN)
    officer = User.objects.create_user("officer@bench.vn", "x", role=Role.UNIT, unit=units[10])
    return {
        "admin": admin,
        "officer": officer,
        "admin_token": token_create(acting_user=None, user=admin).token,
        "officer_token": token_create(acting_user=None, user=officer).token,
    }
