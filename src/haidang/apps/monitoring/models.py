"""Continuous website monitoring: what is watched, how often, and what was found — as state transitions.

A year of 5-minute checks of 1,000 websites must stay small, so nothing here is a row per check:

- :class:`WatchState` — one row per website: schedule, last result, counters (updated in place);
- :class:`Finding` — one row per distinct problem (the scanner's ``Finding.stable_key()``): opened on
  first detection, ``last_seen_at``/``times_seen`` updated while it persists, resolved when the site is
  clean again, reopened if it returns; :class:`FindingEvent` records each transition and each human decision;
- :class:`DailyScans` — one row per website per day: scans, up, down, flagged, total time (for charts);
- :class:`Snapshot` — page evidence, content-addressed (SHA-256) and zlib-compressed, stored once however
  many findings and scans refer to it;
- :class:`BaselineRecord` — the scanner's learned baseline per website, in the database so that every
  worker machine sees the same one;
- :class:`VantageObservation` — what each vantage point saw of a website at its latest scan (one row
  per website and vantage, updated in place): compared across vantages for geo redirects and DNS.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haidang.apps.notify.models import Severity  # one severity scale for findings and alerts
from haidang.apps.registry.models import Unit, Website


class SiteStatus(models.TextChoices):
    UNKNOWN = "unknown", _("Chưa quét")
    CLEAN = "clean", _("Bình thường")
    FLAGGED = "flagged", _("Có dấu hiệu bất thường")
    DOWN = "down", _("Không truy cập được")


class WatchState(models.Model):
    """The watch over one website: its schedule and its latest state (updated in place every scan)."""

    website = models.OneToOneField(Website, on_delete=models.CASCADE, related_name="watch")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")  # = website.unit, for tenancy
    enabled = models.BooleanField(_("đang giám sát"), default=True)
    # None: the platform default (HAIDANG_SCAN_INTERVAL_MINUTES), or a running heightened-alert period's.
    interval_minutes = models.PositiveIntegerField(_("chu kỳ quét (phút)"), null=True, blank=True)
    next_due_at = models.DateTimeField(default=timezone.now, db_index=True)
    # Set while a scan is queued or running: a second "scan now" or a sweep skips the website. A time,
    # not a flag, so a killed worker cannot keep a website claimed for ever; the token tells a
    # dispatcher which rows its own conditional UPDATE claimed.
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    status = models.CharField(max_length=16, choices=SiteStatus.choices, default=SiteStatus.UNKNOWN)
    reason = models.CharField(_("lý do"), max_length=500, blank=True)  # why unreachable
    last_scan_at = models.DateTimeField(null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    down_since = models.DateTimeField(null=True, blank=True)
    down_alerted_at = models.DateTimeField(null=True, blank=True)  # the current outage was alerted
    # The home page at a recent clean scan (refreshed at most daily): the "before" of a new finding.
    clean_snapshot = models.ForeignKey("Snapshot", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # When clean_snapshot was last taken: the snapshot's own created_at is when its content was first stored.
    clean_snapshot_at = models.DateTimeField(null=True, blank=True)
    baseline_scans = models.PositiveIntegerField(default=0)
    scans_total = models.PositiveBigIntegerField(default=0)
    # Vantage points the website is also scanned from, comma-separated ("hanoi,hcm"); the default
    # vantage always scans it and alone drives its findings.
    vantages = models.CharField(_("quét thêm từ các điểm quan sát"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("trạng thái giám sát")
        verbose_name_plural = _("trạng thái giám sát")

    def __str__(self) -> str:
        return f"{self.website_id}: {self.status}"


class AlertPeriod(models.Model):
    """A heightened-alert period (e.g. a holiday): scan more often, for every unit or the chosen ones."""

    name = models.CharField(_("tên đợt"), max_length=200)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    interval_minutes = models.PositiveIntegerField(_("chu kỳ quét trong đợt (phút)"), default=2)
    units = models.ManyToManyField(Unit, verbose_name=_("đơn vị (để trống: tất cả)"), blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-starts_at",)
        verbose_name = _("đợt cảnh giác cao")
        verbose_name_plural = _("đợt cảnh giác cao")

    def __str__(self) -> str:
        return self.name


class FindingState(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding state", "Đang tồn tại")
    RESOLVED = "resolved", pgettext_lazy("finding state", "Đã hết")


class Disposition(models.TextChoices):
    NONE = "", _("Chưa xử lý")
    ACKNOWLEDGED = "acknowledged", _("Đã ghi nhận")
    LEGITIMATE = "legitimate", _("Thay đổi hợp lệ")
    FALSE_POSITIVE = "false_positive", _("Cảnh báo nhầm")


SEVERITY_RANK = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


class Snapshot(models.Model):
    """Evidence bytes stored once: SHA-256 of the content, zlib-compressed on disk under the data directory."""

    digest = models.CharField(max_length=64, primary_key=True)
    size = models.PositiveIntegerField()  # uncompressed
    stored_size = models.PositiveIntegerField()  # compressed
    media_type = models.CharField(max_length=100, default="text/html")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.digest


class Finding(models.Model):
    """One distinct problem on one website, followed across scans."""

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="findings")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")  # = website.unit, for tenancy
    key = models.CharField(max_length=32)  # engines.scanner Finding.stable_key()
    kind = models.CharField(_("loại"), max_length=64)
    severity = models.CharField(_("mức độ"), max_length=16, choices=Severity.choices)
    title = models.CharField(_("tiêu đề"), max_length=300)
    evidence = models.TextField(_("bằng chứng"), max_length=4000)
    url = models.CharField(_("trang"), max_length=2000, blank=True)
    probes = models.CharField(_("nhìn thấy khi truy cập như"), max_length=300, blank=True)
    state = models.CharField(max_length=16, choices=FindingState.choices, default=FindingState.OPEN)
    disposition = models.CharField(max_length=16, choices=Disposition.choices, default=Disposition.NONE, blank=True)
    disposition_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    disposition_at = models.DateTimeField(null=True, blank=True)
    disposition_reason = models.TextField(max_length=2000, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    times_seen = models.PositiveIntegerField(default=1)
    times_reopened = models.PositiveIntegerField(default=0)
    # What the page looked like when it was found, and the last clean page before it (side by side).
    snapshot = models.ForeignKey(Snapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    baseline_snapshot = models.ForeignKey(Snapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )

    class Meta:
        ordering = ("-last_seen_at", "-id")
        verbose_name = _("phát hiện")
        verbose_name_plural = _("phát hiện")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("website", "key"), name="finding_unique_per_website"),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=("unit", "state"), name="finding_unit_state"),
            models.Index(fields=("state", "severity"), name="finding_state_severity"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} @ {self.website_id}"


class FindingEventKind(models.TextChoices):
    OPENED = "opened", pgettext_lazy("finding event", "Phát hiện")
    RESOLVED = "resolved", _("Tự hết khi trang sạch trở lại")
    REOPENED = "reopened", _("Xuất hiện lại")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("finding event", "Ghi nhận")
    ASSIGNED = "assigned", _("Giao xử lý")
    LEGITIMATE = "legitimate", _("Xác nhận thay đổi hợp lệ")
    FALSE_POSITIVE = "false_positive", _("Đánh dấu cảnh báo nhầm")
    INCIDENT = "incident", _("Gắn với sự cố")


class FindingEvent(models.Model):
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=FindingEventKind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.finding_id} {self.kind}"


class DailyScans(models.Model):
    """Per website per day: enough for availability and findings charts without a row per scan."""

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    scans = models.PositiveIntegerField(default=0)
    up = models.PositiveIntegerField(default=0)
    down = models.PositiveIntegerField(default=0)
    flagged = models.PositiveIntegerField(default=0)
    total_ms = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("website", "day"), name="daily_scans_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.website_id} {self.day}"


class BaselineRecord(models.Model):
    """The scanner's baseline for a website URL (JSON, zlib-compressed), shared by every worker."""

    url = models.CharField(max_length=500, unique=True)
    data = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.url


class VantageObservation(models.Model):
    """The latest scan of one website from one vantage point (updated in place)."""

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="+")
    vantage = models.CharField(_("điểm quan sát"), max_length=32)
    scanned_at = models.DateTimeField(_("lúc quét"))
    reachable = models.BooleanField(_("truy cập được"))
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    final_url = models.CharField(_("trang đích sau chuyển hướng"), max_length=2000, blank=True)
    addresses = models.JSONField(_("địa chỉ IP đã kết nối"), default=list, blank=True)
    finding_keys = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ("vantage",)
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("website", "vantage"), name="vantage_observation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.website_id} @ {self.vantage}"


class ObservedSoftware(models.Model):
    """Software a website discloses (``Server``, ``X-Powered-By``, generator tags), as the latest scan saw it.

    One row per website and (vendor, product); the version is updated in place. A product the latest
    reachable scan no longer disclosed keeps its row with ``current=False`` (its last version is history,
    not inventory). The vulnerability matcher reads the current rows as part of each unit's inventory.
    """

    website = models.ForeignKey(Website, on_delete=models.CASCADE, related_name="observed_software")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")  # = website.unit, for tenancy
    vendor = models.CharField(_("hãng"), max_length=200)
    product = models.CharField(_("sản phẩm"), max_length=200)
    version = models.CharField(_("phiên bản"), max_length=100, blank=True)
    source = models.CharField(_("nguồn"), max_length=64)
    evidence = models.CharField(_("bằng chứng"), max_length=300, blank=True)
    current = models.BooleanField(_("đang thấy"), default=True)
    first_seen_at = models.DateTimeField(_("thấy lần đầu"))
    last_seen_at = models.DateTimeField(_("thấy lần cuối"))

    class Meta:
        ordering = ("website_id", "vendor", "product")
        verbose_name = _("phần mềm quan sát được")
        verbose_name_plural = _("phần mềm quan sát được")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("website", "vendor", "product"), name="observed_software_once"),
        ]

    def __str__(self) -> str:
        return f"{self.product} {self.version}".strip()
