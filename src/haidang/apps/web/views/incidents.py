"""Incident pages: queues, report form, an incident's page with its actions, downloads and reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from haidang.apps.accounts.models import Role, User
from haidang.apps.downloads import stored_file_response
from haidang.apps.incidents import selectors, services
from haidang.apps.incidents.deadlines import Deadline
from haidang.apps.incidents.models import Attachment, Incident, IncidentTask, Source, Status
from haidang.apps.registry.selectors import system_list, unit_list
from haidang.apps.web.access import form_data, signed_in, user_of
from haidang.apps.web.forms.errors import add_service_errors
from haidang.apps.web.forms.incidents import (
    AssignForm,
    AttachmentForm,
    BeyondCapacityForm,
    EscalationForm,
    IncidentFilterForm,
    IncidentForm,
    IndicatorForm,
    NoteForm,
    StatusForm,
    TaskForm,
)
from haidang.apps.web.templatetags.incidents_web import span

PAGE_SIZE = 50
REPORT_KINDS = frozenset({"initial", "final"})
REPORT_FORMATS = frozenset({"docx", "pdf"})


def _incident(user: User, incident_id: int) -> Incident:
    try:
        return selectors.incident_get(visible_to=user, incident_id=incident_id)
    except Incident.DoesNotExist as exc:
        raise Http404 from exc


def _detail_url(incident: Incident, anchor: str = "") -> str:
    url = reverse("web:incident_detail", kwargs={"incident_id": incident.id})
    return f"{url}#{anchor}" if anchor else url


# --- queues ------------------------------------------------------------------------------------


def _queues(user: User) -> list[tuple[str, str]]:
    queues = [("all", _("Tất cả sự cố tôi được xem")), ("mine", _("Giao cho tôi"))]
    if selectors.is_department(user) or user.role == Role.VIEWER:
        queues.insert(0, ("department", _("Hàng đợi của Sở")))
    if user.role in (Role.UNIT, Role.PROVIDER):
        queues.insert(0, ("unit", _("Của đơn vị tôi")))
    return queues


def _queue_filters(user: User, queue: str) -> dict[str, Any]:
    if queue == "department":
        return {"queue": "department"}
    if queue == "unit" and user.role == Role.UNIT:
        return {"unit_id": user.unit_id}
    if queue == "mine":
        return {"assignee_id": user.id}
    return {}


@signed_in
@require_safe
def incident_list_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    queues = _queues(user)
    form = IncidentFilterForm(request.GET or None, queues=queues, units=unit_list(visible_to=user))
    values = form.values() if form.is_bound else {"queue": "", "status": "", "unit_id": None}
    queue = values.pop("queue") or queues[0][0]
    status = values.pop("status")
    filters = {**values, **_queue_filters(user, queue)}
    incidents = selectors.incident_list(
        visible_to=user,
        status="" if status in ("", "all") else status,
        **filters,
    )
    if status == "":
        incidents = incidents.exclude(status=Status.CLOSED)
    rows = selectors.incident_rows(incidents)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "queue": queue,
        "queues": queues,
        "page": page,
        "total": len(rows),
        "overdue": sum(1 for row in rows if row.overdue),
        "now": timezone.now(),
        "can_report": bool(selectors.reportable_units(user).exists()) or user.role == Role.TELECOM,
    }
    return render(request, "web/incidents/list.html", context)


# --- report and edit ---------------------------------------------------------------------------


def _incident_form(user: User, data: Any, *, editing: bool = False, initial: Any = None) -> IncidentForm:
    units = selectors.reportable_units(user)
    return IncidentForm(
        data,
        initial=initial,
        units=units,
        systems=system_list(visible_to=user).filter(unit__in=units, is_active=True),
        unit_required=user.role in (Role.UNIT, Role.PROVIDER),
        editing=editing,
    )


@signed_in
@require_http_methods(["GET", "POST"])
def incident_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    if user.role not in selectors.WORKER_ROLES:
        raise PermissionDenied(_("Tài khoản này không được báo cáo sự cố."))
    initial = {"unit": user.unit} if user.role == Role.UNIT else None
    form = _incident_form(user, form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            incident = services.incident_create(
                actor=user,
                source=Source.WEB,
                unit=data["unit"],
                title=data["title"],
                description=data["description"],
                category=data["category"],
                severity=data["severity"],
                systems=list(data["systems"]),
                discovered_at=data["discovered_at"],
                beyond_capacity=data["beyond_capacity"],
                personal_data=data["personal_data"],
                indicators=data["indicators"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tiếp nhận sự cố %(ref)s.") % {"ref": incident.reference})
            return redirect(_detail_url(incident))
    return render(request, "web/incidents/form.html", {"form": form, "title": _("Báo cáo sự cố")})


@signed_in
@require_http_methods(["GET", "POST"])
def incident_edit(request: HttpRequest, incident_id: int) -> HttpResponse:
    user = user_of(request)
    incident = _incident(user, incident_id)
    if not selectors.can_manage(user, incident):
        raise Http404
    form = _incident_form(user, form_data(request), editing=True, initial=IncidentForm.initial_for(incident))
    if not selectors.is_department(user):
        form.fields["unit"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit, systems = data.pop("unit"), list(data.pop("systems"))
        if data.get("discovered_at") is None:
            data.pop("discovered_at", None)
        try:
            services.incident_update(actor=user, incident=incident, unit=unit, systems=systems, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu sự cố %(ref)s.") % {"ref": incident.reference})
            return redirect(_detail_url(incident))
    title = _("Sửa sự cố %(ref)s") % {"ref": incident.reference}
    return render(request, "web/incidents/form.html", {"form": form, "title": title, "incident": incident})


# --- the incident's page -----------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlineView:
    deadline: Deadline
    state: str
    remaining: str


def _deadline_views(incident: Incident, now: datetime) -> list[DeadlineView]:
    views = []
    for deadline in selectors.incident_deadlines(incident):
        state, left = deadline.state(now), deadline.time_left(now)
        if state == "running" and left is not None:
            remaining = _("còn %(span)s") % {"span": span(left)}
        elif state == "overdue" and left is not None:
            remaining = _("quá hạn %(span)s") % {"span": span(left)}
        else:
            remaining = ""
        views.append(DeadlineView(deadline, state, remaining))
    return views


def _forms(user: User, incident: Incident) -> dict[str, forms.Form]:
    users = selectors.assignable_users(incident).select_related("unit", "organization")
    return {
        "status_form": StatusForm(),
        "assign_form": AssignForm(initial={"assignee": incident.assignee_id}, users=users),
        "capacity_form": BeyondCapacityForm(),
        "escalation_form": EscalationForm(),
        "note_form": NoteForm(can_publish=selectors.can_publish_notes(user)),
        "task_form": TaskForm(users=users),
        "attachment_form": AttachmentForm(),
        "indicator_form": IndicatorForm(),
    }


def _render_detail(request: HttpRequest, incident: Incident, **bound: forms.Form) -> HttpResponse:
    user = user_of(request)
    now = timezone.now()
    context: dict[str, Any] = {
        "incident": incident,
        "now": now,
        "deadlines": _deadline_views(incident, now),
        "systems": incident.systems.select_related("unit"),
        "timeline": selectors.incident_timeline(incident),
        "tasks": incident.tasks.select_related("assignee"),
        "attachments": incident.attachments.select_related("uploaded_by"),
        "indicators": incident.indicators.all(),
        "escalations": incident.escalations.select_related("document", "actor"),
        "moves": selectors.status_moves(incident),
        "can_work": selectors.can_work_on(user, incident),
        "can_manage": selectors.can_manage(user, incident),
        "can_mark_beyond": selectors.can_mark_beyond_capacity(user, incident),
        "can_escalate": selectors.can_escalate_nationally(user, incident),
        "is_department": selectors.is_department(user),
        "link_unit": incident.unit_id is not None
        and unit_list(visible_to=user, status="").filter(id=incident.unit_id).exists(),
        **_forms(user, incident),
        **bound,
    }
    return render(request, "web/incidents/detail.html", context)


@signed_in
@require_safe
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    return _render_detail(request, _incident(user_of(request), incident_id))


Perform = Callable[[User, Incident, dict[str, Any]], Any]


def _action(
    request: HttpRequest,
    incident_id: int,
    *,
    name: str,
    form: Callable[[User, Incident], forms.Form],
    perform: Perform,
    done: str,
    anchor: str,
    allowed: Callable[[User, Incident], bool] = selectors.can_work_on,
) -> HttpResponse:
    """Validate the posted form, call the service; on an error show the page again with the input kept."""
    user = user_of(request)
    incident = _incident(user, incident_id)
    if not allowed(user, incident):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với sự cố."))
    bound = form(user, incident)
    if bound.is_valid():
        try:
            perform(user, incident, bound.cleaned_data)
        except ValidationError as exc:
            add_service_errors(bound, exc)
        else:
            messages.success(request, done)
            return redirect(_detail_url(incident, anchor))
    messages.error(request, _("Chưa thực hiện được: hãy xem thông báo lỗi bên dưới."))
    return _render_detail(request, incident, **{name: bound})


@signed_in
@require_POST
def incident_status(request: HttpRequest, incident_id: int) -> HttpResponse:
    return _action(
        request,
        incident_id,
        name="status_form",
        form=lambda user, incident: StatusForm(request.POST),
        perform=lambda user, incident, data: services.incident_transition(
            actor=user, incident=incident, to=data["to"], note=data["note"]
        ),
        done=_("Đã chuyển trạng thái sự cố."),
        allowed=selectors.can_manage,
        anchor="status",
    )


@signed_in
@require_POST
def incident_assign(request: HttpRequest, incident_id: int) -> HttpResponse:
    return _action(
        request,
        incident_id,
        name="assign_form",
        form=lambda user, incident: AssignForm(request.POST, users=selectors.assignable_users(incident)),
        perform=lambda user, incident, data: services.incident_assign(
            actor=user, incident=incident, assignee=data["assignee"]
        ),
        done=_("Đã cập nhật người xử lý."),
        allowed=selectors.can_manage,
        anchor="status",
    )


@signed_in
@require_POST
def incident_beyond_capacity(request: HttpRequest, incident_id: int) -> HttpResponse:
    return _action(
        request,
        incident_id,
        name="capacity_form",
        form=lambda user, incident: BeyondCapacityForm(request.POST),
        perform=lambda user, incident, data: services.incident_mark_beyond_capacity(
            actor=user, incident=incident, reason=data["reason"]
        ),
        done=_("Đã chuyển sự cố cho Sở; cán bộ trực của Sở đã được cảnh báo."),
        allowed=selectors.can_mark_beyond_capacity,
        anchor="status",
    )


@signed_in
@require_POST
def incident_escalate(request: HttpRequest, incident_id: int) -> HttpResponse:
    return _action(
        request,
        incident_id,
        name="escalation_form",
        form=lambda user, incident: EscalationForm(request.POST, request.FILES),
        perform=lambda user, incident, data: services.incident_escalate_national(
            actor=user,
            incident=incident,
            document_number=data["document_number"],
            document_date=data["document_date"],
            recipient=data["recipient"],
            note=data["note"],
            document=data["document"],
        ),
        done=_("Đã ghi nhận việc báo cáo, đề nghị hỗ trợ cấp quốc gia."),
        allowed=selectors.can_escalate_nationally,
        anchor="escalation",
    )


@signed_in
@require_POST
def incident_note(request: HttpRequest, incident_id: int) -> HttpResponse:
    return _action(
        request,
        incident_id,
        name="note_form",
        form=lambda user, incident: NoteForm(request.POST, can_publish=selectors.can_publish_notes(user)),
        perform=lambda user, incident, data: services.note_add(
            actor=user, incident=incident, body=data["body"], is_public=data.get("is_public", False)
        ),
        done=_("Đã thêm ghi chú."),
        anchor="timeline",
    )


@signed_in
@require_POST
def incident_task_add(request: HttpRequest, incident_id: int) -> HttpResponse:
    return _action(
        request,
        incident_id,
        name="task_form",
        form=lambda user, incident: TaskForm(request.POST, users=selectors.assignable_users(incident)),
        perform=lambda user, incident, data: services.task_add(actor=user, incident=incident, **data),
        done=_("Đã thêm nhiệm vụ."),
        anchor="tasks",
    )


@signed_in
@require_POST
def incident_task_done(request: HttpRequest, incident_id: int, task_id: int) -> HttpResponse:
    user = user_of(request)
    incident = _incident(user, incident_id)
    try:
        task = incident.tasks.get(id=task_id)
    except IncidentTask.DoesNotExist as exc:
        raise Http404 from exc
    services.task_set_done(actor=user, task=task, done=request.POST.get("done") == "1")
    return redirect(_detail_url(incident, "tasks"))


@signed_in
@require_POST
def incident_attachment_add(request: HttpRequest, incident_id: int) -> HttpResponse:
    return _action(
        request,
        incident_id,
        name="attachment_form",
        form=lambda user, incident: AttachmentForm(request.POST, request.FILES),
        perform=lambda user, incident, data: services.attachment_add(
            actor=user, incident=incident, upload=data["file"]
        ),
        done=_("Đã thêm tệp đính kèm."),
        anchor="attachments",
    )


@signed_in
@require_POST
def incident_indicator_add(request: HttpRequest, incident_id: int) -> HttpResponse:
    return _action(
        request,
        incident_id,
        name="indicator_form",
        form=lambda user, incident: IndicatorForm(request.POST),
        perform=lambda user, incident, data: services.indicator_add(
            actor=user, incident=incident, raw=data["value"], kind=data["kind"], note=data["note"]
        ),
        done=_("Đã thêm dấu hiệu nhận biết."),
        anchor="indicators",
    )


@signed_in
@require_POST
def incident_deadline_sent(request: HttpRequest, incident_id: int, rule_id: str) -> HttpResponse:
    user = user_of(request)
    incident = _incident(user, incident_id)
    try:
        services.deadline_mark_sent(actor=user, incident=incident, rule_id=rule_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã ghi nhận báo cáo đã gửi."))
    return redirect(_detail_url(incident, "deadlines"))


# --- files -------------------------------------------------------------------------------------


@signed_in
@require_safe
def incident_attachment_download(request: HttpRequest, incident_id: int, attachment_id: int) -> HttpResponse:
    incident = _incident(user_of(request), incident_id)
    try:
        attachment = incident.attachments.get(id=attachment_id)
        handle = attachment.file.open("rb")
    except (Attachment.DoesNotExist, FileNotFoundError) as exc:
        raise Http404 from exc
    return stored_file_response(handle, filename=attachment.original_name, content_type=attachment.content_type)


@signed_in
@require_safe
def incident_report(request: HttpRequest, incident_id: str, kind: str, fmt: str) -> HttpResponse:
    if kind not in REPORT_KINDS or fmt not in REPORT_FORMATS:
        raise Http404
    incident = _incident(user_of(request), int(incident_id))
    # Imported here: the report module is written by the documents engineer and may not exist yet.
    from haidang.apps.incidents.reports import report_response

    return report_response(incident, kind, fmt)
