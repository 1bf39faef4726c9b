"""Every endpoint needs a valid bearer token; nothing else gets in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from haidang.apps.accounts.models import ApiToken
from haidang.apps.accounts.services import token_create, token_revoke
from tests.apps.api.conftest import API, Api
from tests.personas import World

READS = [
    "/me",
    "/units",
    "/units/1",
    "/unit-groups",
    "/organizations",
    "/organizations/1",
    "/systems",
    "/systems/1",
    "/websites",
    "/websites/1",
    "/domains",
    "/domains/1",
    "/hosts",
    "/hosts/1",
    "/software",
    "/software/1",
    "/audit",
    "/audit/1",
]
WRITES = ["/systems", "/websites", "/domains", "/hosts", "/software"]


def _assert_unauthenticated(response: object) -> None:
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response["WWW-Authenticate"].startswith("Bearer")  # type: ignore[index]
    assert "xác thực" in response.json()["detail"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", READS)
def test_it_refuses_reads_without_a_token(client: Client, world: World, path: str) -> None:
    _assert_unauthenticated(client.get(API + path))


@pytest.mark.parametrize("path", WRITES)
def test_it_refuses_writes_without_a_token(client: Client, world: World, path: str) -> None:
    body = {"unit_id": world.unit_a.id, "url": "https://new.example.gov.vn/", "name": "x"}

    _assert_unauthenticated(client.post(API + path, body, content_type="application/json"))


@pytest.mark.parametrize(
    "header",
    [
        "Bearer hd_not-a-real-token",
        "Bearer ",
        "Bearer",
        "bearer hd_" + "x" * 500,
        "Token hd_abc",
        "Basic YWRtaW5Ac28uZXhhbXBsZS52bjpwYXNz",
        "hd_abc",
    ],
)
@pytest.mark.parametrize("path", ["/me", "/websites", "/websites/1"])
def test_it_refuses_bad_tokens(client: Client, world: World, header: str, path: str) -> None:
    _assert_unauthenticated(client.get(API + path, HTTP_AUTHORIZATION=header))


@pytest.mark.parametrize("path", READS)
def test_it_refuses_a_revoked_token(api: Api, world: World, path: str) -> None:
    token = api.token("admin")
    token_revoke(acting_user=None, token=ApiToken.objects.get(user=world.admin))

    _assert_unauthenticated(api.client.get(API + path, HTTP_AUTHORIZATION=f"Bearer {token}"))


def test_it_refuses_a_revoked_token_for_writes(api: Api, world: World) -> None:
    token = api.token("officer_a")
    token_revoke(acting_user=world.officer_a, token=ApiToken.objects.get(user=world.officer_a))
    body = {"unit_id": world.unit_a.id, "url": "https://new.example.gov.vn/"}

    response = api.client.post(
        API + "/websites", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )

    _assert_unauthenticated(response)
    assert not world.unit_a.websites.filter(url=body["url"]).exists()


def test_it_refuses_an_expired_token(api: Api, world: World) -> None:
    token = api.token("admin")
    ApiToken.objects.filter(user=world.admin).update(expires_at=timezone.now() - timedelta(minutes=1))

    _assert_unauthenticated(api.client.get(API + "/me", HTTP_AUTHORIZATION=f"Bearer {token}"))


def test_it_refuses_the_token_of_a_locked_account(api: Api, world: World) -> None:
    token = api.token("officer_a")
    world.officer_a.is_active = False
    world.officer_a.save()

    _assert_unauthenticated(api.client.get(API + "/websites", HTTP_AUTHORIZATION=f"Bearer {token}"))


def test_it_does_not_accept_a_web_session_instead_of_a_token(client: Client, world: World) -> None:
    client.force_login(world.officer_a)

    _assert_unauthenticated(client.get(API + "/websites"))


def test_it_accepts_a_valid_token_and_ignores_the_session(client: Client, world: World) -> None:
    client.force_login(world.admin)
    token = token_create(acting_user=None, user=world.officer_b).token

    response = client.get(API + "/me", HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.json()["email"] == world.officer_b.email


def test_it_accepts_posts_without_a_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    token = token_create(acting_user=None, user=world.officer_a).token
    body = {"unit_id": world.unit_a.id, "url": "https://csrf.example.gov.vn/"}

    response = client.post(
        API + "/websites", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )

    assert response.status_code == 201


def test_it_answers_in_english_when_the_client_asks(client: Client) -> None:
    vietnamese = client.get("/api/v1/units")
    english = client.get("/api/v1/units", HTTP_ACCEPT_LANGUAGE="en")
    assert vietnamese.status_code == english.status_code == 401
    assert vietnamese.json()["detail"] != english.json()["detail"]
