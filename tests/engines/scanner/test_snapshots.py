"""The scanner keeps page bodies only when asked, and only the home page and pages with a finding."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from haidang.engines.scanner import ScanOptions, scan_sites_async

from .recorded import recorded


@pytest.fixture
def spam_site() -> Iterator[str]:
    pages = {
        "/": b"<html><body><h1>S\xe1\xbb\x9f</h1><a href='/tin/1.html'>Tin 1</a></body></html>",
        "/tin/1.html": recorded("hidden_spam.html").encode(),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = pages.get(self.path, b"")
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_it_keeps_the_home_page_and_pages_with_findings(spam_site: str, tmp_path: Path) -> None:
    options = ScanOptions(allow_private=True, keep_snapshots=True, snapshot_max_bytes=50_000)

    (result,) = asyncio.run(scan_sites_async([spam_site], tmp_path, options))

    inner = spam_site + "tin/1.html"
    assert any(f.url == inner for f in result.findings)
    assert set(result.snapshots) == {spam_site, inner}
    assert b"kubet" in result.snapshots[inner]


def test_it_keeps_nothing_unless_asked(spam_site: str, tmp_path: Path) -> None:
    (result,) = asyncio.run(scan_sites_async([spam_site], tmp_path, ScanOptions(allow_private=True)))

    assert result.snapshots == {}
