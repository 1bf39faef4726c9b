"""Sign-in, two-factor codes and API tokens."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_CODE = re.compile(r"^\d{6}$")


class LoginForm(forms.Form):
    # Named "username" because django-axes reads the attempted account from this field.
    username = forms.EmailField(
        label=_("Thư điện tử"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
        error_messages={
            "required": _("Hãy nhập địa chỉ thư điện tử."),
            "invalid": _("Địa chỉ thư điện tử không hợp lệ."),
        },
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Hãy nhập mật khẩu.")},
    )

    def clean_username(self) -> str:
        return str(self.cleaned_data["username"]).strip().lower()


class TotpForm(forms.Form):
    token = forms.CharField(
        label=_("Mã xác thực 6 chữ số"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": r"[0-9 ]*",
                "autofocus": True,
                "class": "input-code",
            }
        ),
        error_messages={"required": _("Hãy nhập mã xác thực.")},
    )

    def clean_token(self) -> str:
        token = str(self.cleaned_data["token"]).replace(" ", "")
        if not _CODE.match(token):
            raise ValidationError(_("Mã xác thực gồm đúng 6 chữ số."))
        return token


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ: máy chủ giám sát, kịch bản báo cáo."),
    )
