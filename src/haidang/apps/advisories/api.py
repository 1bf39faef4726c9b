"""The advisories and warnings API under /api/v1/.

Reads go through the selectors with ``visible_to`` (another unit's receipt or system is a 404); writes
through the services, which decide who may act (403), validate (400) and audit.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from haidang.apps.accounts.api import request_user
from haidang.apps.accounts.models import User
from haidang.apps.advisories import selectors
from haidang.apps.advisories import warning_selectors as wselectors
from haidang.apps.advisories import warning_services as services
from haidang.apps.advisories.models import AffectedSystem, SecurityWarning, Vulnerability
from haidang.apps.advisories.schemas import (
    AdvisoryDetailOut,
    AdvisoryFilters,
    AdvisoryOut,
    ExposureOut,
    RecipientStatusOut,
    SendIn,
    SendOut,
    SystemOut,
    SystemReportIn,
    TallyOut,
    WarningDetailOut,
    WarningIn,
    WarningOut,
    WarningStatusOut,
)
from haidang.apps.registry.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, Pagination

router = Router(tags=["Lỗ hổng và cảnh báo"])

_DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _advisory(v: Vulnerability, affected: int = 0) -> dict[str, Any]:
    return {
        "cve_id": v.cve_id,
        "status": v.status,
        "published": v.published,
        "last_modified": v.last_modified,
        "cvss_score": v.cvss_score,
        "cvss_severity": v.cvss_severity,
        "in_kev": v.in_kev,
        "kev_due_date": v.kev_due_date,
        "description": v.description,
        "affected_units": affected,
    }


@router.get("/advisories", response={200: list[AdvisoryOut], **READ_ERRORS}, summary="Danh sách lỗ hổng")
@paginate(Pagination)
def advisories_list(request: HttpRequest, filters: Query[AdvisoryFilters]) -> list[dict[str, Any]]:
    user = request_user(request)
    return _AdvisoryPage(selectors.vulnerability_list(search=filters.search, kev_only=filters.kev), user)  # type: ignore[return-value]


class _AdvisoryPage:
    """A lazily sliced list: only the page ninja's paginator takes is turned into dicts (with its counts)."""

    def __init__(self, queryset: QuerySet[Vulnerability], user: User) -> None:
        self.queryset, self.user = queryset, user

    def count(self) -> int:
        return self.queryset.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        page = list(self.queryset[index])
        counts = dict(
            wselectors.exposure_list(visible_to=self.user)
            .filter(vulnerability__in=page)
            .values("vulnerability_id")
            .annotate(n=Count("unit_id", distinct=True))
            .values_list("vulnerability_id", "n")
        )
        return [_advisory(v, counts.get(v.id, 0)) for v in page]


@router.get("/advisories/{cve_id}", response={200: AdvisoryDetailOut, **READ_ERRORS}, summary="Chi tiết lỗ hổng")
def advisories_get(request: HttpRequest, cve_id: str) -> dict[str, Any]:
    user = request_user(request)
    v = selectors.vulnerability_get(cve_id)
    if v is None:
        raise Vulnerability.DoesNotExist
    exposures = list(wselectors.exposure_list(visible_to=user).filter(vulnerability=v))
    warnings = list(
        wselectors.warning_list(visible_to=user).filter(vulnerabilities=v).values_list("id", flat=True).distinct()
    )
    return {
        **_advisory(v, len({e.unit_id for e in exposures})),
        "cwes": v.cwes,
        "references": v.references,
        "kev_required_action": v.kev_required_action,
        "kev_ransomware": v.kev_ransomware,
        "exposures": [
            ExposureOut(
                unit_id=e.unit_id,
                unit=e.unit.name,
                system_id=e.system_id,
                website_id=e.website_id,
                target=e.target_label,
                software=e.software,
                observed=e.observed,
                first_seen_at=e.first_seen_at,
            )
            for e in exposures
        ],
        "warnings": warnings,
    }


# --- warnings ----------------------------------------------------------------------------------


def _warning_out(w: SecurityWarning) -> dict[str, Any]:
    return {
        "id": w.id,
        "number": w.number,
        "issued_on": w.issued_on,
        "title": w.title,
        "severity": w.severity,
        "deadline": w.deadline,
        "status": w.status,
        "sent_at": w.sent_at,
        "cves": [v.cve_id for v in w.vulnerabilities.all()],
        "issuer": w.issuer,
        "issuer_parent": w.issuer_parent,
        "signer_title": w.signer_title,
        "signer_name": w.signer_name,
        "summary": w.summary,
        "action": w.action,
    }


def _warning(user: User, warning_id: int) -> SecurityWarning:
    warning = wselectors.warning_get(visible_to=user, warning_id=warning_id)
    if warning is None:
        raise SecurityWarning.DoesNotExist
    return warning


@router.get("/warnings", response={200: list[WarningOut], **READ_ERRORS}, summary="Danh sách cảnh báo lỗ hổng")
@paginate(Pagination)
def warnings_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = request_user(request)
    warnings = wselectors.warning_list(visible_to=user).prefetch_related("vulnerabilities")
    return [_warning_out(w) for w in warnings]


@router.post("/warnings", response={201: WarningDetailOut, **WRITE_ERRORS}, summary="Soạn cảnh báo lỗ hổng")
def warnings_create(request: HttpRequest, payload: WarningIn) -> Status[dict[str, Any]]:
    user = request_user(request)
    if not wselectors.can_manage(user):
        raise PermissionDenied(_("Chỉ Sở mới soạn được cảnh báo lỗ hổng."))
    fields = services.suggest(tuple(payload.cve_ids))
    for name in ("number", "title", "summary", "action", "severity", "signer_title", "signer_name"):
        value = getattr(payload, name)
        if value:
            setattr(fields, name, value)
    if payload.issued_on is not None:
        fields.issued_on = payload.issued_on
        if payload.deadline is None:
            fields.deadline = None  # recomputed from the issue date
    if payload.deadline is not None:
        fields.deadline = payload.deadline
    warning = services.warning_create(actor=user, data=fields)
    return Status(201, _warning_out(_warning(user, warning.id)))


@router.get("/warnings/{warning_id}", response={200: WarningDetailOut, **READ_ERRORS}, summary="Chi tiết cảnh báo")
def warnings_get(request: HttpRequest, warning_id: int) -> dict[str, Any]:
    return _warning_out(_warning(request_user(request), warning_id))


@router.post("/warnings/{warning_id}/send", response={200: SendOut, **WRITE_ERRORS}, summary="Gửi cảnh báo")
def warnings_send(request: HttpRequest, warning_id: int, payload: SendIn) -> dict[str, int]:
    user = request_user(request)
    warning = _warning(user, warning_id)
    unit_ids = payload.unit_ids
    if unit_ids is None:
        unit_ids = list(wselectors.affected_units(warning).values_list("id", flat=True))
    added = services.warning_send(actor=user, warning=warning, unit_ids=unit_ids)
    return {"added": len(added), "recipients": warning.recipients.count()}


@router.post(
    "/warnings/{warning_id}/acknowledge", response={200: RecipientStatusOut, **WRITE_ERRORS}, summary="Xác nhận đã nhận"
)
def warnings_acknowledge(request: HttpRequest, warning_id: int) -> dict[str, Any]:
    user = request_user(request)
    warning = _warning(user, warning_id)
    recipient = warning.recipients.filter(unit_id=user.unit_id).first() if user.unit_id else None
    if recipient is None:
        raise PermissionDenied(_("Chỉ cán bộ của đơn vị nhận mới xác nhận được cảnh báo."))
    services.recipient_acknowledge(actor=user, recipient=recipient)
    status = wselectors.warning_status(visible_to=user, warning=warning)
    row = next(r for r in status.rows if r.recipient.id == recipient.id)
    return _recipient_row(row, warning)


def _recipient_row(row: wselectors.RecipientRow, warning: SecurityWarning) -> dict[str, Any]:
    r = row.recipient
    return {
        "recipient_id": r.id,
        "unit_id": r.unit_id,
        "unit": r.unit.name,
        "acknowledged_at": r.acknowledged_at,
        "overdue": warning.deadline < timezone.now() and row.tally.open > 0,
        "counts": TallyOut(**row.tally.as_dict()),
    }


@router.get(
    "/warnings/{warning_id}/status",
    response={200: WarningStatusOut, **READ_ERRORS},
    summary="Tình hình khắc phục: đã khắc phục/tổng số, theo cảnh báo và theo đơn vị",
)
def warnings_status(request: HttpRequest, warning_id: int) -> dict[str, Any]:
    user = request_user(request)
    warning = _warning(user, warning_id)
    status = wselectors.warning_status(visible_to=user, warning=warning)
    return {
        "warning_id": warning.id,
        "number": warning.number,
        "deadline": warning.deadline,
        "recipients": len(status.rows),
        "acknowledged": status.acknowledged,
        "counts": TallyOut(**status.tally.as_dict()),
        "units": [_recipient_row(row, warning) for row in status.rows],
    }


def _system_out(s: AffectedSystem) -> dict[str, Any]:
    return {
        "id": s.id,
        "recipient_id": s.recipient_id,
        "unit_id": s.recipient.unit_id,
        "label": s.label,
        "software": s.software,
        "cves": s.cves,
        "status": s.status,
        "fixed_version": s.fixed_version,
        "note": s.note,
        "reported_at": s.reported_at,
        "verification": s.verification,
        "verification_note": s.verification_note,
        "verified_at": s.verified_at,
        "reopened_count": s.reopened_count,
    }


@router.get(
    "/warnings/{warning_id}/systems", response={200: list[SystemOut], **READ_ERRORS}, summary="Hệ thống bị ảnh hưởng"
)
def warnings_systems(request: HttpRequest, warning_id: int) -> list[dict[str, Any]]:
    user = request_user(request)
    warning = _warning(user, warning_id)
    recipients = wselectors.recipient_list(visible_to=user, warning=warning)
    systems = AffectedSystem.objects.filter(recipient__in=recipients).select_related("recipient")
    return [_system_out(s) for s in systems.order_by("recipient_id", "label", "id")]


@router.put(
    "/warnings/{warning_id}/systems/{system_id}/report",
    response={200: SystemOut, **WRITE_ERRORS},
    summary="Báo cáo khắc phục một hệ thống",
)
def warnings_system_report(
    request: HttpRequest, warning_id: int, system_id: int, payload: SystemReportIn
) -> dict[str, Any]:
    user = request_user(request)
    warning = _warning(user, warning_id)
    system = wselectors.system_get(visible_to=user, system_id=system_id)
    if system is None or system.recipient.warning_id != warning.id:
        raise AffectedSystem.DoesNotExist
    services.system_report(
        actor=user, system=system, status=payload.status, fixed_version=payload.fixed_version, note=payload.note
    )
    system.refresh_from_db()
    return _system_out(system)


def _document(request: HttpRequest, warning_id: int, fmt: str) -> HttpResponse:
    from haidang.apps.advisories import reports
    from haidang.apps.downloads import document_response

    user = request_user(request)
    warning = _warning(user, warning_id)
    if not user.is_city_wide:
        # The letter's appendix lists every recipient's systems: the department's and leadership's document.
        raise PermissionDenied(
            _("Chỉ Sở và lãnh đạo mới tải được văn bản cảnh báo (phụ lục liệt kê hệ thống của mọi đơn vị).")
        )
    body = reports.warning_docx(warning) if fmt == "docx" else reports.warning_pdf(warning)
    return document_response(body, content_type=_DOWNLOADS[fmt], filename=f"canh-bao-{warning.id}.{fmt}")


def _binary(kind: str) -> dict[str, Any]:
    schema = {"type": "string", "format": "binary"}
    return {"responses": {"200": {"description": "Tệp tải về.", "content": {_DOWNLOADS[kind]: {"schema": schema}}}}}


@router.get(
    "/warnings/{warning_id}/document.docx",
    response={200: None, **READ_ERRORS, 403: ErrorOut},
    summary="Văn bản cảnh báo (DOCX)",
    openapi_extra=_binary("docx"),
)
def warnings_document_docx(request: HttpRequest, warning_id: int) -> HttpResponse:
    return _document(request, warning_id, "docx")


@router.get(
    "/warnings/{warning_id}/document.pdf",
    response={200: None, **READ_ERRORS, 403: ErrorOut},
    summary="Văn bản cảnh báo (PDF)",
    openapi_extra=_binary("pdf"),
)
def warnings_document_pdf(request: HttpRequest, warning_id: int) -> HttpResponse:
    return _document(request, warning_id, "pdf")
