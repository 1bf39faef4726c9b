"""The department's vulnerability warning pages: the list, composing, sending, follow-up, the documents.

Who sees which warning is decided by the advisories' warning selectors (another unit's warning is a
404); the right to write is checked here to answer 403 early, and again by every service. The unit's
page (acknowledge, report per system, evidence) is in views.warning_receipts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from haidang.apps.accounts.models import User
from haidang.apps.advisories import warning_selectors as selectors
from haidang.apps.advisories import warning_services as services
from haidang.apps.advisories.models import SecurityWarning, WarningStatus
from haidang.apps.advisories.warning_selectors import RecipientRow, Tally, WarningStatusView
from haidang.apps.downloads import document_response
from haidang.apps.registry.models import Unit, UnitStatus
from haidang.apps.registry.selectors import group_list
from haidang.apps.web.access import form_data, signed_in, user_of
from haidang.apps.web.forms.errors import add_service_errors
from haidang.apps.web.forms.warnings import SendForm, WarningFilterForm, WarningForm

PAGE_SIZE = 25
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


# --- access helpers ----------------------------------------------------------------------------


def _warning(user: User, warning_id: int | str) -> SecurityWarning:
    warning = selectors.warning_get(visible_to=user, warning_id=int(warning_id))
    if warning is None:
        raise Http404
    return warning


def _require_manager(user: User) -> None:
    if not selectors.can_manage(user):
        raise PermissionDenied(_("Chỉ quản trị và cán bộ trực của Sở được soạn, gửi cảnh báo lỗ hổng."))


def _managed(user: User, warning_id: int | str) -> SecurityWarning:
    """A visible warning that ``user`` may change (403 when only visible)."""
    warning = _warning(user, warning_id)
    _require_manager(user)
    return warning


def _detail_url(warning: SecurityWarning, anchor: str = "") -> str:
    url = reverse("web:warning_detail", kwargs={"warning_id": warning.id})
    return f"{url}#{anchor}" if anchor else url


def _overdue(warning: SecurityWarning, tally: Tally, now: Any) -> bool:
    return warning.status == WarningStatus.SENT and warning.deadline < now and tally.open > 0


# --- the list ----------------------------------------------------------------------------------


@dataclass
class ListRow:
    warning: SecurityWarning
    status: WarningStatusView
    overdue: bool

    @property
    def own(self) -> RecipientRow | None:
        """The viewer's own receipt, when the viewer sees exactly one (a unit officer)."""
        return self.status.rows[0] if len(self.status.rows) == 1 else None


def _filtered(user: User, search: str, status: str) -> Any:
    warnings = selectors.warning_list(visible_to=user).prefetch_related("vulnerabilities")
    if status:
        warnings = warnings.filter(status=status)
    if search:
        warnings = warnings.filter(
            Q(number__icontains=search) | Q(title__icontains=search) | Q(vulnerabilities__cve_id__icontains=search)
        ).distinct()
    return warnings


@signed_in
@require_safe
def warning_list_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = WarningFilterForm(request.GET or None)
    values = form.values() if form.is_bound else {"search": "", "status": ""}
    page = Paginator(_filtered(user, **values), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = []
    for warning in page.object_list:
        status = selectors.warning_status(visible_to=user, warning=warning)
        rows.append(ListRow(warning, status, _overdue(warning, status.tally, now)))
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "total": page.paginator.count,
        "can_manage": selectors.can_manage(user),
        "city_wide": user.is_city_wide,
        "filtered": any(values.values()),
    }
    return render(request, "web/warnings/list.html", context)


# --- composing ---------------------------------------------------------------------------------


def _save_new(request: HttpRequest, user: User, form: WarningForm) -> HttpResponse | None:
    try:
        warning = services.warning_create(actor=user, data=form.fields_value())
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, _("Đã tạo bản nháp cảnh báo. Kiểm tra nội dung rồi gửi tới các đơn vị bị ảnh hưởng."))
    return redirect(_detail_url(warning))


def _prefill(request: HttpRequest) -> tuple[dict[str, Any], list[str]]:
    """The form's first values: suggested from ``?cve=…`` when given, else a blank warning."""
    cves = tuple(request.GET.getlist("cve"))
    if not cves:
        return WarningForm.initial_blank(), []
    try:
        return WarningForm.initial_from(services.suggest(cves)), []
    except ValidationError as exc:
        initial = WarningForm.initial_blank()
        initial["cve_ids"] = "\n".join(cves)
        return initial, exc.messages


@signed_in
@require_http_methods(["GET", "POST"])
def warning_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require_manager(user)
    initial, problems = _prefill(request)
    form = WarningForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        done = _save_new(request, user, form)
        if done is not None:
            return done
    context = {"form": form, "warning": None, "problems": problems}
    return render(request, "web/warnings/form.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def warning_edit(request: HttpRequest, warning_id: int) -> HttpResponse:
    user = user_of(request)
    warning = _managed(user, warning_id)
    if warning.status != WarningStatus.DRAFT:
        messages.error(request, _("Cảnh báo đã gửi: không thể sửa nội dung nữa."))
        return redirect(_detail_url(warning))
    form = WarningForm(form_data(request), initial=WarningForm.initial_for(warning))
    if request.method == "POST" and form.is_valid():
        try:
            services.warning_update(actor=user, warning=warning, data=form.fields_value())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu cảnh báo."))
            return redirect(_detail_url(warning))
    return render(request, "web/warnings/form.html", {"form": form, "warning": warning, "problems": []})


@signed_in
@require_http_methods(["GET", "POST"])
def warning_delete_view(request: HttpRequest, warning_id: int) -> HttpResponse:
    user = user_of(request)
    warning = _managed(user, warning_id)
    if warning.status != WarningStatus.DRAFT:
        messages.error(request, _("Cảnh báo đã gửi không thể xoá; hãy kết thúc cảnh báo."))
        return redirect(_detail_url(warning))
    if request.method == "POST":
        try:
            services.warning_delete(actor=user, warning=warning)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(_detail_url(warning))
        messages.success(request, _("Đã xoá bản nháp “%(title)s”.") % {"title": warning.title[:120]})
        return redirect("web:warning_list")
    return render(request, "web/warnings/confirm_delete.html", {"warning": warning})


@signed_in
@require_POST
def warning_close_view(request: HttpRequest, warning_id: int) -> HttpResponse:
    user = user_of(request)
    warning = _managed(user, warning_id)
    try:
        services.warning_close(actor=user, warning=warning)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã kết thúc cảnh báo: các đơn vị không báo cáo thêm được nữa."))
    return redirect(_detail_url(warning))


# --- the warning's page ------------------------------------------------------------------------


@dataclass
class UnitLine:
    row: RecipientRow
    overdue: bool


@signed_in
@require_safe
def warning_detail(request: HttpRequest, warning_id: int) -> HttpResponse:
    user = user_of(request)
    warning = _warning(user, warning_id)
    status = selectors.warning_status(visible_to=user, warning=warning)
    if not user.is_city_wide and len(status.rows) == 1:
        return redirect("web:warning_recipient", recipient_id=status.rows[0].recipient.id)
    now = timezone.now()
    context = {
        "warning": warning,
        "vulnerabilities": list(warning.vulnerabilities.all()),
        "status": status,
        "lines": [UnitLine(row, _overdue(warning, row.tally, now)) for row in status.rows],
        "overdue": _overdue(warning, status.tally, now),
        "can_manage": selectors.can_manage(user),
        "city_wide": user.is_city_wide,
        "is_draft": warning.status == WarningStatus.DRAFT,
        "is_open": warning.status != WarningStatus.CLOSED,
        "affected_count": selectors.affected_units(warning).count() if warning.status == WarningStatus.DRAFT else 0,
    }
    return render(request, "web/warnings/detail.html", context)


# --- sending -----------------------------------------------------------------------------------


def _affected(user: User, warning: SecurityWarning, already: set[int]) -> list[tuple[Unit, int, list[str]]]:
    """Units with an open exposure to the warning's CVEs (not sent yet), each with its matched systems."""
    units = [unit for unit in selectors.affected_units(warning) if unit.id not in already]
    exposures = (
        selectors.exposure_list(visible_to=user)
        .filter(unit_id__in=[unit.id for unit in units], vulnerability__in=warning.vulnerabilities.all())
        .order_by("unit_id", "system__name", "website__url")
    )
    systems: dict[int, dict[str, None]] = {unit.id: {} for unit in units}
    for exposure in exposures:
        label = f"{exposure.target_label} — {exposure.software}" if exposure.software else exposure.target_label
        systems[exposure.unit_id][label] = None
    return [(unit, getattr(unit, "exposure_count", 0), list(systems[unit.id])) for unit in units]


def _send_form(data: Any, affected: list[Unit], already: set[int]) -> SendForm:
    others = (
        Unit.objects.filter(status=UnitStatus.ACTIVE)
        .exclude(id__in=[*already, *(unit.id for unit in affected)])
        .select_related("group")
        .order_by("group__order", "name")
    )
    return SendForm(data, affected=affected, groups=group_list().order_by("order", "code"), units=others)


def _expand(unit_ids: list[int], group_codes: list[str]) -> list[int]:
    if not group_codes:
        return unit_ids
    members = Unit.objects.filter(status=UnitStatus.ACTIVE, group__code__in=group_codes).values_list("id", flat=True)
    return list(dict.fromkeys([*unit_ids, *members]))


@signed_in
@require_http_methods(["GET", "POST"])
def warning_send_view(request: HttpRequest, warning_id: int) -> HttpResponse:
    user = user_of(request)
    warning = _managed(user, warning_id)
    if warning.status == WarningStatus.CLOSED:
        messages.error(request, _("Cảnh báo đã kết thúc: không thể gửi thêm."))
        return redirect(_detail_url(warning))
    already = set(warning.recipients.values_list("unit_id", flat=True))
    affected = _affected(user, warning, already)
    form = _send_form(form_data(request), [unit for unit, _count, _systems in affected], already)
    if request.method == "POST" and form.is_valid():
        unit_ids, groups = form.chosen()
        try:
            sent = services.warning_send(actor=user, warning=warning, unit_ids=_expand(unit_ids, groups))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã gửi cảnh báo tới %(n)s đơn vị.") % {"n": len(sent)})
            return redirect(_detail_url(warning, "units"))
    boxes = {str(choice.data["value"]): choice for choice in form["affected"]}
    context = {
        "warning": warning,
        "form": form,
        "affected": [(boxes[str(unit.id)], count, systems) for unit, count, systems in affected],
        "already": len(already),
        "exposed_total": sum(count for _unit, count, _systems in affected),
    }
    return render(request, "web/warnings/send.html", context)


# --- documents ---------------------------------------------------------------------------------


@signed_in
@require_safe
def warning_document(request: HttpRequest, warning_id: str, fmt: str) -> HttpResponse:
    user = user_of(request)
    warning = _warning(user, warning_id)
    # The letter's appendix lists every recipient unit and its affected systems: the department's document.
    if not user.is_city_wide:
        raise PermissionDenied(_("Chỉ Sở và lãnh đạo được tải văn bản cảnh báo kèm danh sách mọi đơn vị."))
    # Imported here: the document module pulls in the document engine (and is written alongside these pages).
    from haidang.apps.advisories.reports import warning_docx, warning_pdf

    body = warning_docx(warning) if fmt == "docx" else warning_pdf(warning)
    return document_response(body, content_type=CONTENT_TYPES[fmt], filename=f"canh-bao-{warning.id}.{fmt}")
