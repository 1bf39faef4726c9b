"""Who sees which roster, who is on duty now, the escalation chain and the public contact."""

from __future__ import annotations

import pytest
import time_machine

from haidang.apps.accounts.models import Role, User
from haidang.apps.duty.models import Roster, RosterStatus, ShiftRole
from haidang.apps.duty.selectors import (
    PublicDutyContact,
    can_edit_roster,
    department_contact_now,
    duty_board,
    escalation_chain,
    on_duty_now,
    period_missing,
    period_rows,
    roster_list,
    shift_list,
    shifts_current,
)
from haidang.apps.registry.models import Unit
from tests.apps.duty.conftest import END, NOW, START, Duty, add_shift, vn
from tests.personas import World

#: Which rosters each persona sees.
SEES: dict[str, set[str]] = {
    "admin": {"dept", "a", "b", "telecom"},
    "duty": {"dept", "a", "b", "telecom"},
    "viewer": {"dept", "a", "b", "telecom"},
    "officer_a": {"a"},
    "officer_b": {"b"},
    "provider_officer": {"a"},
    "telecom_officer": {"telecom"},
}
#: Which rosters each persona may change.
EDITS: dict[str, set[str]] = {
    "admin": {"dept", "a", "b", "telecom"},
    "duty": {"dept", "a", "b", "telecom"},
    "viewer": set(),
    "officer_a": {"a"},
    "officer_b": {"b"},
    "provider_officer": set(),
    "telecom_officer": {"telecom"},
}


@pytest.mark.parametrize("persona", SEES)
def test_it_lists_only_the_rosters_the_persona_may_see(world: World, duty: Duty, persona: str) -> None:
    user = getattr(world, persona)
    assert set(roster_list(visible_to=user)) == {duty.roster(side) for side in SEES[persona]}
    assert {s.roster for s in shift_list(visible_to=user)} == {duty.roster(side) for side in SEES[persona]}


@pytest.mark.parametrize("persona", EDITS)
def test_it_decides_who_may_edit_each_roster(world: World, duty: Duty, persona: str) -> None:
    user = getattr(world, persona)
    editable = {side for side in ("dept", "a", "b", "telecom") if can_edit_roster(user, duty.roster(side))}
    assert editable == EDITS[persona]


def test_it_sees_nothing_for_an_inactive_account(world: World, duty: Duty) -> None:
    world.admin.is_active = False
    assert not roster_list(visible_to=world.admin).exists()
    assert not can_edit_roster(world.admin, duty.department)


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("persona", SEES)
def test_it_scopes_who_is_on_duty_now(world: World, duty: Duty, persona: str) -> None:
    shifts = shifts_current(visible_to=getattr(world, persona))
    assert {s.roster for s in shifts} == {duty.roster(side) for side in SEES[persona]}


@time_machine.travel(NOW, tick=False)
def test_it_puts_primary_before_backup_and_ignores_drafts_and_other_times(world: World, duty: Duty) -> None:
    backup = add_shift(duty.roster_a, START, END, person_name="Dự phòng", role=ShiftRole.BACKUP)
    add_shift(duty.roster_a, vn(2, 9, 8), vn(2, 9, 20), person_name="Ca sau")
    assert on_duty_now(unit=world.unit_a) == [duty.shift_a, backup]
    Roster.objects.filter(id=duty.roster_a.id).update(status=RosterStatus.DRAFT)
    assert on_duty_now(unit=world.unit_a) == []
    assert on_duty_now(unit=world.unit_a, at=vn(1, 9, 10)) == []


def test_it_counts_a_shift_from_its_start_until_just_before_its_end(world: World, duty: Duty) -> None:
    assert on_duty_now(unit=world.unit_b, at=START) == [duty.shift_b]
    assert on_duty_now(unit=world.unit_b, at=END) == []


def test_it_answers_the_department_roster_without_an_owner(world: World, duty: Duty) -> None:
    assert on_duty_now(at=NOW) == [duty.shift_department]
    assert on_duty_now(organization=world.telecom, at=NOW) == [duty.shift_telecom]
    with pytest.raises(ValueError, match="not both"):
        on_duty_now(unit=world.unit_a, organization=world.telecom, at=NOW)


def test_it_builds_the_escalation_chain_tier_by_tier(world: World, duty: Duty) -> None:
    backup_user = User.objects.create_user("dp@stp.example.vn", "x", role=Role.UNIT, unit=world.unit_a)
    add_shift(duty.roster_a, START, END, role=ShiftRole.BACKUP, user=backup_user)
    add_shift(duty.department, START, END, role=ShiftRole.BACKUP, user=world.admin)
    # officer_a is also on the department's backup: they stay only in their first tier.
    add_shift(duty.department, START, END, role=ShiftRole.BACKUP, user=world.officer_a)

    chain = escalation_chain(unit=world.unit_a, at=NOW)

    assert chain == [[world.officer_a], [backup_user], [world.duty, world.admin]]


def test_it_skips_inactive_accounts_and_empty_tiers(world: World, duty: Duty) -> None:
    User.objects.filter(id=world.officer_a.id).update(is_active=False)
    assert escalation_chain(unit=world.unit_a, at=NOW) == [[world.duty]]


def test_it_falls_back_to_every_duty_officer_when_the_department_roster_has_no_account(
    world: World, duty: Duty
) -> None:
    other = User.objects.create_user("truc2@so.example.vn", "x", role=Role.DUTY)
    User.objects.create_user("truc3@so.example.vn", "x", role=Role.DUTY, is_active=False)
    duty.shift_department.user = None
    duty.shift_department.save()
    assert escalation_chain(unit=world.unit_b, at=NOW) == [[world.officer_b], [world.duty, other]]
    assert escalation_chain(at=NOW) == [[world.duty, other]]
    assert escalation_chain(at=vn(1, 1, 0)) == [[world.duty, other]]


def test_it_gives_the_public_only_the_departments_primary_contact(duty: Duty) -> None:
    add_shift(duty.department, START, END, role=ShiftRole.BACKUP, person_name="Dự phòng Sở")
    contact = department_contact_now(NOW)
    assert contact == PublicDutyContact(name="Trần Trực Sở", phone="0912345678", until=END)
    assert department_contact_now(vn(10, 9, 0)) is None


@time_machine.travel(NOW, tick=False)
def test_it_defaults_to_now(duty: Duty) -> None:
    contact = department_contact_now()
    assert contact is not None
    assert contact.name == "Trần Trực Sở"


def test_it_lists_required_units_and_telecoms_without_a_submitted_roster(world: World, duty: Duty) -> None:
    assert period_missing(period=duty.period) == []
    Roster.objects.filter(id=duty.roster_b.id).update(status=RosterStatus.DRAFT)
    duty.roster_telecom.shifts.all().delete()
    Roster.objects.filter(id=duty.roster_telecom.id).delete()
    assert period_missing(period=duty.period) == [world.unit_b, world.telecom]
    assert period_missing(period=duty.period, visible_to=world.officer_a) == []
    assert period_missing(period=duty.period, visible_to=world.officer_b) == [world.unit_b]
    assert period_missing(period=duty.period, visible_to=world.telecom_officer) == [world.telecom]


def test_it_ignores_dissolved_units_and_units_outside_the_groups(world: World, duty: Duty) -> None:
    Unit.objects.create(group=world.group, name="Đơn vị đã giải thể", short_code="gt", status="dissolved")
    assert period_missing(period=duty.period) == []


def test_it_shows_each_owner_of_a_period_with_gaps(world: World, duty: Duty) -> None:
    duty.shift_b.ends_at = vn(2, 9, 7, 30)
    duty.shift_b.save()
    rows = {row.name: row for row in period_rows(visible_to=world.admin, period=duty.period, department_name="Sở")}
    assert set(rows) == {"Sở", "Sở Tư pháp", "Sở Y tế", "Viễn thông Thành phố"}
    assert rows["Sở Y tế"].uncovered
    assert rows["Sở Y tế"].submitted
    assert not rows["Sở Tư pháp"].gaps
    officer_rows = period_rows(visible_to=world.officer_a, period=duty.period, department_name="Sở")
    assert [row.name for row in officer_rows] == ["Sở Tư pháp"]


def test_it_shows_on_the_board_who_is_on_duty_and_who_is_not(world: World, duty: Duty) -> None:
    Roster.objects.filter(id=duty.roster_b.id).update(status=RosterStatus.DRAFT)
    rows = {row.name: row for row in duty_board(visible_to=world.duty, department_name="Sở", at=NOW)}
    assert rows["Sở"].shifts == [duty.shift_department]
    assert rows["Sở Tư pháp"].shifts == [duty.shift_a]
    assert rows["Sở Y tế"].shifts == []
    assert rows["Sở Y tế"].roster == duty.roster_b
    assert [r.name for r in duty_board(visible_to=world.officer_b, department_name="Sở", at=NOW)] == ["Sở Y tế"]
    after = duty_board(visible_to=world.duty, department_name="Sở", at=vn(10, 9, 0))
    assert [(r.name, r.shifts) for r in after] == [("Sở", [])]
