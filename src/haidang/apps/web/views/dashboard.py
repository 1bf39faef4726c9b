"""The landing page: what the signed-in person is responsible for, in numbers, and recent changes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from haidang.apps.accounts.models import Role, User
from haidang.apps.accounts.selectors import totp_device_confirmed
from haidang.apps.advisories import warning_selectors
from haidang.apps.advisories.models import WarningStatus
from haidang.apps.audit.selectors import audit_list
from haidang.apps.incidents.models import Queue
from haidang.apps.incidents.selectors import incident_list, incident_rows
from haidang.apps.registry.selectors import unit_list
from haidang.apps.web.access import signed_in, user_of
from haidang.apps.web.summaries import UNIT_ORDER, overview, unit_names
from haidang.apps.web.views.duty import duty_now_summary

RECENT_EVENTS = 8
OPEN_INCIDENTS_SHOWN = 5
WARNINGS_SHOWN = 5


def _open_warnings(user: User) -> list[dict[str, Any]]:
    """Sent warnings still open, with fixed/total as the viewer may see it: the unit's own task list."""
    warnings = warning_selectors.warning_list(visible_to=user).filter(status=WarningStatus.SENT)
    rows = []
    for warning in warnings.order_by("deadline", "id")[:WARNINGS_SHOWN]:
        status = warning_selectors.warning_status(visible_to=user, warning=warning)
        own = next((r.recipient for r in status.rows if r.recipient.unit_id == user.unit_id), None)
        overdue = warning.deadline < timezone.now() and status.tally.open > 0
        rows.append({"warning": warning, "tally": status.tally, "own": own, "overdue": overdue})
    return rows


@signed_in
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    events = list(audit_list(visible_to=user)[:RECENT_EVENTS])
    own_units = list(unit_list(visible_to=user).order_by(*UNIT_ORDER)[:6]) if not user.is_city_wide else []
    open_incidents = incident_list(visible_to=user, open_only=True)
    rows = incident_rows(open_incidents)
    context = {
        "figures": overview(user),
        "duty_now": duty_now_summary(user),
        "incidents": {
            "open": open_incidents.count(),
            "department_queue": open_incidents.filter(queue=Queue.DEPARTMENT).count(),
            "overdue": sum(row.overdue for row in rows),
            "rows": rows[:OPEN_INCIDENTS_SHOWN],
        },
        "events": events,
        "event_units": unit_names(user, events),
        "own_units": own_units,
        "open_warnings": _open_warnings(user),
        "suggest_two_factor": user.role != Role.ADMIN and totp_device_confirmed(user) is None,
    }
    return render(request, "web/dashboard.html", context)
