"""The HTTP API under /api/v1/: one NinjaAPI, the apps' routers, and how errors are answered.

Every failure a client can cause is a 4xx JSON ``{"detail": "...", "errors": {...}}`` in the
request's language (Vietnamese by default): a bad token 401, no right 403, not found or not visible
404, a duplicate 409, invalid data 400 (model rules) or 422 (shape of the request).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import Operation

from haidang.apps.accounts import api as accounts_api
from haidang.apps.audit import api as audit_api
from haidang.apps.duty import api as duty_api
from haidang.apps.incidents import api as incidents_api
from haidang.apps.monitoring import api as monitoring_api
from haidang.apps.notify import api as notify_api
from haidang.apps.registry import api as registry_api


class HaiDangAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        # View names are unique across the API (`websites_create`), shorter than module paths.
        return operation.view_func.__name__


api = HaiDangAPI(
    title="Hải Đăng API",
    version="1",
    description=(
        "API của nền tảng Hải Đăng. Xác thực: `Authorization: Bearer <token>` (tạo bằng `haidang token create`). "
        'Danh sách trả về `{"items": [...], "count": N}`, phân trang bằng `limit` và `offset`. '
        'Lỗi trả về `{"detail": "...", "errors": {"trường": ["thông báo"]}}`.'
    ),
    urls_namespace="api",
    auth=accounts_api.BearerAuth(),
    # Swagger UI is served from Ninja's bundled static files; no validator badge calling out.
    docs=Swagger(settings={"persistAuthorization": True, "validatorUrl": None}),
)

api.add_router("", accounts_api.router)
for _router in registry_api.routers:
    api.add_router("", _router)
api.add_router("", audit_api.router)
api.add_router("", duty_api.router)
api.add_router("", incidents_api.router)
api.add_router("", notify_api.router)
api.add_router("", monitoring_api.router)
api.add_router("", "haidang.apps.directives.api.router")
api.add_router("", "haidang.apps.advisories.api.router")


# --- error answers -----------------------------------------------------------------------------

#: Model field names as the API spells them.
_API_FIELD = {"unit": "unit_id", "system": "system_id", "operator": "operator_id", NON_FIELD_ERRORS: "__all__"}
_DUPLICATE_CODES = frozenset({"unique", "unique_together"})


def _error(request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


def _django_errors(exc: DjangoValidationError) -> tuple[dict[str, list[str]], set[str | None]]:
    """Return ``{api_field: [messages]}`` and the set of error codes in ``exc``."""
    if hasattr(exc, "error_dict"):
        errors = {_API_FIELD.get(name, name): messages for name, messages in exc.message_dict.items()}
        codes = {error.code for field_errors in exc.error_dict.values() for error in field_errors}
        return errors, codes
    return {"__all__": exc.messages}, {error.code for error in exc.error_list}


@api.exception_handler(DjangoValidationError)
def on_invalid(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    errors, codes = _django_errors(exc)
    first = next((messages[0] for messages in errors.values() if messages), _("Dữ liệu không hợp lệ."))
    if codes and codes <= _DUPLICATE_CODES:
        return _error(request, 409, first, errors)
    return _error(request, 400, first, errors)


@api.exception_handler(IntegrityError)
def on_conflict(request: HttpRequest, exc: IntegrityError) -> HttpResponse:
    # Reached only when two requests race past full_clean(); the database constraint decides.
    return _error(request, 409, _("Dữ liệu trùng với một bản ghi đã có (ví dụ địa chỉ trang web đã được đăng ký)."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))


@api.exception_handler(ObjectDoesNotExist)
def on_missing(request: HttpRequest, exc: ObjectDoesNotExist) -> HttpResponse:
    # The same answer whether the object does not exist or belongs to someone else.
    return _error(request, 404, _("Không tìm thấy đối tượng, hoặc bạn không có quyền xem."))


@api.exception_handler(Http404)
def on_http404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("Không tìm thấy đối tượng, hoặc bạn không có quyền xem."))


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _error(
        request, 401, _("Chưa xác thực: hãy gửi mã truy cập còn hiệu lực trong tiêu đề “Authorization: Bearer <mã>”.")
    )
    response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    messages = {
        400: _("Không đọc được nội dung yêu cầu: cần JSON hợp lệ, mã hoá UTF-8."),
        429: _("Quá nhiều yêu cầu, hãy thử lại sau."),
    }
    return _error(request, exc.status_code, messages.get(exc.status_code, str(exc)))


@api.exception_handler(RequestDataTooBig)
def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return _error(request, 413, _("Nội dung yêu cầu quá lớn."))


@api.exception_handler(NinjaValidationError)
def on_malformed(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_request_field(error.get("loc", ())), []).append(_pydantic_message(error))
    field, messages = next(iter(errors.items()), ("__all__", [_("Dữ liệu không hợp lệ.")]))
    detail = _("Dữ liệu gửi lên không hợp lệ (%(field)s: %(message)s)") % {"field": field, "message": messages[0]}
    return _error(request, 422, detail, errors)


def _request_field(loc: Any) -> str:
    """``["body", "payload", "url"]`` → ``url``; ``["query", "limit"]`` → ``limit``."""
    parts = [str(part) for part in loc]
    if parts[:2] == ["body", "payload"]:
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def _pydantic_message(error: dict[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    messages = {
        "missing": _("Thiếu trường bắt buộc."),
        "int_parsing": _("Phải là số nguyên."),
        "int_type": _("Phải là số nguyên."),
        "bool_parsing": _("Phải là true hoặc false."),
        "bool_type": _("Phải là true hoặc false."),
        "string_type": _("Phải là chuỗi ký tự."),
        "string_unicode": _("Phải là chuỗi Unicode hợp lệ."),
        "date_from_datetime_parsing": _("Phải là ngày theo dạng YYYY-MM-DD."),
        "date_parsing": _("Phải là ngày theo dạng YYYY-MM-DD."),
        "enum": _("Phải là một trong: %(expected)s.") % {"expected": ctx.get("expected", "")},
        "literal_error": _("Phải là một trong: %(expected)s.") % {"expected": ctx.get("expected", "")},
        "string_too_long": _("Dài quá %(max)s ký tự.") % {"max": ctx.get("max_length", "")},
        "greater_than_equal": _("Phải lớn hơn hoặc bằng %(ge)s.") % {"ge": ctx.get("ge", "")},
        "less_than_equal": _("Phải nhỏ hơn hoặc bằng %(le)s.") % {"le": ctx.get("le", "")},
        "model_attributes_type": _("Nội dung phải là một đối tượng JSON."),
        "dict_type": _("Nội dung phải là một đối tượng JSON."),
        "value_error": str(ctx.get("error", error.get("msg", ""))),
    }
    return messages.get(kind) or str(error.get("msg", _("Giá trị không hợp lệ.")))
