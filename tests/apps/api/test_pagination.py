"""Collections answer {"items": [...], "count": N}, paged with limit and offset."""

from __future__ import annotations

from typing import Any

import pytest

from haidang.apps.registry.models import Unit, Website
from tests.apps.api.conftest import Api, ids
from tests.personas import World


@pytest.fixture
def many_websites(world: World) -> list[Website]:
    return [Website.objects.create(unit=world.unit_a, url=f"https://trang{n:02}.example.gov.vn/") for n in range(25)]


def test_it_pages_with_limit_and_offset_and_counts_the_total(api: Api, many_websites: list[Website]) -> None:
    pages = [api.get("/websites", "admin", {"limit": 10, "offset": offset}).json() for offset in (0, 10, 20)]

    assert [len(page["items"]) for page in pages] == [10, 10, 7]
    assert {page["count"] for page in pages} == {27}
    seen = [item["id"] for page in pages for item in page["items"]]
    assert len(set(seen)) == 27


def test_it_counts_only_what_the_persona_sees(api: Api, many_websites: list[Website]) -> None:
    officer_b = api.get("/websites", "officer_b", {"limit": 1}).json()
    officer_a = api.get("/websites", "officer_a", {"limit": 1}).json()

    assert (officer_b["count"], len(officer_b["items"])) == (1, 1)
    assert (officer_a["count"], len(officer_a["items"])) == (26, 1)


def test_it_returns_an_empty_page_past_the_end(api: Api, many_websites: list[Website]) -> None:
    page = api.get("/websites", "admin", {"offset": 1000}).json()

    assert page == {"items": [], "count": 27}


def test_it_defaults_to_a_hundred_items(api: Api, world: World) -> None:
    Website.objects.bulk_create(Website(unit=world.unit_b, url=f"https://s{n:03}.example.gov.vn/") for n in range(120))

    page = api.get("/websites", "admin").json()

    assert (len(page["items"]), page["count"]) == (100, 122)


@pytest.mark.parametrize(
    "params",
    [{"limit": 1001}, {"limit": 0}, {"limit": -5}, {"offset": -1}, {"limit": "mười"}, {"offset": 2**64}],
)
@pytest.mark.parametrize("collection", ["/units", "/websites", "/audit", "/organizations", "/unit-groups"])
def test_it_rejects_limits_and_offsets_out_of_range(
    api: Api, world: World, collection: str, params: dict[str, object]
) -> None:
    response = api.get(collection, "admin", params)

    assert response.status_code == 422
    assert next(iter(params)) in response.json()["errors"]


def test_it_accepts_the_maximum_limit(api: Api, many_websites: list[Website]) -> None:
    response = api.get("/websites", "admin", {"limit": 1000})

    assert response.status_code == 200
    assert len(ids(response)) == 27


@pytest.mark.parametrize("collection", ["/units", "/websites", "/systems", "/audit"])
def test_it_lists_without_a_query_per_item(
    api: Api, world: World, many_websites: list[Website], collection: str, django_assert_max_num_queries: Any
) -> None:
    for n in range(20):
        Unit.objects.create(group=world.group, number=10 + n, name=f"Phường {n}", short_code=f"phuong-{n}")
    api.token("admin")

    with django_assert_max_num_queries(5):
        response = api.get(collection, "admin")

    assert response.status_code == 200
