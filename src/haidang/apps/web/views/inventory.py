"""The software inventory vulnerability warnings are matched against: what units recorded, what monitoring saw.

Units keep their software in the registry (one component per product of a system); this page lists it
with what their websites disclose, and imports a whole inventory from CSV/XLSX in the same columns as
``haidang advisories match --inventory``. After an import the inventory is matched again in the background.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from haidang.apps.accounts.models import Role, User
from haidang.apps.advisories import warning_selectors
from haidang.apps.advisories.tasks import refresh_exposures
from haidang.apps.monitoring.selectors import observed_software_list
from haidang.apps.registry import software_io
from haidang.apps.registry.selectors import software_list
from haidang.apps.tabular import ImportFileError
from haidang.apps.web.access import form_data, signed_in, user_of

PAGE_SIZE = 50
COLUMN_HELP = [
    (
        "unit",
        True,
        gettext_lazy("Mã viết tắt hoặc tên đầy đủ của đơn vị (cán bộ đơn vị chỉ nhập được cho đơn vị mình)."),
    ),
    ("system", True, gettext_lazy("Tên hệ thống thông tin của đơn vị; chưa có thì được tạo mới.")),
    ("vendor", True, gettext_lazy("Hãng sản xuất, viết như thường gọi (Apache Software Foundation, Microsoft…).")),
    ("product", True, gettext_lazy("Tên sản phẩm (Apache HTTP Server, Exchange Server 2019, Log4j…).")),
    (
        "version",
        False,
        gettext_lazy("Phiên bản đang chạy (2.4.49, 2019 CU12, 22.4R2.1…). Để trống thì không đối chiếu được."),
    ),
    ("cpe", False, gettext_lazy("Tên CPE 2.3 nếu biết (cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*).")),
]
TEMPLATE_ROWS = [
    "unit,system,vendor,product,version,cpe",
    "so-tu-phap,Cổng thông tin điện tử,Apache Software Foundation,Apache HTTP Server,2.4.58,",
]


class InventoryImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp kiểm kê phần mềm (.csv hoặc .xlsx)"),
        error_messages={
            "required": gettext_lazy("Hãy chọn tệp để nhập."),
            "empty": gettext_lazy("Tệp được chọn đang trống."),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )


def _can_import(user: User) -> bool:
    return user.role == Role.ADMIN or (user.role == Role.UNIT and user.unit_id is not None)


@signed_in
@require_safe
def inventory_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    search = request.GET.get("q", "").strip()[:100]
    components = software_list(visible_to=user).order_by(
        "unit__group__order", "unit__number", "system__name", "product"
    )
    observed = observed_software_list(visible_to=user).order_by("unit__number", "website__url", "product")
    if search:
        components = components.filter(Q(product__icontains=search) | Q(vendor__icontains=search))
        observed = observed.filter(Q(product__icontains=search) | Q(vendor__icontains=search))
    context = {
        "page": Paginator(components, PAGE_SIZE).get_page(request.GET.get("page")),
        "observed": list(observed[:200]),
        "search": search,
        "can_import": _can_import(user),
        "can_manage": warning_selectors.can_manage(user),
        "city_wide": user.is_city_wide,
    }
    return render(request, "web/advisories/inventory.html", context)


@signed_in
@require_safe
def inventory_template(request: HttpRequest) -> HttpResponse:
    body = ("\ufeff" + "\r\n".join(TEMPLATE_ROWS) + "\r\n").encode("utf-8")
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="mau-kiem-ke-phan-mem.csv"'
    return response


@signed_in
@require_http_methods(["GET", "POST"])
def inventory_import(request: HttpRequest) -> HttpResponse:
    """All or nothing: a file with any wrong row writes nothing and lists every wrong row."""
    user = user_of(request)
    if not _can_import(user):
        return render(request, "web/advisories/inventory_import.html", {"refused": True}, status=403)
    form = InventoryImportForm(form_data(request), request.FILES if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = software_io.read_rows(upload, filename=upload.name)
            result = software_io.software_import(acting_user=user, rows=rows)
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            form.add_error("file", _("Không nhập được: %(detail)s") % {"detail": "; ".join(exc.messages)})
        else:
            if result.ok:
                transaction.on_commit(refresh_exposures.delay)
                messages.success(
                    request,
                    _("Đã nhập kiểm kê phần mềm; kiểm kê sẽ được đối chiếu lại với dữ liệu lỗ hổng trong giây lát."),
                )
    context = {"form": form, "result": result, "columns": COLUMN_HELP, "refused": False}
    return render(request, "web/advisories/inventory_import.html", context)
