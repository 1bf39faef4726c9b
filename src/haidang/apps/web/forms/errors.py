"""Showing a service's ValidationError on the form the user filled in."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Attach each message to its field when the form has that field, else to the whole form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields and field != NON_FIELD_ERRORS else None
        for item in _specific(errors):
            form.add_error(target, item)


def _specific(errors: list[ValidationError]) -> list[ValidationError]:
    """Drop a generic "invalid" message when the same field also has a specific explanation.

    A URL field, for instance, fails both Django's URLValidator ("enter a valid URL") and our own
    validator that says what exactly is wrong; the user only needs the second.
    """
    specific = [item for item in errors if item.code not in (None, "invalid")]
    return specific or errors
