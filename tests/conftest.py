from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests import network_guard
from tests.personas import World, build_world


@pytest.fixture(autouse=True, scope="session")
def _loopback_only() -> Iterator[None]:
    """No test sends traffic beyond this machine (see tests/network_guard.py)."""
    uninstall = network_guard.install()
    yield
    uninstall()


@pytest.fixture
def world(db: None) -> World:
    return build_world()
