"""Issue #5 end to end in a real browser, against a real website on 127.0.0.1.

A unit officer registers the unit's website; the duty officer presses "Quét ngay" and the first scan sets
the baseline; the site is compromised with hidden gambling links; the next scan (confirmed by an immediate
re-scan) opens a finding and an incident and notifies the duty officer, who sees the evidence beside the
last clean page, escaped; the site is repaired and the next scan resolves the finding.

Celery runs eagerly in the live server's thread, so "Quét ngay" scans inside the request. The personas'
own websites (example.gov.vn) are switched off first: nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from haidang.apps.incidents.models import Incident
from haidang.apps.monitoring.models import Finding, FindingState, WatchState
from haidang.apps.registry.models import Website
from tests.apps.monitoring.conftest import CLEAN, COMPROMISED, LocalSite, local_site
from tests.browser.conftest import SHOTS, sign_in
from tests.personas import World

__all__ = ["local_site"]

pytestmark = pytest.mark.browser


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"monitoring-flow-{name}.png"), full_page=True)


def _scan_now(page: Any) -> None:
    page.get_by_role("button", name="Quét ngay").click()
    page.wait_for_load_state()


def test_a_compromise_is_found_escalated_and_resolved(
    live_server: Any, live_world: World, new_page: Any, local_site: LocalSite, settings: Any
) -> None:
    settings.HAIDANG_ALLOW_PRIVATE_TARGETS = True
    WatchState.objects.filter(website__in=[live_world.website_a, live_world.website_b]).update(enabled=False)
    base = live_server.url

    unit = new_page()
    sign_in(unit, base, live_world.officer_a.email)
    unit.goto(f"{base}/units/{live_world.unit_a.id}/")
    unit.get_by_role("link", name="+ Thêm trang web").click()
    unit.get_by_label("Địa chỉ URL").fill(local_site.url)
    unit.get_by_label("Tên trang").fill("Cổng thông tin thử nghiệm")
    unit.get_by_role("button", name="Lưu").click()
    unit.wait_for_url(re.compile(r"/units/\d+/#websites$"))
    website = Website.objects.get(url=local_site.url)
    assert WatchState.objects.get(website=website).enabled  # watched from the moment it is registered

    duty = new_page()
    sign_in(duty, base, live_world.duty.email)
    duty.goto(f"{base}/monitoring/websites/{website.id}/")
    _scan_now(duty)
    assert not Finding.objects.filter(website=website).exists()
    duty.goto(f"{base}/monitoring/websites/{website.id}/")
    assert duty.get_by_test_id("site-status").first.inner_text().strip() == "Bình thường"
    _shot(duty, "01-baseline")

    local_site.serve(COMPROMISED)
    _scan_now(duty)
    finding = Finding.objects.filter(website=website, state=FindingState.OPEN, severity="high").first()
    assert finding is not None
    incident = Incident.objects.get(dedupe_key=f"website:{website.id}")
    assert finding.incident_id == incident.id

    duty.goto(f"{base}/")
    assert duty.get_by_test_id("notify-unread").is_visible()  # the duty officer was notified
    duty.goto(f"{base}/monitoring/websites/{website.id}/")
    assert duty.get_by_test_id("site-status").first.inner_text().strip() == "Có dấu hiệu bất thường"
    _shot(duty, "02-compromised")
    duty.goto(f"{base}/monitoring/findings/{finding.id}/")
    current = duty.get_by_test_id("snapshot-current").inner_text()
    assert "kubet" in current
    assert "kubet" not in duty.get_by_test_id("snapshot-baseline").inner_text()
    assert duty.locator("a[href='https://kubet-vip.top/']").count() == 0  # shown as text, never as a link
    _shot(duty, "03-finding")

    local_site.serve(CLEAN)  # repaired
    duty.goto(f"{base}/monitoring/websites/{website.id}/")
    _scan_now(duty)
    finding.refresh_from_db()
    assert finding.state == FindingState.RESOLVED
    duty.goto(f"{base}/monitoring/websites/{website.id}/")
    assert duty.get_by_test_id("site-status").first.inner_text().strip() == "Bình thường"
    _shot(duty, "04-repaired")
