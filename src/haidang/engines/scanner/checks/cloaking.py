"""Cloaking: what a crawler, a mobile visitor or a visitor from Google sees differs from what the
department sees in a browser. Works on the other checks' findings, which carry the probes that saw them."""

from __future__ import annotations

from collections import defaultdict

from haidang.engines.scanner.baseline import Baseline
from haidang.engines.scanner.sites import site_of
from haidang.engines.scanner.snippets import clip
from haidang.engines.scanner.textnorm import fold, tokens
from haidang.engines.scanner.types import Finding, ProbeName, Severity
from haidang.engines.scanner.view import PageView, SiteView

_CRAWLERS = {ProbeName.GOOGLEBOT.value, ProbeName.BINGBOT.value}
_REFERRERS = {ProbeName.REFERER_GOOGLE.value, ProbeName.REFERER_GOOGLE_VN.value, ProbeName.MOBILE_FROM_GOOGLE.value}
_MOBILE = {ProbeName.MOBILE.value, ProbeName.MOBILE_FROM_GOOGLE.value}


def _audience(probes: set[str]) -> tuple[str, str]:
    if probes <= _CRAWLERS:
        return "cloaking.crawler", "Nội dung chỉ hiển thị cho máy tìm kiếm (Googlebot/Bingbot)"
    if probes <= _REFERRERS:
        return "cloaking.search_referer", "Nội dung chỉ hiển thị cho người đến từ Google"
    if probes <= _MOBILE:
        return "cloaking.mobile", "Nội dung chỉ hiển thị trên điện thoại"
    return "cloaking.partial", "Nội dung khác nhau giữa các kiểu truy cập"


def _desktop_ok(view: SiteView, url: str) -> bool:
    return any(p.url == url and p.probe == ProbeName.DESKTOP and p.fetch.ok for p in view.pages)


def _hidden_from_desktop(view: SiteView, findings: list[Finding]) -> list[Finding]:
    """Findings on a page that the browser probe did not see: one cloaking finding per audience and page."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for finding in findings:
        if finding.severity.rank >= Severity.MEDIUM.rank and finding.probes:
            seen[(finding.kind, finding.url)].update(finding.probes)
    grouped: dict[tuple[str, str], list[Finding]] = defaultdict(list)
    audiences: dict[tuple[str, str], set[str]] = defaultdict(set)
    for finding in findings:
        probes = seen.get((finding.kind, finding.url))
        if not probes or ProbeName.DESKTOP.value in probes or not _desktop_ok(view, finding.url):
            continue
        kind, _title = _audience(probes)
        grouped[(kind, finding.url)].append(finding)
        audiences[(kind, finding.url)].update(probes)
    result = []
    for (kind, url), hidden in grouped.items():
        _kind, title = _audience(audiences[(kind, url)])
        details = "; ".join(dict.fromkeys(f"{f.title}: {f.evidence}" for f in hidden))
        evidence = f"{', '.join(sorted(audiences[(kind, url)]))} — {details}"
        result.append(
            Finding(kind, Severity.CRITICAL, title, clip(evidence), url, tuple(sorted(audiences[(kind, url)])))
        )
    return result


def _diverging_redirects(view: SiteView) -> list[Finding]:
    by_url: dict[str, dict[ProbeName, PageView]] = defaultdict(dict)
    for page_view in view.pages:
        by_url[page_view.url][page_view.probe] = page_view
    result = []
    for url, probes in by_url.items():
        desktop = probes.get(ProbeName.DESKTOP)
        if desktop is None or not desktop.fetch.ok or site_of(desktop.fetch.final_url) != view.site:
            continue
        away = {
            probe.value: pv.fetch.final_url
            for probe, pv in probes.items()
            if pv.fetch.final_url and site_of(pv.fetch.final_url) not in {"", view.site}
        }
        if away:
            kind, title = _audience(set(away))
            evidence = "; ".join(f"{probe} → {target}" for probe, target in sorted(away.items()))
            result.append(
                Finding(f"{kind}_redirect", Severity.CRITICAL, title + " (chuyển hướng)", clip(evidence), url)
            )
    return result


def _referrer_scripts(view: SiteView) -> list[Finding]:
    for page_view in view.pages:
        for facts in page_view.inline:
            if facts.referrer_check:
                title = "Mã JavaScript chỉ chuyển hướng người đến từ máy tìm kiếm"
                evidence = ", ".join(facts.redirects[:2])
                return [Finding("cloaking.referer_script", Severity.CRITICAL, title, clip(evidence), page_view.url)]
    for url, (_fetch, facts) in view.own_scripts.items():
        if facts.referrer_check:
            title = "Tệp JavaScript chỉ chuyển hướng người đến từ máy tìm kiếm"
            return [
                Finding("cloaking.referer_script", Severity.CRITICAL, title, clip(", ".join(facts.redirects[:2])), url)
            ]
    return []


def _words(page_view: PageView) -> set[str]:
    return set(tokens(fold(page_view.page.text[:50_000]))) if page_view.page else set()


def _crawler_content(view: SiteView) -> list[Finding]:
    desktop = view.home(ProbeName.DESKTOP)
    if desktop is None or desktop.page is None or desktop.page.text_chars < 300:
        return []
    base = _words(desktop)
    for probe in (ProbeName.GOOGLEBOT, ProbeName.BINGBOT):
        other = view.home(probe)
        if other is None or other.page is None or other.page.text_chars < 300:
            continue
        words = _words(other)
        similarity = len(base & words) / max(1, len(base | words))
        if similarity < 0.25:
            title = "Máy tìm kiếm nhận được trang khác hẳn trang người dùng thấy"
            evidence = f"{probe.value}: độ giống nội dung {similarity:.0%}; tiêu đề “{clip(other.page.title, 80)}”"
            return [Finding("cloaking.crawler_content", Severity.HIGH, title, evidence, desktop.url, (probe.value,))]
    return []


def evaluate(view: SiteView, baseline: Baseline, findings: list[Finding]) -> list[Finding]:
    """Cloaking findings, given the findings of every other check for the same scan."""
    del baseline  # cloaking compares probes within one scan
    return [
        *_hidden_from_desktop(view, findings),
        *_diverging_redirects(view),
        *_referrer_scripts(view),
        *_crawler_content(view),
    ]
