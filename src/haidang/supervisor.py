"""Run the web server, the worker and the scheduler as one foreground command.

Ctrl-C (or SIGTERM) stops every child cleanly. A child that dies on its own is reported and
restarted with a back-off; if it keeps dying, everything is stopped and the exit status says so.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import FrameType

RESTART_WINDOW_SECONDS = 60.0
MAX_RESTARTS_IN_WINDOW = 3
STOP_GRACE_SECONDS = 15.0
POLL_SECONDS = 0.2


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    process: subprocess.Popen[bytes] | None = None
    restarts: list[float] = field(default_factory=list)

    def start(self) -> None:
        # A new session: the terminal's Ctrl-C reaches only the supervisor, which then stops
        # the children in order instead of all of them racing on the same signal.
        self.process = subprocess.Popen(self.argv, start_new_session=True)  # noqa: S603 - argv is ours

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None


Report = Callable[[str], None]


class Supervisor:
    def __init__(self, children: list[Child], report: Report, *, backoff_seconds: float = 1.0) -> None:
        self.children = children
        self.report = report
        self.backoff_seconds = backoff_seconds
        self.stopping = False

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> int:
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            for child in self.children:
                child.start()
            status = self._watch()
        finally:
            self.stop_all()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return status

    def _watch(self) -> int:
        while not self.stopping:
            for child in self.children:
                if child.alive():
                    continue
                code = child.process.returncode if child.process else None
                self.report(f"[!] Tiến trình '{child.name}' đã dừng bất thường (mã thoát {code}).")
                if not self._may_restart(child):
                    self.report(f"[!] '{child.name}' dừng quá nhiều lần; dừng toàn bộ hệ thống.")
                    return 1
                self.report(f"[i] Khởi động lại '{child.name}'.")
                child.start()
            time.sleep(POLL_SECONDS)
        return 0

    def _may_restart(self, child: Child) -> bool:
        now = time.monotonic()
        child.restarts = [t for t in child.restarts if now - t < RESTART_WINDOW_SECONDS]
        if len(child.restarts) >= MAX_RESTARTS_IN_WINDOW:
            return False
        time.sleep(min(self.backoff_seconds * 2 ** len(child.restarts), 8.0))
        child.restarts.append(time.monotonic())
        return True

    def stop_all(self) -> None:
        running = [c for c in self.children if c.alive()]
        for child in reversed(running):
            assert child.process is not None  # noqa: S101 - alive() guarantees it
            child.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for child in reversed(running):
            assert child.process is not None  # noqa: S101
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.report(f"[!] '{child.name}' không dừng kịp; buộc dừng.")
                child.process.kill()
                child.process.wait()
