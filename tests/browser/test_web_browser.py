"""End to end in a real browser: a unit officer keeps their inventory, an administrator imports and audits."""

from __future__ import annotations

import base64
import re
from typing import Any

import pytest
from django_otp.oath import totp

from haidang.apps.audit.models import AuditEvent
from haidang.apps.registry.models import Unit, Website
from tests.browser.conftest import SHOTS
from tests.personas import PASSWORD, World

pytestmark = pytest.mark.browser

BAD_CSV = (
    "group_code,group_name,number,name,contact_email\n"
    "district,Khối quận huyện,1,Ủy ban nhân dân quận Hồng Bàng,vp@hongbang.example.vn\n"
    "district,Khối quận huyện,hai,Ủy ban nhân dân quận Lê Chân,khong-phai-email\n"
).encode()


def _shot(page: Any, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login/")
    page.get_by_label("Thư điện tử").fill(email)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def _code_from_secret(secret: str) -> str:
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key):06d}"


def _add_website(page: Any, world: World) -> None:
    page.get_by_role("link", name="+ Thêm trang web").click()
    page.get_by_label("Địa chỉ URL").fill("stp-moi.example.gov.vn")
    page.get_by_role("button", name="Lưu").click()
    error = page.get_by_text("Địa chỉ phải bắt đầu bằng http:// hoặc https:// và có tên miền.")
    assert error.is_visible()
    assert page.get_by_label("Địa chỉ URL").get_attribute("aria-invalid") == "true"
    _shot(page, "04-website-invalid")

    page.get_by_label("Địa chỉ URL").fill("https://stp-moi.example.gov.vn/")
    page.get_by_label("Tên trang").fill("Cổng dịch vụ công Sở Tư pháp")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/units/\d+/#websites$"))
    assert page.get_by_role("status").filter(has_text="Đã thêm trang thông tin điện tử").is_visible()
    assert page.locator("#websites").get_by_text("https://stp-moi.example.gov.vn/").is_visible()
    assert Website.objects.filter(url="https://stp-moi.example.gov.vn/", unit=world.unit_a).exists()
    _shot(page, "05-website-added")


def _check_phone_layout(phone: Any, base: str, world: World) -> None:
    _sign_in(phone, base, world.officer_a.email)
    phone.wait_for_url(f"{base}/")
    _shot(phone, "07-dashboard-phone")
    phone.goto(f"{base}/units/{world.unit_a.id}/")
    _shot(phone, "08-unit-detail-phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page must not scroll sideways on a phone (tables scroll inside their frame)"


def test_it_lets_a_unit_officer_keep_their_websites(live_server: Any, live_world: World, new_page: Any) -> None:
    base = live_server.url
    page = new_page()
    page.goto(f"{base}/login/")
    _shot(page, "01-login")
    _sign_in(page, base, live_world.officer_a.email)

    page.wait_for_url(f"{base}/")
    assert page.locator("html").get_attribute("lang") == "vi"
    assert page.get_by_role("heading", name="Tổng quan", level=1).is_visible()
    assert page.get_by_text("Đơn vị đang hoạt động").is_visible()
    _shot(page, "02-dashboard-officer")

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đơn vị").click()
    page.get_by_role("link", name="Sở Tư pháp").click()
    assert page.get_by_role("heading", name="Sở Tư pháp", level=1).is_visible()
    assert page.get_by_text("Sở Y tế").count() == 0
    _shot(page, "03-unit-detail")
    _add_website(page, live_world)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Websites").is_visible()
    assert page.get_by_role("link", name="Overview").is_visible()
    _shot(page, "06-unit-detail-english")

    _check_phone_layout(new_page(viewport={"width": 390, "height": 844}, is_mobile=True), base, live_world)


def _set_up_two_factor(page: Any, base: str) -> None:
    page.wait_for_url(f"{base}/account/2fa/")
    assert page.get_by_role("heading", name="Bật xác thực hai bước").is_visible()
    assert page.locator("figure.qr svg").is_visible()
    _shot(page, "09-two-factor-setup")
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Mã xác thực 6 chữ số").fill(_code_from_secret(secret))
    page.get_by_role("button", name="Xác nhận và bật").click()
    page.wait_for_url(f"{base}/")
    assert page.get_by_text("Đã bật xác thực hai bước").is_visible()
    _shot(page, "10-dashboard-admin")


def _import_with_errors(page: Any) -> None:
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Đơn vị").click()
    _shot(page, "11-unit-list")
    page.get_by_role("link", name="Nhập từ tệp").click()
    page.get_by_label("Tệp danh sách đơn vị (.csv hoặc .xlsx)").set_input_files(
        files=[{"name": "don-vi.csv", "mimeType": "text/csv", "buffer": BAD_CSV}]
    )
    page.get_by_role("button", name="Kiểm tra và nhập").click()
    report = page.get_by_test_id("import-errors")
    assert report.is_visible()
    rows = report.locator("tbody tr")
    assert rows.count() == 2
    assert "Số thứ tự phải là số nguyên dương." in rows.nth(0).inner_text()
    assert page.get_by_text("chưa có dữ liệu nào được ghi").is_visible()
    _shot(page, "12-import-errors")


def test_it_lets_an_admin_set_up_two_factor_import_and_audit(
    live_server: Any, live_world: World, new_page: Any
) -> None:
    base = live_server.url
    page = new_page()
    _sign_in(page, base, live_world.admin.email)
    _set_up_two_factor(page, base)
    _import_with_errors(page)
    assert Unit.objects.count() == 2

    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Nhật ký").click()
    assert page.get_by_role("heading", name="Nhật ký thao tác", level=1).is_visible()
    assert page.get_by_role("cell", name="Bật xác thực hai bước").is_visible()
    assert AuditEvent.objects.filter(action="user.2fa_enable", actor=live_world.admin).exists()
    _shot(page, "13-audit-log")

    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="Tài khoản và bảo mật").click()
    page.get_by_label("Tên gợi nhớ").fill("Kịch bản báo cáo")
    page.get_by_role("button", name="Tạo mã truy cập").click()
    assert page.get_by_test_id("new-token").inner_text().startswith("hd_")
    _shot(page, "14-account")

    page.goto(f"{base}/units/{live_world.unit_b.id}/merge/")
    page.get_by_label("Đơn vị tiếp nhận (kế thừa)").select_option(label="Sở Tư pháp")
    page.get_by_role("button", name="Tiếp tục").click()
    assert page.get_by_role("heading", name="Xác nhận sáp nhập").is_visible()
    _shot(page, "15-merge-confirm")
