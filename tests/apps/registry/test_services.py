"""Registry writes: permission, validation, audit and the 2025-style unit merge."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haidang.apps.accounts.models import User
from haidang.apps.audit.models import AuditEvent
from haidang.apps.registry import services
from haidang.apps.registry.models import Domain, InformationSystem, UnitEvent, UnitStatus, Website
from tests.personas import World


def test_it_lets_an_officer_register_a_website_for_their_unit(world: World) -> None:
    website = services.website_create(acting_user=world.officer_a, unit=world.unit_a, url=" https://cong.example.vn/ ")
    assert website.url == "https://cong.example.vn/"
    event = AuditEvent.objects.get(action="website.create")
    assert (event.actor, event.unit_id, event.object_id) == (world.officer_a, world.unit_a.id, str(website.id))


@pytest.mark.parametrize("persona", ["officer_b", "duty", "viewer", "provider_officer", "telecom_officer"])
def test_it_refuses_writes_outside_the_users_scope(world: World, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        services.website_create(acting_user=getattr(world, persona), unit=world.unit_a, url="https://x.example.vn/")
    assert not Website.objects.filter(url="https://x.example.vn/").exists()


@pytest.mark.parametrize(
    "url", ["ftp://example.vn/", "javascript:alert(1)", "https://user:pw@example.vn/", "not a url", "http://"]
)
def test_it_rejects_bad_urls_with_a_message(world: World, url: str) -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.website_create(acting_user=world.officer_a, unit=world.unit_a, url=url)
    assert "url" in excinfo.value.message_dict


@pytest.mark.parametrize("name", ["-bad.vn", "no_underscore.vn", "single", "a" * 64 + ".vn"])
def test_it_rejects_bad_domain_names(world: World, name: str) -> None:
    with pytest.raises(ValidationError):
        services.domain_create(acting_user=world.officer_a, unit=world.unit_a, name=name)


def test_it_normalises_domain_names_including_vietnamese_idn(world: World) -> None:
    domain = services.domain_create(acting_user=world.officer_a, unit=world.unit_a, name="Cổng.HaiPhong.gov.vn.")
    assert domain.name == "cổng.haiphong.gov.vn"


def test_it_refuses_to_attach_another_units_system(world: World) -> None:
    with pytest.raises(ValidationError):
        services.domain_create(acting_user=world.admin, unit=world.unit_a, name="a.example.vn", system=world.system_b)


def test_it_validates_security_level_and_cpe(world: World) -> None:
    with pytest.raises(ValidationError):
        services.system_create(acting_user=world.officer_a, unit=world.unit_a, name="X", security_level=6)
    with pytest.raises(ValidationError):
        services.software_create(
            acting_user=world.officer_a, system=world.system_a, vendor="a", product="b", cpe="cpe:/a:apache:httpd"
        )
    component = services.software_create(
        acting_user=world.officer_a,
        system=world.system_a,
        vendor="Apache",
        product="HTTP Server",
        version="2.4.58",
        cpe="cpe:2.3:a:apache:http_server:2.4.58:*:*:*:*:*:*:*",
    )
    assert component.unit_id == world.unit_a.id


def test_it_records_only_real_changes_on_update(world: World) -> None:
    services.system_update(acting_user=world.officer_a, system=world.system_a, name=world.system_a.name)
    assert not AuditEvent.objects.filter(action="system.update").exists()
    services.system_update(acting_user=world.officer_a, system=world.system_a, security_level=3)
    assert AuditEvent.objects.get(action="system.update").changes == {"security_level": [2, 3]}


def test_it_merges_a_unit_moving_everything_and_keeping_history(world: World) -> None:
    services.unit_merge(acting_user=world.admin, unit=world.unit_a, successor=world.unit_b, note="Nghị quyết 2025")
    world.unit_a.refresh_from_db()
    assert world.unit_a.status == UnitStatus.MERGED
    assert world.unit_a.successor == world.unit_b
    assert InformationSystem.objects.get(id=world.system_a.id).unit == world.unit_b
    assert Website.objects.get(id=world.website_a.id).unit == world.unit_b
    assert Domain.objects.get(id=world.domain_a.id).unit == world.unit_b
    assert User.objects.get(id=world.officer_a.id).unit == world.unit_b
    assert set(world.provider.assigned_units.all()) == {world.unit_b}
    assert UnitEvent.objects.get(unit=world.unit_a).kind == "merged_into"
    assert UnitEvent.objects.get(unit=world.unit_b).detail["moved"]["systems"] == 1


def test_it_refuses_merge_by_non_admin_and_into_itself(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.unit_merge(acting_user=world.officer_a, unit=world.unit_a, successor=world.unit_b)
    with pytest.raises(ValidationError):
        services.unit_merge(acting_user=world.admin, unit=world.unit_a, successor=world.unit_a)


def test_it_freezes_a_merged_unit(world: World) -> None:
    services.unit_merge(acting_user=world.admin, unit=world.unit_a, successor=world.unit_b)
    with pytest.raises(ValidationError):
        services.website_create(acting_user=world.admin, unit=world.unit_a, url="https://late.example.vn/")


def test_it_dissolves_only_a_unit_without_active_officers(world: World) -> None:
    with pytest.raises(ValidationError):
        services.unit_dissolve(acting_user=world.admin, unit=world.unit_a)
    User.objects.filter(unit=world.unit_a).update(is_active=False)
    services.unit_dissolve(acting_user=world.admin, unit=world.unit_a, note="giải thể")
    world.unit_a.refresh_from_db()
    assert world.unit_a.status == UnitStatus.DISSOLVED


def test_it_records_renames_in_unit_history(world: World) -> None:
    services.unit_update(acting_user=world.admin, unit=world.unit_a, name="Sở Tư pháp thành phố")
    event = UnitEvent.objects.get(unit=world.unit_a, kind="renamed")
    assert event.detail == {"from": "Sở Tư pháp", "to": "Sở Tư pháp thành phố"}


def test_it_generates_unique_ascii_short_codes(world: World) -> None:
    first = services.unit_create(acting_user=world.admin, group=world.group, name="Sở Nội vụ Đặc biệt")
    second = services.unit_create(acting_user=world.admin, group=world.group, name="Sở Nội vụ Đặc biệt")
    assert (first.short_code, second.short_code) == ("so-noi-vu-dac-biet", "so-noi-vu-dac-biet-2")


def test_it_deletes_an_asset_and_keeps_its_trace(world: World) -> None:
    services.asset_delete(acting_user=world.officer_a, asset=world.domain_a)
    assert not Domain.objects.filter(id=world.domain_a.id).exists()
    assert AuditEvent.objects.get(action="domain.delete").changes == {"deleted": "stp.example.gov.vn"}
    with pytest.raises(PermissionDenied):
        services.asset_delete(acting_user=world.officer_a, asset=world.domain_b)


def test_it_assigns_providers_only(world: World) -> None:
    services.provider_assign(acting_user=world.admin, provider=world.provider, unit=world.unit_b)
    assert set(world.provider.assigned_units.all()) == {world.unit_a, world.unit_b}
    with pytest.raises(ValidationError):
        services.provider_assign(acting_user=world.admin, provider=world.telecom, unit=world.unit_b)


@pytest.mark.parametrize("url", ["http://[::1", "http://example.vn:99999/", "https://exa mple.vn/"])
def test_it_rejects_unparseable_urls_without_crashing(world: World, url: str) -> None:
    with pytest.raises(ValidationError):
        services.website_create(acting_user=world.officer_a, unit=world.unit_a, url=url)
