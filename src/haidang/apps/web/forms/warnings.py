"""Forms of the vulnerability pages: the warning itself, the choice of units, a unit's report and evidence,
the feed uploads and the list filters.

A unit's page shows one report form per affected system, so those forms are built with an ``auto_id``
naming the system: the field names stay plain while the element ids do not clash.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haidang.apps.advisories.models import RemediationStatus, SecurityWarning, Severity
from haidang.apps.advisories.warning_services import WarningFields
from haidang.apps.incidents.attachments import ALLOWED_EXTENSIONS, max_bytes
from haidang.apps.registry.models import Unit, UnitGroup
from haidang.apps.web.forms.fields import datetime_field

ACCEPT = ",".join(f".{ext}" for ext in ALLOWED_EXTENSIONS)
#: What a unit may report; "open" is where every system starts, not a choice.
REPORTABLE = [
    (RemediationStatus.PATCHED.value, RemediationStatus.PATCHED.label),
    (RemediationStatus.MITIGATED.value, RemediationStatus.MITIGATED.label),
    (RemediationStatus.NOT_APPLICABLE.value, RemediationStatus.NOT_APPLICABLE.label),
    (RemediationStatus.RISK_ACCEPTED.value, RemediationStatus.RISK_ACCEPTED.label),
]
#: The fields of a warning, in the order of the form.
WARNING_FIELDS = (
    "number",
    "issued_on",
    "title",
    "cve_ids",
    "severity",
    "deadline",
    "summary",
    "action",
    "issuer",
    "issuer_parent",
    "signer_title",
    "signer_name",
)
_CVE_SPLIT = re.compile(r"[\s,;]+")


def system_auto_id(system_id: int, form: str) -> str:
    return f"{form}-{system_id}-%s"


def cve_text(cve_ids: tuple[str, ...] | list[str]) -> str:
    return "\n".join(cve_ids)


class WarningForm(forms.Form):
    number = forms.CharField(
        label=_("Số, ký hiệu"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: 125/CB-STTTT")}),
        help_text=_("Có thể để trống khi soạn; bắt buộc trước khi gửi."),
    )
    issued_on = forms.DateField(
        label=_("Ngày ban hành"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"required": _("Hãy nhập ngày."), "invalid": _("Ngày không hợp lệ; nhập theo dạng 31/08/2026.")},
    )
    title = forms.CharField(
        label=_("Trích yếu"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Cần trích yếu của cảnh báo.")},
    )
    cve_ids = forms.CharField(
        label=_("Mã CVE"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "vuln-input-mono", "spellcheck": "false"}),
        help_text=_("Mỗi dòng một mã, ví dụ CVE-2021-44228. Các mã phải có trong dữ liệu NVD/KEV đã nhập."),
        error_messages={"required": _("Cảnh báo cần ít nhất một mã CVE.")},
    )
    severity = forms.ChoiceField(label=_("Mức độ"), choices=Severity.choices)
    deadline = datetime_field(
        _("Hạn khắc phục"), _("Giờ Việt Nam. Gợi ý theo mức độ và danh mục KEV; đơn vị được nhắc trước hạn.")
    )
    summary = forms.CharField(
        label=_("Tóm tắt lỗ hổng"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Cần tóm tắt lỗ hổng và yêu cầu khắc phục.")},
    )
    action = forms.CharField(
        label=_("Yêu cầu khắc phục"),
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Cần tóm tắt lỗ hổng và yêu cầu khắc phục.")},
    )
    issuer = forms.CharField(
        label=_("Cơ quan ban hành"), max_length=255, required=False, help_text=_("Để trống để dùng tên của Sở.")
    )
    issuer_parent = forms.CharField(label=_("Cơ quan chủ quản"), max_length=255, required=False)
    signer_title = forms.CharField(
        label=_("Chức vụ người ký"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: PHÓ GIÁM ĐỐC")}),
    )
    signer_name = forms.CharField(label=_("Người ký"), max_length=200, required=False)

    def cve_list(self) -> tuple[str, ...]:
        text = self.cleaned_data.get("cve_ids") or ""
        return tuple(part for part in _CVE_SPLIT.split(text.upper()) if part)

    def fields_value(self) -> WarningFields:
        data = self.cleaned_data
        return WarningFields(
            title=data["title"],
            summary=data["summary"],
            action=data["action"],
            deadline=data["deadline"],
            severity=data["severity"],
            number=data.get("number") or "",
            issued_on=data["issued_on"],
            issuer=data.get("issuer") or "",
            issuer_parent=data.get("issuer_parent") or "",
            signer_title=data.get("signer_title") or "",
            signer_name=data.get("signer_name") or "",
            cve_ids=self.cve_list(),
        )

    @staticmethod
    def initial_from(fields: WarningFields) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(fields, name) for name in WARNING_FIELDS if name not in ("cve_ids", "deadline")
        }
        initial["cve_ids"] = cve_text(fields.cve_ids)
        initial["deadline"] = timezone.localtime(fields.deadline) if fields.deadline else None
        initial["issued_on"] = fields.issued_on or timezone.localdate()
        return initial

    @staticmethod
    def initial_for(warning: SecurityWarning) -> dict[str, Any]:
        initial = {name: getattr(warning, name) for name in WARNING_FIELDS if name not in ("cve_ids", "deadline")}
        initial["cve_ids"] = cve_text([v.cve_id for v in warning.vulnerabilities.all()])
        initial["deadline"] = timezone.localtime(warning.deadline)
        return initial

    @staticmethod
    def initial_blank(today: date | None = None) -> dict[str, Any]:
        return {"issued_on": today or timezone.localdate(), "severity": Severity.HIGH}


class SendForm(forms.Form):
    affected = forms.MultipleChoiceField(
        label=_("Đơn vị có hệ thống bị ảnh hưởng"), required=False, widget=forms.CheckboxSelectMultiple
    )
    groups = forms.MultipleChoiceField(
        label=_("Thêm cả khối đơn vị"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Mọi đơn vị đang hoạt động của khối; đơn vị không có hệ thống bị ảnh hưởng vẫn nhận để rà soát."),
    )
    units = forms.ModelMultipleChoiceField(
        label=_("Thêm từng đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Giữ Ctrl (⌘ trên máy Mac) để chọn nhiều; gõ chữ đầu của tên để nhảy tới."),
    )

    def __init__(
        self,
        *args: Any,
        affected: list[Unit],
        groups: QuerySet[UnitGroup],
        units: QuerySet[Unit],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"affected": [str(unit.id) for unit in affected]})
        super().__init__(*args, **kwargs)
        self.fields["affected"].choices = [(str(unit.id), unit.name) for unit in affected]  # type: ignore[attr-defined]
        self.fields["groups"].choices = [  # type: ignore[attr-defined]
            (
                group.code,
                _("%(name)s (%(count)s đơn vị)") % {"name": group.name, "count": getattr(group, "unit_count", 0)},
            )
            for group in groups
        ]
        self.fields["units"].queryset = units  # type: ignore[attr-defined]
        self.fields["units"].label_from_instance = lambda unit: f"{unit.name} — {unit.group.name}"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not any(data.get(name) for name in ("affected", "groups", "units")):
            raise forms.ValidationError(_("Chọn ít nhất một đơn vị nhận cảnh báo."))
        return data

    def chosen(self) -> tuple[list[int], list[str]]:
        """(unit ids, group codes) as chosen; the view expands the groups into their active units."""
        data = self.cleaned_data
        ids = [int(value) for value in data["affected"]] + [unit.id for unit in data["units"]]
        return list(dict.fromkeys(ids)), list(data["groups"])


class SystemReportForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Kết quả khắc phục"),
        choices=REPORTABLE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Chọn kết quả khắc phục."), "invalid_choice": _("Chọn kết quả khắc phục.")},
    )
    fixed_version = forms.CharField(
        label=_("Phiên bản sau khi vá"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"class": "vuln-input-mono", "spellcheck": "false", "placeholder": "2.17.1"}),
        help_text=_("Bắt buộc khi chọn “Đã vá”: nền tảng đối chiếu lại phiên bản này."),
    )
    note = forms.CharField(
        label=_("Giải trình"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Đã làm gì; bắt buộc với giảm thiểu, không bị ảnh hưởng, chấp nhận rủi ro."),
        error_messages={"max_length": _("Giải trình tối đa 5.000 ký tự.")},
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp minh chứng"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text=_("Ảnh chụp màn hình, PDF, DOCX, XLSX, ZIP hoặc tệp văn bản."),
        error_messages={"empty": _("Tệp được chọn đang trống.")},
    )
    url = forms.CharField(
        label=_("hoặc đường dẫn"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"type": "url", "inputmode": "url", "placeholder": "https://"}),
        error_messages={"max_length": _("Đường dẫn tối đa 1.000 ký tự.")},
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
        if not self.errors and bool(data.get("file")) == bool((data.get("url") or "").strip()):
            raise forms.ValidationError(_("Mỗi minh chứng là một tệp hoặc một đường dẫn."))
        return data


class WarningFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm theo số, trích yếu hoặc mã CVE"),
        max_length=100,
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Ví dụ: 125/CB, CVE-2021-44228")}),
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Mọi trạng thái")), *SecurityWarning._meta.get_field("status").choices],  # type: ignore[misc]
    )

    def values(self) -> dict[str, str]:
        self.is_valid()
        data = self.cleaned_data
        return {"search": (data.get("q") or "").strip(), "status": data.get("status") or ""}


class AdvisoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm theo mã CVE hoặc mô tả"),
        max_length=100,
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Ví dụ: CVE-2021-44228, log4j")}),
    )
    kev = forms.BooleanField(label=_("Chỉ lỗ hổng đang bị khai thác (KEV)"), required=False)

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = self.cleaned_data
        return {"search": (data.get("q") or "").strip(), "kev_only": bool(data.get("kev"))}


class ExposureFilterForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none(), required=False)
    kev = forms.BooleanField(label=_("Chỉ lỗ hổng đang bị khai thác (KEV)"), required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        field.queryset = units  # type: ignore[attr-defined]
        field.empty_label = _("Mọi đơn vị")  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        self.is_valid()
        data = self.cleaned_data
        return {"unit": data.get("unit"), "kev": bool(data.get("kev"))}


class FeedUploadForm(forms.Form):
    kind = forms.ChoiceField(choices=[("nvd", "NVD"), ("kev", "KEV")], widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("Tệp dữ liệu"),
        error_messages={"required": _("Hãy chọn tệp để nhập."), "empty": _("Tệp được chọn đang trống.")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.HAIDANG_FEED_UPLOAD_MAX_BYTES
        if upload is not None and upload.size is not None and upload.size > limit:
            raise forms.ValidationError(
                _(
                    "Tệp quá lớn (%(size)s MB); tối đa %(limit)s MB. "
                    "Tệp lớn hơn hãy nhập bằng lệnh haidang advisories import."
                )
                % {"size": upload.size // (1024 * 1024), "limit": limit // (1024 * 1024)}
            )
        return upload
