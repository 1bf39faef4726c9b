"""Incidents: what happened to which unit, who handles it, and everything that was done about it."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haidang.apps.incidents.attachments import attachment_storage
from haidang.apps.registry.models import InformationSystem, Organization, Unit


class Category(models.TextChoices):
    DEFACEMENT = "defacement", _("Thay đổi giao diện (deface)")
    MALWARE = "malware", _("Mã độc / mã hoá tống tiền")
    DATA_LEAK = "data_leak", _("Lộ, lọt dữ liệu")
    DDOS = "ddos", _("Tấn công từ chối dịch vụ (DDoS)")
    PHISHING = "phishing", _("Lừa đảo, giả mạo (phishing/scam)")
    INTRUSION = "intrusion", _("Xâm nhập trái phép")
    OTHER = "other", _("Khác")


class Severity(models.TextChoices):
    LOW = "low", _("Thấp")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Cao")
    CRITICAL = "critical", _("Nghiêm trọng")


class Status(models.TextChoices):
    NEW = "new", pgettext_lazy("incident status", "Mới tiếp nhận")
    TRIAGED = "triaged", pgettext_lazy("incident status", "Đã phân loại")
    IN_PROGRESS = "in_progress", pgettext_lazy("incident status", "Đang xử lý")
    RESOLVED = "resolved", pgettext_lazy("incident status", "Đã khắc phục")
    CLOSED = "closed", pgettext_lazy("incident status", "Đã đóng")


#: Statuses in which an incident still needs work.
OPEN_STATUSES = frozenset({Status.NEW, Status.TRIAGED, Status.IN_PROGRESS})


class Source(models.TextChoices):
    WEB = "web", _("Biểu mẫu của đơn vị / Sở")
    PORTAL = "portal", _("Cổng thông tin cho người dân")
    API = "api", _("API")
    EMAIL = "email", _("Thư điện tử")
    MONITORING = "monitoring", _("Giám sát tự động")


class Queue(models.TextChoices):
    UNIT = "unit", _("Đơn vị tự xử lý")
    DEPARTMENT = "department", _("Sở điều phối")


class PublicKind(models.TextChoices):
    INCIDENT = "incident", _("Báo cáo sự cố")
    SCAM = "scam", _("Phản ánh lừa đảo")


class IncidentCounter(models.Model):
    """The last reference number used in a year; locked while the next one is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Incident(models.Model):
    reference = models.CharField(_("số hiệu"), max_length=32, unique=True)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="incidents"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("doanh nghiệp báo cáo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incidents",
    )
    systems = models.ManyToManyField(
        InformationSystem, verbose_name=_("hệ thống bị ảnh hưởng"), blank=True, related_name="incidents"
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    description = models.TextField(_("mô tả"), max_length=20_000, blank=True)
    category = models.CharField(_("loại sự cố"), max_length=16, choices=Category.choices)
    severity = models.CharField(_("mức độ"), max_length=16, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.NEW)
    queue = models.CharField(_("hàng đợi"), max_length=16, choices=Queue.choices, default=Queue.UNIT)
    source = models.CharField(_("nguồn tiếp nhận"), max_length=16, choices=Source.choices)
    beyond_capacity = models.BooleanField(_("vượt khả năng xử lý của đơn vị"), default=False)
    beyond_capacity_at = models.DateTimeField(null=True, blank=True)
    personal_data = models.BooleanField(_("liên quan dữ liệu cá nhân"), default=False)
    discovered_at = models.DateTimeField(_("thời điểm phát hiện"))
    reported_at = models.DateTimeField(_("thời điểm báo cáo"))
    resolved_at = models.DateTimeField(_("thời điểm khắc phục"), null=True, blank=True)
    closed_at = models.DateTimeField(_("thời điểm đóng"), null=True, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xử lý"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_incidents",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Monitoring findings and e-mails carry a key so a repeat does not open a second incident.
    dedupe_key = models.CharField(max_length=200, blank=True, db_index=True)
    # Public reports: who reported, and the SHA-256 of the tracking code (the code itself is never stored).
    public_kind = models.CharField(_("loại phản ánh"), max_length=16, choices=PublicKind.choices, blank=True)
    reporter_name = models.CharField(_("người báo cáo"), max_length=200, blank=True)
    reporter_contact = models.CharField(_("liên hệ người báo cáo"), max_length=200, blank=True)
    subject_url = models.CharField(_("địa chỉ liên quan"), max_length=2000, blank=True)
    tracking_digest = models.CharField(max_length=64, null=True, blank=True, unique=True)
    client_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-reported_at", "-id")
        verbose_name = _("sự cố")
        verbose_name_plural = _("sự cố")
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=("status", "queue"), name="incident_status_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_public_report(self) -> bool:
        return bool(self.public_kind)


class TimelineKind(models.TextChoices):
    CREATED = "created", _("Tiếp nhận sự cố")
    NOTE = "note", _("Ghi chú")
    STATUS = "status", _("Chuyển trạng thái")
    ASSIGNMENT = "assignment", _("Phân công")
    UPDATE = "update", _("Cập nhật thông tin")
    TASK = "task", _("Nhiệm vụ")
    ATTACHMENT = "attachment", _("Tệp đính kèm")
    INDICATOR = "indicator", _("Dấu hiệu nhận biết (IOC)")
    BEYOND_CAPACITY = "beyond_capacity", _("Vượt khả năng xử lý, chuyển Sở")
    ESCALATION = "escalation", _("Báo cáo, đề nghị hỗ trợ cấp quốc gia")
    FINDING = "finding", _("Phát hiện lặp lại từ giám sát")
    DEADLINE = "deadline", _("Đã gửi báo cáo theo quy định")


class TimelineEntry(models.Model):
    """One change or note on an incident. Only ever inserted."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=20, choices=TimelineKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    body = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    # Only notes marked public reach the person who reported through the portal.
    is_public = models.BooleanField(_("công khai cho người báo cáo"), default=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind}"


class IncidentTask(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("nhiệm vụ"), max_length=300)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="incident_tasks",
    )
    due_at = models.DateTimeField(_("hạn"), null=True, blank=True)
    done = models.BooleanField(_("đã xong"), default=False)
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("done", "due_at", "id")

    def __str__(self) -> str:
        return self.title


class Attachment(models.Model):
    """A file checked by content (not by name) and kept outside any served directory."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(max_length=200, storage=attachment_storage)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("uploaded_at", "id")

    def __str__(self) -> str:
        return self.original_name


class IndicatorKind(models.TextChoices):
    URL = "url", "URL"
    DOMAIN = "domain", pgettext_lazy("indicator", "Tên miền")
    IPV4 = "ipv4", "IPv4"
    IPV6 = "ipv6", "IPv6"
    MD5 = "md5", "MD5"
    SHA1 = "sha1", "SHA-1"
    SHA256 = "sha256", "SHA-256"
    EMAIL = "email", pgettext_lazy("indicator", "Thư điện tử")


class Indicator(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="indicators")
    kind = models.CharField(_("loại"), max_length=8, choices=IndicatorKind.choices)
    value = models.CharField(_("giá trị"), max_length=2000)
    note = models.CharField(_("ghi chú"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("kind", "value")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("incident", "kind", "value"), name="indicator_unique_per_incident"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class NationalEscalation(models.Model):
    """The department asked the national incident response system for help, by an official document."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="escalations")
    document_number = models.CharField(_("số văn bản"), max_length=100)
    document_date = models.DateField(_("ngày văn bản"))
    recipient = models.CharField(_("nơi nhận"), max_length=300)
    note = models.TextField(_("nội dung đề nghị"), max_length=5000, blank=True)
    document = models.ForeignKey(
        Attachment, verbose_name=_("văn bản đã gửi"), null=True, blank=True, on_delete=models.SET_NULL
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.document_number} → {self.recipient}"


class DeadlineReport(models.Model):
    """A regulatory report (rule id from deadlines.toml) marked as sent, which stops its clock."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="deadline_reports")
    rule_id = models.CharField(max_length=64)
    sent_at = models.DateTimeField()
    note = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("incident", "rule_id"), name="deadline_report_once"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.rule_id}"
