"""A duty period with rosters of the department, unit A, unit B and the telecom, each with shifts.

The period runs 31/08/2026 07:30 → 03/09/2026 07:30 (Vietnam time). Every roster is covered by one
primary shift over the whole period except where a test changes it; ``NOW`` falls inside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from haidang.apps.duty.models import DutyPeriod, Roster, RosterStatus, Shift, ShiftRole
from tests.personas import World

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(day: int, month: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


START = vn(31, 8, 7, 30)
END = vn(3, 9, 7, 30)
NOW = vn(1, 9, 10, 0)


@dataclass
class Duty:
    period: DutyPeriod
    department: Roster
    roster_a: Roster
    roster_b: Roster
    roster_telecom: Roster
    shift_department: Shift
    shift_a: Shift
    shift_b: Shift
    shift_telecom: Shift

    def roster(self, side: str) -> Roster:
        return {"a": self.roster_a, "b": self.roster_b, "telecom": self.roster_telecom, "dept": self.department}[side]


def add_shift(roster: Roster, start: datetime, end: datetime, **extra: object) -> Shift:
    values: dict[str, object] = {"person_name": "Nguyễn Văn An", "phone": "0912345678", "role": ShiftRole.PRIMARY}
    values.update(extra)
    return Shift.objects.create(roster=roster, starts_at=start, ends_at=end, **values)


def submitted(period: DutyPeriod, **owner: object) -> Roster:
    return Roster.objects.create(period=period, status=RosterStatus.SUBMITTED, submitted_at=START, **owner)


def build_period(world: World) -> DutyPeriod:
    period = DutyPeriod.objects.create(
        name="Nghỉ lễ Quốc khánh 2/9/2026",
        starts_at=START,
        ends_at=END,
        telecoms_required=True,
        announced_by=world.admin,
    )
    period.groups.add(world.group)
    return period


def build_duty(world: World, period: DutyPeriod) -> Duty:
    department = submitted(period)
    roster_a = submitted(period, unit=world.unit_a)
    roster_b = submitted(period, unit=world.unit_b)
    roster_telecom = submitted(period, organization=world.telecom)
    return Duty(
        period=period,
        department=department,
        roster_a=roster_a,
        roster_b=roster_b,
        roster_telecom=roster_telecom,
        shift_department=add_shift(department, START, END, person_name="Trần Trực Sở", user=world.duty),
        shift_a=add_shift(roster_a, START, END, person_name="Lê Văn A", user=world.officer_a, phone="0987654321"),
        shift_b=add_shift(roster_b, START, END, person_name="Phạm Thị B", user=world.officer_b, phone="0977000111"),
        shift_telecom=add_shift(roster_telecom, START, END, person_name="Kỹ sư NOC", phone="0966000222"),
    )


@pytest.fixture
def period(world: World) -> DutyPeriod:
    return build_period(world)


@pytest.fixture
def duty(world: World, period: DutyPeriod) -> Duty:
    return build_duty(world, period)
