"""What the duty API accepts and returns. Rules (phone numbers, shifts inside the period) live in services."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from haidang.apps.duty.coverage import Gap
from haidang.apps.duty.models import Roster, Shift, ShiftRole
from haidang.apps.duty.selectors import roster_gaps
from haidang.apps.registry.schemas import ObjectId, SearchText, Text


class PeriodOut(Schema):
    id: int
    name: str
    starts_at: datetime
    ends_at: datetime
    group_codes: list[str] = Field(description="Các khối đơn vị phải nộp lịch trực.")
    telecoms_required: bool
    note: str

    @staticmethod
    def resolve_group_codes(obj: object) -> list[str]:
        return sorted(group.code for group in obj.groups.all())  # type: ignore[attr-defined]


class ShiftIn(Schema):
    starts_at: datetime = Field(description="ISO 8601; không có múi giờ thì hiểu là giờ Việt Nam.")
    ends_at: datetime
    person_name: Text = ""
    role: ShiftRole = ShiftRole.PRIMARY
    phone: Text = Field("", description="Di động 10 số, số cố định có mã vùng hoặc 1800/1900.")
    messaging_handle: Text = ""
    user_id: ObjectId | None = Field(None, description="Tài khoản nhận thông báo (thuộc chủ thể của lịch trực).")
    note: Text = ""


class ShiftOut(Schema):
    id: int
    roster_id: int
    unit_id: int | None
    organization_id: int | None
    owner_name: str
    starts_at: datetime
    ends_at: datetime
    person_name: str
    role: str
    phone: str
    messaging_handle: str
    user_id: int | None
    note: str

    @staticmethod
    def resolve_unit_id(obj: Shift) -> int | None:
        return obj.roster.unit_id

    @staticmethod
    def resolve_organization_id(obj: Shift) -> int | None:
        return obj.roster.organization_id

    @staticmethod
    def resolve_owner_name(obj: Shift) -> str:
        return obj.roster.owner_name


class GapOut(Schema):
    starts_at: datetime
    ends_at: datetime
    level: Literal["uncovered", "backup_only"] = Field(
        description="uncovered: không ai trực; backup_only: chỉ có dự phòng."
    )


class RosterOut(Schema):
    id: int
    period_id: int
    period_name: str
    owner_kind: Literal["department", "unit", "organization"]
    owner_name: str
    unit_id: int | None
    organization_id: int | None
    status: str
    submitted_at: datetime | None
    shift_count: int

    @staticmethod
    def resolve_period_name(obj: Roster) -> str:
        return obj.period.name

    @staticmethod
    def resolve_shift_count(obj: Roster) -> int:
        return obj.shifts.count()


class RosterDetailOut(RosterOut):
    shifts: list[ShiftOut]
    gaps: list[GapOut]

    @staticmethod
    def resolve_shifts(obj: Roster) -> list[Shift]:
        return list(obj.shifts.select_related("roster", "roster__unit", "roster__organization"))

    @staticmethod
    def resolve_gaps(obj: Roster) -> list[Gap]:
        return roster_gaps(obj)


class RosterIn(Schema):
    period_id: ObjectId
    unit_id: ObjectId | None = Field(None, description="Để trống cả unit_id và organization_id: lịch trực của Sở.")
    organization_id: ObjectId | None = None
    shifts: list[ShiftIn] = Field(default_factory=list, max_length=500)
    submit: bool = Field(False, description="Nộp (với Sở: công bố) ngay sau khi tạo.")


class RosterFilters(Schema):
    period_id: ObjectId | None = None
    unit_id: ObjectId | None = None
    organization_id: ObjectId | None = None
    owner: Literal["department", "unit", "organization"] | None = Field(None, description="Loại chủ thể.")
    status: Literal["draft", "submitted"] | None = None


class PeriodFilters(Schema):
    search: SearchText = ""
