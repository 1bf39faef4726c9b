"""The duty pages: the board, periods, a roster with its shifts; who may see and change what."""

from __future__ import annotations

import pytest
import time_machine
from django.template.loader import render_to_string
from django.urls import reverse
from icalendar import Calendar

from haidang.apps.audit.models import AuditEvent
from haidang.apps.duty.models import DutyPeriod, HandoverNote, Roster, RosterStatus, Shift
from haidang.apps.web.views.duty import duty_now_summary
from tests.apps.duty.conftest import END, NOW, START, Duty, add_shift, build_duty, build_period, vn
from tests.apps.duty.test_selectors import EDITS, SEES
from tests.apps.web.conftest import Login
from tests.personas import World

PERSONAS = tuple(SEES)


@pytest.fixture
def period(world: World) -> DutyPeriod:
    return build_period(world)


@pytest.fixture
def duty(world: World, period: DutyPeriod) -> Duty:
    return build_duty(world, period)


def _roster_url(duty: Duty, side: str, name: str = "web:roster_detail") -> str:
    return reverse(name, args=[duty.roster(side).id])


# --- the board ---------------------------------------------------------------------------------


@time_machine.travel(NOW, tick=False)
def test_it_shows_everyone_on_duty_to_the_duty_officer(login: Login, world: World, duty: Duty) -> None:
    Roster.objects.filter(id=duty.roster_b.id).update(status=RosterStatus.DRAFT)
    body = login(world.duty).get(reverse("web:duty_board")).content.decode()
    assert "Trực ngay bây giờ" in body
    assert "Trần Trực Sở" in body
    assert "Lê Văn A" in body
    assert "Kỹ sư NOC" in body
    assert 'href="tel:0987654321"' in body
    assert "Không có ai trực (1)" in body
    assert "Lịch chưa nộp" in body
    assert "Phạm Thị B" not in body


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_on_the_board_only_what_the_persona_may_see(
    login: Login, world: World, duty: Duty, persona: str
) -> None:
    body = login(getattr(world, persona)).get(reverse("web:duty_board")).content.decode()
    names = {"a": "Lê Văn A", "b": "Phạm Thị B", "telecom": "Kỹ sư NOC"}
    for side, name in names.items():
        assert (name in body) == (side in SEES[persona]), (side, persona)
    # The department's primary contact is public (the portal shows it too), so every account sees it.
    assert "Trần Trực Sở" in body


def test_it_says_when_no_period_is_running(login: Login, world: World) -> None:
    body = login(world.officer_a).get(reverse("web:duty_board")).content.decode()
    assert "Hiện không có đợt trực nào đang diễn ra" in body


@time_machine.travel(NOW, tick=False)
def test_it_offers_an_on_duty_block_for_the_dashboard(world: World, duty: Duty) -> None:
    duty.shift_b.delete()
    summary = duty_now_summary(world.admin)
    assert [row.name for row in summary.nobody] == ["Sở Y tế"]
    html = render_to_string("web/duty/includes/on_duty_now.html", {"duty_now": summary})
    assert "Trực ngay bây giờ" in html
    assert "Trần Trực Sở" in html
    assert "0987654321" in html
    assert "1 nơi hiện không có ai trực." in html


# --- periods -----------------------------------------------------------------------------------


def test_it_lets_the_admin_announce_a_period(login: Login, world: World) -> None:
    client = login(world.admin)
    assert "Thông báo đợt trực" in client.get(reverse("web:period_create")).content.decode()
    data = {
        "name": "Nghỉ lễ Quốc khánh 2/9/2026",
        "starts_at": "2026-08-31T07:30",
        "ends_at": "03/09/2026 07:30",
        "groups": [world.group.id],
        "telecoms_required": "on",
    }
    response = client.post(reverse("web:period_create"), data)
    period = DutyPeriod.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("web:period_detail", args=[period.id])
    assert (period.starts_at, period.ends_at, period.telecoms_required) == (START, END, True)
    assert AuditEvent.objects.filter(action="duty_period.announce", actor=world.admin).exists()
    page = client.get(response["Location"]).content.decode()
    assert "Đã thông báo đợt trực" in page
    assert "Sở Tư pháp" in page
    assert "Viễn thông Thành phố" in page
    assert "0/3" in page


def test_it_keeps_what_was_typed_when_the_period_is_wrong(login: Login, world: World) -> None:
    data = {"name": "Tết", "starts_at": "2026-08-31T07:30", "ends_at": "30/08/2026 7h"}
    response = login(world.duty).post(reverse("web:period_create"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Ngày giờ không hợp lệ; nhập theo dạng 31/08/2026 07:30." in body
    assert 'value="Tết"' in body
    assert 'value="2026-08-31T07:30"' in body
    data["ends_at"] = "2026-08-30T07:30"
    assert (
        "Thời điểm kết thúc phải sau thời điểm bắt đầu."
        in login(world.duty).post(reverse("web:period_create"), data).content.decode()
    )
    assert not DutyPeriod.objects.exists()


@pytest.mark.parametrize("persona", ["officer_a", "viewer", "provider_officer", "telecom_officer"])
def test_it_lets_only_the_department_announce(login: Login, world: World, period: DutyPeriod, persona: str) -> None:
    client = login(getattr(world, persona))
    assert client.get(reverse("web:period_create")).status_code == 403
    assert client.post(reverse("web:period_edit", args=[period.id]), {"name": "X"}).status_code == 403
    assert DutyPeriod.objects.get().name == period.name


def test_it_edits_a_period(login: Login, world: World, period: DutyPeriod) -> None:
    client = login(world.duty)
    form = client.get(reverse("web:period_edit", args=[period.id])).content.decode()
    assert 'value="2026-08-31T07:30"' in form
    data = {"name": "Quốc khánh", "starts_at": "2026-08-31T07:30", "ends_at": "2026-09-03T07:30"}
    assert client.post(reverse("web:period_edit", args=[period.id]), data).status_code == 302
    period.refresh_from_db()
    assert (period.name, list(period.groups.all()), period.telecoms_required) == ("Quốc khánh", [], False)


def test_it_lists_periods_for_everyone(login: Login, world: World, period: DutyPeriod) -> None:
    body = login(world.telecom_officer).get(reverse("web:period_list")).content.decode()
    assert period.name in body
    assert "Thông báo đợt trực" not in body


def test_it_shows_a_unit_officer_only_their_units_row(login: Login, world: World, period: DutyPeriod) -> None:
    body = login(world.officer_a).get(reverse("web:period_detail", args=[period.id])).content.decode()
    assert "Sở Tư pháp" in body
    assert "Sở Y tế" not in body
    assert "Viễn thông Thành phố" not in body
    assert "Lập lịch trực" in body
    assert "0/1" in body


def test_it_flags_missing_rosters_and_gaps_on_the_period_page(login: Login, world: World, duty: Duty) -> None:
    Roster.objects.filter(id=duty.roster_telecom.id).delete()
    duty.shift_b.ends_at = vn(2, 9, 7, 30)
    duty.shift_b.save()
    body = login(world.viewer).get(reverse("web:period_detail", args=[duty.period.id])).content.decode()
    assert "2/3" in body
    assert "Chưa lập lịch" in body
    assert "1 khoảng không ai trực" in body
    assert "Lập lịch trực" not in body  # read-only


# --- starting and reading a roster -------------------------------------------------------------


def test_it_starts_the_units_roster_once(login: Login, world: World, period: DutyPeriod) -> None:
    client = login(world.officer_a)
    url = reverse("web:roster_start", args=[period.id])
    first = client.post(url, {"unit": world.unit_a.id})
    roster = Roster.objects.get(unit=world.unit_a)
    assert first["Location"] == reverse("web:roster_detail", args=[roster.id])
    assert client.post(url, {"unit": world.unit_a.id})["Location"] == first["Location"]
    assert Roster.objects.count() == 1


def test_it_refuses_to_start_a_roster_for_someone_else(login: Login, world: World, period: DutyPeriod) -> None:
    url = reverse("web:roster_start", args=[period.id])
    assert login(world.officer_a).post(url, {"unit": world.unit_b.id}).status_code == 404
    assert login(world.officer_a).post(url, {}).status_code == 403
    assert login(world.provider_officer).post(url, {"unit": world.unit_a.id}).status_code == 403
    assert login(world.viewer).post(url, {"unit": world.unit_a.id}).status_code == 403
    assert login(world.telecom_officer).post(url, {"organization": world.telecom.id}).status_code == 302
    assert list(Roster.objects.values_list("organization", flat=True)) == [world.telecom.id]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("side", ["dept", "a", "b", "telecom"])
def test_it_shows_a_roster_only_to_who_may_see_it(
    login: Login, world: World, duty: Duty, persona: str, side: str
) -> None:
    client = login(getattr(world, persona))
    response = client.get(_roster_url(duty, side))
    calendar = client.get(_roster_url(duty, side, "web:roster_ical"))
    if side in SEES[persona]:
        assert response.status_code == 200
        assert calendar.status_code == 200
        body = response.content.decode()
        assert duty.roster(side).shifts.get().person_name in body
        assert ("Thêm ca trực" in body) == (side in EDITS[persona])
    else:
        assert response.status_code == 404
        assert calendar.status_code == 404


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("side", ["a", "b"])
def test_it_lets_only_the_roster_keeper_add_shifts(
    login: Login, world: World, duty: Duty, persona: str, side: str
) -> None:
    response = login(getattr(world, persona)).get(_roster_url(duty, side, "web:shift_add"))
    expected = 200 if side in EDITS[persona] else 403 if side in SEES[persona] else 404
    assert response.status_code == expected


def test_it_highlights_gaps_in_the_roster(login: Login, world: World, duty: Duty) -> None:
    duty.shift_a.ends_at = vn(1, 9, 7, 30)
    duty.shift_a.save()
    add_shift(duty.roster_a, vn(1, 9, 19, 30), END, person_name="Dự phòng", role="backup")
    body = login(world.officer_a).get(_roster_url(duty, "a")).content.decode()
    assert "Có 1 khoảng thời gian trong đợt trực không có ai trực." in body
    assert 'class="row-gap"' in body
    assert "Không có ai trực" in body
    assert 'class="row-gap-soft"' in body
    assert "Chỉ có trực dự phòng" in body


# --- changing a roster -------------------------------------------------------------------------


def _shift_data(**extra: str) -> dict[str, str]:
    data = {
        "starts_at": "2026-09-01T07:30",
        "ends_at": "2026-09-01T19:30",
        "role": "backup",
        "person_name": "Hoàng Văn Dự",
        "phone": "0912 345 678",
        "messaging_handle": "Zalo 0912345678",
    }
    data.update(extra)
    return data


def test_it_adds_a_shift(login: Login, world: World, duty: Duty) -> None:
    client = login(world.officer_a)
    response = client.post(_roster_url(duty, "a", "web:shift_add"), _shift_data())
    assert response.status_code == 302
    shift = Shift.objects.get(person_name="Hoàng Văn Dự")
    assert (shift.phone, shift.role, shift.starts_at) == ("0912345678", "backup", vn(1, 9, 7, 30))
    assert "Đã thêm ca trực của Hoàng Văn Dự." in client.get(response["Location"]).content.decode()


def test_it_keeps_the_shift_form_filled_when_input_is_wrong(login: Login, world: World, duty: Duty) -> None:
    response = login(world.officer_a).post(_roster_url(duty, "a", "web:shift_add"), _shift_data(phone="123"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Số điện thoại không hợp lệ" in body
    assert 'value="Hoàng Văn Dự"' in body
    assert 'value="123"' in body
    empty = login(world.officer_a).post(_roster_url(duty, "a", "web:shift_add"), _shift_data(person_name="", phone=""))
    assert "Hãy nhập tên người trực hoặc chọn tài khoản." in empty.content.decode()
    outside = login(world.officer_a).post(
        _roster_url(duty, "a", "web:shift_add"), _shift_data(starts_at="2026-10-01T07:30", ends_at="2026-10-01T19:30")
    )
    assert "Ca trực phải nằm trong đợt trực" in outside.content.decode()
    assert not Shift.objects.filter(person_name="Hoàng Văn Dự").exists()


def test_it_offers_only_the_units_own_accounts(login: Login, world: World, duty: Duty) -> None:
    body = login(world.officer_a).get(_roster_url(duty, "a", "web:shift_add")).content.decode()
    assert world.officer_a.email in body
    assert world.officer_b.email not in body
    response = login(world.officer_a).post(
        _roster_url(duty, "a", "web:shift_add"), _shift_data(user=str(world.officer_b.id))
    )
    assert "Hãy chọn một lựa chọn hợp lệ." in response.content.decode()


def test_it_edits_and_deletes_a_shift(login: Login, world: World, duty: Duty) -> None:
    client = login(world.officer_a)
    edit = reverse("web:shift_edit", args=[duty.roster_a.id, duty.shift_a.id])
    assert 'value="Lê Văn A"' in client.get(edit).content.decode()
    data = _shift_data(starts_at="2026-08-31T07:30", ends_at="2026-09-03T07:30", role="primary", person_name="Lê Văn A")
    assert client.post(edit, data).status_code == 302
    duty.shift_a.refresh_from_db()
    assert duty.shift_a.phone == "0912345678"
    delete = reverse("web:shift_delete", args=[duty.roster_a.id, duty.shift_a.id])
    assert "Xoá ca trực" in client.get(delete).content.decode()
    assert login(world.officer_b).post(delete).status_code == 404
    assert login(world.officer_a).post(delete).status_code == 302
    assert not Shift.objects.filter(id=duty.shift_a.id).exists()


def test_it_refuses_a_shift_of_another_roster_in_the_url(login: Login, world: World, duty: Duty) -> None:
    url = reverse("web:shift_edit", args=[duty.roster_a.id, duty.shift_b.id])
    assert login(world.admin).get(url).status_code == 404


def test_it_submits_and_withdraws_a_roster(login: Login, world: World, duty: Duty) -> None:
    Roster.objects.filter(id=duty.roster_a.id).update(status=RosterStatus.DRAFT)
    client = login(world.officer_a)
    url = _roster_url(duty, "a", "web:roster_submit")
    assert login(world.viewer).post(url).status_code == 403
    assert login(world.officer_b).post(url).status_code == 404
    client = login(world.officer_a)
    response = client.post(url)
    assert "Đã nộp lịch trực." in client.get(response["Location"]).content.decode()
    assert Roster.objects.get(id=duty.roster_a.id).status == RosterStatus.SUBMITTED
    client.post(url, {"action": "withdraw"})
    assert Roster.objects.get(id=duty.roster_a.id).status == RosterStatus.DRAFT


def test_it_reports_why_an_empty_roster_cannot_be_submitted(login: Login, world: World, period: DutyPeriod) -> None:
    roster = Roster.objects.create(period=period)
    client = login(world.duty)
    response = client.post(reverse("web:roster_submit", args=[roster.id]), follow=True)
    assert "Lịch trực chưa có ca trực nào" in response.content.decode()


def test_it_takes_handover_notes(login: Login, world: World, duty: Duty) -> None:
    url = reverse("web:handover_add", args=[duty.roster_a.id, duty.shift_a.id])
    response = login(world.officer_a).post(url, {"text": "Đã chặn IP 203.0.113.5, theo dõi tiếp"})
    assert response["Location"].endswith(f"#shift-{duty.shift_a.id}")
    page = login(world.officer_a).get(_roster_url(duty, "a")).content.decode()
    assert "Đã chặn IP 203.0.113.5, theo dõi tiếp" in page
    assert login(world.officer_b).post(url, {"text": "x"}).status_code == 404
    assert login(world.viewer).post(url, {"text": "x"}).status_code == 403
    assert login(world.provider_officer).post(url, {"text": "x"}).status_code == 403
    assert HandoverNote.objects.count() == 1


# --- import and calendars ----------------------------------------------------------------------


CSV = (
    "starts_at,ends_at,person_name,role,phone\n"
    "31/08/2026 07:30,01/09/2026 07:30,Đỗ Văn Một,primary,0912000001\n"
    "01/09/2026 07:30,03/09/2026 07:30,Đỗ Văn Hai,primary,0912000002\n"
).encode()


def _upload(content: bytes, name: str = "lich.csv") -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_it_imports_a_roster_file(login: Login, world: World, period: DutyPeriod) -> None:
    roster = Roster.objects.create(period=period, unit=world.unit_a)
    client = login(world.officer_a)
    url = reverse("web:roster_import", args=[roster.id])
    assert "Tải tệp mẫu Excel" in client.get(url).content.decode()
    body = client.post(url, {"file": _upload(CSV)}).content.decode()
    assert "Đã nhập lịch trực từ tệp." in body
    assert roster.shifts.count() == 2


def test_it_lists_every_wrong_row_and_writes_nothing(login: Login, world: World, period: DutyPeriod) -> None:
    roster = Roster.objects.create(period=period, unit=world.unit_a)
    bad = CSV.replace(b"0912000002", b"12").replace(b"31/08/2026 07:30", b"hom qua")
    body = login(world.officer_a).post(reverse("web:roster_import", args=[roster.id]), {"file": _upload(bad)})
    text = body.content.decode()
    assert "Tệp có 2 lỗi — chưa có dữ liệu nào được ghi" in text
    assert "Số điện thoại không hợp lệ" in text
    assert roster.shifts.count() == 0
    wrong_type = login(world.officer_a).post(
        reverse("web:roster_import", args=[roster.id]), {"file": _upload(b"x", "lich.pdf")}
    )
    assert "Chỉ nhận tệp .csv hoặc .xlsx." in wrong_type.content.decode()


def test_it_refuses_imports_into_rosters_one_may_not_change(login: Login, world: World, duty: Duty) -> None:
    url = _roster_url(duty, "a", "web:roster_import")
    assert login(world.officer_b).post(url, {"file": _upload(CSV)}).status_code == 404
    assert login(world.provider_officer).post(url, {"file": _upload(CSV)}).status_code == 403
    assert login(world.viewer).post(url, {"file": _upload(CSV)}).status_code == 403
    assert duty.roster_a.shifts.count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_it_offers_the_import_template(login: Login, world: World, fmt: str) -> None:
    response = login(world.officer_a).get(reverse("web:roster_import_template", args=[fmt]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="mau-lich-truc.{fmt}"'


def test_it_exports_a_roster_and_my_shifts_as_icalendar(login: Login, world: World, duty: Duty) -> None:
    client = login(world.officer_a)
    response = client.get(_roster_url(duty, "a", "web:roster_ical"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Trực chính: Lê Văn A — Sở Tư pháp"]
    with time_machine.travel(NOW, tick=False):
        mine = Calendar.from_ical(client.get(reverse("web:my_shifts_ical")).content).walk("VEVENT")
    assert [str(e["UID"]) for e in mine] == [f"shift-{duty.shift_a.id}@testserver"]


@pytest.mark.parametrize(
    "name",
    ["web:duty_board", "web:period_list", "web:my_shifts_ical", "web:period_create"],
)
def test_it_requires_sign_in(client: object, db: None, name: str) -> None:
    response = client.get(reverse(name))  # type: ignore[attr-defined]
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")
