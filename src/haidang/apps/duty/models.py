"""Duty periods, the rosters each owner publishes for them, their shifts and handover notes.

A roster's owner is exactly one of: the department (unit and organization both empty), a unit, or
a telecom organisation.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from haidang.apps.duty.phones import validate_vn_phone
from haidang.apps.registry.models import Organization, Unit, UnitGroup


class DutyPeriod(models.Model):
    """A high-risk period the department announces (e.g. the National Day holiday)."""

    name = models.CharField(_("tên đợt trực"), max_length=200)
    starts_at = models.DateTimeField(_("bắt đầu"))
    ends_at = models.DateTimeField(_("kết thúc"))
    groups = models.ManyToManyField(
        UnitGroup, verbose_name=_("các khối đơn vị phải nộp lịch"), blank=True, related_name="duty_periods"
    )
    telecoms_required = models.BooleanField(_("doanh nghiệp viễn thông phải nộp lịch"), default=False)
    note = models.TextField(_("ghi chú, yêu cầu"), blank=True, max_length=5000)
    announced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thông báo"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-starts_at", "-id")
        verbose_name = _("đợt trực")
        verbose_name_plural = _("đợt trực")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="period_ends_after_start",
                violation_error_message=_("Thời điểm kết thúc phải sau thời điểm bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp")


class OwnerKind(models.TextChoices):
    DEPARTMENT = "department", _("Sở")
    UNIT = "unit", _("Đơn vị")
    ORGANIZATION = "organization", _("Doanh nghiệp viễn thông")


class Roster(models.Model):
    """One owner's duty roster (lịch trực) for one period."""

    period = models.ForeignKey(DutyPeriod, verbose_name=_("đợt trực"), on_delete=models.PROTECT, related_name="rosters")
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), null=True, blank=True, on_delete=models.PROTECT, related_name="duty_rosters"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("doanh nghiệp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="duty_rosters",
    )
    status = models.CharField(_("trạng thái"), max_length=16, choices=RosterStatus.choices, default=RosterStatus.DRAFT)
    submitted_at = models.DateTimeField(_("thời điểm nộp"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nộp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("period_id", "unit_id", "organization_id")
        verbose_name = _("lịch trực")
        verbose_name_plural = _("lịch trực")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=True) | models.Q(organization__isnull=True),
                name="roster_has_one_owner",
                violation_error_message=_(
                    "Lịch trực thuộc về Sở, một đơn vị hoặc một doanh nghiệp, không thể cùng lúc."
                ),
            ),
            models.UniqueConstraint(
                fields=("period", "unit"),
                condition=models.Q(unit__isnull=False),
                name="roster_unique_per_unit",
                violation_error_message=_("Đã có lịch trực của chủ thể này trong đợt trực."),
                violation_error_code="unique",
            ),
            models.UniqueConstraint(
                fields=("period", "organization"),
                condition=models.Q(organization__isnull=False),
                name="roster_unique_per_organization",
                violation_error_message=_("Đã có lịch trực của chủ thể này trong đợt trực."),
                violation_error_code="unique",
            ),
            models.UniqueConstraint(
                fields=("period",),
                condition=models.Q(unit__isnull=True, organization__isnull=True),
                name="roster_unique_for_department",
                violation_error_message=_("Đã có lịch trực của chủ thể này trong đợt trực."),
                violation_error_code="unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.owner_name} — {self.period}"

    @property
    def owner_kind(self) -> str:
        if self.unit_id is not None:
            return OwnerKind.UNIT
        if self.organization_id is not None:
            return OwnerKind.ORGANIZATION
        return OwnerKind.DEPARTMENT

    @property
    def owner_name(self) -> str:
        if self.unit is not None:
            return self.unit.name
        if self.organization is not None:
            return self.organization.name
        return settings.HAIDANG_ORG_NAME

    @property
    def is_submitted(self) -> bool:
        return self.status == RosterStatus.SUBMITTED


class ShiftRole(models.TextChoices):
    PRIMARY = "primary", _("Trực chính")
    BACKUP = "backup", _("Trực dự phòng")


class Shift(models.Model):
    roster = models.ForeignKey(Roster, verbose_name=_("lịch trực"), on_delete=models.CASCADE, related_name="shifts")
    starts_at = models.DateTimeField(_("bắt đầu ca"))
    ends_at = models.DateTimeField(_("kết thúc ca"))
    person_name = models.CharField(_("người trực"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản nhận thông báo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duty_shifts",
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=ShiftRole.choices, default=ShiftRole.PRIMARY)
    phone = models.CharField(_("điện thoại"), max_length=20, validators=[validate_vn_phone])
    messaging_handle = models.CharField(_("Zalo / Telegram"), max_length=100, blank=True)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # "primary" sorts after "backup": descending puts the primary first among shifts starting together.
        ordering = ("starts_at", "-role", "id")
        verbose_name = _("ca trực")
        verbose_name_plural = _("ca trực")
        indexes: ClassVar[list[models.Index]] = [models.Index(fields=("starts_at", "ends_at"), name="shift_span")]
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="shift_ends_after_start",
                violation_error_message=_("Giờ kết thúc ca phải sau giờ bắt đầu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} {self.starts_at:%d/%m/%Y %H:%M}"

    @property
    def is_primary(self) -> bool:
        return self.role == ShiftRole.PRIMARY


class HandoverNote(models.Model):
    """What the outgoing officer tells the next one: open incidents, pending requests, anything odd."""

    shift = models.ForeignKey(Shift, verbose_name=_("ca trực"), on_delete=models.CASCADE, related_name="handover_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người viết"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("nội dung bàn giao"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("ghi chú bàn giao ca")
        verbose_name_plural = _("ghi chú bàn giao ca")

    def __str__(self) -> str:
        return self.text[:60]
