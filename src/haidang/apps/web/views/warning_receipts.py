"""A unit's page for one vulnerability warning: receipt, a report per affected system, evidence, re-scans.

The page shows, per system, what the unit declared and what the platform verified on its own. Every
write goes through a service; on a refused input the page is shown again with what the user typed,
on success it redirects back to the system.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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
from haidang.apps.advisories import warning_selectors as selectors
from haidang.apps.advisories import warning_services as services
from haidang.apps.advisories.models import (
    AffectedSystem,
    RemediationStatus,
    Verification,
    WarningEvidence,
    WarningRecipient,
    WarningStatus,
)
from haidang.apps.downloads import stored_file_response
from haidang.apps.web.access import signed_in, user_of
from haidang.apps.web.forms.errors import add_service_errors
from haidang.apps.web.forms.warnings import EvidenceForm, SystemReportForm, system_auto_id
from haidang.apps.web.templatetags.incidents_web import span

STATUS_BADGES = {
    RemediationStatus.OPEN: "badge-warn",
    RemediationStatus.PATCHED: "badge-ok",
    RemediationStatus.MITIGATED: "badge-ok",
    RemediationStatus.NOT_APPLICABLE: "badge-muted",
    RemediationStatus.RISK_ACCEPTED: "badge-info",
}
VERIFICATION_BADGES = {
    Verification.NONE: "badge-muted",
    Verification.PENDING: "badge-info",
    Verification.VERIFIED: "badge-ok",
    Verification.REOPENED: "badge-alert",
    Verification.UNVERIFIABLE: "badge-muted",
}

Bound = dict[int, dict[str, forms.Form]]


def _recipient(user: User, recipient_id: int) -> WarningRecipient:
    recipient = selectors.recipient_get(visible_to=user, recipient_id=recipient_id)
    if recipient is None:
        raise Http404
    return recipient


def _system(user: User, system_id: int) -> AffectedSystem:
    system = selectors.system_get(visible_to=user, system_id=system_id)
    if system is None:
        raise Http404
    return system


def _evidence(user: User, evidence_id: int) -> WarningEvidence:
    evidence = selectors.evidence_get(visible_to=user, evidence_id=evidence_id)
    if evidence is None:
        raise Http404
    return evidence


def _receipt_url(recipient_id: int, system_id: int | None = None) -> str:
    url = reverse("web:warning_recipient", kwargs={"recipient_id": recipient_id})
    return f"{url}#system-{system_id}" if system_id else url


# --- the page ----------------------------------------------------------------------------------


@dataclass
class SystemRow:
    system: AffectedSystem
    evidence: list[WarningEvidence]
    report_form: forms.Form
    evidence_form: forms.Form
    can_report: bool
    can_rescan: bool
    expanded: bool  # the forms are shown open (after a refused input)

    @property
    def status_badge(self) -> str:
        return STATUS_BADGES.get(RemediationStatus(self.system.status), "badge-muted")

    @property
    def verification_badge(self) -> str:
        return VERIFICATION_BADGES.get(Verification(self.system.verification), "badge-muted")


def _has_websites(system: AffectedSystem) -> bool:
    return bool(system.websites) or system.website_id is not None


def _row(user: User, recipient: WarningRecipient, system: AffectedSystem, bound: dict[str, forms.Form]) -> SystemRow:
    can_report = selectors.can_report(user, recipient)
    reported = system.status != RemediationStatus.OPEN or system.reported_at is not None
    initial = {"status": system.status, "fixed_version": system.fixed_version, "note": system.note} if reported else {}
    if initial.get("status") == RemediationStatus.OPEN:
        initial.pop("status")
    is_open = recipient.warning.status == WarningStatus.SENT
    return SystemRow(
        system=system,
        evidence=list(system.evidence.all()),
        report_form=bound.get("report")
        or SystemReportForm(initial=initial, auto_id=system_auto_id(system.id, "report")),
        evidence_form=bound.get("evidence") or EvidenceForm(auto_id=system_auto_id(system.id, "evidence")),
        can_report=can_report,
        can_rescan=is_open and _has_websites(system) and (can_report or selectors.can_manage(user)),
        expanded=bool(bound),
    )


def _render(request: HttpRequest, recipient: WarningRecipient, bound: Bound | None = None) -> HttpResponse:
    user = user_of(request)
    bound = bound or {}
    warning = recipient.warning
    rows = [
        _row(user, recipient, system, bound.get(system.id, {})) for system in selectors.recipient_systems(recipient)
    ]
    tally = selectors.Tally()
    for row in rows:
        tally.add(row.system.status, row.system.verification)
    now = timezone.now()
    overdue = now >= warning.deadline
    remaining = span(now - warning.deadline) if overdue else span(warning.deadline - now)
    can_report = selectors.can_report(user, recipient)
    context: dict[str, Any] = {
        "recipient": recipient,
        "warning": warning,
        "vulnerabilities": list(warning.vulnerabilities.all()),
        "rows": rows,
        "tally": tally,
        "can_report": can_report,
        "can_manage": selectors.can_manage(user),
        "city_wide": user.is_city_wide,
        "can_acknowledge": can_report and recipient.acknowledged_at is None,
        "overdue": overdue and tally.open > 0,
        "past_deadline": overdue,
        "remaining": remaining,
    }
    return render(request, "web/warnings/recipient.html", context)


@signed_in
@require_safe
def recipient_detail(request: HttpRequest, recipient_id: int) -> HttpResponse:
    return _render(request, _recipient(user_of(request), recipient_id))


@signed_in
@require_POST
def recipient_acknowledge_view(request: HttpRequest, recipient_id: int) -> HttpResponse:
    user = user_of(request)
    recipient = _recipient(user, recipient_id)
    services.recipient_acknowledge(actor=user, recipient=recipient)
    messages.success(request, _("Đã xác nhận đơn vị nhận được cảnh báo."))
    return redirect(_receipt_url(recipient.id))


# --- reports and evidence ----------------------------------------------------------------------


Perform = Callable[[User, AffectedSystem, dict[str, Any]], Any]


def _act(
    request: HttpRequest, system_id: int, *, name: str, form: type[forms.Form], perform: Perform, done: str
) -> HttpResponse:
    """Validate the posted form and call the service; on an error show the page again with the input kept."""
    user = user_of(request)
    system = _system(user, system_id)
    if not selectors.can_report(user, system.recipient):
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị nhận mới báo cáo được."))
    bound = form(request.POST, request.FILES, auto_id=system_auto_id(system.id, name))
    if bound.is_valid():
        try:
            perform(user, system, bound.cleaned_data)
        except ValidationError as exc:
            add_service_errors(bound, exc)
        else:
            messages.success(request, done % {"label": system.label[:100]})
            return redirect(_receipt_url(system.recipient_id, system.id))
    messages.error(
        request,
        _("Chưa lưu được cho hệ thống %(label)s: hãy xem thông báo lỗi tại đó.") % {"label": system.label[:100]},
    )
    return _render(request, _recipient(user, system.recipient_id), {system.id: {name: bound}})


@signed_in
@require_POST
def system_report_view(request: HttpRequest, system_id: int) -> HttpResponse:
    return _act(
        request,
        system_id,
        name="report",
        form=SystemReportForm,
        perform=lambda user, system, data: services.system_report(
            actor=user, system=system, status=data["status"], fixed_version=data["fixed_version"], note=data["note"]
        ),
        done=_("Đã lưu báo cáo khắc phục hệ thống %(label)s."),
    )


@signed_in
@require_POST
def evidence_add_view(request: HttpRequest, system_id: int) -> HttpResponse:
    return _act(
        request,
        system_id,
        name="evidence",
        form=EvidenceForm,
        perform=lambda user, system, data: services.evidence_add(
            actor=user, system=system, upload=data["file"], url=data["url"]
        ),
        done=_("Đã thêm minh chứng cho hệ thống %(label)s."),
    )


@signed_in
@require_POST
def evidence_delete_view(request: HttpRequest, evidence_id: int) -> HttpResponse:
    user = user_of(request)
    evidence = _evidence(user, evidence_id)
    system = evidence.system
    services.evidence_delete(actor=user, evidence=evidence)
    messages.success(request, _("Đã xoá minh chứng."))
    return redirect(_receipt_url(system.recipient_id, system.id))


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


@signed_in
@require_POST
def rescan_view(request: HttpRequest, system_id: int) -> HttpResponse:
    user = user_of(request)
    system = _system(user, system_id)
    count = services.request_rescan(actor=user, system=system)
    if count:
        messages.success(
            request,
            _("Đã yêu cầu quét lại %(n)s trang web; kết quả xác minh được cập nhật sau lần quét.") % {"n": count},
        )
    else:
        messages.warning(request, _("Không có trang web nào của hệ thống này được quét lại."))
    return redirect(_receipt_url(system.recipient_id, system.id))
