"""Form pieces several pages share: date-time input as people type it, and how a person is named in a choice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haidang.apps.accounts.models import User

#: What <input type="datetime-local"> sends, then what people type: 31/08/2026 07:30.
DATETIME_INPUTS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M"]
DATETIME_ERRORS = {
    "required": _("Hãy nhập ngày giờ."),
    "invalid": _("Ngày giờ không hợp lệ; nhập theo dạng 31/08/2026 07:30."),
}


def datetime_field(label: Any, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=DATETIME_INPUTS,
        help_text=help_text,
        error_messages=DATETIME_ERRORS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


def person_label(user: User) -> str:
    """``Name — role · unit or company``, for choosing an assignee."""
    where = user.unit.short_code if user.unit else (user.organization.name if user.organization else "")
    return f"{user.full_name or user.email} — {user.get_role_display()}{' · ' + where if where else ''}"
