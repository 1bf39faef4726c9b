"""Teach the baseline what a clean scan showed."""

from __future__ import annotations

from haidang.engines.scanner.baseline import MAX_HOSTS, MAX_PATHS, MAX_SEGMENTS, Baseline, segment_key
from haidang.engines.scanner.checks.code import offsite_urls, own_script_digest
from haidang.engines.scanner.checks.defacement import identity_tokens
from haidang.engines.scanner.checks.tampering import page_key
from haidang.engines.scanner.contacts import extract_contacts
from haidang.engines.scanner.page import Page
from haidang.engines.scanner.retrieve import path_key
from haidang.engines.scanner.sites import host_of, site_of_host
from haidang.engines.scanner.textnorm import fold
from haidang.engines.scanner.types import ProbeName
from haidang.engines.scanner.view import PageView, SiteView


def _bounded_add(target: set[str], values: set[str], limit: int) -> None:
    for value in values:
        if len(target) >= limit:
            return
        target.add(value)


def _learn_page(baseline: Baseline, page_view: PageView, site: str, repeat: bool) -> None:
    page = page_view.page
    assert page is not None  # noqa: S101
    if not repeat:  # another probe's view with the same analysis_key already added exactly these values
        _learn_values(baseline, page, site)
    if page_view.probe == ProbeName.DESKTOP:
        contacts = extract_contacts(page.text)
        baseline.contacts[page_key(page_view.url)] = {k: sorted(v) for k, v in contacts.items()}
        if not page_view.is_home:
            _bounded_add(baseline.paths, {path_key(page_view.url)}, MAX_PATHS)


def _learn_values(baseline: Baseline, page: Page, site: str) -> None:
    _bounded_add(baseline.script_hosts, {host_of(s.src) for s in page.scripts if s.src}, MAX_HOSTS)
    _bounded_add(baseline.frame_hosts, {host_of(f.src) for f in page.frames}, MAX_HOSTS)
    offsite = {link.host for link in page.links if site_of_host(link.host) != site}
    _bounded_add(baseline.link_hosts, offsite, MAX_HOSTS)
    texts = [page.title, page.meta, *(s.text for s in page.segments), *(link.text for link in page.links)]
    _bounded_add(baseline.segments, {segment_key(fold(t)) for t in texts if t}, MAX_SEGMENTS)


def _learn_home(baseline: Baseline, page_view: PageView) -> None:
    page = page_view.page
    assert page is not None  # noqa: S101
    present = identity_tokens(f"{page.identity} {page.title}")
    baseline.identity = sorted(present if not baseline.identity else set(baseline.identity) & present or present)
    baseline.elements, baseline.links = page.elements, len(page.links)


def learn(baseline: Baseline, view: SiteView) -> None:
    """Fold a clean scan into ``baseline`` (the caller decides that the scan was clean)."""
    learned: set[tuple[int, int, str, bool]] = set()
    for page_view in view.pages:
        if page_view.page is None:
            continue
        key = page_view.analysis_key
        _learn_page(baseline, page_view, view.site, key in learned)
        learned.add(key)
        if page_view.is_home and page_view.probe == ProbeName.DESKTOP:
            _learn_home(baseline, page_view)
        if page_view.fetch.final_url:
            baseline.redirect_hosts.add(host_of(page_view.fetch.final_url))
    for url, (fetch, facts) in view.own_scripts.items():
        baseline.own_js[url] = own_script_digest(fetch.text)
        baseline.own_js_urls[url] = offsite_urls(facts, view.site)[:100]
    baseline.scans += 1
