"""Every alert and notification the incidents module sends, in one place so it is easy to review.

- a new incident from the portal, the API, e-mail or monitoring, any new high/critical incident, and
  any incident with no unit yet: ``alert_raise`` to the department's duty chain (``escalation_chain()``),
  at the incident's severity;
- a new incident that names a unit: ``alert_raise`` to the unit's own duty tiers (its chain minus the
  department tier), or to the unit's officers when the unit has no roster; either reaches the
  unit's own channels;
- severity raised to high/critical: ``alert_raise`` to the department chain;
- the unit marks it beyond its capacity: ``alert_raise`` to the department chain at once, critical;
- assignment: ``notify_users([assignee])``.

Only the alert to the unit's own tiers reaches the unit's channels; alerts to the department chain
name the unit (so its officers can follow them) with ``unit_channels=False``.

Everything runs after the transaction commits (``robust``: a failing notification never undoes the
incident), and each alert carries a ``dedupe_key`` so a retried request does not page twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from haidang.apps.accounts.models import Role, User
from haidang.apps.duty import selectors as duty_selectors
from haidang.apps.incidents.models import Incident, Severity, Source
from haidang.apps.notify import services as notify_services
from haidang.apps.notify.models import Channel
from haidang.apps.registry.models import Unit

#: Sources whose incidents no officer has looked at yet: the department must hear of them.
UNATTENDED_SOURCES = frozenset({Source.PORTAL, Source.API, Source.EMAIL, Source.MONITORING})
URGENT = frozenset({Severity.HIGH, Severity.CRITICAL})
#: Severity names of notify's alerts for each incident severity.
ALERT_SEVERITY: dict[str, str] = {
    Severity.LOW: "low",
    Severity.MEDIUM: "medium",
    Severity.HIGH: "high",
    Severity.CRITICAL: "critical",
}
BEYOND_CAPACITY_ACK = timedelta(minutes=15)


def after_commit(func: Callable[..., None], *args: Any) -> None:
    transaction.on_commit(lambda: func(*args), robust=True)


def _escalation_chain(*, unit: Unit | None = None) -> list[list[User]]:
    return duty_selectors.escalation_chain(unit=unit)


# --- what happens when ---------------------------------------------------------------------------


def _link(incident: Incident) -> str:
    return reverse("web:incident_detail", kwargs={"incident_id": incident.id})


def _body(incident: Incident) -> str:
    unit = incident.unit.name if incident.unit else _("(chưa xác định đơn vị)")
    return _("%(unit)s — %(category)s, mức độ %(severity)s. Nguồn: %(source)s.") % {
        "unit": unit,
        "category": incident.get_category_display(),
        "severity": incident.get_severity_display(),
        "source": incident.get_source_display(),
    }


def _load(incident_id: int) -> Incident | None:
    return Incident.objects.select_related("unit", "assignee").filter(id=incident_id).first()


def incident_opened(incident_id: int) -> None:
    incident = _load(incident_id)
    if incident is None:
        return
    title = _("Sự cố mới %(reference)s: %(title)s") % {"reference": incident.reference, "title": incident.title}
    severity = ALERT_SEVERITY.get(incident.severity, "high")
    if incident.source in UNATTENDED_SOURCES or incident.severity in URGENT or incident.unit is None:
        notify_services.alert_raise(
            chain=_escalation_chain(),
            title=title,
            body=_body(incident),
            link=_link(incident),
            severity=severity,
            subject=incident,
            unit=incident.unit,
            unit_channels=False,  # the unit's own alert below reaches its channels
            dedupe_key=f"incident:{incident.id}:opened",
        )
    if incident.beyond_capacity:
        incident_beyond_capacity(incident.id)
    if incident.unit is not None:
        _alert_unit(incident, title=title, severity=severity)


def _alert_unit(incident: Incident, *, title: str, severity: str) -> None:
    unit = incident.unit
    assert unit is not None  # noqa: S101 - checked by the caller
    department = {user.id for tier in _escalation_chain() for user in tier}
    tiers = [[u for u in tier if u.id not in department] for tier in _escalation_chain(unit=unit)]
    tiers = [tier for tier in tiers if tier]
    if tiers:
        notify_services.alert_raise(
            chain=tiers,
            title=title,
            body=_body(incident),
            link=_link(incident),
            severity=severity,
            subject=incident,
            unit=unit,
            dedupe_key=f"incident:{incident.id}:unit",
        )
        return
    # No roster for the unit: its officers (but not the one who reported it) are the only tier.
    officers = User.objects.filter(role=Role.UNIT, unit=unit, is_active=True)
    if incident.created_by_id is not None:
        officers = officers.exclude(id=incident.created_by_id)
    if not officers.exists() and not Channel.objects.filter(unit=unit, enabled=True).exists():
        return  # nobody and nothing at the unit to tell: an empty alert would only be noise in the list
    notify_services.alert_raise(
        chain=[list(officers)],
        title=title,
        body=_body(incident),
        link=_link(incident),
        severity=severity,
        subject=incident,
        unit=unit,
        dedupe_key=f"incident:{incident.id}:unit",
    )


def incident_severity_raised(incident_id: int) -> None:
    incident = _load(incident_id)
    if incident is None or incident.severity not in URGENT:
        return
    notify_services.alert_raise(
        chain=_escalation_chain(),
        title=_("Sự cố %(reference)s nâng mức độ: %(severity)s")
        % {"reference": incident.reference, "severity": incident.get_severity_display()},
        body=_body(incident),
        link=_link(incident),
        severity=ALERT_SEVERITY.get(incident.severity, "high"),
        subject=incident,
        unit=incident.unit,
        unit_channels=False,
        dedupe_key=f"incident:{incident.id}:severity:{incident.severity}",
    )


def incident_beyond_capacity(incident_id: int) -> None:
    incident = _load(incident_id)
    if incident is None:
        return
    notify_services.alert_raise(
        chain=_escalation_chain(),
        title=_("Đơn vị đề nghị Sở hỗ trợ: %(reference)s vượt khả năng xử lý") % {"reference": incident.reference},
        body=_body(incident),
        link=_link(incident),
        severity="critical",
        ack_within=BEYOND_CAPACITY_ACK,
        subject=incident,
        unit=incident.unit,
        unit_channels=False,
        dedupe_key=f"incident:{incident.id}:beyond_capacity",
    )


def incident_assigned(incident_id: int, actor_id: int) -> None:
    incident = _load(incident_id)
    if incident is None or incident.assignee is None:
        return
    notify_services.notify_users(
        [incident.assignee],
        title=_("Bạn được giao xử lý sự cố %(reference)s") % {"reference": incident.reference},
        body=f"{incident.title}\n{_body(incident)}",
        link=_link(incident),
        severity="info",
        actor=User.objects.filter(id=actor_id).first(),
    )
