"""What the incidents API accepts and returns. Real rules live in the services (same messages as the web)."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema

from haidang.apps.incidents.models import Category, Incident, Severity, Status
from haidang.apps.incidents.selectors import incident_deadlines
from haidang.apps.registry.schemas import ObjectId, SearchText, Text


class IncidentFilters(Schema):
    status: Status | None = Field(None, description="Trạng thái.")
    category: Category | None = Field(None, description="Loại sự cố.")
    severity: Severity | None = Field(None, description="Mức độ.")
    unit_id: ObjectId | None = Field(None, description="Chỉ lấy sự cố của một đơn vị.")
    queue: str = Field("", pattern="^(|unit|department)$", description="`unit` hoặc `department`.")
    open: bool = Field(default=False, description="Chỉ lấy sự cố chưa khắc phục.")
    search: SearchText = Field("", description="Tìm theo số hiệu hoặc tiêu đề.")


class IncidentIn(Schema):
    unit_id: ObjectId | None = Field(
        None, description="Đơn vị bị sự cố. Cán bộ đơn vị có thể bỏ trống (mặc định là đơn vị của mình)."
    )
    title: Text = Field(description="Tiêu đề ngắn.")
    description: Text = ""
    category: Category
    severity: Severity = Severity.MEDIUM
    system_ids: list[ObjectId] = Field(default_factory=list, max_length=50, description="Hệ thống bị ảnh hưởng.")
    discovered_at: datetime | None = Field(None, description="Thời điểm phát hiện (ISO 8601); mặc định là lúc gửi.")
    beyond_capacity: bool = Field(default=False, description="Vượt khả năng xử lý của đơn vị: chuyển ngay cho Sở.")
    personal_data: bool = Field(default=False, description="Có liên quan đến dữ liệu cá nhân.")
    indicators: list[Text] = Field(
        default_factory=list, max_length=200, description="URL, tên miền, IP, mã băm, địa chỉ thư."
    )


class IncidentPatch(Schema):
    title: Text | None = None
    description: Text | None = None
    category: Category | None = None
    severity: Severity | None = None
    personal_data: bool | None = None
    discovered_at: datetime | None = None
    unit_id: ObjectId | None = Field(None, description="Chuyển sang đơn vị khác (chỉ Sở).")
    system_ids: list[ObjectId] | None = Field(None, max_length=50)


class StatusIn(Schema):
    status: Status
    note: Text = ""


class IndicatorOut(Schema):
    kind: str
    value: str


class DeadlineOut(Schema):
    rule_id: str
    title: str
    due_at: datetime | None
    done_at: datetime | None
    source: str


class IncidentOut(Schema):
    id: int
    reference: str
    unit_id: int | None
    organization_id: int | None
    title: str
    description: str
    category: str
    severity: str
    status: str
    queue: str
    source: str
    beyond_capacity: bool
    personal_data: bool
    discovered_at: datetime
    reported_at: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    assignee_id: int | None
    system_ids: list[int]
    indicators: list[IndicatorOut]
    deadlines: list[DeadlineOut]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_system_ids(obj: Incident) -> list[int]:
        return sorted(system.id for system in obj.systems.all())

    @staticmethod
    def resolve_indicators(obj: Incident) -> list[dict[str, str]]:
        return [{"kind": item.kind, "value": item.value} for item in obj.indicators.all()]

    @staticmethod
    def resolve_deadlines(obj: Incident) -> list[dict[str, object]]:
        return [
            {
                "rule_id": item.rule.id,
                "title": item.rule.title,
                "due_at": item.due_at,
                "done_at": item.done_at,
                "source": f"{item.rule.source.document}, {item.rule.source.article}",
            }
            for item in incident_deadlines(obj)
        ]
