"""Scan sites: retrieve, evaluate every check, compare probes, learn the baseline from clean scans."""

from __future__ import annotations

import asyncio
import gc
import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from multiprocessing.context import BaseContext
from pathlib import Path

from haidang.engines.common import AddressPolicy, Fetcher, FetchError, FetchResult
from haidang.engines.scanner.baseline import Baseline, BaselineStore, Store
from haidang.engines.scanner.checks import cloaking
from haidang.engines.scanner.evidence import PageFetch, SiteEvidence
from haidang.engines.scanner.learn import learn
from haidang.engines.scanner.registry import CHECKS
from haidang.engines.scanner.retrieve import home_reachable, retrieve_site
from haidang.engines.scanner.sites import site_of
from haidang.engines.scanner.software import observe
from haidang.engines.scanner.types import Finding, ProbeName, ScanOptions, Severity, SiteResult
from haidang.engines.scanner.view import SiteView, build_view

Progress = Callable[[SiteResult], None]
SITE_CONCURRENCY = 24


def unreachable_reason(result: FetchResult) -> str:
    if result.error is not None:
        return f"{result.error.value}: {result.error_detail}" if result.error_detail else result.error.value
    return f"http_{result.status}"


def merge(findings: list[Finding]) -> tuple[Finding, ...]:
    """One finding per (kind, page, evidence), with every probe that saw it; worst first."""
    merged: dict[tuple[str, str, str], Finding] = {}
    for finding in findings:
        key = finding.key()
        if key in merged:
            old = merged[key]
            probes = tuple(sorted(set(old.probes) | set(finding.probes)))
            worst = old.severity if old.severity.rank >= finding.severity.rank else finding.severity
            merged[key] = Finding(old.kind, worst, old.title, old.evidence, old.url, probes)
        else:
            merged[key] = finding
    return tuple(sorted(merged.values(), key=lambda f: (-f.severity.rank, f.kind, f.url)))


def home_addresses(evidence: SiteEvidence) -> tuple[str, ...]:
    """The remote addresses the home page's probes ended up connected to, sorted, without repeats."""
    peers = {r.peer_address for r in evidence.home.by_probe.values() if r.peer_address}
    return tuple(sorted(peers))


def evaluate_site(evidence: SiteEvidence, baseline: Baseline) -> tuple[SiteResult, SiteView | None]:
    """Evaluate (pure): every check over the retrieved evidence and the baseline."""
    desktop = evidence.desktop_home
    final_url, addresses = desktop.final_url, home_addresses(evidence)
    if not home_reachable(desktop):
        reason = unreachable_reason(desktop)
        finding = Finding(
            "availability.unreachable", Severity.HIGH, "Website không truy cập được", reason, evidence.url
        )
        return SiteResult(evidence.url, False, (finding,), reason, 0, baseline.scans, final_url, addresses), None
    view = build_view(evidence)
    findings: list[Finding] = []
    for check in CHECKS.values():
        findings.extend(check(view, baseline))
    findings.extend(cloaking.evaluate(view, baseline, findings))
    if desktop.status is not None and desktop.status >= 400:
        title = "Trang chủ trả về lỗi HTTP"
        findings.append(
            Finding("availability.http_status", Severity.LOW, title, f"HTTP {desktop.status}", evidence.url)
        )
    pages = 1 + len(evidence.inner)
    kept = [f for f in findings if f.stable_key() not in baseline.accepted] if baseline.accepted else findings
    software = observe(desktop.headers, desktop.body, final_url or evidence.url)
    result = SiteResult(
        evidence.url, True, merge(kept), "", pages, baseline.scans, final_url, addresses, software=software
    )
    return result, view


def page_snapshots(evidence: SiteEvidence, result: SiteResult, max_bytes: int) -> dict[str, bytes]:
    """The desktop body of the home page (keyed by the URL as given) and of each page with a finding."""
    bodies: dict[str, bytes] = {}
    home = evidence.desktop_home
    if home.body:
        bodies[result.url] = home.body[:max_bytes]
    wanted = {f.url for f in result.findings if f.url}
    for page in evidence.inner:
        fetched = page.by_probe.get(ProbeName.DESKTOP)
        if page.url in wanted and fetched is not None and fetched.body:
            bodies[page.url] = fetched.body[:max_bytes]
    if evidence.url in wanted and home.body:
        bodies[evidence.url] = home.body[:max_bytes]
    return bodies


async def scan_site(url: str, fetcher: Fetcher, store: Store, options: ScanOptions) -> SiteResult:
    baseline = store.load(url)
    # A bare host name ("sotttt.haiphong.gov.vn") is scanned as http://; the result keeps the URL as given.
    target = url.strip() if "://" in url else f"http://{url.strip()}"
    try:
        evidence = await asyncio.wait_for(retrieve_site(target, fetcher, options, baseline), options.site_timeout)
    except TimeoutError:
        timeout = FetchResult(target, target, error=FetchError.TIMEOUT, error_detail="site time budget exceeded")
        evidence = SiteEvidence(target, site_of(target), PageFetch(target, {ProbeName.DESKTOP: timeout}))
    result, view = evaluate_site(evidence, baseline)
    result = replace(result, url=url)
    if options.keep_snapshots:
        result = replace(result, snapshots=page_snapshots(evidence, result, options.snapshot_max_bytes))
    baseline.scans_seen += 1
    if view is not None and not result.flagged:
        learn(baseline, view)
    store.save(baseline)
    return result


async def scan_sites_async(
    urls: Sequence[str], state_dir: Path | Store, options: ScanOptions, progress: Progress | None = None
) -> list[SiteResult]:
    """Scan ``urls`` concurrently; results in the order given (a URL given twice is scanned once).

    ``state_dir`` is a directory of baseline files, or any :class:`Store` (the platform keeps baselines
    in its database so that every worker machine sees the same ones).
    """
    store = BaselineStore(state_dir) if isinstance(state_dir, Path) else state_dir
    policy = AddressPolicy(allow_private=options.allow_private)
    unique = list(dict.fromkeys(urls))
    slots = asyncio.Semaphore(SITE_CONCURRENCY)
    fetcher_for_sweep = Fetcher(
        limits=options.limits, policy=policy, verify_tls=options.verify_tls, source_address=options.source_address
    )
    async with fetcher_for_sweep as fetcher:

        async def one(url: str) -> SiteResult:
            async with slots:
                result = await scan_site(url, fetcher, store, options)
            if progress is not None:
                progress(result)
            return result

        results = dict(zip(unique, await asyncio.gather(*(one(u) for u in unique)), strict=True))
    return [results[url] for url in urls]


def _pool_context() -> BaseContext:
    """Where worker processes come from: a fork server that has already imported the scanner.

    Spawning imports aiohttp, selectolax, tldextract and compiles the lexicon's patterns again in every
    worker, about 0.6 s per ``scan_sites`` call on the 2-core machine; a fork server does that once per
    parent process and forks each worker from its warm state. The server is a fresh single-threaded
    process, so, unlike forking the caller, this is safe whatever threads the caller runs.
    """
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        return context
    return multiprocessing.get_context("spawn")


#: Allocations between young-generation collections in a worker process (CPython's default is 700).
WORKER_GC_THRESHOLD = 10_000


def _scan_chunk(urls: list[str], state_dir: str, options: ScanOptions) -> list[SiteResult]:
    # A worker process only scans, so it may tune the collector: parsing allocates tens of thousands
    # of short-lived nodes and tuples per site, and at the default threshold the collections, full
    # ones over every cache included, took ~5.5 of ~42 ms of CPU per site (1.7 ms at this threshold).
    # The caller's own process (``jobs=1``, Celery) is left as it is.
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])
    return asyncio.run(scan_sites_async(urls, Path(state_dir), options))


def scan_sites(
    urls: Sequence[str],
    state_dir: Path,
    options: ScanOptions | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> list[SiteResult]:
    """Synchronous entry point for the command line and Celery tasks.

    ``jobs`` > 1 spreads the sites over that many processes (parsing is CPU-bound, one core each);
    each site is scanned by exactly one process, so its baseline file has a single writer.
    """
    options = options or ScanOptions()
    unique = list(dict.fromkeys(urls))
    if jobs <= 1 or len(unique) < 2 * jobs:
        return asyncio.run(scan_sites_async(urls, state_dir, options, progress))
    size = max(4, min(32, len(unique) // (jobs * 4)))
    chunks = [unique[i : i + size] for i in range(0, len(unique), size)]
    results: dict[str, SiteResult] = {}
    with ProcessPoolExecutor(max_workers=jobs, mp_context=_pool_context()) as pool:
        futures = [pool.submit(_scan_chunk, chunk, str(state_dir), options) for chunk in chunks]
        for future in as_completed(futures):
            for result in future.result():
                results[result.url] = result
                if progress is not None:
                    progress(result)
    return [results[url] for url in urls]
