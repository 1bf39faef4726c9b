"""Forms of the public portal. Every limit here is also a defence: see :mod:`haidang.apps.portal.abuse`."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haidang.apps.portal.uploads import ACCEPT, check_public_uploads

KIND_CHOICES = [
    ("incident", _("Sự cố an toàn thông tin: trang web bị thay đổi nội dung, bị tấn công, lộ dữ liệu…")),
    ("scam", _("Lừa đảo: tin nhắn, cuộc gọi, trang web hoặc tài khoản mạng xã hội giả mạo…")),
]
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
# Mobile (10 digits, 03/05/07/08/09) or landline with area code (11 digits, 02…), optionally +84.
_PHONE = re.compile(r"^(0[35789]\d{8}|02\d{9})$")
REQUIRED = {"required": _("Vui lòng điền mục này.")}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files from one ``<input type=file multiple>``."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def normalize_contact(value: str) -> str:
    """An e-mail address (lower-cased) or a Vietnamese phone number (digits only, leading 0)."""
    text = value.strip()
    if "@" in text:
        try:
            validate_email(text)
        except ValidationError as exc:
            raise ValidationError(_("Địa chỉ thư điện tử không hợp lệ."), code="email") from exc
        return text.lower()
    digits = _PHONE_SEPARATORS.sub("", text)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    if not _PHONE.match(digits):
        raise ValidationError(
            _("Hãy nhập số điện thoại (ví dụ 0912 345 678) hoặc địa chỉ thư điện tử để chúng tôi liên hệ lại."),
            code="contact",
        )
    return digits


class PublicReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Bạn muốn báo về"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn loại phản ánh."), "invalid_choice": _("Hãy chọn loại phản ánh.")},
    )
    description = forms.CharField(
        label=_("Sự việc đã xảy ra"),
        min_length=20,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "Mô tả điều bạn thấy: nội dung tin nhắn, lời người gọi, trang web hiển thị gì… Tối đa 5.000 ký tự."
        ),
        error_messages={
            **REQUIRED,
            "min_length": _("Hãy mô tả sự việc rõ hơn (ít nhất 20 ký tự)."),
            "max_length": _("Nội dung quá dài (tối đa 5.000 ký tự)."),
        },
    )
    subject_url = forms.CharField(
        label=_("Địa chỉ trang web, số điện thoại hoặc người gửi liên quan"),
        max_length=500,
        required=False,
        help_text=_("Ví dụ: https://trang-gia-mao.example, 0900 000 000, tên tài khoản Zalo/Facebook."),
        error_messages={"max_length": _("Tối đa 500 ký tự.")},
    )
    happened_at = forms.DateTimeField(
        label=_("Thời điểm xảy ra (nếu nhớ)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M", "%d/%m/%Y"],
        error_messages={"invalid": _("Thời điểm không hợp lệ (ví dụ 02/09/2026 08:30).")},
    )
    reporter_name = forms.CharField(
        label=_("Họ và tên của bạn"), max_length=100, error_messages={**REQUIRED, "max_length": _("Tối đa 100 ký tự.")}
    )
    reporter_contact = forms.CharField(
        label=_("Số điện thoại hoặc thư điện tử"),
        max_length=200,
        help_text=_("Chỉ cán bộ tiếp nhận thấy thông tin này, để liên hệ lại khi cần."),
        error_messages={**REQUIRED, "max_length": _("Tối đa 200 ký tự.")},
    )
    attachments = MultipleFileField(
        label=_("Ảnh chụp màn hình hoặc tệp PDF (không bắt buộc)"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        help_text=_("Tối đa 3 tệp, mỗi tệp không quá 5 MB."),
    )
    # Honeypot: hidden from people by CSS and aria-hidden; bots fill it in.
    website = forms.CharField(label=_("Để trống ô này"), required=False, max_length=200)
    form_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean_reporter_contact(self) -> str:
        return normalize_contact(self.cleaned_data["reporter_contact"])

    def clean_happened_at(self) -> datetime | None:
        value: datetime | None = self.cleaned_data.get("happened_at")
        if value is not None and value > timezone.now() + timedelta(minutes=10):
            raise ValidationError(_("Thời điểm xảy ra không thể ở tương lai."), code="future")
        return value

    def clean_attachments(self) -> list[UploadedFile]:
        return check_public_uploads(list(self.cleaned_data.get("attachments") or []))

    def full_description(self) -> str:
        """The description with the time the reporter gave, for the incident record."""
        description: str = self.cleaned_data["description"].strip()
        happened: datetime | None = self.cleaned_data.get("happened_at")
        if happened is None:
            return description
        local = timezone.localtime(happened) if timezone.is_aware(happened) else happened
        return f"{_('Thời điểm xảy ra (theo người báo)')}: {local:%H:%M %d/%m/%Y}\n\n{description}"


class StatusLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Mã theo dõi"),
        max_length=32,
        help_text=_("Mã gồm 12 ký tự bạn nhận được khi gửi phản ánh, ví dụ ABCD-EFGH-JKMN."),
        error_messages={**REQUIRED, "max_length": _("Mã theo dõi không hợp lệ.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )
