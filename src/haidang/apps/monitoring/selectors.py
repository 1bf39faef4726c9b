"""Reads of website monitoring, and who may see and act on what.

Visibility is the registry's (``registry.selectors.scope_to_units``): administrator, duty officer and
leadership viewer see every unit; a unit officer their own unit; a provider its assigned units; a
telecom officer none. Acting on findings and "scan now": the department (admin, duty), the unit's
officers and the provider assigned to the unit; a viewer never.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from haidang.apps.accounts.models import Role, User
from haidang.apps.monitoring.models import (
    SEVERITY_RANK,
    AlertPeriod,
    DailyScans,
    Finding,
    FindingEvent,
    FindingState,
    ObservedSoftware,
    SiteStatus,
    VantageObservation,
    WatchState,
)
from haidang.apps.monitoring.vantages import vantage_names
from haidang.apps.registry.models import Organization, Unit, Website
from haidang.apps.registry.selectors import scope_to_units, unit_list, visible_unit_ids

DEPARTMENT_ROLES = frozenset({Role.ADMIN, Role.DUTY})


# --- who may act ---------------------------------------------------------------------------------


def _may_act_on_unit(user: User, unit_id: int) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.role in DEPARTMENT_ROLES:
        return True
    if user.role == Role.UNIT:
        return user.unit_id is not None and user.unit_id == unit_id
    if user.role == Role.PROVIDER and user.organization_id is not None:
        return Organization.objects.filter(id=user.organization_id, assigned_units=unit_id).exists()
    return False


def can_manage_findings(user: User, finding: Finding) -> bool:
    """Acknowledge, assign, mark legitimate or false positive: department, the unit's officers, its provider."""
    return _may_act_on_unit(user, finding.website.unit_id)


def can_scan_now(user: User, website: Website) -> bool:
    return website.is_active and _may_act_on_unit(user, website.unit_id)


def can_manage_alert_periods(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in DEPARTMENT_ROLES


# --- watches -------------------------------------------------------------------------------------


def watch_list(*, visible_to: User, unit_id: int | None = None, status: str = "") -> QuerySet[WatchState]:
    # Tenancy follows the website's current unit (a merge moves websites with a bulk update).
    watches = scope_to_units(
        WatchState.objects.filter(website__is_active=True).select_related("website", "website__unit"),
        visible_to=visible_to,
        field="website__unit_id",
    )
    if unit_id is not None:
        watches = watches.filter(website__unit_id=unit_id)
    if status:
        watches = watches.filter(status=status)
    return watches.order_by("website__url")


def watch_get(*, visible_to: User, website_id: int) -> WatchState:
    """The watch of a visible website; raises ``WatchState.DoesNotExist`` otherwise."""
    return watch_list(visible_to=visible_to).get(website_id=website_id)


def running_alert_periods(now: datetime | None = None) -> QuerySet[AlertPeriod]:
    now = now or timezone.now()
    return AlertPeriod.objects.filter(starts_at__lte=now, ends_at__gt=now).prefetch_related("units")


def alert_period_list(*, visible_to: User) -> QuerySet[AlertPeriod]:
    """Every period for city-wide roles; for others, periods for all units or for a unit they see."""
    periods = AlertPeriod.objects.prefetch_related("units").select_related("created_by")
    allowed = visible_unit_ids(visible_to)
    if allowed is None:
        return periods
    if not visible_to.is_authenticated or visible_to.role == Role.TELECOM:
        return periods.none()
    return periods.filter(Q(units__isnull=True) | Q(units__in=allowed)).distinct()


def interval_for(watch: WatchState, periods: Iterable[AlertPeriod]) -> int:
    """Minutes between scans: the website's own or the default, shortened by any running period for its unit."""
    minutes = watch.interval_minutes or settings.HAIDANG_SCAN_INTERVAL_MINUTES
    for period in periods:
        units = {unit.id for unit in period.units.all()}
        if not units or watch.unit_id in units:
            minutes = min(minutes, period.interval_minutes)
    return max(1, minutes)


def effective_interval(watch: WatchState, now: datetime | None = None) -> int:
    return interval_for(watch, running_alert_periods(now))


#: Half the dispatcher's period (config/celery.py runs monitoring.dispatch_due every 60 s).
DISPATCH_SLACK = timedelta(seconds=30)


def due_watch_ids(now: datetime, periods: Iterable[AlertPeriod]) -> list[int]:
    """Enabled, unclaimed watches of active websites whose next scan is due (a running period brings it forward).

    "Due" includes the next half minute: the dispatcher runs once a minute, so a website due just after
    a run is taken by it rather than waiting a whole extra minute beyond its interval.
    """
    due = Q(next_due_at__lte=now + DISPATCH_SLACK)
    for period in periods:
        stale = Q(last_scan_at__isnull=True) | Q(last_scan_at__lte=now - timedelta(minutes=period.interval_minutes))
        units = [unit.id for unit in period.units.all()]
        due |= stale & Q(unit_id__in=units) if units else stale
    watches = WatchState.objects.filter(due, enabled=True, website__is_active=True).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    )
    return list(watches.order_by("next_due_at").values_list("id", flat=True))


def _stored_vantages(text: str) -> list[str]:
    try:
        return vantage_names(text)
    except ValueError:  # only written through watch_update, which validates
        return []


def watch_vantages(watch: WatchState) -> list[str]:
    """The vantages other than the default that ``watch``'s website is scanned from."""
    return _stored_vantages(watch.vantages)


def vantage_websites(website_ids: Iterable[int]) -> dict[str, list[int]]:
    """For each vantage other than the default, which of ``website_ids`` it scans (in the order given)."""
    wanted = list(website_ids)
    per_website = dict(
        WatchState.objects.filter(website_id__in=wanted).exclude(vantages="").values_list("website_id", "vantages")
    )
    routed: dict[str, list[int]] = {}
    for website_id in wanted:
        if website_id in per_website:
            for name in _stored_vantages(per_website[website_id]):
                routed.setdefault(name, []).append(website_id)
    return routed


def vantage_observations(website: Website) -> QuerySet[VantageObservation]:
    """The latest observation of ``website`` from each vantage (callers have checked visibility)."""
    return VantageObservation.objects.filter(website=website).order_by("vantage")


# --- findings ------------------------------------------------------------------------------------


def finding_list(
    *,
    visible_to: User,
    unit_id: int | None = None,
    website_id: int | None = None,
    severity: str = "",
    state: str = "",
    disposition: str | None = None,
) -> QuerySet[Finding]:
    """Findings of websites ``visible_to`` may see. ``disposition=""`` means not yet handled; None any."""
    findings = scope_to_units(
        Finding.objects.select_related("website", "unit", "assignee", "disposition_by", "incident"),
        visible_to=visible_to,
        field="website__unit_id",
    )
    if unit_id is not None:
        findings = findings.filter(website__unit_id=unit_id)
    if website_id is not None:
        findings = findings.filter(website_id=website_id)
    if severity:
        findings = findings.filter(severity=severity)
    if state:
        findings = findings.filter(state=state)
    if disposition is not None:
        findings = findings.filter(disposition=disposition)
    return findings


def finding_get(*, visible_to: User, finding_id: int) -> Finding:
    """The finding, or ``Finding.DoesNotExist`` when it does not exist or is not visible."""
    return finding_list(visible_to=visible_to).get(id=finding_id)


def finding_events(finding: Finding) -> QuerySet[FindingEvent]:
    return FindingEvent.objects.filter(finding=finding).select_related("actor")


# --- overview and charts -------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitOverview:
    unit: Unit
    websites: int
    down: int
    flagged: int
    open_findings: int
    worst_severity: str  # "" when nothing is open
    last_scan_at: datetime | None
    colour: str  # green, amber, red, grey


def _colour(websites: int, scanned: bool, down: int, worst: str) -> str:
    if websites == 0 or not scanned:
        return "grey"
    if down or SEVERITY_RANK.get(worst, -1) >= SEVERITY_RANK["high"]:
        return "red"
    if SEVERITY_RANK.get(worst, -1) >= SEVERITY_RANK["medium"]:
        return "amber"
    return "green"


def city_overview(*, visible_to: User) -> list[UnitOverview]:
    """One line per visible active unit: its websites' state and its worst open finding."""
    units = list(unit_list(visible_to=visible_to).order_by("group__order", "number", "name"))
    ids = [unit.id for unit in units]
    watches = (
        WatchState.objects.filter(website__is_active=True, website__unit_id__in=ids)
        .values("website__unit_id")
        .annotate(
            n=Count("id"),
            down=Count("id", filter=Q(status=SiteStatus.DOWN)),
            flagged=Count("id", filter=Q(status=SiteStatus.FLAGGED)),
            last=Max("last_scan_at"),
        )
    )
    by_unit = {row["website__unit_id"]: row for row in watches}
    open_rows = (
        Finding.objects.filter(state=FindingState.OPEN, website__unit_id__in=ids, website__is_active=True)
        .values("website__unit_id", "severity")
        .annotate(n=Count("id"))
    )
    open_count: dict[int, int] = {}
    worst: dict[int, str] = {}
    for row in open_rows:
        unit_id = row["website__unit_id"]
        open_count[unit_id] = open_count.get(unit_id, 0) + row["n"]
        if SEVERITY_RANK[row["severity"]] > SEVERITY_RANK.get(worst.get(unit_id, ""), -1):
            worst[unit_id] = row["severity"]
    overview = []
    for unit in units:
        row = by_unit.get(unit.id, {})
        websites, down = row.get("n", 0), row.get("down", 0)
        last = row.get("last")
        overview.append(
            UnitOverview(
                unit=unit,
                websites=websites,
                down=down,
                flagged=row.get("flagged", 0),
                open_findings=open_count.get(unit.id, 0),
                worst_severity=worst.get(unit.id, ""),
                last_scan_at=last,
                colour=_colour(websites, last is not None, down, worst.get(unit.id, "")),
            )
        )
    return overview


def daily_scans(website: Website, days: int = 30) -> list[DailyScans]:
    """The last ``days`` days, oldest first; a day without scans is an unsaved all-zero row."""
    today = timezone.localdate()
    first = today - timedelta(days=days - 1)
    rows = {row.day: row for row in DailyScans.objects.filter(website=website, day__gte=first, day__lte=today)}
    result = []
    for offset in range(days):
        day: date = first + timedelta(days=offset)
        result.append(rows.get(day) or DailyScans(website=website, day=day))
    return result


def observed_software_list(*, visible_to: User, current_only: bool = True) -> QuerySet[ObservedSoftware]:
    """What the websites the viewer may see disclose about their software."""
    software = ObservedSoftware.objects.select_related("website", "website__system", "unit")
    if current_only:
        software = software.filter(current=True)
    return scope_to_units(software, visible_to=visible_to)
