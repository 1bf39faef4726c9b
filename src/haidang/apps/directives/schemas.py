"""What the directives API accepts and returns. Real rules live in the services (same messages as the web)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from django.urls import NoReverseMatch, reverse
from ninja import Field, Schema
from pydantic import StringConstraints, model_validator

from haidang.apps.directives.models import (
    AutoCheck,
    DirectiveItem,
    DirectiveStatus,
    Evidence,
    EvidenceKind,
    Recipient,
    RecipientKind,
    ReportStatus,
)
from haidang.apps.registry.schemas import ObjectId, SearchText, Text

#: An item as a path segment: its code ("1a") or its numeric id.
ItemRef = Annotated[str, StringConstraints(min_length=1, max_length=32, strip_whitespace=True)]
#: Header fields that only a directive written from scratch takes.
SCRATCH_FIELDS = (
    "subject",
    "effective_from",
    "effective_until",
    "report_due_at",
    "issuer",
    "issuer_parent",
    "signer_authority",
    "signer_title",
    "signer_name",
    "preamble",
    "contact",
    "items",
)
#: What a directive from scratch cannot do without.
REQUIRED_SCRATCH_FIELDS = ("subject", "issued_on", "effective_from", "effective_until", "report_due_at")


# --- input -------------------------------------------------------------------------------------


class DirectiveFilters(Schema):
    status: DirectiveStatus | None = Field(None, description="Trạng thái văn bản.")
    search: SearchText = Field("", description="Tìm theo số, ký hiệu hoặc trích yếu.")


class ItemIn(Schema):
    code: Text = Field(description="Mã mục, duy nhất trong văn bản, ví dụ `1a`.")
    text: Text = Field(description="Nội dung mục.")
    applies_to: list[RecipientKind] = Field(
        default_factory=lambda: [RecipientKind.UNIT], max_length=3, description="Loại nơi nhận phải thực hiện."
    )
    section: Text = ""
    evidence_expected: Text = ""
    auto_check: AutoCheck = Field(AutoCheck.NONE, description="Nền tảng tự kiểm tra mục này (nếu có).")


class DirectiveIn(Schema):
    """A directive from a shipped template (``template_key``) or written out in full."""

    template_key: Annotated[str, StringConstraints(max_length=100)] = Field(
        "", description="Tạo từ mẫu có sẵn; khi đó chỉ dùng thêm `issued_on` và `number`."
    )
    number: Text = Field("", description="Số, ký hiệu văn bản.")
    issued_on: date | None = Field(None, description="Ngày ban hành; với mẫu, mặc định là hôm nay.")
    subject: Text | None = Field(None, description="Trích yếu (bắt buộc khi không dùng mẫu).")
    effective_from: date | None = None
    effective_until: date | None = None
    report_due_at: datetime | None = Field(None, description="Hạn báo cáo (ISO 8601).")
    issuer: Text = ""
    issuer_parent: Text = ""
    signer_authority: Text = ""
    signer_title: Text = ""
    signer_name: Text = ""
    preamble: Text = ""
    contact: Text = ""
    items: list[ItemIn] = Field(default_factory=list, max_length=200)

    @model_validator(mode="after")
    def _template_or_scratch(self) -> DirectiveIn:
        if self.template_key:
            extra = sorted(set(SCRATCH_FIELDS) & self.model_fields_set)
            if extra:
                raise ValueError(
                    "khi tạo từ mẫu chỉ được gửi template_key, issued_on và number (thừa: " + ", ".join(extra) + ")"
                )
        return self

    def missing(self) -> list[str]:
        """Fields a directive from scratch needs and this payload lacks."""
        if self.template_key:
            return []
        return [name for name in REQUIRED_SCRATCH_FIELDS if getattr(self, name) is None]


class DispatchIn(Schema):
    unit_ids: list[ObjectId] = Field(default_factory=list, max_length=2000, description="Từng đơn vị.")
    group_codes: list[SearchText] = Field(default_factory=list, max_length=100, description="Mã khối đơn vị.")
    kinds: list[RecipientKind] = Field(
        default_factory=list, max_length=3, description="Mọi nơi nhận của loại: `unit`, `telecom`, `provider`."
    )
    organization_ids: list[ObjectId] = Field(default_factory=list, max_length=2000, description="Từng tổ chức.")


class GroupFilter(Schema):
    group: SearchText = Field("", description="Mã khối đơn vị.")


class MatrixFilters(GroupFilter):
    kind: RecipientKind | None = Field(None, description="Loại nơi nhận.")


class OwnerQuery(Schema):
    unit_id: ObjectId | None = Field(None, description="Báo cáo của đơn vị này (Sở, lãnh đạo).")
    organization_id: ObjectId | None = Field(None, description="Báo cáo của tổ chức này (Sở, lãnh đạo).")


class ReportIn(Schema):
    status: ReportStatus
    note: Text = Field("", description="Giải trình; bắt buộc khi `not_applicable`.")


class ReviewIn(Schema):
    unit_id: ObjectId | None = None
    organization_id: ObjectId | None = None
    accept: bool
    comment: Text = Field("", description="Ý kiến của Sở; bắt buộc khi trả lại.")

    @model_validator(mode="after")
    def _one_owner(self) -> ReviewIn:
        if (self.unit_id is None) == (self.organization_id is None):
            raise ValueError("cần đúng một trong unit_id hoặc organization_id")
        return self


# --- output ------------------------------------------------------------------------------------


class ReceiptOut(Schema):
    id: int
    kind: str
    unit_id: int | None
    organization_id: int | None
    name: str
    dispatched_at: datetime
    acknowledged_at: datetime | None


class DispatchOut(Schema):
    created: int
    recipients: list[ReceiptOut]


class DirectiveOut(Schema):
    id: int
    number: str
    subject: str
    issued_on: date
    effective_from: date
    effective_until: date
    report_due_at: datetime
    status: str
    template_key: str
    template_version: str
    item_count: int
    recipient_id: int | None = Field(description="Nơi nhận của người gọi (đơn vị, doanh nghiệp của mình), nếu có.")
    acknowledged_at: datetime | None = Field(description="Khi nơi nhận của người gọi xác nhận đã nhận.")


class ItemOut(Schema):
    id: int
    code: str
    order: int
    section: str
    text: str
    applies_to: list[str]
    evidence_expected: str
    auto_check: str


class DirectiveDetailOut(DirectiveOut):
    issuer: str
    issuer_parent: str
    signer_authority: str
    signer_title: str
    signer_name: str
    preamble: str
    contact: str
    dispatched_at: datetime | None
    created_at: datetime
    updated_at: datetime
    items: list[ItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[DirectiveItem]:
        return list(obj.items.order_by("order", "id"))


class EvidenceOut(Schema):
    id: int
    kind: str
    name: str
    url: str = Field(description="Đường dẫn đã nộp, hoặc nơi tải tệp (giao diện web, cần đăng nhập).")
    note: str
    size: int
    added_at: datetime

    @staticmethod
    def resolve_name(obj: Evidence) -> str:
        return obj.original_name

    @staticmethod
    def resolve_url(obj: Evidence) -> str:
        if obj.kind != EvidenceKind.FILE:
            return obj.url
        try:
            return reverse("web:directive_evidence", args=[obj.id])
        except NoReverseMatch:
            return ""


class ReportOut(Schema):
    id: int
    recipient_id: int
    unit_id: int | None
    organization_id: int | None
    item_id: int
    item_code: str
    status: str
    note: str
    reported_at: datetime | None
    review: str
    review_comment: str
    reviewed_at: datetime | None
    auto_verdict: str
    auto_detail: str
    auto_computed_at: datetime | None
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_unit_id(obj: Any) -> int | None:
        recipient: Recipient = obj.recipient
        return recipient.unit_id

    @staticmethod
    def resolve_organization_id(obj: Any) -> int | None:
        recipient: Recipient = obj.recipient
        return recipient.organization_id

    @staticmethod
    def resolve_item_code(obj: Any) -> str:
        item: DirectiveItem = obj.item
        return item.code

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Evidence]:
        return list(obj.evidence.all())


class CellOut(Schema):
    state: str
    conflict: bool


class MatrixItemOut(Schema):
    id: int
    code: str


class MatrixRowOut(Schema):
    recipient_id: int
    kind: str
    unit_id: int | None
    organization_id: int | None
    name: str
    group: str
    acknowledged_at: datetime | None
    complete: int
    total: int
    complied: bool
    conflicts: int
    cells: dict[str, CellOut | None] = Field(description="Theo mã mục; null khi mục không áp dụng với nơi nhận.")


class GroupOut(Schema):
    key: str
    name: str
    recipients: int
    acknowledged: int
    complied: int
    items_complete: int
    items_total: int
    percent: int


class MatrixOut(Schema):
    directive_id: int
    computed_at: datetime
    items: list[MatrixItemOut]
    rows: list[MatrixRowOut]
    groups: list[GroupOut]
    state_counts: dict[str, int]
