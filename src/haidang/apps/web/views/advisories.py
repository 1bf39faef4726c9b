"""The vulnerability pages: the CVE records (NVD, CISA KEV), their imports, the affected systems, the review list.

The records are public data that every signed-in role may read; which unit's systems are shown as
affected is decided by the warning selectors. Importing, matching the inventory again and the review
list are the department's.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from haidang.apps.accounts.models import User
from haidang.apps.advisories import matching, selectors, services
from haidang.apps.advisories import warning_selectors as warnings
from haidang.apps.advisories.models import FeedImport, FeedSource, MatchRun, Vulnerability
from haidang.apps.advisories.tasks import refresh_exposures
from haidang.apps.registry.models import InformationSystem, Unit, Website
from haidang.apps.registry.selectors import unit_list
from haidang.apps.web.access import signed_in, user_of
from haidang.apps.web.forms.warnings import AdvisoryFilterForm, ExposureFilterForm, FeedUploadForm

PAGE_SIZE = 30
_CVE = re.compile(r"CVE-[0-9]{4}-[0-9]{4,}")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
REVIEW_LIMIT = 500
#: What each review reason of the matcher means, for the review list.
REVIEW_REASONS = {
    "ambiguous_product": gettext_lazy("Tên sản phẩm khớp nhiều sản phẩm trong NVD"),
    "unknown_product": gettext_lazy("Không nhận ra sản phẩm"),
    "awaiting_analysis": gettext_lazy("CVE chờ NVD phân tích, có nhắc tới sản phẩm"),
    "needs_platform": gettext_lazy("Chỉ bị ảnh hưởng khi chạy trên nền tảng cụ thể"),
    "unparseable_version": gettext_lazy("Không đọc được phiên bản"),
}


def _require_manager(user: User) -> None:
    if not warnings.can_manage(user):
        raise PermissionDenied(_("Chỉ quản trị và cán bộ trực của Sở được thực hiện thao tác này."))


def _last_run() -> MatchRun | None:
    return selectors.last_match_run()


# --- the list ----------------------------------------------------------------------------------


@dataclass
class VulnerabilityRow:
    vulnerability: Vulnerability
    units: int
    systems: int


@dataclass
class SourceLine:
    source: str
    label: str
    last: FeedImport | None


def _rows(user: User, vulnerabilities: list[Vulnerability]) -> list[VulnerabilityRow]:
    counts = {
        row["vulnerability_id"]: row
        for row in warnings.exposure_list(visible_to=user)
        .filter(vulnerability_id__in=[v.id for v in vulnerabilities])
        .values("vulnerability_id")
        .annotate(units=Count("unit_id", distinct=True), systems=Count("id"))
        .order_by()
    }
    return [
        VulnerabilityRow(v, counts.get(v.id, {}).get("units", 0), counts.get(v.id, {}).get("systems", 0))
        for v in vulnerabilities
    ]


@signed_in
@require_safe
def advisory_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = AdvisoryFilterForm(request.GET or None)
    values = form.values() if form.is_bound else {"search": "", "kev_only": False}
    page = Paginator(selectors.vulnerability_list(**values), PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = warnings.can_manage(user)
    context = {
        "form": form,
        "page": page,
        "rows": _rows(user, list(page.object_list)),
        "total": page.paginator.count,
        "filtered": any(values.values()),
        "can_manage": can_manage,
        "city_wide": user.is_city_wide,
        "sources": [SourceLine(s.value, str(s.label), selectors.last_successful_import(s.value)) for s in FeedSource],
        "run": _last_run(),
        "nvd_form": FeedUploadForm(initial={"kind": "nvd"}, auto_id="nvd-%s"),
        "kev_form": FeedUploadForm(initial={"kind": "kev"}, auto_id="kev-%s"),
        "imports": selectors.import_list(limit=5) if can_manage else [],
    }
    return render(request, "web/advisories/list.html", context)


def _import(kind: str, upload: UploadedFile, user: User) -> FeedImport:
    """Write the upload to a temporary file (the importers stream from a path) and import it.

    The file keeps the uploaded name (made safe), which the import run records.
    """
    name = _SAFE_NAME.sub("_", Path(upload.name or "").name)[-120:].lstrip(".") or f"{kind}.json"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        if kind == "nvd":
            return services.import_nvd_file(path=path, actor=user, file_name=name)
        return services.import_kev_file(path_or_bytes=path, actor=user, file_name=name)


@signed_in
@require_POST
def advisory_import(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require_manager(user)
    form = FeedUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file") or [_("Tệp tải lên không hợp lệ.")]:
            messages.error(request, str(error))
        return redirect("web:advisory_list")
    result = _import(form.cleaned_data["kind"], form.cleaned_data["file"], user)
    if result.ok:
        # The inventory is matched again in the background (a full match can take a while).
        transaction.on_commit(refresh_exposures.delay)
        messages.success(request, result.message + " " + _("Kiểm kê sẽ được đối chiếu lại trong giây lát."))
    else:
        messages.error(
            request,
            _("Không nhập được tệp %(name)s: %(message)s") % {"name": result.file_name, "message": result.message},
        )
    return redirect("web:advisory_list")


@signed_in
@require_POST
def advisory_refresh(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require_manager(user)
    run = matching.exposures_refresh(actor=user)
    messages.success(
        request,
        _(
            "Đã đối chiếu %(rows)s dòng kiểm kê với dữ liệu lỗ hổng: %(matches)s cặp hệ thống – CVE, "
            "%(opened)s mới phát hiện, %(closed)s không còn ảnh hưởng, %(review)s cần xem xét."
        )
        % {
            "rows": run.rows,
            "matches": run.matches,
            "opened": run.opened,
            "closed": run.closed,
            "review": run.review_total,
        },
    )
    return redirect("web:advisory_list")


# --- one record --------------------------------------------------------------------------------


@dataclass
class UnitExposures:
    name: str
    unit_id: int
    targets: list[Any]


def _by_unit(exposures: list[Any]) -> list[UnitExposures]:
    grouped: dict[int, UnitExposures] = {}
    for exposure in exposures:
        line = grouped.setdefault(exposure.unit_id, UnitExposures(exposure.unit.name, exposure.unit_id, []))
        line.targets.append(exposure)
    return list(grouped.values())


def _references(vulnerability: Vulnerability) -> list[tuple[str, bool]]:
    """Each reference with whether it may be a link (only http and https are)."""
    return [
        (str(ref), str(ref).lower().startswith(("https://", "http://")))
        for ref in vulnerability.references or []
        if isinstance(ref, str)
    ]


@signed_in
@require_safe
def advisory_detail(request: HttpRequest, cve_id: str) -> HttpResponse:
    user = user_of(request)
    vulnerability = selectors.vulnerability_get(cve_id)
    if vulnerability is None:
        raise Http404
    exposures = list(
        warnings.exposure_list(visible_to=user).filter(vulnerability=vulnerability).order_by("unit__name", "id")
    )
    context = {
        "v": vulnerability,
        "references": _references(vulnerability),
        "units": _by_unit(exposures),
        "exposure_count": len(exposures),
        "warnings": list(warnings.warning_list(visible_to=user).filter(vulnerabilities=vulnerability)[:50]),
        "can_manage": warnings.can_manage(user),
        "city_wide": user.is_city_wide,
    }
    return render(request, "web/advisories/detail.html", context)


# --- affected systems and the review list ------------------------------------------------------


@signed_in
@require_safe
def exposure_list_view(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    units = unit_list(visible_to=user).order_by("group__order", "name")
    form = ExposureFilterForm(request.GET or None, units=units)
    values = form.values() if form.is_bound else {"unit": None, "kev": False}
    exposures = warnings.exposure_list(visible_to=user).order_by(
        "-vulnerability__in_kev", "unit__name", "vulnerability__cve_id", "id"
    )
    if values["unit"] is not None:
        exposures = exposures.filter(unit=values["unit"])
    if values["kev"]:
        exposures = exposures.filter(vulnerability__in_kev=True)
    page = Paginator(exposures, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "total": page.paginator.count,
        "filtered": values["unit"] is not None or values["kev"],
        "can_manage": warnings.can_manage(user),
        "city_wide": user.is_city_wide,
    }
    return render(request, "web/advisories/exposures.html", context)


@dataclass
class ReviewLine:
    unit: str
    system: str
    reason: str
    cve: str
    software: str
    candidates: str


def _review_lines(run: MatchRun) -> list[ReviewLine]:
    items = [item for item in run.review[:REVIEW_LIMIT] if isinstance(item, dict)]
    unit_ids = {int(i["unit"]) for i in items if str(i.get("unit", "")).isdigit()}
    units = dict(Unit.objects.filter(id__in=unit_ids).values_list("id", "name"))
    keys = {str(i.get("system", "")) for i in items}
    systems = dict(
        InformationSystem.objects.filter(
            id__in=[int(k[1:]) for k in keys if k[:1] == "s" and k[1:].isdigit()]
        ).values_list("id", "name")
    )
    sites = dict(
        Website.objects.filter(id__in=[int(k[1:]) for k in keys if k[:1] == "w" and k[1:].isdigit()]).values_list(
            "id", "url"
        )
    )

    def target(key: str) -> str:
        if key[1:].isdigit():
            return str((systems if key[:1] == "s" else sites).get(int(key[1:]), key))
        return key

    lines = []
    for item in items:
        unit = str(item.get("unit", ""))
        candidates = item.get("candidates") or []
        lines.append(
            ReviewLine(
                unit=str(units.get(int(unit), unit)) if unit.isdigit() else unit,
                system=target(str(item.get("system", ""))),
                reason=str(REVIEW_REASONS.get(str(item.get("reason", "")), item.get("reason", ""))),
                cve=cve if _CVE.fullmatch(cve := str(item.get("cve", ""))) else "",
                software=" ".join(str(item.get(k, "")) for k in ("vendor", "product", "version")).strip(),
                candidates=", ".join(str(c) for c in candidates[:5]) if isinstance(candidates, list) else "",
            )
        )
    return lines


@signed_in
@require_safe
def match_review(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    _require_manager(user)
    run = _last_run()
    context = {
        "run": run,
        "lines": _review_lines(run) if run is not None else [],
        "limit": REVIEW_LIMIT,
        "can_manage": True,
        "city_wide": True,
    }
    return render(request, "web/advisories/review.html", context)
