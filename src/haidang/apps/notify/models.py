"""Notifications: in-app messages, delivery channels, alerts that escalate, and the delivery log."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haidang.apps.notify.targets import mask_target


class Severity(models.TextChoices):
    INFO = "info", _("Thông tin")
    LOW = "low", _("Thấp")
    MEDIUM = "medium", _("Trung bình")
    HIGH = "high", _("Cao")
    CRITICAL = "critical", _("Nghiêm trọng")


class ChannelKind(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    TELEGRAM = "telegram", _("Telegram (bot)")
    ZALO = "zalo", _("Zalo (bot)")
    WEBHOOK = "webhook", _("Webhook (JSON)")


class Channel(models.Model):
    """Where messages for one person or one unit are sent besides the in-app inbox.

    ``address`` is what identifies the recipient (e-mail address, chat id, webhook URL); ``secret`` is the
    bot token for Telegram and Zalo. Neither is shown back in full: see :attr:`masked_target`.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notify_channels",
    )
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notify_channels",
    )
    kind = models.CharField(_("loại kênh"), max_length=16, choices=ChannelKind.choices)
    name = models.CharField(_("tên gợi nhớ"), max_length=100, blank=True)
    address = models.CharField(_("địa chỉ nhận"), max_length=2000)
    secret = models.CharField(_("mã bí mật"), max_length=500, blank=True)
    enabled = models.BooleanField(_("đang bật"), default=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_attempt_at = models.DateTimeField(_("gửi gần nhất"), null=True, blank=True)
    last_ok = models.BooleanField(_("kết quả gần nhất"), null=True, blank=True)
    last_detail = models.CharField(_("chi tiết lần gửi gần nhất"), max_length=500, blank=True)

    class Meta:
        ordering = ("kind", "id")
        verbose_name = _("kênh thông báo")
        verbose_name_plural = _("kênh thông báo")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, unit__isnull=True)
                | models.Q(user__isnull=True, unit__isnull=False),
                name="notify_channel_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.masked_target}"

    @property
    def masked_target(self) -> str:
        return mask_target(self.kind, self.address, self.secret)


class AlertStatus(models.TextChoices):
    OPEN = "open", _("Chờ xác nhận")
    ACKNOWLEDGED = "acknowledged", _("Đã xác nhận")
    EXHAUSTED = "exhausted", _("Hết cấp chuyển, chưa ai xác nhận")


class Alert(models.Model):
    """Something someone must acknowledge; unacknowledged, it moves up the chain tier by tier."""

    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    link = models.CharField(_("liên kết"), max_length=500, blank=True)
    severity = models.CharField(_("mức độ"), max_length=16, choices=Severity.choices, default=Severity.HIGH)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="notify_alerts",
    )
    status = models.CharField(_("trạng thái"), max_length=16, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    tier_count = models.PositiveSmallIntegerField(_("số cấp"), default=0)
    current_tier = models.PositiveSmallIntegerField(_("cấp hiện tại"), default=0)
    ack_within = models.DurationField(_("thời hạn xác nhận"), null=True, blank=True)
    next_escalation_at = models.DateTimeField(_("chuyển cấp lúc"), null=True, blank=True, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xác nhận"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("xác nhận lúc"), null=True, blank=True)
    dedupe_key = models.CharField(_("khoá chống trùng"), max_length=200, blank=True, db_index=True)
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, db_index=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("cảnh báo cần xác nhận")
        verbose_name_plural = _("cảnh báo cần xác nhận")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["content_type", "object_id"])]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            # Two callers raising the same open alert at once: the database keeps one.
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=models.Q(status="open") & ~models.Q(dedupe_key=""),
                name="notify_alert_one_open_per_dedupe_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == AlertStatus.OPEN


class AlertMember(models.Model):
    """One person at one tier of an alert's escalation chain (tier 0 is told first)."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tier = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ("tier", "id")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["alert", "tier", "user"], name="notify_alert_member_once_per_tier"),
        ]

    def __str__(self) -> str:
        return f"{self.alert_id}/{self.tier}/{self.user_id}"


class AlertEventKind(models.TextChoices):
    RAISED = "raised", _("Phát cảnh báo")
    ESCALATED = "escalated", _("Chuyển cấp")
    ACKNOWLEDGED = "acknowledged", _("Xác nhận đã nhận")
    EXHAUSTED = "exhausted", _("Hết cấp chuyển")


class AlertEvent(models.Model):
    """The escalation history of an alert."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=AlertEventKind.choices)
    tier = models.PositiveSmallIntegerField(null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.alert_id} {self.kind}"


class Notification(models.Model):
    """One message in one person's in-app inbox."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    link = models.CharField(_("liên kết"), max_length=500, blank=True)
    severity = models.CharField(_("mức độ"), max_length=16, choices=Severity.choices, default=Severity.INFO)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryAttempt(models.Model):
    """One try to deliver one message on one channel, with its result. Only ever inserted."""

    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="attempts")
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts"
    )
    channel = models.ForeignKey(Channel, null=True, blank=True, on_delete=models.SET_NULL, related_name="attempts")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey("registry.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("loại kênh"), max_length=16, choices=ChannelKind.choices)
    target = models.CharField(_("nơi nhận"), max_length=300)
    ok = models.BooleanField(_("thành công"))
    detail = models.CharField(_("chi tiết"), max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(_("thời gian (ms)"), default=0)
    created_at = models.DateTimeField(_("thời điểm"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("lần gửi thông báo")
        verbose_name_plural = _("nhật ký gửi thông báo")

    def __str__(self) -> str:
        return f"{self.kind} {self.target} {'ok' if self.ok else 'failed'}"
