"""Who sees which units and assets: the tenancy matrix for every registry selector."""

from __future__ import annotations

import pytest

from haidang.apps.registry import selectors
from haidang.apps.registry.models import Host, InformationSystem, SoftwareComponent, Unit
from tests.personas import World

LISTS = ["system_list", "website_list", "domain_list", "host_list", "software_list"]


@pytest.fixture
def assets(world: World) -> World:
    for unit, system in ((world.unit_a, world.system_a), (world.unit_b, world.system_b)):
        Host.objects.create(unit=unit, system=system, address=f"10.0.0.{unit.id}")
        SoftwareComponent.objects.create(unit=unit, system=system, vendor="Apache", product="httpd", version="2.4.58")
    return world


def _unit_ids(rows: object) -> set[int]:
    return {row.unit_id for row in rows}  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("persona", ["admin", "duty", "viewer"])
def test_it_shows_department_roles_every_unit(assets: World, name: str, persona: str) -> None:
    rows = getattr(selectors, name)(visible_to=getattr(assets, persona))
    assert _unit_ids(rows) == {assets.unit_a.id, assets.unit_b.id}


@pytest.mark.parametrize("name", LISTS)
def test_it_shows_unit_officer_only_their_unit(assets: World, name: str) -> None:
    assert _unit_ids(getattr(selectors, name)(visible_to=assets.officer_a)) == {assets.unit_a.id}
    assert _unit_ids(getattr(selectors, name)(visible_to=assets.officer_b)) == {assets.unit_b.id}


@pytest.mark.parametrize("name", LISTS)
def test_it_shows_provider_only_assigned_units(assets: World, name: str) -> None:
    assert _unit_ids(getattr(selectors, name)(visible_to=assets.provider_officer)) == {assets.unit_a.id}


@pytest.mark.parametrize("name", LISTS)
def test_it_shows_telecom_no_government_assets(assets: World, name: str) -> None:
    assert list(getattr(selectors, name)(visible_to=assets.telecom_officer)) == []


@pytest.mark.parametrize("name", LISTS)
def test_it_filters_by_unit_within_scope(assets: World, name: str) -> None:
    rows = getattr(selectors, name)(visible_to=assets.officer_a, unit_id=assets.unit_b.id)
    assert list(rows) == []


def test_it_hides_another_units_detail(world: World) -> None:
    assert selectors.unit_get(visible_to=world.officer_a, unit_id=world.unit_a.id) == world.unit_a
    with pytest.raises(Unit.DoesNotExist):
        selectors.unit_get(visible_to=world.officer_a, unit_id=world.unit_b.id)


def test_it_hides_everything_from_an_inactive_user(world: World) -> None:
    world.admin.is_active = False
    assert list(selectors.unit_list(visible_to=world.admin)) == []


def test_it_searches_and_filters_units(world: World) -> None:
    assert [u.id for u in selectors.unit_list(visible_to=world.admin, search="y tế")] == [world.unit_b.id]
    assert selectors.unit_list(visible_to=world.admin, group="state_agency_city").count() == 2
    assert selectors.unit_list(visible_to=world.admin, group="district").count() == 0


def test_it_counts_assets_per_unit(world: World) -> None:
    InformationSystem.objects.create(unit=world.unit_a, name="Một cửa điện tử")
    unit = selectors.unit_list(visible_to=world.admin).get(id=world.unit_a.id)
    assert (unit.system_count, unit.website_count, unit.domain_count) == (2, 1, 1)  # type: ignore[attr-defined]


def test_it_lets_only_admin_and_own_officer_edit(world: World) -> None:
    assert selectors.can_edit_unit(world.admin, world.unit_b.id)
    assert selectors.can_edit_unit(world.officer_a, world.unit_a.id)
    assert not selectors.can_edit_unit(world.officer_a, world.unit_b.id)
    for persona in (world.duty, world.viewer, world.provider_officer, world.telecom_officer):
        assert not selectors.can_edit_unit(persona, world.unit_a.id)


def test_it_shows_organisations_by_role(world: World) -> None:
    assert set(selectors.organization_list(visible_to=world.admin)) == {world.telecom, world.provider}
    assert list(selectors.organization_list(visible_to=world.telecom_officer)) == [world.telecom]
    assert list(selectors.organization_list(visible_to=world.officer_a)) == []


def test_it_counts_zero_for_a_unit_without_assets(world: World) -> None:
    from haidang.apps.registry.models import Unit as UnitModel

    empty = UnitModel.objects.create(group=world.group, name="Sở Nội vụ", short_code="so-noi-vu")
    unit = selectors.unit_list(visible_to=world.admin).get(id=empty.id)
    assert (unit.system_count, unit.website_count, unit.domain_count) == (0, 0, 0)  # type: ignore[attr-defined]
