"""Duty rosters: who is on duty now, periods and who has submitted, one roster with its shifts.

Visibility comes from the duty selectors (another owner's roster is a 404); the right to change a
roster is checked here to answer 403 early, and again by every service.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from haidang.apps.accounts.models import User
from haidang.apps.duty import ical, roster_io, selectors, services
from haidang.apps.duty.coverage import Gap
from haidang.apps.duty.models import DutyPeriod, OwnerKind, Roster, Shift
from haidang.apps.duty.selectors import OwnerRow, PublicDutyContact
from haidang.apps.registry.models import Organization
from haidang.apps.registry.selectors import group_list, organization_list
from haidang.apps.tabular import ImportFileError
from haidang.apps.web.access import form_data, signed_in, user_of, visible_unit
from haidang.apps.web.forms.duty import HandoverForm, PeriodForm, RosterImportForm, ShiftForm
from haidang.apps.web.forms.errors import add_service_errors

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ICS = "text/calendar; charset=utf-8"


def _department_name() -> str:
    return str(settings.HAIDANG_ORG_NAME)


# --- access helpers ----------------------------------------------------------------------------


def _visible_period(user: User, period_id: int) -> DutyPeriod:
    try:
        return selectors.period_get(visible_to=user, period_id=period_id)
    except DutyPeriod.DoesNotExist as exc:
        raise Http404 from exc


def _visible_roster(user: User, roster_id: int) -> Roster:
    try:
        return selectors.roster_get(visible_to=user, roster_id=roster_id)
    except Roster.DoesNotExist as exc:
        raise Http404 from exc


def _editable_roster(user: User, roster_id: int) -> Roster:
    roster = _visible_roster(user, roster_id)
    if user.is_read_only or not selectors.can_edit_roster(user, roster):
        raise PermissionDenied(_("Bạn không có quyền thay đổi lịch trực này."))
    return roster


def _roster_shift(user: User, roster: Roster, shift_id: int) -> Shift:
    try:
        return selectors.shift_list(visible_to=user, roster_id=roster.id).get(id=shift_id)
    except Shift.DoesNotExist as exc:
        raise Http404 from exc


def _require_announcer(user: User) -> None:
    if not selectors.can_announce(user):
        raise PermissionDenied(_("Chỉ quản trị và cán bộ trực của Sở được thực hiện thao tác này."))


def _roster_url(roster: Roster, anchor: str = "") -> str:
    return reverse("web:roster_detail", kwargs={"roster_id": roster.id}) + (f"#{anchor}" if anchor else "")


# --- the duty board ----------------------------------------------------------------------------


@dataclass
class DutyNow:
    """What the dashboard's "on duty now" block shows."""

    on_duty: list[OwnerRow]
    nobody: list[OwnerRow]
    department: PublicDutyContact | None
    at: datetime


def duty_now_summary(user: User, at: datetime | None = None) -> DutyNow:
    """For the dashboard: owners with someone on duty now, owners expected on duty with nobody."""
    at = at or timezone.now()
    rows = selectors.duty_board(visible_to=user, department_name=_department_name(), at=at)
    return DutyNow(
        on_duty=[row for row in rows if row.shifts],
        nobody=[row for row in rows if not row.shifts],
        department=selectors.department_contact_now(at),
        at=at,
    )


@signed_in
@require_safe
def duty_board(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    now = duty_now_summary(user)
    context = {
        "now": now,
        "running": list(selectors.periods_running(at=now.at)),
        "can_announce": selectors.can_announce(user),
    }
    return render(request, "web/duty/board.html", context)


# --- periods -----------------------------------------------------------------------------------


@signed_in
@require_safe
def period_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    context = {
        "periods": selectors.period_list(visible_to=user)[:100],
        "can_announce": selectors.can_announce(user),
        "now": timezone.now(),
    }
    return render(request, "web/duty/period_list.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def period_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require_announcer(user)
    form = PeriodForm(form_data(request), groups=group_list())
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_announce(acting_user=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thông báo đợt trực %(name)s.") % {"name": period.name})
            return redirect("web:period_detail", period_id=period.id)
    return render(request, "web/duty/period_form.html", {"form": form, "period": None})


@signed_in
@require_http_methods(["GET", "POST"])
def period_edit(request: HttpRequest, period_id: int) -> HttpResponse:
    user = user_of(request)
    _require_announcer(user)
    period = _visible_period(user, period_id)
    form = PeriodForm(form_data(request), initial=PeriodForm.initial_for(period), groups=group_list())
    if request.method == "POST" and form.is_valid():
        try:
            services.period_update(acting_user=user, period=period, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu đợt trực."))
            return redirect("web:period_detail", period_id=period.id)
    return render(request, "web/duty/period_form.html", {"form": form, "period": period})


@signed_in
@require_safe
def period_detail(request: HttpRequest, period_id: int) -> HttpResponse:
    user = user_of(request)
    period = _visible_period(user, period_id)
    rows = selectors.period_rows(visible_to=user, period=period, department_name=_department_name())
    for row in rows:
        row.can_start = not user.is_read_only and selectors.can_edit_owner(  # type: ignore[attr-defined]
            user, unit_id=row.key[0], organization_id=row.key[1]
        )
    # The department announces the period; the figures count the units and telecoms it asked.
    required = [row for row in rows if row.required and row.kind != OwnerKind.DEPARTMENT]
    context = {
        "period": period,
        "rows": rows,
        "required_count": len(required),
        "submitted_count": sum(1 for row in required if row.submitted),
        "missing": [row for row in required if not row.submitted],
        "with_gaps": sum(1 for row in rows if row.submitted and row.uncovered),
        "can_announce": selectors.can_announce(user),
    }
    return render(request, "web/duty/period_detail.html", context)


@signed_in
@require_POST
def roster_start(request: HttpRequest, period_id: int) -> HttpResponse:
    """Open the owner's roster for the period, creating a draft the first time."""
    user = user_of(request)
    period = _visible_period(user, period_id)
    unit = visible_unit(user, int(request.POST["unit"])) if request.POST.get("unit", "").isdigit() else None
    organization: Organization | None = None
    if request.POST.get("organization", "").isdigit():
        try:
            organization = organization_list(visible_to=user).get(id=int(request.POST["organization"]))
        except Organization.DoesNotExist as exc:
            raise Http404 from exc
    try:
        roster = services.roster_get_or_create(acting_user=user, period=period, unit=unit, organization=organization)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("web:period_detail", period_id=period.id)
    return redirect(_roster_url(roster))


# --- one roster --------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    starts_at: datetime
    shift: Shift | None = None
    gap: Gap | None = None


def _timeline(shifts: list[Shift], gaps: list[Gap]) -> list[TimelineEntry]:
    entries = [TimelineEntry(s.starts_at, shift=s) for s in shifts] + [TimelineEntry(g.starts_at, gap=g) for g in gaps]
    # A gap sorts before a shift that starts at the same moment: it ended just before.
    return sorted(entries, key=lambda e: (e.starts_at, e.shift is not None))


@signed_in
@require_safe
def roster_detail(request: HttpRequest, roster_id: int) -> HttpResponse:
    user = user_of(request)
    roster = _visible_roster(user, roster_id)
    shifts = list(selectors.shift_list(visible_to=user, roster_id=roster.id).order_by("starts_at", "-role", "id"))
    gaps = selectors.roster_gaps(roster, shifts)
    notes: dict[int, list[Any]] = {}
    for note in selectors.handover_notes(shift_ids=[s.id for s in shifts]):
        notes.setdefault(note.shift_id, []).append(note)
    for shift in shifts:
        shift.notes = notes.get(shift.id, [])  # type: ignore[attr-defined]
    can_edit = not user.is_read_only and selectors.can_edit_roster(user, roster)
    context = {
        "roster": roster,
        "period": roster.period,
        "timeline": _timeline(shifts, gaps),
        "shift_count": len(shifts),
        "uncovered": [g for g in gaps if g.is_uncovered],
        "backup_only": [g for g in gaps if not g.is_uncovered],
        "can_edit": can_edit,
        "can_note": not user.is_read_only,
        "handover_form": HandoverForm(),
        "now": timezone.now(),
    }
    return render(request, "web/duty/roster_detail.html", context)


def _shift_form(user: User, roster: Roster, data: Any, initial: dict[str, Any] | None = None) -> ShiftForm:
    accounts = selectors.duty_accounts(unit_id=roster.unit_id, organization_id=roster.organization_id)
    if initial is None:
        start = max(timezone.now(), roster.period.starts_at).replace(second=0, microsecond=0)
        initial = {"starts_at": timezone.localtime(start)}
    return ShiftForm(data, initial=initial, accounts=accounts)


@signed_in
@require_http_methods(["GET", "POST"])
def shift_add(request: HttpRequest, roster_id: int) -> HttpResponse:
    user = user_of(request)
    roster = _editable_roster(user, roster_id)
    form = _shift_form(user, roster, form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            shift = services.shift_create(acting_user=user, roster=roster, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm ca trực của %(name)s.") % {"name": shift.person_name})
            if request.POST.get("another"):
                return redirect("web:shift_add", roster_id=roster.id)
            return redirect(_roster_url(roster, "shifts"))
    context = {"form": form, "roster": roster, "shift": None, "title": _("Thêm ca trực")}
    return render(request, "web/duty/shift_form.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def shift_edit(request: HttpRequest, roster_id: int, shift_id: int) -> HttpResponse:
    user = user_of(request)
    roster = _editable_roster(user, roster_id)
    shift = _roster_shift(user, roster, shift_id)
    form = _shift_form(user, roster, form_data(request), initial=ShiftForm.initial_for(shift))
    if request.method == "POST" and form.is_valid():
        try:
            services.shift_update(acting_user=user, shift=shift, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu ca trực."))
            return redirect(_roster_url(roster, "shifts"))
    context = {"form": form, "roster": roster, "shift": shift, "title": _("Sửa ca trực")}
    return render(request, "web/duty/shift_form.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def shift_delete(request: HttpRequest, roster_id: int, shift_id: int) -> HttpResponse:
    user = user_of(request)
    roster = _editable_roster(user, roster_id)
    shift = _roster_shift(user, roster, shift_id)
    if request.method == "POST":
        services.shift_delete(acting_user=user, shift=shift)
        messages.success(request, _("Đã xoá ca trực của %(name)s.") % {"name": shift.person_name})
        return redirect(_roster_url(roster, "shifts"))
    return render(request, "web/duty/shift_delete.html", {"roster": roster, "shift": shift})


@signed_in
@require_POST
def roster_submit(request: HttpRequest, roster_id: int) -> HttpResponse:
    user = user_of(request)
    roster = _editable_roster(user, roster_id)
    withdraw = request.POST.get("action") == "withdraw"
    try:
        if withdraw:
            services.roster_withdraw(acting_user=user, roster=roster)
        else:
            services.roster_submit(acting_user=user, roster=roster)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if withdraw:
            messages.info(request, _("Đã chuyển lịch trực về trạng thái đang soạn."))
        elif roster.owner_kind == "department":
            messages.success(request, _("Đã công bố lịch trực của Sở."))
        else:
            messages.success(request, _("Đã nộp lịch trực."))
    return redirect(_roster_url(roster))


@signed_in
@require_POST
def handover_add(request: HttpRequest, roster_id: int, shift_id: int) -> HttpResponse:
    user = user_of(request)
    roster = _visible_roster(user, roster_id)
    shift = _roster_shift(user, roster, shift_id)
    form = HandoverForm(request.POST)
    if form.is_valid():
        try:
            services.handover_note_add(acting_user=user, shift=shift, text=form.cleaned_data["text"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã ghi bàn giao ca."))
    else:
        messages.error(request, " ".join(str(e) for e in form.errors.get("text", [])))
    return redirect(_roster_url(roster, f"shift-{shift.id}"))


# --- import and calendars ----------------------------------------------------------------------


@signed_in
@require_http_methods(["GET", "POST"])
def roster_import(request: HttpRequest, roster_id: int) -> HttpResponse:
    """All or nothing: a file with any wrong row writes nothing and lists every wrong row."""
    user = user_of(request)
    roster = _editable_roster(user, roster_id)
    form = RosterImportForm(form_data(request), request.FILES if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = roster_io.read_rows(upload, filename=upload.name)
            result = roster_io.shifts_import(acting_user=user, roster=roster, rows=rows)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if result.ok:
                messages.success(request, _("Đã nhập lịch trực từ tệp."))
    context = {"form": form, "roster": roster, "result": result, "columns": roster_io.COLUMNS}
    return render(request, "web/duty/roster_import.html", context)


@signed_in
@require_GET
def roster_import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    body = roster_io.template_csv() if fmt == "csv" else roster_io.template_xlsx()
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="mau-lich-truc.{fmt}"'
    return response


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=ICS)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@signed_in
@require_GET
def roster_ical(request: HttpRequest, roster_id: int) -> HttpResponse:
    user = user_of(request)
    roster = _visible_roster(user, roster_id)
    shifts = selectors.shift_list(visible_to=user, roster_id=roster.id).select_related("roster__period")
    name = _("Lịch trực %(owner)s — %(period)s") % {"owner": roster.owner_name, "period": roster.period.name}
    return _ics_response(
        ical.shifts_calendar(shifts, name=name, stamp_host=request.get_host()), f"lich-truc-{roster.id}.ics"
    )


@signed_in
@require_GET
def my_shifts_ical(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    name = _("Ca trực của tôi — %(name)s") % {"name": user.full_name or user.email}
    body = ical.shifts_calendar(selectors.my_shifts(user=user), name=name, stamp_host=request.get_host())
    return _ics_response(body, "ca-truc-cua-toi.ics")
