"""Writes for the public portal's notices. Each checks permission, validates, saves and audits."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haidang.apps.accounts.models import User
from haidang.apps.audit.services import audit_record, model_changes
from haidang.apps.portal.models import PublicNotice
from haidang.apps.portal.selectors import can_manage_notices

NOTICE_FIELDS = frozenset({"title", "summary", "body", "severity", "source_url"})


def _require_manager(user: User) -> None:
    if not can_manage_notices(user):
        raise PermissionDenied(_("Chỉ quản trị và cán bộ trực của Sở được quản lý thông báo công khai."))


def _fields(fields: dict[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - NOTICE_FIELDS
    if unknown:
        raise TypeError(f"unknown notice fields: {sorted(unknown)}")
    return fields


@transaction.atomic
def notice_create(*, acting_user: User, publish: bool = False, **fields: Any) -> PublicNotice:
    """A new notice, published now when ``publish``."""
    _require_manager(acting_user)
    notice = PublicNotice(created_by=acting_user, **_fields(fields))
    if publish:
        notice.is_published, notice.published_at = True, timezone.now()
    notice.full_clean()
    notice.save()
    audit_record(
        acting_user=acting_user, action="notice.create", target=notice, changes={"published": notice.is_published}
    )
    return notice


@transaction.atomic
def notice_update(*, acting_user: User, notice: PublicNotice, **fields: Any) -> PublicNotice:
    _require_manager(acting_user)
    changes = model_changes(notice, _fields(fields))
    for name, value in fields.items():
        setattr(notice, name, value)
    notice.full_clean()
    notice.save()
    if changes:
        audit_record(acting_user=acting_user, action="notice.update", target=notice, changes=changes)
    return notice


@transaction.atomic
def notice_set_published(*, acting_user: User, notice: PublicNotice, published: bool) -> PublicNotice:
    """Publish (dated now, unless it was published before) or withdraw a notice."""
    _require_manager(acting_user)
    if notice.is_published == published:
        return notice
    notice.is_published = published
    if published:
        notice.published_at = notice.published_at or timezone.now()
    notice.full_clean()
    notice.save()
    action = "notice.publish" if published else "notice.withdraw"
    audit_record(acting_user=acting_user, action=action, target=notice)
    return notice
