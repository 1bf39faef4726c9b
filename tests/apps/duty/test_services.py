"""Announcing periods, keeping rosters and shifts: permissions, validation and the audit trail."""

from __future__ import annotations

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from haidang.apps.audit.models import AuditEvent
from haidang.apps.duty import services
from haidang.apps.duty.models import DutyPeriod, HandoverNote, Roster, RosterStatus, Shift, ShiftRole
from haidang.apps.duty.phones import normalize_phone, validate_vn_phone
from haidang.apps.registry.models import Organization
from tests.apps.duty.conftest import END, NOW, START, Duty, vn
from tests.personas import World


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912 345 678", "0912345678"),
        ("+84 912.345.678", "0912345678"),
        ("84912345678", "0912345678"),
        ("912345678", "0912345678"),
        ("(0225) 3822-123", "02253822123"),
        ("1900 1234", "19001234"),
    ],
)
def test_it_normalises_and_accepts_vietnamese_numbers(typed: str, stored: str) -> None:
    assert normalize_phone(typed) == stored
    validate_vn_phone(stored)


@pytest.mark.parametrize("bad", ["0123456789", "091234567", "09123456789", "abc", "+1 202 555 0100", ""])
def test_it_rejects_what_is_not_a_vietnamese_number(bad: str) -> None:
    with pytest.raises(ValidationError, match="Số điện thoại không hợp lệ"):
        validate_vn_phone(normalize_phone(bad))


def test_it_lets_the_duty_officer_announce_a_period_and_audits_it(world: World) -> None:
    period = services.period_announce(
        acting_user=world.duty, name=" Tết 2027 ", starts_at=START, ends_at=END, groups=[world.group]
    )
    assert period.name == "Tết 2027"
    assert list(period.groups.all()) == [world.group]
    event = AuditEvent.objects.get(action="duty_period.announce")
    assert (event.actor, event.changes["groups"]) == (world.duty, ["state_agency_city"])


@pytest.mark.parametrize("persona", ["officer_a", "viewer", "provider_officer", "telecom_officer"])
def test_it_refuses_to_let_others_announce(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        services.period_announce(acting_user=getattr(world, persona), name="X", starts_at=START, ends_at=END)
    assert not DutyPeriod.objects.exists()


def test_it_refuses_a_period_that_ends_before_it_starts(world: World) -> None:
    with pytest.raises(ValidationError, match="kết thúc phải sau"):
        services.period_announce(acting_user=world.admin, name="X", starts_at=END, ends_at=START)


def test_it_records_what_changed_in_a_period(world: World, period: DutyPeriod) -> None:
    services.period_update(acting_user=world.admin, period=period, name="Quốc khánh", groups=[])
    event = AuditEvent.objects.get(action="duty_period.update")
    assert event.changes == {
        "name": ["Nghỉ lễ Quốc khánh 2/9/2026", "Quốc khánh"],
        "groups": [["state_agency_city"], []],
    }


def test_it_lets_a_unit_officer_start_their_own_roster_only(world: World, period: DutyPeriod) -> None:
    roster = services.roster_create(acting_user=world.officer_a, period=period, unit=world.unit_a)
    assert (roster.status, roster.owner_kind, roster.owner_name) == ("draft", "unit", "Sở Tư pháp")
    assert AuditEvent.objects.get(action="roster.create").unit_id == world.unit_a.id
    with pytest.raises(PermissionDenied):
        services.roster_create(acting_user=world.officer_a, period=period, unit=world.unit_b)
    with pytest.raises(PermissionDenied):
        services.roster_create(acting_user=world.officer_a, period=period)
    with pytest.raises(PermissionDenied):
        services.roster_create(acting_user=world.provider_officer, period=period, unit=world.unit_a)


def test_it_refuses_a_second_roster_for_the_same_owner(world: World, period: DutyPeriod) -> None:
    services.roster_create(acting_user=world.admin, period=period)
    with pytest.raises(ValidationError, match="Đã có lịch trực"):
        services.roster_create(acting_user=world.duty, period=period)
    first = services.roster_get_or_create(acting_user=world.duty, period=period)
    assert Roster.objects.filter(period=period).count() == 1
    assert first.owner_kind == "department"


def test_it_refuses_a_roster_for_a_provider_or_an_inactive_unit(world: World, period: DutyPeriod) -> None:
    with pytest.raises(ValidationError, match="viễn thông"):
        services.roster_create(acting_user=world.admin, period=period, organization=world.provider)
    world.unit_b.status = "dissolved"
    with pytest.raises(ValidationError, match="giải thể"):
        services.roster_create(acting_user=world.admin, period=period, unit=world.unit_b)


def test_it_lets_the_telecom_officer_keep_their_company_roster(world: World, period: DutyPeriod) -> None:
    roster = services.roster_create(acting_user=world.telecom_officer, period=period, organization=world.telecom)
    other = Organization.objects.create(kind="telecom", name="Mạng khác", short_code="khac")
    with pytest.raises(PermissionDenied):
        services.roster_create(acting_user=world.telecom_officer, period=period, organization=other)
    assert roster.owner_name == "Viễn thông Thành phố"


def _draft(world: World, period: DutyPeriod) -> Roster:
    return services.roster_create(acting_user=world.officer_a, period=period, unit=world.unit_a)


def test_it_adds_a_shift_filling_name_and_phone_from_the_account(world: World, period: DutyPeriod) -> None:
    world.officer_a.phone = "+84 98 765 4321"
    world.officer_a.save()
    roster = _draft(world, period)
    shift = services.shift_create(
        acting_user=world.officer_a, roster=roster, starts_at=START, ends_at=END, user=world.officer_a
    )
    assert (shift.person_name, shift.phone, shift.role) == ("canbo", "0987654321", ShiftRole.PRIMARY)
    event = AuditEvent.objects.get(action="shift.create")
    assert (event.actor, event.unit_id) == (world.officer_a, world.unit_a.id)


def test_it_explains_every_problem_of_a_shift_in_vietnamese(world: World, period: DutyPeriod) -> None:
    roster = _draft(world, period)
    with pytest.raises(ValidationError) as caught:
        services.shift_create(
            acting_user=world.officer_a,
            roster=roster,
            starts_at=vn(1, 9, 8),
            ends_at=vn(1, 9, 7),
            person_name="An",
            phone="12345",
            user=world.officer_b,
        )
    errors = caught.value.message_dict
    assert errors["ends_at"] == ["Giờ kết thúc ca phải sau giờ bắt đầu."]
    assert "Số điện thoại không hợp lệ" in errors["phone"][0]
    assert "không thuộc chủ thể" in errors["user"][0]
    assert not Shift.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (vn(1, 10, 8), vn(1, 10, 20), r"phải nằm trong đợt trực \(31/08/2026 07:30 – 03/09/2026 07:30\)"),
        (START, vn(5, 9, 8), "không dài quá 72 giờ"),
    ],
)
def test_it_refuses_shifts_outside_the_period_or_absurdly_long(
    world: World, period: DutyPeriod, start: object, end: object, message: str
) -> None:
    roster = _draft(world, period)
    with pytest.raises(ValidationError, match=message):
        services.shift_create(
            acting_user=world.officer_a,
            roster=roster,
            starts_at=start,
            ends_at=end,
            person_name="An",
            phone="0912345678",
        )


def test_it_accepts_a_shift_that_overlaps_the_periods_end(world: World, period: DutyPeriod) -> None:
    roster = _draft(world, period)
    services.shift_create(
        acting_user=world.officer_a,
        roster=roster,
        starts_at=vn(2, 9, 19),
        ends_at=vn(3, 9, 19),
        person_name="An",
        phone="0912345678",
    )


def test_it_updates_and_deletes_shifts_with_an_audit_trail(world: World, duty: Duty) -> None:
    services.shift_update(acting_user=world.officer_a, shift=duty.shift_a, phone="0912 000 111")
    duty.shift_a.refresh_from_db()
    assert duty.shift_a.phone == "0912000111"
    assert AuditEvent.objects.get(action="shift.update").changes == {"phone": ["0987654321", "0912000111"]}
    with pytest.raises(PermissionDenied):
        services.shift_delete(acting_user=world.officer_b, shift=duty.shift_a)
    services.shift_delete(acting_user=world.officer_a, shift=duty.shift_a)
    assert not Shift.objects.filter(id=duty.shift_a.id).exists()
    assert AuditEvent.objects.get(action="shift.delete").changes["phone"] == "0912000111"


def test_it_keeps_a_shift_unchanged_when_an_update_is_invalid(world: World, duty: Duty) -> None:
    with pytest.raises(ValidationError):
        services.shift_update(acting_user=world.officer_a, shift=duty.shift_a, phone="123")
    duty.shift_a.refresh_from_db()
    assert duty.shift_a.phone == "0987654321"


@time_machine.travel(NOW, tick=False)
def test_it_submits_and_withdraws_a_roster(world: World, period: DutyPeriod) -> None:
    roster = _draft(world, period)
    with pytest.raises(ValidationError, match="chưa có ca trực nào"):
        services.roster_submit(acting_user=world.officer_a, roster=roster)
    services.shift_create(
        acting_user=world.officer_a, roster=roster, starts_at=START, ends_at=END, person_name="An", phone="0912345678"
    )
    with pytest.raises(PermissionDenied):
        services.roster_submit(acting_user=world.viewer, roster=roster)
    services.roster_submit(acting_user=world.officer_a, roster=roster)
    roster.refresh_from_db()
    assert (roster.status, roster.submitted_at, roster.submitted_by) == (RosterStatus.SUBMITTED, NOW, world.officer_a)
    with pytest.raises(ValidationError, match="đã được nộp"):
        services.roster_submit(acting_user=world.officer_a, roster=roster)
    services.roster_withdraw(acting_user=world.duty, roster=roster)
    assert Roster.objects.get(id=roster.id).status == RosterStatus.DRAFT
    assert [e.action for e in AuditEvent.objects.order_by("id")][-2:] == ["roster.submit", "roster.withdraw"]


def test_it_takes_handover_notes_from_the_roster_keeper_or_the_officer_on_shift(world: World, duty: Duty) -> None:
    services.handover_note_add(acting_user=world.officer_a, shift=duty.shift_a, text=" Đang theo dõi sự cố web ")
    services.handover_note_add(acting_user=world.duty, shift=duty.shift_department, text="Không có gì bất thường")
    assert list(HandoverNote.objects.values_list("text", flat=True)) == [
        "Đang theo dõi sự cố web",
        "Không có gì bất thường",
    ]
    with pytest.raises(PermissionDenied):
        services.handover_note_add(acting_user=world.officer_b, shift=duty.shift_a, text="x")
    with pytest.raises(ValidationError):
        services.handover_note_add(acting_user=world.officer_a, shift=duty.shift_a, text="   ")
    assert AuditEvent.objects.filter(action="handover.create").count() == 2
