"""Injected code: unknown scripts and frames, hidden iframes, crypto-miners, forms sending passwords
elsewhere, ``document.write`` of decoded payloads, and changes to the site's own JavaScript files."""

from __future__ import annotations

import hashlib
import re

from haidang.engines.scanner.baseline import Baseline
from haidang.engines.scanner.jsscan import MINERS, ScriptFacts
from haidang.engines.scanner.sites import (
    host_of,
    is_reputable_host,
    looks_like_impostor,
    on_abused_tld,
    site_of,
    site_of_host,
)
from haidang.engines.scanner.snippets import clip, join
from haidang.engines.scanner.spam import score_text
from haidang.engines.scanner.types import Finding, Severity
from haidang.engines.scanner.view import PageView, SiteView, per_page

_MARKUP_URL = re.compile(r"(?:src|href|action)\s*=\s*['\"]?((?:https?:)?//[^'\"\s>]+)", re.IGNORECASE)


def _foreign(url: str, site: str) -> bool:
    host = host_of(url)
    return bool(host) and site_of_host(host) != site and not is_reputable_host(host)


def _script_sources(view: PageView, site: str, baseline: Baseline) -> list[Finding]:
    page = view.page
    assert page is not None  # noqa: S101
    findings = []
    for script in page.scripts:
        if not script.src or not _foreign(script.src, site):
            continue
        host = host_of(script.src)
        if MINERS.search(script.src):
            findings.append(
                Finding("code.cryptominer", Severity.CRITICAL, "Mã đào tiền ảo", clip(script.src), view.url)
            )
        elif looks_like_impostor(host):
            title = "Tải mã JavaScript từ tên miền giả mạo dịch vụ phổ biến"
            findings.append(Finding("code.impostor_script", Severity.HIGH, title, clip(script.src), view.url))
        elif baseline.established and host not in baseline.script_hosts:
            title = "Mã JavaScript mới từ tên miền lạ"
            findings.append(Finding("code.new_script_host", Severity.MEDIUM, title, clip(script.src), view.url))
        elif on_abused_tld(host):
            title = "Mã JavaScript từ tên miền thuộc đuôi thường bị lạm dụng"
            findings.append(Finding("code.suspicious_script_host", Severity.MEDIUM, title, clip(script.src), view.url))
        elif not baseline.established:
            title = "Mã JavaScript từ bên thứ ba chưa rõ nguồn"
            findings.append(Finding("code.third_party_script", Severity.LOW, title, clip(script.src), view.url))
    return findings


def _frames(view: PageView, site: str, baseline: Baseline) -> list[Finding]:
    page = view.page
    assert page is not None  # noqa: S101
    findings = []
    for frame in page.frames:
        if not _foreign(frame.src, site):
            continue
        if frame.hidden:
            title = "Khung iframe ẩn tải trang của tên miền khác"
            findings.append(Finding("code.hidden_iframe", Severity.HIGH, title, clip(frame.src), view.url))
        elif on_abused_tld(host_of(frame.src)) or (
            baseline.established and host_of(frame.src) not in baseline.frame_hosts
        ):
            title = "Khung iframe mới từ tên miền lạ"
            findings.append(Finding("code.new_iframe_host", Severity.MEDIUM, title, clip(frame.src), view.url))
    return findings


def _forms(view: PageView, site: str) -> list[Finding]:
    page = view.page
    assert page is not None  # noqa: S101
    return [
        Finding(
            "code.credential_form", Severity.HIGH, "Biểu mẫu gửi mật khẩu ra ngoài website", clip(f.action), view.url
        )
        for f in page.forms
        if f.has_password and _foreign(f.action, site)
    ]


def script_payloads(facts: ScriptFacts, site: str, baseline: Baseline, url: str) -> list[Finding]:
    """Miners, decoded ``document.write`` payloads and loaders in one script."""
    findings = []
    if facts.miner:
        findings.append(Finding("code.cryptominer", Severity.CRITICAL, "Mã đào tiền ảo", clip(facts.miner), url))
    for markup in facts.written:
        targets = [u for u in _MARKUP_URL.findall(markup) if _foreign(u, site)]
        if targets or score_text(markup).is_spam(context="hidden"):
            title = "document.write chèn mã/liên kết lạ" + (" (bị làm rối)" if facts.obfuscated else "")
            findings.append(Finding("code.document_write", Severity.HIGH, title, clip(markup, 200), url))
            break
    loads = [u for u in facts.loads if _foreign(u, site) and host_of(u) not in baseline.script_hosts]
    if loads:
        severity = Severity.HIGH if facts.obfuscated or looks_like_impostor(host_of(loads[0])) else Severity.MEDIUM
        title = "Mã JavaScript nạp thêm mã từ tên miền lạ"
        findings.append(Finding("code.script_loader", severity, title, join(loads), url))
    return findings


def _own_scripts(view: SiteView, baseline: Baseline) -> list[Finding]:
    findings = []
    for url, (fetch, facts) in view.own_scripts.items():
        findings.extend(script_payloads(facts, view.site, baseline, url))
        known = baseline.own_js.get(url)
        if not known or known == _digest(fetch.text):
            continue
        before = set(baseline.own_js_urls.get(url, []))
        new_urls = [u for u in facts.urls if _foreign(u, view.site) and u not in before]
        if new_urls:
            title = "Tệp JavaScript của website bị sửa, thêm địa chỉ lạ"
            findings.append(Finding("code.own_script_modified", Severity.HIGH, title, join(new_urls), url))
    return findings


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "replace"), digest_size=16).hexdigest()


def own_script_digest(text: str) -> str:
    return _digest(text)


def offsite_urls(facts: ScriptFacts, site: str) -> list[str]:
    return [u for u in facts.urls if site_of(u) != site]


def _page(page_view: PageView, site: str, baseline: Baseline) -> list[Finding]:
    found = [
        *_script_sources(page_view, site, baseline),
        *_frames(page_view, site, baseline),
        *_forms(page_view, site),
    ]
    for facts in page_view.inline:
        found.extend(script_payloads(facts, site, baseline, page_view.url))
    return found


def evaluate(view: SiteView, baseline: Baseline) -> list[Finding]:
    findings = per_page(view, lambda page_view: _page(page_view, view.site, baseline))
    findings.extend(_own_scripts(view, baseline))
    return findings
