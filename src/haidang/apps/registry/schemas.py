"""What the registry API accepts and returns.

Input strings are only bounded and cleaned here (no NUL byte, a sane maximum size); the real
rules (URL shape, domain syntax, field lengths, uniqueness) live in the models and services, so the
API and the web forms give the same Vietnamese messages.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal
from urllib.parse import urlsplit

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import AfterValidator, StringConstraints

from haidang.apps.registry.models import Hosting, Unit

#: Largest id a 64-bit signed database column holds; bigger numbers are rejected before any query.
MAX_ID = 2**63 - 1


def _reject_nul(value: str) -> str:
    # PostgreSQL refuses NUL in text; refusing it here turns a would-be 500 into a 422.
    if "\x00" in value:
        raise ValueError("không được chứa ký tự NUL")
    return value


def _splittable_url(value: str) -> str:
    # registry.validators.validate_http_url calls urlsplit(), which raises ValueError (not a
    # ValidationError) on input such as "http://[::1"; refuse that shape here instead of a 500.
    try:
        urlsplit(value)
    except ValueError as exc:
        raise ValueError("địa chỉ URL không đúng cú pháp") from exc
    return value


#: Free text from a client: at most 10,000 characters, never a NUL byte. Models enforce real lengths.
Text = Annotated[str, StringConstraints(max_length=10_000), AfterValidator(_reject_nul)]
#: A search term in a query string: short enough for any database's LIKE.
SearchText = Annotated[str, StringConstraints(max_length=200, strip_whitespace=True), AfterValidator(_reject_nul)]
#: A URL as typed by a client; its rules (http/https, no credentials, unique) are the model's.
UrlText = Annotated[Text, AfterValidator(_splittable_url)]
#: The id of a stored object.
ObjectId = Annotated[int, Field(ge=1, le=MAX_ID)]


class Pagination(LimitOffsetPagination):
    """Ninja's limit/offset, with the offset bounded so a huge number is a 422, not a database error."""

    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE,
            ge=1,
            le=settings.NINJA_PAGINATION_MAX_LIMIT,
            description="Số mục mỗi trang.",
        )
        offset: int = Field(0, ge=0, le=MAX_ID, description="Bỏ qua bao nhiêu mục đầu.")


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


# --- filters -----------------------------------------------------------------------------------


class UnitFilters(Schema):
    group: SearchText = Field("", description="Mã khối đơn vị, ví dụ `state_agency_city`.")
    search: SearchText = Field("", description="Tìm theo tên hoặc mã viết tắt.")
    status: Literal["active", "merged", "dissolved", "all"] = Field("active", description="Trạng thái đơn vị.")


class UnitScopedFilters(Schema):
    unit_id: ObjectId | None = Field(None, description="Chỉ lấy của một đơn vị.")


class OrganizationFilters(Schema):
    kind: Literal["telecom", "provider"] | None = Field(None, description="Loại tổ chức.")


# --- units -------------------------------------------------------------------------------------


class UnitGroupRef(Schema):
    code: str
    name: str


class UnitGroupOut(UnitGroupRef):
    order: int
    unit_count: int = Field(description="Số đơn vị đang hoạt động trong khối.")


class ContactOut(Schema):
    name: str
    email: str
    phone: str


class UnitOut(Schema):
    id: int
    name: str
    short_code: str
    group: UnitGroupRef
    number: int | None
    status: str
    successor_id: int | None
    parent_id: int | None
    address: str
    contacts: list[ContactOut]
    system_count: int
    website_count: int
    domain_count: int

    @staticmethod
    def resolve_contacts(obj: Unit) -> list[dict[str, str]]:
        contact = {"name": obj.contact_name, "email": obj.contact_email, "phone": obj.contact_phone}
        return [contact] if any(contact.values()) else []


# --- organisations -----------------------------------------------------------------------------


class OrganizationOut(Schema):
    id: int
    kind: str
    name: str
    short_code: str
    contact_name: str
    contact_email: str
    contact_phone: str
    is_active: bool


# --- systems and assets ------------------------------------------------------------------------


class SystemIn(Schema):
    unit_id: ObjectId
    name: Text
    description: Text = ""
    security_level: int | None = Field(None, description="Cấp độ an toàn 1–5 (Nghị định 85/2016).")
    is_important: bool = False
    holds_personal_data: bool = False
    is_national_platform: bool = False
    hosting: Hosting = Hosting.ON_PREMISE
    hosting_detail: Text = ""


class SystemOut(Schema):
    id: int
    unit_id: int
    name: str
    description: str
    security_level: int | None
    is_important: bool
    holds_personal_data: bool
    is_national_platform: bool
    hosting: str
    hosting_detail: str
    operator_id: int | None
    is_active: bool
    created_at: datetime
    updated_at: datetime


class WebsiteIn(Schema):
    unit_id: ObjectId
    url: UrlText = Field(description="Địa chỉ http:// hoặc https://, duy nhất trong toàn hệ thống.")
    name: Text = ""
    system_id: ObjectId | None = None


class WebsiteOut(Schema):
    id: int
    unit_id: int
    system_id: int | None
    url: str
    name: str
    is_active: bool
    created_at: datetime


class DomainIn(Schema):
    unit_id: ObjectId
    name: Text = Field(description="Tên miền, ví dụ `sotttt.haiphong.gov.vn`.")
    system_id: ObjectId | None = None
    registrar: Text = ""
    expires_on: date | None = None


class DomainOut(Schema):
    id: int
    unit_id: int
    system_id: int | None
    name: str
    registrar: str
    expires_on: date | None
    is_active: bool
    created_at: datetime


class HostIn(Schema):
    unit_id: ObjectId
    address: Text = Field(description="Địa chỉ IP, dải mạng hoặc tên máy.")
    system_id: ObjectId | None = None
    description: Text = ""


class HostOut(Schema):
    id: int
    unit_id: int
    system_id: int | None
    address: str
    description: str
    is_active: bool
    created_at: datetime


class SoftwareIn(Schema):
    system_id: ObjectId
    vendor: Text
    product: Text
    version: Text = ""
    cpe: Text = Field("", description="CPE 2.3, ví dụ `cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*`.")


class SoftwareOut(Schema):
    id: int
    unit_id: int
    system_id: int
    vendor: str
    product: str
    version: str
    cpe: str
    created_at: datetime
    updated_at: datetime


# --- documented error answers (the handlers in config/api.py produce them) ----------------------

READ_ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
