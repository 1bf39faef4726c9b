"""Forms for the notices the department publishes on the public portal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from haidang.apps.portal.models import NoticeSeverity, PublicNotice


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề"), max_length=200)
    summary = forms.CharField(
        label=_("Tóm tắt"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Một hai câu hiện trong danh sách cảnh báo."),
    )
    body = forms.CharField(
        label=_("Nội dung"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("Văn bản thuần: xuống dòng được giữ nguyên, mã HTML hiển thị đúng như đã gõ."),
    )
    severity = forms.ChoiceField(label=_("Mức độ"), choices=NoticeSeverity.choices, initial=NoticeSeverity.INFO)
    source_url = forms.URLField(
        label=_("Nguồn tham khảo (URL)"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        error_messages={"invalid": _("Địa chỉ phải bắt đầu bằng http:// hoặc https://.")},
    )

    @staticmethod
    def initial_for(notice: PublicNotice) -> dict[str, Any]:
        return {name: getattr(notice, name) for name in ("title", "summary", "body", "severity", "source_url")}


class NoticeCreateForm(NoticeForm):
    publish = forms.BooleanField(label=_("Đăng ngay lên cổng thông tin"), required=False)
