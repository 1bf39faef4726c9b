"""Real delivery to local receivers: SMTP sink, webhook, Zalo and Telegram bot APIs on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from haidang.apps.accounts.models import User
from haidang.apps.notify.delivery import DeliveryError, check_destination
from haidang.apps.notify.models import Channel, DeliveryAttempt, Notification
from haidang.apps.notify.services import channel_create, channel_set_enabled, channel_test, notify_users
from tests.apps.notify.receivers import HttpReceiver, SmtpSink
from tests.personas import World

Commit = Callable[..., AbstractContextManager[Any]]
TOKEN = "123456789:AAH-secret-token_part"

pytestmark = pytest.mark.usefixtures("allow_private")


def _channel(user: User, kind: str, address: str, secret: str = "") -> Channel:
    return channel_create(acting_user=user, user=user, kind=kind, address=address, secret=secret)


def _notify(commit: Commit, users: list[User], **kwargs: Any) -> list[Notification]:
    with commit(execute=True):
        return notify_users(users, title=kwargs.pop("title", "Trang web bị thay đổi"), body="Chi tiết", **kwargs)


def test_it_delivers_an_email_to_the_smtp_sink(
    world: World, smtp_sink: SmtpSink, django_capture_on_commit_callbacks: Commit
) -> None:
    _channel(world.duty, "email", "truc.ban@so.example.vn")

    [notification] = _notify(django_capture_on_commit_callbacks, [world.duty], link="/incidents/7/", severity="high")

    assert smtp_sink.recipients == [["truc.ban@so.example.vn"]]
    message = smtp_sink.messages[0]
    assert message["Subject"] == "[Cao] Trang web bị thay đổi"
    assert message["From"] == "haidang@so.example.vn"
    body = smtp_sink.bodies()[0]
    assert "Chi tiết" in body
    assert "http://127.0.0.1:8000/incidents/7/" in body
    attempt = DeliveryAttempt.objects.get()
    assert (attempt.ok, attempt.kind, attempt.recipient, attempt.notification) == (
        True,
        "email",
        world.duty,
        notification,
    )
    channel = Channel.objects.get()
    assert channel.last_ok is True
    assert channel.last_attempt_at is not None


def test_it_creates_the_in_app_notification_even_without_channels(
    world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    [notification] = _notify(django_capture_on_commit_callbacks, [world.officer_a, world.officer_a])

    assert notification.user == world.officer_a
    assert notification.read_at is None
    assert not DeliveryAttempt.objects.exists()


def test_it_posts_json_to_a_webhook_keeping_its_query(
    world: World, receiver: HttpReceiver, django_capture_on_commit_callbacks: Commit
) -> None:
    _channel(world.officer_a, "webhook", f"{receiver.url}/hooks/haidang?key=abc%2F1")

    _notify(django_capture_on_commit_callbacks, [world.officer_a], severity="critical")

    [request] = receiver.requests
    assert request.path == "/hooks/haidang?key=abc%2F1"
    assert request.body["title"] == "[Nghiêm trọng] Trang web bị thay đổi"
    assert request.body["message"] == "Chi tiết"
    assert DeliveryAttempt.objects.get().ok


def test_it_sends_to_a_zalo_bot_through_the_configured_api(
    world: World, receiver: HttpReceiver, settings: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    settings.HAIDANG_ZALO_API_BASE = receiver.url
    _channel(world.officer_a, "zalo", "chat.8842", TOKEN)

    _notify(django_capture_on_commit_callbacks, [world.officer_a])

    [request] = receiver.requests
    assert request.path == f"/bot{TOKEN}/sendMessage"
    assert request.body["chat_id"] == "chat.8842"
    assert "Trang web bị thay đổi" in request.body["text"]
    attempt = DeliveryAttempt.objects.get()
    assert attempt.ok
    assert TOKEN not in attempt.target
    assert attempt.target == "chat.8842 (bot 123456789:••••)"


def test_it_sends_to_a_telegram_bot_through_the_configured_api(
    world: World, receiver: HttpReceiver, settings: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    settings.HAIDANG_TELEGRAM_API_BASE = receiver.url
    _channel(world.officer_a, "telegram", "-100200300", TOKEN)

    _notify(django_capture_on_commit_callbacks, [world.officer_a], title="<b>Sự cố</b> & lỗi")

    [request] = receiver.requests
    assert request.path == f"/bot{TOKEN}/sendMessage"
    assert request.body["chat_id"] == -100200300
    assert request.body["parse_mode"] == "HTML"
    assert request.body["text"].startswith("[Thông tin] &lt;b&gt;Sự cố&lt;/b&gt; &amp; lỗi")


def test_it_logs_a_failing_channel_and_still_delivers_the_others(
    world: World,
    smtp_sink: SmtpSink,
    receiver: HttpReceiver,
    closed_port: int,
    django_capture_on_commit_callbacks: Commit,
) -> None:
    broken = _channel(world.duty, "webhook", f"http://127.0.0.1:{closed_port}/hook")
    _channel(world.duty, "email", "truc.ban@so.example.vn")
    _channel(world.duty, "webhook", f"{receiver.url}/ok")

    _notify(django_capture_on_commit_callbacks, [world.duty])

    assert len(smtp_sink.messages) == 1
    assert len(receiver.requests) == 1
    failed = DeliveryAttempt.objects.get(ok=False)
    assert failed.channel == broken
    assert "Máy nhận không chấp nhận hoặc không kết nối được." in failed.detail
    assert DeliveryAttempt.objects.filter(ok=True).count() == 2
    broken.refresh_from_db()
    assert broken.last_ok is False
    assert broken.last_detail == failed.detail


def test_it_logs_a_receiver_that_answers_with_an_error(
    world: World, receiver: HttpReceiver, django_capture_on_commit_callbacks: Commit
) -> None:
    receiver.status = 500
    _channel(world.duty, "webhook", f"{receiver.url}/hook")

    _notify(django_capture_on_commit_callbacks, [world.duty])

    attempt = DeliveryAttempt.objects.get()
    assert not attempt.ok
    assert "500" in attempt.detail


def test_it_keeps_the_bot_token_out_of_the_log(
    world: World, closed_port: int, settings: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    settings.HAIDANG_TELEGRAM_API_BASE = f"http://127.0.0.1:{closed_port}"
    _channel(world.duty, "telegram", "987654", TOKEN)

    _notify(django_capture_on_commit_callbacks, [world.duty])

    attempt = DeliveryAttempt.objects.get()
    assert not attempt.ok
    assert "AAH-secret" not in attempt.detail
    assert "AAH-secret" not in attempt.target


def test_it_refuses_a_loopback_webhook_unless_private_targets_are_allowed(
    world: World, receiver: HttpReceiver, settings: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    _channel(world.duty, "webhook", f"{receiver.url}/hook")  # created while allowed
    settings.HAIDANG_ALLOW_PRIVATE_TARGETS = False

    _notify(django_capture_on_commit_callbacks, [world.duty])

    assert receiver.requests == []
    attempt = DeliveryAttempt.objects.get()
    assert not attempt.ok
    assert "127.0.0.1 bị chặn" in attempt.detail


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        "http://0.0.0.0/",
        "http://0x7f000001/",
    ],
)
def test_it_refuses_metadata_and_unroutable_addresses_even_when_private_is_allowed(url: str, settings: Any) -> None:
    if "0x7f" in url:
        settings.HAIDANG_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(DeliveryError, match="bị chặn"):
        check_destination(url)


def test_it_refuses_a_name_that_resolves_to_loopback(settings: Any) -> None:
    settings.HAIDANG_ALLOW_PRIVATE_TARGETS = False
    with pytest.raises(DeliveryError, match=r"127\.0\.0\.1 bị chặn"):
        check_destination("http://localhost:8080/hook")


def test_it_reports_e_mail_as_not_configured(
    world: World, settings: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    settings.HAIDANG_SMTP_HOST = ""
    _channel(world.duty, "email", "truc.ban@so.example.vn")

    _notify(django_capture_on_commit_callbacks, [world.duty])

    attempt = DeliveryAttempt.objects.get()
    assert not attempt.ok
    assert "HAIDANG_SMTP_HOST" in attempt.detail


def test_it_skips_disabled_channels_and_inactive_people(
    world: World, receiver: HttpReceiver, django_capture_on_commit_callbacks: Commit
) -> None:
    channel = _channel(world.duty, "webhook", f"{receiver.url}/hook")
    channel_set_enabled(acting_user=world.duty, channel=channel, enabled=False)
    _channel(world.officer_b, "webhook", f"{receiver.url}/b")
    world.officer_b.is_active = False
    world.officer_b.save()

    created = _notify(django_capture_on_commit_callbacks, [world.duty, world.officer_b])

    assert [n.user for n in created] == [world.duty]
    assert receiver.requests == []
    assert not DeliveryAttempt.objects.exists()


def test_it_sends_a_test_message_even_on_a_disabled_channel(
    world: World, receiver: HttpReceiver, django_capture_on_commit_callbacks: Commit
) -> None:
    channel = _channel(world.duty, "webhook", f"{receiver.url}/hook")
    channel_set_enabled(acting_user=world.duty, channel=channel, enabled=False)

    with django_capture_on_commit_callbacks(execute=True):
        channel_test(acting_user=world.duty, channel=channel)

    assert receiver.requests[0].body["title"] == "Tin thử từ Hải Đăng"
    assert DeliveryAttempt.objects.get().ok


def test_it_delivers_a_notification_that_has_only_a_title(
    world: World, receiver: HttpReceiver, django_capture_on_commit_callbacks: Commit
) -> None:
    _channel(world.duty, "webhook", f"{receiver.url}/hook")

    with django_capture_on_commit_callbacks(execute=True):
        notify_users([world.duty], title="Chỉ có tiêu đề", body="")

    assert receiver.requests[0].body["message"] == "Chỉ có tiêu đề"
    assert DeliveryAttempt.objects.get().ok


def test_it_signs_in_to_the_smtp_server_when_credentials_are_set(world: World, settings: Any) -> None:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    from haidang.apps.notify.delivery import Message, send
    from tests.apps.notify.receivers import free_port

    sessions: list[bool] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
            sessions.append(session.authenticated)
            return "250 OK"

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        return AuthResult(success=(data.login, data.password) == (b"hai dang", b"p@ss:/?"))

    port = free_port()
    controller = Controller(
        Handler(), hostname="127.0.0.1", port=port, authenticator=authenticate, auth_require_tls=False
    )
    controller.start()
    try:
        settings.HAIDANG_SMTP_HOST, settings.HAIDANG_SMTP_PORT, settings.HAIDANG_SMTP_TLS = "127.0.0.1", port, "none"
        settings.HAIDANG_SMTP_USER, settings.HAIDANG_SMTP_PASSWORD = "hai dang", "p@ss:/?"
        outcome = send("email", "truc@so.example.vn", "", Message(title="Thử", body="Nội dung"))
    finally:
        controller.stop()

    assert outcome.ok, outcome.detail
    assert sessions == [True]
