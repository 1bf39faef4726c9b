"""Display helpers for the incident pages."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from haidang.apps.incidents.models import Status

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    """The Vietnamese name of an incident status code stored in the timeline."""
    return str(Status(code).label) if code in Status.values else str(code or "")


def span(delta: timedelta) -> str:
    """A duration as people say it, in the UI language: "4 ngày 23 giờ", "2 giờ 5 phút", "7 phút"."""
    minutes = int(abs(delta.total_seconds()) // 60)
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return ngettext("%(d)s ngày %(h)s giờ", "%(d)s ngày %(h)s giờ", days) % {"d": days, "h": hours}
    if hours:
        return _("%(h)s giờ %(m)s phút") % {"h": hours, "m": mins}
    return _("%(m)s phút") % {"m": mins}


@register.filter
def time_left(due: datetime | None) -> str:
    """How long until ``due`` (Django's ``timeuntil`` has no Vietnamese translation)."""
    return span(due - timezone.now()) if due is not None else ""
