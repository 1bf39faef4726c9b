"""Incidents owned by unit A, unit B, the telecom company and the public, for the permission matrix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from haidang.apps.incidents.models import Incident
from haidang.apps.incidents.services import incident_create, incident_report_public
from tests.personas import World

#: Who sees which incident: unit A's, unit B's, the telecom company's and a public report.
SEES: dict[str, set[str]] = {
    "admin": {"a", "b", "telecom", "public"},
    "duty": {"a", "b", "telecom", "public"},
    "viewer": {"a", "b", "telecom", "public"},
    "officer_a": {"a"},
    "officer_b": {"b"},
    "provider_officer": {"a"},
    "telecom_officer": {"telecom"},
}
PERSONAS = tuple(SEES)


@dataclass
class Incidents:
    a: Incident
    b: Incident
    telecom: Incident
    public: Incident
    tracking_code: str

    def side(self, name: str) -> Incident:
        return getattr(self, name)  # type: ignore[no-any-return]


MakeIncident = Callable[..., Incident]


def incident_factory(world: World) -> MakeIncident:
    def make(**overrides: Any) -> Incident:
        fields: dict[str, Any] = {
            "actor": world.officer_a,
            "source": "web",
            "unit": world.unit_a,
            "title": "Cổng thông tin bị thay giao diện",
            "description": "Trang chủ hiện dòng chữ hacked by.",
            "category": "defacement",
            "severity": "medium",
        }
        fields.update(overrides)
        return incident_create(**fields)

    return make


def build_incidents(world: World) -> Incidents:
    make_incident = incident_factory(world)
    receipt = incident_report_public(
        kind="scam",
        reporter_name="Nguyễn Văn A",
        reporter_contact="0912345678",
        subject_url="https://lua-dao.example/nhan-qua",
        description="Tin nhắn mạo danh ngân hàng.",
    )
    return Incidents(
        a=make_incident(),
        b=make_incident(actor=world.officer_b, unit=world.unit_b, title="Mã độc tại Sở Y tế", category="malware"),
        telecom=make_incident(actor=world.telecom_officer, unit=None, title="DDoS vào DNS", category="ddos"),
        public=receipt.incident,
        tracking_code=receipt.tracking_code,
    )


@pytest.fixture
def make_incident(world: World) -> MakeIncident:
    return incident_factory(world)


@pytest.fixture
def incidents(world: World) -> Incidents:
    return build_incidents(world)
