"""Forms of the duty pages: announce a period, enter a shift, leave a handover note, import a roster."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from haidang.apps.accounts.models import User
from haidang.apps.duty.models import DutyPeriod, Shift, ShiftRole
from haidang.apps.registry.models import UnitGroup
from haidang.apps.web.forms.fields import datetime_field


class PeriodForm(forms.Form):
    name = forms.CharField(
        label=_("Tên đợt trực"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: Nghỉ lễ Quốc khánh 2/9/2026")}),
        error_messages={"required": _("Hãy nhập tên đợt trực.")},
    )
    starts_at = datetime_field(_("Bắt đầu"), _("Giờ Việt Nam."))
    ends_at = datetime_field(_("Kết thúc"))
    groups = forms.ModelMultipleChoiceField(
        label=_("Các khối đơn vị phải nộp lịch trực"),
        queryset=UnitGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Đơn vị đang hoạt động của các khối được chọn chưa nộp lịch sẽ được đánh dấu là thiếu."),
    )
    telecoms_required = forms.BooleanField(label=_("Doanh nghiệp viễn thông, Internet cũng phải nộp"), required=False)
    note = forms.CharField(
        label=_("Yêu cầu, ghi chú"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: số văn bản chỉ đạo, hạn nộp lịch, yêu cầu trực 24/7."),
    )

    def __init__(self, *args: Any, groups: QuerySet[UnitGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].queryset = groups  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("Thời điểm kết thúc phải sau thời điểm bắt đầu."))
        return data

    @staticmethod
    def initial_for(period: DutyPeriod) -> dict[str, Any]:
        names = ("name", "starts_at", "ends_at", "telecoms_required", "note")
        return {**{name: getattr(period, name) for name in names}, "groups": list(period.groups.all())}


class ShiftForm(forms.Form):
    starts_at = datetime_field(_("Bắt đầu ca"))
    ends_at = datetime_field(_("Kết thúc ca"))
    role = forms.ChoiceField(
        label=_("Vai trò"), choices=ShiftRole.choices, initial=ShiftRole.PRIMARY, widget=forms.RadioSelect
    )
    user = forms.ModelChoiceField(
        label=_("Tài khoản nhận thông báo"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(Người trực chưa có tài khoản)"),
        help_text=_(
            "Tài khoản sẽ nhận cảnh báo khi có sự cố trong ca. Để trống tên, điện thoại để lấy theo tài khoản."
        ),
    )
    person_name = forms.CharField(label=_("Người trực"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Điện thoại"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0912 345 678", "autocomplete": "off"}),
    )
    messaging_handle = forms.CharField(
        label=_("Zalo / Telegram"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: Zalo 0912345678 hoặc @nguyenvanan")}),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args: Any, accounts: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name or u.email} ({u.email})"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("user"):
            if not data.get("person_name") and "person_name" not in self.errors:
                self.add_error("person_name", _("Hãy nhập tên người trực hoặc chọn tài khoản."))
            if not data.get("phone") and "phone" not in self.errors:
                self.add_error("phone", _("Hãy nhập số điện thoại liên lạc trong ca."))
        return data

    @staticmethod
    def initial_for(shift: Shift) -> dict[str, Any]:
        names = ("starts_at", "ends_at", "role", "user", "person_name", "phone", "messaging_handle", "note")
        return {name: getattr(shift, name) for name in names}


class HandoverForm(forms.Form):
    text = forms.CharField(
        label=_("Ghi chú bàn giao"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Hãy nhập nội dung bàn giao.")},
        help_text=_("Sự cố đang xử lý, yêu cầu còn chờ, điều ca sau cần theo dõi."),
    )


class RosterImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp lịch trực (.csv hoặc .xlsx)"),
        error_messages={"required": _("Hãy chọn tệp để nhập."), "empty": _("Tệp được chọn đang trống.")},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
