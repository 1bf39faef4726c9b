"""The warning letter opens in LibreOffice and comes out as readable A4 pages.

Skipped without LibreOffice and poppler, unless HAIDANG_REQUIRE_BROWSER=1 (CI) makes that a failure.
The PNG pages are left in the test's temporary directory for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from haidang.apps.advisories.reports import KEV_LABEL, warning_docx
from tests.apps.advisories.test_reports import make_warning
from tests.apps.directives.office import (
    pdf_page_sizes,
    pdf_pages_png,
    pdf_text,
    render_with_libreoffice,
    require_office,
)
from tests.personas import World

A4_PORTRAIT = (595.0, 842.0)  # points, ±1


def _squashed(text: str) -> str:
    """Without white space or hyphens: justified lines come out of pdftotext with spaces inside words, and
    pdftotext drops the hyphen where a narrow cell wraps "CVE-2026-" onto the next line."""
    return "".join(text.split()).replace("-", "")


def test_it_opens_the_warning_letter_in_libreoffice(world: World, tmp_path: Path) -> None:
    require_office()
    source = tmp_path / "canh-bao.docx"
    source.write_bytes(warning_docx(make_warning(world).warning))
    pdf = render_with_libreoffice(source, tmp_path / "pdf", profile=tmp_path / "lo-profile")
    pages = pdf_pages_png(pdf, tmp_path / "png")
    assert pages, "no page rendered"
    for page in pages:
        with Image.open(page) as image:
            grey = image.convert("L")
            assert sum(grey.histogram()[:128]) > 0.002 * grey.width * grey.height, f"{page.name} is (almost) blank"
    for width, height in pdf_page_sizes(pdf):
        assert abs(width - A4_PORTRAIT[0]) <= 1
        assert abs(height - A4_PORTRAIT[1]) <= 1
    text = _squashed(pdf_text(pdf, layout=False))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 12/CB-ATTT",
        "CVE-2026-10001",
        KEV_LABEL,
        "trước 17:00 ngày 05/09/2026",
        "Danh sách đơn vị và hệ thống bị ảnh hưởng",
        "Wiki nội bộ",
        "Nơi nhận:",
    ):
        assert _squashed(expected) in text, expected
