"""Monitoring fixtures: hand-made scan results, and a real website on 127.0.0.1 whose content a test switches."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from haidang.apps.monitoring.models import WatchState
from haidang.apps.registry.models import Website
from haidang.engines.scanner.types import Finding, Severity, SiteResult
from tests.personas import World

CLEAN = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Sở Tư pháp thành phố</title></head>
<body><header><h1>Sở Tư pháp thành phố</h1><nav><a href="/">Trang chủ</a></nav></header>
<main><h2>Tin tức hoạt động</h2><p>Hướng dẫn thủ tục chứng thực bản sao điện tử từ bản chính.</p>
<p>Lịch tiếp công dân định kỳ của lãnh đạo Sở trong tháng.</p>
<p>Liên hệ: Phòng Hành chính tư pháp, số điện thoại 0225 3842 123.</p></main>
<footer>Bản quyền thuộc Sở Tư pháp thành phố</footer></body></html>"""

# The scanner corpus's classic injection: gambling links hidden off-screen and in a hidden paragraph.
COMPROMISED = CLEAN.replace(
    "</main>",
    """</main><style>.k9x{position:absolute;left:-9999px} #zz{display:none}</style>
<div class="k9x"><a href="https://nhacai-fb88vn.club/">Nhà cái uy tín</a>
<a href="https://kubet-vip.top/">link vào kubet mới nhất</a></div>
<p id="zz">n h à c á i uy tín, tài xỉu online đổi thưởng</p>""",
)


def scan_finding(kind: str = "content.hidden_spam", severity: Severity = Severity.HIGH, **extra: Any) -> Finding:
    fields: dict[str, Any] = {
        "title": "Nội dung cờ bạc bị ẩn",
        "evidence": "nhà cái uy tín [kubet]",
        "url": "https://stp.example.gov.vn/",
        "probes": ("desktop",),
    }
    fields.update(extra)
    return Finding(kind, severity, fields["title"], fields["evidence"], fields["url"], fields["probes"])


def site_result(website: Website, *findings: Finding, reachable: bool = True, reason: str = "") -> SiteResult:
    return SiteResult(
        website.url,
        reachable,
        tuple(findings),
        reason,
        pages=1 if reachable else 0,
        snapshots={website.url: b"<html>home</html>"} if reachable else {},
    )


@dataclass
class LocalSite:
    """A website on 127.0.0.x serving ``pages`` (path → HTML); ``up = False`` answers 503.

    ``redirects`` maps a client address to a Location: a geo-targeted redirect, as seen by scans
    leaving from that address (``HAIDANG_VANTAGE_SOURCE_ADDRESS``).
    """

    server: ThreadingHTTPServer
    pages: dict[str, str] = field(default_factory=dict)
    up: bool = True
    requests: int = 0
    redirects: dict[str, str] = field(default_factory=dict)
    clients: set[str] = field(default_factory=set)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def serve(self, html: str) -> None:
        self.pages = {"/": html}


def _serve(host: str) -> Iterator[LocalSite]:
    site: LocalSite

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests += 1
            client = str(self.client_address[0])
            site.clients.add(client)
            if client in site.redirects:
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", site.redirects[client])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            page = site.pages.get(self.path.split("?", 1)[0]) if site.up else None
            status = HTTPStatus.OK if page is not None else HTTPStatus.NOT_FOUND
            if not site.up:
                status = HTTPStatus.SERVICE_UNAVAILABLE
            body = (page or "<html><body>Không tìm thấy</body></html>").encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer((host, 0), Handler)
    site = LocalSite(server=server, pages={"/": CLEAN})
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def local_site() -> Iterator[LocalSite]:
    yield from _serve("127.0.0.1")


@pytest.fixture
def other_site() -> Iterator[LocalSite]:
    """A second website, on 127.0.0.3: where a geo-targeted redirect sends some visitors."""
    yield from _serve("127.0.0.3")


@pytest.fixture
def quiet_world(world: World) -> World:
    """The personas' websites are not real: never scan them (no DNS, no traffic off 127.0.0.1)."""
    WatchState.objects.filter(website__in=[world.website_a, world.website_b]).update(enabled=False)
    return world
