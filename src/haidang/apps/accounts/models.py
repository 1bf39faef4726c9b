"""People who sign in, what role they hold, and their API tokens."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị của Sở")
    DUTY = "duty", _("Cán bộ trực của Sở")
    UNIT = "unit", _("Cán bộ an toàn thông tin của đơn vị")
    TELECOM = "telecom", _("Cán bộ doanh nghiệp viễn thông")
    PROVIDER = "provider", _("Nhà cung cấp dịch vụ an toàn thông tin")
    VIEWER = "viewer", _("Lãnh đạo (chỉ xem)")


#: Roles whose scope is the whole city rather than one unit or company.
CITY_WIDE_ROLES = frozenset({Role.ADMIN, Role.DUTY, Role.VIEWER})


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(role=Role.ADMIN, is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("thư điện tử"), unique=True)
    full_name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        "registry.Unit",
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="officers",
    )
    organization = models.ForeignKey(
        "registry.Organization",
        verbose_name=_("doanh nghiệp / nhà cung cấp"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    preferred_language = models.CharField(max_length=8, default="vi")

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.CheckConstraint(
                condition=~models.Q(role="unit") | models.Q(unit__isnull=False),
                name="unit_officer_has_unit",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=["telecom", "provider"]) | models.Q(organization__isnull=False),
                name="org_member_has_org",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_city_wide(self) -> bool:
        return self.role in CITY_WIDE_ROLES

    @property
    def is_read_only(self) -> bool:
        return self.role == Role.VIEWER


class ApiToken(models.Model):
    """A bearer token. Only its SHA-256 digest is stored; the token is shown once at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"
