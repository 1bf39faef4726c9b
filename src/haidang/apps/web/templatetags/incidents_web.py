"""Display helpers for the incident pages."""

from __future__ import annotations

from django import template

from haidang.apps.incidents.models import Status

register = template.Library()


@register.filter
def status_label(code: str) -> str:
    """The Vietnamese name of an incident status code stored in the timeline."""
    return str(Status(code).label) if code in Status.values else str(code or "")
