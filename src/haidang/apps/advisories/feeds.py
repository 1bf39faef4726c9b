"""Scheduled feed downloads: the CISA KEV catalogue and the NVD CVE API (changes since the last download).

Both go through the engines' one outbound seam (size, time and address limits); every run leaves a
:class:`FeedImport` row like a file import, and a failure is a row with ``ok=False`` and a Vietnamese
message, never an exception to the scheduler. Off unless ``HAIDANG_FEED_DOWNLOAD`` is on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from haidang.apps.advisories import selectors
from haidang.apps.advisories.models import FeedImport, FeedSource
from haidang.apps.advisories.services import _Counts, _finish, _start, _upsert_batch, import_kev_file
from haidang.engines.common import AddressPolicy, Fetcher, FetchLimits
from haidang.engines.intel import nvd

logger = logging.getLogger(__name__)

KEV_LIMITS = FetchLimits(total_timeout=60.0, read_idle_timeout=30.0, max_body_bytes=32 * 1024 * 1024)
#: The first download without an earlier one covers this far back (a full history is a file import).
FIRST_WINDOW = timedelta(days=120)


def _policy() -> AddressPolicy:
    return AddressPolicy(allow_private=bool(settings.HAIDANG_ALLOW_PRIVATE_TARGETS))


async def _get(url: str) -> tuple[bytes | None, str]:
    async with Fetcher(limits=KEV_LIMITS, policy=_policy()) as fetcher:
        result = await fetcher.fetch(url, user_agent="haidang-feeds/1", headers={"Accept": "application/json"})
    if not result.ok:
        return (
            None,
            f"Không tải được {url}: {result.error.value if result.error else 'lỗi'} {result.error_detail}".strip(),
        )
    if result.status != 200:
        return None, f"Không tải được {url}: máy chủ trả về HTTP {result.status}."
    return result.body, ""


def download_kev(url: str | None = None) -> FeedImport:
    """Fetch the KEV catalogue and import it (flags set and cleared as with a file)."""
    url = url or settings.HAIDANG_KEV_URL
    body, problem = asyncio.run(_get(url))
    if body is None:
        feed_import = _start(FeedSource.KEV_URL, url, None)
        return _finish(feed_import, _Counts(), ok=False, message=problem, actor=None)
    return import_kev_file(path_or_bytes=body, file_name=url, source=FeedSource.KEV_URL)


def download_nvd(*, now: datetime | None = None, client: nvd.NvdClient | None = None) -> FeedImport:
    """Fetch the CVEs NVD changed since the last successful download (or the last 120 days) and import them.

    Each page commits on its own: a download that breaks off keeps the pages before the break, and
    the next run starts again from the previous successful one (imports are idempotent).
    """
    now = now or timezone.now()
    last = selectors.last_successful_import(FeedSource.NVD_API)
    since = last.started_at - timedelta(minutes=5) if last is not None else now - FIRST_WINDOW
    feed_import = _start(FeedSource.NVD_API, settings.HAIDANG_NVD_API_URL, None)
    counts = _Counts()
    loop = asyncio.new_event_loop()
    pages: AsyncIterator[nvd.NvdPage] | None = None
    try:
        fetcher = Fetcher(limits=nvd.NVD_FETCH_LIMITS, policy=_policy())
        loop.run_until_complete(fetcher.__aenter__())
        try:
            client = client or nvd.NvdClient(
                settings.HAIDANG_NVD_API_KEY or None, settings.HAIDANG_NVD_API_URL, fetcher=fetcher
            )
            pages = client.iter_pages(since, now)
            while True:
                try:
                    page = loop.run_until_complete(anext(pages))
                except StopAsyncIteration:
                    break
                counts.read += len(page.records)
                counts.skipped += page.skipped
                if page.records:
                    _upsert_batch(list(page.records), counts)
        finally:
            if pages is not None:
                loop.run_until_complete(pages.aclose())  # type: ignore[attr-defined]
            loop.run_until_complete(fetcher.__aexit__(None, None, None))
    except nvd.NvdApiError as exc:
        message = f"API NVD lỗi: {str(exc)[:300]}. Các trang đã tải trước đó đã được nhập ({counts.read} bản ghi)."
        return _finish(feed_import, counts, ok=False, message=message, actor=None)
    finally:
        loop.close()
    message = (
        f"Đã tải {counts.read} bản ghi thay đổi từ {since:%d/%m/%Y %H:%M}: {counts.created} mới, "
        f"{counts.updated} cập nhật, {counts.unchanged} không đổi, {counts.skipped} bỏ qua."
    )
    return _finish(feed_import, counts, ok=True, message=message, actor=None)
