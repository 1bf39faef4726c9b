from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import reverse

from haidang.apps.incidents import services
from haidang.apps.incidents.models import Incident, Queue, Status
from tests.apps.incidents.conftest import PERSONAS, SEES, Incidents, MakeIncident, build_incidents, incident_factory
from tests.apps.incidents.files import EXE, PNG
from tests.apps.web.conftest import Login
from tests.personas import World


@pytest.fixture
def incidents(world: World) -> Incidents:
    return build_incidents(world)


@pytest.fixture
def make_incident(world: World) -> MakeIncident:
    return incident_factory(world)


def _detail(incident: Incident) -> str:
    return reverse("web:incident_detail", args=[incident.id])


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_only_visible_incidents(login: Login, world: World, incidents: Incidents, persona: str) -> None:
    response = login(getattr(world, persona)).get(reverse("web:incident_list"), {"queue": "all"})
    assert response.status_code == 200
    listed = {row.incident.id for row in response.context["page"].object_list}
    assert listed == {incidents.side(side).id for side in SEES[persona]}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("side", ["a", "b", "telecom", "public"])
def test_it_shows_an_incident_only_to_who_may_see_it(
    login: Login, world: World, incidents: Incidents, persona: str, side: str
) -> None:
    response = login(getattr(world, persona)).get(_detail(incidents.side(side)))
    assert response.status_code == (200 if side in SEES[persona] else 404)


def test_it_opens_the_department_queue_first_for_the_duty_officer(
    login: Login, world: World, incidents: Incidents
) -> None:
    response = login(world.duty).get(reverse("web:incident_list"))
    assert response.context["queue"] == "department"
    listed = {row.incident.id for row in response.context["page"].object_list}
    assert listed == {incidents.telecom.id, incidents.public.id}
    body = response.content.decode()
    assert "Hàng đợi của Sở" in body
    assert incidents.public.reference in body


def test_it_filters_the_list(login: Login, world: World, incidents: Incidents) -> None:
    client = login(world.admin)
    url = reverse("web:incident_list")
    assert client.get(url, {"queue": "all", "category": "malware"}).context["total"] == 1
    assert client.get(url, {"queue": "all", "unit": world.unit_a.id}).context["total"] == 1
    assert client.get(url, {"queue": "all", "q": incidents.b.reference}).context["total"] == 1
    assert client.get(url, {"queue": "all", "severity": "nonsense"}).context["total"] == 4


def test_it_lists_overdue_incidents_first(login: Login, world: World, make_incident: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    fresh = make_incident(title="Mới")
    late = make_incident(title="Cũ", personal_data=True, discovered_at=timezone.now() - timedelta(days=6))
    response = login(world.officer_a).get(reverse("web:incident_list"))
    rows = response.context["page"].object_list
    assert [row.incident.id for row in rows] == [late.id, fresh.id]
    assert rows[0].overdue
    assert "row-overdue" in response.content.decode()


def test_it_reports_an_incident_from_the_form(login: Login, world: World) -> None:
    client = login(world.officer_a)
    assert client.get(reverse("web:incident_create")).status_code == 200
    response = client.post(
        reverse("web:incident_create"),
        {
            "unit": world.unit_a.id,
            "title": "Cổng thông tin bị deface",
            "category": "defacement",
            "severity": "high",
            "systems": [world.system_a.id],
            "discovered_at": "2026-09-02T08:15",
            "indicators": "hxxp://defacer[.]example\n203.0.113.9",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response.url == _detail(incident)
    assert incident.indicators.count() == 2
    assert incident.queue == Queue.UNIT


def test_it_keeps_the_input_when_the_form_is_wrong(login: Login, world: World) -> None:
    client = login(world.officer_a)
    response = client.post(
        reverse("web:incident_create"),
        {
            "unit": world.unit_a.id,
            "title": "Tiêu đề được giữ lại",
            "category": "",
            "severity": "medium",
            "systems": [world.system_b.id],
            "discovered_at": "hôm qua",
            "indicators": "không phải dấu hiệu",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert not Incident.objects.exists()
    assert "Tiêu đề được giữ lại" in body
    assert "không phải dấu hiệu" in body
    errors = response.context["form"].errors
    assert {"category", "systems", "discovered_at"} <= set(errors)
    assert "Nhập ngày giờ" in body


def test_it_reports_service_errors_on_the_form(login: Login, world: World) -> None:
    response = login(world.officer_a).post(
        reverse("web:incident_create"),
        {"unit": world.unit_a.id, "title": "X", "category": "other", "severity": "low", "indicators": "two words"},
    )
    assert "indicators" in response.context["form"].errors
    assert "Mỗi dấu hiệu" in response.content.decode()
    assert not Incident.objects.exists()


def test_a_viewer_cannot_report(login: Login, world: World) -> None:
    assert login(world.viewer).get(reverse("web:incident_create")).status_code == 403


def test_it_shows_status_buttons_valid_for_the_state(login: Login, world: World, incidents: Incidents) -> None:
    body = login(world.duty).get(_detail(incidents.a)).content.decode()
    assert "Tiếp nhận, phân loại" in body
    assert "Đã khắc phục xong" not in body
    assert "Báo cáo ban đầu (DOCX)" in body
    assert reverse("web:incident_report", args=[incidents.a.id, "final", "pdf"]) in body
    assert "Thông tư quy định về điều phối" in body
    assert "còn " in body


def test_it_moves_status_and_refuses_an_invalid_move(login: Login, world: World, incidents: Incidents) -> None:
    client = login(world.duty)
    url = reverse("web:incident_status", args=[incidents.a.id])
    assert client.post(url, {"to": "triaged", "note": "Đã xác minh"}).status_code == 302
    incidents.a.refresh_from_db()
    assert incidents.a.status == Status.TRIAGED

    response = client.post(url, {"to": "closed_forever", "note": "giữ lại ghi chú"})
    assert response.status_code == 200
    assert "giữ lại ghi chú" in response.content.decode()
    response = client.post(url, {"to": "resolved", "note": ""})
    assert "Không thể chuyển" in response.content.decode()


def test_outsiders_cannot_act_on_an_incident(login: Login, world: World, incidents: Incidents) -> None:
    client = login(world.officer_b)
    for name in ("incident_status", "incident_note", "incident_assign", "incident_beyond_capacity"):
        assert client.post(reverse(f"web:{name}", args=[incidents.a.id]), {"to": "triaged"}).status_code == 404
    viewer = login(world.viewer)
    assert viewer.post(reverse("web:incident_note", args=[incidents.a.id]), {"body": "x"}).status_code == 403


def test_a_unit_officer_marks_an_incident_beyond_capacity(login: Login, world: World, incidents: Incidents) -> None:
    client = login(world.officer_a)
    url = reverse("web:incident_beyond_capacity", args=[incidents.a.id])
    response = client.post(url, {"reason": ""})
    assert "Hãy nêu lý do" in response.content.decode()
    assert client.post(url, {"reason": "Toàn bộ máy chủ bị mã hoá"}).status_code == 302
    incidents.a.refresh_from_db()
    assert incidents.a.queue == Queue.DEPARTMENT
    body = client.get(_detail(incidents.a)).content.decode()
    assert "Sự cố đang trong hàng đợi của Sở" in body


def test_the_department_records_a_national_escalation(login: Login, world: World, incidents: Incidents) -> None:
    client = login(world.duty)
    url = reverse("web:incident_escalate", args=[incidents.a.id])
    response = client.post(url, {"document_number": "12/STTTT", "document_date": "ngày mai", "recipient": "X"})
    assert "Nhập ngày theo dạng" in response.content.decode()
    assert 'value="12/STTTT"' in response.content.decode()
    document = SimpleUploadedFile("cong-van.pdf", b"%PDF-1.4\n%%EOF\n")
    response = client.post(
        url,
        {
            "document_number": "12/STTTT",
            "document_date": "2026-09-02",
            "recipient": "Cơ quan điều phối quốc gia",
            "document": document,
        },
    )
    assert response.status_code == 302
    body = client.get(_detail(incidents.a)).content.decode()
    assert "12/STTTT" in body
    assert "cong-van.pdf" in body
    assert login(world.officer_a).post(url, {}).status_code == 403


def test_it_adds_notes_tasks_indicators_and_files(login: Login, world: World, incidents: Incidents) -> None:
    client = login(world.provider_officer)
    incident = incidents.a
    assert client.post(reverse("web:incident_note", args=[incident.id]), {"body": "Đã thu thập log"}).status_code == 302
    task_url = reverse("web:incident_task_add", args=[incident.id])
    assert client.post(task_url, {"title": "Quét mã độc", "assignee": world.officer_a.id}).status_code == 302
    task = incident.tasks.get()
    client.post(reverse("web:incident_task_done", args=[incident.id, task.id]), {"done": "1"})
    task.refresh_from_db()
    assert task.done
    response = client.post(reverse("web:incident_indicator_add", args=[incident.id]), {"value": "abc", "kind": "md5"})
    assert "thập lục phân" in response.content.decode()
    assert 'value="abc"' in response.content.decode()
    response = client.post(
        reverse("web:incident_attachment_add", args=[incident.id]), {"file": SimpleUploadedFile("x.pdf", EXE)}
    )
    assert "Không nhận loại tệp" in response.content.decode()
    response = client.post(
        reverse("web:incident_attachment_add", args=[incident.id]), {"file": SimpleUploadedFile("anh.png", PNG)}
    )
    assert response.status_code == 302
    body = client.get(_detail(incident)).content.decode()
    for text in ("Đã thu thập log", "Quét mã độc", "anh.png"):
        assert text in body


def test_it_serves_attachments_only_to_who_sees_the_incident(login: Login, world: World, incidents: Incidents) -> None:
    attachment = services.attachment_add(
        actor=world.officer_a, incident=incidents.a, upload=SimpleUploadedFile("<script>.png", PNG)
    )
    url = reverse("web:incident_attachment", args=[incidents.a.id, attachment.id])
    response = login(world.provider_officer).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert login(world.officer_b).get(url).status_code == 404
    wrong = reverse("web:incident_attachment", args=[incidents.b.id, attachment.id])
    assert login(world.admin).get(wrong).status_code == 404


def test_the_report_link_checks_visibility_first(
    login: Login, world: World, incidents: Incidents, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[int, str, str]] = []

    def fake(incident: Incident, kind: str, fmt: str) -> HttpResponse:
        calls.append((incident.id, kind, fmt))
        return HttpResponse(b"doc")

    monkeypatch.setattr("haidang.apps.incidents.reports.report_response", fake)
    url = reverse("web:incident_report", args=[incidents.a.id, "initial", "docx"])
    assert login(world.officer_b).get(url).status_code == 404
    assert login(world.officer_a).get(url).status_code == 200
    assert calls == [(incidents.a.id, "initial", "docx")]


def test_the_department_moves_a_public_report_to_a_unit(login: Login, world: World, incidents: Incidents) -> None:
    client = login(world.duty)
    url = reverse("web:incident_edit", args=[incidents.public.id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {"unit": world.unit_b.id, "title": incidents.public.title, "category": "phishing", "severity": "high"},
    )
    assert response.status_code == 302
    incidents.public.refresh_from_db()
    assert incidents.public.unit == world.unit_b
    assert login(world.officer_b).get(_detail(incidents.public)).status_code == 200
    assert login(world.officer_a).get(reverse("web:incident_edit", args=[incidents.b.id])).status_code == 404
