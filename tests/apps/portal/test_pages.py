from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from haidang.apps.duty.selectors import PublicDutyContact
from haidang.apps.portal import views
from haidang.apps.portal.abuse import client_ip
from haidang.apps.portal.models import PublicNotice
from tests.personas import World

PAGES = ["portal:home", "portal:report", "portal:status", "portal:notice_list"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAGES)
def test_it_serves_every_page_with_a_strict_policy(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    assert "script-src" not in policy, "no scripts at all: default-src 'none' forbids them"
    assert "frame-ancestors 'none'" in policy
    assert response["Referrer-Policy"] == "same-origin"
    assert '<html lang="vi">' in response.content.decode()


@pytest.mark.django_db
def test_it_shows_the_hotline_and_the_duty_officer(
    client: Client, settings: SettingsWrapper, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.HAIDANG_HOTLINE = "0225 3888 999"
    until = timezone.now() + timedelta(hours=3)
    contact = PublicDutyContact(name="Phạm Trực Ban", phone="0987654321", until=until)
    monkeypatch.setattr(views, "department_contact_now", lambda: contact)
    body = client.get(reverse("portal:home")).content.decode()
    assert 'href="tel:0225 3888 999"' in body
    assert "Phạm Trực Ban" in body
    assert 'href="tel:0987654321"' in body
    assert "Trực đến" in body


@pytest.mark.django_db
def test_it_shows_the_home_page_without_duty_or_hotline(client: Client, settings: SettingsWrapper) -> None:
    settings.HAIDANG_HOTLINE = ""
    body = client.get(reverse("portal:home")).content.decode()
    assert "Cán bộ trực của Sở lúc này" not in body
    assert "Vui lòng gửi phản ánh bằng biểu mẫu trên trang này." in body


def test_it_hides_the_staff_interface_from_signed_in_staff(client: Client, world: World) -> None:
    client.force_login(world.duty)
    body = client.get(reverse("portal:home")).content.decode()
    assert world.duty.email not in body
    assert "Đăng xuất" not in body


def _notice(*, published: bool, **fields: object) -> PublicNotice:
    values: dict[str, object] = {"title": "Cảnh báo", "body": "Nội dung", "is_published": published}
    values.update(fields)
    if published:
        values.setdefault("published_at", timezone.now())
    return PublicNotice.objects.create(**values)


@pytest.mark.django_db
def test_it_lists_only_published_notices(client: Client) -> None:
    shown = _notice(published=True, title="Cảnh báo tin nhắn giả mạo ngân hàng")
    draft = _notice(published=False, title="Bản nháp chưa duyệt")
    body = client.get(reverse("portal:notice_list")).content.decode()
    assert shown.title in body
    assert draft.title not in body
    assert shown.title in client.get(reverse("portal:home")).content.decode()
    assert client.get(reverse("portal:notice_detail", args=[shown.id])).status_code == 200
    assert client.get(reverse("portal:notice_detail", args=[draft.id])).status_code == 404


@pytest.mark.django_db
def test_it_shows_a_notice_body_as_text(client: Client) -> None:
    notice = _notice(
        published=True,
        body='Dòng một\n<script>alert("x")</script>\n\nĐoạn hai',
        source_url="https://ais.gov.vn/canh-bao",
    )
    body = client.get(reverse("portal:notice_detail", args=[notice.id])).content.decode()
    assert "<script>alert" not in body
    assert "Dòng một<br>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</p>" in body
    assert "<p>Đoạn hai</p>" in body
    assert 'href="https://ais.gov.vn/canh-bao" rel="noopener noreferrer nofollow"' in body


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "expected"),
    [
        ("198.51.100.7", "1.2.3.4", [], "198.51.100.7"),
        ("10.0.0.2", "1.2.3.4, 203.0.113.5", ["10.0.0.2"], "203.0.113.5"),
        ("10.0.0.2", "203.0.113.5, 10.0.0.3", ["10.0.0.2", "10.0.0.3"], "203.0.113.5"),
        ("10.0.0.2", "garbage", ["10.0.0.2"], "10.0.0.2"),
        ("not-an-ip", "", [], ""),
    ],
)
def test_it_trusts_forwarded_addresses_only_from_proxies(
    settings: SettingsWrapper, remote: str, forwarded: str, trusted: list[str], expected: str
) -> None:
    settings.HAIDANG_PORTAL_TRUSTED_PROXIES = trusted
    request = RequestFactory().get("/portal/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
