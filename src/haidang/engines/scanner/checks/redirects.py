"""Redirects away from the site: HTTP, meta refresh and JavaScript (including obfuscated JavaScript).

Moving within the site (http→https, / → /vi/, www → bare domain) is normal and never reported.
"""

from __future__ import annotations

from haidang.engines.scanner.baseline import Baseline
from haidang.engines.scanner.jsscan import ScriptFacts
from haidang.engines.scanner.sites import host_of, is_reputable_host, on_abused_tld, site_of
from haidang.engines.scanner.snippets import clip
from haidang.engines.scanner.spam import host_looks_bad
from haidang.engines.scanner.types import Finding, Severity
from haidang.engines.scanner.view import PageView, SiteView


def _offsite(target: str, site: str, baseline: Baseline) -> bool:
    return bool(target) and site_of(target) not in {"", site} and host_of(target) not in baseline.redirect_hosts


def _severity(target: str, high: Severity = Severity.HIGH) -> Severity:
    return Severity.LOW if is_reputable_host(host_of(target)) else high


def _http(view: PageView, site: str, baseline: Baseline) -> list[Finding]:
    chain = view.fetch.redirect_chain
    leaving = [hop for hop in chain if _offsite(hop.target, site, baseline)]
    if not leaving:
        return []
    hops = " → ".join(f"{clip(hop.url, 80)} ({hop.status})" for hop in chain)
    target = leaving[0].target
    title = "Chuyển hướng HTTP sang tên miền khác"
    return [Finding("redirect.cross_domain", _severity(target), title, clip(f"{hops} → {target}"), view.url)]


def _meta(view: PageView, site: str, baseline: Baseline) -> list[Finding]:
    target = view.page.refresh if view.page else ""
    if not _offsite(target, site, baseline):
        return []
    title = "Thẻ meta refresh chuyển hướng sang tên miền khác"
    return [Finding("redirect.meta_refresh", _severity(target), title, clip(target), view.url)]


def _canonical(view: PageView, site: str, baseline: Baseline) -> list[Finding]:
    """Search engines are told the page lives elsewhere (canonical/AMP hijack): its ranking is stolen."""
    targets = [t for t in (view.page.canonical if view.page else ()) if _offsite(t, site, baseline)]
    suspicious = [t for t in targets if not is_reputable_host(host_of(t))]
    if not suspicious:
        return []
    severity = (
        Severity.HIGH
        if any(host_looks_bad(host_of(t)) or on_abused_tld(host_of(t)) for t in suspicious)
        else Severity.MEDIUM
    )
    title = "Thẻ canonical/AMP trỏ sang tên miền khác (chiếm thứ hạng tìm kiếm)"
    return [Finding("redirect.canonical_hijack", severity, title, clip(", ".join(suspicious[:3])), view.url)]


def script_redirects(facts: ScriptFacts, site: str, baseline: Baseline, url: str) -> list[Finding]:
    """Findings for location changes in one script (inline or the site's own file)."""
    targets = [t for t in facts.redirects if _offsite(t, site, baseline)]
    if not targets:
        return []
    target = targets[0]
    severe = facts.obfuscated or facts.referrer_check
    kind = "redirect.javascript_obfuscated" if facts.obfuscated else "redirect.javascript"
    title = "Mã JavaScript (bị làm rối) chuyển hướng sang tên miền khác" if severe else "Mã JavaScript chuyển hướng"
    severity = _severity(target, Severity.CRITICAL if severe else Severity.HIGH)
    return [Finding(kind, severity, title, clip(", ".join(targets[:3])), url)]


def evaluate(view: SiteView, baseline: Baseline) -> list[Finding]:
    findings: list[Finding] = []
    for page_view in view.pages:
        found = [
            *_http(page_view, view.site, baseline),
            *_meta(page_view, view.site, baseline),
            *_canonical(page_view, view.site, baseline),
        ]
        for facts in page_view.inline:
            found.extend(script_redirects(facts, view.site, baseline, page_view.url))
        findings.extend(f.seen_by(page_view.probe.value) for f in found)
    for url, (_fetch, facts) in view.own_scripts.items():
        findings.extend(script_redirects(facts, view.site, baseline, url))
    return findings
