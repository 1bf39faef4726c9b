"""Creating users and API tokens, and the administrator bootstrap."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haidang.apps.accounts.models import ApiToken, Role, User
from haidang.apps.audit.services import audit_record
from haidang.apps.registry.models import Organization, OrganizationKind, Unit

TOKEN_PREFIX = "hd_"


def generate_password() -> str:
    """A random password that passes the validators: 20 URL-safe characters."""
    return secrets.token_urlsafe(15)


def _check_role_scope(role: str, unit: Unit | None, organization: Organization | None) -> None:
    if role not in Role.values:
        raise ValidationError({"role": _("Vai trò phải là một trong: %s.") % ", ".join(Role.values)})
    if role == Role.UNIT and unit is None:
        raise ValidationError({"unit": _("Cán bộ đơn vị phải gắn với một đơn vị (--unit).")})
    if role == Role.UNIT and unit is not None and not unit.is_active:
        raise ValidationError({"unit": _("Đơn vị đã sáp nhập hoặc giải thể.")})
    if role in (Role.TELECOM, Role.PROVIDER):
        if organization is None:
            raise ValidationError({"organization": _("Vai trò này phải gắn với một tổ chức (--org).")})
        if organization.kind != (OrganizationKind.TELECOM if role == Role.TELECOM else OrganizationKind.PROVIDER):
            raise ValidationError({"organization": _("Loại tổ chức không khớp với vai trò.")})
    if role not in (Role.UNIT,) and unit is not None:
        raise ValidationError({"unit": _("Chỉ cán bộ đơn vị mới gắn với đơn vị.")})


@transaction.atomic
def user_create(
    *,
    acting_user: User | None,
    email: str,
    role: str,
    unit: Unit | None = None,
    organization: Organization | None = None,
    password: str | None = None,
    full_name: str = "",
) -> tuple[User, str | None]:
    """Create a user. Returns the user and the generated password when none was given."""
    if acting_user is not None and acting_user.role != Role.ADMIN:
        raise PermissionDenied(_("Chỉ quản trị của Sở được tạo tài khoản."))
    _check_role_scope(role, unit, organization)
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": _("Đã có tài khoản với địa chỉ thư này.")})
    generated = None
    if password is None:
        generated = password = generate_password()
    user = User(
        email=email,
        role=role,
        unit=unit,
        organization=organization,
        full_name=full_name,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        acting_user=acting_user,
        action="user.create",
        target=user,
        unit_id=unit.id if unit else None,
        changes={"role": role, "organization": organization.id if organization else None},
    )
    return user, generated


@transaction.atomic
def user_set_password(*, acting_user: User | None, user: User, password: str) -> User:
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(acting_user=acting_user, action="user.set_password", target=user, unit_id=user.unit_id)
    return user


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    record: ApiToken


@transaction.atomic
def token_create(*, acting_user: User | None, user: User, name: str = "") -> IssuedToken:
    """Issue a new API token for ``user``. The plain token is returned once and never stored."""
    if acting_user is not None and acting_user.id != user.id and acting_user.role != Role.ADMIN:
        raise PermissionDenied(_("Bạn chỉ được tạo mã truy cập cho chính mình."))
    if not user.is_active:
        raise ValidationError(_("Tài khoản đã bị khoá."))
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken.objects.create(user=user, name=name, prefix=token[:10], digest=_digest(token))
    audit_record(acting_user=acting_user, action="token.create", target=record, unit_id=user.unit_id)
    return IssuedToken(token=token, record=record)


@transaction.atomic
def token_revoke(*, acting_user: User | None, token: ApiToken) -> ApiToken:
    if acting_user is not None and acting_user.id != token.user_id and acting_user.role != Role.ADMIN:
        raise PermissionDenied(_("Bạn không được thu hồi mã truy cập này."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(acting_user=acting_user, action="token.revoke", target=token, unit_id=token.user.unit_id)
    return token


def token_authenticate(token: str) -> User | None:
    """Return the active user owning ``token``, or None. Updates last use at most once a minute."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    now = timezone.now()
    record = ApiToken.objects.select_related("user").filter(digest=_digest(token), revoked_at__isnull=True).first()
    if record is None or not record.user.is_active:
        return None
    if record.expires_at is not None and record.expires_at <= now:
        return None
    if record.last_used_at is None or (now - record.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
    return record.user


@dataclass(frozen=True)
class AdminBootstrap:
    user: User
    generated_password: str | None


def admin_bootstrap(*, email: str, password: str | None) -> AdminBootstrap | None:
    """Create the first administrator unless one exists. Returns None when nothing was created."""
    if User.objects.filter(role=Role.ADMIN).exists():
        return None
    user, generated = user_create(acting_user=None, email=email, role=Role.ADMIN, password=password or None)
    return AdminBootstrap(user=user, generated_password=generated)
