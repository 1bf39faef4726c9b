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
from django_otp import verify_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from haidang.apps.accounts.models import ApiToken, Role, User
from haidang.apps.accounts.selectors import requires_two_factor
from haidang.apps.audit.services import audit_record
from haidang.apps.registry.models import Organization, OrganizationKind, Unit

TOKEN_PREFIX = "hd_"  # noqa: S105 - a public prefix, not a secret


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


# --- two-factor authentication (TOTP) -----------------------------------------------------------

TOTP_DEVICE_NAME = "Hải Đăng"


@transaction.atomic
def totp_device_begin(*, user: User) -> TOTPDevice:
    """Return the user's authenticator awaiting confirmation, creating it on first call.

    Reusing the pending device keeps the QR code stable when the setup page is reloaded.
    """
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Tài khoản đã bật xác thực hai bước."))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(*, user: User, token: str) -> TOTPDevice:
    """Confirm the pending authenticator with a code it produced; raise ValidationError otherwise.

    The code check runs in its own transaction (inside django-otp) so that a failed attempt's
    throttling counter is committed even though this function then raises.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        raise ValidationError(_("Không có thiết bị nào đang chờ xác nhận; hãy tải lại trang."))
    if verify_token(user, device.persistent_id, token) is None:
        raise ValidationError(_("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới nhất trong ứng dụng."))
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        audit_record(acting_user=user, action="user.2fa_enable", target=user, unit_id=user.unit_id)
    return device


def totp_verify(*, user: User, token: str) -> TOTPDevice:
    """Return the confirmed authenticator that accepts ``token``; raise ValidationError if none does."""
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        verified = verify_token(user, device.persistent_id, token)
        if verified is not None:
            return verified
    raise ValidationError(_("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã mới nhất trong ứng dụng."))


@transaction.atomic
def totp_disable(*, acting_user: User, user: User) -> None:
    """Remove the user's authenticators. Not allowed for roles that must use two-factor sign-in."""
    if acting_user.id != user.id and acting_user.role != Role.ADMIN:
        raise PermissionDenied(_("Bạn không được thay đổi xác thực hai bước của người khác."))
    if requires_two_factor(user):
        raise ValidationError(_("Vai trò của tài khoản này bắt buộc dùng xác thực hai bước."))
    deleted, _detail = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        audit_record(acting_user=acting_user, action="user.2fa_disable", target=user, unit_id=user.unit_id)
