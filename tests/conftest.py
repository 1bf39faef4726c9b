from __future__ import annotations

import os
import tempfile

import pytest

# An isolated data directory for everything the settings put on disk (secret key, SQLite, cache).
os.environ.setdefault("HAIDANG_DATA_DIR", tempfile.mkdtemp(prefix="haidang-test-"))

from tests.personas import World, build_world  # noqa: E402


@pytest.fixture
def world(db: None) -> World:
    return build_world()
