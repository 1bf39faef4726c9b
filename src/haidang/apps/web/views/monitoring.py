"""Website monitoring pages: the city overview, a unit's websites, a website's history, a finding with its
evidence next to the baseline, the decisions on a finding, and heightened-alert periods.

Visibility comes from the monitoring and registry selectors (another unit's website or finding is a
404); the right to act is checked here to answer 403 early, and again by every service.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import groupby
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from haidang.apps.accounts.models import Role, User
from haidang.apps.incidents.selectors import can_see as can_see_incident
from haidang.apps.monitoring import selectors, services, store
from haidang.apps.monitoring.models import (
    AlertPeriod,
    DailyScans,
    Finding,
    FindingEvent,
    FindingEventKind,
    FindingState,
    WatchState,
)
from haidang.apps.registry.models import Website
from haidang.apps.registry.selectors import can_edit_unit, unit_list, website_list
from haidang.apps.web.access import form_data, signed_in, user_of, visible_unit
from haidang.apps.web.charts import BarChart, Point, bar_chart, count_ticks, days_ending
from haidang.apps.web.comparison import compare
from haidang.apps.web.forms.errors import add_service_errors
from haidang.apps.web.forms.monitoring import (
    AlertPeriodForm,
    AssignFindingForm,
    FindingFilterForm,
    ReasonForm,
    WatchForm,
)
from haidang.apps.web.summaries import UNIT_ORDER

CHART_DAYS = 30
PAGE_SIZE = 50
TIMELINE_SHOWN = 60
FINDINGS_ON_WEBSITE = 100
SNAPSHOT_CHARS = 200_000

#: The overview's colour of a unit, always shown with its words (colour is never the only signal).
COLOUR_LABELS = {
    "red": gettext_lazy("Nghiêm trọng"),
    "orange": gettext_lazy("Cần xử lý"),
    "amber": gettext_lazy("Cần xử lý"),
    "yellow": gettext_lazy("Cần chú ý"),
    "green": gettext_lazy("Bình thường"),
    "grey": gettext_lazy("Chưa có dữ liệu"),
    "gray": gettext_lazy("Chưa có dữ liệu"),
}


# --- access helpers ----------------------------------------------------------------------------


def _website(user: User, website_id: int) -> Website:
    try:
        return website_list(visible_to=user).get(id=website_id)
    except Website.DoesNotExist as exc:
        raise Http404 from exc


def _finding(user: User, finding_id: int) -> Finding:
    try:
        return selectors.finding_get(visible_to=user, finding_id=finding_id)
    except Finding.DoesNotExist as exc:
        raise Http404 from exc


def _watch(user: User, website: Website) -> WatchState | None:
    try:
        return selectors.watch_get(visible_to=user, website_id=website.id)
    except WatchState.DoesNotExist:
        return None


def _may_edit_watch(user: User, website: Website) -> bool:
    return not user.is_read_only and can_edit_unit(user, website.unit_id)


def _assignees(finding: Finding) -> QuerySet[User]:
    """Department officers, the unit's officers, and members of the providers assigned to the unit."""
    eligible = Q(role__in=(Role.ADMIN, Role.DUTY))
    eligible |= Q(role=Role.UNIT, unit_id=finding.unit_id)
    eligible |= Q(role=Role.PROVIDER, organization__assigned_units=finding.unit_id)
    users = User.objects.filter(eligible, is_active=True).distinct()
    return users.select_related("unit", "organization").order_by("role", "full_name", "email")


def _website_url(website: Website, anchor: str = "") -> str:
    url = reverse("web:monitoring_website", kwargs={"website_id": website.id})
    return f"{url}#{anchor}" if anchor else url


def _finding_url(finding: Finding, anchor: str = "") -> str:
    url = reverse("web:monitoring_finding", kwargs={"finding_id": finding.id})
    return f"{url}#{anchor}" if anchor else url


# --- charts ------------------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


def _decimal(value: float) -> str:
    """One decimal in the reader's language (95,5 in Vietnamese), none when whole."""
    rounded = round(value, 1)
    return str(int(rounded)) if rounded.is_integer() else formats.number_format(rounded, 1)


def _availability_chart(daily: Iterable[DailyScans], *, key: str) -> BarChart:
    by_day: dict[date, list[int]] = {}
    for row in daily:
        totals = by_day.setdefault(row.day, [0, 0])
        totals[0] += row.scans
        totals[1] += row.up
    points = []
    for day in days_ending(_today(), CHART_DAYS):
        scans, up = by_day.get(day, [0, 0])
        if scans:
            share = round(100 * up / scans, 1)
            text = _("%(share)s%% truy cập được (%(up)s/%(scans)s lần quét)") % {
                "share": _decimal(share),
                "up": up,
                "scans": scans,
            }
            points.append(Point(day, share, text))
        else:
            points.append(Point(day, None, _("không có dữ liệu")))
    measured = [point.value for point in points if point.value is not None]
    summary = (
        _("Trung bình %(avg)s%% truy cập được trong %(days)s ngày có dữ liệu; thấp nhất %(low)s%%.")
        % {"avg": _decimal(sum(measured) / len(measured)), "days": len(measured), "low": _decimal(min(measured))}
        if measured
        else _("Chưa có lần quét nào trong %(n)s ngày qua.") % {"n": CHART_DAYS}
    )
    return bar_chart(
        key=key,
        title=_("Khả năng truy cập theo ngày (%% lần quét truy cập được), %(n)s ngày gần nhất") % {"n": CHART_DAYS},
        summary=summary,
        points=points,
        maximum=100,
        ticks=[0, 50, 100],
        tick_suffix="%",
        css={"bar-bad": 90, "bar-warn": 99.5},
    )


def _opened_chart(events: Iterable[FindingEvent], *, key: str) -> BarChart:
    opened = Counter(
        timezone.localtime(event.at).date()
        for event in events
        if event.kind in (FindingEventKind.OPENED, FindingEventKind.REOPENED)
    )
    points = [Point(day, opened.get(day, 0), str(opened.get(day, 0))) for day in days_ending(_today(), CHART_DAYS)]
    total = sum(int(point.value or 0) for point in points)
    peak = max((int(point.value or 0) for point in points), default=0)
    return bar_chart(
        key=key,
        title=_("Phát hiện mới hoặc xuất hiện lại theo ngày, %(n)s ngày gần nhất") % {"n": CHART_DAYS},
        summary=_("%(total)s phát hiện mới hoặc xuất hiện lại trong %(n)s ngày; nhiều nhất %(peak)s trong một ngày.")
        % {"total": total, "n": CHART_DAYS, "peak": peak},
        points=points,
        maximum=max(peak, 1),
        ticks=count_ticks(peak),
        css={},
    )


# --- the city overview -------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupRows:
    name: str
    rows: list[Any]  # selectors.UnitOverview


def _has_problem(row: Any) -> bool:
    return bool(row.down or row.flagged or row.open_findings)


def _by_group(rows: Sequence[Any]) -> list[GroupRows]:
    def group_key(row: Any) -> tuple[int, str]:
        return (row.unit.group.order, row.unit.group.name)

    ordered = sorted(rows, key=lambda row: (*group_key(row), row.unit.number or 0, row.unit.name))
    return [GroupRows(name, list(items)) for (_order, name), items in groupby(ordered, key=group_key)]


@signed_in
@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    rows = list(selectors.city_overview(visible_to=user))
    show = "problems" if request.GET.get("show") == "problems" else "all"
    shown = [row for row in rows if show == "all" or _has_problem(row)]
    context = {
        "groups": _by_group(shown),
        "show": show,
        "total_units": len(rows),
        "totals": {
            "websites": sum(row.websites for row in rows),
            "down": sum(row.down for row in rows),
            "flagged": sum(row.flagged for row in rows),
            "open_findings": sum(row.open_findings for row in rows),
            "units_with_problems": sum(1 for row in rows if _has_problem(row)),
        },
        "colour_labels": COLOUR_LABELS,
        "running": list(selectors.running_alert_periods()),
        "recent": list(
            selectors.finding_list(visible_to=user, state=FindingState.OPEN, disposition="").select_related(
                "website", "unit"
            )[:10]
        ),
        "can_manage_periods": selectors.can_manage_alert_periods(user),
    }
    return render(request, "web/monitoring/overview.html", context)


# --- a unit's websites -------------------------------------------------------------------------


@dataclass(frozen=True)
class SiteRow:
    website: Website
    watch: WatchState | None
    open_findings: int
    interval: int | None


@signed_in
@require_safe
def unit_page(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = user_of(request)
    unit = visible_unit(user, unit_id)
    watches = {watch.website_id: watch for watch in selectors.watch_list(visible_to=user, unit_id=unit.id)}
    open_findings = selectors.finding_list(visible_to=user, unit_id=unit.id, state=FindingState.OPEN)
    counts = Counter(open_findings.values_list("website_id", flat=True))
    websites = list(website_list(visible_to=user, unit_id=unit.id).filter(is_active=True))
    rows = [
        SiteRow(
            site,
            watches.get(site.id),
            counts.get(site.id, 0),
            selectors.effective_interval(watches[site.id]) if site.id in watches else None,
        )
        for site in websites
    ]
    daily = [row for site in websites for row in selectors.daily_scans(site, days=CHART_DAYS)]
    context = {
        "unit": unit,
        "rows": rows,
        "findings": list(open_findings.select_related("website")[:50]),
        "chart": _availability_chart(daily, key="unit-availability"),
        "link_unit": True,
    }
    return render(request, "web/monitoring/unit.html", context)


# --- a website: history, charts, scan now, watch settings ---------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    event: FindingEvent
    finding: Finding


def _timeline(findings: Sequence[Finding]) -> list[TimelineItem]:
    items = [TimelineItem(event, finding) for finding in findings for event in finding.events.all()]
    items.sort(key=lambda item: (item.event.at, item.event.id), reverse=True)
    return items[:TIMELINE_SHOWN]


def _render_website(request: HttpRequest, website: Website, **bound: forms.Form) -> HttpResponse:
    user = user_of(request)
    watch = _watch(user, website)
    findings = list(
        selectors.finding_list(visible_to=user, website_id=website.id)
        .select_related("assignee")
        .prefetch_related("events__actor")[:FINDINGS_ON_WEBSITE]
    )
    daily = list(selectors.daily_scans(website, days=CHART_DAYS))
    now = timezone.now()
    initial = {
        "enabled": watch.enabled if watch else True,
        "interval_minutes": watch.interval_minutes if watch else None,
        "vantages": watch.vantages if watch else "",
    }
    context: dict[str, Any] = {
        "website": website,
        "unit": website.unit,
        "watch": watch,
        "interval": selectors.effective_interval(watch) if watch else None,
        "scan_pending": bool(watch and watch.claimed_until and watch.claimed_until > now),
        "open_findings": [finding for finding in findings if finding.state == FindingState.OPEN],
        "resolved_findings": [finding for finding in findings if finding.state != FindingState.OPEN],
        "findings_total": len(findings),
        "timeline": _timeline(findings),
        "daily": sorted(daily, key=lambda row: row.day, reverse=True),
        "charts": [
            _availability_chart(daily, key="availability"),
            _opened_chart((event for finding in findings for event in finding.events.all()), key="findings"),
        ],
        "observations": list(selectors.vantage_observations(website)),
        "can_scan": selectors.can_scan_now(user, website),
        "can_edit_watch": _may_edit_watch(user, website),
        "watch_form": WatchForm(initial=initial),
        "now": now,
        **bound,
    }
    return render(request, "web/monitoring/website.html", context)


@signed_in
@require_safe
def website_page(request: HttpRequest, website_id: int) -> HttpResponse:
    return _render_website(request, _website(user_of(request), website_id))


@signed_in
@require_POST
def scan_now(request: HttpRequest, website_id: int) -> HttpResponse:
    user = user_of(request)
    website = _website(user, website_id)
    if not selectors.can_scan_now(user, website):
        raise PermissionDenied(_("Bạn không có quyền yêu cầu quét trang này."))
    if services.scan_now(actor=user, website=website):
        messages.success(request, _("Đã đưa trang vào hàng đợi quét. Kết quả hiện ở đây khi quét xong."))
    else:
        messages.warning(request, _("Trang này đã có yêu cầu quét đang chờ hoặc đang chạy; chưa thêm yêu cầu mới."))
    return redirect(_website_url(website, "status"))


@signed_in
@require_POST
def watch_settings(request: HttpRequest, website_id: int) -> HttpResponse:
    user = user_of(request)
    website = _website(user, website_id)
    if not _may_edit_watch(user, website):
        raise PermissionDenied(_("Bạn không có quyền thay đổi dữ liệu của đơn vị này."))
    form = WatchForm(request.POST)
    if form.is_valid():
        try:
            services.watch_update(
                actor=user,
                website=website,
                enabled=form.cleaned_data["enabled"],
                interval_minutes=form.cleaned_data["interval_minutes"],
                vantages=form.cleaned_data["vantages"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu cài đặt giám sát."))
            return redirect(_website_url(website, "settings"))
    messages.error(request, _("Chưa lưu được: hãy xem thông báo lỗi bên dưới."))
    return _render_website(request, website, watch_form=form)


# --- findings ----------------------------------------------------------------------------------


@signed_in
@require_safe
def finding_list_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = FindingFilterForm(request.GET or None, units=unit_list(visible_to=user))
    values = form.values() if form.is_bound else {"state": FindingState.OPEN}
    findings = selectors.finding_list(visible_to=user, **values).select_related("website", "unit", "assignee")
    page = Paginator(findings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/monitoring/findings.html", {"form": form, "page": page, "total": page.paginator.count})


_LEGITIMATE_HELP = gettext_lazy(
    "Ví dụ: đơn vị vừa thay giao diện mới theo kế hoạch; số điện thoại đường dây nóng đổi theo quyết định số …"
)
_FALSE_POSITIVE_HELP = gettext_lazy("Ví dụ: tin tức về phòng chống cờ bạc, không phải nội dung bị chèn.")


def _finding_forms(finding: Finding) -> dict[str, forms.Form]:
    return {
        "assign_form": AssignFindingForm(initial={"assignee": finding.assignee_id}, users=_assignees(finding)),
        "legitimate_form": ReasonForm(prefix="legitimate", help_text=_LEGITIMATE_HELP),
        "false_positive_form": ReasonForm(prefix="false_positive", help_text=_FALSE_POSITIVE_HELP),
    }


def _render_finding(request: HttpRequest, finding: Finding, **bound: forms.Form) -> HttpResponse:
    user = user_of(request)
    current = store.snapshot_text(finding.snapshot, SNAPSHOT_CHARS)
    baseline = store.snapshot_text(finding.baseline_snapshot, SNAPSHOT_CHARS)
    context: dict[str, Any] = {
        "finding": finding,
        "website": finding.website,
        "unit": finding.unit,
        "probes": [probe.strip() for probe in finding.probes.split(",") if probe.strip()],
        "comparison": compare(current, baseline),
        "events": selectors.finding_events(finding).select_related("actor"),
        "can_manage": selectors.can_manage_findings(user, finding),
        "show_incident": finding.incident is not None and can_see_incident(user, finding.incident),
        **_finding_forms(finding),
        **bound,
    }
    return render(request, "web/monitoring/finding.html", context)


@signed_in
@require_safe
def finding_page(request: HttpRequest, finding_id: int) -> HttpResponse:
    return _render_finding(request, _finding(user_of(request), finding_id))


Perform = Callable[[User, Finding, dict[str, Any]], Any]


@dataclass(frozen=True)
class FindingAction:
    form_name: str
    form: Callable[[HttpRequest, Finding], forms.Form]
    perform: Perform
    done: Any


FINDING_ACTIONS: dict[str, FindingAction] = {
    "acknowledge": FindingAction(
        "acknowledge_form",
        lambda request, finding: forms.Form(request.POST),
        lambda user, finding, data: services.finding_acknowledge(actor=user, finding=finding),
        gettext_lazy("Đã ghi nhận phát hiện."),
    ),
    "assign": FindingAction(
        "assign_form",
        lambda request, finding: AssignFindingForm(request.POST, users=_assignees(finding)),
        lambda user, finding, data: services.finding_assign(actor=user, finding=finding, assignee=data["assignee"]),
        gettext_lazy("Đã cập nhật người xử lý."),
    ),
    "legitimate": FindingAction(
        "legitimate_form",
        lambda request, finding: ReasonForm(request.POST, prefix="legitimate", help_text=_LEGITIMATE_HELP),
        lambda user, finding, data: services.finding_mark_legitimate(
            actor=user, finding=finding, reason=data["reason"]
        ),
        gettext_lazy("Đã xác nhận đây là thay đổi hợp lệ."),
    ),
    "false_positive": FindingAction(
        "false_positive_form",
        lambda request, finding: ReasonForm(request.POST, prefix="false_positive", help_text=_FALSE_POSITIVE_HELP),
        lambda user, finding, data: services.finding_mark_false_positive(
            actor=user, finding=finding, reason=data["reason"]
        ),
        gettext_lazy("Đã đánh dấu là cảnh báo nhầm."),
    ),
}


@signed_in
@require_POST
def finding_action(request: HttpRequest, finding_id: int, action: str) -> HttpResponse:
    """Validate the posted form and call the service; on an error show the page again with the input kept."""
    user = user_of(request)
    finding = _finding(user, finding_id)
    spec = FINDING_ACTIONS.get(action)
    if spec is None:
        raise Http404
    if not selectors.can_manage_findings(user, finding):
        raise PermissionDenied(_("Bạn không có quyền xử lý phát hiện này."))
    form = spec.form(request, finding)
    if form.is_valid():
        try:
            spec.perform(user, finding, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, str(spec.done))
            return redirect(_finding_url(finding, "actions"))
    messages.error(request, _("Chưa thực hiện được: hãy xem thông báo lỗi bên dưới."))
    return _render_finding(request, finding, **{spec.form_name: form})


# --- heightened-alert periods ------------------------------------------------------------------


def _period_state(period: AlertPeriod, now: datetime) -> str:
    if period.ends_at <= now:
        return "ended"
    return "running" if period.starts_at <= now else "upcoming"


def _period_create(request: HttpRequest, user: User, form: AlertPeriodForm) -> HttpResponse | None:
    """Create the period from a valid form; None (errors on the form) when it cannot be saved."""
    if form.is_valid():
        data = form.cleaned_data
        try:
            period = services.alert_period_create(
                actor=user,
                name=data["name"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                interval_minutes=data["interval_minutes"],
                units=list(data["units"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo đợt cảnh giác cao %(name)s.") % {"name": period.name})
            return redirect("web:monitoring_periods")
    messages.error(request, _("Chưa lưu được: hãy xem thông báo lỗi bên dưới."))
    return None


@signed_in
@require_http_methods(["GET", "POST"])
def periods(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    may_manage = selectors.can_manage_alert_periods(user)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied(_("Chỉ quản trị và cán bộ trực của Sở được thực hiện thao tác này."))
    form = AlertPeriodForm(form_data(request), units=unit_list(visible_to=user).order_by(*UNIT_ORDER))
    if request.method == "POST":
        done = _period_create(request, user, form)
        if done is not None:
            return done
    now = timezone.now()
    rows = [(period, _period_state(period, now)) for period in selectors.alert_period_list(visible_to=user)[:100]]
    return render(request, "web/monitoring/periods.html", {"rows": rows, "form": form if may_manage else None})


@signed_in
@require_POST
def period_delete(request: HttpRequest, period_id: int) -> HttpResponse:
    user = user_of(request)
    if not selectors.can_manage_alert_periods(user):
        raise PermissionDenied(_("Chỉ quản trị và cán bộ trực của Sở được thực hiện thao tác này."))
    try:
        period = selectors.alert_period_list(visible_to=user).get(id=period_id)
    except AlertPeriod.DoesNotExist as exc:
        raise Http404 from exc
    name = period.name
    services.alert_period_delete(actor=user, period=period)
    messages.success(request, _("Đã xoá đợt cảnh giác cao %(name)s.") % {"name": name})
    return redirect("web:monitoring_periods")
