from __future__ import annotations

import hashlib
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from haidang.apps.incidents import services, tracking
from haidang.apps.incidents.models import Incident, Indicator, Queue, Source
from haidang.apps.incidents.selectors import public_report_status
from tests.apps.incidents.conftest import Incidents
from tests.apps.incidents.files import EXE, PNG
from tests.personas import World


def test_it_files_a_public_report_in_the_department_queue(incidents: Incidents) -> None:
    incident = incidents.public
    assert incident.source == Source.PORTAL
    assert incident.unit is None
    assert incident.queue == Queue.DEPARTMENT
    assert incident.category == "phishing"
    assert incident.reporter_contact == "0912345678"
    assert Indicator.objects.filter(incident=incident, kind="url", value="https://lua-dao.example/nhan-qua").exists()


def test_it_hands_out_an_unguessable_code_and_keeps_only_its_digest(incidents: Incidents) -> None:
    code = incidents.tracking_code
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}(-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}){2}", code)
    stored = Incident.objects.get(id=incidents.public.id)
    raw = code.replace("-", "")
    assert stored.tracking_digest == hashlib.sha256(raw.encode()).hexdigest()
    assert not Incident.objects.filter(tracking_digest__icontains=raw).exists()
    assert len({tracking.new_code() for _ in range(200)}) == 200


def test_it_shows_the_reporter_only_public_notes(world: World, incidents: Incidents) -> None:
    services.note_add(actor=world.duty, incident=incidents.public, body="Nội bộ: nghi của nhóm X.")
    services.note_add(actor=world.duty, incident=incidents.public, body="Đã chuyển nhà mạng chặn.", is_public=True)
    services.incident_transition(actor=world.duty, incident=incidents.public, to="triaged")

    status = public_report_status(incidents.tracking_code.lower().replace("-", " "))

    assert status is not None
    assert status.code == incidents.tracking_code
    assert status.kind == "scam"
    assert status.kind_label == "Phản ánh lừa đảo"
    assert status.status_label == "Đã phân loại"
    assert [note.body for note in status.notes] == ["Đã chuyển nhà mạng chặn."]
    assert not hasattr(status, "unit")


@pytest.mark.parametrize("code", ["", "ABCD-EFGH-JKMN", "0000-0000-0000", "x" * 5000])
def test_it_finds_nothing_for_a_wrong_code(incidents: Incidents, code: str) -> None:
    assert public_report_status(code) is None


def test_it_refuses_bad_public_input_and_opens_nothing(db: None) -> None:
    with pytest.raises(ValidationError) as caught:
        services.incident_report_public(
            kind="other", reporter_name="", reporter_contact="", subject_url="", description=" "
        )
    assert set(caught.value.message_dict) == {"kind", "description"}
    with pytest.raises(ValidationError):
        services.incident_report_public(
            kind="incident",
            reporter_name="",
            reporter_contact="",
            subject_url="",
            description="Trang web lạ",
            attachments=[SimpleUploadedFile("anh.jpg", EXE)],
        )
    assert not Incident.objects.exists()


def test_it_keeps_public_attachments_and_an_unparseable_subject(db: None) -> None:
    receipt = services.incident_report_public(
        kind="incident",
        reporter_name="",
        reporter_contact="ban-doc@example.vn",
        subject_url="trang web của phường",
        description="Trang bị chèn quảng cáo cờ bạc.",
        attachments=[SimpleUploadedFile("anh.png", PNG)],
        client_ip="198.51.100.7",
    )
    assert receipt.incident.attachments.count() == 1
    assert receipt.incident.subject_url == "trang web của phường"
    assert receipt.incident.client_ip == "198.51.100.7"
