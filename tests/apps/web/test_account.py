from __future__ import annotations

from django.urls import reverse

from haidang.apps.accounts.models import ApiToken
from haidang.apps.accounts.services import token_authenticate, token_create
from tests.apps.web.conftest import Login
from tests.personas import World


def test_it_shows_the_account_page(login: Login, world: World) -> None:
    body = login(world.officer_a).get(reverse("web:account")).content.decode()
    assert world.officer_a.email in body
    assert "Cán bộ an toàn thông tin của đơn vị" in body
    assert "Chưa có mã truy cập nào." in body


def test_it_creates_a_token_and_shows_it_once(login: Login, world: World) -> None:
    client = login(world.officer_a)
    response = client.post(reverse("web:account"), {"name": "giám sát"})
    token = response.context["issued"].token
    assert token.startswith("hd_")
    assert token in response.content.decode()
    assert token_authenticate(token) == world.officer_a
    again = client.get(reverse("web:account")).content.decode()
    assert token not in again
    assert "giám sát" in again
    assert token[:10] in again


def test_it_lets_a_read_only_viewer_manage_their_own_tokens(login: Login, world: World) -> None:
    response = login(world.viewer).post(reverse("web:account"), {"name": "báo cáo"})
    assert response.status_code == 200
    assert ApiToken.objects.filter(user=world.viewer).count() == 1


def test_it_revokes_a_token(login: Login, world: World) -> None:
    issued = token_create(acting_user=world.officer_a, user=world.officer_a)
    client = login(world.officer_a)
    response = client.post(reverse("web:token_revoke", args=[issued.record.id]), follow=True)
    assert "Đã thu hồi mã truy cập" in response.content.decode()
    assert token_authenticate(issued.token) is None


def test_it_does_not_reveal_another_persons_token(login: Login, world: World) -> None:
    issued = token_create(acting_user=world.officer_b, user=world.officer_b)
    response = login(world.officer_a).post(reverse("web:token_revoke", args=[issued.record.id]))
    assert response.status_code == 404
    assert token_authenticate(issued.token) == world.officer_b


def test_it_revokes_only_by_post(login: Login, world: World) -> None:
    issued = token_create(acting_user=world.officer_a, user=world.officer_a)
    response = login(world.officer_a).get(reverse("web:token_revoke", args=[issued.record.id]))
    assert response.status_code == 405
