"""Audit rows for signing in and out, including failed attempts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from haidang.apps.accounts.models import User
from haidang.apps.audit.services import audit_record


@receiver(user_logged_in, dispatch_uid="haidang_audit_login")
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **_kwargs: Any) -> None:
    audit_record(acting_user=user, action="auth.login", target=user, unit_id=user.unit_id)


@receiver(user_logged_out, dispatch_uid="haidang_audit_logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **_kwargs: Any) -> None:
    if user is not None:
        audit_record(acting_user=user, action="auth.logout", target=user, unit_id=user.unit_id)


@receiver(user_login_failed, dispatch_uid="haidang_audit_login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **_kwargs: Any) -> None:
    # The password is never recorded; Django already masks it in ``credentials``.
    attempted = str(credentials.get("username") or credentials.get("email") or "")[:254]
    audit_record(acting_user=None, action="auth.login_failed", changes={"email": attempted})
