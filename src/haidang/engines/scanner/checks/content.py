"""Foreign content: gambling, adult, pharma, crypto and Chinese spam — visible, hidden, in the title or
meta tags, or in links to other sites — judged in context so news about gambling is not spam."""

from __future__ import annotations

from haidang.engines.scanner.baseline import Baseline, segment_key
from haidang.engines.scanner.sites import is_reputable_host, site_of_host
from haidang.engines.scanner.snippets import clip, join
from haidang.engines.scanner.spam import SpamScore, host_looks_bad, score_text
from haidang.engines.scanner.textnorm import fold
from haidang.engines.scanner.types import Finding, Severity
from haidang.engines.scanner.view import PageView, SiteView, per_page

_CATEGORY_VI = {
    "gambling": "cờ bạc, cá cược",
    "adult": "đồi truỵ",
    "pharma": "thuốc, dược phẩm",
    "crypto": "lừa đảo tiền số",
    "chinese": "cờ bạc tiếng Trung",
}


def _describe(score: SpamScore) -> str:
    return _CATEGORY_VI.get(score.category, score.category)


def _terms(score: SpamScore) -> str:
    return ", ".join([*score.terms[:4], *score.brands[:2]])


def _known(baseline: Baseline, text: str) -> bool:
    return baseline.established and segment_key(fold(text)) in baseline.segments


def _title_findings(view: PageView, baseline: Baseline) -> list[Finding]:
    page = view.page
    assert page is not None  # noqa: S101 - callers pass parsed pages only
    findings = []
    for where, text in (("title", page.title), ("meta", page.meta)):
        score = score_text(text)
        if score.is_spam(context="title") and not _known(baseline, text):
            findings.append(
                Finding(
                    "content.spam_title",
                    Severity.HIGH,
                    f"Tiêu đề/thẻ meta chứa nội dung {_describe(score)}",
                    clip(f"{where}: {text} [{_terms(score)}]"),
                    view.url,
                )
            )
    return findings


def _segment_findings(view: PageView, baseline: Baseline) -> list[Finding]:
    page = view.page
    assert page is not None  # noqa: S101
    hidden: list[str] = []
    visible: list[str] = []
    category = ""
    for segment in page.segments:
        score = score_text(segment.text)
        if not score.category and not score.brands:
            continue
        if score.is_spam(context="hidden" if segment.hidden else "text") and not _known(baseline, segment.text):
            (hidden if segment.hidden else visible).append(f"{clip(segment.text, 120)} [{_terms(score)}]")
            category = category or _describe(score)
    findings = []
    if hidden:
        title = f"Nội dung {category} bị ẩn bằng CSS/thuộc tính"
        findings.append(Finding("content.hidden_spam", Severity.HIGH, title, join(hidden), view.url))
    if visible:
        title = f"Trang hiển thị nội dung {category} lạ"
        findings.append(Finding("content.spam", Severity.HIGH, title, join(visible), view.url))
    return findings


def _link_findings(view: PageView, site: str, baseline: Baseline) -> list[Finding]:
    page = view.page
    assert page is not None  # noqa: S101
    spam_links: list[str] = []
    doorways: list[str] = []
    for link in page.links:
        offsite = site_of_host(link.host) != site
        score = score_text(link.text)
        if offsite:
            bad_host = host_looks_bad(link.host) and not is_reputable_host(link.host)
            if score.is_spam(context="link") or (bad_host and link.host not in baseline.link_hosts):
                spam_links.append(f"{link.host}: {clip(link.text, 60)}{' (ẩn)' if link.hidden else ''}")
        elif link.hidden and score.is_spam(context="link"):
            doorways.append(f"{clip(link.url, 100)}: {clip(link.text, 60)}")
    findings = []
    if spam_links:
        title = "Liên kết tới trang cờ bạc/quảng cáo bất hợp pháp"
        findings.append(Finding("content.spam_links", Severity.HIGH, title, join(spam_links), view.url))
    if doorways:
        title = "Liên kết ẩn tới trang rác được cài trên chính website"
        findings.append(Finding("content.doorway_links", Severity.HIGH, title, join(doorways), view.url))
    return findings


def _hidden_link_farm(view: PageView, site: str, baseline: Baseline) -> list[Finding]:
    """Many hidden links to unknown sites appearing after the baseline: a link farm without spam words."""
    page = view.page
    if page is None or not baseline.established:
        return []
    hosts = {
        link.host
        for link in page.links
        if link.hidden
        and site_of_host(link.host) != site
        and not is_reputable_host(link.host)
        and link.host not in baseline.link_hosts
    }
    if len(hosts) < 3:
        return []
    title = "Nhiều liên kết ẩn mới tới các website lạ"
    return [Finding("content.hidden_links", Severity.MEDIUM, title, join(sorted(hosts)), view.url)]


def _page(page_view: PageView, site: str, baseline: Baseline) -> list[Finding]:
    return [
        *_title_findings(page_view, baseline),
        *_segment_findings(page_view, baseline),
        *_link_findings(page_view, site, baseline),
        *_hidden_link_farm(page_view, site, baseline),
    ]


def evaluate(view: SiteView, baseline: Baseline) -> list[Finding]:
    return per_page(view, lambda page_view: _page(page_view, view.site, baseline))
