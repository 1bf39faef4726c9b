"""Forms for units and their systems, websites, domains, hosts and software."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haidang.apps.registry.models import Hosting, InformationSystem, Organization, Unit, UnitGroup

LEVEL_CHOICES = [("", _("Chưa xác định cấp độ")), *((str(n), format_lazy(_("Cấp độ {n}"), n=n)) for n in range(1, 6))]


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    group = forms.ModelChoiceField(label=_("Khối"), queryset=UnitGroup.objects.none(), empty_label=None)
    number = forms.IntegerField(label=_("Số thứ tự trong khối"), min_value=1, required=False)
    short_code = forms.SlugField(
        label=_("Mã viết tắt"),
        max_length=64,
        required=False,
        help_text=_("Chữ thường không dấu, số và dấu gạch ngang. Để trống để tự tạo từ tên."),
    )
    parent = forms.ModelChoiceField(
        label=_("Đơn vị cấp trên"), queryset=Unit.objects.none(), required=False, empty_label=_("(Không có)")
    )
    contact_name = forms.CharField(label=_("Người đầu mối"), max_length=200, required=False)
    contact_email = forms.EmailField(
        label=_("Thư điện tử đầu mối"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    contact_phone = forms.CharField(label=_("Điện thoại đầu mối"), max_length=40, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)

    def __init__(self, *args: Any, groups: QuerySet[UnitGroup], parents: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups  # type: ignore[attr-defined]
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(unit: Unit) -> dict[str, Any]:
        names = ("name", "group", "number", "short_code", "parent")
        contact = ("contact_name", "contact_email", "contact_phone", "address")
        return {name: getattr(unit, name) for name in names + contact}


class UnitMergeForm(forms.Form):
    successor = forms.ModelChoiceField(
        label=_("Đơn vị tiếp nhận (kế thừa)"),
        queryset=Unit.objects.none(),
        error_messages={"required": _("Hãy chọn đơn vị tiếp nhận."), "invalid_choice": _("Đơn vị không hợp lệ.")},
    )
    note = forms.CharField(
        label=_("Căn cứ / ghi chú"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: số, ngày quyết định sáp nhập."),
    )

    def __init__(self, *args: Any, successors: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["successor"].queryset = successors  # type: ignore[attr-defined]


class UnitDissolveForm(forms.Form):
    note = forms.CharField(
        label=_("Căn cứ / ghi chú"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: số, ngày quyết định giải thể."),
    )


class _UnitAssetForm(forms.Form):
    """Base for forms whose ``system`` field lists the unit's own information systems."""

    def __init__(self, *args: Any, systems: QuerySet[InformationSystem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "system" in self.fields:
            self.fields["system"].queryset = systems  # type: ignore[attr-defined]


class SystemForm(_UnitAssetForm):
    name = forms.CharField(label=_("Tên hệ thống"), max_length=255)
    description = forms.CharField(
        label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    security_level = forms.TypedChoiceField(
        label=_("Cấp độ an toàn (Nghị định 85/2016)"),
        choices=LEVEL_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    is_important = forms.BooleanField(label=_("Hệ thống thông tin quan trọng"), required=False)
    holds_personal_data = forms.BooleanField(label=_("Xử lý dữ liệu cá nhân"), required=False)
    is_national_platform = forms.BooleanField(label=_("Nền tảng chuyển đổi số quốc gia"), required=False)
    hosting = forms.ChoiceField(label=_("Nơi đặt hệ thống"), choices=Hosting.choices, initial=Hosting.ON_PREMISE)
    hosting_detail = forms.CharField(label=_("Chi tiết nơi đặt"), max_length=255, required=False)
    operator = forms.ModelChoiceField(
        label=_("Đơn vị vận hành (nếu thuê ngoài)"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("(Đơn vị tự vận hành)"),
    )
    is_active = forms.BooleanField(label=_("Đang vận hành"), required=False, initial=True)

    def __init__(self, *args: Any, operators: QuerySet[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = operators  # type: ignore[attr-defined]

    @staticmethod
    def initial_for(system: InformationSystem) -> dict[str, Any]:
        names = ("name", "description", "security_level", "is_important", "holds_personal_data")
        more = ("is_national_platform", "hosting", "hosting_detail", "operator", "is_active")
        return {name: getattr(system, name) for name in names + more}


def _system_field(*, required: bool = False) -> forms.ModelChoiceField[InformationSystem]:
    return forms.ModelChoiceField(
        label=_("Thuộc hệ thống"),
        queryset=InformationSystem.objects.none(),
        required=required,
        empty_label=None if required else _("(Không gắn với hệ thống nào)"),
    )


class WebsiteForm(_UnitAssetForm):
    # A plain text field: the model's validators give the Vietnamese explanation of what is wrong,
    # and Django's URLField would silently prepend a scheme.
    url = forms.CharField(
        label=_("Địa chỉ URL"),
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "https://", "inputmode": "url", "spellcheck": "false"}),
        help_text=_("Địa chỉ đầy đủ, bắt đầu bằng https:// hoặc http://"),
    )
    name = forms.CharField(label=_("Tên trang"), max_length=255, required=False)
    system = _system_field()


class DomainForm(_UnitAssetForm):
    name = forms.CharField(
        label=pgettext_lazy("one domain", "Tên miền"),
        max_length=253,
        widget=forms.TextInput(attrs={"placeholder": "ten-don-vi.haiphong.gov.vn", "spellcheck": "false"}),
    )
    registrar = forms.CharField(label=_("Nhà đăng ký"), max_length=200, required=False)
    expires_on = forms.DateField(
        label=_("Ngày hết hạn"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    system = _system_field()


class HostForm(_UnitAssetForm):
    address = forms.CharField(
        label=_("Địa chỉ IP / tên máy"),
        max_length=253,
        widget=forms.TextInput(attrs={"placeholder": "203.0.113.10", "spellcheck": "false"}),
        help_text=_("Một địa chỉ IPv4/IPv6, một dải mạng (CIDR) hoặc một tên máy."),
    )
    description = forms.CharField(label=_("Mô tả"), max_length=255, required=False)
    system = _system_field()


class SoftwareForm(_UnitAssetForm):
    system = _system_field(required=True)
    vendor = forms.CharField(label=_("Hãng"), max_length=200)
    product = forms.CharField(label=_("Sản phẩm"), max_length=200)
    version = forms.CharField(label=_("Phiên bản"), max_length=100, required=False)
    cpe = forms.CharField(
        label=_("CPE 2.3"),
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
        help_text=_("Không bắt buộc. Ví dụ: cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*"),
    )
