"""A recipient's task list for one directive: receipt, a report per item, evidence, the department's review.

The page shows three things apart, per item: what the recipient declared, what the department decided,
and what the platform verified on its own. Every write goes through a service; on a refused input the
page is shown again with what the user typed, on success it redirects back to the item.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from haidang.apps.accounts.models import User
from haidang.apps.directives import selectors, services
from haidang.apps.directives.models import (
    AutoVerdict,
    DirectiveStatus,
    Evidence,
    ItemReport,
    Recipient,
    ReportStatus,
    ReviewStatus,
)
from haidang.apps.directives.status import STATE_LABELS, Cell, cell_for
from haidang.apps.downloads import stored_file_response
from haidang.apps.web.access import signed_in, user_of
from haidang.apps.web.forms.directive_reports import EvidenceForm, ReportForm, ReviewForm, report_auto_id
from haidang.apps.web.forms.errors import add_service_errors
from haidang.apps.web.templatetags.incidents_web import span

#: The badge each state of a cell is shown with (see haidang.apps.directives.status).
STATE_BADGES = {
    "accepted": "badge-ok",
    "auto": "badge-ok",
    "done": "badge-info",
    "in_progress": "badge-warn",
    "pending": "badge-muted",
    "returned": "badge-alert",
    "overdue": "badge-alert",
}
VERDICT_BADGES = {AutoVerdict.PASS: "badge-ok", AutoVerdict.FAIL: "badge-alert", AutoVerdict.UNKNOWN: "badge-muted"}
REVIEW_BADGES = {
    ReviewStatus.ACCEPTED: "badge-ok",
    ReviewStatus.RETURNED: "badge-alert",
    ReviewStatus.SUBMITTED: "badge-info",
}

Bound = dict[int, dict[str, forms.Form]]


def _recipient(user: User, recipient_id: int) -> Recipient:
    try:
        return selectors.recipient_get(visible_to=user, recipient_id=recipient_id)
    except Recipient.DoesNotExist as exc:
        raise Http404 from exc


def _report(user: User, report_id: int) -> ItemReport:
    try:
        return selectors.report_get(visible_to=user, report_id=report_id)
    except ItemReport.DoesNotExist as exc:
        raise Http404 from exc


def _receipt_url(recipient_id: int, report_id: int | None = None) -> str:
    url = reverse("web:directive_recipient", kwargs={"recipient_id": recipient_id})
    return f"{url}#report-{report_id}" if report_id else url


# --- the page ----------------------------------------------------------------------------------


@dataclass
class ItemRow:
    report: ItemReport
    cell: Cell
    evidence: list[Evidence]
    report_form: forms.Form
    evidence_form: forms.Form
    review_form: forms.Form
    can_edit: bool  # the recipient's officer may still report (not accepted yet)
    can_review: bool
    expanded: bool  # the report and evidence forms are shown open (after a refused input)

    @property
    def reviewed(self) -> bool:
        """The department has decided already: its form is tucked away behind "review again"."""
        return self.report.review in (ReviewStatus.ACCEPTED, ReviewStatus.RETURNED)

    @property
    def state_label(self) -> str:
        return _(STATE_LABELS[self.cell.state])

    @property
    def state_badge(self) -> str:
        return STATE_BADGES.get(self.cell.state, "badge-muted")

    @property
    def verdict_badge(self) -> str:
        return VERDICT_BADGES.get(AutoVerdict(self.report.auto_verdict), "badge-muted")

    @property
    def review_badge(self) -> str:
        return REVIEW_BADGES.get(ReviewStatus(self.report.review), "badge-muted")


def _row(user: User, recipient: Recipient, report: ItemReport, now: datetime, bound: dict[str, forms.Form]) -> ItemRow:
    can_report = selectors.can_report(user, recipient)
    can_edit = can_report and report.review != ReviewStatus.ACCEPTED
    can_review = (
        selectors.can_manage(user)
        and not user.is_read_only
        and recipient.directive.status == DirectiveStatus.DISPATCHED
        and (report.status != ReportStatus.PENDING or report.auto_verdict == AutoVerdict.PASS)
    )
    initial = {"status": report.status, "note": report.note} if report.status != ReportStatus.PENDING else {}
    return ItemRow(
        report=report,
        cell=cell_for(report, due_at=recipient.directive.report_due_at, now=now),
        evidence=list(report.evidence.all()),
        report_form=bound.get("report") or ReportForm(initial=initial, auto_id=report_auto_id(report.id, "report")),
        evidence_form=bound.get("evidence") or EvidenceForm(auto_id=report_auto_id(report.id, "evidence")),
        review_form=bound.get("review") or ReviewForm(auto_id=report_auto_id(report.id, "review")),
        can_edit=can_edit,
        can_review=can_review,
        expanded=bool(bound) and "review" not in bound,
    )


def _due(due_at: datetime, now: datetime) -> tuple[bool, str]:
    if now >= due_at:
        return True, _("quá hạn %(span)s") % {"span": span(now - due_at)}
    return False, _("còn %(span)s") % {"span": span(due_at - now)}


def _render(request: HttpRequest, recipient: Recipient, bound: Bound | None = None) -> HttpResponse:
    user = user_of(request)
    now = timezone.now()
    bound = bound or {}
    rows = [
        _row(user, recipient, report, now, bound.get(report.id, {}))
        for report in selectors.report_list(recipient=recipient)
    ]
    overdue, remaining = _due(recipient.directive.report_due_at, now)
    can_report = selectors.can_report(user, recipient)
    context: dict[str, Any] = {
        "recipient": recipient,
        "directive": recipient.directive,
        "rows": rows,
        "events": selectors.recipient_events(recipient=recipient),
        "can_report": can_report,
        "can_manage": selectors.can_manage(user),
        "can_acknowledge": can_report and recipient.acknowledged_at is None,
        "complete": sum(row.cell.complete for row in rows),
        "total": len(rows),
        "overdue": overdue,
        "remaining": remaining,
        "now": now,
    }
    return render(request, "web/directives/recipient_detail.html", context)


@signed_in
@require_safe
def recipient_detail(request: HttpRequest, recipient_id: int) -> HttpResponse:
    return _render(request, _recipient(user_of(request), recipient_id))


# --- the recipient's actions -------------------------------------------------------------------


@signed_in
@require_POST
def recipient_acknowledge_view(request: HttpRequest, recipient_id: int) -> HttpResponse:
    user = user_of(request)
    recipient = _recipient(user, recipient_id)
    services.recipient_acknowledge(actor=user, recipient=recipient)
    messages.success(request, _("Đã xác nhận đơn vị nhận được văn bản."))
    return redirect(_receipt_url(recipient.id))


Perform = Callable[[User, ItemReport, dict[str, Any]], Any]


def _act(
    request: HttpRequest,
    report_id: int,
    *,
    name: str,
    form: type[forms.Form],
    perform: Perform,
    done: str,
    allowed: Callable[[User, ItemReport], bool],
) -> HttpResponse:
    """Validate the posted form and call the service; on an error show the page again with the input kept."""
    user = user_of(request)
    report = _report(user, report_id)
    if not allowed(user, report):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này với văn bản chỉ đạo."))
    bound = form(request.POST, request.FILES, auto_id=report_auto_id(report.id, name))
    if bound.is_valid():
        try:
            perform(user, report, bound.cleaned_data)
        except ValidationError as exc:
            add_service_errors(bound, exc)
        else:
            messages.success(request, done % {"code": report.item.code})
            return redirect(_receipt_url(report.recipient_id, report.id))
    messages.error(
        request, _("Chưa lưu được mục %(code)s: hãy xem thông báo lỗi tại mục đó.") % {"code": report.item.code}
    )
    return _render(request, _recipient(user, report.recipient_id), {report.id: {name: bound}})


def _may_report(user: User, report: ItemReport) -> bool:
    return selectors.can_report(user, report.recipient)


def _may_review(user: User, report: ItemReport) -> bool:
    return selectors.can_manage(user)


@signed_in
@require_POST
def report_update_view(request: HttpRequest, report_id: int) -> HttpResponse:
    return _act(
        request,
        report_id,
        name="report",
        form=ReportForm,
        perform=lambda user, report, data: services.report_update(
            actor=user, report=report, status=data["status"], note=data["note"]
        ),
        done=_("Đã lưu báo cáo mục %(code)s."),
        allowed=_may_report,
    )


@signed_in
@require_POST
def evidence_add_view(request: HttpRequest, report_id: int) -> HttpResponse:
    return _act(
        request,
        report_id,
        name="evidence",
        form=EvidenceForm,
        perform=lambda user, report, data: services.evidence_add(
            actor=user, report=report, upload=data["file"], url=data["url"], note=data["note"]
        ),
        done=_("Đã thêm minh chứng cho mục %(code)s."),
        allowed=_may_report,
    )


@signed_in
@require_POST
def evidence_delete_view(request: HttpRequest, evidence_id: int) -> HttpResponse:
    user = user_of(request)
    evidence = _evidence(user, evidence_id)
    report = evidence.report
    try:
        services.evidence_delete(actor=user, evidence=evidence)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã xoá minh chứng."))
    return redirect(_receipt_url(report.recipient_id, report.id))


# --- the department's review -------------------------------------------------------------------


@signed_in
@require_POST
def report_review_view(request: HttpRequest, report_id: int) -> HttpResponse:
    return _act(
        request,
        report_id,
        name="review",
        form=ReviewForm,
        perform=lambda user, report, data: services.report_review(
            actor=user, report=report, accept=data["decision"] == "accept", comment=data["comment"]
        ),
        done=_("Đã ghi ý kiến của Sở về mục %(code)s."),
        allowed=_may_review,
    )


# --- files -------------------------------------------------------------------------------------


def _evidence(user: User, evidence_id: int) -> Evidence:
    try:
        return selectors.evidence_get(visible_to=user, evidence_id=evidence_id)
    except Evidence.DoesNotExist as exc:
        raise Http404 from exc


@signed_in
@require_safe
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence = _evidence(user_of(request), evidence_id)
    if not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return stored_file_response(handle, filename=evidence.original_name, content_type=evidence.content_type)
