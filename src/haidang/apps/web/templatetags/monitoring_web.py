"""Display helpers for the monitoring pages."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy as _

from haidang.apps.monitoring.models import SiteStatus
from haidang.apps.notify.models import Severity

register = template.Library()


@register.filter
def severity_label(code: str) -> str:
    """The Vietnamese name of a finding severity code (the overview carries codes, not choices)."""
    return str(Severity(code).label) if code in Severity.values else str(code or "")


@register.filter
def site_status_label(code: str) -> str:
    return str(SiteStatus(code).label) if code in SiteStatus.values else str(code or "")


PROBE_LABELS = {
    "desktop": _("Trình duyệt trên máy tính"),
    "mobile": _("Trình duyệt trên điện thoại"),
    "googlebot": _("Googlebot (máy tìm kiếm Google)"),
    "bingbot": _("Bingbot (máy tìm kiếm Bing)"),
    "referer_google": _("Người dùng đến từ google.com"),
    "referer_google_vn": _("Người dùng đến từ google.com.vn"),
    "mobile_from_google": _("Điện thoại đến từ Google"),
}


@register.filter
def probe_label(code: str) -> str:
    """Who the scanner pretended to be when it saw the finding (the scanner's probe names)."""
    return str(PROBE_LABELS.get(code, code))
