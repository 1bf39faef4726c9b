"""Forms of the directive pages: a copy of a template, the header, the items, the choice of recipients."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haidang.apps.directives.models import AutoCheck, Directive, DirectiveItem, DirectiveStatus, RecipientKind
from haidang.apps.directives.services import DirectiveFields, ItemFields
from haidang.apps.directives.templates import DirectiveTemplate
from haidang.apps.registry.models import Organization, Unit, UnitGroup
from haidang.apps.web.forms.fields import datetime_field

STATUS_CHOICES = [("", _("Mọi trạng thái")), *DirectiveStatus.choices]
#: The header fields a directive form shows, in the order of the page.
HEADER_FIELDS = (
    "number",
    "issued_on",
    "subject",
    "issuer",
    "issuer_parent",
    "signer_authority",
    "signer_title",
    "signer_name",
    "effective_from",
    "effective_until",
    "report_due_at",
    "preamble",
    "contact",
)


def _date_field(label: Any, help_text: Any = "", *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": _("Hãy nhập ngày."),
            "invalid": _("Ngày không hợp lệ; nhập theo dạng 31/08/2026."),
        },
    )


class DirectiveFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm theo số hoặc trích yếu"),
        max_length=100,
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Ví dụ: 1234/STTTT, Quốc khánh")}),
    )
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, choices=STATUS_CHOICES)

    def values(self) -> dict[str, str]:
        """Arguments for ``directive_list``; a filter with an invalid value is left out."""
        self.is_valid()
        data = self.cleaned_data
        return {"search": (data.get("q") or "").strip(), "status": data.get("status") or ""}


class FromTemplateForm(forms.Form):
    template = forms.CharField(widget=forms.HiddenInput)
    number = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: 1234/STTTT-BCVT")}),
        help_text=_("Có thể để trống và bổ sung khi văn bản được cấp số."),
    )
    issued_on = _date_field(
        _("Ngày ban hành"), _("Thời gian hiệu lực và hạn báo cáo được tính từ ngày này theo mẫu; sửa được sau.")
    )

    def __init__(self, *args: Any, template: DirectiveTemplate, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"template": template.key, "issued_on": timezone.localdate()})
        kwargs.setdefault("prefix", f"tpl-{template.key}")
        super().__init__(*args, **kwargs)
        self.directive_template = template


class DirectiveForm(forms.Form):
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=64, required=False)
    issued_on = _date_field(_("Ngày ban hành"))
    subject = forms.CharField(
        label=_("Trích yếu"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Hãy nhập trích yếu văn bản.")},
        help_text=_("Ví dụ: V/v tăng cường bảo đảm an toàn thông tin dịp nghỉ lễ."),
    )
    issuer = forms.CharField(
        label=_("Cơ quan ban hành"),
        max_length=255,
        required=False,
        help_text=_("Để trống để dùng tên của Sở."),
    )
    issuer_parent = forms.CharField(label=_("Cơ quan chủ quản"), max_length=255, required=False)
    signer_authority = forms.CharField(
        label=_("Thẩm quyền ký"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: KT. GIÁM ĐỐC")}),
    )
    signer_title = forms.CharField(
        label=_("Chức vụ người ký"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: PHÓ GIÁM ĐỐC")}),
    )
    signer_name = forms.CharField(label=_("Người ký"), max_length=200, required=False)
    effective_from = _date_field(_("Hiệu lực từ ngày"))
    effective_until = _date_field(_("Hiệu lực đến ngày"))
    report_due_at = datetime_field(
        _("Hạn báo cáo"), _("Giờ Việt Nam. Nơi nhận được nhắc trước hạn; quá hạn được báo về Sở.")
    )
    preamble = forms.CharField(
        label=_("Căn cứ, mở đầu"),
        max_length=10000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    contact = forms.CharField(
        label=_("Đầu mối phối hợp"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Người, số điện thoại nơi nhận liên hệ khi cần trao đổi."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("effective_from"), data.get("effective_until")
        if start and end and end < start:
            self.add_error("effective_until", _("Ngày kết thúc hiệu lực phải sau hoặc bằng ngày bắt đầu."))
        return data

    def fields_value(self) -> DirectiveFields:
        data = self.cleaned_data
        return DirectiveFields(**{name: data[name] for name in HEADER_FIELDS})

    @staticmethod
    def initial_for(directive: Directive) -> dict[str, Any]:
        initial = {name: getattr(directive, name) for name in HEADER_FIELDS}
        initial["report_due_at"] = timezone.localtime(directive.report_due_at)
        return initial

    @staticmethod
    def initial_new(today: date | None = None) -> dict[str, Any]:
        today = today or timezone.localdate()
        due = timezone.make_aware(datetime.combine(today + timedelta(days=7), time(17, 0)))
        return {
            "issued_on": today,
            "issuer": settings.HAIDANG_ORG_NAME,
            "issuer_parent": settings.HAIDANG_ORG_PARENT,
            "effective_from": today,
            "effective_until": today + timedelta(days=6),
            "report_due_at": due,
        }


class ItemForm(forms.Form):
    code = forms.CharField(
        label=_("Mã mục"),
        max_length=16,
        widget=forms.TextInput(attrs={"class": "input-code", "placeholder": "1a"}),
        error_messages={"required": _("Hãy nhập mã mục.")},
        help_text=_("Không trùng: 1a, 2…"),
    )
    section = forms.CharField(
        label=_("Phần"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Các mục cùng phần được trình bày chung dưới câu mở đầu của phần."),
    )
    text = forms.CharField(
        label=_("Nội dung yêu cầu"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Hãy nhập nội dung mục.")},
    )
    applies_to = forms.MultipleChoiceField(
        label=_("Áp dụng cho"),
        choices=RecipientKind.choices,
        initial=[RecipientKind.UNIT.value],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một loại nơi nhận.")},
        help_text=_("Nơi nhận chỉ phải báo cáo các mục áp dụng cho loại của mình."),
    )
    evidence_expected = forms.CharField(
        label=_("Minh chứng cần nộp"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    auto_check = forms.ChoiceField(
        label=_("Nền tảng tự kiểm tra"),
        choices=AutoCheck.choices,
        required=False,
        help_text=_("Khi nền tảng có dữ liệu để tự xác minh mục này, kết quả được hiển thị bên cạnh báo cáo."),
    )

    def has_changed(self) -> bool:
        # A blank extra row of the formset is one with no text typed in: the ticked default kind and
        # the default check do not make it an item.
        typed = ("code", "section", "text", "evidence_expected")
        return any(name in self.changed_data for name in typed)

    def fields_value(self) -> ItemFields:
        data = self.cleaned_data
        return ItemFields(
            code=data["code"],
            text=data["text"],
            applies_to=list(data["applies_to"]),
            section=data.get("section") or "",
            evidence_expected=data.get("evidence_expected") or "",
            auto_check=data.get("auto_check") or "",
        )

    @staticmethod
    def initial_for(item: DirectiveItem) -> dict[str, Any]:
        names = ("code", "section", "text", "applies_to", "evidence_expected", "auto_check")
        return {name: getattr(item, name) for name in names}


class BaseItemFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def filled(self) -> list[ItemFields]:
        """The rows the user filled in (blank extra rows are left out), in order."""
        return [form.fields_value() for form in self.forms if form.has_changed() and form.cleaned_data]


ItemFormSet = cast(
    "type[BaseItemFormSet]",
    forms.formset_factory(ItemForm, formset=BaseItemFormSet, extra=3, max_num=60, validate_max=True),
)


class DispatchForm(forms.Form):
    groups = forms.MultipleChoiceField(
        label=_("Các khối đơn vị"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Gửi tới mọi đơn vị đang hoạt động của khối."),
    )
    kinds = forms.MultipleChoiceField(
        label=_("Gửi tới tất cả"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (RecipientKind.UNIT.value, _("Tất cả cơ quan, đơn vị nhà nước")),
            (RecipientKind.TELECOM.value, _("Tất cả doanh nghiệp viễn thông, Internet")),
            (RecipientKind.PROVIDER.value, _("Tất cả tổ chức, doanh nghiệp cung cấp nền tảng, dịch vụ")),
        ],
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Từng đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("Giữ Ctrl (⌘ trên máy Mac) để chọn nhiều; gõ chữ đầu của tên để nhảy tới."),
    )
    organizations = forms.ModelMultipleChoiceField(
        label=_("Từng doanh nghiệp, tổ chức"),
        queryset=Organization.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(
        self,
        *args: Any,
        groups: QuerySet[UnitGroup],
        units: QuerySet[Unit],
        organizations: QuerySet[Organization],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["groups"].choices = [  # type: ignore[attr-defined]
            (
                group.code,
                _("%(name)s (%(count)s đơn vị)") % {"name": group.name, "count": getattr(group, "unit_count", 0)},
            )
            for group in groups
        ]
        self.fields["units"].queryset = units  # type: ignore[attr-defined]
        self.fields["units"].label_from_instance = lambda unit: f"{unit.name} — {unit.group.name}"  # type: ignore[attr-defined]
        self.fields["organizations"].queryset = organizations  # type: ignore[attr-defined]
        self.fields["organizations"].label_from_instance = (  # type: ignore[attr-defined]
            lambda organization: f"{organization.name} ({organization.get_kind_display()})"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ("groups", "kinds", "units", "organizations")) and not self.errors:
            raise forms.ValidationError(_("Chưa chọn nơi nhận nào: chọn một khối, một loại hoặc từng nơi nhận."))
        return data

    def arguments(self) -> dict[str, list[Any]]:
        """Keyword arguments for ``directive_dispatch``."""
        data = self.cleaned_data
        return {
            "group_codes": list(data["groups"]),
            "kinds": list(data["kinds"]),
            "unit_ids": [unit.id for unit in data["units"]],
            "organization_ids": [organization.id for organization in data["organizations"]],
        }


class MatrixFilterForm(forms.Form):
    group = forms.ChoiceField(label=_("Khối"), required=False)
    kind = forms.ChoiceField(
        label=_("Loại nơi nhận"), required=False, choices=[("", _("Mọi loại nơi nhận")), *RecipientKind.choices]
    )

    def __init__(self, *args: Any, groups: QuerySet[UnitGroup], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("Tất cả các khối")), *((g.code, g.name) for g in groups)]  # type: ignore[attr-defined]

    def values(self) -> dict[str, str]:
        self.is_valid()
        data = self.cleaned_data
        return {"group": data.get("group") or "", "kind": data.get("kind") or ""}
