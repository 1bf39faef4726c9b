"""The department's directive pages: the list, drafting (from a template or from scratch), dispatch, the matrix.

Who sees which directive is decided by the directives selectors (another unit's directive is a 404);
the right to write is checked here to answer 403 early, and again by every service. The recipient's
task list, evidence and the department's review are in views.directive_reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

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
from haidang.apps.directives import selectors, services
from haidang.apps.directives.models import (
    Directive,
    DirectiveItem,
    DirectiveStatus,
    ItemReport,
    Recipient,
    RecipientKind,
)
from haidang.apps.directives.selectors import Matrix, MatrixRow
from haidang.apps.directives.status import STATE_LABELS, STATE_ORDER, Cell, is_complete
from haidang.apps.directives.templates import TemplateError, available_templates
from haidang.apps.registry.models import Organization, Unit, UnitStatus
from haidang.apps.registry.selectors import group_list
from haidang.apps.web.access import form_data, signed_in, user_of
from haidang.apps.web.forms.directives import (
    DirectiveFilterForm,
    DirectiveForm,
    DispatchForm,
    FromTemplateForm,
    ItemForm,
    ItemFormSet,
    MatrixFilterForm,
)
from haidang.apps.web.forms.errors import add_service_errors

PAGE_SIZE = 25
#: A short mark in each matrix cell, so a state is not told by colour alone.
STATE_MARKS = {
    "accepted": "✓",
    "returned": "↩",
    "done": "●",
    "auto": "◆",
    "in_progress": "◐",
    "pending": "○",
    "overdue": "!",
}


# --- access helpers ----------------------------------------------------------------------------


def _directive(user: User, directive_id: int | str) -> Directive:
    try:
        return selectors.directive_get(visible_to=user, directive_id=int(directive_id))
    except Directive.DoesNotExist as exc:
        raise Http404 from exc


def _require_manager(user: User) -> None:
    if not selectors.can_manage(user):
        raise PermissionDenied(_("Chỉ quản trị và cán bộ trực của Sở được soạn, gửi văn bản chỉ đạo."))


def _managed(user: User, directive_id: int | str) -> Directive:
    """A visible directive that ``user`` may change (403 when only visible)."""
    directive = _directive(user, directive_id)
    _require_manager(user)
    return directive


def _require_city_wide(user: User) -> None:
    if not user.is_city_wide:
        raise PermissionDenied(_("Chỉ Sở và lãnh đạo được xem tổng hợp toàn thành phố."))


def _detail_url(directive: Directive, anchor: str = "") -> str:
    url = reverse("web:directive_detail", kwargs={"directive_id": directive.id})
    return f"{url}#{anchor}" if anchor else url


def _state_label(state: str) -> str:
    return _(STATE_LABELS[state])


# --- the list ----------------------------------------------------------------------------------


@dataclass
class ListRow:
    directive: Directive
    recipients: int = 0
    acknowledged: int = 0
    complied: int = 0
    own: Recipient | None = None
    own_complete: int = 0
    own_total: int = 0

    @property
    def own_percent(self) -> int:
        return round(100 * self.own_complete / self.own_total) if self.own_total else 0

    @property
    def acknowledged_percent(self) -> int:
        return round(100 * self.acknowledged / self.recipients) if self.recipients else 0


def _is_own(user: User, recipient: Recipient) -> bool:
    if user.role == Role.UNIT:
        return recipient.unit_id is not None and recipient.unit_id == user.unit_id
    if user.role in (Role.TELECOM, Role.PROVIDER):
        return recipient.organization_id is not None and recipient.organization_id == user.organization_id
    return False


def _list_rows(user: User, directives: Iterable[Directive]) -> list[ListRow]:
    """Progress of each directive on the page, as ``user`` may see it, in two queries whatever the page size."""
    rows = {directive.id: ListRow(directive=directive) for directive in directives}
    recipients = list(selectors.recipients_visible(user).filter(directive_id__in=list(rows)))
    by_id = {recipient.id: recipient for recipient in recipients}
    reports = ItemReport.objects.filter(recipient_id__in=list(by_id)).only(
        "recipient_id", "status", "review", "auto_verdict"
    )
    tally: dict[int, list[int]] = {recipient.id: [0, 0] for recipient in recipients}
    now = timezone.now()
    for report in reports:
        due = rows[by_id[report.recipient_id].directive_id].directive.report_due_at
        counts = tally[report.recipient_id]
        counts[0] += is_complete(report, due_at=due, now=now)
        counts[1] += 1
    for recipient in recipients:
        row = rows[recipient.directive_id]
        complete, total = tally[recipient.id]
        row.recipients += 1
        row.acknowledged += recipient.acknowledged_at is not None
        row.complied += total > 0 and complete == total
        if row.own is None and _is_own(user, recipient):
            row.own, row.own_complete, row.own_total = recipient, complete, total
    return list(rows.values())


@signed_in
@require_safe
def directive_list_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = DirectiveFilterForm(request.GET or None)
    values = form.values() if form.is_bound else {"search": "", "status": ""}
    directives = selectors.directive_list(visible_to=user, **values)
    page = Paginator(directives, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": _list_rows(user, page.object_list),
        "total": page.paginator.count,
        "can_manage": selectors.can_manage(user),
        "city_wide": user.is_city_wide,
        "filtered": any(values.values()),
    }
    return render(request, "web/directives/list.html", context)


# --- a new directive ---------------------------------------------------------------------------


def _template_forms(data: Any = None, chosen: str = "") -> list[FromTemplateForm]:
    return [
        FromTemplateForm(data if template.key == chosen else None, template=template)
        for template in available_templates()
    ]


def _new_from_template(request: HttpRequest, user: User) -> HttpResponse:
    # Each template's form has its own prefix; the one whose hidden field came back is the chosen one.
    chosen = next(
        (template.key for template in available_templates() if f"tpl-{template.key}-template" in request.POST), ""
    )
    forms = _template_forms(request.POST, chosen)
    form = next((candidate for candidate in forms if candidate.is_bound), None)
    if form is None:
        messages.error(request, _("Mẫu văn bản không còn tồn tại; hãy chọn mẫu khác."))
        return redirect("web:directive_new")
    if form.is_valid():
        try:
            directive = services.directive_from_template(
                actor=user,
                template_key=form.directive_template.key,
                issued_on=form.cleaned_data["issued_on"],
                number=form.cleaned_data["number"],
            )
        except (ValidationError, TemplateError) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(request, _("Đã tạo bản nháp từ mẫu. Hãy kiểm tra nội dung, các mục rồi gửi tới nơi nhận."))
            return redirect(_detail_url(directive))
    return render(request, "web/directives/new.html", {"template_forms": forms})


def _new_from_scratch(request: HttpRequest, user: User) -> HttpResponse:
    data = form_data(request)
    form = DirectiveForm(data, initial=DirectiveForm.initial_new(), prefix="head")
    formset = ItemFormSet(data, prefix="items")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            directive = services.directive_create(actor=user, data=form.fields_value(), items=formset.filled())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo bản nháp văn bản chỉ đạo."))
            return redirect(_detail_url(directive))
    return render(request, "web/directives/form.html", {"form": form, "formset": formset, "directive": None})


@signed_in
@require_http_methods(["GET", "POST"])
def directive_new(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require_manager(user)
    scratch = request.GET.get("mode") == "scratch"
    if scratch:
        return _new_from_scratch(request, user)
    if request.method == "POST":
        return _new_from_template(request, user)
    return render(request, "web/directives/new.html", {"template_forms": _template_forms()})


# --- the directive's page ----------------------------------------------------------------------


@dataclass
class Section:
    title: str
    items: list[DirectiveItem] = field(default_factory=list)


def _sections(items: Iterable[DirectiveItem]) -> list[Section]:
    return [Section(title, list(group)) for title, group in groupby(items, key=lambda item: item.section)]


def _kind_labels() -> dict[str, str]:
    return {kind.value: str(kind.label) for kind in RecipientKind}


@signed_in
@require_safe
def directive_detail(request: HttpRequest, directive_id: int) -> HttpResponse:
    user = user_of(request)
    directive = _directive(user, directive_id)
    if not user.is_city_wide:
        own = selectors.recipient_for(user=user, directive=directive)
        if own is not None:
            return redirect("web:directive_recipient", recipient_id=own.id)
    items = list(selectors.item_list(directive=directive))
    kinds = _kind_labels()
    for item in items:
        item.kind_labels = [kinds.get(kind, kind) for kind in item.applies_to or []]  # type: ignore[attr-defined]
    matrix = None
    if directive.status != DirectiveStatus.DRAFT:
        matrix = selectors.status_matrix(visible_to=user, directive=directive)
    template = next((t for t in available_templates() if t.key == directive.template_key), None)
    context = {
        "directive": directive,
        "sections": _sections(items),
        "item_count": len(items),
        "matrix": matrix,
        "template": template,
        "can_manage": selectors.can_manage(user),
        "city_wide": user.is_city_wide,
        "is_draft": directive.status == DirectiveStatus.DRAFT,
        "is_open": directive.status != DirectiveStatus.CLOSED,
    }
    return render(request, "web/directives/detail.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def directive_edit(request: HttpRequest, directive_id: int) -> HttpResponse:
    user = user_of(request)
    directive = _managed(user, directive_id)
    if directive.status == DirectiveStatus.CLOSED:
        messages.error(request, _("Văn bản đã kết thúc: không thể sửa."))
        return redirect(_detail_url(directive))
    form = DirectiveForm(form_data(request), initial=DirectiveForm.initial_for(directive), prefix="head")
    if request.method == "POST" and form.is_valid():
        try:
            services.directive_update(actor=user, directive=directive, data=form.fields_value())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin văn bản."))
            return redirect(_detail_url(directive))
    return render(request, "web/directives/form.html", {"form": form, "formset": None, "directive": directive})


def _draft_item(user: User, directive_id: int, item_id: int | None) -> tuple[Directive, DirectiveItem | None]:
    directive = _managed(user, directive_id)
    if item_id is None:
        return directive, None
    try:
        return directive, directive.items.get(id=item_id)
    except DirectiveItem.DoesNotExist as exc:
        raise Http404 from exc


@signed_in
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, directive_id: int, item_id: int | None = None) -> HttpResponse:
    user = user_of(request)
    directive, item = _draft_item(user, directive_id, item_id)
    if directive.status != DirectiveStatus.DRAFT:
        messages.error(request, _("Văn bản đã gửi: không thể sửa các mục nữa."))
        return redirect(_detail_url(directive, "items"))
    initial = ItemForm.initial_for(item) if item is not None else None
    form = ItemForm(form_data(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.item_save(actor=user, directive=directive, fields=form.fields_value(), item=item)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu mục %(code)s.") % {"code": saved.code})
            return redirect(_detail_url(directive, f"item-{saved.id}"))
    return render(request, "web/directives/item_form.html", {"form": form, "directive": directive, "item": item})


def _confirm_delete(request: HttpRequest, *, directive: Directive, item: DirectiveItem | None) -> HttpResponse:
    context = {"directive": directive, "item": item, "cancel_url": _detail_url(directive, "items" if item else "")}
    return render(request, "web/directives/confirm_delete.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def item_delete_view(request: HttpRequest, directive_id: int, item_id: int) -> HttpResponse:
    user = user_of(request)
    directive, item = _draft_item(user, directive_id, item_id)
    if item is None:  # the URL always names an item
        raise Http404
    if directive.status != DirectiveStatus.DRAFT:
        messages.error(request, _("Văn bản đã gửi: không thể sửa các mục nữa."))
        return redirect(_detail_url(directive, "items"))
    if request.method == "POST":
        try:
            services.item_delete(actor=user, item=item)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã xoá mục %(code)s.") % {"code": item.code})
        return redirect(_detail_url(directive, "items"))
    return _confirm_delete(request, directive=directive, item=item)


@signed_in
@require_http_methods(["GET", "POST"])
def directive_delete_view(request: HttpRequest, directive_id: int) -> HttpResponse:
    user = user_of(request)
    directive = _managed(user, directive_id)
    if directive.status != DirectiveStatus.DRAFT:
        messages.error(request, _("Văn bản đã gửi là một phần của hồ sơ: không thể xoá."))
        return redirect(_detail_url(directive))
    if request.method == "POST":
        try:
            services.directive_delete(actor=user, directive=directive)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(_detail_url(directive))
        messages.success(request, _("Đã xoá bản nháp “%(subject)s”.") % {"subject": directive.subject[:120]})
        return redirect("web:directive_list")
    return _confirm_delete(request, directive=directive, item=None)


@signed_in
@require_POST
def directive_close_view(request: HttpRequest, directive_id: int) -> HttpResponse:
    user = user_of(request)
    directive = _managed(user, directive_id)
    try:
        services.directive_close(actor=user, directive=directive)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã kết thúc theo dõi văn bản: nơi nhận không báo cáo thêm được nữa."))
    return redirect(_detail_url(directive))


# --- dispatch ----------------------------------------------------------------------------------


def _dispatch_form(data: Any) -> DispatchForm:
    return DispatchForm(
        data,
        groups=group_list().order_by("order", "code"),
        units=Unit.objects.filter(status=UnitStatus.ACTIVE).select_related("group").order_by("group__order", "name"),
        organizations=Organization.objects.filter(is_active=True).order_by("kind", "name"),
    )


def _preview(directive: Directive, chosen: dict[str, list[Any]]) -> int:
    """How many new recipients the choice would add (the service decides; this only informs)."""
    return selectors.dispatch_preview(directive=directive, **chosen)


@dataclass(frozen=True)
class SentLine:
    name: str
    count: int


def _sent_summary(directive: Directive) -> list[SentLine]:
    """Who already has the directive, by unit group and kind of organisation."""
    counts: dict[str, int] = {}
    for recipient in directive.recipients.select_related("unit__group").only("kind", "unit__group__name"):
        name = recipient.unit.group.name if recipient.unit is not None else str(RecipientKind(recipient.kind).label)
        counts[name] = counts.get(name, 0) + 1
    return [SentLine(name, count) for name, count in counts.items()]


@signed_in
@require_http_methods(["GET", "POST"])
def directive_dispatch_view(request: HttpRequest, directive_id: int) -> HttpResponse:
    user = user_of(request)
    directive = _managed(user, directive_id)
    if directive.status == DirectiveStatus.CLOSED:
        messages.error(request, _("Văn bản đã kết thúc: không thể gửi thêm."))
        return redirect(_detail_url(directive))
    form = _dispatch_form(form_data(request))
    preview: int | None = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = _preview(directive, form.arguments())
        else:
            try:
                chosen = form.arguments()
                created = services.directive_dispatch(
                    actor=user,
                    directive=directive,
                    unit_ids=chosen["unit_ids"],
                    group_codes=chosen["group_codes"],
                    kinds=chosen["kinds"],
                    organization_ids=chosen["organization_ids"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Đã gửi tới %(n)s nơi nhận.") % {"n": len(created)})
                return redirect(_detail_url(directive, "recipients"))
    context = {
        "directive": directive,
        "form": form,
        "preview": preview,
        "sent": _sent_summary(directive),
        "item_count": directive.items.count(),
    }
    return render(request, "web/directives/dispatch.html", context)


# --- the matrix --------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    item: DirectiveItem
    cell: Cell | None
    label: str
    mark: str


@dataclass(frozen=True)
class MatrixLine:
    row: MatrixRow
    cells: list[MatrixCell]


@dataclass(frozen=True)
class Legend:
    state: str
    label: str
    mark: str
    count: int


def _lines(matrix: Matrix) -> list[MatrixLine]:
    labels = {state: _state_label(state) for state in STATE_ORDER}
    not_applicable = _("Không áp dụng")
    lines = []
    for row in matrix.rows:
        cells = []
        for item in matrix.items:
            cell = row.cells.get(item.id)
            if cell is None:
                cells.append(MatrixCell(item, None, not_applicable, ""))
            else:
                cells.append(MatrixCell(item, cell, labels[cell.state], STATE_MARKS[cell.state]))
        lines.append(MatrixLine(row, cells))
    return lines


@signed_in
@require_safe
def directive_matrix(request: HttpRequest, directive_id: int) -> HttpResponse:
    user = user_of(request)
    directive = _directive(user, directive_id)
    _require_city_wide(user)
    groups = selectors.groups_for_filter()
    form = MatrixFilterForm(request.GET or None, groups=groups)
    values = form.values() if form.is_bound else {"group": "", "kind": ""}
    matrix = selectors.status_matrix(visible_to=user, directive=directive, group=values["group"], kind=values["kind"])
    legend = [
        Legend(state, _state_label(state), STATE_MARKS[state], matrix.state_counts.get(state, 0))
        for state in STATE_ORDER
    ]
    context = {
        "directive": directive,
        "form": form,
        "group": values["group"],
        "matrix": matrix,
        "lines": _lines(matrix),
        "legend": legend,
        "laggards": matrix.laggards[:30],
        "laggard_count": len(matrix.laggards),
        "conflicts": sum(row.conflicts for row in matrix.rows),
    }
    return render(request, "web/directives/matrix.html", context)


# --- documents ---------------------------------------------------------------------------------


@signed_in
@require_safe
def directive_report(request: HttpRequest, directive_id: str, fmt: str) -> HttpResponse:
    user = user_of(request)
    directive = _directive(user, directive_id)
    _require_city_wide(user)
    # Imported here: the report module is written alongside these pages and pulls in the document engine.
    from haidang.apps.directives.reports import followup_response

    return followup_response(directive=directive, visible_to=user, fmt=fmt)


@signed_in
@require_safe
def directive_matrix_xlsx(request: HttpRequest, directive_id: int) -> HttpResponse:
    user = user_of(request)
    directive = _directive(user, directive_id)
    _require_city_wide(user)
    from haidang.apps.directives.reports import matrix_xlsx_response

    group = request.GET.get("group", "")
    if group and not selectors.groups_for_filter().filter(code=group).exists():
        group = ""
    return matrix_xlsx_response(directive=directive, visible_to=user, group=group)
