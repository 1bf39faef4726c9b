"""What the department publishes on the public portal."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeSeverity(models.TextChoices):
    INFO = "info", _("Thông tin")
    WARNING = "warning", _("Cảnh báo")
    CRITICAL = "critical", _("Khẩn cấp")


class PublicNotice(models.Model):
    """An advisory for the public (scam wave, vulnerability, outage). The body is plain text, never HTML."""

    title = models.CharField(_("tiêu đề"), max_length=200)
    summary = models.CharField(_("tóm tắt"), max_length=500, blank=True)
    body = models.TextField(_("nội dung"), max_length=20_000)
    severity = models.CharField(_("mức độ"), max_length=16, choices=NoticeSeverity.choices, default=NoticeSeverity.INFO)
    source_url = models.URLField(_("nguồn tham khảo"), max_length=500, blank=True)
    is_published = models.BooleanField(_("đã đăng"), default=False)
    published_at = models.DateTimeField(_("thời điểm đăng"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-published_at", "-id")
        verbose_name = _("thông báo công khai")
        verbose_name_plural = _("thông báo công khai")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(is_published=False) | models.Q(published_at__isnull=False),
                name="published_notice_has_date",
            ),
        ]
        indexes: ClassVar[list[models.Index]] = [
            models.Index(fields=("is_published", "-published_at"), name="notice_published"),
        ]

    def __str__(self) -> str:
        return self.title
