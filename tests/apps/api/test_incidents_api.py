from __future__ import annotations

import json

import pytest

from haidang.apps.incidents.models import Incident, Queue, Status
from tests.apps.api.conftest import Api, ids
from tests.apps.incidents.conftest import PERSONAS, SEES, Incidents, build_incidents
from tests.personas import World


@pytest.fixture
def incidents(world: World) -> Incidents:
    return build_incidents(world)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_only_what_the_persona_may_see(api: Api, incidents: Incidents, persona: str) -> None:
    response = api.get("/incidents", persona)
    assert response.status_code == 200
    assert ids(response) == {incidents.side(side).id for side in SEES[persona]}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("side", ["a", "b", "telecom", "public"])
def test_it_shows_a_detail_only_to_who_may_see_it(api: Api, incidents: Incidents, persona: str, side: str) -> None:
    incident = incidents.side(side)
    response = api.get(f"/incidents/{incident.id}", persona)
    if side in SEES[persona]:
        assert response.status_code == 200
        assert response.json()["reference"] == incident.reference
    else:
        assert response.status_code == 404


def test_it_tags_each_incident_with_its_unit_and_deadlines(api: Api, world: World, incidents: Incidents) -> None:
    items = {item["id"]: item for item in api.get("/incidents", "admin").json()["items"]}
    assert items[incidents.a.id]["unit_id"] == world.unit_a.id
    assert items[incidents.public.id]["unit_id"] is None
    assert items[incidents.telecom.id]["organization_id"] == world.telecom.id
    rules = {d["rule_id"] for d in items[incidents.a.id]["deadlines"]}
    assert "tt20-initial-report" in rules


def test_it_filters(api: Api, world: World, incidents: Incidents) -> None:
    assert ids(api.get("/incidents", "admin", {"unit_id": world.unit_b.id})) == {incidents.b.id}
    assert ids(api.get("/incidents", "admin", {"queue": "department"})) == {incidents.telecom.id, incidents.public.id}
    assert ids(api.get("/incidents", "officer_a", {"unit_id": world.unit_b.id})) == set()
    assert api.get("/incidents", "admin", {"status": "bogus"}).status_code == 422


def test_a_unit_officer_reports_through_the_api(api: Api, world: World) -> None:
    response = api.post(
        "/incidents",
        "officer_a",
        {
            "title": "Tấn công DDoS cổng dịch vụ công",
            "category": "ddos",
            "severity": "high",
            "system_ids": [world.system_a.id],
            "indicators": ["198.51.100.23"],
            "personal_data": True,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit_id"] == world.unit_a.id
    assert body["system_ids"] == [world.system_a.id]
    assert body["indicators"] == [{"kind": "ipv4", "value": "198.51.100.23"}]
    assert body["queue"] == Queue.UNIT
    assert Incident.objects.get(id=body["id"]).source == "api"


@pytest.mark.parametrize(
    ("persona", "body", "status"),
    [
        ("officer_a", {"unit_id": 0, "title": "x", "category": "ddos"}, 422),
        ("officer_a", {"title": "x", "category": "weather"}, 422),
        ("officer_a", {"title": "", "category": "ddos"}, 400),
        ("officer_a", {"title": "x", "category": "ddos", "indicators": ["two words"]}, 400),
        ("officer_a", {"title": "x", "category": "ddos", "system_ids": [999999]}, 404),
        ("viewer", {"title": "x", "category": "ddos"}, 403),
        (None, {"title": "x", "category": "ddos"}, 401),
    ],
)
def test_it_refuses_bad_creates_clearly(api: Api, world: World, persona: str | None, body: dict, status: int) -> None:
    response = api.post("/incidents", persona, body)
    assert response.status_code == status
    assert response.json()["detail"]
    assert not Incident.objects.exists()


def test_it_hides_another_units_existence_on_create(api: Api, world: World) -> None:
    response = api.post("/incidents", "officer_a", {"unit_id": world.unit_b.id, "title": "x", "category": "ddos"})
    assert response.status_code == 404
    response = api.post(
        "/incidents", "officer_a", {"title": "x", "category": "ddos", "system_ids": [world.system_b.id]}
    )
    assert response.status_code == 404


def test_it_changes_status(api: Api, world: World, incidents: Incidents) -> None:
    url = f"/incidents/{incidents.a.id}/status"
    response = api.post(url, "duty", {"status": "triaged", "note": "Đã xác minh"})
    assert response.status_code == 200
    assert response.json()["status"] == Status.TRIAGED
    assert api.post(url, "duty", {"status": "closed"}).json()["status"] == Status.CLOSED
    invalid = api.post(url, "duty", {"status": "new"})
    assert invalid.status_code == 400
    assert "Không thể chuyển" in invalid.json()["detail"]
    assert api.post(url, "officer_b", {"status": "in_progress"}).status_code == 404
    assert api.post(url, "viewer", {"status": "in_progress"}).status_code == 403


def test_it_patches_fields(api: Api, world: World, incidents: Incidents) -> None:
    url = f"/incidents/{incidents.public.id}"
    response = api.client.patch(
        "/api/v1" + url,
        json.dumps({"unit_id": world.unit_a.id, "severity": "critical"}),
        content_type="application/json",
        headers=api.headers("duty"),
    )
    assert response.status_code == 200, response.content
    assert response.json()["unit_id"] == world.unit_a.id
    assert response.json()["severity"] == "critical"
    response = api.client.patch(
        "/api/v1" + f"/incidents/{incidents.a.id}",
        json.dumps({"unit_id": world.unit_a.id, "title": "Sửa tiêu đề"}),
        content_type="application/json",
        headers=api.headers("officer_a"),
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Sửa tiêu đề"
