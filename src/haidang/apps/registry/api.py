"""The registry over HTTP: units, organisations, systems, websites, domains, hosts, software.

Every read goes through a selector with ``visible_to`` (so another unit's object is a 404, exactly as
if it did not exist) and every write through a service (which checks the right to edit and audits).
Referenced units and systems are resolved through the same selectors before a service sees them.
"""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Status
from ninja.pagination import paginate

from haidang.apps.accounts.api import request_user
from haidang.apps.accounts.models import User
from haidang.apps.registry import selectors, services
from haidang.apps.registry.models import (
    Domain,
    Host,
    InformationSystem,
    Organization,
    SoftwareComponent,
    Unit,
    UnitGroup,
    Website,
)
from haidang.apps.registry.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    DomainIn,
    DomainOut,
    HostIn,
    HostOut,
    ObjectId,
    OrganizationFilters,
    OrganizationOut,
    Pagination,
    SoftwareIn,
    SoftwareOut,
    SystemIn,
    SystemOut,
    UnitFilters,
    UnitGroupOut,
    UnitOut,
    UnitScopedFilters,
    WebsiteIn,
    WebsiteOut,
)

units_router = Router(tags=["Đơn vị"])
organizations_router = Router(tags=["Tổ chức"])
systems_router = Router(tags=["Hệ thống thông tin"])
websites_router = Router(tags=["Trang thông tin điện tử"])
domains_router = Router(tags=["Tên miền"])
hosts_router = Router(tags=["Máy chủ"])
software_router = Router(tags=["Thành phần phần mềm"])

routers = (
    units_router,
    organizations_router,
    systems_router,
    websites_router,
    domains_router,
    hosts_router,
    software_router,
)


def _visible_unit(user: User, unit_id: int) -> Unit:
    return selectors.unit_get(visible_to=user, unit_id=unit_id)


def _visible_system(user: User, system_id: int | None) -> InformationSystem | None:
    if system_id is None:
        return None
    return selectors.system_list(visible_to=user).get(id=system_id)


# --- units -------------------------------------------------------------------------------------


@units_router.get("/units", response={200: list[UnitOut], **READ_ERRORS}, summary="Danh sách đơn vị")
@paginate(Pagination)
def units_list(request: HttpRequest, filters: Query[UnitFilters]) -> QuerySet[Unit]:
    status = "" if filters.status == "all" else filters.status
    user = request_user(request)
    return selectors.unit_list(visible_to=user, search=filters.search, group=filters.group, status=status)


@units_router.get("/units/{unit_id}", response={200: UnitOut, **READ_ERRORS}, summary="Chi tiết đơn vị")
def units_detail(request: HttpRequest, unit_id: ObjectId) -> Unit:
    return _visible_unit(request_user(request), unit_id)


@units_router.get("/unit-groups", response={200: list[UnitGroupOut], **READ_ERRORS}, summary="Các khối đơn vị")
@paginate(Pagination)
def unit_groups_list(request: HttpRequest) -> QuerySet[UnitGroup]:
    request_user(request)
    return selectors.group_list()


# --- organisations -----------------------------------------------------------------------------


@organizations_router.get(
    "/organizations",
    response={200: list[OrganizationOut], **READ_ERRORS},
    summary="Doanh nghiệp viễn thông và nhà cung cấp dịch vụ an toàn thông tin",
)
@paginate(Pagination)
def organizations_list(request: HttpRequest, filters: Query[OrganizationFilters]) -> QuerySet[Organization]:
    return selectors.organization_list(visible_to=request_user(request), kind=filters.kind or "")


@organizations_router.get(
    "/organizations/{organization_id}", response={200: OrganizationOut, **READ_ERRORS}, summary="Chi tiết tổ chức"
)
def organizations_detail(request: HttpRequest, organization_id: ObjectId) -> Organization:
    return selectors.organization_list(visible_to=request_user(request)).get(id=organization_id)


# --- information systems -----------------------------------------------------------------------


@systems_router.get("/systems", response={200: list[SystemOut], **READ_ERRORS}, summary="Danh sách hệ thống thông tin")
@paginate(Pagination)
def systems_list(request: HttpRequest, filters: Query[UnitScopedFilters]) -> QuerySet[InformationSystem]:
    return selectors.system_list(visible_to=request_user(request), unit_id=filters.unit_id)


@systems_router.get("/systems/{system_id}", response={200: SystemOut, **READ_ERRORS}, summary="Chi tiết hệ thống")
def systems_detail(request: HttpRequest, system_id: ObjectId) -> InformationSystem:
    return selectors.system_list(visible_to=request_user(request)).get(id=system_id)


@systems_router.post("/systems", response={201: SystemOut, **WRITE_ERRORS}, summary="Khai báo hệ thống thông tin")
def systems_create(request: HttpRequest, payload: SystemIn) -> Status[InformationSystem]:
    user = request_user(request)
    unit = _visible_unit(user, payload.unit_id)
    fields = payload.model_dump(exclude={"unit_id", "name"})
    return Status(201, services.system_create(acting_user=user, unit=unit, name=payload.name, **fields))


# --- websites ----------------------------------------------------------------------------------


@websites_router.get("/websites", response={200: list[WebsiteOut], **READ_ERRORS}, summary="Danh sách trang web")
@paginate(Pagination)
def websites_list(request: HttpRequest, filters: Query[UnitScopedFilters]) -> QuerySet[Website]:
    return selectors.website_list(visible_to=request_user(request), unit_id=filters.unit_id)


@websites_router.get("/websites/{website_id}", response={200: WebsiteOut, **READ_ERRORS}, summary="Chi tiết trang web")
def websites_detail(request: HttpRequest, website_id: ObjectId) -> Website:
    return selectors.website_list(visible_to=request_user(request)).get(id=website_id)


@websites_router.post("/websites", response={201: WebsiteOut, **WRITE_ERRORS}, summary="Đăng ký trang web để giám sát")
def websites_create(request: HttpRequest, payload: WebsiteIn) -> Status[Website]:
    user = request_user(request)
    unit = _visible_unit(user, payload.unit_id)
    system = _visible_system(user, payload.system_id)
    website = services.website_create(acting_user=user, unit=unit, url=payload.url, system=system, name=payload.name)
    return Status(201, website)


# --- domains -----------------------------------------------------------------------------------


@domains_router.get("/domains", response={200: list[DomainOut], **READ_ERRORS}, summary="Danh sách tên miền")
@paginate(Pagination)
def domains_list(request: HttpRequest, filters: Query[UnitScopedFilters]) -> QuerySet[Domain]:
    return selectors.domain_list(visible_to=request_user(request), unit_id=filters.unit_id)


@domains_router.get("/domains/{domain_id}", response={200: DomainOut, **READ_ERRORS}, summary="Chi tiết tên miền")
def domains_detail(request: HttpRequest, domain_id: ObjectId) -> Domain:
    return selectors.domain_list(visible_to=request_user(request)).get(id=domain_id)


@domains_router.post("/domains", response={201: DomainOut, **WRITE_ERRORS}, summary="Khai báo tên miền")
def domains_create(request: HttpRequest, payload: DomainIn) -> Status[Domain]:
    user = request_user(request)
    unit = _visible_unit(user, payload.unit_id)
    system = _visible_system(user, payload.system_id)
    fields = payload.model_dump(include={"registrar", "expires_on"})
    return Status(201, services.domain_create(acting_user=user, unit=unit, name=payload.name, system=system, **fields))


# --- hosts -------------------------------------------------------------------------------------


@hosts_router.get("/hosts", response={200: list[HostOut], **READ_ERRORS}, summary="Danh sách máy chủ, địa chỉ IP")
@paginate(Pagination)
def hosts_list(request: HttpRequest, filters: Query[UnitScopedFilters]) -> QuerySet[Host]:
    return selectors.host_list(visible_to=request_user(request), unit_id=filters.unit_id)


@hosts_router.get("/hosts/{host_id}", response={200: HostOut, **READ_ERRORS}, summary="Chi tiết máy chủ")
def hosts_detail(request: HttpRequest, host_id: ObjectId) -> Host:
    return selectors.host_list(visible_to=request_user(request)).get(id=host_id)


@hosts_router.post("/hosts", response={201: HostOut, **WRITE_ERRORS}, summary="Khai báo máy chủ, địa chỉ IP")
def hosts_create(request: HttpRequest, payload: HostIn) -> Status[Host]:
    user = request_user(request)
    unit = _visible_unit(user, payload.unit_id)
    system = _visible_system(user, payload.system_id)
    host = services.host_create(
        acting_user=user, unit=unit, address=payload.address, system=system, description=payload.description
    )
    return Status(201, host)


# --- software ----------------------------------------------------------------------------------


@software_router.get(
    "/software", response={200: list[SoftwareOut], **READ_ERRORS}, summary="Danh sách thành phần phần mềm"
)
@paginate(Pagination)
def software_list(request: HttpRequest, filters: Query[UnitScopedFilters]) -> QuerySet[SoftwareComponent]:
    return selectors.software_list(visible_to=request_user(request), unit_id=filters.unit_id)


@software_router.get(
    "/software/{software_id}", response={200: SoftwareOut, **READ_ERRORS}, summary="Chi tiết thành phần phần mềm"
)
def software_detail(request: HttpRequest, software_id: ObjectId) -> SoftwareComponent:
    return selectors.software_list(visible_to=request_user(request)).get(id=software_id)


@software_router.post(
    "/software", response={201: SoftwareOut, **WRITE_ERRORS}, summary="Khai báo thành phần phần mềm của hệ thống"
)
def software_create(request: HttpRequest, payload: SoftwareIn) -> Status[SoftwareComponent]:
    user = request_user(request)
    system = selectors.system_list(visible_to=user).get(id=payload.system_id)
    fields = payload.model_dump(include={"version", "cpe"})
    component = services.software_create(
        acting_user=user, system=system, vendor=payload.vendor, product=payload.product, **fields
    )
    return Status(201, component)
