"""What the monitoring API accepts and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.utils import timezone
from ninja import Field, Schema

from haidang.apps.monitoring.models import Finding, WatchState
from haidang.apps.monitoring.selectors import effective_interval
from haidang.apps.registry.schemas import ObjectId, Text


class FindingFilters(Schema):
    unit_id: ObjectId | None = Field(None, description="Chỉ lấy của một đơn vị.")
    website_id: ObjectId | None = Field(None, description="Chỉ lấy của một trang web.")
    severity: Literal["info", "low", "medium", "high", "critical"] | None = Field(None, description="Mức độ.")
    status: Literal["open", "resolved"] | None = Field(None, description="Đang tồn tại hay đã hết.")
    disposition: Literal["none", "acknowledged", "legitimate", "false_positive"] | None = Field(
        None, description="Cách xử lý của con người (`none`: chưa xử lý)."
    )


class FindingOut(Schema):
    id: int
    unit_id: int
    website_id: int
    website_url: str
    kind: str
    severity: str
    title: str
    evidence: str
    url: str
    probes: list[str]
    status: str
    disposition: str
    disposition_reason: str
    disposition_by: str | None
    disposition_at: datetime | None
    assignee_id: int | None
    first_seen_at: datetime
    last_seen_at: datetime
    resolved_at: datetime | None
    times_seen: int
    times_reopened: int
    incident_id: int | None

    @staticmethod
    def resolve_unit_id(obj: Finding) -> int:
        return obj.website.unit_id  # the website's current unit (a merge moves websites)

    @staticmethod
    def resolve_website_url(obj: Finding) -> str:
        return obj.website.url

    @staticmethod
    def resolve_probes(obj: Finding) -> list[str]:
        return [p for p in obj.probes.split(",") if p]

    @staticmethod
    def resolve_status(obj: Finding) -> str:
        return obj.state

    @staticmethod
    def resolve_disposition_by(obj: Finding) -> str | None:
        return obj.disposition_by.email if obj.disposition_by else None


class AssignIn(Schema):
    assignee_id: ObjectId | None = Field(None, description="Người được giao; `null` để bỏ giao.")


class ReasonIn(Schema):
    reason: Text = Field(description="Lý do (bắt buộc).")


class ScanQueuedOut(Schema):
    queued: bool
    detail: str


class WatchOut(Schema):
    website_id: int
    unit_id: int
    url: str
    enabled: bool
    interval_minutes: int | None
    effective_interval_minutes: int
    next_due_at: datetime
    scan_queued: bool
    status: str
    reason: str
    last_scan_at: datetime | None
    last_duration_ms: int | None
    down_since: datetime | None
    baseline_scans: int
    scans_total: int

    @staticmethod
    def resolve_unit_id(obj: WatchState) -> int:
        return obj.website.unit_id

    @staticmethod
    def resolve_url(obj: WatchState) -> str:
        return obj.website.url

    @staticmethod
    def resolve_effective_interval_minutes(obj: WatchState) -> int:
        return effective_interval(obj)

    @staticmethod
    def resolve_scan_queued(obj: WatchState) -> bool:
        return obj.claimed_until is not None and obj.claimed_until > timezone.now()
