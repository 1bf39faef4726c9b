"""/api/v1/advisories and /api/v1/warnings: the contract, the counts, and tenancy for every persona."""

from __future__ import annotations

import pytest
from django.test import Client

from haidang.apps.advisories import matching
from haidang.apps.advisories.models import WarningRecipient
from haidang.apps.registry.models import SoftwareComponent
from tests.apps.advisories.conftest import LOG4SHELL
from tests.apps.api.conftest import Api
from tests.personas import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(world: World, client: Client) -> Api:
    return Api(client=client, world=world)


@pytest.fixture
def sent(api: Api, world: World, log4j: SoftwareComponent) -> int:
    matching.exposures_refresh()
    created = api.post("/warnings", "duty", {"cve_ids": [LOG4SHELL.lower()], "number": "21/CB-ATTT"})
    assert created.status_code == 201, created.content
    warning_id: int = created.json()["id"]
    sent = api.post(f"/warnings/{warning_id}/send", "duty", {})
    assert sent.status_code == 200, sent.content
    assert sent.json() == {"added": 1, "recipients": 1}  # only the affected unit, by default
    return warning_id


def test_advisories_list_and_detail_count_only_what_the_caller_sees(
    api: Api, world: World, log4j: SoftwareComponent
) -> None:
    matching.exposures_refresh()
    listed = api.get("/advisories", "duty", {"kev": True, "search": "log4j"}).json()
    assert [(a["cve_id"], a["in_kev"], a["affected_units"]) for a in listed["items"]] == [(LOG4SHELL, True, 1)]
    assert api.get("/advisories", "officer_b", {"search": LOG4SHELL}).json()["items"][0]["affected_units"] == 0
    detail = api.get(f"/advisories/{LOG4SHELL.lower()}", "officer_a").json()
    assert [e["unit_id"] for e in detail["exposures"]] == [world.unit_a.id]
    assert "log4j-core 2.14.1" in detail["exposures"][0]["software"]
    assert api.get(f"/advisories/{LOG4SHELL}", "officer_b").json()["exposures"] == []
    assert api.get("/advisories/CVE-2099-1", "duty").status_code == 404
    assert api.get("/advisories", None).status_code == 401


def test_create_defaults_and_refusals(api: Api, world: World, feeds: None) -> None:
    created = api.post("/warnings", "duty", {"cve_ids": [LOG4SHELL]}).json()
    assert created["severity"] == "critical"
    assert created["status"] == "draft"
    assert created["cves"] == [LOG4SHELL]
    assert LOG4SHELL in created["summary"]
    assert api.post("/warnings", "officer_a", {"cve_ids": [LOG4SHELL]}).status_code == 403
    bad = api.post("/warnings", "duty", {"cve_ids": ["CVE-2099-0001"]})
    assert bad.status_code == 400
    assert "CVE-2099-0001" in bad.content.decode()
    # A draft is the department's: a unit officer gets 404, as for anything it may not see.
    assert api.get(f"/warnings/{created['id']}", "officer_a").status_code == 404
    unsent = api.post(f"/warnings/{created['id']}/send", "duty", {"unit_ids": [world.unit_a.id]})
    assert unsent.status_code == 400  # no number yet


def test_status_report_and_tenancy(api: Api, world: World, sent: int) -> None:
    status = api.get(f"/warnings/{sent}/status", "duty").json()
    assert status["counts"]["total"] == 1
    assert status["counts"]["fixed"] == 0
    assert status["acknowledged"] == 0
    assert [u["unit_id"] for u in status["units"]] == [world.unit_a.id]
    for persona in ("officer_b", "telecom_officer"):
        assert api.get(f"/warnings/{sent}", persona).status_code == 404
        assert api.get(f"/warnings/{sent}/status", persona).status_code == 404
    assert api.get("/warnings", "officer_b").json()["items"] == []
    assert [w["id"] for w in api.get("/warnings", "officer_a").json()["items"]] == [sent]
    assert api.get(f"/warnings/{sent}/status", "provider_officer").status_code == 200  # assigned to unit A
    (system,) = api.get(f"/warnings/{sent}/systems", "officer_a").json()
    assert system["cves"] == [LOG4SHELL]
    path = f"/warnings/{sent}/systems/{system['id']}/report"
    body = {"status": "patched", "fixed_version": "2.17.1"}
    put = api.client.put
    headers = api.headers
    assert put("/api/v1" + path, body, content_type="application/json", headers=headers("officer_b")).status_code == 404
    assert (
        put("/api/v1" + path, body, content_type="application/json", headers=headers("provider_officer")).status_code
        == 403
    )
    missing = put(
        "/api/v1" + path, {"status": "patched"}, content_type="application/json", headers=headers("officer_a")
    )
    assert missing.status_code == 400
    done = put("/api/v1" + path, body, content_type="application/json", headers=headers("officer_a"))
    assert done.status_code == 200, done.content
    assert done.json()["verification"] == "verified"
    status = api.get(f"/warnings/{sent}/status", "viewer").json()
    assert (status["counts"]["fixed"], status["counts"]["total"], status["counts"]["verified"]) == (1, 1, 1)
    assert status["acknowledged"] == 1  # reporting acknowledges
    assert WarningRecipient.objects.get().acknowledged_by == world.officer_a


def test_acknowledge_is_the_units_own(api: Api, world: World, sent: int) -> None:
    assert api.post(f"/warnings/{sent}/acknowledge", "duty", {}).status_code == 403
    assert api.post(f"/warnings/{sent}/acknowledge", "officer_b", {}).status_code == 404
    acknowledged = api.post(f"/warnings/{sent}/acknowledge", "officer_a", {})
    assert acknowledged.status_code == 200
    assert acknowledged.json()["acknowledged_at"]


def test_the_letter_is_the_departments_document(api: Api, world: World, sent: int) -> None:
    docx = api.get(f"/warnings/{sent}/document.docx", "viewer")
    assert docx.status_code == 200
    assert docx.content.startswith(b"PK")
    assert docx["Content-Disposition"] == f'attachment; filename="canh-bao-{sent}.docx"'
    assert api.get(f"/warnings/{sent}/document.pdf", "duty").content.startswith(b"%PDF")
    # A recipient sees the warning but not the appendix listing every other unit's systems.
    assert api.get(f"/warnings/{sent}/document.docx", "officer_a").status_code == 403
    assert api.get(f"/warnings/{sent}/document.docx", "officer_b").status_code == 404
    assert api.get(f"/warnings/{sent}/document.odt", "duty").status_code == 404


def test_nul_bytes_and_unknown_severities_are_refused_not_crashed(api: Api, world: World, feeds: None) -> None:
    assert api.post("/warnings", "duty", {"cve_ids": [LOG4SHELL], "title": "a\x00b"}).status_code == 422
    assert api.post("/warnings", "duty", {"cve_ids": ["CVE-2021-44228\x00"]}).status_code == 422
    assert api.post("/warnings", "duty", {"cve_ids": [LOG4SHELL], "severity": "apocalyptic"}).status_code == 400
    assert api.get("/advisories", "duty", {"search": "log\x00"}).status_code == 422
