"""Fixtures for driving Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.personas import PASSWORD, World, build_world

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path("/tmp/haidang-shots")  # noqa: S108 - screenshots are meant to be looked at after the run

# Playwright's sync API runs an event loop in this thread; the ORM calls the test makes around it
# (building the personas, reading rows) are still synchronous, so Django's async guard is lifted.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def live_world(transactional_db: None) -> World:
    """The personas, committed so the live server's thread sees them."""
    return build_world()


def require_chromium(path: Path, environ: Mapping[str, str]) -> None:
    """Skip when Chromium is missing, unless HAIDANG_REQUIRE_BROWSER=1 (CI) makes that a failure."""
    if path.exists():
        return
    message = f"{path} is not installed (apt-get install chromium)"
    if environ.get("HAIDANG_REQUIRE_BROWSER") == "1":
        pytest.fail(f"HAIDANG_REQUIRE_BROWSER=1 but {message}")
    pytest.skip(message)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One browser per test module: a session-wide one would keep Playwright's event loop running
    in the main thread and break every later test that starts its own loop with asyncio.run()."""
    require_chromium(CHROMIUM, os.environ)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium: Any) -> Iterator[Any]:
    """Open pages in fresh browser contexts (separate cookies), Vietnamese browser locale by default."""
    contexts: list[Any] = []

    def open_page(**options: Any) -> Any:
        context = chromium.new_context(locale="vi-VN", **options)
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    SHOTS.mkdir(parents=True, exist_ok=True)
    yield open_page
    for context in contexts:
        context.close()


def sign_in(page: Any, base: str, email: str) -> None:
    """Sign in through the login form as a persona and wait for the dashboard."""
    page.goto(f"{base}/login/")
    page.get_by_label("Thư điện tử").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/")
