"""The city's units, the organisations around them, and the systems they are responsible for."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from haidang.apps.registry.validators import (
    validate_cpe23,
    validate_domain_name,
    validate_host_address,
    validate_http_url,
)


class UnitGroup(models.Model):
    code = models.SlugField(_("mã khối"), max_length=64, unique=True)
    name = models.CharField(_("tên khối"), max_length=255)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ("order", "code")
        verbose_name = _("khối đơn vị")
        verbose_name_plural = _("khối đơn vị")

    def __str__(self) -> str:
        return self.name


class UnitStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    MERGED = "merged", _("Đã sáp nhập")
    DISSOLVED = "dissolved", _("Đã giải thể")


class Unit(models.Model):
    group = models.ForeignKey(UnitGroup, verbose_name=_("khối"), on_delete=models.PROTECT, related_name="units")
    number = models.PositiveIntegerField(_("số thứ tự"), null=True, blank=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    short_code = models.SlugField(_("mã viết tắt"), max_length=64, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    contact_name = models.CharField(_("người đầu mối"), max_length=200, blank=True)
    contact_email = models.EmailField(_("thư điện tử đầu mối"), blank=True)
    contact_phone = models.CharField(_("điện thoại đầu mối"), max_length=40, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=UnitStatus.choices, default=UnitStatus.ACTIVE)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("group__order", "number", "name")
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=~models.Q(status="merged") | models.Q(successor__isnull=False),
                name="merged_unit_has_successor",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == UnitStatus.ACTIVE


class UnitEventKind(models.TextChoices):
    CREATED = "created", _("Tạo mới")
    UPDATED = "updated", _("Cập nhật")
    RENAMED = "renamed", _("Đổi tên")
    MERGED_INTO = "merged_into", _("Sáp nhập vào đơn vị khác")
    ABSORBED = "absorbed", _("Tiếp nhận đơn vị sáp nhập")
    DISSOLVED = "dissolved", _("Giải thể")


class UnitEvent(models.Model):
    """The history of a unit's organisation: names, merges, dissolution. Never deleted."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=16, choices=UnitEventKind.choices)
    related_unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    detail = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-at", "-id")

    def __str__(self) -> str:
        return f"{self.unit} {self.kind}"


class OrganizationKind(models.TextChoices):
    TELECOM = "telecom", _("Doanh nghiệp viễn thông, Internet")
    PROVIDER = "provider", _("Nhà cung cấp dịch vụ an toàn thông tin")


class Organization(models.Model):
    kind = models.CharField(_("loại"), max_length=16, choices=OrganizationKind.choices)
    name = models.CharField(_("tên"), max_length=255)
    short_code = models.SlugField(_("mã viết tắt"), max_length=64, unique=True)
    contact_name = models.CharField(_("người đầu mối"), max_length=200, blank=True)
    contact_email = models.EmailField(_("thư điện tử"), blank=True)
    contact_phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    assigned_units = models.ManyToManyField(
        Unit, verbose_name=_("đơn vị được giao"), blank=True, related_name="providers"
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        ordering = ("kind", "name")
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")

    def __str__(self) -> str:
        return self.name


class Hosting(models.TextChoices):
    ON_PREMISE = "on_premise", _("Tại đơn vị")
    CITY_DATA_CENTER = "city_dc", _("Trung tâm dữ liệu của thành phố")
    PROVIDER_DATA_CENTER = "provider_dc", _("Trung tâm dữ liệu của nhà cung cấp")
    CLOUD = "cloud", _("Điện toán đám mây")
    OTHER = "other", _("Khác")


class InformationSystem(models.Model):
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị chủ quản"), on_delete=models.PROTECT, related_name="systems")
    name = models.CharField(_("tên hệ thống"), max_length=255)
    description = models.TextField(_("mô tả"), blank=True)
    security_level = models.PositiveSmallIntegerField(
        _("cấp độ an toàn (Nghị định 85/2016)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    is_important = models.BooleanField(_("hệ thống thông tin quan trọng"), default=False)
    holds_personal_data = models.BooleanField(_("xử lý dữ liệu cá nhân"), default=False)
    is_national_platform = models.BooleanField(_("nền tảng chuyển đổi số quốc gia"), default=False)
    hosting = models.CharField(
        _("nơi đặt hệ thống"), max_length=16, choices=Hosting.choices, default=Hosting.ON_PREMISE
    )
    hosting_detail = models.CharField(_("chi tiết nơi đặt"), max_length=255, blank=True)
    operator = models.ForeignKey(
        Organization,
        verbose_name=_("đơn vị vận hành"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="operated_systems",
    )
    is_active = models.BooleanField(_("đang vận hành"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("unit_id", "name")
        verbose_name = _("hệ thống thông tin")
        verbose_name_plural = _("hệ thống thông tin")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("unit", "name"), name="system_name_unique_per_unit"),
        ]

    def __str__(self) -> str:
        return self.name


class UnitOwned(models.Model):
    """An asset owned by a unit, optionally part of one of its information systems."""

    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    system = models.ForeignKey(
        InformationSystem,
        verbose_name=_("hệ thống"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Website(UnitOwned):
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="websites")
    system = models.ForeignKey(
        InformationSystem,
        verbose_name=_("hệ thống"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="websites",
    )
    url = models.URLField(_("địa chỉ URL"), max_length=500, unique=True, validators=[validate_http_url])
    name = models.CharField(_("tên trang"), max_length=255, blank=True)

    class Meta:
        ordering = ("url",)
        verbose_name = _("trang thông tin điện tử")
        verbose_name_plural = _("trang thông tin điện tử")

    def __str__(self) -> str:
        return self.url


class Domain(UnitOwned):
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="domains")
    system = models.ForeignKey(
        InformationSystem,
        verbose_name=_("hệ thống"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="domains",
    )
    name = models.CharField(_("tên miền"), max_length=253, unique=True, validators=[validate_domain_name])
    registrar = models.CharField(_("nhà đăng ký"), max_length=200, blank=True)
    expires_on = models.DateField(_("ngày hết hạn"), null=True, blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("tên miền")
        verbose_name_plural = _("tên miền")

    def __str__(self) -> str:
        return self.name


class Host(UnitOwned):
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="hosts")
    system = models.ForeignKey(
        InformationSystem,
        verbose_name=_("hệ thống"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="hosts",
    )
    address = models.CharField(_("địa chỉ IP / tên máy"), max_length=253, validators=[validate_host_address])
    description = models.CharField(_("mô tả"), max_length=255, blank=True)

    class Meta:
        ordering = ("address",)
        verbose_name = _("máy chủ / địa chỉ IP")
        verbose_name_plural = _("máy chủ / địa chỉ IP")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=("unit", "address"), name="host_unique_per_unit"),
        ]

    def __str__(self) -> str:
        return self.address


class SoftwareComponent(models.Model):
    unit = models.ForeignKey(Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="software")
    system = models.ForeignKey(
        InformationSystem, verbose_name=_("hệ thống"), on_delete=models.CASCADE, related_name="software"
    )
    vendor = models.CharField(_("hãng"), max_length=200)
    product = models.CharField(_("sản phẩm"), max_length=200)
    version = models.CharField(_("phiên bản"), max_length=100, blank=True)
    cpe = models.CharField(_("CPE 2.3"), max_length=500, blank=True, validators=[validate_cpe23])
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("vendor", "product", "version")
        verbose_name = _("thành phần phần mềm")
        verbose_name_plural = _("thành phần phần mềm")

    def __str__(self) -> str:
        return f"{self.vendor} {self.product} {self.version}".strip()
