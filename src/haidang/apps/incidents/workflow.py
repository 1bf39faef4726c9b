"""The status workflow: which move is allowed from which status, and what its button says."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haidang.apps.incidents.models import Status

#: status → the statuses it may move to, with the Vietnamese label of the button that does it.
TRANSITIONS: dict[str, tuple[tuple[str, Promise], ...]] = {
    Status.NEW: (
        (Status.TRIAGED, _("Tiếp nhận, phân loại")),
        (Status.IN_PROGRESS, _("Bắt đầu xử lý ngay")),
        (Status.CLOSED, _("Đóng (không phải sự cố / trùng lặp)")),
    ),
    Status.TRIAGED: (
        (Status.IN_PROGRESS, _("Bắt đầu xử lý")),
        (Status.CLOSED, _("Đóng (không phải sự cố / trùng lặp)")),
    ),
    Status.IN_PROGRESS: ((Status.RESOLVED, _("Đã khắc phục xong")),),
    Status.RESOLVED: (
        (Status.CLOSED, _("Đóng sự cố")),
        (Status.IN_PROGRESS, _("Mở lại")),
    ),
    Status.CLOSED: ((Status.IN_PROGRESS, _("Mở lại")),),
}


def allowed_targets(status: str) -> list[tuple[str, Promise]]:
    return list(TRANSITIONS.get(status, ()))


def is_allowed(current: str, target: str) -> bool:
    return any(to == target for to, _label in TRANSITIONS.get(current, ()))
