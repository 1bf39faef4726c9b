from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from haidang.apps.web.views.auth import PENDING_KEY
from tests.personas import PASSWORD, World

PAGES = [
    ("web:dashboard", {}),
    ("web:account", {}),
    ("web:unit_list", {}),
    ("web:unit_create", {}),
    ("web:unit_import", {}),
    ("web:audit_list", {}),
]
UNIT_PAGES = ["web:unit_detail", "web:unit_edit", "web:unit_merge", "web:unit_dissolve"]


def _totp_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_it_redirects_anonymous_visitors_to_login(
    client: Client, world: World, name: str, kwargs: dict[str, str]
) -> None:
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('web:login')}?next={url}"


@pytest.mark.parametrize("name", UNIT_PAGES)
def test_it_redirects_anonymous_visitors_from_unit_pages(client: Client, world: World, name: str) -> None:
    response = client.get(reverse(name, args=[world.unit_a.id]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


@pytest.mark.parametrize(
    "url",
    [
        "/units/1/add/website/",
        "/units/1/website/1/delete/",
        "/units/1/systems/1/edit/",
        "/units/export.csv",
        "/units/export.xlsx",
        "/units/import/template.csv",
    ],
)
def test_it_redirects_anonymous_visitors_from_other_pages(client: Client, world: World, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_it_shows_the_login_page_in_vietnamese(client: Client, db: None) -> None:
    response = client.get(reverse("web:login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="vi">' in body
    assert "Đăng nhập" in body
    assert 'name="username"' in body
    assert 'href="#main"' in body  # skip link


def test_it_signs_in_with_email_and_password(client: Client, world: World) -> None:
    response = client.post(reverse("web:login"), {"username": "CanBo@stp.example.vn", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
    assert client.get(reverse("web:dashboard")).context["user"] == world.officer_a


def test_it_follows_a_local_next_but_not_a_foreign_one(client: Client, world: World) -> None:
    data = {"username": world.officer_a.email, "password": PASSWORD}
    response = client.post(f"{reverse('web:login')}?next=/units/", data)
    assert response["Location"] == "/units/"
    client.logout()
    response = client.post(f"{reverse('web:login')}?next=https://evil.example/", data)
    assert response["Location"] == reverse("web:dashboard")


def test_it_explains_a_wrong_password_in_vietnamese(client: Client, world: World) -> None:
    response = client.post(reverse("web:login"), {"username": world.officer_a.email, "password": "sai"})
    assert response.status_code == 200
    assert "Thư điện tử hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_validates_the_login_form(client: Client, db: None) -> None:
    response = client.post(reverse("web:login"), {"username": "khong-phai-email", "password": ""})
    body = response.content.decode()
    assert "Địa chỉ thư điện tử không hợp lệ." in body
    assert "Hãy nhập mật khẩu." in body


def test_it_locks_the_account_after_five_failures(client: Client, world: World) -> None:
    url = reverse("web:login")
    statuses = [
        client.post(url, {"username": world.officer_a.email, "password": f"sai-{n}"}).status_code for n in range(5)
    ]
    assert statuses[:4] == [200, 200, 200, 200]
    assert statuses[4] == 429
    # Even the right password is refused while the lock lasts.
    response = client.post(url, {"username": world.officer_a.email, "password": PASSWORD})
    body = response.content.decode()
    assert response.status_code == 429
    assert "Tài khoản tạm thời bị khoá" in body
    assert "Hãy thử lại sau 15 phút." in body
    assert "_auth_user_id" not in client.session


def test_it_counts_failures_per_account(client: Client, world: World) -> None:
    url = reverse("web:login")
    for n in range(5):
        client.post(url, {"username": world.officer_b.email, "password": f"sai-{n}"})
    response = client.post(url, {"username": world.officer_a.email, "password": PASSWORD})
    assert response.status_code == 302


def test_it_logs_out_only_by_post(client: Client, world: World) -> None:
    client.force_login(world.officer_a)
    assert client.get(reverse("web:logout")).status_code == 405
    response = client.post(reverse("web:logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:login")
    assert "Bạn đã đăng xuất." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_asks_for_a_code_when_the_user_has_an_authenticator(client: Client, world: World) -> None:
    device = TOTPDevice.objects.create(user=world.officer_a, name="app", confirmed=True)
    response = client.post(reverse("web:login"), {"username": world.officer_a.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:two_factor"))
    # Not signed in until the code is given.
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("web:dashboard")).status_code == 302

    page = client.get(response["Location"])
    assert "Nhập mã 6 chữ số" in page.content.decode()
    done = client.post(response["Location"], {"token": _totp_code(device)})
    assert done.status_code == 302
    assert done["Location"] == reverse("web:dashboard")
    assert client.session["_auth_user_id"] == str(world.officer_a.pk)
    assert PENDING_KEY not in client.session
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_it_refuses_a_wrong_code_at_sign_in(client: Client, world: World) -> None:
    device = TOTPDevice.objects.create(user=world.officer_a, name="app", confirmed=True)
    client.post(reverse("web:login"), {"username": world.officer_a.email, "password": PASSWORD})
    wrong = f"{(int(_totp_code(device)) + 1) % 1000000:06d}"
    response = client.post(reverse("web:two_factor"), {"token": wrong})
    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_sends_an_expired_pending_login_back_to_login(client: Client, world: World) -> None:
    TOTPDevice.objects.create(user=world.officer_a, name="app", confirmed=True)
    client.post(reverse("web:login"), {"username": world.officer_a.email, "password": PASSWORD})
    session = client.session
    session[PENDING_KEY] = {**session[PENDING_KEY], "at": 0}
    session.save()
    response = client.get(reverse("web:two_factor"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:login")


def test_it_redirects_a_signed_in_user_away_from_login(client: Client, world: World) -> None:
    client.force_login(world.officer_a)
    response = client.get(reverse("web:login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")


@pytest.mark.parametrize("url", ["/account/tokens/1/revoke/", "/account/2fa/disable/", "/units/1/add/website/"])
def test_it_redirects_anonymous_posts_to_login(client: Client, world: World, url: str) -> None:
    response = client.post(url, {})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))
