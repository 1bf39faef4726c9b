"""Background work of monitoring: the per-minute dispatcher and the chunked scan.

``monitoring.dispatch_due`` (beat, every minute) claims every due website with a conditional UPDATE
and enqueues one ``monitoring.scan_websites`` per chunk of ``HAIDANG_SCAN_CHUNK`` websites (websites
of one host stay in one chunk, where the engine's per-host limit applies). ``scan_websites`` scans its
chunk as one asyncio fan-out, re-scans at once every site whose result would alert (a one-off glitch
pages nobody), records each result and releases the claims. A killed task leaves claims that expire
by themselves (``claimed_until``).

Vantage points (``vantages.py``): the chunks go to the ``celery`` queue for the default vantage, and
again to ``scan.<vantage>`` for each other vantage a website is watched from. There a task only
records what it saw (``services.vantage_observe``): it leaves the claims, the findings lifecycle and
the shared baselines to the default vantage.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from urllib.parse import urlsplit

from celery import shared_task
from django.conf import settings

from haidang.apps.monitoring import selectors, services
from haidang.apps.monitoring.store import DbBaselineStore, snapshots_prune
from haidang.apps.monitoring.vantages import DEFAULT_VANTAGE, queue_for
from haidang.apps.registry.models import Website
from haidang.engines.scanner import ScanOptions, SiteResult, scan_sites_async

logger = logging.getLogger(__name__)


def _host(url: str) -> str:
    try:
        return urlsplit(url if "://" in url else f"http://{url}").hostname or url
    except ValueError:
        return url


@shared_task(name="monitoring.dispatch_due", soft_time_limit=50, time_limit=58, ignore_result=True)
def dispatch_due() -> int:
    """Claim the due websites and enqueue their scans in chunks; return how many were claimed."""
    website_ids = services.watches_claim_due()
    enqueue_scans(website_ids)
    return len(website_ids)


def enqueue_scans(website_ids: list[int]) -> None:
    """Enqueue the scans of claimed websites in chunks: default vantage first, then every other one."""
    urls = dict(Website.objects.filter(id__in=website_ids).values_list("id", "url"))
    ordered = sorted(website_ids, key=lambda i: (_host(urls.get(i, "")), i))
    chunk = max(1, settings.HAIDANG_SCAN_CHUNK)
    for start in range(0, len(ordered), chunk):
        scan_websites.delay(ordered[start : start + chunk])
    # With no worker of a vantage running, its tasks expire instead of piling up in its queue.
    expires = 2 * 60 * settings.HAIDANG_SCAN_INTERVAL_MINUTES
    for vantage, ids in selectors.vantage_websites(ordered).items():
        for start in range(0, len(ids), chunk):
            scan_websites.apply_async(
                args=(ids[start : start + chunk],),
                kwargs={"vantage": vantage},
                queue=queue_for(vantage),
                expires=expires,
            )


def _options() -> ScanOptions:
    return ScanOptions(
        allow_private=settings.HAIDANG_ALLOW_PRIVATE_TARGETS,
        inner_pages=settings.HAIDANG_SCAN_INNER_PAGES,
        keep_snapshots=True,
        source_address=settings.HAIDANG_VANTAGE_SOURCE_ADDRESS or None,
    )


def _scan(urls: list[str], store: DbBaselineStore, options: ScanOptions) -> tuple[list[SiteResult], dict[str, int]]:
    started = time.monotonic()
    took: dict[str, int] = {}

    def done(result: SiteResult) -> None:
        took[result.url] = int((time.monotonic() - started) * 1000)

    results = asyncio.run(scan_sites_async(urls, store, options, done))
    return results, took


@shared_task(name="monitoring.scan_websites", soft_time_limit=600, time_limit=660, ignore_result=True)
def scan_websites(website_ids: list[int], vantage: str = DEFAULT_VANTAGE) -> int:
    """Scan the websites (one fan-out), confirm what would alert, record; return how many were recorded.

    ``vantage`` is where the scan was meant to come from; a worker elsewhere refuses it, since what it
    would record as seen from there would be false.
    """
    if vantage != settings.HAIDANG_VANTAGE:
        logger.error(
            "monitoring: a scan for vantage %r reached a worker of vantage %r; start it with --queues %s",
            vantage,
            settings.HAIDANG_VANTAGE,
            queue_for(settings.HAIDANG_VANTAGE),
        )
        if vantage == DEFAULT_VANTAGE:
            services.watches_release(website_ids)
        return 0
    if vantage != DEFAULT_VANTAGE:
        return _observe_from(vantage, website_ids)
    websites = list(Website.objects.filter(id__in=website_ids, is_active=True).select_related("unit"))
    recorded: set[int] = set()
    try:
        if not websites:
            return 0
        options = _options()
        store = DbBaselineStore(deferred=True)
        store.preload(w.url for w in websites)
        results, took = _scan([w.url for w in websites], store, options)
        by_url = dict(zip([w.url for w in websites], results, strict=True))
        confirm = [w.url for w in websites if services.needs_confirmation(w, by_url[w.url])]
        if confirm:
            again, again_took = _scan(confirm, store, options)
            by_url.update(zip(confirm, again, strict=True))
            for url, ms in again_took.items():
                took[url] = took.get(url, 0) + ms
        store.flush()
        for website in websites:
            try:
                services.record_scan(website=website, result=by_url[website.url], duration_ms=took.get(website.url, 0))
                services.vantage_observe(website=website, vantage=vantage, result=by_url[website.url])
            except Exception:  # one website's failure must not lose the others' results
                logger.exception("monitoring: recording the scan of website %s failed", website.id)
                continue
            recorded.add(website.id)
    finally:
        # Whatever did not record (an error, a deactivated website) is released for its next turn.
        services.watches_release(set(website_ids) - recorded)
    return len(recorded)


def _observe_from(vantage: str, website_ids: list[int]) -> int:
    """Scan from this (non-default) vantage and keep only the observations; return how many were kept."""
    websites = list(Website.objects.filter(id__in=website_ids, is_active=True, watch__enabled=True))
    if not websites:
        return 0
    # Baselines are read but never written from here: a page served only to this vantage must not be
    # learned as the website's normal page (the deferred store is simply not flushed).
    store = DbBaselineStore(deferred=True)
    store.preload(w.url for w in websites)
    results, _took = _scan([w.url for w in websites], store, replace(_options(), keep_snapshots=False))
    kept = 0
    for website, result in zip(websites, results, strict=True):
        try:
            services.vantage_observe(website=website, vantage=vantage, result=result)
        except Exception:  # one website's failure must not lose the others' observations
            logger.exception("monitoring: recording vantage %s of website %s failed", vantage, website.id)
            continue
        kept += 1
    return kept


@shared_task(name="monitoring.prune_snapshots", soft_time_limit=1800, time_limit=1900, ignore_result=True)
def prune_snapshots() -> int:
    """Daily: delete page snapshots no finding or watch refers to any more."""
    return snapshots_prune()
