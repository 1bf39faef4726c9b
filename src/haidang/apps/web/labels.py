"""Vietnamese names for the stable codes stored in the audit trail (translated through gettext)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTION_LABELS: dict[str, Promise] = {
    "auth.login": pgettext_lazy("audit action", "Đăng nhập"),
    "auth.logout": pgettext_lazy("audit action", "Đăng xuất"),
    "auth.login_failed": _("Đăng nhập không thành công"),
    "unit.create": _("Tạo đơn vị"),
    "unit.update": _("Sửa thông tin đơn vị"),
    "unit.merge": _("Sáp nhập đơn vị"),
    "unit.absorb": _("Tiếp nhận đơn vị sáp nhập"),
    "unit.dissolve": _("Giải thể đơn vị"),
    "unit.import": _("Nhập danh sách đơn vị"),
    "unit_group.create": _("Tạo khối đơn vị"),
    "unit_group.update": _("Sửa khối đơn vị"),
    "organization.create": _("Tạo tổ chức"),
    "provider.assign": _("Giao đơn vị cho nhà cung cấp"),
    "system.create": _("Thêm hệ thống thông tin"),
    "system.update": _("Sửa hệ thống thông tin"),
    "website.create": _("Thêm trang thông tin điện tử"),
    "website.delete": _("Xoá trang thông tin điện tử"),
    "domain.create": _("Thêm tên miền"),
    "domain.delete": _("Xoá tên miền"),
    "host.create": _("Thêm máy chủ / địa chỉ IP"),
    "host.delete": _("Xoá máy chủ / địa chỉ IP"),
    "software.create": _("Thêm thành phần phần mềm"),
    "softwarecomponent.delete": _("Xoá thành phần phần mềm"),
    "user.create": _("Tạo tài khoản"),
    "user.set_password": _("Đặt lại mật khẩu"),
    "user.2fa_enable": _("Bật xác thực hai bước"),
    "user.2fa_disable": _("Tắt xác thực hai bước"),
    "token.create": _("Tạo mã truy cập API"),
    "token.revoke": _("Thu hồi mã truy cập API"),
}

SOURCE_LABELS: dict[str, Promise] = {
    "web": _("Giao diện web"),
    "api": _("API"),
    "cli": _("Dòng lệnh"),
    "system": _("Hệ thống"),
}


def action_label(code: str) -> str:
    """The translated name of an audit action; an unknown code is shown as it is stored."""
    label = ACTION_LABELS.get(code)
    return str(label) if label is not None else code


def source_label(code: str) -> str:
    label = SOURCE_LABELS.get(code)
    return str(label) if label is not None else code
