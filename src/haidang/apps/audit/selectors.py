"""Reading the audit trail: the department sees everything, a unit only its own unit's rows."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from haidang.apps.accounts.models import Role, User
from haidang.apps.audit.models import AuditEvent
from haidang.apps.registry.selectors import visible_unit_ids


def audit_list(
    *,
    visible_to: User,
    action: str = "",
    actor: str = "",
    unit_id: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor")
    if visible_to.role not in (Role.ADMIN, Role.DUTY, Role.VIEWER):
        allowed = visible_unit_ids(visible_to)
        # Outside the department, a person sees their units' history and their own actions.
        events = events.filter(Q(unit_id__in=allowed) | Q(actor=visible_to)) if allowed is not None else events
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    if unit_id is not None:
        events = events.filter(unit_id=unit_id)
    if since is not None:
        events = events.filter(at__date__gte=since)
    if until is not None:
        events = events.filter(at__date__lte=until)
    return events
