"""Small display helpers for the web templates."""

from __future__ import annotations

from datetime import timedelta

from django import template

from haidang.apps.web.labels import action_label, source_label

register = template.Library()


@register.filter(name="action_label")
def action_label_filter(code: str) -> str:
    return action_label(code)


@register.filter(name="source_label")
def source_label_filter(code: str) -> str:
    return source_label(code)


@register.filter
def minutes(value: timedelta | None) -> int:
    """Whole minutes of a duration, rounded up (for the login lockout message)."""
    if not isinstance(value, timedelta):
        return 0
    return -int(-value.total_seconds() // 60)


@register.filter
def starts_with(value: str, prefix: str) -> bool:
    return str(value).startswith(prefix)


@register.filter
def get_item(mapping: dict[object, object], key: object) -> object:
    return mapping.get(key, "")
