"""`haidang up`'s supervisor with real child processes."""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path

import pytest

import haidang.supervisor as supervisor_module
from haidang.supervisor import Child, Supervisor


def _python(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_it_reports_and_restarts_a_crashed_child_then_gives_up(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    crash = _python(f"open({str(runs)!r}, 'a').write('x'); raise SystemExit(3)")
    steady = Child("steady", _python("import time; time.sleep(60)"))
    lines: list[str] = []
    status = Supervisor([Child("crashy", crash), steady], report=lines.append, backoff_seconds=0).run()
    assert status == 1
    assert runs.read_text() == "xxxx"  # first start + 3 restarts
    assert any("crashy" in line and "mã thoát 3" in line for line in lines)
    assert any("dừng toàn bộ" in line for line in lines)
    assert steady.process is not None
    assert steady.process.returncode is not None  # the healthy child was stopped too


def _wait_for(path: Path) -> None:
    """Wait (bounded) until a child signals readiness by creating ``path``."""
    ready = threading.Event()
    for _ in range(200):
        if path.exists():
            return
        ready.wait(0.05)
    raise AssertionError(f"child never became ready: {path}")


def test_it_stops_every_child_on_sigterm(tmp_path: Path) -> None:
    stopped = tmp_path / "stopped"

    def handler(name: str) -> list[str]:
        return _python(
            "import signal, sys, time\n"
            f"def bye(*_): open({str(stopped)!r}, 'a').write('.'); sys.exit(0)\n"
            "signal.signal(signal.SIGTERM, bye)\n"
            f"open({str(tmp_path / name)!r}, 'w').close()\n"
            "while True: time.sleep(0.05)\n"
        )

    children = [Child("a", handler("a")), Child("b", handler("b"))]
    supervisor = Supervisor(children, report=lambda _line: None)

    def stop_when_ready() -> None:
        _wait_for(tmp_path / "a")
        _wait_for(tmp_path / "b")
        os.kill(os.getpid(), signal.SIGTERM)  # the supervisor's handler takes it

    threading.Thread(target=stop_when_ready, daemon=True).start()
    assert supervisor.run() == 0
    assert stopped.read_text() == ".."
    assert all(child.process is not None and child.process.returncode == 0 for child in children)


def test_it_kills_a_child_that_ignores_sigterm(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(supervisor_module, "STOP_GRACE_SECONDS", 0.5)
    ready = tmp_path / "ready"
    stubborn = Child(
        "stubborn",
        _python(
            "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            f"open({str(ready)!r}, 'w').close()\ntime.sleep(60)"
        ),
    )
    lines: list[str] = []
    supervisor = Supervisor([stubborn], report=lines.append)
    stubborn.start()
    _wait_for(ready)
    supervisor.stop_all()
    assert stubborn.process is not None
    assert stubborn.process.returncode == -signal.SIGKILL
    assert any("buộc dừng" in line for line in lines)
