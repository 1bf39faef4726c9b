"""Forms of a recipient's task list: reporting on an item, adding evidence, the department's review.

Several items sit on one page, so each form is built with an ``auto_id`` naming its report: the field
names stay plain (``status``, ``note``) while the element ids do not clash between items.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from haidang.apps.directives.models import ReportStatus
from haidang.apps.incidents.attachments import ALLOWED_EXTENSIONS, max_bytes

ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)
#: What a recipient may declare; "pending" is where every report starts, not a choice.
DECLARABLE = [
    (ReportStatus.DONE.value, ReportStatus.DONE.label),
    (ReportStatus.IN_PROGRESS.value, ReportStatus.IN_PROGRESS.label),
    (ReportStatus.NOT_APPLICABLE.value, ReportStatus.NOT_APPLICABLE.label),
]


def report_auto_id(report_id: int, form: str) -> str:
    return f"{form}-{report_id}-%s"


class ReportForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Tình trạng thực hiện"),
        choices=DECLARABLE,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn tình trạng thực hiện."),
            "invalid_choice": _("Tình trạng không hợp lệ."),
        },
    )
    note = forms.CharField(
        label=_("Giải trình"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Đã làm gì, khi nào; bắt buộc khi chọn “Không áp dụng”."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == ReportStatus.NOT_APPLICABLE and not (data.get("note") or "").strip():
            self.add_error("note", _("Ghi rõ lý do mục này không áp dụng với đơn vị."))
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("Ảnh, PDF, DOCX, XLSX, ZIP hoặc tệp văn bản."),
        error_messages={"empty": _("Tệp được chọn đang trống.")},
    )
    url = forms.CharField(
        label=_("hoặc đường dẫn"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"type": "url", "inputmode": "url", "placeholder": "https://"}),
        error_messages={"max_length": _("Đường dẫn tối đa 1.000 ký tự.")},
    )
    note = forms.CharField(
        label=_("hoặc ghi chú"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Ghi chú tối đa 5.000 ký tự.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data.get("file")
        limit = max_bytes()
        if upload is not None and upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _("Tệp quá lớn: tối đa %(mb)s MB mỗi tệp.") % {"mb": f"{limit / 1024 / 1024:g}"}, code="too_big"
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        given = sum(
            bool(part) for part in (data.get("file"), (data.get("url") or "").strip(), (data.get("note") or "").strip())
        )
        if given != 1:
            raise forms.ValidationError(_("Mỗi lần thêm một minh chứng: một tệp, một đường dẫn hoặc một ghi chú."))
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "accept"), ("return", "return")], widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Ý kiến của Sở"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Bắt buộc khi trả lại: đơn vị cần bổ sung gì."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Ghi rõ lý do trả lại để đơn vị bổ sung."))
        return data
