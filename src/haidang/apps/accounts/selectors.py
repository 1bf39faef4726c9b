"""Reads of users and tokens, scoped to what the viewer may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from haidang.apps.accounts.models import ApiToken, Role, User


def user_list(*, visible_to: User) -> QuerySet[User]:
    users = User.objects.select_related("unit", "organization")
    if visible_to.role in (Role.ADMIN, Role.DUTY):
        return users
    if visible_to.role == Role.UNIT and visible_to.unit_id is not None:
        return users.filter(unit_id=visible_to.unit_id)
    if visible_to.organization_id is not None:
        return users.filter(organization_id=visible_to.organization_id)
    return users.filter(id=visible_to.id)


def token_list(*, visible_to: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=visible_to, revoked_at__isnull=True)


def requires_two_factor(user: User) -> bool:
    from django.conf import settings

    return user.role in settings.HAIDANG_REQUIRE_2FA_ROLES


def totp_device_confirmed(user: User) -> TOTPDevice | None:
    """The user's confirmed authenticator app, or None when two-factor sign-in is not set up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()
