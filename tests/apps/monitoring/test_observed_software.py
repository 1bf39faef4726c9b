"""What a website discloses about its software is kept per product, in place, as inventory for advisories."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone

from haidang.apps.monitoring import services
from haidang.apps.monitoring.models import ObservedSoftware
from haidang.engines.scanner.types import Observed
from tests.apps.monitoring.conftest import site_result
from tests.personas import World

pytestmark = pytest.mark.django_db

APACHE = Observed("Apache Software Foundation", "Apache HTTP Server", "2.4.49", "header:Server", "Apache/2.4.49")
PHP = Observed("The PHP Group", "PHP", "7.4.33", "header:X-Powered-By", "PHP/7.4.33")


def _scan(world: World, *software: Observed, minutes: int = 0, reachable: bool = True) -> None:
    result = replace(site_result(world.website_a, reachable=reachable), software=software)
    now = timezone.now() + timedelta(minutes=minutes)
    services.record_scan(website=world.website_a, result=result, duration_ms=10, now=now)


def _rows() -> list[tuple[str, str, bool]]:
    return list(ObservedSoftware.objects.order_by("product").values_list("product", "version", "current"))


def test_it_records_updates_and_retires_what_a_site_discloses(world: World) -> None:
    _scan(world, APACHE, PHP)
    assert _rows() == [("Apache HTTP Server", "2.4.49", True), ("PHP", "7.4.33", True)]
    row = ObservedSoftware.objects.get(product="PHP")
    assert row.unit_id == world.unit_a.id
    assert row.evidence == "PHP/7.4.33"
    _scan(world, replace(APACHE, version="2.4.58"), minutes=5)  # upgraded, and PHP no longer disclosed
    assert _rows() == [("Apache HTTP Server", "2.4.58", True), ("PHP", "7.4.33", False)]
    assert ObservedSoftware.objects.count() == 2  # one row per product, not per scan


def test_an_unreachable_scan_changes_nothing(world: World) -> None:
    _scan(world, APACHE)
    _scan(world, minutes=5, reachable=False)
    assert _rows() == [("Apache HTTP Server", "2.4.49", True)]
