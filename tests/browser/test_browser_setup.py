"""The rule for a machine without Chromium: skip locally, fail where a browser is required."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import require_chromium


def test_it_skips_without_chromium(tmp_path: Path) -> None:
    with pytest.raises(pytest.skip.Exception, match="is not installed"):
        require_chromium(tmp_path / "chromium", {})


def test_it_fails_without_chromium_when_a_browser_is_required(tmp_path: Path) -> None:
    with pytest.raises(pytest.fail.Exception, match="HAIDANG_REQUIRE_BROWSER=1"):
        require_chromium(tmp_path / "chromium", {"HAIDANG_REQUIRE_BROWSER": "1"})


def test_it_runs_when_chromium_exists(tmp_path: Path) -> None:
    present = tmp_path / "chromium"
    present.touch()
    require_chromium(present, {"HAIDANG_REQUIRE_BROWSER": "1"})
