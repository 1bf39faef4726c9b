"""The audit log: who changed what, when and from where, within the viewer's scope."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from haidang.apps.audit.selectors import audit_list
from haidang.apps.registry.selectors import unit_list
from haidang.apps.web.access import signed_in, user_of
from haidang.apps.web.forms.filters import AuditFilterForm
from haidang.apps.web.summaries import unit_names

PAGE_SIZE = 50


@signed_in
@require_safe
def audit_list_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = AuditFilterForm(request.GET or None, units=unit_list(visible_to=user, status="").order_by("name", "id"))
    events = audit_list(visible_to=user, **form.values()) if form.is_bound else audit_list(visible_to=user)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "total": page.paginator.count,
        "event_units": unit_names(user, page.object_list),
    }
    return render(request, "web/audit_list.html", context)
