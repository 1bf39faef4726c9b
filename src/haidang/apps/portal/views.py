"""The public portal: no sign-in, Vietnamese, and nothing private.

Views show only what the incidents and duty apps hand out for the public (``PublicReceipt``,
``PublicReportStatus``, ``PublicDutyContact``) and published notices. Every page carries a strict
Content-Security-Policy (no scripts at all) and is never cached by shared caches.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from haidang.apps.duty.selectors import department_contact_now
from haidang.apps.incidents.selectors import public_report_status
from haidang.apps.incidents.services import incident_report_public
from haidang.apps.portal import abuse
from haidang.apps.portal.forms import PublicReportForm, StatusLookupForm
from haidang.apps.portal.models import PublicNotice
from haidang.apps.portal.selectors import notice_published_get, notice_published_list

V = TypeVar("V", bound=Callable[..., HttpResponse])

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "style-src 'self'",
        "img-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    )
)
RECEIPT_SESSION_KEY = "portal_receipt"
KIND_LABELS = {"incident": gettext_lazy("Báo cáo sự cố an toàn thông tin"), "scam": gettext_lazy("Phản ánh lừa đảo")}
TOKEN_MESSAGES = {
    abuse.TokenProblem.TOO_FAST: gettext_lazy(
        "Biểu mẫu được gửi quá nhanh sau khi mở. Vui lòng kiểm tra lại nội dung rồi bấm Gửi lần nữa."
    ),
    abuse.TokenProblem.EXPIRED: gettext_lazy(
        "Biểu mẫu đã hết hạn. Nội dung bạn nhập vẫn còn bên dưới: vui lòng bấm Gửi lần nữa."
    ),
    abuse.TokenProblem.MISSING: gettext_lazy("Biểu mẫu không hợp lệ hoặc đã hết hạn. Vui lòng bấm Gửi lần nữa."),
    abuse.TokenProblem.REUSED: gettext_lazy(
        "Biểu mẫu này đã được gửi. Vui lòng bấm Gửi lần nữa nếu bạn muốn gửi phản ánh mới."
    ),
}


def public_page(view: V) -> V:
    """Strict CSP, no caching by anyone but the visitor's browser, no referrer to other sites."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        response["Referrer-Policy"] = "same-origin"  # "no-referrer" makes browsers send Origin: null, failing CSRF
        response.setdefault("Cache-Control", "private, no-cache")
        return response

    return cast("V", wrapped)


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@public_page
@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    context = {
        "hotline": settings.HAIDANG_HOTLINE,
        "duty": department_contact_now(),
        "notices": notice_published_list()[:5],
    }
    return render(request, "portal/home.html", context)


@public_page
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        kind = request.GET.get("kind", "")
        form = PublicReportForm(initial={"kind": kind} if kind in ("incident", "scam") else None)
        return _report_page(request, form)
    if _declared_length(request) > abuse.MAX_REQUEST_BYTES:
        return _no_store(render(request, "portal/too_large.html", status=413))
    address = abuse.client_ip(request)
    form = PublicReportForm(request.POST, request.FILES)
    valid = form.is_valid()
    refusal, status = _refusal(request, address)
    if refusal:
        form.add_error(None, refusal)
        return _report_page(request, form, status=status)
    if not valid:
        return _report_page(request, form, status=400)
    abuse.spend(abuse.reports_limit(), address)
    data = form.cleaned_data
    try:
        receipt = incident_report_public(
            kind=data["kind"],
            reporter_name=data["reporter_name"],
            reporter_contact=data["reporter_contact"],
            subject_url=data["subject_url"],
            description=form.full_description(),
            attachments=data["attachments"],
            client_ip=address,
        )
    except ValidationError as exc:
        _add_errors(form, exc)
        return _report_page(request, form, status=400)
    request.session[RECEIPT_SESSION_KEY] = {"code": receipt.tracking_code, "kind": str(KIND_LABELS[data["kind"]])}
    return redirect("portal:receipt")


def _declared_length(request: HttpRequest) -> int:
    """The request's Content-Length; a malformed one counts as too large rather than crashing."""
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return abuse.MAX_REQUEST_BYTES + 1


def _refusal(request: HttpRequest, address: str) -> tuple[str, int]:
    """Why this submission is refused before it is even looked at (bot, replay, flood), or ("", 200)."""
    if request.POST.get("website", "").strip():
        return _("Không thể tiếp nhận phản ánh này. Nếu bạn cần hỗ trợ, hãy gọi đường dây nóng."), 400
    problem = abuse.check_form_token(request.POST.get("form_token", ""))
    if problem is not None:
        return str(TOKEN_MESSAGES[problem]), 400
    if abuse.is_limited(abuse.reports_limit(), address):
        message = _("Bạn đã gửi nhiều phản ánh trong một giờ qua. Vui lòng thử lại sau hoặc gọi đường dây nóng.")
        return message, 429
    return "", 200


def _add_errors(form: PublicReportForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _report_page(request: HttpRequest, form: PublicReportForm, status: int = 200) -> HttpResponse:
    files_lost = request.method == "POST" and bool(request.FILES)
    context = {
        "form": form,
        "form_token": abuse.issue_form_token(),
        "files_lost": files_lost,
        "hotline": settings.HAIDANG_HOTLINE,
    }
    return _no_store(render(request, "portal/report.html", context, status=status))


@public_page
@require_http_methods(["GET"])
def receipt(request: HttpRequest) -> HttpResponse:
    """The tracking code, shown once: it leaves the session as it is shown."""
    shown = request.session.pop(RECEIPT_SESSION_KEY, None)
    if not isinstance(shown, dict):
        return redirect("portal:status")
    return _no_store(render(request, "portal/receipt.html", {"code": shown.get("code", ""), "kind": shown.get("kind")}))


@public_page
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """Look up a report by its tracking code. POST only, so codes stay out of URLs and server logs."""
    form = StatusLookupForm(request.POST if request.method == "POST" else None)
    result, not_found, code = None, False, 200
    if request.method == "POST" and form.is_valid():
        if not abuse.spend(abuse.lookups_limit(), abuse.client_ip(request)):
            form.add_error(None, _("Bạn đã tra cứu quá nhiều lần trong một giờ qua. Vui lòng thử lại sau."))
            code = 429
        else:
            result = public_report_status(form.cleaned_data["code"])
            not_found = result is None
    context = {"form": form, "result": result, "not_found": not_found}
    return _no_store(render(request, "portal/status.html", context, status=code))


@public_page
@require_http_methods(["GET", "HEAD"])
def notice_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(notice_published_list(), 20).get_page(request.GET.get("page"))
    return render(request, "portal/notice_list.html", {"page": page, "notices": page.object_list})


@public_page
@require_http_methods(["GET", "HEAD"])
def notice_detail(request: HttpRequest, notice_id: int) -> HttpResponse:
    try:
        notice = notice_published_get(notice_id)
    except PublicNotice.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "portal/notice_detail.html", {"notice": notice})
