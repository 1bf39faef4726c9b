"""Forms of the monitoring pages: a website's watch settings, decisions on a finding, heightened-alert periods."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haidang.apps.accounts.models import User
from haidang.apps.monitoring.models import Disposition, FindingState
from haidang.apps.notify.models import Severity
from haidang.apps.registry.models import Unit
from haidang.apps.web.forms.fields import datetime_field, person_label

#: A week, as the monitoring service accepts (a rarely used site); the platform default is far shorter.
MAX_INTERVAL_MINUTES = 7 * 24 * 60
#: During a heightened-alert period: at least every hour, at most every minute.
MAX_ALERT_INTERVAL_MINUTES = 60


def _interval_errors() -> dict[str, Any]:
    return {
        "required": _("Hãy nhập chu kỳ quét (phút)."),
        "invalid": _("Chu kỳ quét phải là số phút (số nguyên)."),
        "min_value": _("Chu kỳ quét ít nhất là 1 phút."),
        "max_value": _("Chu kỳ quét tối đa là %(limit_value)s phút."),
    }


class WatchForm(forms.Form):
    enabled = forms.BooleanField(label=_("Đang giám sát trang này"), required=False)
    interval_minutes = forms.IntegerField(
        label=_("Chu kỳ quét riêng (phút)"),
        required=False,
        min_value=1,
        max_value=MAX_INTERVAL_MINUTES,
        help_text=_("Để trống để dùng chu kỳ chung của hệ thống (hoặc của đợt cảnh giác cao đang diễn ra)."),
        error_messages=_interval_errors(),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    vantages = forms.CharField(
        label=_("Quét thêm từ các điểm quan sát"),
        required=False,
        max_length=200,
        help_text=_(
            "Tên các điểm quan sát, cách nhau bằng dấu phẩy (ví dụ: hanoi,hcm). Để trống: chỉ quét từ máy chủ chính."
        ),
    )


class AssignFindingForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Giao cho"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(Chưa giao ai)"),
        error_messages={"invalid_choice": _("Người này không được giao xử lý phát hiện này.")},
    )

    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = person_label  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    """The reason required to close a finding as a legitimate change or a false positive."""

    reason = forms.CharField(
        label=_("Lý do"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Hãy nêu lý do."),
            "max_length": _("Lý do dài tối đa %(limit_value)d ký tự (đang có %(show_value)d)."),
        },
    )

    def __init__(self, *args: Any, help_text: Any = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].help_text = help_text

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data.get("reason") or "").strip()
        if not reason:
            raise forms.ValidationError(_("Hãy nêu lý do."), code="required")
        return reason


class AlertPeriodForm(forms.Form):
    name = forms.CharField(
        label=_("Tên đợt"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: Nghỉ lễ Quốc khánh 2/9/2026")}),
        error_messages={"required": _("Hãy nhập tên đợt cảnh giác cao.")},
    )
    starts_at = datetime_field(_("Bắt đầu"), _("Giờ Việt Nam."))
    ends_at = datetime_field(_("Kết thúc"))
    interval_minutes = forms.IntegerField(
        label=_("Chu kỳ quét trong đợt (phút)"),
        min_value=1,
        max_value=MAX_ALERT_INTERVAL_MINUTES,
        initial=2,
        error_messages=_interval_errors(),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị (để trống: tất cả)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Giữ Ctrl (hoặc ⌘) để chọn nhiều đơn vị. Để trống để áp dụng cho mọi đơn vị."),
        error_messages={"invalid_choice": _("Đơn vị không hợp lệ.")},
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units  # type: ignore[attr-defined]
        self.fields["units"].label_from_instance = lambda unit: f"{unit.name} ({unit.short_code})"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("Thời điểm kết thúc phải sau thời điểm bắt đầu."))
        return data


class FindingFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=pgettext_lazy("one unit", "Đơn vị"), queryset=Unit.objects.none(), required=False, empty_label=_("Tất cả")
    )
    severity = forms.ChoiceField(label=_("Mức độ"), required=False, choices=[("", _("Mọi mức độ")), *Severity.choices])
    state = forms.ChoiceField(
        label=_("Tình trạng"),
        required=False,
        choices=[("", _("Đang tồn tại")), (FindingState.RESOLVED, _("Đã hết")), ("all", _("Tất cả"))],
    )
    disposition = forms.ChoiceField(
        label=_("Xử lý"),
        required=False,
        choices=[
            ("all", _("Mọi trạng thái xử lý")),
            *[(value or "none", label) for value, label in Disposition.choices],
        ],
    )

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        """Filters for :func:`finding_list`; an invalid value is left out, the others apply."""
        self.is_valid()
        data = self.cleaned_data
        unit, state, disposition = data.get("unit"), data.get("state") or "", data.get("disposition") or "all"
        return {
            "unit_id": unit.id if unit is not None else None,
            "severity": data.get("severity") or "",
            "state": {"": FindingState.OPEN, "all": ""}.get(state, state),
            "disposition": {"all": None, "none": ""}.get(disposition, disposition),
        }
