"""Writes: who may create what for which unit, and how invalid or duplicate data is answered."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.db import IntegrityError
from django.db.models import Model

from haidang.apps.audit.models import AuditEvent
from haidang.apps.registry.models import Domain, Host, InformationSystem, SoftwareComponent, Website
from haidang.apps.registry.services import unit_merge
from tests.apps.api.conftest import Api
from tests.personas import World

_serial = itertools.count(1)


def _system(world: World, side: str) -> dict[str, Any]:
    return {"unit_id": getattr(world, f"unit_{side}").id, "name": f"Hệ thống một cửa {next(_serial)}"}


def _website(world: World, side: str) -> dict[str, Any]:
    return {"unit_id": getattr(world, f"unit_{side}").id, "url": f"https://dichvu{next(_serial)}.example.gov.vn/"}


def _domain(world: World, side: str) -> dict[str, Any]:
    return {"unit_id": getattr(world, f"unit_{side}").id, "name": f"mien{next(_serial)}.example.gov.vn"}


def _host(world: World, side: str) -> dict[str, Any]:
    return {"unit_id": getattr(world, f"unit_{side}").id, "address": f"198.51.100.{next(_serial) % 250}"}


def _software(world: World, side: str) -> dict[str, Any]:
    system = getattr(world, f"system_{side}")
    return {"system_id": system.id, "vendor": "nginx", "product": "nginx", "version": f"1.{next(_serial)}.0"}


PAYLOADS: dict[str, tuple[Callable[[World, str], dict[str, Any]], type[Model]]] = {
    "systems": (_system, InformationSystem),
    "websites": (_website, Website),
    "domains": (_domain, Domain),
    "hosts": (_host, Host),
    "software": (_software, SoftwareComponent),
}
AUDIT_ACTION = {
    "systems": "system",
    "websites": "website",
    "domains": "domain",
    "hosts": "host",
    "software": "software",
}

#: (persona, unit side) → expected status. Not visible → 404; visible but not editable → 403.
CREATE_MATRIX = [
    ("admin", "a", 201),
    ("admin", "b", 201),
    ("officer_a", "a", 201),
    ("officer_a", "b", 404),
    ("officer_b", "a", 404),
    ("provider_officer", "a", 403),
    ("provider_officer", "b", 404),
    ("viewer", "a", 403),
    ("duty", "b", 403),
    ("telecom_officer", "a", 404),
]


@pytest.mark.parametrize(("persona", "side", "status"), CREATE_MATRIX)
@pytest.mark.parametrize("collection", list(PAYLOADS))
def test_it_creates_only_for_units_the_persona_may_edit(
    api: Api, world: World, *, collection: str, persona: str, side: str, status: int
) -> None:
    build, model = PAYLOADS[collection]
    before = model._default_manager.count()

    response = api.post(f"/{collection}", persona, build(world, side))

    assert response.status_code == status, response.content
    assert model._default_manager.count() == before + (1 if status == 201 else 0)
    if status == 403:
        assert "quyền" in response.json()["detail"]


@pytest.mark.parametrize("collection", list(PAYLOADS))
def test_it_returns_the_created_object_and_audits_it(api: Api, world: World, collection: str) -> None:
    build, model = PAYLOADS[collection]

    response = api.post(f"/{collection}", "officer_a", build(world, "a"))

    assert response.status_code == 201
    body = response.json()
    assert body["unit_id"] == world.unit_a.id
    assert model._default_manager.filter(pk=body["id"], unit_id=world.unit_a.id).exists()
    event = AuditEvent.objects.get(action=f"{AUDIT_ACTION[collection]}.create", object_id=str(body["id"]))
    assert (event.actor, event.unit_id, event.source) == (world.officer_a, world.unit_a.id, "api")
    assert api.get(f"/{collection}/{body['id']}", "officer_a").json() == body


def test_it_creates_a_website_with_all_its_fields(api: Api, world: World) -> None:
    payload = {"unit_id": world.unit_a.id, "url": "https://hcc.example.gov.vn/", "name": "Hành chính công"}

    response = api.post("/websites", "officer_a", payload | {"system_id": world.system_a.id})

    assert response.status_code == 201
    assert response.json() | payload == response.json()
    assert response.json()["system_id"] == world.system_a.id


def test_it_hides_another_units_system_from_an_officer(api: Api, world: World) -> None:
    payload = _website(world, "a") | {"system_id": world.system_b.id}

    assert api.post("/websites", "officer_a", payload).status_code == 404


def test_it_refuses_a_system_of_another_unit(api: Api, world: World) -> None:
    payload = _website(world, "a") | {"system_id": world.system_b.id}

    response = api.post("/websites", "admin", payload)

    assert response.status_code == 400
    assert "system_id" in response.json()["errors"]


@pytest.mark.parametrize(
    ("collection", "fields", "field", "words"),
    [
        ("websites", {"url": "ftp://stp.example.gov.vn/"}, "url", "http://"),
        ("websites", {"url": "javascript:alert(1)"}, "url", "http://"),
        ("websites", {"url": "https://user:pw@stp2.example.gov.vn/"}, "url", "mật khẩu"),
        ("domains", {"name": "không hợp lệ"}, "name", "Tên miền"),
        ("domains", {"name": "-bad-.example.vn"}, "name", "Tên miền"),
        ("hosts", {"address": "not a host!"}, "address", "Tên miền"),
        ("systems", {"security_level": 9}, "security_level", "5"),
        ("systems", {"name": ""}, "name", "trắng"),
        ("software", {"cpe": "cpe:/a:apache"}, "cpe", "CPE"),
        ("software", {"vendor": "x" * 201}, "vendor", "200"),
    ],
)
def test_it_explains_invalid_data_in_vietnamese(
    api: Api, world: World, *, collection: str, fields: dict[str, Any], field: str, words: str
) -> None:
    build, model = PAYLOADS[collection]
    before = model._default_manager.count()

    response = api.post(f"/{collection}", "officer_a", build(world, "a") | fields)

    assert response.status_code == 400, response.content
    body = response.json()
    assert field in body["errors"]
    assert words in " ".join(body["errors"][field])
    assert body["detail"] in body["errors"][field] + body["errors"].get("__all__", [])
    assert model._default_manager.count() == before


@pytest.mark.parametrize(
    ("collection", "duplicate"),
    [
        ("websites", lambda w: {"unit_id": w.unit_a.id, "url": w.website_a.url}),
        ("websites", lambda w: {"unit_id": w.unit_b.id, "url": w.website_a.url}),
        ("domains", lambda w: {"unit_id": w.unit_a.id, "name": "STP.example.gov.vn."}),
        ("systems", lambda w: {"unit_id": w.unit_a.id, "name": w.system_a.name}),
    ],
)
def test_it_answers_a_duplicate_with_409(
    api: Api, world: World, collection: str, duplicate: Callable[[World], dict[str, Any]]
) -> None:
    response = api.post(f"/{collection}", "admin", duplicate(world))

    assert response.status_code == 409, response.content
    assert "đã tồn tại" in response.json()["detail"]


def test_it_answers_a_duplicate_host_with_409(api: Api, world: World) -> None:
    payload = _host(world, "a")
    assert api.post("/hosts", "officer_a", payload).status_code == 201

    response = api.post("/hosts", "officer_a", payload)

    assert response.status_code == 409
    assert api.post("/hosts", "officer_b", payload | {"unit_id": world.unit_b.id}).status_code == 201


def test_it_answers_a_race_on_a_unique_column_with_409(api: Api, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def racing(**kwargs: Any) -> Website:
        raise IntegrityError("UNIQUE constraint failed: registry_website.url")

    monkeypatch.setattr("haidang.apps.registry.services.website_create", racing)

    response = api.post("/websites", "officer_a", _website(world, "a"))

    assert response.status_code == 409
    assert "trùng" in response.json()["detail"]


def test_it_refuses_to_register_for_a_merged_unit(api: Api, world: World) -> None:
    unit_merge(acting_user=None, unit=world.unit_b, successor=world.unit_a)

    response = api.post("/websites", "admin", _website(world, "b"))

    assert response.status_code == 400
    assert "sáp nhập" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("{bad json", "application/json"),
        ('{"unit_id": 1, "url": ', "application/json"),
        (b"\xff\xfe\x00garbage", "application/json"),
        ("unit_id=1&url=https://x.example.vn/", "application/x-www-form-urlencoded"),
        ("<xml/>", "text/xml"),
    ],
)
def test_it_answers_malformed_bodies_with_400(api: Api, world: World, body: str | bytes, content_type: str) -> None:
    response = api.post("/websites", "officer_a", body, content_type=content_type)

    assert response.status_code == 400
    assert "JSON" in response.json()["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("[]", "unit_id"),
        ("null", "unit_id"),
        ('"text"', "unit_id"),
        ("{}", "unit_id"),
        ({"unit_id": "một", "url": "https://x.example.vn/"}, "unit_id"),
        ({"unit_id": 1.5, "url": "https://x.example.vn/"}, "unit_id"),
        ({"unit_id": 1, "url": ["https://x.example.vn/"]}, "url"),
        ({"unit_id": 1, "url": None}, "url"),
        ({"unit_id": 0, "url": "https://x.example.vn/"}, "unit_id"),
        ({"unit_id": 1, "url": "https://x.example.vn/", "system_id": -3}, "system_id"),
    ],
)
def test_it_answers_a_wrong_shape_with_422(api: Api, world: World, body: Any, field: str) -> None:
    response = api.post("/websites", "officer_a", body)

    assert response.status_code == 422, response.content
    payload = response.json()
    assert payload["detail"].startswith("Dữ liệu gửi lên không hợp lệ")
    assert field in payload["errors"]
