"""Fixtures of the advisories tests: the sample feeds imported, and a unit running a vulnerable Log4j."""

from __future__ import annotations

from pathlib import Path

import pytest

from haidang.apps.advisories.services import import_kev_file, import_nvd_file
from haidang.apps.registry.models import SoftwareComponent
from tests.personas import World

SAMPLES = Path(__file__).resolve().parents[2] / "engines" / "intel" / "samples"
LOG4SHELL = "CVE-2021-44228"


@pytest.fixture
def feeds(world: World) -> None:
    assert import_nvd_file(path=SAMPLES / "nvd_cves_2.0.json", actor=world.admin).ok
    assert import_kev_file(path_or_bytes=SAMPLES / "known_exploited_vulnerabilities.json", actor=world.admin).ok


@pytest.fixture
def log4j(world: World, feeds: None) -> SoftwareComponent:
    """Unit A runs a vulnerable Log4j; unit B a fixed one."""
    SoftwareComponent.objects.create(
        unit=world.unit_b, system=world.system_b, vendor="Apache", product="Log4j", version="2.17.1"
    )
    return SoftwareComponent.objects.create(
        unit=world.unit_a,
        system=world.system_a,
        vendor="Apache Software Foundation",
        product="log4j-core",
        version="2.14.1",
    )
