"""End to end in a real browser: a citizen reports a defaced website on the public portal and follows it up."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_django.fixtures import Settings as SettingsWrapper

from haidang.apps.incidents.models import Attachment, Incident, Source
from tests.apps.portal.conftest import PNG
from tests.browser.conftest import SHOTS
from tests.personas import World

pytestmark = pytest.mark.browser


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def portal_settings(settings: SettingsWrapper) -> None:
    settings.HAIDANG_HOTLINE = "0225 3888 999"
    # The live server runs in this process: no waiting for the too-fast guard in a test.
    settings.HAIDANG_PORTAL_MIN_FILL_SECONDS = 0


def test_it_lets_a_citizen_report_a_defaced_website_and_track_it(
    live_server: Any, live_world: World, new_page: Any, portal_settings: None
) -> None:
    base = live_server.url
    page = new_page()
    page.goto(f"{base}/portal/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("link", name="0225 3888 999").first.is_visible()
    _shot(page, "portal-01-home")

    page.get_by_role("link", name="Báo sự cố an toàn thông tin").click()
    assert page.get_by_label("Sự cố an toàn thông tin", exact=False).is_checked()
    page.get_by_label("Sự việc đã xảy ra").fill("Trang chủ Sở Tư pháp hiện dòng chữ 'Hacked by Ghost' và nhạc lạ.")
    page.get_by_label("Địa chỉ trang web, số điện thoại hoặc người gửi liên quan").fill("https://stp.example.gov.vn/")
    page.get_by_label("Họ và tên của bạn").fill("Lê Văn Công Dân")
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill("số lạ")
    honeypot = page.locator(".portal-hp").bounding_box()
    assert honeypot is not None
    assert honeypot["x"] + honeypot["width"] <= 0, "people never see the honeypot: it sits off-screen"
    page.get_by_role("button", name="Gửi phản ánh").click()
    assert page.get_by_text("Hãy nhập số điện thoại (ví dụ 0912 345 678)").is_visible()
    assert page.get_by_label("Số điện thoại hoặc thư điện tử").get_attribute("aria-invalid") == "true"
    assert "Hacked by Ghost" in page.get_by_label("Sự việc đã xảy ra").input_value()
    _shot(page, "portal-02-report-invalid")

    page.get_by_label("Số điện thoại hoặc thư điện tử").fill("0912 345 678")
    page.get_by_label("Ảnh chụp màn hình hoặc tệp PDF (không bắt buộc)").set_input_files(
        files=[{"name": "trang-chu.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_url(f"{base}/portal/report/received/")
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert len(code) == 14
    assert page.get_by_text("Hãy ghi lại hoặc chụp màn hình mã này ngay.").is_visible()
    _shot(page, "portal-03-receipt")
    incident = Incident.objects.get()
    assert incident.source == Source.PORTAL
    assert Attachment.objects.filter(incident=incident, content_type="image/png").exists()

    page.get_by_role("link", name="Tra cứu phản ánh").first.click()
    page.get_by_label("Mã theo dõi").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    assert page.get_by_test_id("report-status").inner_text() == "Mới tiếp nhận"
    _shot(page, "portal-04-status")

    phone = new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone.goto(f"{base}/portal/")
    _shot(phone, "portal-05-home-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
