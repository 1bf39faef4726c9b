"""The unit registry: the list with filters, and one unit's page with everything it owns."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from haidang.apps.accounts.models import Role
from haidang.apps.accounts.selectors import user_list
from haidang.apps.directives.selectors import owner_history
from haidang.apps.registry.selectors import (
    can_edit_unit,
    domain_list,
    group_list,
    host_list,
    software_list,
    system_list,
    unit_history,
    unit_list,
    website_list,
)
from haidang.apps.web.access import signed_in, user_of, visible_unit
from haidang.apps.web.forms.filters import UnitFilterForm
from haidang.apps.web.summaries import UNIT_ORDER

PAGE_SIZE = 50


@signed_in
@require_safe
def unit_list_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = UnitFilterForm(request.GET or None, groups=group_list())
    filters = form.values() if form.is_bound else {"search": "", "group": "", "status": "active"}
    units = unit_list(visible_to=user, **filters).order_by(*UNIT_ORDER)
    page = Paginator(units, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "total": page.paginator.count,
        "is_admin": user.role == Role.ADMIN,
        "export_query": request.GET.urlencode(),
    }
    return render(request, "web/unit_list.html", context)


@signed_in
@require_safe
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    user = user_of(request)
    unit = visible_unit(user, unit_id)
    context = {
        "unit": unit,
        "systems": system_list(visible_to=user, unit_id=unit.id),
        "websites": website_list(visible_to=user, unit_id=unit.id),
        "domains": domain_list(visible_to=user, unit_id=unit.id),
        "hosts": host_list(visible_to=user, unit_id=unit.id),
        "software": software_list(visible_to=user, unit_id=unit.id),
        "providers": unit.providers.filter(is_active=True),
        "officers": user_list(visible_to=user).filter(unit=unit, is_active=True),
        "predecessors": unit.predecessors.all(),
        "history": unit_history(unit=unit)[:50],
        "directives": owner_history(visible_to=user, unit_id=unit.id),
        "can_edit": unit.is_active and not user.is_read_only and can_edit_unit(user, unit.id),
        "is_admin": user.role == Role.ADMIN and unit.is_active,
        "link_related": user.is_city_wide,
    }
    return render(request, "web/unit_detail.html", context)
