"""Writing the audit trail. Every service that changes data calls :func:`audit_record`."""

from __future__ import annotations

from typing import Any

from django.db import models

from haidang.apps.accounts.models import User
from haidang.apps.audit.context import current_origin
from haidang.apps.audit.models import AuditEvent


def audit_record(
    *,
    acting_user: User | None,
    action: str,
    target: models.Model | None = None,
    unit_id: int | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEvent:
    """Insert one audit row for ``action`` done by ``acting_user`` on ``target``."""
    where = current_origin()
    return AuditEvent.objects.create(
        actor=acting_user,
        actor_label=acting_user.email if acting_user else "system",
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:300] if target is not None else "",
        unit_id=unit_id,
        changes=changes or {},
        source=where.source,
        ip_address=where.ip_address,
        user_agent=where.user_agent,
    )


def model_changes(instance: models.Model, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Return ``{field: [old, new]}`` for the fields whose value differs, as JSON-safe strings."""
    diff: dict[str, list[Any]] = {}
    for name, new in fields.items():
        old = getattr(instance, name)
        if old != new:
            diff[name] = [_plain(old), _plain(new)]
    return diff


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)
