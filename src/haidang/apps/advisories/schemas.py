"""Shapes of the advisories and warnings API (/api/v1/advisories, /api/v1/warnings)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Schema

from haidang.apps.registry.schemas import SearchText, Text


class AdvisoryFilters(Schema):
    search: SearchText = Field("", description="Mã CVE hoặc từ trong mô tả")
    kev: bool = Field(False, description="Chỉ lỗ hổng đang bị khai thác (KEV)")


class AdvisoryOut(Schema):
    cve_id: str
    status: str
    published: datetime | None
    last_modified: datetime | None
    cvss_score: Decimal | None
    cvss_severity: str
    in_kev: bool
    kev_due_date: date | None
    description: str
    affected_units: int = Field(0, description="Số đơn vị (mà người gọi được xem) đang bị ảnh hưởng")


class ExposureOut(Schema):
    unit_id: int
    unit: str
    system_id: int | None
    website_id: int | None
    target: str
    software: str
    observed: bool
    first_seen_at: datetime


class AdvisoryDetailOut(AdvisoryOut):
    cwes: list[str]
    references: list[str]
    kev_required_action: str
    kev_ransomware: bool
    exposures: list[ExposureOut]
    warnings: list[int]


class WarningIn(Schema):
    cve_ids: list[Text] = Field(..., min_length=1, max_length=50)
    number: Text = Field("", max_length=64)
    title: Text = Field("", max_length=500, description="Để trống: soạn tự động từ các CVE")
    summary: Text = Field("", max_length=10_000)
    action: Text = Field("", max_length=10_000)
    severity: Text = Field("", description="critical | high | medium | low; để trống: theo KEV và CVSS")
    deadline: datetime | None = Field(None, description="Để trống: theo KEV và mức độ")
    issued_on: date | None = None
    signer_title: Text = Field("", max_length=200)
    signer_name: Text = Field("", max_length=200)


class WarningOut(Schema):
    id: int
    number: str
    issued_on: date
    title: str
    severity: str
    deadline: datetime
    status: str
    sent_at: datetime | None
    cves: list[str]


class WarningDetailOut(WarningOut):
    issuer: str
    issuer_parent: str
    signer_title: str
    signer_name: str
    summary: str
    action: str


class SendIn(Schema):
    unit_ids: list[int] | None = Field(None, description="Để trống: các đơn vị đang bị ảnh hưởng")


class SendOut(Schema):
    added: int
    recipients: int


class TallyOut(Schema):
    total: int
    fixed: int
    open: int
    reopened: int
    risk_accepted: int
    not_applicable: int
    verified: int


class RecipientStatusOut(Schema):
    recipient_id: int
    unit_id: int
    unit: str
    acknowledged_at: datetime | None
    overdue: bool
    counts: TallyOut


class WarningStatusOut(Schema):
    warning_id: int
    number: str
    deadline: datetime
    recipients: int
    acknowledged: int
    counts: TallyOut
    units: list[RecipientStatusOut]


class SystemOut(Schema):
    id: int
    recipient_id: int
    unit_id: int
    label: str
    software: str
    cves: list[str]
    status: str
    fixed_version: str
    note: str
    reported_at: datetime | None
    verification: str
    verification_note: str
    verified_at: datetime | None
    reopened_count: int


class SystemReportIn(Schema):
    status: Text = Field(..., description="patched | mitigated | not_applicable | risk_accepted")
    fixed_version: Text = Field("", max_length=100)
    note: Text = Field("", max_length=5000)
