"""Hostile or absurd input is answered with a 4xx (or a harmless 2xx), never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from haidang.apps.registry.models import Website
from tests.apps.api.conftest import Api
from tests.personas import World

HUGE = "a" * 1_000_000
UNICODE = "Sở Tư pháp 🏮 \u202eevil\u202c ｓｏ-ｔｕ Z͑ͫ̓ͪ̂ͫ̽͏̴̙̤̞͉͚̯̞̠͍"
SQL = "' OR 1=1; DROP TABLE registry_website; --"
NUL = "abc\x00def"

QUERY_VALUES = [HUGE[:20_000], UNICODE, SQL, NUL, "%", "_", "\\", "-1", "1e309", "[]", "{}", "null", " "]
PATH_IDS = ["-1", "0", "1.5", "abc", "9" * 40, "1;DROP TABLE x", "%00", "1%20OR%201=1", "%F0%9F%8F%AE", "..%2F..%2F"]


@pytest.mark.parametrize("value", QUERY_VALUES)
@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/units", "search"),
        ("/units", "group"),
        ("/units", "status"),
        ("/websites", "unit_id"),
        ("/software", "unit_id"),
        ("/organizations", "kind"),
        ("/audit", "action"),
        ("/audit", "actor"),
        ("/audit", "since"),
        ("/audit", "unit_id"),
    ],
)
def test_it_never_fails_on_hostile_query_strings(api: Api, world: World, path: str, param: str, value: str) -> None:
    response = api.get(path, "officer_a", {param: value})

    assert response.status_code < 500
    assert response.status_code in (200, 422)


@pytest.mark.parametrize(
    "query",
    [
        "search=%ED%A0%80",
        "search=%FF%FE",
        "search=%00",
        "unit_id=%00",
        "unit_id=1&unit_id=2",
        "limit=1&limit=x",
        "=&&==",
    ],
)
def test_it_never_fails_on_raw_query_strings(api: Api, world: World, query: str) -> None:
    for path in ("/units", "/websites", "/audit"):
        response = api.client.get(f"/api/v1{path}?{query}", headers=api.headers("viewer"))
        assert response.status_code in (200, 422), (path, response.content)


@pytest.mark.parametrize("value", PATH_IDS)
@pytest.mark.parametrize("collection", ["units", "systems", "websites", "domains", "hosts", "software", "audit"])
def test_it_never_fails_on_hostile_ids(api: Api, world: World, collection: str, value: str) -> None:
    response = api.client.get(f"/api/v1/{collection}/{value}", headers=api.headers("admin"))

    assert response.status_code in (404, 422)


@pytest.mark.parametrize(
    "fields",
    [
        {"url": "https://" + HUGE + ".vn/"},
        {"url": "https://stp2.example.gov.vn/", "name": HUGE},
        {"url": f"https://{UNICODE}.vn/"},
        {"url": "https://xn--s-tp-9na.example.gov.vn/" + UNICODE},
        {"url": f"https://stp3.example.gov.vn/?q={SQL}"},
        {"url": SQL},
        {"url": NUL},
        {"url": "https://stp4.example.gov.vn/", "name": NUL},
        {"url": "http://[::1"},
        {"url": "https://lone.example.gov.vn/", "name": "\ud800"},
        {"url": "https://lone\udfff.example.gov.vn/"},
        {"url": "https://" + "a." * 200 + "vn/"},
        {"unit_id": -1, "url": "https://neg.example.gov.vn/"},
        {"unit_id": 2**63, "url": "https://big.example.gov.vn/"},
        {"unit_id": 10**100, "url": "https://bigger.example.gov.vn/"},
        {"system_id": 2**63 - 1},
        {"url": {"$ne": ""}},
        {"url": True},
        {"extra": [[[[[[[[[[[]]]]]]]]]]]},
    ],
)
def test_it_never_fails_on_hostile_bodies(api: Api, world: World, fields: dict[str, Any]) -> None:
    body = {"unit_id": world.unit_a.id, "url": "https://ok.example.gov.vn/"} | fields
    before = Website.objects.count()

    response = api.post("/websites", "officer_a", body)

    assert response.status_code < 500, response.content[:300]
    if response.status_code != 201:
        assert Website.objects.count() == before
        assert response.json()["detail"]


@pytest.mark.parametrize(
    ("collection", "fields"),
    [
        ("domains", {"name": HUGE}),
        ("domains", {"name": UNICODE}),
        ("domains", {"name": "xn--" + "a" * 300 + ".vn"}),
        ("domains", {"name": "a.vn", "expires_on": "2025-02-30"}),
        ("hosts", {"address": "10.0.0.0/" + "9" * 30}),
        ("hosts", {"address": SQL}),
        ("hosts", {"address": HUGE}),
        ("systems", {"name": HUGE}),
        ("systems", {"name": "x", "security_level": 2**70}),
        ("systems", {"name": "x", "security_level": -1}),
        ("systems", {"name": "x", "hosting": SQL}),
        ("software", {"vendor": UNICODE, "product": NUL}),
        ("software", {"vendor": "\ud83c", "product": "x"}),
        ("hosts", {"address": "10.0.0.1", "description": "\udc80"}),
        ("software", {"vendor": "a", "product": "b", "cpe": "cpe:2.3:" + ":" * 5000}),
    ],
)
def test_it_never_fails_on_hostile_asset_bodies(
    api: Api, world: World, collection: str, fields: dict[str, Any]
) -> None:
    body = {"unit_id": world.unit_a.id, "system_id": world.system_a.id} | fields

    response = api.post(f"/{collection}", "officer_a", body)

    assert 400 <= response.status_code < 500, response.content[:300]


def test_it_refuses_a_body_over_the_upload_limit(api: Api, world: World) -> None:
    body = {"unit_id": world.unit_a.id, "url": "https://big.example.gov.vn/", "name": "x" * (6 * 1024 * 1024)}

    response = api.post("/websites", "officer_a", body)

    assert response.status_code == 413
    assert response.json()["detail"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.text(max_size=300), name=st.text(max_size=50), search=st.text(max_size=300))
def test_it_survives_arbitrary_text(api: Api, world: World, url: str, name: str, search: str) -> None:
    created = api.post("/websites", "officer_a", {"unit_id": world.unit_a.id, "url": url, "name": name})
    listed = api.get("/units", "officer_a", {"search": search})

    assert created.status_code in (201, 400, 409, 422)
    assert listed.status_code in (200, 422)
