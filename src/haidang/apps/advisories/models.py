"""Advisories: vulnerability records (NVD, CISA KEV) and their imports, which units' systems they affect,
and the numbered warnings the department sends to those units with each system's remediation."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haidang.apps.advisories.storage import evidence_storage

MAX_DESCRIPTION = 10_000
MAX_REFERENCES = 50
MAX_MESSAGE = 2_000
#: Compact JSON of the configurations above this many characters is not stored (see ``configurations_oversize``).
MAX_CONFIGURATIONS_CHARS = 2_000_000


class FeedSource(models.TextChoices):
    NVD_FILE = "nvd_file", _("Tệp NVD")
    KEV_FILE = "kev_file", _("Tệp KEV")
    NVD_API = "nvd_api", _("API NVD")
    KEV_URL = "kev_url", _("Danh mục KEV trực tuyến")


class Vulnerability(models.Model):
    """One CVE as the feeds last described it. Public data: every signed-in role may read it."""

    cve_id = models.CharField(_("mã CVE"), max_length=32, unique=True)
    status = models.CharField(_("trạng thái NVD"), max_length=100, blank=True)
    published = models.DateTimeField(_("ngày công bố"), null=True, blank=True)
    # NVD's lastModified: an import never replaces a record with an older one.
    last_modified = models.DateTimeField(_("NVD cập nhật lúc"), null=True, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    cvss_score = models.DecimalField(_("điểm CVSS"), max_digits=3, decimal_places=1, null=True, blank=True)
    cvss_severity = models.CharField(_("mức độ CVSS"), max_length=16, blank=True)
    cwes = models.JSONField(_("CWE"), default=list, blank=True)
    references = models.JSONField(_("tham chiếu"), default=list, blank=True)
    # The NVD configurations in the compact form of ``advisories.configurations``, enough to rebuild
    # the applicability matcher without the original feed file.
    configurations = models.JSONField(_("cấu hình bị ảnh hưởng"), default=list, blank=True)
    configurations_oversize = models.BooleanField(_("cấu hình quá lớn, không lưu"), default=False)
    in_kev = models.BooleanField(_("đang bị khai thác (KEV)"), default=False)
    kev_date_added = models.DateField(_("ngày đưa vào KEV"), null=True, blank=True)
    kev_due_date = models.DateField(_("hạn khắc phục theo KEV"), null=True, blank=True)
    kev_required_action = models.TextField(_("hành động yêu cầu (KEV)"), blank=True)
    kev_ransomware = models.BooleanField(_("bị dùng trong mã hoá tống tiền"), default=False)
    sources = models.JSONField(_("nguồn"), default=list, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("lỗ hổng")
        verbose_name_plural = _("lỗ hổng")
        indexes = [
            models.Index(fields=["in_kev"], name="advisories_vuln_in_kev"),
            models.Index(fields=["-published"], name="advisories_vuln_published"),
        ]

    def __str__(self) -> str:
        return self.cve_id


class FeedImport(models.Model):
    """One import run of one feed file or download, successful or not."""

    source = models.CharField(_("nguồn"), max_length=16, choices=FeedSource.choices)
    started_at = models.DateTimeField(_("bắt đầu"))
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    ok = models.BooleanField(_("thành công"), default=False)
    file_name = models.CharField(_("tệp"), max_length=255, blank=True)
    records_read = models.PositiveIntegerField(_("số bản ghi đọc được"), default=0)
    created = models.PositiveIntegerField(_("thêm mới"), default=0)
    updated = models.PositiveIntegerField(_("cập nhật"), default=0)
    unchanged = models.PositiveIntegerField(_("không đổi"), default=0)
    skipped = models.PositiveIntegerField(_("bỏ qua"), default=0)
    message = models.TextField(_("thông báo"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lần nhập dữ liệu lỗ hổng")
        verbose_name_plural = _("các lần nhập dữ liệu lỗ hổng")
        indexes = [models.Index(fields=["source", "ok", "-finished_at"], name="advisories_import_last")]

    def __str__(self) -> str:
        return f"{self.source} {timezone.localtime(self.started_at):%Y-%m-%d %H:%M} {'ok' if self.ok else 'lỗi'}"


class VulnerabilityProduct(models.Model):
    """One (vendor, product) a record's configurations name: the index a match run loads records by."""

    vulnerability = models.ForeignKey(Vulnerability, on_delete=models.CASCADE, related_name="products")
    vendor = models.CharField(max_length=200)
    product = models.CharField(max_length=200)
    # products.squash(cpe_text(product)): how rows resolved only by the feeds' vocabulary ask for it.
    product_key = models.CharField(max_length=200)

    class Meta:
        indexes = [
            models.Index(fields=["vendor", "product"], name="advisories_vp_pair"),
            models.Index(fields=["product_key"], name="advisories_vp_key"),
        ]

    def __str__(self) -> str:
        return f"{self.vendor}:{self.product}"


class MatchRun(models.Model):
    """One match of the whole inventory against the stored records: what it found and what needs a human."""

    started_at = models.DateTimeField(_("bắt đầu"))
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("số dòng kiểm kê"), default=0)
    records = models.PositiveIntegerField(_("số bản ghi đã xét"), default=0)
    matches = models.PositiveIntegerField(_("số cặp hệ thống – CVE"), default=0)
    opened = models.PositiveIntegerField(_("mới phát hiện"), default=0)
    closed = models.PositiveIntegerField(_("không còn ảnh hưởng"), default=0)
    # The engine's review list (capped): rows it could not decide, as dicts of ReviewItem fields.
    review = models.JSONField(_("cần xem xét"), default=list, blank=True)
    review_total = models.PositiveIntegerField(default=0)
    catalogue_version = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ("-started_at", "-id")
        verbose_name = _("lần đối chiếu kiểm kê")
        verbose_name_plural = _("các lần đối chiếu kiểm kê")

    def __str__(self) -> str:
        return f"match {timezone.localtime(self.started_at):%Y-%m-%d %H:%M}"


class Exposure(models.Model):
    """A unit's system (or website) that the current inventory says is affected by a CVE.

    ``system`` is set for software recorded in the registry and for websites that belong to a system;
    ``website`` for what monitoring observed on a website. ``resolved_at`` is set when a later match no
    longer finds it (the inventory changed), and cleared if it comes back.
    """

    unit = models.ForeignKey("registry.Unit", on_delete=models.CASCADE, related_name="exposures")
    system = models.ForeignKey(
        "registry.InformationSystem", null=True, blank=True, on_delete=models.CASCADE, related_name="exposures"
    )
    website = models.ForeignKey(
        "registry.Website", null=True, blank=True, on_delete=models.CASCADE, related_name="exposures"
    )
    vulnerability = models.ForeignKey(Vulnerability, on_delete=models.CASCADE, related_name="exposures")
    software = models.CharField(_("phần mềm"), max_length=500, blank=True)
    observed = models.BooleanField(_("do giám sát phát hiện"), default=False)
    first_seen_at = models.DateTimeField(_("phát hiện lúc"))
    last_seen_at = models.DateTimeField(_("còn thấy lúc"))
    resolved_at = models.DateTimeField(_("hết ảnh hưởng lúc"), null=True, blank=True)

    class Meta:
        ordering = ("unit_id", "system_id", "website_id", "vulnerability_id")
        verbose_name = _("hệ thống bị ảnh hưởng")
        verbose_name_plural = _("hệ thống bị ảnh hưởng")
        indexes = [
            models.Index(fields=["vulnerability", "resolved_at"], name="advisories_exposure_vuln"),
            models.Index(fields=["unit", "resolved_at"], name="advisories_exposure_unit"),
        ]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(system__isnull=False) | models.Q(website__isnull=False),
                name="exposure_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.system_id or self.website_id} {self.vulnerability_id}"

    @property
    def target_label(self) -> str:
        if self.system_id is not None and self.system is not None:
            return self.system.name
        return self.website.url if self.website is not None else ""


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Nghiêm trọng")
    HIGH = "high", _("Cao")
    MEDIUM = "medium", _("Trung bình")
    LOW = "low", _("Thấp")


class WarningStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SENT = "sent", _("Đã gửi")
    CLOSED = "closed", _("Đã kết thúc")


class SecurityWarning(models.Model):
    """A numbered vulnerability warning (văn bản cảnh báo) from the department to the affected units."""

    number = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    issued_on = models.DateField(_("ngày ban hành"))
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255)
    issuer_parent = models.CharField(_("cơ quan chủ quản"), max_length=255, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=200, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    summary = models.TextField(_("tóm tắt lỗ hổng"), max_length=10_000)
    action = models.TextField(_("yêu cầu khắc phục"), max_length=10_000)
    severity = models.CharField(_("mức độ"), max_length=16, choices=Severity.choices, default=Severity.HIGH)
    deadline = models.DateTimeField(_("hạn khắc phục"))
    vulnerabilities = models.ManyToManyField(
        Vulnerability, verbose_name=_("lỗ hổng"), related_name="warnings", blank=True
    )
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=WarningStatus.choices, default=WarningStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)

    class Meta:
        ordering = ("-issued_on", "-id")
        verbose_name = _("cảnh báo lỗ hổng")
        verbose_name_plural = _("cảnh báo lỗ hổng")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=("number",), condition=~models.Q(number=""), name="security_warning_number_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}" if self.number else self.title


class WarningRecipient(models.Model):
    """A unit the warning was sent to: its acknowledgement and reminders."""

    warning = models.ForeignKey(SecurityWarning, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey("registry.Unit", on_delete=models.PROTECT, related_name="warning_receipts")
    sent_at = models.DateTimeField(_("gửi lúc"))
    acknowledged_at = models.DateTimeField(_("xác nhận đã nhận lúc"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminded_at = models.DateTimeField(_("nhắc hạn lúc"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("báo quá hạn lúc"), null=True, blank=True)

    class Meta:
        ordering = ("warning_id", "unit__group__order", "unit__number", "id")
        verbose_name = _("đơn vị nhận cảnh báo")
        verbose_name_plural = _("đơn vị nhận cảnh báo")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("warning", "unit"), name="warning_recipient_once"),
        ]

    def __str__(self) -> str:
        return f"{self.warning_id}/{self.unit_id}"


class RemediationStatus(models.TextChoices):
    OPEN = "open", _("Chưa khắc phục")
    PATCHED = "patched", _("Đã vá")
    MITIGATED = "mitigated", _("Đã áp dụng biện pháp giảm thiểu")
    NOT_APPLICABLE = "not_applicable", _("Không bị ảnh hưởng")
    RISK_ACCEPTED = "risk_accepted", _("Chấp nhận rủi ro")


class Verification(models.TextChoices):
    NONE = "", _("Chưa xác minh")
    PENDING = "pending", _("Chờ lần quét tiếp theo")
    VERIFIED = "verified", _("Nền tảng đã xác minh")
    REOPENED = "reopened", _("Xác minh không đạt, mở lại")
    UNVERIFIABLE = "unverifiable", _("Không tự xác minh được")


class AffectedSystem(models.Model):
    """One system (or website) of a recipient the warning concerns, and the unit's report on it."""

    recipient = models.ForeignKey(WarningRecipient, on_delete=models.CASCADE, related_name="systems")
    system = models.ForeignKey(
        "registry.InformationSystem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    website = models.ForeignKey("registry.Website", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    label = models.CharField(_("hệ thống"), max_length=500)
    software = models.CharField(_("phần mềm bị ảnh hưởng"), max_length=1000, blank=True)
    cves = models.JSONField(_("CVE"), default=list)
    # The inventory behind it: registry SoftwareComponent ids (their version is updated when the unit
    # reports the patched version) and the websites monitoring saw the software on (re-scanned to verify).
    components = models.JSONField(default=list, blank=True)
    websites = models.JSONField(default=list, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=16, choices=RemediationStatus.choices, default=RemediationStatus.OPEN
    )
    fixed_version = models.CharField(_("phiên bản sau khi vá"), max_length=100, blank=True)
    note = models.TextField(_("giải trình"), blank=True, max_length=5000)
    reported_at = models.DateTimeField(_("báo cáo lúc"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verification = models.CharField(
        _("xác minh"), max_length=16, choices=Verification.choices, default=Verification.NONE, blank=True
    )
    verification_note = models.TextField(_("kết quả xác minh"), blank=True, max_length=2000)
    verified_at = models.DateTimeField(_("xác minh lúc"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("số lần mở lại"), default=0)

    class Meta:
        ordering = ("recipient_id", "label", "id")
        verbose_name = _("hệ thống trong cảnh báo")
        verbose_name_plural = _("hệ thống trong cảnh báo")

    def __str__(self) -> str:
        return self.label

    @property
    def fixed(self) -> bool:
        return self.status in FIXED_STATUSES and self.verification != Verification.REOPENED


#: Counted as fixed in "fixed/total"; not-applicable systems leave the total.
FIXED_STATUSES = frozenset({RemediationStatus.PATCHED, RemediationStatus.MITIGATED})


class WarningEvidence(models.Model):
    """A file (checked by content, never served directly) or a link backing a system's report."""

    system = models.ForeignKey(AffectedSystem, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(max_length=200, storage=evidence_storage, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("đường dẫn"), max_length=1000, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("added_at", "id")
        verbose_name = _("minh chứng khắc phục")
        verbose_name_plural = _("minh chứng khắc phục")

    def __str__(self) -> str:
        return self.original_name or self.url
