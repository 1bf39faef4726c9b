"""Cost of tenancy scoping and of the API layer, each against a plain baseline in the same run.

Run: make benchmark   (or: .venv/bin/pytest benchmarks --benchmark-only)
Results and the machine they were measured on: benchmarks/RESULTS.md
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from haidang.apps.registry.models import Unit, Website
from haidang.apps.registry.selectors import unit_list, website_list

pytestmark = pytest.mark.django_db


def test_units_scoped_for_admin(benchmark: Any, city: dict[str, Any]) -> None:
    rows = benchmark(lambda: list(unit_list(visible_to=city["admin"])))
    assert len(rows) == 88


def test_units_plain_orm_baseline(benchmark: Any, city: dict[str, Any]) -> None:
    rows = benchmark(lambda: list(Unit.objects.select_related("group").filter(status="active")))
    assert len(rows) == 88


def test_websites_scoped_for_officer(benchmark: Any, city: dict[str, Any]) -> None:
    rows = benchmark(lambda: list(website_list(visible_to=city["officer"])))
    assert len(rows) == 3


def test_websites_plain_orm_baseline(benchmark: Any, city: dict[str, Any]) -> None:
    unit_id = city["officer"].unit_id
    rows = benchmark(lambda: list(Website.objects.select_related("unit", "system").filter(unit_id=unit_id)))
    assert len(rows) == 3


def test_api_units_page(benchmark: Any, city: dict[str, Any]) -> None:
    client = Client()
    headers = {"Authorization": f"Bearer {city['admin_token']}"}
    response = benchmark(lambda: client.get("/api/v1/units?limit=100", headers=headers))
    assert response.status_code == 200
    assert response.json()["count"] == 88


def test_api_units_plain_json_baseline(benchmark: Any, city: dict[str, Any]) -> None:
    """The same rows dumped to JSON with no auth, schema or pagination: the floor for the API."""

    def dump() -> bytes:
        items = list(Unit.objects.filter(status="active").values("id", "name", "short_code", "group__code"))
        return json.dumps({"items": items, "count": len(items)}).encode()

    assert json.loads(benchmark(dump))["count"] == 88


def test_api_websites_for_officer(benchmark: Any, city: dict[str, Any]) -> None:
    client = Client()
    headers = {"Authorization": f"Bearer {city['officer_token']}"}
    response = benchmark(lambda: client.get("/api/v1/websites", headers=headers))
    assert response.json()["count"] == 3
