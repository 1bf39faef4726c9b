"""The follow-up report and the matrix open in LibreOffice and come out as readable pages.

Skipped without LibreOffice and poppler, unless HAIDANG_REQUIRE_BROWSER=1 (CI) makes that a failure.
The PNG pages are left in the test's temporary directory for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from haidang.apps.directives.models import Directive
from haidang.apps.directives.reports import followup_document, matrix_xlsx
from haidang.apps.directives.selectors import status_matrix
from haidang.apps.directives.status import STATE_LABELS
from haidang.apps.incidents.reports import report_response
from haidang.engines.docs import render_docx
from tests.apps.directives.office import (
    pdf_page_sizes,
    pdf_pages_png,
    pdf_text,
    render_with_libreoffice,
    require_office,
)
from tests.apps.directives.test_reports import BEFORE_DUE, dispatch_with_states
from tests.apps.incidents.conftest import incident_factory
from tests.personas import World

A4_PORTRAIT = (595.0, 842.0)  # points, ±1


@pytest.fixture(scope="module")
def office_profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One LibreOffice profile for the module: creating one costs seconds on the first start."""
    require_office()
    return tmp_path_factory.mktemp("lo-profile")


@pytest.fixture
def mixed(world: World) -> Directive:
    return dispatch_with_states(world)


def _convert(name: str, body: bytes, tmp_path: Path, profile: Path) -> tuple[Path, list[Path]]:
    source = tmp_path / name
    source.write_bytes(body)
    pdf = render_with_libreoffice(source, tmp_path / "pdf", profile=profile)
    pages = pdf_pages_png(pdf, tmp_path / "png")
    assert pages, f"no page rendered from {name}"
    for page in pages:
        _assert_not_blank(page)
    return pdf, pages


def _assert_not_blank(png: Path) -> None:
    with Image.open(png) as image:
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
        assert dark > 0.002 * grey.width * grey.height, f"{png.name} is (almost) blank"


def _coloured_pixels(png: Path) -> int:
    """Pixels that are clearly not grey: the matrix's state fills."""
    with Image.open(png) as image:
        raw = image.convert("RGB").tobytes()
    pixels = zip(raw[0::3], raw[1::3], raw[2::3], strict=True)
    return sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 40)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _squashed(text: str) -> str:
    """Without any white space: justified lines come out of pdftotext with spaces inside words."""
    return "".join(text.split())


def test_it_opens_the_followup_report_in_libreoffice(
    world: World, mixed: Directive, tmp_path: Path, office_profile: Path
) -> None:
    body = render_docx(followup_document(directive=mixed, visible_to=world.admin, now=BEFORE_DUE))
    pdf, pages = _convert("bao-cao.docx", body, tmp_path, office_profile)
    sizes = pdf_page_sizes(pdf)
    assert len(sizes) == len(pages) >= 1
    for width, height in sizes:  # the appendix fits A4 portrait: no page turned or widened
        assert abs(width - A4_PORTRAIT[0]) <= 1
        assert abs(height - A4_PORTRAIT[1]) <= 1
    text = _flat(pdf_text(pdf, layout=False))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "BÁO CÁO" in text
    assert "Kết quả thực hiện Văn bản số 1234/STTTT-BCVT" in text
    assert "III. CÁC ĐƠN VỊ CHƯA HOÀN THÀNH" in text
    assert _squashed("Sở Y tế (Khối các cơ quan quản lý nhà nước): hoàn thành 0/8 mục") in _squashed(text)
    assert "Khối các cơ quan quản lý nhà nước" in text
    assert "Doanh nghiệp viễn thông, Internet" in text
    assert "1a, 1b, 1c, 1d, 1e, 1f, 1g, 1h" in text  # the appendix's widest cell, on one line or wrapped whole
    assert "Nơi nhận:" in text


def test_it_opens_the_matrix_in_libreoffice(
    world: World, mixed: Directive, tmp_path: Path, office_profile: Path
) -> None:
    matrix = status_matrix(visible_to=world.admin, directive=mixed, now=BEFORE_DUE)
    pdf, pages = _convert("ma-tran.xlsx", matrix_xlsx(matrix), tmp_path, office_profile)
    text = _flat(pdf_text(pdf, layout=False))
    for code in ("1a", "1h", "2a", "2d"):
        assert f" {code} " in f" {text} "
    for state in ("accepted", "returned", "in_progress", "pending", "auto"):
        assert _flat(STATE_LABELS[state]) in text or STATE_LABELS[state].split()[0] in text
    assert "Sở Y tế" in text
    assert "Viễn thông Thành phố" in text
    assert "Khối các cơ quan quản lý nhà nước" in text  # the "Theo khối" sheet
    assert "Giao thêm nhiệm vụ cho bộ phận" in text  # the "Nội dung mục" sheet
    assert _coloured_pixels(pages[0]) > 500, "the state fills did not render"


def test_it_opens_an_incident_report_in_libreoffice(world: World, tmp_path: Path, office_profile: Path) -> None:
    incident = incident_factory(world)(title="Cổng thông tin bị thay giao diện")
    body = report_response(incident, "initial", "docx").content
    pdf, _pages = _convert("su-co.docx", body, tmp_path, office_profile)
    text = _flat(pdf_text(pdf, layout=False))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "I. THÔNG TIN ĐƠN VỊ BÁO CÁO SỰ CỐ" in text
    assert "Cổng thông tin bị thay giao diện" in text


def test_it_keeps_the_national_name_on_one_line(
    world: World, mixed: Directive, tmp_path: Path, office_profile: Path
) -> None:
    body = render_docx(followup_document(directive=mixed, visible_to=world.admin, now=BEFORE_DUE))
    pdf, _pages = _convert("bao-cao.docx", body, tmp_path, office_profile)
    lines = [line.strip() for line in pdf_text(pdf).splitlines()]
    assert any(line.endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") for line in lines)
