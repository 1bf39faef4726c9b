"""What the platform proves on its own for a directive item, kept apart from what the recipient declared.

Each :class:`~haidang.apps.directives.models.AutoCheck` value maps, in :data:`CHECKS`, to a function of
``(recipient, now)`` that reads the platform's own records and returns a :class:`Verdict`:

- ``duty_roster`` (1a): the recipient's submitted duty rosters leave nobody-on-duty nowhere in the
  directive's period (narrowed to the announced duty periods that overlap it);
- ``websites_clean`` (1d): every active website of the unit is watched, was scanned in the last 24 hours
  and has no open finding of high or critical severity;
- ``vulnerability_warnings`` (1e): no system of the unit in a sent vulnerability warning is still open
  (or was reopened by verification) past the warning's deadline;
- ``backups_verified`` (1h): the platform keeps no backup records yet, so the answer is "unknown"; the
  module that brings them replaces its entry of :data:`CHECKS`.

:func:`refresh_auto_checks` stores the verdicts on the reports (``auto_*`` fields) with the time they
were computed, and audits each change of verdict.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from haidang.apps.audit.services import audit_record
from haidang.apps.directives.models import AutoCheck, AutoVerdict, Directive, DirectiveStatus, ItemReport, Recipient
from haidang.apps.duty.coverage import UNCOVERED, Gap, Span, find_gaps
from haidang.apps.duty.models import DutyPeriod, Roster, RosterStatus, Shift, ShiftRole
from haidang.apps.monitoring.models import Finding, FindingState, WatchState
from haidang.apps.notify.models import Severity
from haidang.apps.registry.models import Website

logger = logging.getLogger(__name__)

DETAIL_MAX = 2000
#: A website whose last scan is older than this does not count as monitored.
SCAN_FRESHNESS = timedelta(hours=24)
SERIOUS = (Severity.HIGH, Severity.CRITICAL)
MAX_GAPS_SHOWN = 3
MAX_WEBSITES_SHOWN = 5
BATCH = 500


@dataclass(frozen=True)
class Verdict:
    verdict: str  # an AutoVerdict value: "pass" | "fail" | "unknown"
    detail: str  # short Vietnamese explanation, plain text, at most DETAIL_MAX characters


CheckFunction = Callable[[Recipient, datetime], Verdict]


def _short(at: datetime) -> str:
    return timezone.localtime(at).strftime("%d/%m %H:%M")


def _long(at: datetime) -> str:
    return timezone.localtime(at).strftime("%H:%M %d/%m/%Y")


def _merge(spans: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


# --- 1a: a duty roster covering the period -----------------------------------------------------


def directive_window(directive: Directive) -> tuple[datetime, datetime]:
    """The directive's effective period as local times: [from 00:00, the day after "until" 00:00)."""
    starts = timezone.make_aware(datetime.combine(directive.effective_from, time.min))
    ends = timezone.make_aware(datetime.combine(directive.effective_until + timedelta(days=1), time.min))
    return starts, ends


def duty_windows(directive: Directive) -> list[tuple[datetime, datetime]]:
    """Where someone must be on duty: the announced duty periods within the directive's period, or all of it."""
    starts, ends = directive_window(directive)
    periods = DutyPeriod.objects.filter(starts_at__lt=ends, ends_at__gt=starts).values_list("starts_at", "ends_at")
    windows = _merge((max(start, starts), min(end, ends)) for start, end in periods)
    return windows or [(starts, ends)]


def _owner_filter(recipient: Recipient, prefix: str = "") -> Q:
    if recipient.unit_id is not None:
        return Q(**{f"{prefix}unit_id": recipient.unit_id})
    return Q(**{f"{prefix}organization_id": recipient.organization_id})


def _span_text(windows: list[tuple[datetime, datetime]]) -> str:
    return "; ".join(f"{_long(start)} – {_long(end)}" for start, end in windows)


def check_duty_roster(recipient: Recipient, now: datetime) -> Verdict:
    windows = duty_windows(recipient.directive)
    overlapping = Q()
    for start, end in windows:
        overlapping |= Q(starts_at__lt=end, ends_at__gt=start)
    shifts = list(
        Shift.objects.filter(overlapping, _owner_filter(recipient, "roster__"), roster__status=RosterStatus.SUBMITTED)
        .select_related("roster__period")
        .only("starts_at", "ends_at", "role", "roster__period__name")
    )
    if not shifts:
        drafts = Roster.objects.filter(
            _owner_filter(recipient),
            status=RosterStatus.DRAFT,
            period__starts_at__lt=windows[-1][1],
            period__ends_at__gt=windows[0][0],
        )
        reason = _("Lịch trực đang soạn, chưa nộp") if drafts.exists() else _("Chưa nộp lịch trực")
        return Verdict(
            AutoVerdict.FAIL, _("%(reason)s cho thời gian %(span)s.") % {"reason": reason, "span": _span_text(windows)}
        )
    spans = [Span(s.starts_at, s.ends_at, s.role == ShiftRole.PRIMARY) for s in shifts]
    gaps: list[Gap] = []
    for start, end in windows:
        gaps.extend(find_gaps(starts_at=start, ends_at=end, spans=spans))
    uncovered = [gap for gap in gaps if gap.level == UNCOVERED]
    if uncovered:
        listed = ", ".join(f"{_short(gap.starts_at)}–{_short(gap.ends_at)}" for gap in uncovered[:MAX_GAPS_SHOWN])
        detail = _("Lịch trực đã nộp còn %(count)d khoảng không có người trực: %(gaps)s") % {
            "count": len(uncovered),
            "gaps": listed,
        }
        if len(uncovered) > MAX_GAPS_SHOWN:
            detail += _(" và %(more)d khoảng khác") % {"more": len(uncovered) - MAX_GAPS_SHOWN}
        return Verdict(AutoVerdict.FAIL, detail + ".")
    periods = sorted({s.roster.period.name for s in shifts})
    detail = _("Lịch trực đã nộp (%(periods)s) phủ kín thời gian %(span)s.") % {
        "periods": ", ".join(f"«{name}»" for name in periods),
        "span": _span_text(windows),
    }
    if gaps:  # only backup officers on duty there: somebody answers, so it still counts as covered
        detail += " " + _("Có %(count)d khoảng chỉ có người trực dự phòng.") % {"count": len(gaps)}
    return Verdict(AutoVerdict.PASS, detail)


# --- 1d: websites monitored and clean ----------------------------------------------------------


def _website_problems(website: Website, watch: WatchState | None, serious: int, now: datetime) -> list[str]:
    problems: list[str] = []
    if watch is None or not watch.enabled:
        problems.append(_("chưa được giám sát"))
    elif watch.last_scan_at is None:
        problems.append(_("chưa được quét"))
    elif now - watch.last_scan_at > SCAN_FRESHNESS:
        problems.append(_("lần quét gần nhất %(at)s, đã quá 24 giờ") % {"at": _long(watch.last_scan_at)})
    if serious:
        problems.append(_("%(count)d phát hiện mức cao, nghiêm trọng đang mở") % {"count": serious})
    return problems


def check_websites_clean(recipient: Recipient, now: datetime) -> Verdict:
    if recipient.unit_id is None:
        return Verdict(AutoVerdict.UNKNOWN, _("Chỉ kiểm tra website của cơ quan, đơn vị nhà nước."))
    websites = list(Website.objects.filter(unit_id=recipient.unit_id, is_active=True).order_by("url"))
    if not websites:
        return Verdict(AutoVerdict.UNKNOWN, _("Đơn vị chưa khai báo website nào trên nền tảng."))
    ids = [website.id for website in websites]
    watches = {watch.website_id: watch for watch in WatchState.objects.filter(website_id__in=ids)}
    serious = dict(
        Finding.objects.filter(website_id__in=ids, state=FindingState.OPEN, severity__in=SERIOUS)
        .values("website_id")
        .annotate(n=Count("id"))
        .values_list("website_id", "n")
    )
    failing = []
    for website in websites:
        problems = _website_problems(website, watches.get(website.id), serious.get(website.id, 0), now)
        if problems:
            failing.append(f"{website.url} ({'; '.join(problems)})")
    if failing:
        detail = _("%(bad)d/%(total)d website chưa đạt: %(list)s") % {
            "bad": len(failing),
            "total": len(websites),
            "list": ", ".join(failing[:MAX_WEBSITES_SHOWN]),
        }
        if len(failing) > MAX_WEBSITES_SHOWN:
            detail += _(" và %(more)d website khác") % {"more": len(failing) - MAX_WEBSITES_SHOWN}
        return Verdict(AutoVerdict.FAIL, detail + ".")
    latest = max(watch.last_scan_at for watch in watches.values() if watch.last_scan_at is not None)
    return Verdict(
        AutoVerdict.PASS,
        _(
            "%(count)d website được giám sát, lần quét gần nhất %(at)s; "
            "không có phát hiện mức cao, nghiêm trọng đang mở."
        )
        % {"count": len(websites), "at": _long(latest)},
    )


# --- checks waiting for their module -----------------------------------------------------------


def check_vulnerability_warnings(recipient: Recipient, now: datetime) -> Verdict:
    """1e: no system of the unit is still unremediated (or reopened by verification) past its warning's deadline."""
    from haidang.apps.advisories.models import AffectedSystem, RemediationStatus, WarningStatus
    from haidang.apps.advisories.warning_selectors import unit_overdue

    if recipient.unit is None:
        return Verdict(AutoVerdict.UNKNOWN, _("Cảnh báo lỗ hổng chỉ gửi tới cơ quan, đơn vị nhà nước."))
    overdue = unit_overdue(recipient.unit, now=now)
    if overdue:
        shown = "; ".join(
            _("số %(number)s: %(label)s") % {"number": s.recipient.warning.number, "label": s.label[:80]}
            for s in overdue[:MAX_WEBSITES_SHOWN]
        )
        more = len(overdue) - MAX_WEBSITES_SHOWN
        detail = _("%(count)d hệ thống quá hạn khắc phục chưa xong: %(shown)s") % {
            "count": len(overdue),
            "shown": shown,
        }
        if more > 0:
            detail += _(" và %(more)d hệ thống khác") % {"more": more}
        return Verdict(AutoVerdict.FAIL, detail[:DETAIL_MAX])
    systems = AffectedSystem.objects.filter(
        recipient__unit=recipient.unit, recipient__warning__status__in=(WarningStatus.SENT, WarningStatus.CLOSED)
    )
    total = systems.count()
    if not total:
        received = recipient.unit.warning_receipts.exclude(warning__status=WarningStatus.DRAFT).exists()
        if not received:
            return Verdict(AutoVerdict.UNKNOWN, _("Đơn vị chưa nhận cảnh báo lỗ hổng nào để đối chiếu."))
        return Verdict(AutoVerdict.PASS, _("Đơn vị không có hệ thống nào trong các cảnh báo lỗ hổng đã nhận."))
    pending = systems.filter(status=RemediationStatus.OPEN).count()
    return Verdict(
        AutoVerdict.PASS,
        _("Không có hệ thống quá hạn khắc phục (%(done)d/%(total)d đã xử lý, %(pending)d còn trong hạn).")
        % {"done": total - pending, "total": total, "pending": pending},
    )


def check_backups_verified(recipient: Recipient, now: datetime) -> Verdict:
    return Verdict(AutoVerdict.UNKNOWN, _("Nền tảng chưa có dữ liệu sao lưu để tự kiểm tra."))


#: One entry per AutoCheck value; a module that brings new evidence replaces its entry here.
CHECKS: dict[str, CheckFunction] = {
    AutoCheck.DUTY_ROSTER: check_duty_roster,
    AutoCheck.WEBSITES_CLEAN: check_websites_clean,
    AutoCheck.VULNERABILITY_WARNINGS: check_vulnerability_warnings,
    AutoCheck.BACKUPS_VERIFIED: check_backups_verified,
}


def evaluate(check: str, recipient: Recipient, *, now: datetime) -> Verdict:
    """The platform's verdict on ``check`` for ``recipient`` at ``now``; "unknown" for a check nobody registered."""
    function = CHECKS.get(check)
    if function is None:
        return Verdict(AutoVerdict.UNKNOWN, _("Nền tảng chưa có cách tự kiểm tra mục này."))
    verdict = function(recipient, now)
    return Verdict(verdict.verdict, verdict.detail[:DETAIL_MAX])


# --- storing the verdicts ----------------------------------------------------------------------


def _reports(directive: Directive | None, recipient_ids: Iterable[int] | None) -> list[ItemReport]:
    reports = (
        ItemReport.objects.filter(recipient__directive__status=DirectiveStatus.DISPATCHED)
        .exclude(item__auto_check="")
        .select_related("item", "recipient", "recipient__directive", "recipient__unit", "recipient__organization")
        .order_by("recipient_id", "item_id")
    )
    if directive is not None:
        reports = reports.filter(recipient__directive=directive)
    if recipient_ids is not None:
        reports = reports.filter(recipient_id__in=list(recipient_ids))
    return list(reports)


def _record_change(report: ItemReport, old: str, now: datetime) -> None:
    # Compare-and-swap: of two refreshes racing, only the one that changed the row audits it.
    claimed = ItemReport.objects.filter(id=report.id, auto_verdict=old).update(
        auto_verdict=report.auto_verdict, auto_detail=report.auto_detail, auto_computed_at=now
    )
    if claimed:
        audit_record(
            acting_user=None,
            action="directive.auto_check",
            target=report,
            unit_id=report.recipient.unit_id,
            changes={"verdict": [old, report.auto_verdict], "check": report.item.auto_check, "item": report.item.code},
        )


def refresh_auto_checks(
    *,
    directive: Directive | None = None,
    recipient_ids: Iterable[int] | None = None,
    now: datetime | None = None,
) -> int:
    """Compute and store the platform's verdict on every checked item of dispatched directives.

    Limited to ``directive`` and/or ``recipient_ids`` when given. Every evaluated report gets a new
    ``auto_computed_at``; a change of verdict is written with an audit row. Returns how many reports
    were evaluated.
    """
    now = now or timezone.now()
    reports = _reports(directive, recipient_ids)
    # Two items of one recipient with the same check share one evaluation.
    verdicts: dict[tuple[int, str], Verdict] = {}
    unchanged: list[ItemReport] = []
    with transaction.atomic():
        for report in reports:
            key = (report.recipient_id, report.item.auto_check)
            if key not in verdicts:
                verdicts[key] = evaluate(report.item.auto_check, report.recipient, now=now)
            verdict = verdicts[key]
            old = report.auto_verdict
            report.auto_verdict, report.auto_detail, report.auto_computed_at = verdict.verdict, verdict.detail, now
            if old == verdict.verdict:
                unchanged.append(report)
            else:
                _record_change(report, old, now)
        ItemReport.objects.bulk_update(unchanged, ["auto_detail", "auto_computed_at"], batch_size=BATCH)
    logger.info("directives: %d auto checks evaluated", len(reports))
    return len(reports)
