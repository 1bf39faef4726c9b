"""Forms of the incidents pages: report, edit, filter, and the actions on an incident's page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from haidang.apps.accounts.models import User
from haidang.apps.incidents.attachments import ALLOWED_EXTENSIONS
from haidang.apps.incidents.models import Category, IndicatorKind, Severity, Status
from haidang.apps.registry.models import InformationSystem, Unit
from haidang.apps.web.forms.fields import person_label

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
MAX_INDICATORS = 200
ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)


def _datetime_field(label: Any, *, required: bool, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=help_text,
        error_messages={"invalid": _("Nhập ngày giờ theo dạng ngày/tháng/năm giờ:phút.")},
    )


class SystemChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: InformationSystem) -> str:
        return f"{obj.unit.short_code} — {obj.name}"


class IncidentForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=pgettext_lazy("one unit", "Đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("(Chưa xác định — Sở phân loại sau)"),
        error_messages={"invalid_choice": _("Đơn vị không hợp lệ.")},
    )
    title = forms.CharField(
        label=_("Tiêu đề"),
        max_length=300,
        help_text=_("Ngắn gọn: điều gì xảy ra, ở đâu. Ví dụ: Cổng thông tin bị thay giao diện."),
    )
    category = forms.ChoiceField(label=_("Loại sự cố"), choices=[("", _("— Chọn loại sự cố —")), *Category.choices])
    severity = forms.ChoiceField(label=_("Mức độ"), choices=Severity.choices, initial=Severity.MEDIUM)
    description = forms.CharField(
        label=_("Mô tả"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Dấu hiệu đã thấy, ảnh hưởng, những gì đã làm. Không dán mật khẩu vào đây."),
    )
    systems = SystemChoiceField(
        label=_("Hệ thống bị ảnh hưởng"),
        queryset=InformationSystem.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=_("Giữ Ctrl (hoặc ⌘) để chọn nhiều hệ thống. Chỉ chọn hệ thống của đơn vị đã chọn ở trên."),
    )
    discovered_at = _datetime_field(
        _("Thời điểm phát hiện"),
        required=False,
        help_text=_("Để trống nếu vừa phát hiện. Thời hạn báo cáo tính từ mốc này."),
    )
    personal_data = forms.BooleanField(label=_("Có liên quan đến dữ liệu cá nhân"), required=False)
    beyond_capacity = forms.BooleanField(
        label=_("Vượt khả năng xử lý của đơn vị — đề nghị Sở hỗ trợ ngay"),
        required=False,
        help_text=_("Cán bộ trực của Sở được cảnh báo ngay và sự cố chuyển vào hàng đợi của Sở."),
    )
    indicators = forms.CharField(
        label=_("Dấu hiệu nhận biết (IOC)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        help_text=_("Mỗi dòng một giá trị: URL, tên miền, địa chỉ IP, mã băm MD5/SHA-1/SHA-256 hoặc địa chỉ thư."),
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        systems: QuerySet[InformationSystem],
        unit_required: bool,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["unit"].required = unit_required
        self.fields["systems"].queryset = systems.select_related("unit")  # type: ignore[attr-defined]
        if editing:
            del self.fields["beyond_capacity"]
            del self.fields["indicators"]

    def clean_indicators(self) -> list[str]:
        lines = [line.strip() for line in (self.cleaned_data.get("indicators") or "").splitlines() if line.strip()]
        if len(lines) > MAX_INDICATORS:
            raise forms.ValidationError(_("Tối đa %(n)s dấu hiệu mỗi lần.") % {"n": MAX_INDICATORS})
        return lines

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, systems = data.get("unit"), data.get("systems") or []
        if any(unit is None or system.unit_id != unit.id for system in systems):
            self.add_error("systems", _("Hệ thống bị ảnh hưởng phải thuộc đơn vị đã chọn."))
        return data

    @staticmethod
    def initial_for(incident: Any) -> dict[str, Any]:
        names = ("unit", "title", "category", "severity", "description", "discovered_at", "personal_data")
        initial = {name: getattr(incident, name) for name in names}
        initial["systems"] = list(incident.systems.all())
        return initial


class IncidentFilterForm(forms.Form):
    queue = forms.ChoiceField(label=_("Hàng đợi"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=[("", _("Chưa đóng")), *Status.choices, ("all", _("Tất cả"))]
    )
    category = forms.ChoiceField(label=_("Loại"), required=False, choices=[("", _("Tất cả loại")), *Category.choices])
    severity = forms.ChoiceField(label=_("Mức độ"), required=False, choices=[("", _("Mọi mức độ")), *Severity.choices])
    unit = forms.ModelChoiceField(
        label=pgettext_lazy("one unit", "Đơn vị"), queryset=Unit.objects.none(), required=False, empty_label=_("Tất cả")
    )
    q = forms.CharField(label=_("Số hiệu hoặc tiêu đề"), max_length=100, required=False)

    def __init__(self, *args: Any, queues: list[tuple[str, Any]], units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["queue"].choices = queues  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        """Filters for the list; an invalid value is left out, the others apply."""
        self.is_valid()
        data = self.cleaned_data
        unit = data.get("unit")
        return {
            "queue": data.get("queue") or "",
            "status": data.get("status") or "",
            "category": data.get("category") or "",
            "severity": data.get("severity") or "",
            "unit_id": unit.id if unit is not None else None,
            "search": (data.get("q") or "").strip(),
        }


class StatusForm(forms.Form):
    to = forms.ChoiceField(label=_("Chuyển sang"), choices=Status.choices)
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(
        label=_("Giao cho"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("(Chưa giao ai)"),
        error_messages={"invalid_choice": _("Người này không được giao xử lý sự cố này.")},
    )

    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = person_label  # type: ignore[attr-defined]


class BeyondCapacityForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do và hỗ trợ cần có"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: không có nhân lực phân tích mã độc; cần Sở cử đội ứng cứu."),
        error_messages={"required": _("Hãy nêu lý do vượt khả năng xử lý và hỗ trợ cần có.")},
    )


class EscalationForm(forms.Form):
    document_number = forms.CharField(label=_("Số văn bản"), max_length=100, help_text=_("Ví dụ: 123/STTTT-BCVT"))
    document_date = forms.DateField(
        label=_("Ngày văn bản"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Nhập ngày theo dạng ngày/tháng/năm.")},
    )
    recipient = forms.CharField(
        label=_("Nơi nhận"), max_length=300, help_text=_("Ví dụ: Cơ quan điều phối quốc gia về ứng cứu sự cố.")
    )
    note = forms.CharField(
        label=_("Nội dung đề nghị"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    document = forms.FileField(
        label=_("Văn bản đã gửi (PDF, DOCX…)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Ghi chú"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Ghi chú đang trống.")},
    )
    is_public = forms.BooleanField(
        label=_("Công khai cho người báo cáo (hiện khi họ tra cứu bằng mã theo dõi)"), required=False
    )

    def __init__(self, *args: Any, can_publish: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_publish:
            del self.fields["is_public"]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Nhiệm vụ"), max_length=300)
    assignee = forms.ModelChoiceField(
        label=_("Người thực hiện"), queryset=User.objects.none(), required=False, empty_label=_("(Chưa giao)")
    )
    due_at = _datetime_field(_("Hạn"), required=False)

    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = person_label  # type: ignore[attr-defined]


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp đính kèm"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("Ảnh, PDF, DOCX, XLSX, ZIP, tệp văn bản/nhật ký (.txt, .log, .csv) hoặc thư (.eml)."),
        error_messages={"required": _("Hãy chọn tệp."), "empty": _("Tệp được chọn đang trống.")},
    )


class IndicatorForm(forms.Form):
    value = forms.CharField(
        label=_("Giá trị"),
        max_length=2000,
        widget=forms.TextInput(attrs={"spellcheck": "false", "placeholder": "hxxp://evil[.]example/ hoặc 203.0.113.5"}),
    )
    kind = forms.ChoiceField(label=_("Loại"), required=False, choices=[("", _("Tự nhận biết")), *IndicatorKind.choices])
    note = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)
