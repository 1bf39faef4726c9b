from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from haidang.apps.incidents import services
from haidang.apps.incidents.attachments import check_file, safe_name
from haidang.apps.incidents.models import Attachment, TimelineEntry
from tests.apps.incidents.conftest import Incidents
from tests.apps.incidents.files import EML, EXE, LOG, PDF, PNG, docx_bytes, zip_bytes
from tests.personas import World


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("anh-chup.png", PNG, "image/png"),
        ("cong-van.PDF", PDF, "application/pdf"),
        ("auth.log", LOG, "text/plain"),
        ("ghi-chu.txt", "Ghi chú tiếng Việt".encode(), "text/plain"),
        ("thu-mao-danh.eml", EML, "message/rfc822"),
        ("bao-cao.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("nhat-ky.zip", zip_bytes(), "application/zip"),
    ],
)
def test_it_accepts_allowed_types_by_content(settings: object, name: str, content: bytes, mime: str) -> None:
    checked = check_file(name, io.BytesIO(content))
    assert checked.content_type == mime
    assert checked.size == len(content)


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("hoa-don.pdf", EXE, "type"),  # an executable named .pdf
        ("setup.exe", EXE, "type"),
        ("anh.pdf", PNG, "extension"),  # a PNG renamed .pdf
        ("bao-cao.docx", PDF, "extension"),
        ("khong-phai-thu.eml", LOG, "type"),
        ("anh-khong-duoi", PNG, "extension"),
        ("rong.txt", b"", "empty"),
        ("nhi-phan.log", b"\x00\x01\x02binary", "type"),
    ],
)
def test_it_refuses_wrong_or_spoofed_types(name: str, content: bytes, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_file(name, io.BytesIO(content))
    assert caught.value.code == code


def test_it_refuses_an_oversize_file_without_reading_it_all(settings: object) -> None:
    settings.HAIDANG_ATTACHMENT_MAX_BYTES = 1024  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="quá lớn"):
        check_file("big.log", io.BytesIO(b"a" * 1025))
    with pytest.raises(ValidationError, match="quá lớn"):
        check_file("big.log", io.BytesIO(b""), declared_size=10_000)
    assert check_file("ok.log", io.BytesIO(b"a" * 1024)).size == 1024


def test_it_keeps_only_the_base_name_for_display() -> None:
    assert safe_name("../../etc/passwd") == "passwd"
    assert safe_name("C:\\Users\\x\\ảnh\u0000.png") == "ảnh.png"
    assert safe_name("") == "tep-dinh-kem"


def test_it_stores_a_file_with_a_random_name_and_a_timeline_entry(world: World, incidents: Incidents) -> None:
    upload = SimpleUploadedFile("../ảnh chụp.png", PNG, content_type="application/x-evil")
    attachment = services.attachment_add(actor=world.officer_a, incident=incidents.a, upload=upload)

    assert attachment.original_name == "ảnh chụp.png"
    assert attachment.content_type == "image/png"  # from the bytes, not from what the browser claimed
    assert "ảnh" not in attachment.file.name
    assert attachment.file.name.startswith(f"{incidents.a.id}/")
    with attachment.file.open("rb") as handle:
        assert handle.read() == PNG
    assert TimelineEntry.objects.filter(incident=incidents.a, kind="attachment", body="ảnh chụp.png").exists()


def test_it_reports_a_refused_file_on_the_file_field(world: World, incidents: Incidents) -> None:
    with pytest.raises(ValidationError) as caught:
        services.attachment_add(actor=world.officer_a, incident=incidents.a, upload=SimpleUploadedFile("x.pdf", EXE))
    assert "file" in caught.value.message_dict
    assert not Attachment.objects.exists()
