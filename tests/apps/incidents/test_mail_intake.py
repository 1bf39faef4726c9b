from __future__ import annotations

import io
import sys
from email.message import EmailMessage

import pytest
from django.core.management import CommandError, call_command

from haidang.apps.incidents.mail_intake import MailRejectedError, incident_from_email
from haidang.apps.incidents.models import Incident, Queue, Source, TimelineEntry
from tests.apps.incidents.files import EXE, PNG
from tests.personas import World


def _message(sender: str = "canbo@stp.example.vn", message_id: str = "<m1@stp.example.vn>") -> bytes:
    message = EmailMessage()
    message["From"] = f"Cán bộ STP <{sender}>"
    message["To"] = "suco@so.example.vn"
    message["Subject"] = "Báo cáo sự cố: cổng thông tin bị chèn quảng cáo"
    message["Message-ID"] = message_id
    message.set_content("Sáng nay phát hiện trang chủ bị chèn liên kết cờ bạc.\nĐã tắt máy chủ.")
    message.add_attachment(PNG, maintype="image", subtype="png", filename="anh-chup.png")
    message.add_attachment(EXE, maintype="application", subtype="pdf", filename="hoa-don.pdf")
    return message.as_bytes()


def test_it_opens_an_incident_for_the_senders_unit(world: World) -> None:
    incident = incident_from_email(_message())

    assert incident.source == Source.EMAIL
    assert incident.unit == world.unit_a
    assert incident.created_by == world.officer_a
    assert incident.queue == Queue.DEPARTMENT  # senders are not authenticated: the department triages
    assert incident.title == "Báo cáo sự cố: cổng thông tin bị chèn quảng cáo"
    assert "chèn liên kết cờ bạc" in incident.description
    names = set(incident.attachments.values_list("original_name", flat=True))
    assert names == {"anh-chup.png", "message.eml"}
    refused = TimelineEntry.objects.get(incident=incident, kind="attachment", actor=None, body__contains="hoa-don.pdf")
    assert "Không lưu tệp" in refused.body


def test_it_matches_a_unit_by_its_contact_address(world: World) -> None:
    world.unit_b.contact_email = "vanthu@syt.example.vn"
    world.unit_b.save()
    assert incident_from_email(_message("VanThu@syt.example.vn", "<m2@x>")).unit == world.unit_b
    assert incident_from_email(_message("nguoi-la@example.com", "<m3@x>")).unit is None


def test_it_does_not_open_a_message_twice(world: World) -> None:
    first = incident_from_email(_message())
    assert incident_from_email(_message()).id == first.id
    assert Incident.objects.count() == 1


def test_it_refuses_oversize_and_non_mail_input(world: World, settings: object) -> None:
    with pytest.raises(MailRejectedError):
        incident_from_email(b"\x00\x01 this is not mail")
    settings.HAIDANG_INCIDENT_MAIL_MAX_BYTES = 100  # type: ignore[attr-defined]
    with pytest.raises(MailRejectedError):
        incident_from_email(_message())
    assert not Incident.objects.exists()


def test_it_reads_html_only_mail(world: World) -> None:
    message = EmailMessage()
    message["From"] = "x@example.com"
    message["Subject"] = "HTML"
    message.set_content("<p>Trang <b>bị</b> deface &amp; chuyển hướng</p>", subtype="html")
    incident = incident_from_email(message.as_bytes())
    assert "Trang  bị  deface & chuyển hướng" in incident.description


def test_the_command_reads_stdin_for_a_postfix_pipe(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(_message())))
    call_command("incidents_mail_in")
    assert capsys.readouterr().out.strip() == Incident.objects.get().reference

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\x00garbage")))
    with pytest.raises(CommandError) as caught:
        call_command("incidents_mail_in")
    assert caught.value.returncode == 65
