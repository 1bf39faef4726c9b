"""An API client that speaks as any persona, and the registry objects each unit owns."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client

from haidang.apps.accounts.models import User
from haidang.apps.accounts.services import token_create
from haidang.apps.registry.models import Host, SoftwareComponent
from tests.personas import World

API = "/api/v1"

#: Who sees unit A's and unit B's objects (units, systems and every unit-owned asset).
SEES: dict[str, set[str]] = {
    "admin": {"a", "b"},
    "duty": {"a", "b"},
    "viewer": {"a", "b"},
    "officer_a": {"a"},
    "officer_b": {"b"},
    "provider_officer": {"a"},
    "telecom_officer": set(),
}
PERSONAS = tuple(SEES)


@dataclass
class Api:
    """Sends requests to the API with the bearer token of a named persona (or none)."""

    client: Client
    world: World
    tokens: dict[str, str] = field(default_factory=dict)

    def token(self, persona: str) -> str:
        if persona not in self.tokens:
            user: User = getattr(self.world, persona)
            self.tokens[persona] = token_create(acting_user=None, user=user).token
        return self.tokens[persona]

    def headers(self, persona: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(persona)}"} if persona else {}

    def get(self, path: str, persona: str | None, params: dict[str, Any] | None = None) -> Any:
        return self.client.get(API + path, params or {}, headers=self.headers(persona))

    def post(self, path: str, persona: str | None, body: Any, content_type: str = "application/json") -> Any:
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(API + path, data, content_type=content_type, headers=self.headers(persona))


@dataclass
class Owned:
    """One object of a kind owned by unit A and one owned by unit B."""

    a: Model
    b: Model

    def side(self, name: str) -> Model:
        return self.a if name == "a" else self.b


@pytest.fixture
def api(world: World, client: Client) -> Api:
    return Api(client=client, world=world)


@pytest.fixture
def owned(world: World) -> dict[str, Owned]:
    """Every registry collection keyed by its API path, with unit A's and unit B's object."""
    host_a = Host.objects.create(unit=world.unit_a, system=world.system_a, address="203.0.113.10")
    host_b = Host.objects.create(unit=world.unit_b, system=world.system_b, address="203.0.113.20")
    software_a = SoftwareComponent.objects.create(
        unit=world.unit_a, system=world.system_a, vendor="wordpress", product="wordpress", version="6.4.2"
    )
    software_b = SoftwareComponent.objects.create(
        unit=world.unit_b, system=world.system_b, vendor="apache", product="http_server", version="2.4.58"
    )
    return {
        "units": Owned(world.unit_a, world.unit_b),
        "systems": Owned(world.system_a, world.system_b),
        "websites": Owned(world.website_a, world.website_b),
        "domains": Owned(world.domain_a, world.domain_b),
        "hosts": Owned(host_a, host_b),
        "software": Owned(software_a, software_b),
    }


def ids(response: Any) -> set[int]:
    return {item["id"] for item in response.json()["items"]}
