from __future__ import annotations

import time

import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from haidang.apps.audit.models import AuditEvent
from tests.apps.web.conftest import Login
from tests.personas import PASSWORD, World


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_it_sends_an_admin_without_device_to_setup(client: Client, world: World) -> None:
    response = client.post(reverse("web:login"), {"username": world.admin.email, "password": PASSWORD})
    assert response["Location"] == reverse("web:dashboard")
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:two_factor")
    page = client.get(reverse("web:two_factor"))
    body = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in body
    assert "Vai trò của bạn bắt buộc dùng xác thực hai bước" in body
    device = TOTPDevice.objects.get(user=world.admin)
    assert device.confirmed is False
    assert 'data-testid="totp-secret"' in body
    # The navigation is hidden until the second factor is passed.
    assert reverse("web:audit_list") not in body


def test_it_keeps_the_same_secret_when_setup_is_reloaded(client: Client, world: World) -> None:
    client.force_login(world.admin)
    client.get(reverse("web:two_factor"))
    client.get(reverse("web:two_factor"))
    assert TOTPDevice.objects.filter(user=world.admin).count() == 1


def test_it_confirms_the_authenticator_with_a_correct_code(client: Client, world: World) -> None:
    client.force_login(world.admin)
    client.get(reverse("web:two_factor"))
    device = TOTPDevice.objects.get(user=world.admin)
    response = client.post(reverse("web:two_factor"), {"token": _code(device)})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get(reverse("web:dashboard")).status_code == 200
    assert AuditEvent.objects.filter(action="user.2fa_enable", actor=world.admin).exists()


def test_it_rejects_a_wrong_code_and_stays_unverified(client: Client, world: World) -> None:
    client.force_login(world.admin)
    client.get(reverse("web:two_factor"))
    device = TOTPDevice.objects.get(user=world.admin)
    wrong = f"{(int(_code(device)) + 7) % 1000000:06d}"
    response = client.post(reverse("web:two_factor"), {"token": wrong})
    assert "Mã xác thực không đúng" in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert device.throttling_failure_count == 1  # the failure is recorded despite the error
    assert client.get(reverse("web:dashboard")).status_code == 302


def test_it_accepts_the_right_code_after_the_throttle_delay(client: Client, world: World) -> None:
    client.force_login(world.admin)
    client.get(reverse("web:two_factor"))
    device = TOTPDevice.objects.get(user=world.admin)
    wrong = f"{(int(_code(device)) + 7) % 1000000:06d}"
    client.post(reverse("web:two_factor"), {"token": wrong})
    # Within the throttle delay even the right code is refused ...
    assert client.post(reverse("web:two_factor"), {"token": _code(device)}).status_code == 200
    # ... and accepted once the delay (1 s after one failure) has passed.
    with time_machine.travel(time.time() + 3, tick=False):
        response = client.post(reverse("web:two_factor"), {"token": _code(device)})
    assert response.status_code == 302


def test_it_rejects_a_code_that_is_not_six_digits(client: Client, world: World) -> None:
    client.force_login(world.admin)
    response = client.post(reverse("web:two_factor"), {"token": "12ab"})
    assert "Mã xác thực gồm đúng 6 chữ số." in response.content.decode()


def test_it_asks_an_admin_with_a_device_for_the_code(client: Client, world: World) -> None:
    device = TOTPDevice.objects.create(user=world.admin, name="app", confirmed=True)
    client.post(reverse("web:login"), {"username": world.admin.email, "password": PASSWORD})
    page = client.get(reverse("web:two_factor"))
    assert "Xác thực hai bước" in page.content.decode()
    assert '<svg class="segno"' not in page.content.decode()
    response = client.post(reverse("web:two_factor"), {"token": _code(device)})
    assert response.status_code == 302
    assert client.get(reverse("web:audit_list")).status_code == 200


def test_it_lets_an_officer_enable_optional_two_factor(login: Login, world: World) -> None:
    client = login(world.officer_a)
    account = client.get(reverse("web:account")).content.decode()
    assert "Chưa bật" in account
    client.get(reverse("web:two_factor"))
    device = TOTPDevice.objects.get(user=world.officer_a)
    response = client.post(reverse("web:two_factor"), {"token": _code(device)}, follow=True)
    assert "Đã bật xác thực hai bước" in response.content.decode()
    assert "Đang bật" in client.get(reverse("web:account")).content.decode()


def test_it_lets_an_officer_turn_two_factor_off(login: Login, world: World) -> None:
    TOTPDevice.objects.create(user=world.officer_a, name="app", confirmed=True)
    client = login(world.officer_a)
    response = client.post(reverse("web:two_factor_disable"), follow=True)
    assert "Đã tắt xác thực hai bước." in response.content.decode()
    assert not TOTPDevice.objects.filter(user=world.officer_a).exists()
    assert AuditEvent.objects.filter(action="user.2fa_disable").count() == 1


def test_it_refuses_to_turn_off_required_two_factor(login: Login, world: World) -> None:
    client = login(world.admin)
    response = client.post(reverse("web:two_factor_disable"), follow=True)
    assert "bắt buộc dùng xác thực hai bước" in response.content.decode()
    assert TOTPDevice.objects.filter(user=world.admin).exists()


def test_it_sends_an_anonymous_visitor_of_two_factor_to_login(client: Client, db: None) -> None:
    response = client.get(reverse("web:two_factor"))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:login")
