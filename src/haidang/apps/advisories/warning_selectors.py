"""Reads of vulnerability warnings, exposures and remediation. The one place that decides who sees what.

Visibility by role:
- administrator, duty officer, leadership viewer: every warning (drafts included), recipient, system;
- unit security officer: sent warnings their unit received, and only their unit's systems and exposures;
- security provider: (read-only) the receipts and exposures of the units assigned to it;
- telecom officer: nothing here (warnings go to government units).
Only the department (administrator, duty officer) composes and sends warnings; only a recipient unit's
own officers acknowledge and report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet

from haidang.apps.accounts.models import Role, User
from haidang.apps.advisories.models import (
    FIXED_STATUSES,
    AffectedSystem,
    Exposure,
    RemediationStatus,
    SecurityWarning,
    Verification,
    WarningEvidence,
    WarningRecipient,
    WarningStatus,
)
from haidang.apps.registry.models import Unit, UnitStatus
from haidang.apps.registry.selectors import scope_to_units, visible_unit_ids

DEPARTMENT_ROLES = frozenset({Role.ADMIN, Role.DUTY})


def _active(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_manage(user: User | None) -> bool:
    """May ``user`` compose, send and close warnings? (the department)"""
    return _active(user) and user is not None and user.role in DEPARTMENT_ROLES


def can_report(user: User | None, recipient: WarningRecipient) -> bool:
    """May ``user`` acknowledge and report for ``recipient``? (its own unit's officers, while the warning is open)"""
    return (
        _active(user)
        and user is not None
        and user.role == Role.UNIT
        and user.unit_id == recipient.unit_id
        and recipient.warning.status == WarningStatus.SENT
    )


def warning_list(*, visible_to: User) -> QuerySet[SecurityWarning]:
    warnings = SecurityWarning.objects.all()
    if not _active(visible_to):
        return warnings.none()
    if visible_to.is_city_wide:
        return warnings
    units = visible_unit_ids(visible_to)
    return warnings.exclude(status=WarningStatus.DRAFT).filter(recipients__unit_id__in=units).distinct()


def warning_get(*, visible_to: User, warning_id: int) -> SecurityWarning | None:
    return warning_list(visible_to=visible_to).filter(pk=warning_id).prefetch_related("vulnerabilities").first()


def recipient_list(*, visible_to: User, warning: SecurityWarning) -> QuerySet[WarningRecipient]:
    recipients = WarningRecipient.objects.filter(warning=warning).select_related("unit", "unit__group", "warning")
    if not _active(visible_to):
        return recipients.none()
    return scope_to_units(recipients, visible_to=visible_to)


def recipient_get(*, visible_to: User, recipient_id: int) -> WarningRecipient | None:
    recipients = WarningRecipient.objects.filter(pk=recipient_id).select_related("unit", "warning")
    if not _active(visible_to):
        return None
    recipient = scope_to_units(recipients, visible_to=visible_to).first()
    if recipient is None or (recipient.warning.status == WarningStatus.DRAFT and not visible_to.is_city_wide):
        return None
    return recipient


def recipient_systems(recipient: WarningRecipient) -> list[AffectedSystem]:
    return list(
        recipient.systems.select_related("reported_by").prefetch_related(
            Prefetch("evidence", queryset=WarningEvidence.objects.select_related("added_by"))
        )
    )


def system_get(*, visible_to: User, system_id: int) -> AffectedSystem | None:
    system = AffectedSystem.objects.filter(pk=system_id).select_related("recipient", "recipient__warning").first()
    if system is None or recipient_get(visible_to=visible_to, recipient_id=system.recipient_id) is None:
        return None
    return system


def evidence_get(*, visible_to: User, evidence_id: int) -> WarningEvidence | None:
    evidence = WarningEvidence.objects.filter(pk=evidence_id).select_related("system").first()
    if evidence is None or system_get(visible_to=visible_to, system_id=evidence.system_id) is None:
        return None
    return evidence


def own_receipts(user: User) -> QuerySet[WarningRecipient]:
    """The open warnings a unit officer's unit must act on (the dashboard's task list)."""
    if not _active(user) or user.role != Role.UNIT or user.unit_id is None:
        return WarningRecipient.objects.none()
    return WarningRecipient.objects.filter(unit_id=user.unit_id, warning__status=WarningStatus.SENT).select_related(
        "warning"
    )


def exposure_list(*, visible_to: User, open_only: bool = True) -> QuerySet[Exposure]:
    exposures = Exposure.objects.select_related("unit", "system", "website", "vulnerability")
    if open_only:
        exposures = exposures.filter(resolved_at__isnull=True)
    if not _active(visible_to):
        return exposures.none()
    return scope_to_units(exposures, visible_to=visible_to)


# --- counts ------------------------------------------------------------------------------------


@dataclass
class Tally:
    """fixed/total of a warning or a recipient: not-applicable systems leave the total."""

    total: int = 0
    fixed: int = 0
    open: int = 0
    reopened: int = 0
    risk_accepted: int = 0
    not_applicable: int = 0
    verified: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, status: str, verification: str, count: int = 1) -> None:
        self.by_status[status] += count
        if status == RemediationStatus.NOT_APPLICABLE:
            self.not_applicable += count
            return
        self.total += count
        if verification == Verification.REOPENED:
            self.reopened += count
        if status in FIXED_STATUSES:
            self.fixed += count
            self.verified += count if verification == Verification.VERIFIED else 0
        elif status == RemediationStatus.RISK_ACCEPTED:
            self.risk_accepted += count
        else:
            self.open += count

    @property
    def percent(self) -> int:
        return round(100 * self.fixed / self.total) if self.total else 100

    def as_dict(self) -> dict[str, int]:
        return {
            "total": self.total,
            "fixed": self.fixed,
            "open": self.open,
            "reopened": self.reopened,
            "risk_accepted": self.risk_accepted,
            "not_applicable": self.not_applicable,
            "verified": self.verified,
        }


@dataclass
class RecipientRow:
    recipient: WarningRecipient
    tally: Tally


@dataclass
class WarningStatusView:
    warning: SecurityWarning
    tally: Tally
    rows: list[RecipientRow]
    acknowledged: int


def warning_status(*, visible_to: User, warning: SecurityWarning) -> WarningStatusView:
    """fixed/total for the warning and for each recipient the viewer may see (one grouped query)."""
    recipients = list(recipient_list(visible_to=visible_to, warning=warning))
    tallies: dict[int, Tally] = {r.id: Tally() for r in recipients}
    counts = (
        AffectedSystem.objects.filter(recipient_id__in=list(tallies))
        .values("recipient_id", "status", "verification")
        .annotate(n=Count("id"))
    )
    total = Tally()
    for row in counts:
        tallies[row["recipient_id"]].add(row["status"], row["verification"], row["n"])
        total.add(row["status"], row["verification"], row["n"])
    rows = [RecipientRow(r, tallies[r.id]) for r in recipients]
    acknowledged = sum(1 for r in recipients if r.acknowledged_at is not None)
    return WarningStatusView(warning=warning, tally=total, rows=rows, acknowledged=acknowledged)


def unit_overdue(unit: Unit, *, now: object) -> list[AffectedSystem]:
    """The unit's systems still open (or reopened) past their warning's deadline: directive item 1e's check."""
    return list(
        AffectedSystem.objects.filter(
            recipient__unit=unit,
            recipient__warning__status=WarningStatus.SENT,
            recipient__warning__deadline__lt=now,
            status=RemediationStatus.OPEN,
        ).select_related("recipient__warning")
    )


def affected_units(warning: SecurityWarning) -> QuerySet[Unit]:
    """Active units with an open exposure to one of the warning's CVEs, with how many systems and CVEs."""
    ids = list(warning.vulnerabilities.values_list("id", flat=True))
    return (
        Unit.objects.filter(status=UnitStatus.ACTIVE, exposures__vulnerability_id__in=ids, exposures__resolved_at=None)
        .annotate(
            exposure_count=Count(
                "exposures", filter=Q(exposures__vulnerability_id__in=ids, exposures__resolved_at=None)
            )
        )
        .select_related("group")
        .order_by("group__order", "number", "name")
        .distinct()
    )
