"""Software the scanner sees on websites is named so that the intel engine can match it to advisories.

The engines never import each other; this test holds their names together. Every (vendor, product)
``scanner.software.observe`` can report must resolve through the alias catalogue to exactly one product.
"""

from __future__ import annotations

import pytest

from haidang.engines.intel.products import Resolver, Status
from haidang.engines.intel.types import InventoryRow
from haidang.engines.scanner.software import PRODUCTS


def _cases() -> list[object]:
    return [pytest.param(vendor, product, id=f"{vendor}/{product}") for vendor, product in PRODUCTS]


@pytest.fixture(scope="module")
def resolver() -> Resolver:
    return Resolver()


@pytest.mark.parametrize(("vendor", "product"), _cases())
def test_it_resolves_every_name_the_scanner_reports(resolver: Resolver, vendor: str, product: str) -> None:
    row = InventoryRow(unit="u", system="s", vendor=vendor, product=product, version="1.2.3")

    resolution = resolver.prepare(row)

    assert resolution.status is Status.RESOLVED, resolution
    assert len(resolution.candidates) == 1
