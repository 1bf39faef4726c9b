from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from haidang.apps.incidents import services as incident_services
from haidang.apps.incidents.models import Incident
from tests.apps.portal.conftest import report_data
from tests.personas import World

STATUS = reverse("portal:status")


def _report(client: Client, **overrides: str) -> str:
    assert client.post(reverse("portal:report"), report_data(**overrides)).status_code == 302
    code: str = client.get(reverse("portal:receipt")).context["code"]
    return code


@pytest.mark.django_db
def test_it_shows_the_status_of_a_report(client: Client) -> None:
    code = _report(client)
    response = client.post(STATUS, {"code": code.lower().replace("-", " ")})
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["result"].code == code
    assert "Mới tiếp nhận" in body
    assert "Báo cáo sự cố" in body


@pytest.mark.django_db
def test_it_answers_unknown_and_malformed_codes_alike(client: Client) -> None:
    for code in ("ABCD-EFGH-JKMN", "không phải mã", "<script>"):
        response = client.post(STATUS, {"code": code})
        assert response.status_code == 200
        assert "Không tìm thấy phản ánh với mã này." in response.content.decode()
        assert response.context["result"] is None
    assert "<script>" not in client.post(STATUS, {"code": "<script>"}).content.decode().split("<main", 1)[1]


@pytest.mark.django_db
def test_it_limits_lookups_per_address(client: Client, settings: SettingsWrapper) -> None:
    settings.HAIDANG_PORTAL_LOOKUPS_PER_HOUR = 3
    code = _report(client)
    for _ in range(3):
        assert client.post(STATUS, {"code": "ABCD-EFGH-JKMN"}).status_code == 200
    blocked = client.post(STATUS, {"code": code})
    assert blocked.status_code == 429
    assert "Bạn đã tra cứu quá nhiều lần" in blocked.content.decode()
    assert blocked.context["result"] is None, "a real code gets no answer once the limit is reached"


def test_it_never_shows_internal_notes_people_or_units(client: Client, world: World) -> None:
    code = _report(client)
    incident = Incident.objects.get()
    world.officer_a.full_name = "Trần Văn Bảo Mật"
    world.officer_a.save()
    incident_services.incident_update(actor=world.admin, incident=incident, unit=world.unit_a)
    incident_services.incident_assign(actor=world.admin, incident=incident, assignee=world.officer_a)
    incident_services.note_add(actor=world.admin, incident=incident, body="GHI CHÚ NỘI BỘ: nghi do nhà thầu")
    incident_services.note_add(
        actor=world.admin, incident=incident, body="Đã chuyển đơn vị quản lý xử lý.\n<b>Cảm ơn</b>", is_public=True
    )
    body = client.post(STATUS, {"code": code}).content.decode()
    assert "Đã chuyển đơn vị quản lý xử lý.<br>&lt;b&gt;Cảm ơn&lt;/b&gt;" in body
    for secret in ("GHI CHÚ NỘI BỘ", "Trần Văn Bảo Mật", world.officer_a.email, world.unit_a.name, world.admin.email):
        assert secret not in body
    assert incident.reference not in body
