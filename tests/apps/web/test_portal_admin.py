from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from haidang.apps.audit.models import AuditEvent
from haidang.apps.portal.models import NoticeSeverity, PublicNotice
from tests.apps.web.conftest import Login
from tests.personas import World

NOTICE = {
    "title": "Cảnh báo tin nhắn mạo danh ngân hàng",
    "summary": "Không bấm vào đường link trong tin nhắn.",
    "body": "Kẻ gian gửi tin nhắn có đường link giả.\n<script>x</script>",
    "severity": NoticeSeverity.WARNING,
    "source_url": "https://canhbao.example.vn/tin-nhan",
}


def _draft(world: World) -> PublicNotice:
    return PublicNotice.objects.create(title="Bản nháp", body="Nội dung", created_by=world.admin)


@pytest.mark.parametrize("persona", ["officer_a", "viewer", "telecom_officer", "provider_officer"])
def test_it_forbids_notices_to_everyone_but_admin_and_duty(login: Login, world: World, persona: str) -> None:
    client = login(getattr(world, persona))
    notice = _draft(world)
    assert client.get(reverse("web:notice_list")).status_code == 403
    assert client.get(reverse("web:notice_create")).status_code == 403
    assert client.post(reverse("web:notice_create"), {**NOTICE, "publish": "on"}).status_code == 403
    assert client.get(reverse("web:notice_edit", args=[notice.id])).status_code == 403
    assert client.post(reverse("web:notice_publish", args=[notice.id]), {"publish": "1"}).status_code == 403
    notice.refresh_from_db()
    assert not notice.is_published
    assert PublicNotice.objects.count() == 1


def test_it_sends_anonymous_visitors_to_sign_in(client: Client, world: World) -> None:
    response = client.get(reverse("web:notice_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


@pytest.mark.parametrize("persona", ["admin", "duty"])
def test_it_lets_admin_and_duty_publish_a_notice(login: Login, world: World, persona: str) -> None:
    client = login(getattr(world, persona))
    assert client.get(reverse("web:notice_list")).status_code == 200
    response = client.post(reverse("web:notice_create"), {**NOTICE, "publish": "on"})
    assert response["Location"] == reverse("web:notice_list")
    notice = PublicNotice.objects.get()
    assert notice.is_published
    assert notice.published_at is not None
    assert notice.created_by == getattr(world, persona)
    assert AuditEvent.objects.filter(action="notice.create", object_id=str(notice.id)).exists()
    assert NOTICE["title"] in Client().get(reverse("portal:notice_list")).content.decode()


def test_it_saves_a_draft_then_publishes_and_withdraws_it(login: Login, world: World) -> None:
    client = login(world.duty)
    client.post(reverse("web:notice_create"), NOTICE)
    notice = PublicNotice.objects.get()
    assert not notice.is_published
    public = Client()
    assert public.get(reverse("portal:notice_detail", args=[notice.id])).status_code == 404
    client.post(reverse("web:notice_publish", args=[notice.id]), {"publish": "1"})
    assert public.get(reverse("portal:notice_detail", args=[notice.id])).status_code == 200
    client.post(reverse("web:notice_publish", args=[notice.id]), {"publish": "0"})
    assert public.get(reverse("portal:notice_detail", args=[notice.id])).status_code == 404
    actions = list(AuditEvent.objects.filter(object_id=str(notice.id)).values_list("action", flat=True))
    assert sorted(actions) == ["notice.create", "notice.publish", "notice.withdraw"]


def test_it_edits_a_notice_and_audits_the_change(login: Login, world: World) -> None:
    client = login(world.admin)
    notice = _draft(world)
    url = reverse("web:notice_edit", args=[notice.id])
    assert client.get(url).context["form"].initial["title"] == "Bản nháp"
    assert client.post(url, {**NOTICE, "title": "Tiêu đề mới"}).status_code == 302
    notice.refresh_from_db()
    assert notice.title == "Tiêu đề mới"
    event = AuditEvent.objects.get(action="notice.update")
    assert event.changes["title"] == ["Bản nháp", "Tiêu đề mới"]


def test_it_explains_notice_errors_in_vietnamese(login: Login, world: World) -> None:
    data = {**NOTICE, "title": "", "source_url": "javascript:alert(1)"}
    body = login(world.admin).post(reverse("web:notice_create"), data).content.decode()
    assert "Trường này là bắt buộc." in body
    assert "Địa chỉ phải bắt đầu bằng http:// hoặc https://." in body
    assert "Kẻ gian gửi tin nhắn có đường link giả." in body, "the input is kept"
    assert not PublicNotice.objects.exists()


def test_it_answers_404_for_an_unknown_notice(login: Login, world: World) -> None:
    assert login(world.admin).get(reverse("web:notice_edit", args=[999])).status_code == 404
