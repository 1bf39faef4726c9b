"""Advisories: the vulnerability records imported from NVD and the CISA KEV catalogue, and each import run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MAX_DESCRIPTION = 10_000
MAX_REFERENCES = 50
MAX_MESSAGE = 2_000
#: Compact JSON of the configurations above this many characters is not stored (see ``configurations_oversize``).
MAX_CONFIGURATIONS_CHARS = 2_000_000


class FeedSource(models.TextChoices):
    NVD_FILE = "nvd_file", _("Tệp NVD")
    KEV_FILE = "kev_file", _("Tệp KEV")
    NVD_API = "nvd_api", _("API NVD")
    KEV_URL = "kev_url", _("Danh mục KEV trực tuyến")


class Vulnerability(models.Model):
    """One CVE as the feeds last described it. Public data: every signed-in role may read it."""

    cve_id = models.CharField(_("mã CVE"), max_length=32, unique=True)
    status = models.CharField(_("trạng thái NVD"), max_length=100, blank=True)
    published = models.DateTimeField(_("ngày công bố"), null=True, blank=True)
    # NVD's lastModified: an import never replaces a record with an older one.
    last_modified = models.DateTimeField(_("NVD cập nhật lúc"), null=True, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    cvss_score = models.DecimalField(_("điểm CVSS"), max_digits=3, decimal_places=1, null=True, blank=True)
    cvss_severity = models.CharField(_("mức độ CVSS"), max_length=16, blank=True)
    cwes = models.JSONField(_("CWE"), default=list, blank=True)
    references = models.JSONField(_("tham chiếu"), default=list, blank=True)
    # The NVD configurations in the compact form of ``advisories.configurations``, enough to rebuild
    # the applicability matcher without the original feed file.
    configurations = models.JSONField(_("cấu hình bị ảnh hưởng"), default=list, blank=True)
    configurations_oversize = models.BooleanField(_("cấu hình quá lớn, không lưu"), default=False)
    in_kev = models.BooleanField(_("đang bị khai thác (KEV)"), default=False)
    kev_date_added = models.DateField(_("ngày đưa vào KEV"), null=True, blank=True)
    kev_due_date = models.DateField(_("hạn khắc phục theo KEV"), null=True, blank=True)
    kev_required_action = models.TextField(_("hành động yêu cầu (KEV)"), blank=True)
    kev_ransomware = models.BooleanField(_("bị dùng trong mã hoá tống tiền"), default=False)
    sources = models.JSONField(_("nguồn"), default=list, blank=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("lỗ hổng")
        verbose_name_plural = _("lỗ hổng")
        indexes = [
            models.Index(fields=["in_kev"], name="advisories_vuln_in_kev"),
            models.Index(fields=["-published"], name="advisories_vuln_published"),
        ]

    def __str__(self) -> str:
        return self.cve_id


class FeedImport(models.Model):
    """One import run of one feed file or download, successful or not."""

    source = models.CharField(_("nguồn"), max_length=16, choices=FeedSource.choices)
    started_at = models.DateTimeField(_("bắt đầu"))
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    ok = models.BooleanField(_("thành công"), default=False)
    file_name = models.CharField(_("tệp"), max_length=255, blank=True)
    records_read = models.PositiveIntegerField(_("số bản ghi đọc được"), default=0)
    created = models.PositiveIntegerField(_("thêm mới"), default=0)
    updated = models.PositiveIntegerField(_("cập nhật"), default=0)
    unchanged = models.PositiveIntegerField(_("không đổi"), default=0)
    skipped = models.PositiveIntegerField(_("bỏ qua"), default=0)
    message = models.TextField(_("thông báo"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("lần nhập dữ liệu lỗ hổng")
        verbose_name_plural = _("các lần nhập dữ liệu lỗ hổng")
        indexes = [models.Index(fields=["source", "ok", "-finished_at"], name="advisories_import_last")]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'lỗi'}"
