"""Helpers for tests that run the real processes: `haidang up`, Celery workers, PostgreSQL, Redis."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def base_env(**extra: str) -> dict[str, str]:
    """The environment of a child process, without this test run's Django/Hải Đăng settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HAIDANG_", "DJANGO_"))}
    env.update(extra)
    return env


def wait_until(predicate: Callable[[], bool], *, seconds: float, what: str) -> None:
    """Poll ``predicate`` until it holds; bounded, so a broken child fails the test instead of hanging."""
    pause = threading.Event()
    for _ in range(int(seconds / 0.25)):
        if predicate():
            return
        pause.wait(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def get_json(url: str, token: str | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


class Platform:
    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[bytes] | None = None

    def haidang(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(BIN / "haidang"), *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def healthy(self) -> bool:
        try:
            status, body = get_json(f"{self.url}/healthz")
        except OSError:
            return False
        return status == 200 and body["status"] == "ok"


@pytest.fixture
def start_platform(tmp_path: Path) -> Iterator[Callable[..., Platform]]:
    started: list[Platform] = []

    def start(*, run: bool = True, **env: str) -> Platform:
        """A platform in a fresh data directory; with ``run`` its `haidang up` is started."""
        port = free_port()
        platform = Platform(base_env(HAIDANG_DATA_DIR=str(tmp_path / "data"), **env), port, tmp_path / "up.log")
        started.append(platform)
        if not run:
            return platform
        with platform.log.open("wb") as log:
            platform.process = subprocess.Popen(
                [str(BIN / "haidang"), "up", "--port", str(port), "--web-workers", "1", "--concurrency", "1"],
                env=platform.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        return platform

    yield start
    for platform in started:
        if platform.process and platform.process.poll() is None:
            platform.process.kill()
            platform.process.wait()
