from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from haidang.apps.incidents.models import Attachment, Incident, Source
from haidang.apps.portal.abuse import MAX_FORM_AGE, issue_form_token
from haidang.apps.portal.uploads import MAX_FILE_BYTES
from tests.apps.portal.conftest import PDF, PNG, report_data

pytestmark = pytest.mark.django_db
REPORT = reverse("portal:report")


def _body(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_it_opens_the_form_without_signing_in(client: Client) -> None:
    response = client.get(REPORT + "?kind=scam")
    assert response.status_code == 200
    body = _body(response)
    assert 'name="form_token"' in body
    assert response.context["form"]["kind"].value() == "scam"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")
    assert response["Cache-Control"] == "no-store"


def test_it_receives_a_report_and_shows_the_code_once(client: Client) -> None:
    response = client.post(REPORT, report_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:receipt")
    incident = Incident.objects.get()
    assert (incident.source, incident.public_kind, incident.reporter_contact) == (
        Source.PORTAL,
        "incident",
        "0912345678",
    )
    receipt = client.get(reverse("portal:receipt"))
    code = receipt.context["code"]
    assert len(code.replace("-", "")) == 12
    assert code in _body(receipt)
    assert "Hãy ghi lại hoặc chụp màn hình mã này ngay." in _body(receipt)
    again = client.get(reverse("portal:receipt"))
    assert again.status_code == 302, "the code is shown only once"
    assert code not in _body(again)


def test_it_keeps_the_input_and_explains_errors_in_vietnamese(client: Client) -> None:
    data = report_data(reporter_contact="goi cho toi", description="ngắn", kind="")
    response = client.post(REPORT, data)
    assert response.status_code == 400
    body = _body(response)
    assert "Hãy nhập số điện thoại (ví dụ 0912 345 678) hoặc địa chỉ thư điện tử" in body
    assert "Hãy mô tả sự việc rõ hơn (ít nhất 20 ký tự)." in body
    assert "Hãy chọn loại phản ánh." in body
    assert 'value="goi cho toi"' in body
    assert 'value="Nguyễn Thị Dân"' in body
    assert data["form_token"] not in body, "a fresh token comes with the form"
    assert not Incident.objects.exists()


def test_it_accepts_an_email_address_as_contact(client: Client) -> None:
    assert client.post(REPORT, report_data(reporter_contact="Dan@Example.VN")).status_code == 302
    assert Incident.objects.get().reporter_contact == "dan@example.vn"
    bad = client.post(REPORT, report_data(reporter_contact="dan@"))
    assert "Địa chỉ thư điện tử không hợp lệ." in _body(bad)


def test_it_refuses_the_honeypot(client: Client) -> None:
    response = client.post(REPORT, report_data(website="http://spam.example"))
    assert response.status_code == 400
    assert "Không thể tiếp nhận phản ánh này." in _body(response)
    assert not Incident.objects.exists()


def test_it_refuses_a_form_sent_too_fast(client: Client) -> None:
    response = client.post(REPORT, report_data(form_token=issue_form_token()))
    assert "Biểu mẫu được gửi quá nhanh sau khi mở." in _body(response)
    assert "Hacked by X" in _body(response), "the input is kept"
    assert not Incident.objects.exists()


def test_it_refuses_an_expired_or_forged_form(client: Client) -> None:
    old = issue_form_token(now=time.time() - MAX_FORM_AGE - 60)
    assert "Biểu mẫu đã hết hạn." in _body(client.post(REPORT, report_data(form_token=old)))
    forged = "eyJ0IjoxfQ:1abc:forged"
    assert "Biểu mẫu không hợp lệ hoặc đã hết hạn." in _body(client.post(REPORT, report_data(form_token=forged)))
    assert "Biểu mẫu không hợp lệ" in _body(client.post(REPORT, report_data(form_token="")))
    assert not Incident.objects.exists()


def test_it_accepts_a_form_token_once(client: Client) -> None:
    data = report_data()
    assert client.post(REPORT, data).status_code == 302
    replay = client.post(REPORT, data)
    assert "Biểu mẫu này đã được gửi." in _body(replay)
    assert Incident.objects.count() == 1


def test_it_limits_reports_per_address(client: Client, settings: SettingsWrapper) -> None:
    settings.HAIDANG_PORTAL_REPORTS_PER_HOUR = 2
    for _ in range(2):
        assert client.post(REPORT, report_data()).status_code == 302
    response = client.post(REPORT, report_data())
    assert response.status_code == 429
    assert "Bạn đã gửi nhiều phản ánh trong một giờ qua." in _body(response)
    other = Client(REMOTE_ADDR="203.0.113.9")
    assert other.post(REPORT, report_data()).status_code == 302, "another address has its own allowance"
    assert Incident.objects.count() == 3


def test_it_stores_a_checked_screenshot(client: Client) -> None:
    files = [SimpleUploadedFile("anh-chup.png", PNG, "image/png"), SimpleUploadedFile("tin-nhan.pdf", PDF)]
    assert client.post(REPORT, {**report_data(), "attachments": files}).status_code == 302
    stored = Attachment.objects.filter(incident=Incident.objects.get()).order_by("original_name")
    assert [(item.original_name, item.content_type) for item in stored] == [
        ("anh-chup.png", "image/png"),
        ("tin-nhan.pdf", "application/pdf"),
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("trang.png", b"<html><script>alert(1)</script></html>", "không phải ảnh (JPG, PNG, GIF, WEBP) hay PDF"),
        ("anh.png", PDF, "không phải ảnh (JPG, PNG, GIF, WEBP) hay PDF"),
        ("setup.pdf", b"MZ\x90\x00" + b"\x00" * 200, "không phải ảnh (JPG, PNG, GIF, WEBP) hay PDF"),
        ("lon.png", PNG + b"\x00" * MAX_FILE_BYTES, "quá lớn: tối đa 5 MB"),
    ],
)
def test_it_refuses_spoofed_and_oversized_files(client: Client, name: str, content: bytes, message: str) -> None:
    upload = SimpleUploadedFile(name, content, "image/png")
    response = client.post(REPORT, {**report_data(), "attachments": [upload]})
    assert response.status_code == 400
    assert message in _body(response)
    assert "hãy chọn lại tệp trước khi gửi" in _body(response)
    assert not Incident.objects.exists()


def test_it_refuses_too_many_files(client: Client) -> None:
    files = [SimpleUploadedFile(f"a{i}.png", PNG) for i in range(4)]
    response = client.post(REPORT, {**report_data(), "attachments": files})
    assert "Chỉ gửi tối đa 3 tệp." in _body(response)


def test_it_refuses_a_huge_request_before_parsing_it(client: Client) -> None:
    response = client.post(REPORT, report_data(), CONTENT_LENGTH=str(50 * 1024 * 1024))
    assert response.status_code == 413
    assert not Incident.objects.exists()


def test_it_keeps_csrf_protection() -> None:
    response = Client(enforce_csrf_checks=True).post(REPORT, report_data())
    assert response.status_code == 403
    assert not Incident.objects.exists()
