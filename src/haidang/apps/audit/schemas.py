"""What the audit API accepts and returns."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from haidang.apps.registry.schemas import ObjectId, SearchText


class AuditFilters(Schema):
    action: SearchText = Field("", description="Thao tác, theo tiền tố: `website` hoặc `website.create`.")
    actor: SearchText = Field("", description="Một phần địa chỉ thư của người thực hiện.")
    unit_id: ObjectId | None = Field(None, description="Chỉ lấy của một đơn vị.")
    since: date | None = Field(None, description="Từ ngày (kể cả ngày này).")
    until: date | None = Field(None, description="Đến ngày (kể cả ngày này).")


class AuditEventOut(Schema):
    id: int
    at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    unit_id: int | None
    changes: dict[str, Any]
    source: str
