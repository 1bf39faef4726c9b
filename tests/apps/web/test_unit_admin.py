from __future__ import annotations

import pytest
from django.urls import reverse

from haidang.apps.accounts.models import User
from haidang.apps.audit.models import AuditEvent
from haidang.apps.registry.models import Unit, UnitStatus, Website
from tests.apps.web.conftest import Login
from tests.personas import World


@pytest.mark.parametrize("name", ["web:unit_edit", "web:unit_merge", "web:unit_dissolve"])
@pytest.mark.parametrize("persona", ["officer_a", "duty", "viewer", "provider_officer"])
def test_it_forbids_unit_changes_to_non_admins(login: Login, world: World, name: str, persona: str) -> None:
    client = login(getattr(world, persona))
    url = reverse(name, args=[world.unit_a.id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"successor": world.unit_b.id, "confirm": "1", "name": "X"}).status_code == 403
    world.unit_a.refresh_from_db()
    assert (world.unit_a.status, world.unit_a.name) == (UnitStatus.ACTIVE, "Sở Tư pháp")


def test_it_forbids_creating_units_to_officers(login: Login, world: World) -> None:
    response = login(world.officer_a).post(reverse("web:unit_create"), {"name": "Mới", "group": world.group.id})
    assert response.status_code == 403
    assert not Unit.objects.filter(name="Mới").exists()


def test_it_creates_a_unit(login: Login, world: World) -> None:
    data = {"name": "Sở Xây dựng", "group": world.group.id, "number": "3", "contact_email": "vp@sxd.example.vn"}
    response = login(world.admin).post(reverse("web:unit_create"), data)
    unit = Unit.objects.get(name="Sở Xây dựng")
    assert response["Location"] == reverse("web:unit_detail", args=[unit.id])
    assert unit.short_code == "so-xay-dung"
    assert AuditEvent.objects.filter(action="unit.create", unit_id=unit.id).exists()


def test_it_explains_unit_form_errors_in_vietnamese(login: Login, world: World) -> None:
    data = {"name": "", "group": world.group.id, "contact_email": "sai", "number": "-1"}
    body = login(world.admin).post(reverse("web:unit_create"), data).content.decode()
    assert "Trường này là bắt buộc." in body
    assert "Địa chỉ thư điện tử không hợp lệ." in body
    assert "Đảm bảo giá trị này lớn hơn hoặc bằng" in body
    assert Unit.objects.count() == 2


def test_it_edits_a_unit_and_keeps_the_rename_in_history(login: Login, world: World) -> None:
    client = login(world.admin)
    url = reverse("web:unit_edit", args=[world.unit_a.id])
    assert client.get(url).context["form"].initial["name"] == "Sở Tư pháp"
    data = {"name": "Sở Tư pháp thành phố", "group": world.group.id, "short_code": "so-tu-phap", "number": "1"}
    assert client.post(url, data).status_code == 302
    world.unit_a.refresh_from_db()
    assert world.unit_a.name == "Sở Tư pháp thành phố"
    body = client.get(reverse("web:unit_detail", args=[world.unit_a.id])).content.decode()
    assert "Đổi tên" in body
    assert "Sở Tư pháp → Sở Tư pháp thành phố" in body


def test_it_refuses_a_taken_short_code(login: Login, world: World) -> None:
    data = {"name": "Sở Tư pháp", "group": world.group.id, "short_code": "so-y-te"}
    response = login(world.admin).post(reverse("web:unit_edit", args=[world.unit_a.id]), data)
    assert response.status_code == 200
    assert "đã tồn tại" in response.content.decode()
    world.unit_a.refresh_from_db()
    assert world.unit_a.short_code == "so-tu-phap"


def test_it_merges_after_a_confirmation_page(login: Login, world: World) -> None:
    client = login(world.admin)
    url = reverse("web:unit_merge", args=[world.unit_b.id])
    choose = client.get(url)
    assert "Sở Tư pháp" in choose.content.decode()
    confirm = client.post(url, {"successor": world.unit_a.id, "note": "QĐ số 5"})
    body = confirm.content.decode()
    assert "Xác nhận sáp nhập" in body
    assert dict(confirm.context["rows"])["Hệ thống thông tin"] == 1
    assert 'name="confirm" value="1"' in body
    world.unit_b.refresh_from_db()
    assert world.unit_b.status == UnitStatus.ACTIVE  # nothing happens before confirmation

    done = client.post(url, {"successor": world.unit_a.id, "note": "QĐ số 5", "confirm": "1"})
    assert done["Location"] == reverse("web:unit_detail", args=[world.unit_a.id])
    world.unit_b.refresh_from_db()
    assert (world.unit_b.status, world.unit_b.successor) == (UnitStatus.MERGED, world.unit_a)
    assert Website.objects.get(id=world.website_b.id).unit == world.unit_a
    assert User.objects.get(id=world.officer_b.id).unit == world.unit_a


def test_it_requires_a_successor(login: Login, world: World) -> None:
    body = login(world.admin).post(reverse("web:unit_merge", args=[world.unit_b.id]), {}).content.decode()
    assert "Hãy chọn đơn vị tiếp nhận." in body


def test_it_does_not_offer_the_unit_itself_as_successor(login: Login, world: World) -> None:
    url = reverse("web:unit_merge", args=[world.unit_b.id])
    response = login(world.admin).post(url, {"successor": world.unit_b.id, "confirm": "1"})
    assert "Đơn vị không hợp lệ." in response.content.decode()


def test_it_refuses_to_merge_an_inactive_unit(login: Login, world: World) -> None:
    Unit.objects.filter(id=world.unit_b.id).update(status="dissolved")
    response = login(world.admin).get(reverse("web:unit_merge", args=[world.unit_b.id]), follow=True)
    assert "Đơn vị đã sáp nhập hoặc giải thể." in response.content.decode()


def test_it_explains_why_a_unit_with_officers_cannot_be_dissolved(login: Login, world: World) -> None:
    response = login(world.admin).post(reverse("web:unit_dissolve", args=[world.unit_a.id]), {"note": ""})
    assert "Hãy chuyển hoặc khoá tài khoản của cán bộ đơn vị trước khi giải thể." in response.content.decode()
    world.unit_a.refresh_from_db()
    assert world.unit_a.status == UnitStatus.ACTIVE


def test_it_dissolves_a_unit(login: Login, world: World) -> None:
    User.objects.filter(unit=world.unit_a).update(is_active=False)
    client = login(world.admin)
    url = reverse("web:unit_dissolve", args=[world.unit_a.id])
    assert "Giải thể đơn vị" in client.get(url).content.decode()
    response = client.post(url, {"note": "QĐ 99"}, follow=True)
    assert "Đã ghi nhận giải thể" in response.content.decode()
    world.unit_a.refresh_from_db()
    assert world.unit_a.status == UnitStatus.DISSOLVED
