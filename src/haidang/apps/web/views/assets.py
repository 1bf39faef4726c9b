"""Adding, editing and removing a unit's systems, websites, domains, hosts and software."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from haidang.apps.accounts.models import User
from haidang.apps.registry import selectors, services
from haidang.apps.registry.models import InformationSystem, SoftwareComponent, Unit
from haidang.apps.web.access import editable_unit, form_data, signed_in, user_of
from haidang.apps.web.forms.errors import add_service_errors
from haidang.apps.web.forms.registry import DomainForm, HostForm, SoftwareForm, SystemForm, WebsiteForm


def _software_create(*, acting_user: User, unit: Unit, **data: Any) -> SoftwareComponent:
    # The form only offers this unit's systems, and the service derives the unit from the system.
    return services.software_create(acting_user=acting_user, **data)


@dataclass(frozen=True)
class AssetKind:
    form: type[Any]
    title: Promise
    noun: Promise
    anchor: str
    create: Callable[..., Model]
    items: Callable[..., QuerySet[Any]]


ASSET_KINDS: dict[str, AssetKind] = {
    "system": AssetKind(
        SystemForm,
        gettext_lazy("Thêm hệ thống thông tin"),
        gettext_lazy("hệ thống"),
        "systems",
        services.system_create,
        selectors.system_list,
    ),
    "website": AssetKind(
        WebsiteForm,
        gettext_lazy("Thêm trang thông tin điện tử"),
        gettext_lazy("trang thông tin điện tử"),
        "websites",
        services.website_create,
        selectors.website_list,
    ),
    "domain": AssetKind(
        DomainForm,
        gettext_lazy("Thêm tên miền"),
        gettext_lazy("tên miền"),
        "domains",
        services.domain_create,
        selectors.domain_list,
    ),
    "host": AssetKind(
        HostForm,
        gettext_lazy("Thêm máy chủ / địa chỉ IP"),
        gettext_lazy("máy chủ / địa chỉ IP"),
        "hosts",
        services.host_create,
        selectors.host_list,
    ),
    "software": AssetKind(
        SoftwareForm,
        gettext_lazy("Thêm thành phần phần mềm"),
        gettext_lazy("thành phần phần mềm"),
        "software",
        _software_create,
        selectors.software_list,
    ),
}
DELETABLE = frozenset({"website", "domain", "host", "software"})


def _kind(kind: str) -> AssetKind:
    spec = ASSET_KINDS.get(kind)
    if spec is None:
        raise Http404
    return spec


def _form(spec: AssetKind, user: User, unit: Unit, data: Any, initial: dict[str, Any] | None = None) -> Any:
    kwargs: dict[str, Any] = {"systems": selectors.system_list(visible_to=user, unit_id=unit.id)}
    if spec.form is SystemForm:
        kwargs["operators"] = selectors.organization_list(visible_to=user)
    return spec.form(data, initial=initial, **kwargs)


def _back(unit: Unit, spec: AssetKind) -> str:
    return reverse("web:unit_detail", kwargs={"unit_id": unit.id}) + "#" + spec.anchor


@signed_in
@require_http_methods(["GET", "POST"])
def asset_add(request: HttpRequest, unit_id: int, kind: str) -> HttpResponse:
    spec = _kind(kind)
    user = user_of(request)
    unit = editable_unit(user, unit_id)
    form = _form(spec, user, unit, form_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            item = spec.create(acting_user=user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm %(noun)s: %(item)s.") % {"noun": spec.noun, "item": item})
            return redirect(_back(unit, spec))
    context = {"form": form, "unit": unit, "title": spec.title, "kind": kind, "back": _back(unit, spec)}
    return render(request, "web/asset_form.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def system_edit(request: HttpRequest, unit_id: int, system_id: int) -> HttpResponse:
    spec = ASSET_KINDS["system"]
    user = user_of(request)
    unit = editable_unit(user, unit_id)
    try:
        system = selectors.system_list(visible_to=user, unit_id=unit.id).get(id=system_id)
    except InformationSystem.DoesNotExist as exc:
        raise Http404 from exc
    form = _form(spec, user, unit, form_data(request), initial=SystemForm.initial_for(system))
    if request.method == "POST" and form.is_valid():
        try:
            services.system_update(acting_user=user, system=system, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu hệ thống %(name)s.") % {"name": system.name})
            return redirect(_back(unit, spec))
    title = _("Sửa hệ thống thông tin")
    context = {"form": form, "unit": unit, "title": title, "kind": "system", "back": _back(unit, spec)}
    return render(request, "web/asset_form.html", context)


@signed_in
@require_http_methods(["GET", "POST"])
def asset_delete(request: HttpRequest, unit_id: int, kind: str, asset_id: int) -> HttpResponse:
    if kind not in DELETABLE:
        raise Http404
    spec = _kind(kind)
    user = user_of(request)
    unit = editable_unit(user, unit_id)
    try:
        asset = spec.items(visible_to=user, unit_id=unit.id).get(id=asset_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    if request.method == "POST":
        try:
            services.asset_delete(acting_user=user, asset=asset)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Đã xoá %(noun)s: %(item)s.") % {"noun": spec.noun, "item": asset})
        return redirect(_back(unit, spec))
    context = {"unit": unit, "asset": asset, "noun": spec.noun, "back": _back(unit, spec)}
    return render(request, "web/asset_delete.html", context)
