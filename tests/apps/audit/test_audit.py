"""The audit trail: sign-ins, the request's address, and who may read which rows."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.test import Client, RequestFactory

from haidang.apps.audit.context import AuditOriginMiddleware
from haidang.apps.audit.models import AuditEvent
from haidang.apps.audit.selectors import audit_list
from haidang.apps.audit.services import audit_record
from haidang.apps.registry.services import website_create
from tests.personas import World


def test_it_records_failed_sign_ins_without_the_password(world: World) -> None:
    request = RequestFactory().post("/login/")
    assert authenticate(request, username=world.officer_a.email, password="wrong-password") is None
    event = AuditEvent.objects.get(action="auth.login_failed")
    assert event.changes == {"email": world.officer_a.email}
    assert "wrong-password" not in str(event.changes)


def test_it_records_sign_in_and_out(world: World, client: Client) -> None:
    client.force_login(world.officer_a)
    client.post("/logout/")
    assert list(AuditEvent.objects.filter(actor=world.officer_a).values_list("action", flat=True)) == [
        "auth.logout",
        "auth.login",
    ]


def test_it_carries_the_client_address_into_service_rows(world: World) -> None:
    def view(request: object) -> object:
        website_create(acting_user=world.officer_a, unit=world.unit_a, url="https://moi.example.vn/")
        return None

    request = RequestFactory().post("/api/v1/websites", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="curl/8")
    AuditOriginMiddleware(view)(request)  # type: ignore[arg-type]
    event = AuditEvent.objects.get(action="website.create")
    assert (event.ip_address, event.source, event.user_agent) == ("203.0.113.9", "api", "curl/8")


def test_it_shows_each_unit_only_its_own_history(world: World) -> None:
    audit_record(acting_user=world.officer_a, action="website.create", unit_id=world.unit_a.id)
    audit_record(acting_user=world.officer_b, action="website.create", unit_id=world.unit_b.id)
    audit_record(acting_user=world.admin, action="unit.import")
    assert audit_list(visible_to=world.admin).count() == 3
    assert audit_list(visible_to=world.viewer).count() == 3
    assert [e.unit_id for e in audit_list(visible_to=world.officer_a)] == [world.unit_a.id]
    assert [e.unit_id for e in audit_list(visible_to=world.provider_officer)] == [world.unit_a.id]
    assert list(audit_list(visible_to=world.telecom_officer)) == []


def test_it_filters_by_action_actor_and_unit(world: World) -> None:
    audit_record(acting_user=world.officer_a, action="website.create", unit_id=world.unit_a.id)
    audit_record(acting_user=world.officer_b, action="domain.create", unit_id=world.unit_b.id)
    assert audit_list(visible_to=world.admin, action="website").count() == 1
    assert audit_list(visible_to=world.admin, actor="syt").count() == 1
    assert audit_list(visible_to=world.admin, unit_id=world.unit_b.id).count() == 1
