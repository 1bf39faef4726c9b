"""Reads for the public portal and for the staff pages that manage it.

The portal shows only published notices; the staff pages show every notice to those who may
manage them (the department's administrators and duty officers).
"""

from __future__ import annotations

from django.db.models import QuerySet

from haidang.apps.accounts.models import Role, User
from haidang.apps.portal.models import PublicNotice

NOTICE_MANAGERS = frozenset({Role.ADMIN, Role.DUTY})


def can_manage_notices(user: User | None) -> bool:
    return user is not None and user.is_active and user.role in NOTICE_MANAGERS


def notice_published_list() -> QuerySet[PublicNotice]:
    """Published notices, newest first: all the public ever sees of this model."""
    return PublicNotice.objects.filter(is_published=True, published_at__isnull=False).order_by("-published_at", "-id")


def notice_published_get(notice_id: int) -> PublicNotice:
    """A published notice; ``PublicNotice.DoesNotExist`` for drafts and unknown ids alike."""
    return notice_published_list().get(id=notice_id)


def notice_list(*, visible_to: User) -> QuerySet[PublicNotice]:
    """Every notice, drafts first, for the staff who manage them; nothing for anyone else."""
    if not can_manage_notices(visible_to):
        return PublicNotice.objects.none()
    return PublicNotice.objects.select_related("created_by").order_by("is_published", "-published_at", "-id")


def notice_get(*, visible_to: User, notice_id: int) -> PublicNotice:
    return notice_list(visible_to=visible_to).get(id=notice_id)
