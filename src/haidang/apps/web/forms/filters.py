"""The filter bars above the unit list and the audit log, and the import upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haidang.apps.registry.models import Unit, UnitGroup, UnitStatus
from haidang.apps.web.labels import ACTION_LABELS

STATUS_ALL = "all"


class UnitFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm theo tên hoặc mã"),
        max_length=100,
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Ví dụ: Sở Tư pháp, so-y-te")}),
    )
    group = forms.ChoiceField(label=_("Khối"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[*UnitStatus.choices, (STATUS_ALL, _("Tất cả trạng thái"))],
    )

    def __init__(self, *args: Any, groups: QuerySet[UnitGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("Tất cả các khối")), *((g.code, g.name) for g in groups)]  # type: ignore[attr-defined]

    def values(self) -> dict[str, str]:
        """Arguments for ``unit_list``; a filter with an invalid value is left out, the others apply."""
        self.is_valid()
        data = self.cleaned_data
        status = data.get("status") or UnitStatus.ACTIVE
        return {
            "search": (data.get("q") or "").strip(),
            "group": data.get("group") or "",
            "status": "" if status == STATUS_ALL else status,
        }


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Thao tác"), required=False)
    actor = forms.CharField(label=_("Người thực hiện"), max_length=254, required=False)
    unit = forms.ModelChoiceField(
        label=pgettext_lazy("one unit", "Đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("Tất cả đơn vị"),
    )
    since = forms.DateField(label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["action"].choices = [("", _("Tất cả thao tác")), *ACTION_LABELS.items()]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return data

    def values(self) -> dict[str, Any]:
        """Arguments for ``audit_list``; a filter with an invalid value is left out, the others apply."""
        self.is_valid()
        data = self.cleaned_data
        unit = data.get("unit")
        return {
            "action": data.get("action") or "",
            "actor": (data.get("actor") or "").strip(),
            "unit_id": unit.id if unit is not None else None,
            "since": data.get("since"),
            "until": data.get("until"),
        }


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp danh sách đơn vị (.csv hoặc .xlsx)"),
        error_messages={"required": _("Hãy chọn tệp để nhập."), "empty": _("Tệp được chọn đang trống.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
