"""Forms of the notification pages: adding a channel, filtering the delivery log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from haidang.apps.notify.models import ChannelKind

#: For each kind of channel, the form fields holding its address and its secret.
KIND_FIELDS: dict[str, tuple[str, str | None]] = {
    ChannelKind.EMAIL: ("email", None),
    ChannelKind.TELEGRAM: ("telegram_chat", "telegram_token"),
    ChannelKind.ZALO: ("zalo_chat", "zalo_token"),
    ChannelKind.WEBHOOK: ("webhook_url", None),
}


class ChannelForm(forms.Form):
    """One form for every kind; only the fields of the chosen kind are read (the others are hidden by CSS)."""

    kind = forms.ChoiceField(
        label=_("Loại kênh"),
        choices=ChannelKind.choices,
        error_messages={"required": _("Hãy chọn loại kênh."), "invalid_choice": _("Loại kênh không hợp lệ.")},
    )
    name = forms.CharField(
        label=_("Tên gợi nhớ"),
        max_length=100,
        required=False,
        help_text=_("Không bắt buộc, ví dụ: “Điện thoại trực ban”."),
    )
    email = forms.CharField(
        label=_("Địa chỉ thư điện tử"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text=_("Thư được gửi qua máy chủ thư của Sở."),
    )
    telegram_token = forms.CharField(
        label=_("Mã bot Telegram"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}),
        help_text=_("Tạo bot với @BotFather; mã có dạng 123456789:AbCdEf…. Sau khi lưu chỉ hiện phần số."),
    )
    telegram_chat = forms.CharField(
        label=_("Chat ID Telegram"),
        max_length=40,
        required=False,
        help_text=_("Số định danh cuộc trò chuyện hoặc nhóm (nhóm bắt đầu bằng dấu -), hoặc @tên_kênh."),
    )
    zalo_token = forms.CharField(
        label=_("Mã bot Zalo"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}),
        help_text=_("Tạo bot qua tài khoản “Zalo Bot Manager” trong ứng dụng Zalo; mã có dạng 123456789:AbCdEf…."),
    )
    zalo_chat = forms.CharField(
        label=_("Chat ID Zalo"),
        max_length=100,
        required=False,
        help_text=_("Người nhận phải nhắn tin cho bot trước; chat ID lấy từ getUpdates của bot."),
    )
    webhook_url = forms.CharField(
        label=_("Địa chỉ webhook"),
        max_length=2000,
        required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text=_("Hải Đăng gửi POST JSON {title, message, type} tới địa chỉ này. Không nhận địa chỉ mạng nội bộ."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fields = KIND_FIELDS.get(data.get("kind", ""))
        if fields is None:
            return data
        for field in fields:
            if field and not (data.get(field) or "").strip():
                self.add_error(field, ValidationError(_("Hãy điền mục này cho loại kênh đã chọn."), code="required"))
        return data

    def channel_values(self) -> dict[str, str]:
        """``kind``, ``name``, ``address`` and ``secret`` for ``channel_create``."""
        kind = self.cleaned_data["kind"]
        address_field, secret_field = KIND_FIELDS[kind]
        return {
            "kind": kind,
            "name": self.cleaned_data.get("name") or "",
            "address": self.cleaned_data.get(address_field) or "",
            "secret": (self.cleaned_data.get(secret_field) or "") if secret_field else "",
        }

    def add_channel_errors(self, error: ValidationError) -> None:
        """Put the service's ``address``/``secret`` errors on the fields of the chosen kind."""
        address_field, secret_field = KIND_FIELDS[self.cleaned_data["kind"]]
        targets = {"address": address_field, "secret": secret_field, "kind": "kind"}
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            field = targets.get(key)
            for item in errors:
                self.add_error(field if field in self.fields else None, item)


class DeliveryFilterForm(forms.Form):
    failed = forms.BooleanField(label=_("Chỉ lần gửi thất bại"), required=False)
    kind = forms.ChoiceField(label=_("Loại kênh"), required=False)
    q = forms.CharField(
        label=_("Tìm người nhận, nơi nhận, lỗi"),
        max_length=200,
        required=False,
        widget=forms.SearchInput(),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Mọi loại kênh")), *ChannelKind.choices]  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = self.cleaned_data
        return {
            "failed_only": bool(data.get("failed")),
            "kind": data.get("kind") or "",
            "search": (data.get("q") or "").strip(),
        }
