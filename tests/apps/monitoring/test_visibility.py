"""Tenancy of every monitoring read, in selectors and the API: the registry's matrix, 404 for a neighbour."""

from __future__ import annotations

from typing import Any

import pytest

from haidang.apps.monitoring import selectors, services
from haidang.apps.monitoring.models import Finding, FindingState
from tests.apps.api.conftest import SEES, Api
from tests.apps.monitoring.conftest import scan_finding, site_result
from tests.personas import World

PERSONAS = tuple(SEES)


@pytest.fixture
def findings(world: World) -> dict[str, Finding]:
    for side, website in (("a", world.website_a), ("b", world.website_b)):
        found = scan_finding(url=website.url, evidence=f"spam {side}")
        services.record_scan(website=website, result=site_result(website, found), duration_ms=10)
    return {
        "a": Finding.objects.get(website=world.website_a),
        "b": Finding.objects.get(website=world.website_b),
    }


@pytest.fixture
def api(world: World, client: Any) -> Api:
    return Api(client=client, world=world)


def _sides(world: World, unit_ids: set[int]) -> set[str]:
    return {side for side, unit in (("a", world.unit_a), ("b", world.unit_b)) if unit.id in unit_ids}


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_scopes_every_selector_to_the_units_a_persona_sees(
    world: World, findings: dict[str, Finding], persona: str
) -> None:
    user = getattr(world, persona)
    expected = SEES[persona]

    assert _sides(world, {f.unit_id for f in selectors.finding_list(visible_to=user)}) == expected
    assert _sides(world, {w.website.unit_id for w in selectors.watch_list(visible_to=user)}) == expected
    assert _sides(world, {row.unit.id for row in selectors.city_overview(visible_to=user)}) == expected
    for side, finding in findings.items():
        if side in expected:
            assert selectors.finding_get(visible_to=user, finding_id=finding.id) == finding
        else:
            with pytest.raises(Finding.DoesNotExist):
                selectors.finding_get(visible_to=user, finding_id=finding.id)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_scopes_the_findings_api(api: Api, world: World, findings: dict[str, Finding], persona: str) -> None:
    listed = api.get("/findings", persona).json()["items"]

    assert {item["id"] for item in listed} == {findings[side].id for side in SEES[persona]}
    assert all({"unit_id", "website_id"} <= set(item) for item in listed)
    for side, finding in findings.items():
        response = api.get(f"/findings/{finding.id}", persona)
        assert response.status_code == (200 if side in SEES[persona] else 404)
        watch = api.get(f"/websites/{finding.website_id}/watch", persona)
        assert watch.status_code == (200 if side in SEES[persona] else 404)


def test_it_filters_findings(api: Api, world: World, findings: dict[str, Finding]) -> None:
    services.finding_acknowledge(actor=world.duty, finding=findings["a"])

    def ids(**params: Any) -> set[int]:
        return {item["id"] for item in api.get("/findings", "admin", params).json()["items"]}

    assert ids(unit_id=world.unit_a.id) == {findings["a"].id}
    assert ids(website_id=world.website_b.id) == {findings["b"].id}
    assert ids(severity="high", status="open") == {findings["a"].id, findings["b"].id}
    assert ids(status="resolved") == set()
    assert ids(disposition="acknowledged") == {findings["a"].id}
    assert ids(disposition="none") == {findings["b"].id}
    assert api.get("/findings", "admin", {"status": "closed"}).status_code == 422


def test_it_lets_unit_b_not_act_on_unit_a_findings(api: Api, world: World, findings: dict[str, Finding]) -> None:
    finding = findings["a"]

    assert api.post(f"/findings/{finding.id}/acknowledge", "officer_b", {}).status_code == 404
    assert api.post(f"/findings/{finding.id}/acknowledge", "viewer", {}).status_code == 403
    assert api.post(f"/findings/{finding.id}/acknowledge", "officer_a", {}).status_code == 200
    assigned = api.post(f"/findings/{finding.id}/assign", "duty", {"assignee_id": world.provider_officer.id})
    assert assigned.status_code == 200
    assert assigned.json()["assignee_id"] == world.provider_officer.id
    assert api.post(f"/findings/{finding.id}/false-positive", "officer_a", {"reason": ""}).status_code == 400
    marked = api.post(f"/findings/{finding.id}/legitimate", "officer_a", {"reason": "Giao diện mới"})
    assert marked.status_code == 200
    body = marked.json()
    assert (body["disposition"], body["status"], body["disposition_by"]) == (
        "legitimate",
        FindingState.RESOLVED,
        world.officer_a.email,
    )


def test_it_answers_scan_now_202_then_409(
    api: Api, world: World, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from haidang.apps.monitoring import tasks

    queued: list[list[int]] = []
    monkeypatch.setattr(tasks.scan_websites, "delay", lambda ids: queued.append(list(ids)))
    path = f"/websites/{world.website_a.id}/scan"

    assert api.post(path, "officer_b", {}).status_code == 404
    assert api.post(path, "viewer", {}).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert api.post(path, "officer_a", {}).status_code == 202
        assert api.post(path, "provider_officer", {}).status_code == 409
    assert queued == [[world.website_a.id]]
    watch = api.get(f"/websites/{world.website_a.id}/watch", "officer_a").json()
    assert watch["scan_queued"] is True
    assert watch["effective_interval_minutes"] == 10
