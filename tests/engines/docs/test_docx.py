from __future__ import annotations

from io import BytesIO

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from haidang.engines.docs import ND30, Heading, Paragraph, Table, render_docx
from haidang.engines.docs.text import MAX_BLOCKS, MAX_TEXT
from tests.engines.docs.sample import sample_document


def _open(data: bytes) -> DocxDocument:
    return Document(BytesIO(data))


@pytest.fixture(scope="module")
def rendered() -> DocxDocument:
    return _open(render_docx(sample_document()))


def test_it_lays_out_an_a4_portrait_page_with_the_decrees_margins(rendered: DocxDocument) -> None:
    section = rendered.sections[0]
    assert section.page_width is not None
    assert section.page_height is not None
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    top, bottom, left, right = (round(margin.mm) for margin in margins if margin is not None)
    assert 20 <= top <= 25
    assert 20 <= bottom <= 25
    assert 30 <= left <= 35
    assert 15 <= right <= 20


def test_it_writes_in_times_new_roman_13_to_14_points(rendered: DocxDocument) -> None:
    normal = rendered.styles["Normal"]
    assert normal.font.name == "Times New Roman"  # type: ignore[attr-defined]
    assert 13 <= normal.font.size.pt <= 14  # type: ignore[attr-defined]
    fonts = normal.element.rPr.rFonts
    assert fonts.get(qn("w:cs")) == fonts.get(qn("w:eastAsia")) == "Times New Roman"


def test_it_puts_agency_and_number_left_and_the_national_header_right(rendered: DocxDocument) -> None:
    header = rendered.tables[0]
    agency, nation = (cell.paragraphs for cell in header.rows[0].cells)
    assert [p.text for p in agency][:2] == ["UBND THÀNH PHỐ HẢI PHÒNG", "SỞ KHOA HỌC VÀ CÔNG NGHỆ"]
    assert agency[1].runs[0].bold
    assert not agency[0].runs[0].bold
    assert agency[2]._p.pPr.find(qn("w:pBdr")) is not None, "a short line under the issuing agency"
    assert nation[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert nation[0].runs[0].bold
    assert 12 <= nation[0].runs[0].font.size.pt <= 13
    motto = nation[1].runs[0]
    assert (nation[1].text, motto.bold, motto.underline) == ("Độc lập - Tự do - Hạnh phúc", True, True)
    assert 13 <= motto.font.size.pt <= 14
    number, when = header.rows[1].cells
    assert number.text.replace(" ", "") == "Số:/BC-SKHCN"
    assert when.text == "Hải Phòng, ngày 02 tháng 9 năm 2026"
    assert when.paragraphs[0].runs[0].italic


def test_it_centres_the_title_in_bold_capitals(rendered: DocxDocument) -> None:
    kind, summary = rendered.paragraphs[0], rendered.paragraphs[1]
    assert kind.text == "BÁO CÁO"
    assert summary.text == "Ban đầu về sự cố an toàn thông tin mạng"
    for paragraph in (kind, summary):
        assert paragraph.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(run.bold for run in paragraph.runs)


def test_it_writes_the_body_justified_and_indented(rendered: DocxDocument) -> None:
    texts = [p.text for p in rendered.paragraphs]
    assert "I. THÔNG TIN ĐƠN VỊ BÁO CÁO SỰ CỐ" in texts
    field = next(p for p in rendered.paragraphs if p.text.startswith("Tên đơn vị:"))
    assert field.text == "Tên đơn vị: Sở Tư pháp"
    assert field.runs[0].bold
    assert not field.runs[1].bold
    assert field.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert field.paragraph_format.first_line_indent is not None
    assert 10 <= field.paragraph_format.first_line_indent.mm <= 12.8
    assert "- Khôi phục từ bản sao lưu" in texts
    assert "Đoạn thứ hai." in texts, "blank lines separate paragraphs"
    grid = rendered.tables[1]
    assert [[cell.text for cell in row.cells] for row in grid.rows] == [
        ["STT", "Loại", "Giá trị"],
        ["1", "URL", "http://evil.example/x"],
        ["2", "IPv4", ""],
    ]


def test_it_keeps_hostile_text_as_text(rendered: DocxDocument) -> None:
    body = "\n".join(p.text for p in rendered.paragraphs)
    assert '<script>alert(1)</script><img src="file:///etc/passwd">&amp;' in body
    assert "\x00" not in body
    assert "\x1b" not in body


def test_it_ends_with_recipients_left_and_the_signature_right(rendered: DocxDocument) -> None:
    recipients, signature = rendered.tables[-1].rows[0].cells
    label = recipients.paragraphs[0]
    assert label.text == "Nơi nhận:"
    assert label.runs[0].bold
    assert label.runs[0].italic
    assert label.runs[0].font.size.pt == 12
    assert [p.text for p in recipients.paragraphs[1:]] == [
        "- Như trên;",
        "- Cơ quan điều phối quốc gia (để b/c);",
        "- Lưu: VT, ATTT.",
    ]
    assert all(p.runs[0].font.size.pt == 11 for p in recipients.paragraphs[1:])
    lines = [p.text for p in signature.paragraphs if p.text]
    assert lines == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn An"]


def test_it_numbers_pages_at_the_top_from_the_second_page(rendered: DocxDocument) -> None:
    section = rendered.sections[0]
    assert section.different_first_page_header_footer
    assert not section.first_page_header.paragraphs[0].text
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" in "".join(node.text or "" for node in header._p.iter(qn("w:instrText")))


def test_it_records_title_and_author(rendered: DocxDocument) -> None:
    props = rendered.core_properties
    assert (props.title, props.author) == ("Ban đầu về sự cố an toàn thông tin mạng", "Sở Khoa học và Công nghệ")


def test_it_writes_a_given_number_with_two_digits() -> None:
    header = _open(render_docx(sample_document(number="7"))).tables[0]
    assert header.rows[1].cells[0].text == "Số: 07/BC-SKHCN"


def test_it_bounds_huge_and_numerous_blocks() -> None:
    body = (Paragraph("x" * (MAX_TEXT * 3)), *(Heading(f"H{i}") for i in range(MAX_BLOCKS * 2)))
    texts = [p.text for p in _open(render_docx(sample_document(body=body))).paragraphs]
    assert max(len(text) for text in texts) <= MAX_TEXT
    assert len([text for text in texts if text.startswith("H")]) == MAX_BLOCKS - 1


def test_it_bounds_tables() -> None:
    huge = Table(tuple(f"c{i}" for i in range(50)), (("y" * 10_000,) * 50,) * 1000)
    table = _open(render_docx(sample_document(body=(huge,)))).tables[1]
    assert len(table.columns) == 8
    assert len(table.rows) == 1 + 200
    assert len(table.rows[1].cells[0].text) <= 2_000


def test_it_takes_its_numbers_from_one_layout() -> None:
    assert ND30.text_width_mm == ND30.header_left_mm + ND30.header_right_mm
    assert ND30.text_width_mm == ND30.footer_left_mm + ND30.footer_right_mm
