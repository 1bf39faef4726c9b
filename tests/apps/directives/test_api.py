"""The directives API: who sees which directive, row and report, and the department's and recipients' writes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from haidang.apps.directives import services
from haidang.apps.directives.models import Directive, DirectiveStatus, ItemReport, Recipient, ReviewStatus
from tests.apps.api.conftest import API, Api
from tests.apps.directives.conftest import TEMPLATE
from tests.personas import World

PERSONAS = ("admin", "duty", "viewer", "officer_a", "officer_b", "telecom_officer", "provider_officer")
DEPARTMENT = ("admin", "duty")
CITY_WIDE = ("admin", "duty", "viewer")
#: Whose rows of the dispatched directive each persona sees (the provider also sees the unit assigned to it).
ROWS: dict[str, set[str]] = {
    "admin": {"unit_a", "unit_b", "telecom", "provider"},
    "duty": {"unit_a", "unit_b", "telecom", "provider"},
    "viewer": {"unit_a", "unit_b", "telecom", "provider"},
    "officer_a": {"unit_a"},
    "officer_b": {"unit_b"},
    "telecom_officer": {"telecom"},
    "provider_officer": {"provider", "unit_a"},
}
#: The receipt each persona reports for.
OWN: dict[str, str | None] = {
    "admin": None,
    "duty": None,
    "viewer": None,
    "officer_a": "unit_a",
    "officer_b": "unit_b",
    "telecom_officer": "telecom",
    "provider_officer": "provider",
}
UNIT_ITEMS = [f"1{c}" for c in "abcdefgh"]
#: Before the template's report due time (17:00 on 5/9/2026), so nothing is overdue yet.
BEFORE_DUE = timezone.make_aware(datetime(2026, 9, 1, 10, 0))
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def api(world: World, client: Client) -> Api:
    return Api(client=client, world=world)


@pytest.fixture
def only_a(world: World) -> Directive:
    """A second directive, sent to unit A alone."""
    directive = services.directive_from_template(
        actor=world.admin, template_key=TEMPLATE, issued_on=date(2026, 9, 2), number="77/STTTT-BCVT"
    )
    services.directive_dispatch(actor=world.admin, directive=directive, unit_ids=[world.unit_a.id])
    return directive


@pytest.fixture
def draft_only(world: World) -> Directive:
    return services.directive_from_template(actor=world.admin, template_key=TEMPLATE, number="99/DRAFT")


@dataclass
class Three:
    dispatched: Directive  # to both units, the telecom and the provider
    only_a: Directive
    draft: Directive


@pytest.fixture
def three(dispatched: Directive, only_a: Directive, draft_only: Directive) -> Three:
    return Three(dispatched=dispatched, only_a=only_a, draft=draft_only)


def owner_ids(world: World) -> dict[str, tuple[str, int]]:
    """Each recipient's name in these tests → (query parameter, id)."""
    return {
        "unit_a": ("unit_id", world.unit_a.id),
        "unit_b": ("unit_id", world.unit_b.id),
        "telecom": ("organization_id", world.telecom.id),
        "provider": ("organization_id", world.provider.id),
    }


def receipt(directive: Directive, world: World, name: str) -> Recipient:
    field, owner = owner_ids(world)[name]
    return directive.recipients.get(**{field: owner})


def put(api: Api, path: str, persona: str, body: Any) -> Any:
    return api.client.put(API + path, json.dumps(body), content_type="application/json", headers=api.headers(persona))


# --- list and detail ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_only_what_the_persona_received(api: Api, three: Three, persona: str) -> None:
    response = api.get("/directives", persona)

    assert response.status_code == 200
    got = {item["id"] for item in response.json()["items"]}
    expected = {three.dispatched.id}
    if persona in CITY_WIDE:
        expected |= {three.only_a.id, three.draft.id}
    elif "unit_a" in ROWS[persona]:
        expected.add(three.only_a.id)
    assert got == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_tags_each_directive_with_the_callers_own_receipt(
    api: Api, world: World, dispatched: Directive, persona: str
) -> None:
    services.recipient_acknowledge(actor=world.officer_a, recipient=receipt(dispatched, world, "unit_a"))

    row = next(item for item in api.get("/directives", persona).json()["items"] if item["id"] == dispatched.id)

    assert row["number"] == "1234/STTTT-BCVT"
    assert row["status"] == DirectiveStatus.DISPATCHED
    assert row["template_key"] == TEMPLATE
    assert row["template_version"]
    assert row["item_count"] == 12
    assert row["issued_on"] == "2026-08-29"
    own = OWN[persona]
    assert row["recipient_id"] == (receipt(dispatched, world, own).id if own else None)
    assert (row["acknowledged_at"] is not None) == (own == "unit_a")


def test_it_filters_the_list(api: Api, dispatched: Directive, draft_only: Directive) -> None:
    def listed(params: dict[str, Any]) -> set[int]:
        return {item["id"] for item in api.get("/directives", "admin", params).json()["items"]}

    assert listed({"status": "draft"}) == {draft_only.id}
    assert listed({"status": "dispatched"}) == {dispatched.id}
    assert listed({"search": "1234/STTTT"}) == {dispatched.id}
    assert listed({"search": "quốc khánh"}) == {dispatched.id, draft_only.id}
    assert api.get("/directives", "admin", {"status": "bogus"}).status_code == 422
    page = api.get("/directives", "admin", {"limit": 1}).json()
    assert page["count"] == 2
    assert len(page["items"]) == 1


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_a_directive_only_to_who_received_it(api: Api, three: Three, persona: str) -> None:
    dispatched, only_a, draft_only = three.dispatched, three.only_a, three.draft
    detail = api.get(f"/directives/{dispatched.id}", persona)
    assert detail.status_code == 200
    body = detail.json()
    assert [item["code"] for item in body["items"]] == [*UNIT_ITEMS, "2a", "2b", "2c", "2d"]
    first = body["items"][0]
    assert first["order"] == 1
    assert first["applies_to"] == ["unit"]
    assert first["auto_check"] == "duty_roster"
    assert first["text"]
    assert body["subject"] == dispatched.subject
    assert body["issuer"]

    assert api.get(f"/directives/{only_a.id}", persona).status_code == (200 if "unit_a" in ROWS[persona] else 404)
    assert api.get(f"/directives/{draft_only.id}", persona).status_code == (200 if persona in CITY_WIDE else 404)
    missing = api.get("/directives/999999", persona)
    assert missing.status_code == 404
    assert "Không tìm thấy" in missing.json()["detail"]


def test_it_asks_for_a_token(api: Api, dispatched: Directive) -> None:
    assert api.get("/directives", None).status_code == 401
    assert api.get(f"/directives/{dispatched.id}/status", None).status_code == 401
    assert api.get(f"/directives/{dispatched.id}/report.docx", None).status_code == 401


# --- create ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_department_creates_from_a_template(api: Api, persona: str) -> None:
    response = api.post(
        "/directives", persona, {"template_key": TEMPLATE, "issued_on": "2026-09-01", "number": "5/STTTT"}
    )

    if persona not in DEPARTMENT:
        assert response.status_code == 403
        assert response.json()["detail"]
        assert not Directive.objects.exists()
        return
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == DirectiveStatus.DRAFT
    assert body["number"] == "5/STTTT"
    assert body["issued_on"] == body["effective_from"] == "2026-09-01"
    assert body["template_key"] == TEMPLATE
    assert len(body["items"]) == body["item_count"] == 12
    assert body["recipient_id"] is None


def test_it_creates_from_scratch(api: Api) -> None:
    response = api.post(
        "/directives",
        "duty",
        {
            "number": "12/STTTT",
            "issued_on": "2026-10-01",
            "subject": "Rà soát tài khoản quản trị",
            "effective_from": "2026-10-01",
            "effective_until": "2026-10-15",
            "report_due_at": "2026-10-10T17:00:00+07:00",
            "items": [
                {"code": "1", "text": "Rà soát tài khoản quản trị hệ thống", "evidence_expected": "Biên bản"},
                {"code": "2", "text": "Báo cáo đầu mối", "applies_to": ["telecom", "provider"], "section": "II"},
            ],
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["subject"] == "Rà soát tài khoản quản trị"
    assert body["template_key"] == ""
    assert [(item["code"], item["applies_to"], item["order"]) for item in body["items"]] == [
        ("1", ["unit"], 1),
        ("2", ["provider", "telecom"], 2),
    ]
    assert body["items"][0]["evidence_expected"] == "Biên bản"
    assert body["issuer"]  # the department's name by default


SCRATCH = {
    "issued_on": "2026-10-01",
    "subject": "Rà soát",
    "effective_from": "2026-10-01",
    "effective_until": "2026-10-15",
    "report_due_at": "2026-10-10T17:00:00+07:00",
    "items": [{"code": "1", "text": "Làm ngay"}],
}


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"subject": "Thiếu ngày"}, 422, "issued_on"),
        ({**SCRATCH, "report_due_at": None}, 422, "report_due_at"),
        ({**SCRATCH, "issued_on": "01/10/2026"}, 422, "issued_on"),
        ({**SCRATCH, "items": [{"code": "1", "text": "x", "applies_to": ["citizen"]}]}, 422, "items.0.applies_to.0"),
        ({**SCRATCH, "items": [{"code": "1", "text": "x", "auto_check": "magic"}]}, 422, "items.0.auto_check"),
        ({"template_key": TEMPLATE, "subject": "Khác"}, 422, "__all__"),
        ({"template_key": "khong-co"}, 400, "template_key"),
        ({**SCRATCH, "effective_until": "2026-09-01"}, 400, "__all__"),
        ({**SCRATCH, "subject": "  "}, 400, "subject"),
        ({**SCRATCH, "items": [{"code": "1", "text": "a"}, {"code": "1", "text": "b"}]}, 400, "code"),
        ({**SCRATCH, "items": [{"code": "1", "text": "  "}]}, 400, "text"),
    ],
)
def test_it_refuses_bad_directives_clearly(api: Api, body: dict[str, Any], status: int, field: str) -> None:
    response = api.post("/directives", "admin", body)

    assert response.status_code == status, response.content
    answer = response.json()
    assert answer["detail"]
    assert field in answer["errors"], answer
    assert not Directive.objects.exists()


def test_it_answers_in_vietnamese(api: Api) -> None:
    missing = api.post("/directives", "admin", {"subject": "Thiếu ngày"}).json()
    assert missing["errors"]["issued_on"] == ["Thiếu trường bắt buộc."]
    assert (
        api.post("/directives", "admin", {"template_key": "khong-co"}).json()["detail"] == "Không có mẫu văn bản này."
    )


# --- dispatch ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_department_dispatches(api: Api, world: World, dispatched: Directive, persona: str) -> None:
    response = api.post(f"/directives/{dispatched.id}/dispatch", persona, {"kinds": ["telecom"]})

    if persona in DEPARTMENT:
        assert response.status_code == 200
        assert response.json() == {"created": 0, "recipients": []}  # the telecom has it already
    else:
        assert response.status_code == 403


def test_it_dispatches_by_kind_and_by_group(
    api: Api, world: World, draft: Directive, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = api.post(f"/directives/{draft.id}/dispatch", "admin", {"kinds": ["telecom", "provider"]})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == 2
    assert {(r["kind"], r["organization_id"], r["unit_id"], r["name"]) for r in body["recipients"]} == {
        ("telecom", world.telecom.id, None, world.telecom.name),
        ("provider", world.provider.id, None, world.provider.name),
    }
    assert callbacks  # notifications and automatic checks run after the commit
    draft.refresh_from_db()
    assert draft.status == DirectiveStatus.DISPATCHED

    with django_capture_on_commit_callbacks(execute=True):
        by_group = api.post(f"/directives/{draft.id}/dispatch", "duty", {"group_codes": [world.group.code]})
    assert by_group.status_code == 200
    assert {r["unit_id"] for r in by_group.json()["recipients"]} == {world.unit_a.id, world.unit_b.id}
    assert ItemReport.objects.filter(recipient__directive=draft, recipient__unit=world.unit_a).count() == 8
    assert api.get(f"/directives/{draft.id}", "officer_b").status_code == 200


def test_it_refuses_bad_dispatches(api: Api, world: World, draft: Directive) -> None:
    url = f"/directives/{draft.id}/dispatch"
    assert api.post(url, "admin", {"kinds": ["citizen"]}).status_code == 422
    assert api.post(url, "admin", {"unit_ids": [0]}).status_code == 422
    nothing = api.post(url, "admin", {})
    assert nothing.status_code == 400
    assert nothing.json()["detail"] == "Chưa chọn nơi nhận nào."
    assert api.post(url, "admin", {"unit_ids": [999999]}).json()["errors"].keys() == {"unit_ids"}
    assert api.post(url, "officer_a", {"kinds": ["unit"]}).status_code == 404  # a draft is invisible to units
    assert api.post(url, "viewer", {"kinds": ["unit"]}).status_code == 403
    assert not draft.recipients.exists()


# --- the status matrix -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_matrix_shows_only_the_persons_rows(api: Api, world: World, dispatched: Directive, persona: str) -> None:
    response = api.get(f"/directives/{dispatched.id}/status", persona)

    assert response.status_code == 200
    body = response.json()
    names = {name: receipt(dispatched, world, name).id for name in owner_ids(world)}
    assert {row["recipient_id"] for row in body["rows"]} == {names[name] for name in ROWS[persona]}
    assert body["directive_id"] == dispatched.id
    assert [item["code"] for item in body["items"]] == [*UNIT_ITEMS, "2a", "2b", "2c", "2d"]
    assert sum(body["state_counts"].values()) == sum(row["total"] for row in body["rows"])


def test_the_matrix_has_a_cell_per_applicable_item(api: Api, world: World, dispatched: Directive) -> None:
    services.report_update(
        actor=world.officer_a,
        report=ItemReport.objects.get(recipient__directive=dispatched, recipient__unit=world.unit_a, item__code="1b"),
        status="done",
    )

    with time_machine.travel(BEFORE_DUE, tick=False):
        body = api.get(f"/directives/{dispatched.id}/status", "admin").json()

    rows = {row["name"]: row for row in body["rows"]}
    unit_a, telecom, provider = rows[world.unit_a.name], rows[world.telecom.name], rows[world.provider.name]
    assert unit_a["kind"] == "unit"
    assert unit_a["unit_id"] == world.unit_a.id
    assert unit_a["group"] == world.group.code
    assert unit_a["acknowledged_at"] is not None  # reporting implies receipt
    assert unit_a["total"] == 8
    assert unit_a["cells"]["1b"] == {"state": "done", "conflict": False}
    assert unit_a["cells"]["1c"] == {"state": "pending", "conflict": False}
    assert unit_a["cells"]["2a"] is None
    assert telecom["total"] == 4
    assert telecom["organization_id"] == world.telecom.id
    assert telecom["cells"]["1a"] is None
    assert provider["cells"]["2c"] is None  # 2c applies to telecoms only
    assert not unit_a["complied"]
    assert body["state_counts"]["done"] == 1
    groups = {group["key"]: group for group in body["groups"]}
    assert groups[world.group.code]["recipients"] == 2
    assert groups[world.group.code]["acknowledged"] == 1
    assert groups["kind:telecom"]["items_total"] == 4


def test_the_matrix_filters_by_group_and_kind(api: Api, world: World, dispatched: Directive) -> None:
    url = f"/directives/{dispatched.id}/status"

    def names(persona: str, params: dict[str, str]) -> set[str]:
        return {row["name"] for row in api.get(url, persona, params).json()["rows"]}

    assert names("admin", {"kind": "telecom"}) == {world.telecom.name}
    assert names("admin", {"group": world.group.code}) == {world.unit_a.name, world.unit_b.name}
    assert names("officer_b", {"group": world.group.code}) == {world.unit_b.name}
    assert names("telecom_officer", {"kind": "unit"}) == set()
    assert api.get(url, "admin", {"kind": "citizen"}).status_code == 422


def test_the_matrix_of_a_directive_not_received_is_hidden(api: Api, only_a: Directive) -> None:
    assert api.get(f"/directives/{only_a.id}/status", "officer_b").status_code == 404
    assert api.get(f"/directives/{only_a.id}/status", "telecom_officer").status_code == 404
    assert len(api.get(f"/directives/{only_a.id}/status", "officer_a").json()["rows"]) == 1


# --- reading a report --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("owner", ["unit_a", "unit_b", "telecom", "provider"])
def test_a_report_is_read_only_by_who_may_see_its_owner(
    api: Api, world: World, dispatched: Directive, persona: str, owner: str
) -> None:
    field, owner_id = owner_ids(world)[owner]
    code = "1a" if owner.startswith("unit") else "2a"

    response = api.get(f"/directives/{dispatched.id}/items/{code}/report", persona, {field: owner_id})

    if owner in ROWS[persona]:
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["recipient_id"] == receipt(dispatched, world, owner).id
        assert body[field] == owner_id
        assert body["item_code"] == code
        assert body["status"] == "pending"
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
def test_without_an_owner_the_report_is_the_callers_own(
    api: Api, world: World, dispatched: Directive, persona: str
) -> None:
    own = OWN[persona]
    code = "1a" if own in (None, "unit_a", "unit_b") else "2a"

    response = api.get(f"/directives/{dispatched.id}/items/{code}/report", persona)

    if own is None:
        assert response.status_code == 422
        assert "unit_id" in response.json()["errors"]
    else:
        assert response.status_code == 200
        assert response.json()["recipient_id"] == receipt(dispatched, world, own).id


def test_a_report_shows_what_was_declared_with_its_evidence(api: Api, world: World, dispatched: Directive) -> None:
    report = ItemReport.objects.get(recipient__directive=dispatched, recipient__unit=world.unit_a, item__code="1c")
    services.report_update(actor=world.officer_a, report=report, status="done", note="Đã phổ biến cho cán bộ")
    services.evidence_add(actor=world.officer_a, report=report, url="https://stp.example.gov.vn/thong-bao")
    services.evidence_add(actor=world.officer_a, report=report, note="Họp giao ban ngày 1/9")

    by_code = api.get(f"/directives/{dispatched.id}/items/1c/report", "officer_a").json()
    by_pk = api.get(
        f"/directives/{dispatched.id}/items/{report.item_id}/report", "viewer", {"unit_id": world.unit_a.id}
    ).json()

    assert by_code == by_pk
    assert by_code["status"] == "done"
    assert by_code["note"] == "Đã phổ biến cho cán bộ"
    assert by_code["review"] == ReviewStatus.SUBMITTED
    assert by_code["reported_at"] is not None
    assert by_code["unit_id"] == world.unit_a.id
    assert by_code["organization_id"] is None
    assert [(e["kind"], e["url"], e["note"]) for e in by_code["evidence"]] == [
        ("link", "https://stp.example.gov.vn/thong-bao", ""),
        ("note", "", "Họp giao ban ngày 1/9"),
    ]
    assert {"auto_verdict", "auto_detail", "auto_computed_at", "review_comment"} <= by_code.keys()


def test_an_auto_checked_item_shows_the_platforms_verdict(api: Api, dispatched: Directive) -> None:
    body = api.get(f"/directives/{dispatched.id}/items/1a/report", "officer_a").json()

    assert body["auto_verdict"] in {"pass", "fail", "unknown"}  # computed after the dispatch committed
    assert body["auto_computed_at"] is not None


def test_an_item_that_does_not_apply_or_does_not_exist_is_a_404(
    api: Api, world: World, dispatched: Directive, only_a: Directive
) -> None:
    base = f"/directives/{dispatched.id}/items"
    assert api.get(f"{base}/1a/report", "telecom_officer").status_code == 404  # 1a is for units
    assert api.get(f"{base}/2c/report", "provider_officer").status_code == 404  # 2c is for telecoms
    assert api.get(f"{base}/9z/report", "officer_a").status_code == 404
    assert api.get(f"{base}/999999/report", "officer_a").status_code == 404
    other_item = only_a.items.get(code="1a").id
    assert api.get(f"{base}/{other_item}/report", "officer_a").status_code == 404  # another directive's item
    assert api.get(f"{base}/1a/report", "admin", {"unit_id": 999999}).status_code == 404


# --- reporting ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_recipient_reports_for_itself(api: Api, world: World, dispatched: Directive, persona: str) -> None:
    own = OWN[persona]
    code = "1b" if own in (None, "unit_a", "unit_b") else "2b"

    response = put(api, f"/directives/{dispatched.id}/items/{code}/report", persona, {"status": "in_progress"})

    if own is None:
        assert response.status_code == 403
        assert not ItemReport.objects.filter(recipient__directive=dispatched, status="in_progress").exists()
    else:
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "in_progress"
        assert response.json()["recipient_id"] == receipt(dispatched, world, own).id
        changed = ItemReport.objects.filter(recipient__directive=dispatched, status="in_progress")
        assert {report.recipient_id for report in changed} == {receipt(dispatched, world, own).id}


def test_a_unit_cannot_report_on_a_directive_it_did_not_receive(api: Api, only_a: Directive) -> None:
    assert put(api, f"/directives/{only_a.id}/items/1b/report", "officer_b", {"status": "done"}).status_code == 404


def test_reporting_accepts_post_and_checks_the_input(api: Api, world: World, dispatched: Directive) -> None:
    url = f"/directives/{dispatched.id}/items/1f/report"

    posted = api.post(url, "officer_a", {"status": "not_applicable", "note": "Không có hệ thống cấp độ 3"})
    assert posted.status_code == 200
    assert posted.json()["review"] == ReviewStatus.SUBMITTED

    no_reason = put(api, url, "officer_a", {"status": "not_applicable"})
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"].keys() == {"note"}
    assert put(api, url, "officer_a", {"status": "finished"}).status_code == 422
    assert put(api, url, "officer_a", {}).status_code == 422


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_recipient_acknowledges(api: Api, world: World, dispatched: Directive, persona: str) -> None:
    response = api.post(f"/directives/{dispatched.id}/acknowledge", persona, {})

    own = OWN[persona]
    if own is None:
        assert response.status_code == 403
        assert not dispatched.recipients.exclude(acknowledged_at=None).exists()
        return
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == receipt(dispatched, world, own).id
    assert body["acknowledged_at"] is not None
    again = api.post(f"/directives/{dispatched.id}/acknowledge", persona, {})
    assert again.json()["acknowledged_at"] == body["acknowledged_at"]  # only once


def test_a_closed_directive_takes_no_more_reports(api: Api, world: World, dispatched: Directive) -> None:
    services.directive_close(actor=world.admin, directive=dispatched)

    assert put(api, f"/directives/{dispatched.id}/items/1b/report", "officer_a", {"status": "done"}).status_code == 403
    assert api.get(f"/directives/{dispatched.id}/items/1b/report", "officer_a").status_code == 200


# --- review ------------------------------------------------------------------------------------


def test_report_and_review_round_trip(api: Api, world: World, dispatched: Directive) -> None:
    report_url = f"/directives/{dispatched.id}/items/1b/report"
    review_url = f"/directives/{dispatched.id}/items/1b/review"
    a = world.unit_a.id

    assert put(api, report_url, "officer_a", {"status": "done", "note": "Đã bố trí trực 24/7"}).status_code == 200

    no_reason = api.post(review_url, "admin", {"unit_id": a, "accept": False})
    assert no_reason.status_code == 400
    assert no_reason.json()["errors"].keys() == {"comment"}

    returned = api.post(review_url, "admin", {"unit_id": a, "accept": False, "comment": "Thiếu lịch trực"})
    assert returned.status_code == 200
    assert returned.json()["review"] == ReviewStatus.RETURNED
    assert returned.json()["review_comment"] == "Thiếu lịch trực"
    seen_by_unit = api.get(report_url, "officer_a").json()
    assert (seen_by_unit["review"], seen_by_unit["review_comment"]) == ("returned", "Thiếu lịch trực")

    assert put(api, report_url, "officer_a", {"status": "done", "note": "Đã bổ sung"}).json()["review"] == "submitted"
    accepted = api.post(review_url, "duty", {"unit_id": a, "accept": True, "comment": ""})
    assert accepted.status_code == 200
    assert accepted.json()["review"] == ReviewStatus.ACCEPTED

    locked = put(api, report_url, "officer_a", {"status": "in_progress"})
    assert locked.status_code == 400
    assert "đã chấp nhận" in locked.json()["detail"]
    with time_machine.travel(BEFORE_DUE, tick=False):
        row = api.get(f"/directives/{dispatched.id}/status", "officer_a").json()["rows"][0]
    assert row["cells"]["1b"]["state"] == "accepted"


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_the_department_reviews(api: Api, world: World, dispatched: Directive, persona: str) -> None:
    services.report_update(
        actor=world.officer_a,
        report=ItemReport.objects.get(recipient__directive=dispatched, recipient__unit=world.unit_a, item__code="1b"),
        status="done",
    )

    response = api.post(
        f"/directives/{dispatched.id}/items/1b/review", persona, {"unit_id": world.unit_a.id, "accept": True}
    )

    if persona in DEPARTMENT:
        assert response.status_code == 200
    elif "unit_a" in ROWS[persona]:
        assert response.status_code == 403
    else:
        assert response.status_code == 404  # unit A's report is not even visible
    reviewed = ItemReport.objects.get(recipient__unit=world.unit_a, item__code="1b").review
    assert reviewed == (ReviewStatus.ACCEPTED if persona in DEPARTMENT else ReviewStatus.SUBMITTED)


def test_a_review_names_exactly_one_owner(api: Api, world: World, dispatched: Directive) -> None:
    url = f"/directives/{dispatched.id}/items/2a/review"
    assert api.post(url, "admin", {"accept": True}).status_code == 422
    both = {"unit_id": world.unit_a.id, "organization_id": world.telecom.id, "accept": True}
    assert api.post(url, "admin", both).status_code == 422
    nothing_yet = api.post(url, "admin", {"organization_id": world.telecom.id, "accept": True})
    assert nothing_yet.status_code == 400
    assert "chưa báo cáo" in nothing_yet.json()["detail"]


# --- documents ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("path", "content_type"),
    [("report.docx", DOCX), ("report.pdf", "application/pdf"), ("matrix.xlsx", XLSX)],
)
def test_only_city_wide_roles_download_documents(
    api: Api, dispatched: Directive, persona: str, path: str, content_type: str
) -> None:
    response = api.get(f"/directives/{dispatched.id}/{path}", persona)

    if persona in CITY_WIDE:
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert "attachment" in response["Content-Disposition"]
        assert len(response.content) > 1000
    else:
        assert response.status_code == 403


def test_the_docx_is_a_word_document_about_the_directive(api: Api, dispatched: Directive) -> None:
    response = api.get(f"/directives/{dispatched.id}/report.docx", "viewer")

    assert response.content[:2] == b"PK"
    assert "1234-STTTT-BCVT" in response["Content-Disposition"]
    assert api.get("/directives/999999/report.docx", "admin").status_code == 404


def test_the_xlsx_can_be_narrowed_to_a_group(api: Api, world: World, dispatched: Directive) -> None:
    response = api.get(f"/directives/{dispatched.id}/matrix.xlsx", "duty", {"group": world.group.code})

    assert response.status_code == 200
    assert response.content[:2] == b"PK"
