from __future__ import annotations

import re
import zlib

import pytest

from haidang.engines.docs import Paragraph, document_html, render_pdf
from tests.engines.docs.sample import sample_document


def _expanded(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated, to read object types and metadata without a PDF library."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _pdf_strings(expanded: bytes, key: bytes) -> list[str]:
    values = re.findall(rb"/" + key + rb"\s*<feff([0-9a-fA-F]*)>", expanded)
    return [bytes.fromhex(value.decode()).decode("utf-16-be") for value in values]


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(sample_document())


def test_it_renders_a_pdf_with_title_and_author(pdf: bytes) -> None:
    assert pdf.startswith(b"%PDF-")
    expanded = _expanded(pdf)
    assert "Ban đầu về sự cố an toàn thông tin mạng" in _pdf_strings(expanded, b"Title")
    assert "Sở Khoa học và Công nghệ" in _pdf_strings(expanded, b"Author")
    assert len(re.findall(rb"/Type\s*/Page\b", expanded)) == 1


def test_it_flows_onto_more_pages() -> None:
    long = sample_document(body=(Paragraph("Nội dung dài của báo cáo sự cố.\n\n" * 200),))
    assert len(re.findall(rb"/Type\s*/Page\b", _expanded(render_pdf(long)))) > 3


def test_it_escapes_everything_in_the_html() -> None:
    html = document_html(sample_document())
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=&quot;file:///etc/passwd&quot;&gt;&amp;amp;" in html
    assert "\x00" not in html


def test_it_lays_out_the_page_per_the_decree() -> None:
    html = document_html(sample_document())
    assert "size: A4 portrait" in html
    assert "margin: 20.0mm 15.0mm 20.0mm 30.0mm" in html
    assert '"Times New Roman", "Liberation Serif", serif' in html
    assert "@page :first { @top-center { content: none; } }" in html
    for text in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Nơi nhận:", "KT. GIÁM ĐỐC"):
        assert text in html
    assert "Hải Phòng, ngày 02 tháng 9 năm 2026" in html
    assert "SỞ KHOA HỌC VÀ CÔNG NGHỆ" in html


def test_it_never_fetches_external_resources() -> None:
    from haidang.engines.docs.pdf_render import _refuse

    with pytest.raises(ValueError, match="refused"):
        _refuse("file:///etc/passwd")
