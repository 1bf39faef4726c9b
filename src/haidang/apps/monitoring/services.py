"""Writes of website monitoring: watches, claims, the findings lifecycle, human decisions, alert periods.

The lifecycle (:func:`record_scan`), by the scanner's ``Finding.stable_key()``:

- a key not seen before opens a finding; one that is open again is "seen again" (``last_seen_at``,
  ``times_seen``); an open finding missing from a scan of a reachable site resolves; a resolved one
  that returns reopens (a new occurrence: its "acknowledged" is cleared);
- a finding a person marked as a legitimate change (its key is accepted into the baseline, so the
  scanner stops reporting it) or as a false positive is resolved by that decision and never reopened
  or alerted again;
- while a site is unreachable, only availability findings change: content findings are neither
  confirmed nor resolved by a scan that saw no content;
- ``vantage.*`` findings (what differs between vantage points) follow the same lifecycle but are driven
  only by :func:`vantage_observe`, never opened or resolved by :func:`record_scan`.

Every human change is audited; scans are the system's own and are recorded as finding events.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from haidang.apps.accounts.models import User
from haidang.apps.audit.services import audit_record
from haidang.apps.monitoring import alerts, selectors
from haidang.apps.monitoring.models import (
    SEVERITY_RANK,
    AlertPeriod,
    DailyScans,
    Disposition,
    Finding,
    FindingEvent,
    FindingEventKind,
    FindingState,
    ObservedSoftware,
    SiteStatus,
    Snapshot,
    VantageObservation,
    WatchState,
)
from haidang.apps.monitoring.store import DbBaselineStore, snapshot_put
from haidang.apps.monitoring.vantages import DEFAULT_VANTAGE, KIND_PREFIX, Seen, differences, vantage_names
from haidang.apps.registry.models import Unit, Website
from haidang.engines.scanner.baseline import accept
from haidang.engines.scanner.types import Finding as ScanFinding
from haidang.engines.scanner.types import Observed, Severity, SiteResult

logger = logging.getLogger(__name__)

#: How long a claim holds: longer than a scan task's hard time limit, short enough to recover.
CLAIM_FOR = timedelta(minutes=15)
#: The "before" page of a finding is refreshed at most this often (every refresh may store a new page).
CLEAN_SNAPSHOT_EVERY = timedelta(hours=24)
SUPPRESSED = frozenset({Disposition.LEGITIMATE, Disposition.FALSE_POSITIVE})
URGENT = frozenset({Severity.HIGH.value, Severity.CRITICAL.value})


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


# --- watches -------------------------------------------------------------------------------------


def watch_ensure(website: Website) -> WatchState:
    """The website's watch, created (due now) if missing; its unit follows the website's."""
    watch, created = WatchState.objects.get_or_create(
        website=website, defaults={"unit_id": website.unit_id, "enabled": website.is_active}
    )
    if not created and watch.unit_id != website.unit_id:
        watch.unit_id = website.unit_id
        watch.save(update_fields=["unit"])
    return watch


def watch_sync() -> int:
    """Backfill: a watch for every active website; a watch's (and its findings') unit follows its website."""
    missing = Website.objects.filter(is_active=True, watch__isnull=True)
    created = [WatchState(website=w, unit_id=w.unit_id) for w in missing.only("id", "unit_id")]
    WatchState.objects.bulk_create(created, ignore_conflicts=True)
    # Units merge with bulk updates of websites: move the denormalised unit along.
    for website_id, unit_id in WatchState.objects.exclude(unit=F("website__unit")).values_list(
        "website_id", "website__unit_id"
    ):
        WatchState.objects.filter(website_id=website_id).update(unit_id=unit_id)
        Finding.objects.filter(website_id=website_id).update(unit_id=unit_id)
    return len(created)


@transaction.atomic
def watch_update(
    *, actor: User, website: Website, enabled: bool, interval_minutes: int | None, vantages: str | None = None
) -> WatchState:
    """Turn a website's monitoring on or off, set its own interval (None: the platform's) and the other
    vantage points it is scanned from (comma-separated; None: unchanged)."""
    _require(selectors.can_scan_now(actor, website))
    if interval_minutes is not None and not 1 <= interval_minutes <= 7 * 24 * 60:
        raise ValidationError({"interval_minutes": _("Chu kỳ quét phải từ 1 phút đến 7 ngày.")})
    watch = watch_ensure(website)
    changes: dict[str, list[object]] = {}
    if vantages is not None:
        try:
            names = ",".join(vantage_names(vantages))
        except ValueError as exc:
            message = _("Tên điểm quan sát không hợp lệ: %(name)s (chữ thường, số, - và _, tối đa 32 ký tự).")
            raise ValidationError({"vantages": message % {"name": str(exc)[:40]}}) from exc
        if watch.vantages != names:
            changes["vantages"] = [watch.vantages, names]
        watch.vantages = names
    if watch.enabled != enabled:
        changes["enabled"] = [watch.enabled, enabled]
    if watch.interval_minutes != interval_minutes:
        changes["interval_minutes"] = [watch.interval_minutes, interval_minutes]
    watch.enabled, watch.interval_minutes = enabled, interval_minutes
    now = timezone.now()
    watch.next_due_at = min(
        watch.next_due_at, (watch.last_scan_at or now) + timedelta(minutes=selectors.effective_interval(watch))
    )
    watch.full_clean()
    watch.save()
    if changes:
        audit_record(
            acting_user=actor,
            action="monitoring.watch_update",
            target=website,
            unit_id=website.unit_id,
            changes=changes,
        )
    return watch


def _enqueue_scan(website_ids: list[int]) -> None:
    from haidang.apps.monitoring.tasks import enqueue_scans

    transaction.on_commit(lambda: enqueue_scans(website_ids))


@transaction.atomic
def scan_now(*, actor: User, website: Website) -> bool:
    """Queue one scan of ``website`` now; False when a scan is already queued or running."""
    _require(selectors.can_scan_now(actor, website))
    watch_ensure(website)
    now = timezone.now()
    # Compare-and-swap: of two presses (or a press and a sweep) only one sets the claim.
    claimed = (
        WatchState.objects.filter(website=website)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
        .update(claimed_until=now + CLAIM_FOR, claim_token=secrets.token_hex(16))
    )
    if not claimed:
        return False
    audit_record(acting_user=actor, action="monitoring.scan_now", target=website, unit_id=website.unit_id)
    _enqueue_scan([website.id])
    return True


def watches_claim_due(*, now: datetime | None = None) -> list[int]:
    """Claim every due watch (one conditional UPDATE); return the claimed websites' ids."""
    now = now or timezone.now()
    watch_sync()
    ids = selectors.due_watch_ids(now, list(selectors.running_alert_periods(now)))
    if not ids:
        return []
    token = secrets.token_hex(16)
    for start in range(0, len(ids), 500):  # bounded IN lists
        WatchState.objects.filter(id__in=ids[start : start + 500]).filter(
            Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
        ).update(claimed_until=now + CLAIM_FOR, claim_token=token)
    return list(WatchState.objects.filter(claim_token=token).values_list("website_id", flat=True))


def watches_release(website_ids: Iterable[int], *, now: datetime | None = None) -> None:
    """Free the claim of websites whose scan did not record (an error): next try after one interval."""
    now = now or timezone.now()
    periods = list(selectors.running_alert_periods(now))
    for watch in WatchState.objects.filter(website_id__in=list(website_ids), claimed_until__isnull=False):
        watch.claimed_until, watch.claim_token = None, ""
        watch.next_due_at = now + timedelta(minutes=selectors.interval_for(watch, periods))
        watch.save(update_fields=["claimed_until", "claim_token", "next_due_at"])


# --- the lifecycle -------------------------------------------------------------------------------


@dataclass
class RecordOutcome:
    watch: WatchState
    opened: list[Finding] = field(default_factory=list)
    reopened: list[Finding] = field(default_factory=list)
    seen: list[Finding] = field(default_factory=list)
    resolved: list[Finding] = field(default_factory=list)
    alerted: list[Finding] = field(default_factory=list)  # new high/critical: sent to alerts
    down_alert: bool = False


def needs_confirmation(website: Website, result: SiteResult) -> bool:
    """Would recording ``result`` alert? Then scan again first, so a one-off glitch pages nobody."""
    watch = WatchState.objects.filter(website=website).first()
    if not result.reachable:
        return watch is None or watch.down_since is None
    keys = {f.stable_key() for f in result.findings if _alertable(f)}
    if not keys:
        return False
    known = set(
        Finding.objects.filter(website=website, key__in=keys)
        .filter(Q(state=FindingState.OPEN) | Q(disposition__in=SUPPRESSED))
        .values_list("key", flat=True)
    )
    return bool(keys - known)


def _alertable(finding: ScanFinding) -> bool:
    # Availability is alerted by duration (HAIDANG_DOWN_ALERT_MINUTES), not by one failed scan.
    return finding.severity.value in URGENT and not finding.kind.startswith("availability.")


def _event(finding: Finding, kind: str, at: datetime, actor: User | None = None, note: str = "") -> None:
    FindingEvent.objects.create(finding=finding, kind=kind, at=at, actor=actor, note=note[:2000])


def _snapshot_for(result: SiteResult, url: str) -> Snapshot | None:
    body = result.snapshots.get(url) or result.snapshots.get(result.url)
    return snapshot_put(body) if body else None


def _open(website: Website, found: ScanFinding, result: SiteResult, watch: WatchState, now: datetime) -> Finding:
    finding = Finding(
        website=website,
        unit_id=website.unit_id,
        key=found.stable_key(),
        kind=found.kind[:64],
        severity=found.severity.value,
        title=found.title[:300],
        evidence=found.evidence[:4000],
        url=found.url[:2000],
        probes=",".join(found.probes)[:300],
        first_seen_at=now,
        last_seen_at=now,
        snapshot=_snapshot_for(result, found.url),
        baseline_snapshot=watch.clean_snapshot,
    )
    finding.save()
    _event(finding, FindingEventKind.OPENED, now)
    return finding


def _reopen(finding: Finding, found: ScanFinding, result: SiteResult, watch: WatchState, now: datetime) -> None:
    finding.state, finding.resolved_at = FindingState.OPEN, None
    finding.times_reopened += 1
    finding.times_seen += 1
    finding.last_seen_at = now
    finding.severity = found.severity.value
    if finding.disposition == Disposition.ACKNOWLEDGED:
        finding.disposition, finding.disposition_by, finding.disposition_at = Disposition.NONE, None, None
    finding.snapshot = _snapshot_for(result, found.url) or finding.snapshot
    finding.baseline_snapshot = watch.clean_snapshot or finding.baseline_snapshot
    finding.save()
    _event(finding, FindingEventKind.REOPENED, now)


def _apply_findings(
    website: Website,
    result: SiteResult,
    watch: WatchState,
    now: datetime,
    outcome: RecordOutcome,
    *,
    vantage: bool = False,
) -> None:
    # Two lifecycles over one table: a scan's own findings, and the differences between vantages;
    # neither may resolve the other's.
    current = {f.stable_key(): f for f in result.findings}
    rows = Finding.objects.select_for_update().filter(website=website)
    rows = rows.filter(kind__startswith=KIND_PREFIX) if vantage else rows.exclude(kind__startswith=KIND_PREFIX)
    existing = {f.key: f for f in rows}
    for key, found in current.items():
        row = existing.get(key)
        if row is None:
            row = _open(website, found, result, watch, now)
            outcome.opened.append(row)
        elif row.disposition in SUPPRESSED:
            # Decided by a person: followed silently, never reopened.
            Finding.objects.filter(id=row.id).update(last_seen_at=now, times_seen=F("times_seen") + 1)
            continue
        elif row.state == FindingState.RESOLVED:
            _reopen(row, found, result, watch, now)
            outcome.reopened.append(row)
        else:
            Finding.objects.filter(id=row.id).update(
                last_seen_at=now, times_seen=F("times_seen") + 1, severity=found.severity.value
            )
            outcome.seen.append(row)
            continue
        if _alertable(found):
            outcome.alerted.append(row)
    for key, row in existing.items():
        if key in current or row.state != FindingState.OPEN:
            continue
        if not result.reachable and not row.kind.startswith("availability."):
            continue
        row.state, row.resolved_at = FindingState.RESOLVED, now
        row.save(update_fields=["state", "resolved_at"])
        _event(row, FindingEventKind.RESOLVED, now)
        outcome.resolved.append(row)


def _flagged(result: SiteResult, suppressed: set[str]) -> bool:
    medium = SEVERITY_RANK["medium"]
    return any(SEVERITY_RANK[f.severity.value] >= medium and f.stable_key() not in suppressed for f in result.findings)


def _update_watch(watch: WatchState, result: SiteResult, duration_ms: int, now: datetime, flagged: bool) -> None:
    if not result.reachable:
        watch.status, watch.reason = SiteStatus.DOWN, result.reason[:500]
        watch.down_since = watch.down_since or now
    else:
        watch.status = SiteStatus.FLAGGED if flagged else SiteStatus.CLEAN
        watch.reason, watch.down_since, watch.down_alerted_at = "", None, None
        home = result.snapshots.get(result.url)
        stale = watch.clean_snapshot_at is None or watch.clean_snapshot_at <= now - CLEAN_SNAPSHOT_EVERY
        if not flagged and home and stale:
            watch.clean_snapshot, watch.clean_snapshot_at = snapshot_put(home), now
    watch.last_scan_at, watch.last_duration_ms = now, max(0, duration_ms)
    watch.baseline_scans = result.baseline_scans
    watch.scans_total += 1
    watch.unit_id = watch.website.unit_id
    watch.claimed_until, watch.claim_token = None, ""
    watch.next_due_at = now + timedelta(minutes=selectors.effective_interval(watch, now))


def _count_day(website: Website, result: SiteResult, duration_ms: int, now: datetime, flagged: bool) -> None:
    day = timezone.localdate(now)
    DailyScans.objects.get_or_create(website=website, day=day)
    DailyScans.objects.filter(website=website, day=day).update(
        scans=F("scans") + 1,
        up=F("up") + int(result.reachable),
        down=F("down") + int(not result.reachable),
        flagged=F("flagged") + int(flagged),
        total_ms=F("total_ms") + max(0, duration_ms),
    )


@transaction.atomic
def record_scan(
    *, website: Website, result: SiteResult, duration_ms: int, now: datetime | None = None
) -> RecordOutcome:
    """Fold one (confirmed) scan result into the website's findings, watch and daily counters; alert."""
    now = now or timezone.now()
    watch_ensure(website)
    watch = (
        WatchState.objects.select_for_update(of=("self",))
        .select_related("website", "clean_snapshot")
        .get(website=website)
    )
    outcome = RecordOutcome(watch=watch)
    _apply_findings(website, result, watch, now, outcome)
    suppressed = set(Finding.objects.filter(website=website, disposition__in=SUPPRESSED).values_list("key", flat=True))
    flagged = result.reachable and _flagged(result, suppressed)
    _update_watch(watch, result, duration_ms, now, flagged)
    down_minutes = settings.HAIDANG_DOWN_ALERT_MINUTES
    if (
        watch.down_since is not None
        and watch.down_alerted_at is None
        and now - watch.down_since >= timedelta(minutes=down_minutes)
    ):
        watch.down_alerted_at = now
        outcome.down_alert = True
    watch.save()
    _count_day(website, result, duration_ms, now, flagged)
    if result.reachable:
        _observe_software(website, result, now)
    if outcome.alerted:
        alerts.findings_opened(website=website, findings=outcome.alerted)
    if outcome.down_alert:
        availability = Finding.objects.filter(
            website=website, state=FindingState.OPEN, kind__startswith="availability."
        ).first()
        alerts.website_down(website=website, watch=watch, finding=availability)
    return outcome


def _observe_software(website: Website, result: SiteResult, now: datetime) -> None:
    """Fold what the home page disclosed into :class:`ObservedSoftware` (one row per product, in place)."""
    seen: dict[tuple[str, str], Observed] = {}
    for item in result.software:
        seen.setdefault((item.vendor[:200], item.product[:200]), item)
    rows = {(row.vendor, row.product): row for row in ObservedSoftware.objects.filter(website=website)}
    for key, item in seen.items():
        version, source, evidence = item.version[:100], item.source[:64], item.evidence[:300]
        row = rows.get(key)
        if row is None:
            ObservedSoftware.objects.create(
                website=website,
                unit_id=website.unit_id,
                vendor=key[0],
                product=key[1],
                version=version,
                source=source,
                evidence=evidence,
                first_seen_at=now,
                last_seen_at=now,
            )
        elif (row.version, row.source, row.evidence, row.current) != (version, source, evidence, True):
            ObservedSoftware.objects.filter(pk=row.pk).update(
                version=version,
                source=source,
                evidence=evidence,
                current=True,
                last_seen_at=now,
                unit_id=website.unit_id,
            )
        else:
            ObservedSoftware.objects.filter(pk=row.pk).update(last_seen_at=now)
    gone = [row.pk for key, row in rows.items() if key not in seen and row.current]
    if gone:
        ObservedSoftware.objects.filter(pk__in=gone).update(current=False)


@transaction.atomic
def vantage_observe(
    *, website: Website, vantage: str, result: SiteResult, now: datetime | None = None
) -> RecordOutcome:
    """Keep what ``vantage`` saw of ``website`` and compare the vantages' latest observations.

    Observations older than twice the website's interval, or from a vantage it is no longer watched
    from, are left out; with fewer than two left, no difference stands and open ones resolve.
    """
    now = now or timezone.now()
    watch_ensure(website)
    # The watch row serialises the vantages of one website: each compares after the other's write.
    watch = WatchState.objects.select_for_update(of=("self",)).select_related("clean_snapshot").get(website=website)
    VantageObservation.objects.update_or_create(
        website=website,
        vantage=vantage,
        defaults={
            "scanned_at": now,
            "reachable": result.reachable,
            "reason": result.reason[:500],
            "final_url": result.final_url[:2000],
            "addresses": list(result.addresses[:16]),
            "finding_keys": sorted({f.stable_key() for f in result.findings})[:200],
        },
    )
    watched_from = {DEFAULT_VANTAGE, *selectors.watch_vantages(watch)}
    since = now - 2 * timedelta(minutes=selectors.effective_interval(watch, now))
    latest = VantageObservation.objects.filter(website=website, vantage__in=watched_from, scanned_at__gte=since)
    seen = [Seen(o.vantage, o.reachable, o.final_url, tuple(o.addresses)) for o in latest]
    compared = SiteResult(website.url, True, tuple(differences(website.url, seen)))
    outcome = RecordOutcome(watch=watch)
    _apply_findings(website, compared, watch, now, outcome, vantage=True)
    if outcome.alerted:
        alerts.findings_opened(website=website, findings=outcome.alerted)
    return outcome


# --- human decisions -----------------------------------------------------------------------------


def _decide(finding: Finding, *, actor: User, action: str, changes: dict[str, object]) -> None:
    audit_record(acting_user=actor, action=action, target=finding, unit_id=finding.website.unit_id, changes=changes)


@transaction.atomic
def finding_acknowledge(*, actor: User, finding: Finding) -> Finding:
    _require(selectors.can_manage_findings(actor, finding))
    if finding.disposition in SUPPRESSED:
        raise ValidationError(_("Phát hiện này đã được xử lý."))
    now = timezone.now()
    finding.disposition, finding.disposition_by, finding.disposition_at = Disposition.ACKNOWLEDGED, actor, now
    finding.save(update_fields=["disposition", "disposition_by", "disposition_at"])
    _event(finding, FindingEventKind.ACKNOWLEDGED, now, actor)
    _decide(finding, actor=actor, action="monitoring.finding_acknowledge", changes={"disposition": "acknowledged"})
    return finding


@transaction.atomic
def finding_assign(*, actor: User, finding: Finding, assignee: User | None) -> Finding:
    _require(selectors.can_manage_findings(actor, finding))
    if assignee is not None and not (assignee.is_active and selectors.can_manage_findings(assignee, finding)):
        raise ValidationError({"assignee_id": _("Người được giao phải có quyền xử lý phát hiện này.")})
    old = finding.assignee.email if finding.assignee else ""
    finding.assignee = assignee
    finding.save(update_fields=["assignee"])
    note = assignee.email if assignee else ""
    _event(finding, FindingEventKind.ASSIGNED, timezone.now(), actor, note)
    _decide(finding, actor=actor, action="monitoring.finding_assign", changes={"assignee": [old, note]})
    return finding


def _close_by_decision(finding: Finding, *, actor: User, disposition: str, reason: str) -> None:
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy ghi lý do.")})
    now = timezone.now()
    finding.disposition, finding.disposition_by, finding.disposition_at = disposition, actor, now
    finding.disposition_reason = reason.strip()[:2000]
    if finding.state == FindingState.OPEN:
        finding.state, finding.resolved_at = FindingState.RESOLVED, now
    finding.full_clean()
    finding.save()


@transaction.atomic
def finding_mark_legitimate(*, actor: User, finding: Finding, reason: str) -> Finding:
    """A legitimate change: accepted into the website's baseline, so the scanner stops reporting it."""
    _require(selectors.can_manage_findings(actor, finding))
    _close_by_decision(finding, actor=actor, disposition=Disposition.LEGITIMATE, reason=reason)
    store = DbBaselineStore()
    baseline = store.load(finding.website.url)
    if not accept(baseline, finding.key):
        raise ValidationError(_("Danh sách thay đổi hợp lệ của trang web đã đầy."))
    store.save(baseline)
    _event(finding, FindingEventKind.LEGITIMATE, finding.disposition_at or timezone.now(), actor, reason)
    _decide(finding, actor=actor, action="monitoring.finding_legitimate", changes={"reason": reason[:500]})
    return finding


@transaction.atomic
def finding_mark_false_positive(*, actor: User, finding: Finding, reason: str) -> Finding:
    _require(selectors.can_manage_findings(actor, finding))
    _close_by_decision(finding, actor=actor, disposition=Disposition.FALSE_POSITIVE, reason=reason)
    _event(finding, FindingEventKind.FALSE_POSITIVE, finding.disposition_at or timezone.now(), actor, reason)
    _decide(finding, actor=actor, action="monitoring.finding_false_positive", changes={"reason": reason[:500]})
    return finding


# --- heightened-alert periods ----------------------------------------------------------------------


@transaction.atomic
def alert_period_create(
    *,
    actor: User,
    name: str,
    starts_at: datetime,
    ends_at: datetime,
    interval_minutes: int,
    units: Sequence[Unit] = (),
) -> AlertPeriod:
    """Scan every ``interval_minutes`` between the two times, for ``units`` (none: every unit)."""
    _require(selectors.can_manage_alert_periods(actor))
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("Thời điểm kết thúc phải sau thời điểm bắt đầu.")})
    if not 1 <= interval_minutes <= 24 * 60:
        raise ValidationError({"interval_minutes": _("Chu kỳ quét phải từ 1 phút đến 24 giờ.")})
    period = AlertPeriod(
        name=name.strip(), starts_at=starts_at, ends_at=ends_at, interval_minutes=interval_minutes, created_by=actor
    )
    period.full_clean()
    period.save()
    period.units.set(units)
    audit_record(
        acting_user=actor,
        action="monitoring.alert_period_create",
        target=period,
        changes={
            "starts_at": starts_at.isoformat(),
            "ends_at": ends_at.isoformat(),
            "interval_minutes": interval_minutes,
            "units": [unit.id for unit in units],
        },
    )
    return period


@transaction.atomic
def alert_period_delete(*, actor: User, period: AlertPeriod) -> None:
    _require(selectors.can_manage_alert_periods(actor))
    audit_record(
        acting_user=actor, action="monitoring.alert_period_delete", target=period, changes={"deleted": str(period)}
    )
    period.delete()
