"""What the notifications API accepts and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from haidang.apps.notify.models import Alert


class NotificationFilters(Schema):
    unread: bool = Field(False, description="Chỉ lấy thông báo chưa đọc.")


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    link: str
    severity: str
    alert_id: int | None
    created_at: datetime
    read_at: datetime | None


class ReadAllOut(Schema):
    marked: int = Field(description="Số thông báo vừa được đánh dấu đã đọc.")


class AlertFilters(Schema):
    status: Literal["open", "acknowledged", "exhausted"] | None = Field(None, description="Trạng thái cảnh báo.")


class AlertOut(Schema):
    id: int
    title: str
    body: str
    link: str
    severity: str
    status: str
    unit_id: int | None
    subject_type: str = Field(description="Loại đối tượng liên quan, ví dụ `incidents.incident`; rỗng nếu không có.")
    subject_id: str
    chain: list[list[int]] = Field(description="Chuỗi chuyển cấp: mỗi cấp là danh sách mã người dùng, cấp 0 trước.")
    current_tier: int
    next_escalation_at: datetime | None
    acknowledged_by_id: int | None
    acknowledged_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_subject_type(obj: Alert) -> str:
        return obj.content_type.model_class()._meta.label_lower if obj.content_type_id else ""  # type: ignore[union-attr]

    @staticmethod
    def resolve_subject_id(obj: Alert) -> str:
        return obj.object_id

    @staticmethod
    def resolve_chain(obj: Alert) -> list[list[int]]:
        tiers: list[list[int]] = [[] for _ in range(obj.tier_count)]
        for member in obj.members.all():
            if member.tier < len(tiers):
                tiers[member.tier].append(member.user_id)
        return tiers
