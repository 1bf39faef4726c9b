"""The directives API routes under /api/v1/: list, create, dispatch, the status matrix, reports, documents.

Reads go through ``selectors`` with ``visible_to`` (a directive the caller did not receive, or another
unit's report, is a 404); writes through the services, which decide who may act (403) and audit. A
recipient reports only for itself: the report path without ``unit_id``/``organization_id`` means the
caller's own receipt, and the department reads another's by naming it.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, DateTimeField, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import ValidationError as RequestInvalid
from ninja.pagination import paginate

from haidang.apps.accounts.api import request_user
from haidang.apps.accounts.models import User
from haidang.apps.directives import reports, selectors, services
from haidang.apps.directives.models import Directive, DirectiveItem, ItemReport, Recipient
from haidang.apps.directives.schemas import (
    DirectiveDetailOut,
    DirectiveFilters,
    DirectiveIn,
    DirectiveOut,
    DispatchIn,
    DispatchOut,
    GroupFilter,
    ItemRef,
    MatrixFilters,
    MatrixOut,
    OwnerQuery,
    ReceiptOut,
    ReportIn,
    ReportOut,
    ReviewIn,
)
from haidang.apps.directives.templates import TemplateError
from haidang.apps.registry.schemas import READ_ERRORS, WRITE_ERRORS, ErrorOut, ObjectId, Pagination

router = Router(tags=["Văn bản chỉ đạo"])

DOWNLOAD_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut}
_DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# --- reading helpers ---------------------------------------------------------------------------


def _annotated(directives: QuerySet[Directive], user: User) -> QuerySet[Directive]:
    directives = directives.annotate(item_count=Count("items", distinct=True))
    own = selectors.own_receipts(user)
    if own is None:
        return directives.annotate(
            recipient_id=Value(None, output_field=IntegerField()),
            acknowledged_at=Value(None, output_field=DateTimeField()),
        )
    mine = own.filter(directive=OuterRef("pk"))
    return directives.annotate(
        recipient_id=Subquery(mine.values("id")[:1]), acknowledged_at=Subquery(mine.values("acknowledged_at")[:1])
    )


def _detail(user: User, directive_id: int) -> Directive:
    return _annotated(selectors.directive_list(visible_to=user), user).get(id=directive_id)


def _item(directive: Directive, ref: str) -> DirectiveItem:
    """The item by its code ("1a"), or failing that by its numeric id."""
    condition = Q(code=ref)
    if ref.isdigit() and len(ref) < 19:
        condition |= Q(pk=int(ref))
    items = list(selectors.item_list(directive=directive).filter(condition))
    found = next((item for item in items if item.code == ref), None) or next(iter(items), None)
    if found is None:
        raise DirectiveItem.DoesNotExist
    return found


def _recipient(user: User, directive: Directive, owner: OwnerQuery) -> Recipient:
    """The receipt named by ``owner`` (if visible to ``user``), else the caller's own."""
    if owner.unit_id is not None or owner.organization_id is not None:
        named = selectors.recipient_list(visible_to=user, directive=directive)
        if owner.unit_id is not None:
            named = named.filter(unit_id=owner.unit_id)
        if owner.organization_id is not None:
            named = named.filter(organization_id=owner.organization_id)
        return named.get()
    own = selectors.recipient_for(user=user, directive=directive)
    if own is None:
        raise RequestInvalid(
            [
                {
                    "loc": ("query", "unit_id"),
                    "type": "value_error",
                    "msg": "missing owner",
                    "ctx": {"error": _("Chỉ rõ đơn vị (unit_id) hoặc tổ chức (organization_id) để xem báo cáo.")},
                }
            ]
        )
    return own


def _own_recipient(user: User, directive: Directive) -> Recipient:
    own = selectors.recipient_for(user=user, directive=directive)
    if own is None:
        raise PermissionDenied(_("Chỉ cán bộ của nơi nhận mới báo cáo được cho văn bản này."))
    return own


def _report(recipient: Recipient, item: DirectiveItem) -> ItemReport:
    # recipient was resolved through the selectors, so its reports are visible to the caller.
    return selectors.report_list(recipient=recipient).select_related("recipient").get(item=item)


def _city_wide(user: User) -> None:
    if not user.is_city_wide:
        raise PermissionDenied(_("Chỉ Sở và lãnh đạo mới tải được báo cáo tổng hợp."))


def _header(payload: DirectiveIn) -> services.DirectiveFields:
    """The header of a directive written from scratch; a 422 naming each missing field."""
    subject, issued_on, start, until, due = (
        payload.subject,
        payload.issued_on,
        payload.effective_from,
        payload.effective_until,
        payload.report_due_at,
    )
    if subject is None or issued_on is None or start is None or until is None or due is None:
        raise RequestInvalid([{"loc": ("body", "payload", name), "type": "missing"} for name in payload.missing()])
    return services.DirectiveFields(
        subject=subject,
        issued_on=issued_on,
        effective_from=start,
        effective_until=until,
        report_due_at=due,
        number=payload.number,
        issuer=payload.issuer,
        issuer_parent=payload.issuer_parent,
        signer_authority=payload.signer_authority,
        signer_title=payload.signer_title,
        signer_name=payload.signer_name,
        preamble=payload.preamble,
        contact=payload.contact,
    )


def _binary(kind: str) -> dict[str, Any]:
    schema = {"type": "string", "format": "binary"}
    return {"responses": {"200": {"description": "Tệp tải về.", "content": {_DOWNLOADS[kind]: {"schema": schema}}}}}


# --- directives --------------------------------------------------------------------------------


@router.get("/directives", response={200: list[DirectiveOut], **READ_ERRORS}, summary="Danh sách văn bản chỉ đạo")
@paginate(Pagination)
def directives_list(request: HttpRequest, filters: Query[DirectiveFilters]) -> QuerySet[Directive]:
    user = request_user(request)
    directives = selectors.directive_list(visible_to=user, status=filters.status or "", search=filters.search)
    return _annotated(directives, user)


@router.post("/directives", response={201: DirectiveDetailOut, **WRITE_ERRORS}, summary="Soạn văn bản chỉ đạo")
def directives_create(request: HttpRequest, payload: DirectiveIn) -> Status[Directive]:
    user = request_user(request)
    if payload.template_key:
        try:
            directive = services.directive_from_template(
                actor=user, template_key=payload.template_key, issued_on=payload.issued_on, number=payload.number
            )
        except TemplateError as exc:
            raise ValidationError({"template_key": _("Không có mẫu văn bản này.")}) from exc
        return Status(201, _detail(user, directive.id))
    data = _header(payload)
    items = [
        services.ItemFields(
            code=item.code,
            text=item.text,
            applies_to=[str(kind) for kind in item.applies_to],
            section=item.section,
            evidence_expected=item.evidence_expected,
            auto_check=str(item.auto_check),
        )
        for item in payload.items
    ]
    directive = services.directive_create(actor=user, data=data, items=items)
    return Status(201, _detail(user, directive.id))


@router.get(
    "/directives/{directive_id}", response={200: DirectiveDetailOut, **READ_ERRORS}, summary="Chi tiết văn bản chỉ đạo"
)
def directives_detail(request: HttpRequest, directive_id: ObjectId) -> Directive:
    return _detail(request_user(request), directive_id)


@router.post(
    "/directives/{directive_id}/dispatch", response={200: DispatchOut, **WRITE_ERRORS}, summary="Gửi văn bản chỉ đạo"
)
def directives_dispatch(request: HttpRequest, directive_id: ObjectId, payload: DispatchIn) -> dict[str, Any]:
    user = request_user(request)
    directive = selectors.directive_get(visible_to=user, directive_id=directive_id)
    created = services.directive_dispatch(
        actor=user,
        directive=directive,
        unit_ids=payload.unit_ids,
        group_codes=payload.group_codes,
        kinds=[str(kind) for kind in payload.kinds],
        organization_ids=payload.organization_ids,
    )
    # The new rows carry their unit or organisation already (for ReceiptOut.name); keep the service's order.
    return {"created": len(created), "recipients": created}


@router.post(
    "/directives/{directive_id}/acknowledge",
    response={200: ReceiptOut, **WRITE_ERRORS},
    summary="Xác nhận đã nhận văn bản",
)
def directives_acknowledge(request: HttpRequest, directive_id: ObjectId) -> Recipient:
    user = request_user(request)
    directive = selectors.directive_get(visible_to=user, directive_id=directive_id)
    recipient = _own_recipient(user, directive)
    services.recipient_acknowledge(actor=user, recipient=recipient)
    return selectors.recipient_get(visible_to=user, recipient_id=recipient.id)


# --- the status matrix -------------------------------------------------------------------------


@router.get(
    "/directives/{directive_id}/status", response={200: MatrixOut, **READ_ERRORS}, summary="Ma trận tình hình thực hiện"
)
def directives_status(request: HttpRequest, directive_id: ObjectId, filters: Query[MatrixFilters]) -> dict[str, Any]:
    user = request_user(request)
    directive = selectors.directive_get(visible_to=user, directive_id=directive_id)
    matrix = selectors.status_matrix(visible_to=user, directive=directive, group=filters.group, kind=filters.kind or "")
    codes = {item.id: item.code for item in matrix.items}
    return {
        "directive_id": directive.id,
        "computed_at": matrix.computed_at,
        "items": [{"id": item.id, "code": item.code} for item in matrix.items],
        "rows": [
            {
                "recipient_id": row.recipient.id,
                "kind": row.recipient.kind,
                "unit_id": row.recipient.unit_id,
                "organization_id": row.recipient.organization_id,
                "name": row.recipient.name,
                "group": row.group_key,
                "acknowledged_at": row.recipient.acknowledged_at,
                "complete": row.complete,
                "total": row.total,
                "complied": row.complied,
                "conflicts": row.conflicts,
                "cells": {
                    codes[item_id]: None if cell is None else {"state": cell.state, "conflict": cell.conflict}
                    for item_id, cell in row.cells.items()
                },
            }
            for row in matrix.rows
        ],
        "groups": [
            {
                "key": group.key,
                "name": group.name,
                "recipients": group.recipients,
                "acknowledged": group.acknowledged,
                "complied": group.complied,
                "items_complete": group.items_complete,
                "items_total": group.items_total,
                "percent": group.percent,
            }
            for group in matrix.groups
        ],
        "state_counts": matrix.state_counts,
    }


# --- reports -----------------------------------------------------------------------------------


@router.get(
    "/directives/{directive_id}/items/{item_id}/report",
    response={200: ReportOut, **READ_ERRORS},
    summary="Báo cáo một mục của nơi nhận",
)
def directives_report(
    request: HttpRequest, directive_id: ObjectId, item_id: ItemRef, owner: Query[OwnerQuery]
) -> ItemReport:
    user = request_user(request)
    directive = selectors.directive_get(visible_to=user, directive_id=directive_id)
    item = _item(directive, item_id)
    return _report(_recipient(user, directive, owner), item)


def _report_update(request: HttpRequest, directive_id: int, item_id: str, payload: ReportIn) -> ItemReport:
    user = request_user(request)
    directive = selectors.directive_get(visible_to=user, directive_id=directive_id)
    item = _item(directive, item_id)
    report = _report(_own_recipient(user, directive), item)
    services.report_update(actor=user, report=report, status=payload.status, note=payload.note)
    return _report(report.recipient, item)


@router.put(
    "/directives/{directive_id}/items/{item_id}/report",
    response={200: ReportOut, **WRITE_ERRORS},
    summary="Báo cáo một mục (nơi nhận của mình)",
)
def directives_report_update(
    request: HttpRequest, directive_id: ObjectId, item_id: ItemRef, payload: ReportIn
) -> ItemReport:
    return _report_update(request, directive_id, item_id, payload)


@router.post(
    "/directives/{directive_id}/items/{item_id}/report",
    response={200: ReportOut, **WRITE_ERRORS},
    summary="Báo cáo một mục (như PUT, cho máy khách chỉ gửi được POST)",
)
def directives_report_submit(
    request: HttpRequest, directive_id: ObjectId, item_id: ItemRef, payload: ReportIn
) -> ItemReport:
    return _report_update(request, directive_id, item_id, payload)


@router.post(
    "/directives/{directive_id}/items/{item_id}/review",
    response={200: ReportOut, **WRITE_ERRORS},
    summary="Sở xem xét báo cáo một mục",
)
def directives_review(request: HttpRequest, directive_id: ObjectId, item_id: ItemRef, payload: ReviewIn) -> ItemReport:
    user = request_user(request)
    directive = selectors.directive_get(visible_to=user, directive_id=directive_id)
    item = _item(directive, item_id)
    owner = OwnerQuery(unit_id=payload.unit_id, organization_id=payload.organization_id)
    report = _report(_recipient(user, directive, owner), item)
    services.report_review(actor=user, report=report, accept=payload.accept, comment=payload.comment)
    return _report(report.recipient, item)


# --- documents ---------------------------------------------------------------------------------


def _followup(request: HttpRequest, directive_id: int, fmt: str) -> HttpResponse:
    user = request_user(request)
    _city_wide(user)
    directive = selectors.directive_get(visible_to=user, directive_id=directive_id)
    return reports.followup_response(directive=directive, visible_to=user, fmt=fmt)


@router.get(
    "/directives/{directive_id}/report.docx",
    response=DOWNLOAD_ERRORS,
    summary="Báo cáo kết quả thực hiện (DOCX)",
    openapi_extra=_binary("docx"),
)
def directives_report_docx(request: HttpRequest, directive_id: ObjectId) -> HttpResponse:
    return _followup(request, directive_id, "docx")


@router.get(
    "/directives/{directive_id}/report.pdf",
    response=DOWNLOAD_ERRORS,
    summary="Báo cáo kết quả thực hiện (PDF)",
    openapi_extra=_binary("pdf"),
)
def directives_report_pdf(request: HttpRequest, directive_id: ObjectId) -> HttpResponse:
    return _followup(request, directive_id, "pdf")


@router.get(
    "/directives/{directive_id}/matrix.xlsx",
    response=DOWNLOAD_ERRORS,
    summary="Ma trận tình hình thực hiện (XLSX)",
    openapi_extra=_binary("xlsx"),
)
def directives_matrix_xlsx(request: HttpRequest, directive_id: ObjectId, filters: Query[GroupFilter]) -> HttpResponse:
    user = request_user(request)
    _city_wide(user)
    directive = selectors.directive_get(visible_to=user, directive_id=directive_id)
    return reports.matrix_xlsx_response(directive=directive, visible_to=user, group=filters.group)
