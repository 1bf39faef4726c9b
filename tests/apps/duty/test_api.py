"""The duty API: the permission matrix on every list and detail, creation, and who is on duty now."""

from __future__ import annotations

import pytest
import time_machine

from haidang.apps.audit.models import AuditEvent
from haidang.apps.duty.models import Roster, RosterStatus, Shift
from tests.apps.api.conftest import Api
from tests.apps.duty.conftest import NOW, Duty
from tests.apps.duty.test_selectors import SEES
from tests.personas import World

PERSONAS = tuple(SEES)


@pytest.fixture
def api(world: World, client: object) -> Api:
    return Api(client=client, world=world)  # type: ignore[arg-type]


def _ids(response: object) -> set[int]:
    return {item["id"] for item in response.json()["items"]}  # type: ignore[attr-defined]


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_only_the_rosters_the_persona_may_see(api: Api, duty: Duty, persona: str) -> None:
    response = api.get("/rosters", persona)
    assert response.status_code == 200
    assert _ids(response) == {duty.roster(side).id for side in SEES[persona]}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("side", ["dept", "a", "b", "telecom"])
def test_it_shows_a_roster_only_to_who_may_see_it(api: Api, duty: Duty, persona: str, side: str) -> None:
    roster = duty.roster(side)
    response = api.get(f"/rosters/{roster.id}", persona)
    if side in SEES[persona]:
        assert response.status_code == 200
        body = response.json()
        assert (body["id"], body["unit_id"], body["organization_id"]) == (
            roster.id,
            roster.unit_id,
            roster.organization_id,
        )
        assert len(body["shifts"]) == 1
        assert body["gaps"] == []
    else:
        assert response.status_code == 404
        assert "Không tìm thấy" in response.json()["detail"]


def test_it_tags_each_roster_with_its_owner_and_filters(api: Api, world: World, duty: Duty) -> None:
    items = api.get("/rosters", "admin").json()["items"]
    owners = {item["id"]: (item["owner_kind"], item["unit_id"], item["organization_id"]) for item in items}
    assert owners == {
        duty.department.id: ("department", None, None),
        duty.roster_a.id: ("unit", world.unit_a.id, None),
        duty.roster_b.id: ("unit", world.unit_b.id, None),
        duty.roster_telecom.id: ("organization", None, world.telecom.id),
    }
    assert _ids(api.get("/rosters", "admin", {"owner": "department"})) == {duty.department.id}
    assert _ids(api.get("/rosters", "admin", {"unit_id": world.unit_b.id})) == {duty.roster_b.id}
    assert _ids(api.get("/rosters", "officer_a", {"unit_id": world.unit_b.id})) == set()
    assert _ids(api.get("/rosters", "admin", {"status": "draft"})) == set()


def test_it_needs_a_token(api: Api, duty: Duty) -> None:
    assert api.get("/rosters", None).status_code == 401
    assert api.get("/shifts/current", None).status_code == 401


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_answers_who_is_on_duty_now_within_scope(api: Api, duty: Duty, persona: str) -> None:
    response = api.get("/shifts/current", persona)
    assert response.status_code == 200
    items = response.json()["items"]
    assert {item["roster_id"] for item in items} == {duty.roster(side).id for side in SEES[persona]}
    if "a" in SEES[persona]:
        shift_a = next(item for item in items if item["roster_id"] == duty.roster_a.id)
        assert (shift_a["person_name"], shift_a["phone"], shift_a["role"]) == ("Lê Văn A", "0987654321", "primary")


def _new_roster_body(duty: Duty, **extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "period_id": duty.period.id,
        "shifts": [
            {
                "starts_at": "2026-08-31T07:30:00+07:00",
                "ends_at": "2026-09-03T07:30",
                "person_name": "Nguyễn Văn An",
                "phone": "0912 345 678",
            }
        ],
        "submit": True,
    }
    body.update(extra)
    return body


def test_it_creates_and_submits_a_roster(api: Api, world: World, duty: Duty) -> None:
    Roster.objects.filter(id=duty.roster_a.id).delete()
    response = api.post("/rosters", "officer_a", _new_roster_body(duty, unit_id=world.unit_a.id))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["unit_id"], body["status"], body["shifts"][0]["phone"]) == (world.unit_a.id, "submitted", "0912345678")
    assert body["shifts"][0]["starts_at"].startswith("2026-08-31T00:30:00")
    event = AuditEvent.objects.filter(action="roster.submit").get()
    assert (event.actor, event.source) == (world.officer_a, "api")


def test_it_answers_404_for_another_units_roster_and_403_for_a_read_only_account(
    api: Api, world: World, duty: Duty
) -> None:
    Roster.objects.filter(id=duty.roster_b.id).delete()
    assert api.post("/rosters", "officer_a", _new_roster_body(duty, unit_id=world.unit_b.id)).status_code == 404
    assert api.post("/rosters", "viewer", _new_roster_body(duty, unit_id=world.unit_b.id)).status_code == 403
    assert api.post("/rosters", "provider_officer", _new_roster_body(duty, unit_id=world.unit_a.id)).status_code == 403
    assert api.post(f"/rosters/{duty.roster_b.id}/submit", "officer_a", {}).status_code == 404
    assert not Roster.objects.filter(unit=world.unit_b).exists()


def test_it_answers_409_for_a_duplicate_and_400_with_field_errors(api: Api, world: World, duty: Duty) -> None:
    duplicate = api.post("/rosters", "admin", _new_roster_body(duty, unit_id=world.unit_a.id))
    assert duplicate.status_code == 409
    Roster.objects.filter(id=duty.roster_a.id).delete()
    body = _new_roster_body(duty, unit_id=world.unit_a.id)
    body["shifts"][0]["phone"] = "123"  # type: ignore[index]
    invalid = api.post("/rosters", "officer_a", body)
    assert invalid.status_code == 400
    assert "Số điện thoại không hợp lệ" in invalid.json()["errors"]["phone"][0]
    # All or nothing: the roster created before the bad shift is rolled back.
    assert not Roster.objects.filter(unit=world.unit_a).exists()


def test_it_adds_a_shift_and_refuses_an_account_of_another_unit(api: Api, world: World, duty: Duty) -> None:
    shift = {"starts_at": "2026-09-01T07:30", "ends_at": "2026-09-01T19:30", "user_id": world.officer_a.id}
    no_phone = api.post(f"/rosters/{duty.roster_a.id}/shifts", "officer_a", shift)
    assert no_phone.status_code == 400
    assert "phone" in no_phone.json()["errors"]
    shift["phone"] = "0912345678"
    response = api.post(f"/rosters/{duty.roster_a.id}/shifts", "officer_a", shift)
    assert response.status_code == 201
    assert (response.json()["person_name"], response.json()["user_id"]) == ("canbo", world.officer_a.id)
    foreign = {**shift, "user_id": world.officer_b.id}
    assert api.post(f"/rosters/{duty.roster_a.id}/shifts", "officer_a", foreign).status_code == 404
    assert Shift.objects.filter(roster=duty.roster_a).count() == 2


def test_it_submits_a_draft_roster(api: Api, duty: Duty) -> None:
    Roster.objects.filter(id=duty.roster_telecom.id).update(status=RosterStatus.DRAFT)
    response = api.post(f"/rosters/{duty.roster_telecom.id}/submit", "telecom_officer", {})
    assert response.status_code == 200
    assert response.json()["status"] == "submitted"


def test_it_lists_the_periods(api: Api, duty: Duty) -> None:
    items = api.get("/duty-periods", "officer_b").json()["items"]
    assert [(p["id"], p["group_codes"], p["telecoms_required"]) for p in items] == [
        (duty.period.id, ["state_agency_city"], True)
    ]
