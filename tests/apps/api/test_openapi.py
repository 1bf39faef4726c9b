"""The OpenAPI document and the browsable docs, which must work on a machine with no internet."""

from __future__ import annotations

import json
import re

from django.test import Client

from tests.apps.api.conftest import API

EXPECTED = {
    "/api/v1/me": {"get"},
    "/api/v1/directives": {"get", "post"},
    "/api/v1/directives/{directive_id}": {"get"},
    "/api/v1/directives/{directive_id}/dispatch": {"post"},
    "/api/v1/directives/{directive_id}/acknowledge": {"post"},
    "/api/v1/directives/{directive_id}/status": {"get"},
    "/api/v1/directives/{directive_id}/items/{item_id}/report": {"get", "put", "post"},
    "/api/v1/directives/{directive_id}/items/{item_id}/review": {"post"},
    "/api/v1/directives/{directive_id}/report.docx": {"get"},
    "/api/v1/directives/{directive_id}/report.pdf": {"get"},
    "/api/v1/directives/{directive_id}/matrix.xlsx": {"get"},
    "/api/v1/advisories": {"get"},
    "/api/v1/advisories/{cve_id}": {"get"},
    "/api/v1/warnings": {"get", "post"},
    "/api/v1/warnings/{warning_id}": {"get"},
    "/api/v1/warnings/{warning_id}/send": {"post"},
    "/api/v1/warnings/{warning_id}/acknowledge": {"post"},
    "/api/v1/warnings/{warning_id}/status": {"get"},
    "/api/v1/warnings/{warning_id}/systems": {"get"},
    "/api/v1/warnings/{warning_id}/systems/{system_id}/report": {"put"},
    "/api/v1/warnings/{warning_id}/document.docx": {"get"},
    "/api/v1/warnings/{warning_id}/document.pdf": {"get"},
    "/api/v1/units": {"get"},
    "/api/v1/units/{unit_id}": {"get"},
    "/api/v1/unit-groups": {"get"},
    "/api/v1/organizations": {"get"},
    "/api/v1/organizations/{organization_id}": {"get"},
    "/api/v1/systems": {"get", "post"},
    "/api/v1/systems/{system_id}": {"get"},
    "/api/v1/websites": {"get", "post"},
    "/api/v1/websites/{website_id}": {"get"},
    "/api/v1/domains": {"get", "post"},
    "/api/v1/domains/{domain_id}": {"get"},
    "/api/v1/hosts": {"get", "post"},
    "/api/v1/hosts/{host_id}": {"get"},
    "/api/v1/software": {"get", "post"},
    "/api/v1/software/{software_id}": {"get"},
    "/api/v1/audit": {"get"},
    "/api/v1/audit/{event_id}": {"get"},
    "/api/v1/incidents": {"get", "post"},
    "/api/v1/incidents/{incident_id}": {"get", "patch"},
    "/api/v1/incidents/{incident_id}/status": {"post"},
    "/api/v1/notifications": {"get"},
    "/api/v1/notifications/read-all": {"post"},
    "/api/v1/notifications/{notification_id}/read": {"post"},
    "/api/v1/alerts": {"get"},
    "/api/v1/alerts/{alert_id}": {"get"},
    "/api/v1/alerts/{alert_id}/acknowledge": {"post"},
    "/api/v1/duty-periods": {"get"},
    "/api/v1/rosters": {"get", "post"},
    "/api/v1/rosters/{roster_id}": {"get"},
    "/api/v1/rosters/{roster_id}/shifts": {"post"},
    "/api/v1/rosters/{roster_id}/submit": {"post"},
    "/api/v1/shifts/current": {"get"},
    "/api/v1/findings": {"get"},
    "/api/v1/findings/{finding_id}": {"get"},
    "/api/v1/findings/{finding_id}/acknowledge": {"post"},
    "/api/v1/findings/{finding_id}/assign": {"post"},
    "/api/v1/findings/{finding_id}/legitimate": {"post"},
    "/api/v1/findings/{finding_id}/false-positive": {"post"},
    "/api/v1/websites/{website_id}/scan": {"post"},
    "/api/v1/websites/{website_id}/watch": {"get"},
}


def _schema(client: Client) -> dict[str, object]:
    response = client.get(API + "/openapi.json")
    assert response.status_code == 200
    schema: dict[str, object] = json.loads(response.content)
    return schema


def test_it_publishes_every_path(client: Client) -> None:
    paths = _schema(client)["paths"]

    assert isinstance(paths, dict)
    assert {path: set(methods) for path, methods in paths.items()} == EXPECTED


def test_it_declares_the_bearer_scheme_on_every_operation(client: Client) -> None:
    schema = _schema(client)

    assert schema["components"]["securitySchemes"] == {"BearerAuth": {"type": "http", "scheme": "bearer"}}  # type: ignore[index]
    for methods in schema["paths"].values():  # type: ignore[attr-defined]
        for operation in methods.values():
            assert operation["security"] == [{"BearerAuth": []}]


def test_it_gives_every_operation_a_tag_a_summary_and_a_unique_id(client: Client) -> None:
    operations = [op for methods in _schema(client)["paths"].values() for op in methods.values()]  # type: ignore[attr-defined]

    assert all(op["tags"] and op["summary"] for op in operations)
    operation_ids = [op["operationId"] for op in operations]
    assert len(set(operation_ids)) == len(operation_ids)
    assert "websites_create" in operation_ids


def test_it_documents_collections_and_errors(client: Client) -> None:
    schema = _schema(client)
    listing = schema["paths"]["/api/v1/websites"]["get"]  # type: ignore[index]
    creation = schema["paths"]["/api/v1/websites"]["post"]  # type: ignore[index]

    assert {p["name"] for p in listing["parameters"]} == {"unit_id", "limit", "offset"}
    assert {"200", "401"} <= listing["responses"].keys()
    assert {"201", "400", "401", "403", "404", "409", "422"} <= creation["responses"].keys()
    paged = schema["components"]["schemas"]["PagedWebsiteOut"]  # type: ignore[index]
    assert set(paged["properties"]) == {"items", "count"}


def test_it_serves_the_docs_from_local_static_files(client: Client) -> None:
    response = client.get(API + "/docs")

    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "/api/v1/openapi.json" in html
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", html, re.IGNORECASE)
    assert '"validatorUrl": null' in html


def test_it_actually_serves_the_swagger_assets(client: Client, db: None) -> None:
    for asset in ("swagger-ui-bundle.js", "swagger-ui-init.js", "swagger-ui.css"):
        response = client.get(f"/static/ninja/{asset}")
        response.close()
        assert response.status_code == 200, asset
