from __future__ import annotations

from datetime import UTC, datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from haidang.apps.audit.context import Origin, origin
from haidang.apps.audit.models import AuditEvent
from haidang.apps.audit.services import audit_record
from tests.apps.web.conftest import Login
from tests.personas import World


def _events(world: World) -> None:
    with origin(Origin(source="api", ip_address="198.51.100.7")):
        audit_record(
            acting_user=world.officer_a, action="website.create", target=world.website_a, unit_id=world.unit_a.id
        )
    audit_record(acting_user=world.officer_b, action="domain.create", target=world.domain_b, unit_id=world.unit_b.id)
    audit_record(acting_user=world.admin, action="user.create", target=world.viewer)


def test_it_shows_everything_to_the_department(login: Login, world: World) -> None:
    _events(world)
    response = login(world.duty).get(reverse("web:audit_list"))
    body = response.content.decode()
    actions = {event.action for event in response.context["page"].object_list}
    assert actions == {"website.create", "domain.create", "user.create", "auth.login"}
    for text in ("Thêm trang thông tin điện tử", "Thêm tên miền", "Tạo tài khoản", "198.51.100.7", "API", "Sở Y tế"):
        assert text in body


def test_it_shows_an_officer_only_their_units_rows(login: Login, world: World) -> None:
    _events(world)
    response = login(world.officer_a).get(reverse("web:audit_list"))
    body = response.content.decode()
    rows = [(event.action, event.actor) for event in response.context["page"].object_list]
    assert rows == [("auth.login", world.officer_a), ("website.create", world.officer_a)]
    assert "syt.example.gov.vn" not in body
    # The unit filter offers only what the officer may see.
    assert list(response.context["form"].fields["unit"].queryset) == [world.unit_a]


def test_it_filters_by_action_actor_unit_and_dates(login: Login, world: World) -> None:
    _events(world)
    client = login(world.admin)
    url = reverse("web:audit_list")
    assert client.get(url, {"action": "domain.create"}).context["total"] == 1
    assert client.get(url, {"actor": "stp.example"}).context["total"] == 1
    assert client.get(url, {"unit": world.unit_b.id}).context["total"] == 1
    today = timezone.localdate().isoformat()  # dates are Vietnamese calendar days
    assert client.get(url, {"since": today, "until": today}).context["total"] == 4
    assert client.get(url, {"since": "2000-01-01", "until": "2000-01-02"}).context["total"] == 0


def test_it_explains_a_reversed_date_range(login: Login, world: World) -> None:
    response = login(world.admin).get(reverse("web:audit_list"), {"since": "2099-02-01", "until": "2099-01-01"})
    assert "Ngày kết thúc phải sau ngày bắt đầu." in response.content.decode()
    assert response.context["total"] == 0  # the valid "since" filter still applies


def test_it_shows_times_in_vietnam(login: Login, world: World) -> None:
    with time_machine.travel(datetime(2025, 9, 1, 17, 30, tzinfo=UTC), tick=False):
        audit_record(acting_user=world.admin, action="unit.update", target=world.unit_a, unit_id=world.unit_a.id)
    body = login(world.admin).get(reverse("web:audit_list")).content.decode()
    assert "02/09/2025 00:30:00" in body
    assert "Sửa thông tin đơn vị" in body


def test_it_shows_an_unknown_action_code_as_stored(login: Login, world: World) -> None:
    AuditEvent.objects.create(actor_label="system", action="scanner.finding_open")
    body = login(world.admin).get(reverse("web:audit_list")).content.decode()
    assert "scanner.finding_open" in body


def test_it_paginates(login: Login, world: World) -> None:
    client = login(world.admin)  # one "auth.login" row
    AuditEvent.objects.bulk_create(AuditEvent(actor_label="system", action="unit.update") for _ in range(54))
    assert len(client.get(reverse("web:audit_list")).context["page"].object_list) == 50
    assert len(client.get(reverse("web:audit_list"), {"page": 2}).context["page"].object_list) == 5
