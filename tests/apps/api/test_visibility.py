"""Who sees what, for every list and detail endpoint: the permission matrix."""

from __future__ import annotations

import pytest

from haidang.apps.audit.models import AuditEvent
from haidang.apps.audit.services import audit_record
from tests.apps.api.conftest import PERSONAS, SEES, Api, Owned, ids
from tests.personas import World

REGISTRY = ("units", "systems", "websites", "domains", "hosts", "software")
UNIT_OWNED = ("systems", "websites", "domains", "hosts", "software")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("collection", REGISTRY)
def test_it_lists_only_what_the_persona_may_see(
    api: Api, owned: dict[str, Owned], collection: str, persona: str
) -> None:
    response = api.get(f"/{collection}", persona)

    assert response.status_code == 200
    expected = {owned[collection].side(side).pk for side in SEES[persona]}
    assert ids(response) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("collection", REGISTRY)
@pytest.mark.parametrize("side", ["a", "b"])
def test_it_shows_a_detail_only_to_who_may_see_it(
    api: Api, owned: dict[str, Owned], collection: str, persona: str, side: str
) -> None:
    obj = owned[collection].side(side)

    response = api.get(f"/{collection}/{obj.pk}", persona)

    if side in SEES[persona]:
        assert response.status_code == 200
        assert response.json()["id"] == obj.pk
    else:
        assert response.status_code == 404
        assert "Không tìm thấy" in response.json()["detail"]


@pytest.mark.parametrize("collection", UNIT_OWNED)
def test_it_tags_every_unit_owned_object_with_its_unit(
    api: Api, world: World, owned: dict[str, Owned], collection: str
) -> None:
    response = api.get(f"/{collection}", "admin")

    units = {item["id"]: item["unit_id"] for item in response.json()["items"]}
    assert units == {owned[collection].a.pk: world.unit_a.id, owned[collection].b.pk: world.unit_b.id}


@pytest.mark.parametrize("collection", UNIT_OWNED)
def test_it_filters_by_unit_within_what_is_visible(
    api: Api, world: World, owned: dict[str, Owned], collection: str
) -> None:
    for_admin = api.get(f"/{collection}", "admin", {"unit_id": world.unit_b.id})
    for_officer = api.get(f"/{collection}", "officer_a", {"unit_id": world.unit_b.id})

    assert for_admin.json()["count"] == 1
    assert {item["unit_id"] for item in for_admin.json()["items"]} == {world.unit_b.id}
    assert for_officer.json() == {"items": [], "count": 0}


def test_it_describes_a_unit_with_its_group_and_contacts(api: Api, world: World) -> None:
    world.unit_a.contact_name = "Nguyễn Văn A"
    world.unit_a.contact_phone = "0225 3000 000"
    world.unit_a.save()

    item = api.get(f"/units/{world.unit_a.id}", "officer_a").json()

    assert item["group"] == {"code": world.group.code, "name": world.group.name}
    assert item["contacts"] == [{"name": "Nguyễn Văn A", "email": "", "phone": "0225 3000 000"}]
    assert {"short_code", "number", "status", "successor_id", "parent_id"} <= item.keys()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"search": "y tế"}, {"unit_b"}),
        ({"search": "SO-TU"}, {"unit_a"}),
        ({"group": "state_agency_city"}, {"unit_a", "unit_b"}),
        ({"group": "khong-co"}, set()),
        ({"status": "merged"}, set()),
        ({"status": "all"}, {"unit_a", "unit_b"}),
    ],
)
def test_it_filters_units(api: Api, world: World, params: dict[str, str], expected: set[str]) -> None:
    response = api.get("/units", "admin", params)

    assert ids(response) == {getattr(world, name).id for name in expected}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_unit_groups_to_anyone_signed_in(api: Api, world: World, persona: str) -> None:
    response = api.get("/unit-groups", persona)

    assert response.status_code == 200
    assert response.json()["items"] == [
        {"code": world.group.code, "name": world.group.name, "order": 1, "unit_count": 2}
    ]


ORGANIZATIONS_SEEN = {
    "admin": {"telecom", "provider"},
    "duty": {"telecom", "provider"},
    "viewer": {"telecom", "provider"},
    "officer_a": set(),
    "officer_b": set(),
    "telecom_officer": {"telecom"},
    "provider_officer": {"provider"},
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_organizations_by_role(api: Api, world: World, persona: str) -> None:
    expected = {getattr(world, name).id for name in ORGANIZATIONS_SEEN[persona]}

    response = api.get("/organizations", persona)

    assert ids(response) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("organization", ["telecom", "provider"])
def test_it_shows_an_organization_only_to_who_may_see_it(
    api: Api, world: World, persona: str, organization: str
) -> None:
    response = api.get(f"/organizations/{getattr(world, organization).id}", persona)

    assert response.status_code == (200 if organization in ORGANIZATIONS_SEEN[persona] else 404)


def test_it_filters_organizations_by_kind(api: Api, world: World) -> None:
    assert ids(api.get("/organizations", "admin", {"kind": "provider"})) == {world.provider.id}


@pytest.fixture
def events(world: World) -> dict[str, AuditEvent]:
    return {
        "a": audit_record(
            acting_user=world.admin, action="website.create", target=world.website_a, unit_id=world.unit_a.id
        ),
        "b": audit_record(
            acting_user=world.admin, action="website.create", target=world.website_b, unit_id=world.unit_b.id
        ),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_the_audit_trail_by_role(api: Api, world: World, events: dict[str, AuditEvent], persona: str) -> None:
    response = api.get("/audit", persona)

    assert response.status_code == 200
    seen = ids(response)
    for side, event in events.items():
        assert (event.id in seen) == (side in SEES[persona])
    user = getattr(world, persona)
    if not user.is_city_wide:
        allowed_units = {getattr(world, f"unit_{side}").id for side in SEES[persona]}
        for item in response.json()["items"]:
            assert item["unit_id"] in allowed_units or item["actor_id"] == user.id


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("side", ["a", "b"])
def test_it_shows_an_audit_event_only_to_who_may_see_it(
    api: Api, events: dict[str, AuditEvent], persona: str, side: str
) -> None:
    response = api.get(f"/audit/{events[side].id}", persona)

    assert response.status_code == (200 if side in SEES[persona] else 404)


def test_it_filters_the_audit_trail(api: Api, world: World, events: dict[str, AuditEvent]) -> None:
    by_unit = api.get("/audit", "admin", {"unit_id": world.unit_b.id, "action": "website"})
    by_actor = api.get("/audit", "admin", {"actor": "nobody@", "since": "2000-01-01"})

    assert ids(by_unit) == {events["b"].id}
    assert by_actor.json()["count"] == 0


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_tells_a_token_holder_who_they_are(api: Api, world: World, persona: str) -> None:
    user = getattr(world, persona)

    response = api.get("/me", persona)

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == user.email
    assert body["role"] == user.role
    assert body["unit_id"] == user.unit_id
    assert body["organization_id"] == user.organization_id
