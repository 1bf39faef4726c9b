"""Layout, languages, error pages and the read-only rule, across pages."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

import haidang
from haidang.apps.registry.models import Unit, Website
from tests.apps.web.conftest import Login
from tests.personas import World

WEB_DIR = Path(haidang.__file__).parent / "apps" / "web"
PO_FILE = Path(haidang.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_it_renders_the_layout(login: Login, world: World) -> None:
    body = login(world.officer_a).get(reverse("web:dashboard")).content.decode()
    assert '<html lang="vi">' in body
    assert "Hải Đăng" in body
    assert settings.HAIDANG_ORG_NAME in body
    assert haidang.__version__ in body
    assert 'href="/api/v1/docs"' in body
    assert "Cán bộ an toàn thông tin của đơn vị" in body  # role in the user menu
    assert 'aria-current="page"' in body
    assert reverse("web:logout") in body
    assert 'name="language" value="en"' in body


def test_it_switches_to_english_and_back(login: Login, world: World) -> None:
    client = login(world.officer_a)
    response = client.post("/i18n/setlang/", {"language": "en", "next": reverse("web:unit_list")}, follow=True)
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "Export CSV" in body
    assert "Units" in body
    assert "Xuất CSV" not in body
    dashboard = client.get(reverse("web:dashboard")).content.decode()
    assert "Overview" in dashboard
    assert "Active units" in dashboard
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert "Đơn vị đang hoạt động" in client.get(reverse("web:dashboard")).content.decode()


def test_it_translates_form_errors_to_english(login: Login, world: World) -> None:
    client = login(world.officer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("web:asset_add", args=[world.unit_a.id, "website"]), {"url": "stp.example.gov.vn"})
    assert "The address must start with http:// or https:// and contain a domain name." in response.content.decode()


def _po_entries(text: str) -> list[dict[str, str]]:
    """Each entry's keys (msgctxt, msgid, msgid_plural, msgstr, msgstr[0] ...) with their joined strings."""
    entries: list[dict[str, str]] = []
    for block in text.split("\n\n"):
        entry: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
            if match:
                key = match.group(1)
                entry[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def test_it_has_an_english_translation_for_every_message() -> None:
    text = PO_FILE.read_text(encoding="utf-8")
    assert "#, fuzzy" not in text
    entries = _po_entries(text)
    assert len(entries) > 300
    untranslated = [e["msgid"] for e in entries if not (e.get("msgstr") or e.get("msgstr[0]"))]
    assert untranslated == []
    # The compiled catalogue holds every message of the source file (i.e. compilemessages was run).
    with PO_FILE.with_suffix(".mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    keys = {f"{e['msgctxt']}\x04{e['msgid']}" if "msgctxt" in e else e["msgid"] for e in entries}
    compiled_keys = {key[0] if isinstance(key, tuple) else key for key in catalog}
    assert keys <= compiled_keys
    with translation.override("en"):
        assert translation.gettext("Tổng quan") == "Overview"


@override_settings(
    MIDDLEWARE=[
        "haidang.apps.web.middleware.PreferredLanguageMiddleware"
        if name == "django.middleware.locale.LocaleMiddleware"
        else name
        for name in settings.MIDDLEWARE
    ]
)
def test_it_ignores_the_browsers_language_with_the_preferred_language_middleware(client: Client, db: None) -> None:
    english_browser = client.get(reverse("web:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="vi">' in english_browser.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in client.get(reverse("web:login")).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="vi">' in client.get(reverse("web:login")).content.decode()


WRITE_URLS = [
    ("web:asset_add", ["unit_a", "website"], {"url": "https://viewer.example.gov.vn/"}),
    ("web:asset_delete", ["unit_a", "website", "website_a"], {}),
    ("web:system_edit", ["unit_a", "system_a"], {"name": "X", "hosting": "cloud"}),
    ("web:unit_create", [], {"name": "X"}),
    ("web:unit_edit", ["unit_a"], {"name": "X"}),
    ("web:unit_merge", ["unit_a"], {"successor": "unit_b", "confirm": "1"}),
    ("web:unit_dissolve", ["unit_a"], {}),
    ("web:unit_import", [], {}),
    ("web:dashboard", [], {}),
    ("web:unit_list", [], {}),
    ("web:audit_list", [], {}),
]


@pytest.mark.parametrize(("name", "args", "data"), WRITE_URLS)
def test_it_refuses_every_post_from_a_read_only_viewer(
    login: Login, world: World, name: str, args: list[str], data: dict[str, str]
) -> None:
    resolved = [getattr(world, a).id if hasattr(world, a) else a for a in args]
    response = login(world.viewer).post(reverse(name, args=resolved), data)
    assert response.status_code == 403
    assert Website.objects.filter(id=world.website_a.id).exists()
    assert Unit.objects.filter(status="active").count() == 2


def test_it_renders_the_404_page_in_the_same_style(login: Login, world: World) -> None:
    response = login(world.officer_a).get("/khong-co-trang-nay/")
    body = response.content.decode()
    assert response.status_code == 404
    assert "Không tìm thấy trang" in body
    assert "web/app.css" in body


def test_it_renders_the_403_page_with_the_reason(login: Login, world: World) -> None:
    response = login(world.officer_a).get(reverse("web:unit_import"))
    body = response.content.decode()
    assert response.status_code == 403
    assert "Chỉ quản trị của Sở được thực hiện thao tác này." in body
    assert "Về trang tổng quan" in body


def test_it_renders_the_500_page_without_a_request() -> None:
    with translation.override("vi"):
        body = render_to_string("500.html")
    assert "Đã có lỗi ở phía máy chủ" in body
    assert "web/app.css" in body


def test_it_uses_no_external_resources() -> None:
    assert finders.find("web/app.css")
    files = [*WEB_DIR.joinpath("templates").rglob("*.html"), WEB_DIR / "static" / "web" / "app.css"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path
        assert "@import" not in text, path
        assert "url(http" not in text, path


def test_it_never_marks_data_safe_in_templates() -> None:
    for path in WEB_DIR.joinpath("templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "|safe" not in text, path
        assert "autoescape off" not in text, path


ENGLISH_PAGES = [
    ("web:dashboard", []),
    ("web:account", []),
    ("web:unit_list", []),
    ("web:unit_create", []),
    ("web:unit_import", []),
    ("web:audit_list", []),
    ("web:unit_detail", ["unit_a"]),
    ("web:unit_edit", ["unit_a"]),
    ("web:unit_merge", ["unit_a"]),
    ("web:unit_dissolve", ["unit_a"]),
    ("web:asset_add", ["unit_a", "system"]),
    ("web:asset_add", ["unit_a", "website"]),
    ("web:asset_add", ["unit_a", "domain"]),
    ("web:asset_add", ["unit_a", "host"]),
    ("web:asset_add", ["unit_a", "software"]),
    ("web:system_edit", ["unit_a", "system_a"]),
    ("web:asset_delete", ["unit_a", "domain", "domain_a"]),
]


@pytest.mark.parametrize(("name", "args"), ENGLISH_PAGES)
def test_it_renders_every_page_in_english(login: Login, world: World, name: str, args: list[str]) -> None:
    client = login(world.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    resolved = [getattr(world, a).id if hasattr(world, a) else a for a in args]
    response = client.get(reverse(name, args=resolved))
    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in body
    assert "Overview" in body
    assert "Tổng quan" not in body
