"""Directives (văn bản chỉ đạo) as data: items, recipients, each recipient's report per item, evidence.

A directive is issued by the department, dispatched to recipients (a government unit, a telecom or a
provider organisation), and each recipient reports item by item. What the platform can prove itself
(a duty roster, clean websites, …) is kept apart from what the recipient declared: ``auto_*`` fields.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haidang.apps.directives.storage import evidence_storage
from haidang.apps.registry.models import Organization, Unit


class RecipientKind(models.TextChoices):
    UNIT = "unit", _("Cơ quan, đơn vị nhà nước")
    TELECOM = "telecom", _("Doanh nghiệp viễn thông, Internet")
    PROVIDER = "provider", _("Tổ chức, doanh nghiệp cung cấp nền tảng, dịch vụ")


class AutoCheck(models.TextChoices):
    """What the platform can verify on its own for an item (letter items 1a, 1d, 1e, 1h)."""

    NONE = "", _("Không kiểm tra tự động")
    DUTY_ROSTER = "duty_roster", _("Lịch trực đã nộp phủ kín thời gian hiệu lực")
    WEBSITES_CLEAN = "websites_clean", _("Website được giám sát, không có phát hiện mức cao/nghiêm trọng đang mở")
    VULNERABILITY_WARNINGS = "vulnerability_warnings", _("Không có cảnh báo lỗ hổng quá hạn chưa khắc phục")
    BACKUPS_VERIFIED = "backups_verified", _("Sao lưu dữ liệu đã được kiểm chứng")


class DirectiveStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    DISPATCHED = "dispatched", _("Đã gửi")
    CLOSED = "closed", _("Đã kết thúc")


class Directive(models.Model):
    number = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    issuer_parent = models.CharField(_("cơ quan chủ quản"), max_length=255, blank=True)
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=100, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=200, blank=True)
    subject = models.CharField(_("trích yếu"), max_length=500)
    preamble = models.TextField(_("căn cứ, mở đầu"), blank=True, max_length=10000)
    contact = models.TextField(_("đầu mối phối hợp"), blank=True, max_length=2000)
    effective_from = models.DateField(_("hiệu lực từ ngày"))
    effective_until = models.DateField(_("hiệu lực đến ngày"))
    report_due_at = models.DateTimeField(_("hạn báo cáo"))
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=DirectiveStatus.choices, default=DirectiveStatus.DRAFT
    )
    template_key = models.CharField(_("mẫu"), max_length=100, blank=True)
    template_version = models.CharField(_("phiên bản mẫu"), max_length=40, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    dispatched_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)

    class Meta:
        ordering = ("-issued_on", "-id")
        verbose_name = _("văn bản chỉ đạo")
        verbose_name_plural = _("văn bản chỉ đạo")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(effective_until__gte=models.F("effective_from")),
                name="directive_period_ordered",
                violation_error_message=_("Ngày kết thúc hiệu lực phải sau hoặc bằng ngày bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.subject}" if self.number else self.subject


class DirectiveItem(models.Model):
    """One measure of a directive, with a code that stays the same across copies of a template ("1a")."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("mã mục"), max_length=16)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    section = models.CharField(_("phần"), max_length=500, blank=True)
    text = models.TextField(_("nội dung"), max_length=5000)
    applies_to = models.JSONField(_("áp dụng cho"), default=list)  # list of RecipientKind values
    evidence_expected = models.TextField(_("minh chứng cần nộp"), blank=True, max_length=2000)
    auto_check = models.CharField(
        _("kiểm tra tự động"), max_length=32, choices=AutoCheck.choices, default=AutoCheck.NONE, blank=True
    )

    class Meta:
        ordering = ("directive_id", "order", "id")
        verbose_name = _("mục văn bản chỉ đạo")
        verbose_name_plural = _("mục văn bản chỉ đạo")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("directive", "code"), name="directive_item_code_unique"),
        ]

    def __str__(self) -> str:
        return self.code

    def applies(self, kind: str) -> bool:
        return kind in (self.applies_to or [])


class Recipient(models.Model):
    """A unit or an organisation the directive was dispatched to: its task list and receipt."""

    directive = models.ForeignKey(Directive, on_delete=models.CASCADE, related_name="recipients")
    kind = models.CharField(_("loại"), max_length=16, choices=RecipientKind.choices)
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="directive_receipts")
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="directive_receipts"
    )
    dispatched_at = models.DateTimeField(_("gửi lúc"))
    dispatched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("xác nhận đã nhận lúc"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(_("nhắc hạn lúc"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("báo quá hạn lúc"), null=True, blank=True)

    class Meta:
        ordering = ("directive_id", "unit__group__order", "unit__number", "organization__name", "id")
        verbose_name = pgettext_lazy("directive", "nơi nhận")
        verbose_name_plural = pgettext_lazy("directive", "nơi nhận")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="unit", unit__isnull=False, organization__isnull=True)
                    | (~models.Q(kind="unit") & models.Q(unit__isnull=True, organization__isnull=False))
                ),
                name="recipient_is_unit_or_organization",
            ),
            models.UniqueConstraint(
                fields=("directive", "unit"), condition=models.Q(unit__isnull=False), name="recipient_unit_once"
            ),
            models.UniqueConstraint(
                fields=("directive", "organization"),
                condition=models.Q(organization__isnull=False),
                name="recipient_organization_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owner(self) -> Unit | Organization:
        owner = self.unit if self.unit_id is not None else self.organization
        if owner is None:  # the check constraint makes this impossible for a saved row
            raise ValueError("a recipient is a unit or an organization")
        return owner

    @property
    def name(self) -> str:
        return self.owner.name


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Chưa báo cáo")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Đã thực hiện")
    NOT_APPLICABLE = "not_applicable", _("Không áp dụng")


class ReviewStatus(models.TextChoices):
    NONE = "", _("Chưa gửi xem xét")
    SUBMITTED = "submitted", _("Chờ Sở xem xét")
    ACCEPTED = "accepted", _("Sở đã chấp nhận")
    RETURNED = "returned", _("Sở trả lại")


class AutoVerdict(models.TextChoices):
    NONE = "", _("Không kiểm tra tự động")
    PASS = "pass", pgettext_lazy("auto verdict", "Đạt")
    FAIL = "fail", pgettext_lazy("auto verdict", "Chưa đạt")
    UNKNOWN = "unknown", _("Chưa đủ dữ liệu")


class ItemReport(models.Model):
    """A recipient's report on one item: what it declared, the department's review, the platform's verdict."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="reports")
    item = models.ForeignKey(DirectiveItem, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    note = models.TextField(_("giải trình"), blank=True, max_length=5000)
    reported_at = models.DateTimeField(_("báo cáo lúc"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review = models.CharField(
        _("xem xét"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.NONE, blank=True
    )
    review_comment = models.TextField(_("ý kiến của Sở"), blank=True, max_length=5000)
    reviewed_at = models.DateTimeField(_("xem xét lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    auto_verdict = models.CharField(
        _("kết quả kiểm tra tự động"), max_length=16, choices=AutoVerdict.choices, default=AutoVerdict.NONE, blank=True
    )
    auto_detail = models.TextField(_("chi tiết kiểm tra tự động"), blank=True, max_length=2000)
    auto_computed_at = models.DateTimeField(_("kiểm tra tự động lúc"), null=True, blank=True)

    class Meta:
        ordering = ("recipient_id", "item__order", "item_id")
        verbose_name = _("báo cáo theo mục")
        verbose_name_plural = _("báo cáo theo mục")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("recipient", "item"), name="item_report_once"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}/{self.item_id}"


class EvidenceKind(models.TextChoices):
    FILE = "file", _("Tệp")
    LINK = "link", _("Đường dẫn")
    NOTE = "note", _("Ghi chú")


class Evidence(models.Model):
    """A file (checked by content, kept outside any served directory), a link or a note."""

    report = models.ForeignKey(ItemReport, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("loại"), max_length=8, choices=EvidenceKind.choices)
    file = models.FileField(max_length=200, storage=evidence_storage, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    note = models.TextField(_("ghi chú"), blank=True, max_length=5000)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("added_at", "id")
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")

    def __str__(self) -> str:
        return self.original_name or self.url or self.note[:60]


class EventKind(models.TextChoices):
    DISPATCHED = "dispatched", _("Nhận văn bản")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("directive", "Xác nhận đã nhận")
    REPORTED = "reported", _("Báo cáo")
    EVIDENCE = "evidence", _("Minh chứng")
    ACCEPTED = "accepted", _("Sở chấp nhận")
    RETURNED = "returned", _("Sở trả lại")
    REMINDED = "reminded", _("Nhắc hạn")
    ESCALATED = "escalated", _("Quá hạn, báo cáo Sở")


class RecipientEvent(models.Model):
    """The recipient's timeline: receipt, reports, evidence, reviews, reminders. Never edited."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="events")
    item = models.ForeignKey(DirectiveItem, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    body = models.TextField(blank=True, max_length=5000)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.kind}"
