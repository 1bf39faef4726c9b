"""The department administrator's changes to units: create, edit, merge and dissolve."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from haidang.apps.registry import services
from haidang.apps.registry.models import Unit
from haidang.apps.registry.selectors import group_list, unit_list, unit_merge_preview
from haidang.apps.web.access import admin_only, form_data, user_of, visible_unit
from haidang.apps.web.forms.errors import add_service_errors
from haidang.apps.web.forms.registry import UnitDissolveForm, UnitForm, UnitMergeForm

MERGE_PREVIEW_LABELS = {
    "systems": gettext_lazy("Hệ thống thông tin"),
    "websites": gettext_lazy("Trang thông tin điện tử"),
    "domains": gettext_lazy("Tên miền"),
    "hosts": gettext_lazy("Máy chủ / địa chỉ IP"),
    "software": gettext_lazy("Thành phần phần mềm"),
    "officers": gettext_lazy("Tài khoản cán bộ của đơn vị"),
    "children": gettext_lazy("Đơn vị trực thuộc"),
    "providers": gettext_lazy("Nhà cung cấp dịch vụ được giao"),
}


@admin_only
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = UnitForm(form_data(request), groups=group_list(), parents=unit_list(visible_to=user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        group, name = data.pop("group"), data.pop("name")
        try:
            unit = services.unit_create(acting_user=user, group=group, name=name, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã tạo đơn vị %(name)s.") % {"name": unit.name})
            return redirect("web:unit_detail", unit_id=unit.id)
    return render(request, "web/unit_form.html", {"form": form, "unit": None})


@admin_only
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = user_of(request)
    unit = visible_unit(user, unit_id)
    parents = unit_list(visible_to=user).exclude(id=unit.id)
    form = UnitForm(form_data(request), initial=UnitForm.initial_for(unit), groups=group_list(), parents=parents)
    form.fields["short_code"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_update(acting_user=user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thông tin đơn vị."))
            return redirect("web:unit_detail", unit_id=unit.id)
    return render(request, "web/unit_form.html", {"form": form, "unit": unit})


def _inactive(request: HttpRequest, unit: Unit) -> HttpResponse:
    messages.error(request, _("Đơn vị đã sáp nhập hoặc giải thể."))
    return redirect("web:unit_detail", unit_id=unit.id)


@admin_only
@require_http_methods(["GET", "POST"])
def unit_merge(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Choose the successor, then confirm on a page that lists everything that will move."""
    user = user_of(request)
    unit = visible_unit(user, unit_id)
    if not unit.is_active:
        return _inactive(request, unit)
    form = UnitMergeForm(form_data(request), successors=unit_list(visible_to=user).exclude(id=unit.id))
    if request.method == "POST" and form.is_valid():
        successor, note = form.cleaned_data["successor"], form.cleaned_data["note"]
        if request.POST.get("confirm") != "1":
            preview = unit_merge_preview(unit=unit)
            rows = [(label, preview[key]) for key, label in MERGE_PREVIEW_LABELS.items()]
            context = {"unit": unit, "form": form, "successor": successor, "rows": rows}
            return render(request, "web/unit_merge_confirm.html", context)
        try:
            services.unit_merge(acting_user=user, unit=unit, successor=successor, note=note)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Đã sáp nhập %(unit)s vào %(successor)s.") % {"unit": unit.name, "successor": successor.name}
            )
            return redirect("web:unit_detail", unit_id=successor.id)
    return render(request, "web/unit_merge.html", {"unit": unit, "form": form})


@admin_only
@require_http_methods(["GET", "POST"])
def unit_dissolve(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = user_of(request)
    unit = visible_unit(user, unit_id)
    if not unit.is_active:
        return _inactive(request, unit)
    form = UnitDissolveForm(form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.unit_dissolve(acting_user=user, unit=unit, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận giải thể đơn vị %(name)s.") % {"name": unit.name})
            return redirect("web:unit_detail", unit_id=unit.id)
    return render(request, "web/unit_dissolve.html", {"unit": unit, "form": form})
