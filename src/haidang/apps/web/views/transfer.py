"""Import and export of the unit list as CSV or Excel (XLSX)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from haidang.apps.registry import unit_io
from haidang.apps.registry.selectors import group_list, unit_list
from haidang.apps.tabular import ImportFileError
from haidang.apps.web.access import admin_only, form_data, signed_in, user_of
from haidang.apps.web.forms.filters import UnitFilterForm, UnitImportForm
from haidang.apps.web.summaries import UNIT_ORDER

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

COLUMN_HELP = [
    ("group_code", True, gettext_lazy("Mã khối, ví dụ state_agency_city")),
    ("group_name", False, gettext_lazy("Tên khối; bắt buộc khi mã khối chưa có")),
    ("number", False, gettext_lazy("Số thứ tự trong khối (số nguyên dương)")),
    ("name", True, gettext_lazy("Tên đơn vị")),
    ("short_code", False, gettext_lazy("Mã viết tắt; để trống để tự tạo. Dùng để cập nhật đơn vị đã có")),
    ("parent_short_code", False, gettext_lazy("Mã viết tắt của đơn vị cấp trên")),
    ("contact_name", False, gettext_lazy("Người đầu mối")),
    ("contact_email", False, gettext_lazy("Thư điện tử đầu mối")),
    ("contact_phone", False, gettext_lazy("Điện thoại đầu mối")),
    ("address", False, gettext_lazy("Địa chỉ")),
    ("status", False, gettext_lazy("active, merged hoặc dissolved; mặc định active")),
]


def _file_response(rows: list[dict[str, str]], fmt: str, stem: str) -> HttpResponse:
    if fmt == "csv":
        text = io.StringIO()
        unit_io.write_csv(rows, text)
        # The byte-order mark makes Excel read the Vietnamese text as UTF-8; import accepts it.
        body = ("\ufeff" + text.getvalue()).encode("utf-8")
    else:
        binary = io.BytesIO()
        unit_io.write_xlsx(rows, binary)
        body = binary.getvalue()
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


@signed_in
@require_GET
def unit_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The units the person may see, with the filters of the list page applied."""
    user = user_of(request)
    form = UnitFilterForm(request.GET or None, groups=group_list())
    filters = form.values() if form.is_bound else {"search": "", "group": "", "status": "active"}
    units = list(unit_list(visible_to=user, **filters).select_related("parent").order_by(*UNIT_ORDER))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return _file_response(unit_io.export_rows(units), fmt, f"don-vi-{stamp}")


@admin_only
@require_GET
def unit_import_template(request: HttpRequest, fmt: str) -> HttpResponse:
    return _file_response([], fmt, "mau-danh-sach-don-vi")


@admin_only
@require_http_methods(["GET", "POST"])
def unit_import(request: HttpRequest) -> HttpResponse:
    """All or nothing: a file with any wrong row writes nothing and lists every wrong row."""
    user = user_of(request)
    form = UnitImportForm(form_data(request), request.FILES if request.method == "POST" else None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = unit_io.units_import(acting_user=user, rows=unit_io.read_rows(upload, filename=upload.name))
        except ImportFileError as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            # A value the row checks let through but the model refused; the transaction was rolled back.
            form.add_error("file", _("Không nhập được: %(detail)s") % {"detail": "; ".join(exc.messages)})
        else:
            if result.ok:
                messages.success(request, _("Đã nhập danh sách đơn vị."))
    context = {"form": form, "result": result, "columns": COLUMN_HELP}
    return render(request, "web/unit_import.html", context)
