"""Reads of incidents. The one place that decides who sees, and who may work on, which incident.

Visibility by role:
- administrator, duty officer, leadership viewer: every incident;
- unit security officer: their unit's incidents (through registry.selectors.scope_to_units);
- security provider: the incidents of the units assigned to their organisation (same);
- telecom officer: the incidents their own company reported (``organization``);
- the public: only their own report, by tracking code (:func:`public_report_status`).
"""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

from django.conf import settings
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise

from haidang.apps.accounts.models import Role, User
from haidang.apps.incidents import tracking
from haidang.apps.incidents.deadlines import Deadline, IncidentFacts, RuleSet, deadlines_for, first_due, load_rules
from haidang.apps.incidents.models import (
    DeadlineReport,
    Incident,
    PublicKind,
    Queue,
    Status,
    TimelineEntry,
    TimelineKind,
)
from haidang.apps.incidents.workflow import allowed_targets
from haidang.apps.registry.models import InformationSystem, Unit
from haidang.apps.registry.selectors import scope_to_units, unit_list

DEPARTMENT_ROLES = frozenset({Role.ADMIN, Role.DUTY})
WORKER_ROLES = frozenset({Role.ADMIN, Role.DUTY, Role.UNIT, Role.PROVIDER, Role.TELECOM})


def is_department(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.role in DEPARTMENT_ROLES


def incident_list(
    *,
    visible_to: User,
    status: str = "",
    category: str = "",
    severity: str = "",
    unit_id: int | None = None,
    queue: str = "",
    assignee_id: int | None = None,
    open_only: bool = False,
    search: str = "",
) -> QuerySet[Incident]:
    incidents = _visible(visible_to).select_related("unit", "organization", "assignee")
    filters = {
        "status": status,
        "category": category,
        "severity": severity,
        "unit_id": unit_id,
        "queue": queue,
        "assignee_id": assignee_id,
    }
    incidents = incidents.filter(**{name: value for name, value in filters.items() if value not in ("", None)})
    if open_only:
        incidents = incidents.exclude(status__in=[Status.RESOLVED, Status.CLOSED])
    if search:
        incidents = incidents.filter(Q(reference__icontains=search) | Q(title__icontains=search))
    return incidents


def _visible(user: User) -> QuerySet[Incident]:
    incidents = Incident.objects.all()
    if not user.is_authenticated or not user.is_active:
        return incidents.none()
    if user.is_city_wide:
        return incidents
    if user.role == Role.TELECOM:
        if user.organization_id is None:
            return incidents.none()
        return incidents.filter(organization_id=user.organization_id)
    return scope_to_units(incidents, visible_to=user)


def incident_get(*, visible_to: User, incident_id: int) -> Incident:
    """The incident, or ``Incident.DoesNotExist`` when it does not exist or ``visible_to`` may not see it."""
    return incident_list(visible_to=visible_to).get(id=incident_id)


def can_see(user: User, incident: Incident) -> bool:
    return _visible(user).filter(id=incident.id).exists()


def can_work_on(user: User, incident: Incident) -> bool:
    """Add notes, tasks, files and indicators: anyone who sees the incident, except read-only accounts."""
    return user.is_active and user.role in WORKER_ROLES and can_see(user, incident)


def can_manage(user: User, incident: Incident) -> bool:
    """Change status, assign, edit: the department always; the unit's side while it sits in the unit's queue."""
    if is_department(user):
        return True
    return incident.queue == Queue.UNIT and user.role in (Role.UNIT, Role.PROVIDER) and can_work_on(user, incident)


def can_mark_beyond_capacity(user: User, incident: Incident) -> bool:
    return (
        incident.is_open
        and not incident.beyond_capacity
        and incident.queue == Queue.UNIT
        and user.role in (Role.UNIT, Role.PROVIDER)
        and can_work_on(user, incident)
    )


def can_escalate_nationally(user: User, incident: Incident) -> bool:
    return is_department(user) and incident.status != Status.CLOSED


def can_publish_notes(user: User) -> bool:
    """Only the department speaks to the public reporter."""
    return is_department(user)


def reportable_units(user: User) -> QuerySet[Unit]:
    """Active units ``user`` may report an incident for."""
    if user.role not in WORKER_ROLES or user.role == Role.TELECOM:
        return Unit.objects.none()
    return unit_list(visible_to=user)


def assignable_users(incident: Incident) -> QuerySet[User]:
    """Department officers, the unit's officers, and members of the providers assigned to the unit."""
    eligible = Q(role__in=DEPARTMENT_ROLES - {Role.VIEWER})
    if incident.unit_id is not None:
        eligible |= Q(role=Role.UNIT, unit_id=incident.unit_id)
        eligible |= Q(role=Role.PROVIDER, organization__assigned_units=incident.unit_id)
    return User.objects.filter(eligible, is_active=True).distinct().order_by("role", "full_name", "email")


def status_moves(incident: Incident) -> list[tuple[str, Promise]]:
    return allowed_targets(incident.status)


# --- deadlines ---------------------------------------------------------------------------------


def deadline_rules() -> RuleSet:
    configured = settings.HAIDANG_INCIDENT_DEADLINES_FILE
    return load_rules(Path(configured) if configured else None)


def local_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def with_deadline_facts(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """Annotate the highest security level of the affected systems, so a list needs no query per row."""
    highest = (
        InformationSystem.objects.filter(incidents=OuterRef("pk"), security_level__isnull=False)
        .order_by("-security_level")
        .values("security_level")[:1]
    )
    return incidents.annotate(max_security_level=Subquery(highest))


def _security_level(incident: Incident) -> int | None:
    annotated = getattr(incident, "max_security_level", _MISSING)
    if annotated is not _MISSING:
        return cast("int | None", annotated)
    return max((system.security_level for system in incident.systems.all() if system.security_level), default=None)


_MISSING = object()


def incident_facts(incident: Incident) -> IncidentFacts:
    return IncidentFacts(
        discovered_at=incident.discovered_at,
        reported_at=incident.reported_at,
        resolved_at=incident.resolved_at,
        personal_data=incident.personal_data,
        beyond_capacity=incident.beyond_capacity,
        security_level=_security_level(incident),
        category=incident.category,
        severity=incident.severity,
    )


def incident_deadlines(
    incident: Incident, *, rules: RuleSet | None = None, done: dict[str, datetime] | None = None
) -> list[Deadline]:
    """The incident's deadlines; ``done`` (rule id → sent at) saves reading its reports when known."""
    if done is None:
        done = {report.rule_id: report.sent_at for report in incident.deadline_reports.all()}
    return deadlines_for(incident_facts(incident), rules or deadline_rules(), tz=local_zone(), done=done)


@dataclass(frozen=True)
class IncidentRow:
    incident: Incident
    deadlines: list[Deadline]
    next_due: datetime | None
    overdue: bool


def incident_rows(incidents: QuerySet[Incident], *, now: datetime | None = None) -> list[IncidentRow]:
    """Incidents with their deadlines, overdue first, then by the nearest deadline, then newest.

    Every matching incident is needed to sort by deadline, so the rows are read in two queries (the
    incidents with their systems' highest level annotated, and every report sent) whatever their number.
    """
    now = now or timezone.now()
    rules = deadline_rules()
    listed = list(with_deadline_facts(incidents))
    sent: dict[int, dict[str, datetime]] = {incident.id: {} for incident in listed}
    reports = DeadlineReport.objects.filter(incident_id__in=sent).values_list("incident_id", "rule_id", "sent_at")
    for incident_id, rule_id, sent_at in reports:
        sent[incident_id][rule_id] = sent_at
    rows = []
    for incident in listed:
        deadlines = (
            incident_deadlines(incident, rules=rules, done=sent[incident.id])
            if incident.status != Status.CLOSED
            else []
        )
        due = first_due(deadlines)
        rows.append(IncidentRow(incident, deadlines, due, overdue=due is not None and due < now))
    far = datetime.max.replace(tzinfo=zoneinfo.ZoneInfo("UTC"))
    rows.sort(key=lambda row: -row.incident.reported_at.timestamp())
    rows.sort(key=lambda row: (not row.overdue, row.next_due or far))
    return rows


def incident_timeline(incident: Incident) -> QuerySet[TimelineEntry]:
    return incident.timeline.select_related("actor")


# --- the public --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicNote:
    at: datetime
    body: str


@dataclass(frozen=True)
class PublicReportStatus:
    """What a reporter may see of their report: nothing about units, people or internal notes."""

    code: str
    kind: str
    kind_label: str
    received_at: datetime
    status: str
    status_label: str
    notes: tuple[PublicNote, ...]


def public_report_status(tracking_code: str) -> PublicReportStatus | None:
    normalized = tracking.normalize(tracking_code)
    if normalized is None:
        return None
    incident = Incident.objects.filter(tracking_digest=tracking.digest(normalized)).first()
    if incident is None:
        return None
    notes = incident.timeline.filter(kind=TimelineKind.NOTE, is_public=True).order_by("at", "id")
    return PublicReportStatus(
        code=tracking.display(normalized),
        kind=incident.public_kind,
        kind_label=str(PublicKind(incident.public_kind).label) if incident.public_kind else "",
        received_at=incident.reported_at,
        status=incident.status,
        status_label=str(Status(incident.status).label),
        notes=tuple(PublicNote(at=note.at, body=note.body) for note in notes),
    )
