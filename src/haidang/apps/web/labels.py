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
    "duty_period.announce": _("Thông báo đợt trực"),
    "duty_period.update": _("Sửa đợt trực"),
    "roster.create": _("Lập lịch trực"),
    "roster.submit": _("Nộp lịch trực"),
    "roster.withdraw": _("Chuyển lịch trực về đang soạn"),
    "roster.import": _("Nhập lịch trực từ tệp"),
    "shift.create": _("Thêm ca trực"),
    "shift.update": _("Sửa ca trực"),
    "shift.delete": _("Xoá ca trực"),
    "handover.create": _("Ghi bàn giao ca trực"),
    "incident.create": _("Tiếp nhận sự cố"),
    "incident.update": _("Sửa thông tin sự cố"),
    "incident.status": _("Chuyển trạng thái sự cố"),
    "incident.assign": _("Giao xử lý sự cố"),
    "incident.beyond_capacity": _("Sự cố vượt khả năng xử lý, chuyển Sở"),
    "incident.escalate_national": _("Báo cáo sự cố cấp quốc gia"),
    "incident.note": _("Ghi chú sự cố"),
    "incident.task_add": _("Thêm nhiệm vụ xử lý sự cố"),
    "incident.task_done": _("Hoàn thành nhiệm vụ xử lý sự cố"),
    "incident.task_reopen": _("Mở lại nhiệm vụ xử lý sự cố"),
    "incident.attachment": _("Đính kèm tệp vào sự cố"),
    "incident.indicator": _("Thêm dấu hiệu nhận biết"),
    "incident.deadline_sent": _("Ghi nhận đã gửi báo cáo sự cố"),
    "incident.finding_repeat": _("Giám sát phát hiện lặp lại"),
    "incident.system_note": _("Ghi chú tự động của sự cố"),
    "user.create": _("Tạo tài khoản"),
    "user.set_password": _("Đặt lại mật khẩu"),
    "user.2fa_enable": _("Bật xác thực hai bước"),
    "user.2fa_disable": _("Tắt xác thực hai bước"),
    "token.create": _("Tạo mã truy cập API"),
    "token.revoke": _("Thu hồi mã truy cập API"),
    "alert.raise": _("Phát cảnh báo"),
    "alert.escalate": _("Chuyển cảnh báo lên cấp tiếp theo"),
    "alert.exhaust": _("Cảnh báo đã qua hết các cấp mà chưa ai xác nhận"),
    "alert.acknowledge": _("Xác nhận đã nhận cảnh báo"),
    "notification.send": _("Gửi thông báo"),
    "notification.read": _("Đánh dấu thông báo đã đọc"),
    "notification.read_all": _("Đánh dấu mọi thông báo đã đọc"),
    "notify_channel.create": _("Thêm kênh nhận thông báo"),
    "notify_channel.enable": _("Bật kênh nhận thông báo"),
    "notify_channel.disable": _("Tắt kênh nhận thông báo"),
    "notify_channel.delete": _("Xoá kênh nhận thông báo"),
    "notify_channel.test": _("Gửi thử qua kênh nhận thông báo"),
    "notice.create": _("Tạo thông báo công khai"),
    "notice.update": _("Sửa thông báo công khai"),
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
