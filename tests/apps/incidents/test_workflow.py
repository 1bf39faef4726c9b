from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haidang.apps.audit.models import AuditEvent
from haidang.apps.incidents import selectors, services
from haidang.apps.incidents.models import Indicator, Queue, Status, TimelineEntry
from tests.apps.incidents.conftest import PERSONAS, SEES, Incidents, MakeIncident
from tests.personas import World


def test_it_opens_an_incident_with_a_yearly_reference(world: World, make_incident: MakeIncident) -> None:
    first = make_incident(systems=[world.system_a], indicators=["hxxp://evil[.]example/x", "203.0.113.5", " "])
    second = make_incident()

    year = timezone.localtime().year
    assert re.fullmatch(rf"SC-{year}-\d{{4}}", first.reference)
    assert int(second.reference[-4:]) == int(first.reference[-4:]) + 1
    assert first.queue == Queue.UNIT
    assert first.status == Status.NEW
    assert list(first.systems.all()) == [world.system_a]
    assert set(Indicator.objects.filter(incident=first).values_list("kind", "value")) == {
        ("url", "http://evil.example/x"),
        ("ipv4", "203.0.113.5"),
    }
    assert TimelineEntry.objects.filter(incident=first, kind="created").exists()
    assert AuditEvent.objects.filter(
        action="incident.create", object_id=str(first.id), unit_id=world.unit_a.id
    ).exists()


def test_it_defaults_a_unit_officers_report_to_their_unit(world: World, make_incident: MakeIncident) -> None:
    assert make_incident(unit=None).unit == world.unit_a


def test_it_puts_unitless_and_department_reports_in_the_department_queue(
    world: World, make_incident: MakeIncident
) -> None:
    assert make_incident(actor=world.duty, unit=None).queue == Queue.DEPARTMENT
    assert make_incident(actor=world.duty).queue == Queue.DEPARTMENT
    assert make_incident(beyond_capacity=True).queue == Queue.DEPARTMENT


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"category": "alien"}, "category"),
        ({"severity": "extreme"}, "severity"),
        ({"indicators": ["not a thing at all"]}, "indicators"),
        ({"discovered_at": timezone.now() + timedelta(days=2)}, "discovered_at"),
    ],
)
def test_it_refuses_bad_input_with_a_field_message(make_incident: MakeIncident, overrides: dict, field: str) -> None:
    with pytest.raises(ValidationError) as caught:
        make_incident(**overrides)
    assert field in caught.value.message_dict


def test_it_refuses_a_system_of_another_unit(world: World, make_incident: MakeIncident) -> None:
    with pytest.raises(ValidationError) as caught:
        make_incident(systems=[world.system_b])
    assert "systems" in caught.value.message_dict


@pytest.mark.parametrize("persona", ["officer_b", "viewer", "provider_officer"])
def test_it_refuses_a_report_for_a_unit_the_reporter_cannot_act_for(
    world: World, make_incident: MakeIncident, persona: str
) -> None:
    unit = world.unit_b if persona != "officer_b" else world.unit_a
    with pytest.raises(PermissionDenied):
        make_incident(actor=getattr(world, persona), unit=unit)


def test_it_ties_a_telecom_report_to_the_company(world: World, incidents: Incidents) -> None:
    assert incidents.telecom.organization == world.telecom
    assert incidents.telecom.unit is None


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_only_what_the_persona_may_see(world: World, incidents: Incidents, persona: str) -> None:
    user = getattr(world, persona)
    seen = set(selectors.incident_list(visible_to=user).values_list("id", flat=True))
    assert seen == {incidents.side(side).id for side in SEES[persona]}


def test_it_walks_the_workflow_and_reopens(world: World, incidents: Incidents) -> None:
    incident = incidents.a
    for target in (Status.TRIAGED, Status.IN_PROGRESS, Status.RESOLVED):
        services.incident_transition(actor=world.duty, incident=incident, to=target)
    assert incident.resolved_at is not None
    services.incident_transition(actor=world.duty, incident=incident, to=Status.CLOSED, note="Đã khôi phục.")
    assert incident.closed_at is not None

    services.incident_transition(actor=world.officer_a, incident=incident, to=Status.IN_PROGRESS, note="Tái diễn")

    assert incident.status == Status.IN_PROGRESS
    assert incident.resolved_at is None
    assert incident.closed_at is None
    moves = list(TimelineEntry.objects.filter(incident=incident, kind="status").values_list("data", flat=True))
    assert {"from": "closed", "to": "in_progress"} in moves
    assert AuditEvent.objects.filter(action="incident.status", object_id=str(incident.id)).count() == 5


@pytest.mark.parametrize(("start", "target"), [("new", "resolved"), ("new", "new"), ("in_progress", "closed")])
def test_it_refuses_an_invalid_transition(world: World, incidents: Incidents, start: str, target: str) -> None:
    incident = incidents.a
    incident.status = start
    incident.save()
    with pytest.raises(ValidationError) as caught:
        services.incident_transition(actor=world.duty, incident=incident, to=target)
    assert "Không thể chuyển" in caught.value.message_dict["status"][0]


def test_it_lets_only_the_department_move_an_incident_in_its_queue(world: World, incidents: Incidents) -> None:
    services.incident_mark_beyond_capacity(actor=world.officer_a, incident=incidents.a, reason="Không đủ người")
    with pytest.raises(PermissionDenied):
        services.incident_transition(actor=world.officer_a, incident=incidents.a, to=Status.TRIAGED)
    services.incident_transition(actor=world.duty, incident=incidents.a, to=Status.TRIAGED)
    # The unit can still add what it learns.
    services.note_add(actor=world.officer_a, incident=incidents.a, body="Đã cô lập máy chủ.")


@pytest.mark.parametrize("persona", ["officer_b", "viewer", "telecom_officer"])
def test_it_refuses_work_on_an_incident_to_outsiders(world: World, incidents: Incidents, persona: str) -> None:
    user = getattr(world, persona)
    with pytest.raises(PermissionDenied):
        services.note_add(actor=user, incident=incidents.a, body="x")
    with pytest.raises(PermissionDenied):
        services.incident_transition(actor=user, incident=incidents.a, to=Status.TRIAGED)


def test_it_assigns_only_eligible_people(world: World, incidents: Incidents) -> None:
    services.incident_assign(actor=world.duty, incident=incidents.a, assignee=world.provider_officer)
    assert incidents.a.assignee == world.provider_officer
    services.incident_assign(actor=world.duty, incident=incidents.a, assignee=world.officer_a)
    for outsider in (world.officer_b, world.viewer, world.telecom_officer):
        with pytest.raises(ValidationError):
            services.incident_assign(actor=world.duty, incident=incidents.a, assignee=outsider)
    assert TimelineEntry.objects.filter(incident=incidents.a, kind="assignment").count() == 2


def test_it_moves_a_beyond_capacity_incident_to_the_department(world: World, incidents: Incidents) -> None:
    with pytest.raises(ValidationError):
        services.incident_mark_beyond_capacity(actor=world.officer_a, incident=incidents.a, reason="  ")
    services.incident_mark_beyond_capacity(actor=world.officer_a, incident=incidents.a, reason="Mã hoá toàn bộ")

    assert incidents.a.queue == Queue.DEPARTMENT
    assert incidents.a.beyond_capacity_at is not None
    assert not selectors.can_mark_beyond_capacity(world.officer_a, incidents.a)
    entry = TimelineEntry.objects.get(incident=incidents.a, kind="beyond_capacity")
    assert entry.body == "Mã hoá toàn bộ"


def test_it_records_a_national_escalation_with_its_document(world: World, incidents: Incidents) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = SimpleUploadedFile("cong-van.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")
    with pytest.raises(PermissionDenied):
        services.incident_escalate_national(
            actor=world.officer_a,
            incident=incidents.a,
            document_number="1/X",
            document_date=timezone.localdate(),
            recipient="X",
        )
    escalation = services.incident_escalate_national(
        actor=world.duty,
        incident=incidents.a,
        document_number="125/STTTT-BCVT",
        document_date=timezone.localdate(),
        recipient="Cơ quan điều phối quốc gia",
        note="Đề nghị hỗ trợ phân tích mã độc.",
        document=document,
    )
    assert escalation.document is not None
    assert escalation.document.content_type == "application/pdf"
    assert incidents.a.queue == Queue.DEPARTMENT
    entry = TimelineEntry.objects.get(incident=incidents.a, kind="escalation")
    assert entry.data["document_number"] == "125/STTTT-BCVT"


def test_it_edits_facts_and_lets_only_the_department_move_the_unit(world: World, incidents: Incidents) -> None:
    services.incident_update(actor=world.officer_a, incident=incidents.a, severity="high", systems=[world.system_a])
    assert incidents.a.severity == "high"
    with pytest.raises(PermissionDenied):
        services.incident_update(actor=world.officer_a, incident=incidents.a, unit=world.unit_b)
    services.incident_update(actor=world.duty, incident=incidents.public, unit=world.unit_b)
    assert incidents.public.unit == world.unit_b
    entry = TimelineEntry.objects.filter(incident=incidents.a, kind="update").first()
    assert entry is not None
    assert entry.data["severity"] == ["medium", "high"]
    with pytest.raises(ValidationError):
        services.incident_update(actor=world.duty, incident=incidents.a, reference="X")


def test_it_keeps_tasks_with_assignee_due_and_done(world: World, incidents: Incidents) -> None:
    due = timezone.now() + timedelta(hours=4)
    task = services.task_add(
        actor=world.officer_a,
        incident=incidents.a,
        title="Khôi phục từ bản sao lưu",
        assignee=world.officer_a,
        due_at=due,
    )
    services.task_set_done(actor=world.provider_officer, task=task, done=True)
    assert task.done
    assert task.done_at is not None
    with pytest.raises(ValidationError):
        services.task_add(actor=world.officer_a, incident=incidents.a, title="x", assignee=world.officer_b)
    with pytest.raises(ValidationError):
        services.task_add(actor=world.officer_a, incident=incidents.a, title="")
    kinds = TimelineEntry.objects.filter(incident=incidents.a, kind="task").count()
    assert kinds == 2


def test_it_keeps_indicators_unique_and_normalised(world: World, incidents: Incidents) -> None:
    services.indicator_add(actor=world.officer_a, incident=incidents.a, raw="EVIL.Example.")
    with pytest.raises(ValidationError) as caught:
        services.indicator_add(actor=world.officer_a, incident=incidents.a, raw="evil.example")
    assert "đã có" in caught.value.message_dict["value"][0]
    with pytest.raises(ValidationError):
        services.indicator_add(actor=world.officer_a, incident=incidents.a, raw="abc", kind="sha256")


def test_it_lets_only_the_department_write_public_notes(world: World, incidents: Incidents) -> None:
    with pytest.raises(PermissionDenied):
        services.note_add(actor=world.officer_a, incident=incidents.a, body="x", is_public=True)
    with pytest.raises(ValidationError):
        services.note_add(actor=world.duty, incident=incidents.a, body="   ")
    note = services.note_add(
        actor=world.duty, incident=incidents.public, body="Đã chuyển cơ quan chức năng.", is_public=True
    )
    assert note.is_public
