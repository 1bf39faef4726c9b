"""What server and CMS software a site discloses: recorded headers and pages, then one real local scan."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from haidang.engines.common import FetchResult
from haidang.engines.scanner import ScanOptions, scan_sites_async
from haidang.engines.scanner.baseline import Baseline
from haidang.engines.scanner.scanner import evaluate_site
from haidang.engines.scanner.software import MAX_OBSERVATIONS, PRODUCTS, Observed, observe, version_of
from haidang.engines.scanner.types import ProbeName
from haidang.scan_cli import result_json
from tests.engines.scanner.recorded import HOME, down, recorded, response, site

APACHE = ("Apache Software Foundation", "Apache HTTP Server")
NGINX = ("F5", "nginx")
IIS = ("Microsoft", "Internet Information Services")
PHP = ("The PHP Group", "PHP")
OPENSSL = ("OpenSSL", "OpenSSL")
ASP_NET = ("Microsoft", "ASP.NET")
TOMCAT = ("Apache Software Foundation", "Tomcat")
WORDPRESS = ("WordPress", "WordPress")
JOOMLA = ("Joomla", "Joomla!")
DRUPAL = ("Drupal", "Drupal")
JQUERY = ("OpenJS Foundation", "jQuery")

Seen = tuple[str, str, str, str]  # vendor, product, version, source


def _seen(headers: dict[str, str] | list[tuple[str, str]], body: bytes = b"", url: str = HOME) -> list[Seen]:
    return [(o.vendor, o.product, o.version, o.source) for o in observe(headers, body, url)]


def _page(head: str) -> bytes:
    return f"<!doctype html><html><head><title>Cổng thông tin</title>{head}</head><body>Xin chào</body></html>".encode()


HEADER_CASES: list[tuple[str, dict[str, str] | list[tuple[str, str]], list[Seen]]] = [
    (
        "apache with modules",
        {"Server": "Apache/2.4.49 (Unix) OpenSSL/1.0.2k-fips PHP/7.4.33 mod_ssl/2.4.49 mod_perl/2.0.11"},
        [
            (*APACHE, "2.4.49", "header:Server"),
            (*OPENSSL, "1.0.2k", "header:Server"),
            (*PHP, "7.4.33", "header:Server"),
        ],
    ),
    ("nginx", {"server": "nginx/1.20.1"}, [(*NGINX, "1.20.1", "header:Server")]),
    ("nginx hiding its version", {"Server": "nginx"}, [(*NGINX, "", "header:Server")]),
    ("apache major only", {"Server": "Apache/2"}, [(*APACHE, "", "header:Server")]),
    ("openresty is not nginx", {"Server": "openresty/1.21.4.1"}, []),
    ("iis", {"SERVER": "Microsoft-IIS/10.0"}, [(*IIS, "10.0", "header:Server")]),
    ("php", {"X-Powered-By": "PHP/7.4.33"}, [(*PHP, "7.4.33", "header:X-Powered-By")]),
    ("php, ubuntu build", {"x-powered-by": "PHP/8.1.2-1ubuntu2.14"}, [(*PHP, "8.1.2", "header:X-Powered-By")]),
    (
        "asp.net",
        [("Server", "Microsoft-IIS/8.5"), ("X-Powered-By", "ASP.NET"), ("X-AspNet-Version", "4.0.30319")],
        [(*IIS, "8.5", "header:Server"), (*ASP_NET, "4.0.30319", "header:X-AspNet-Version")],
    ),
    (
        "asp.net mvc",
        {"X-AspNetMvc-Version": "5.2"},
        [("Microsoft", "ASP.NET MVC", "5.2", "header:X-AspNetMvc-Version")],
    ),
    (
        "tomcat behind its connector",
        {"Server": "Apache-Coyote/1.1", "X-Powered-By": "Servlet/3.0 JSP/2.2 (Apache Tomcat/7.0.47 Java/Oracle/1.7)"},
        [(*TOMCAT, "7.0.47", "header:X-Powered-By")],
    ),
    ("tomcat connector only", {"Server": "Apache-Coyote/1.1"}, [(*TOMCAT, "", "header:Server")]),
    (
        "weblogic, first version only",
        {"Server": "WebLogic Server 10.3.6.0.171017 PSU Patch for BUG26519424 WebLogic Server 10.3.6.0 Tue Nov 15"},
        [("Oracle", "WebLogic Server", "10.3.6.0.171017", "header:Server")],
    ),
    ("litespeed", {"Server": "LiteSpeed"}, [("LiteSpeed Technologies", "LiteSpeed Web Server", "", "header:Server")]),
    (
        "drupal: a major is not a version",
        {"X-Generator": "Drupal 9 (https://www.drupal.org)", "X-Drupal-Cache": "HIT"},
        [(*DRUPAL, "", "header:X-Generator")],
    ),
    ("drupal cache", {"X-Drupal-Dynamic-Cache": "MISS"}, [(*DRUPAL, "", "header:X-Drupal-Dynamic-Cache")]),
    (
        "moodle session cookie",
        [("Set-Cookie", "lang=vi; path=/"), ("Set-Cookie", "MoodleSession=abc123; path=/; HttpOnly")],
        [("Moodle", "Moodle", "", "header:Set-Cookie")],
    ),
    ("nothing disclosed", {"Server": "cloudflare", "X-Powered-By": "Express"}, []),
    (
        "garbage",
        {"Server": "\x00\xff/\udcff (((( ))) //// ;;;; PHP/", "X-Powered-By": "PHP/latest"},
        [(*PHP, "", "header:Server")],
    ),
    ("absurd version", {"Server": "nginx/" + "1." * 30 + "1"}, [(*NGINX, "", "header:Server")]),
    ("10 KB header", {"Server": "A" * 10_000 + " nginx/1.20.1"}, []),
    ("10 KB header, product first", {"Server": "nginx/1.20.1 " + "(x)" * 3_500}, [(*NGINX, "1.20.1", "header:Server")]),
]


@pytest.mark.parametrize(("headers", "expected"), [c[1:] for c in HEADER_CASES], ids=[c[0] for c in HEADER_CASES])
def test_it_reads_headers(headers: dict[str, str] | list[tuple[str, str]], expected: list[Seen]) -> None:
    assert _seen(headers) == expected


PAGE_CASES: list[tuple[str, bytes, list[Seen]]] = [
    (
        "wordpress generator",
        _page('<meta name="generator" content="WordPress 6.4.1" />'),
        [(*WORDPRESS, "6.4.1", "meta:generator")],
    ),
    (
        "joomla generator without a version",
        _page('<meta content="Joomla! - Open Source Content Management" name="generator">'),
        [(*JOOMLA, "", "meta:generator")],
    ),
    (
        "old joomla generator",
        _page("<META NAME='GENERATOR' CONTENT='Joomla! 1.5 - Open Source Content Management'>"),
        [(*JOOMLA, "1.5", "meta:generator")],
    ),
    (
        "drupal generator: major only",
        _page('<meta name="Generator" content="Drupal 9 (https://www.drupal.org)" />'),
        [(*DRUPAL, "", "meta:generator")],
    ),
    (
        "plugin generators are not the cms",
        _page(
            '<meta name="generator" content="Elementor 3.18.0; features: e_dom_optimization">'
            '<meta name="generator" content="Powered by Slider Revolution 6.5.3">'
            '<meta name="generator" content="WordPress.com">'
        ),
        [],
    ),
    (
        "wordpress core assets agree",
        _page(
            "<link rel='stylesheet' href='http://www.portal.example.gov.vn/wp-includes/css/dist/block-library/"
            "style.min.css?ver=6.4.1' /><link rel='stylesheet' href='/wp-includes/css/dashicons.min.css?ver=6.4.1'>"
            "<script src='/wp-includes/js/hoverIntent.min.js?ver=1.10.2'></script>"
            "<script src='/wp-includes/js/dist/hooks.min.js?ver=c6aec9a8d4e5a5d543a1'></script>"
        ),
        [(*WORDPRESS, "6.4.1", "asset:ver")],
    ),
    (
        "wordpress core assets disagree",
        _page(
            "<link rel='stylesheet' href='/wp-includes/css/dashicons.min.css?ver=6.4.1'>"
            "<script src='/wp-includes/js/comment-reply.min.js?ver=6.3'></script>"
        ),
        [(*WORDPRESS, "", "asset:path")],
    ),
    (
        "another site's wordpress",
        _page("<link rel='stylesheet' href='https://blog.example.com/wp-includes/css/dashicons.min.css?ver=6.4.1'>"),
        [],
    ),
    (
        "jquery",
        _page(
            '<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>'
            '<script src="/wp-includes/js/jquery/jquery-migrate.min.js?ver=3.4.1"></script>'
            '<script src="https://code.jquery.com/jquery-3.4.1.min.js"></script>'
            '<script src="https://ajax.googleapis.com/ajax/libs/jquery/1.12.4/jquery.min.js"></script>'
            '<script src="/wp-content/themes/x/js/jquery.min.js?ver=1.0"></script>'
            '<script src="/js/jquery.cookie.js?ver=1.4.1"></script>'
        ),
        [
            (*JQUERY, "3.7.1", "asset:ver"),
            (*JQUERY, "3.4.1", "asset:path"),
            (*JQUERY, "1.12.4", "asset:path"),
            (*WORDPRESS, "", "asset:path"),
        ],
    ),
    (
        "apache error page",
        b"<html><body><h1>Forbidden</h1><hr><address>Apache/2.4.41 (Ubuntu) Server at 10.0.0.5 Port 80</address>",
        [(*APACHE, "2.4.41", "page:address")],
    ),
    (
        "nginx error page",
        b"<html><head><title>404 Not Found</title></head><body><center><h1>404</h1></center><hr>"
        b"<center>nginx/1.18.0 (Ubuntu)</center></body></html>",
        [(*NGINX, "1.18.0", "page:signature")],
    ),
    (
        "tomcat default page",
        b"<html><head><title>Apache Tomcat/9.0.65</title></head><body></body></html>",
        [(*TOMCAT, "9.0.65", "page:signature")],
    ),
    ("a news article is not a disclosure", _page("<p>Apache Tomcat/9.0.65 và nginx/1.18.0 có lỗ hổng</p>"), []),
    ("binary", bytes(range(256)) * 400, []),
    ("utf-16", _page('<meta name="generator" content="WordPress 6.4.1">').decode().encode("utf-16"), []),
    (
        "windows-1258 page",
        '<meta name="generator" content="Joomla! 1.5 - Nô\u0323i dung">'.encode("cp1258", "replace")
        + b"\xd2\xde\xec\xf2",  # Vietnamese tone marks as Windows-1258 bytes: not UTF-8
        [(*JOOMLA, "1.5", "meta:generator")],
    ),
    ("unterminated tag", b'<meta name="generator" content="WordPress 6.4.1' + b" " * 70_000, []),
    (
        "generator past the first 64 KB",
        b"<!--" + b"x" * 70_000 + b'--><meta name="generator" content="WordPress 6.4.1">',
        [],
    ),
]


@pytest.mark.parametrize(("body", "expected"), [c[1:] for c in PAGE_CASES], ids=[c[0] for c in PAGE_CASES])
def test_it_reads_pages(body: bytes, expected: list[Seen]) -> None:
    assert _seen({}, body) == expected


@pytest.mark.parametrize(
    ("raw", "version"),
    [
        ("2.4.49", "2.4.49"),
        ("v1.20.1", "1.20.1"),
        ("8.1.2-1ubuntu2.14", "8.1.2"),
        ("1.0.2k-fips", "1.0.2k"),
        ("7.4.33+deb11u1", "7.4.33"),
        ("8.3.0RC1", "8.3.0RC1"),
        ("9", ""),
        ("latest", ""),
        ("1.2.3.4.5.6.7.8", ""),
        ("1." * 25 + "1", ""),
        ("6.4.1<script>", ""),
        ("", ""),
    ],
)
def test_it_keeps_only_full_upstream_versions(raw: str, version: str) -> None:
    assert version_of(raw) == version


def test_it_reports_each_product_version_once_from_its_first_source() -> None:
    headers = {"Server": "Apache/2.4.57 (Debian) PHP/8.2.7", "X-Powered-By": "PHP/8.2.7"}
    body = _page('<meta name="generator" content="WordPress 6.4.1"><link href="/wp-includes/css/a.css?ver=6.4.1">')

    observed = observe(headers, body, HOME)

    assert [(o.product, o.version, o.source) for o in observed] == [
        ("Apache HTTP Server", "2.4.57", "header:Server"),
        ("PHP", "8.2.7", "header:Server"),
        ("WordPress", "6.4.1", "meta:generator"),
    ]
    assert observed[0].evidence == "Server: Apache/2.4.57 (Debian) PHP/8.2.7"


def test_it_keeps_evidence_short_and_display_safe() -> None:
    hostile = "nginx/1.20.1 \u202e\u200b\x1b[31m" + "<b>x</b>" * 100 + "\udcff\r\n"
    generator = b'<meta name="generator" content="WordPress 6.4.1 &lt;script&gt;\xff\xfe' + b"x" * 300 + b'">'

    observed = observe({"Server": hostile}, _page(generator.decode("latin-1")), HOME)

    assert {o.product for o in observed} == {"nginx", "WordPress"}
    for o in observed:
        assert len(o.evidence) <= 200
        assert o.evidence.isprintable(), o.evidence
        assert o.evidence.encode("utf-8")


def test_it_caps_the_number_of_observations() -> None:
    headers = {"Server": "nginx/1.20.1 Apache/2.4.49 PHP/7.4.33 OpenSSL/1.1.1k", "X-Powered-By": "PHP/8.1.2"}
    body = b"".join(b'<script src="/js/jquery-3.%d.0.min.js"></script>' % n for n in range(50))

    observed = observe(headers, body, HOME)

    assert len(observed) == MAX_OBSERVATIONS
    assert len(set(observed)) == len(observed)


def test_it_emits_only_catalogued_names() -> None:
    bodies = [body for _name, body, _expected in PAGE_CASES]
    headers = [h for _name, h, _expected in HEADER_CASES]
    emitted = {(o.vendor, o.product) for h in headers for b in [b"", *bodies] for o in observe(h, b, HOME)}

    assert emitted <= set(PRODUCTS)
    assert emitted == set(PRODUCTS)  # every product is exercised by a case above


# --- wired into the scan --------------------------------------------------------------------------


def _disclosing(url: str, html: str) -> FetchResult:
    plain = response(url, html)
    headers = (*plain.headers, ("Server", "Apache/2.4.49 (Unix)"), ("X-Powered-By", "PHP/7.4.33"))
    return replace(plain, headers=headers)


def test_it_observes_the_desktop_home_page_without_changing_findings() -> None:
    html = recorded("hidden_spam.html")
    plain = site(html)
    disclosing = site(html, probes={ProbeName.DESKTOP: _disclosing(HOME, html)})

    before, _view = evaluate_site(plain, Baseline(url=HOME))
    after, _view = evaluate_site(disclosing, Baseline(url=HOME))

    assert before.software == ()
    assert [(o.product, o.version) for o in after.software] == [("Apache HTTP Server", "2.4.49"), ("PHP", "7.4.33")]
    assert after.findings == before.findings
    assert after == before  # software never takes part in comparing results


def test_it_observes_nothing_on_an_unreachable_site() -> None:
    result, _view = evaluate_site(site("", probes={ProbeName.DESKTOP: down(HOME)}), Baseline(url=HOME))

    assert not result.reachable
    assert result.software == ()


def test_it_keeps_software_out_of_the_scan_command_json() -> None:
    html = recorded("hidden_spam.html")
    result, _view = evaluate_site(site(html, probes={ProbeName.DESKTOP: _disclosing(HOME, html)}), Baseline(url=HOME))
    assert result.software

    data = result_json(result)

    assert set(data) == {"url", "reachable", "reason", "flagged", "pages", "baseline_scans", "findings"}
    assert "Apache" not in repr(data)


@pytest.fixture
def wordpress_site() -> Iterator[str]:
    home = _page(
        '<meta name="generator" content="WordPress 6.4.1" />'
        "<link rel='stylesheet' href='/wp-includes/css/dist/block-library/style.min.css?ver=6.4.1' />"
        '<script src="/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"></script>'
    )

    class Handler(BaseHTTPRequestHandler):
        server_version = "Apache/2.4.49"
        sys_version = "(Unix) OpenSSL/1.0.2k-fips"

        def do_GET(self) -> None:
            body = home if self.path == "/" else b""
            self.send_response(200 if body else 404)
            self.send_header("X-Powered-By", "PHP/8.1.2-1ubuntu2.14")
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


def test_it_reports_what_a_real_site_discloses(wordpress_site: str, tmp_path: Path) -> None:
    options = ScanOptions(allow_private=True, inner_pages=0)

    (result,) = asyncio.run(scan_sites_async([wordpress_site], tmp_path, options))

    assert result.reachable
    assert [(o.vendor, o.product, o.version, o.source) for o in result.software] == [
        (*APACHE, "2.4.49", "header:Server"),
        (*OPENSSL, "1.0.2k", "header:Server"),
        (*PHP, "8.1.2", "header:X-Powered-By"),
        (*WORDPRESS, "6.4.1", "meta:generator"),
        (*JQUERY, "3.7.1", "asset:ver"),
    ]
    assert all(isinstance(o, Observed) for o in result.software)
