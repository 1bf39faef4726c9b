"""Render an :class:`OfficialDocument` as DOCX laid out per Nghị định 30/2020/NĐ-CP, Phụ lục I."""

from __future__ import annotations

from datetime import UTC, datetime, time
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as DocxParagraph

from haidang.engines.docs.layout import NATIONAL_MOTTO, NATIONAL_NAME, ND30, RECIPIENTS_LABEL, Layout
from haidang.engines.docs.text import (
    body_paragraphs,
    bounded,
    number_line,
    place_date_line,
    recipient_lines,
    signer_lines,
)
from haidang.engines.docs.types import (
    Block,
    BulletList,
    Heading,
    LabeledField,
    OfficialDocument,
    Paragraph,
    Table,
)

_Container = DocxDocument | _Cell


def render_docx(doc: OfficialDocument, layout: Layout = ND30) -> bytes:
    """The document as DOCX bytes: A4 portrait, the decree's margins and fonts, national header,
    title, body, recipients and signature block, page numbers from page 2."""
    doc = bounded(doc)
    document = Document()
    _page_setup(document.sections[0], layout)
    _base_style(document, layout)
    _header(document, doc, layout)
    _title(document, doc, layout)
    for block in doc.body:
        _block(document, block, layout)
    _closing(document, doc, layout)
    props = document.core_properties
    props.title, props.subject, props.author = doc.summary, doc.kind, doc.author or doc.issuer.name
    props.last_modified_by, props.comments, props.language = doc.author or doc.issuer.name, "", "vi-VN"
    props.created = props.modified = datetime.combine(doc.issued_on, time(), tzinfo=UTC)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


# --- page and styles ---------------------------------------------------------------------------


def _page_setup(section: Section, layout: Layout) -> None:
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(layout.page_width_mm), Mm(layout.page_height_mm)
    section.top_margin, section.bottom_margin = Mm(layout.margin_top_mm), Mm(layout.margin_bottom_mm)
    section.left_margin, section.right_margin = Mm(layout.margin_left_mm), Mm(layout.margin_right_mm)
    section.header_distance = Mm(layout.header_distance_mm)
    # The first page shows no number: it gets its own (empty) header.
    section.different_first_page_header_footer = True
    number = section.header.paragraphs[0]
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(number, layout)


def _page_field(paragraph: DocxParagraph, layout: Layout) -> None:
    for kind, text in (("begin", ""), ("", " PAGE "), ("separate", ""), ("", "2"), ("end", "")):
        run = paragraph.add_run()
        run.font.size = Pt(layout.page_number_pt)
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text.strip() == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            run.text = text


def _base_style(document: DocxDocument, layout: Layout) -> None:
    style = document.styles["Normal"]
    font = style.font
    font.name, font.size = layout.font_family, Pt(layout.body_pt)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), layout.font_family)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "vi-VN")
    style.element.get_or_add_rPr().append(language)
    paragraph = style.paragraph_format
    paragraph.space_before, paragraph.space_after = Pt(0), Pt(layout.paragraph_after_pt)
    paragraph.line_spacing = layout.line_spacing


# --- building blocks ---------------------------------------------------------------------------


def _line(
    where: _Container,
    text: str,
    size: float,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: WD_ALIGN_PARAGRAPH = WD_ALIGN_PARAGRAPH.CENTER,
    after: float = 0,
) -> DocxParagraph:
    paragraph = where.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.line_spacing = 1.0
    for index, part in enumerate(text.split("\n")):
        if index:
            paragraph.runs[-1].add_break(WD_BREAK.LINE)
        run = paragraph.add_run(part)
        run.font.size, run.bold, run.italic, run.underline = Pt(size), bold, italic, underline
    return paragraph


def _rule(where: _Container, width_mm: float, layout: Layout) -> DocxParagraph:
    """A short centred horizontal line: a bottom border on an empty paragraph narrowed by indents."""
    paragraph = where.add_paragraph()
    fmt = paragraph.paragraph_format
    side = width_mm * (1 - layout.short_rule_fraction) / 2
    fmt.left_indent = fmt.right_indent = Mm(side)
    fmt.space_after, fmt.line_spacing = Pt(4), Pt(2)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def _grid(document: DocxDocument, widths: tuple[float, ...], rows: int = 1) -> DocxTable:
    table: DocxTable = document.add_table(rows=rows, cols=len(widths))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    # Word reads the cells' widths, LibreOffice the table's column grid: set both.
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
            _clear(cell)
    return table


def _clear(cell: _Cell) -> None:
    """Drop the empty paragraph a new cell starts with, so text starts at the top."""
    for paragraph in cell.paragraphs:
        paragraph._p.getparent().remove(paragraph._p)


# --- the parts of the page ---------------------------------------------------------------------


def _header(document: DocxDocument, doc: OfficialDocument, layout: Layout) -> None:
    """Ô 1–4: agency names and number on the left, national name, motto, place and date on the right."""
    left, right = layout.header_left_mm, layout.header_right_mm
    table = _grid(document, (left, right), rows=2)
    agency, nation = table.rows[0].cells
    if doc.issuer.parent:
        _line(agency, doc.issuer.parent.upper(), layout.agency_pt)
    _line(agency, doc.issuer.name.upper(), layout.agency_pt, bold=True)
    _rule(agency, left, layout)
    _line(nation, NATIONAL_NAME, layout.national_name_pt, bold=True)
    # The motto's underline is as long as the words: a run underline is exactly that.
    _line(nation, NATIONAL_MOTTO, layout.motto_pt, bold=True, underline=True, after=6)
    number, when = table.rows[1].cells
    _line(number, number_line(doc.number, doc.symbol), layout.number_pt)
    _line(when, place_date_line(doc.place, doc.issued_on), layout.place_date_pt, italic=True)


def _title(document: DocxDocument, doc: OfficialDocument, layout: Layout) -> None:
    """Ô 5b: the kind in capitals and the summary, both bold and centred, with a short line below."""
    kind = _line(document, doc.kind.upper(), layout.kind_pt, bold=True)
    kind.paragraph_format.space_before = Pt(18)
    _line(document, doc.summary, layout.summary_pt, bold=True)
    _rule(document, layout.text_width_mm * 0.6, layout)


def _block(document: DocxDocument, block: Block, layout: Layout) -> None:
    if isinstance(block, Heading):
        _body(document, block.text, layout, bold=True)
    elif isinstance(block, Paragraph):
        for lines in body_paragraphs(block.text):
            _body(document, "\n".join(lines), layout)
    elif isinstance(block, LabeledField):
        _body(document, block.value or "…", layout, label=f"{block.label}: ")
    elif isinstance(block, BulletList):
        for item in block.items:
            _body(document, f"- {item}", layout)
    else:
        _table(document, block, layout)


def _body(document: DocxDocument, text: str, layout: Layout, *, bold: bool = False, label: str = "") -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.first_line_indent = Mm(layout.first_line_indent_mm)
    if label:
        run = paragraph.add_run(label)
        run.bold = True
    for index, part in enumerate(text.split("\n")):
        if index:
            paragraph.runs[-1].add_break(WD_BREAK.LINE)
        paragraph.add_run(part).bold = bold


def _table(document: DocxDocument, block: Table, layout: Layout) -> None:
    if not block.columns:
        return
    table = document.add_table(rows=1 + len(block.rows), cols=len(block.columns))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, values in zip(table.rows, (block.columns, *block.rows), strict=True):
        header = row is table.rows[0]
        for cell, value in zip(row.cells, values, strict=True):
            _clear(cell)
            align = WD_ALIGN_PARAGRAPH.CENTER if header else WD_ALIGN_PARAGRAPH.LEFT
            _line(cell, value, layout.table_pt, bold=header, align=align)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _closing(document: DocxDocument, doc: OfficialDocument, layout: Layout) -> None:
    """Ô 9 (recipients) at the bottom left and ô 7 (signature) at the bottom right."""
    table = _grid(document, (layout.footer_left_mm, layout.footer_right_mm))
    recipients, signature = table.rows[0].cells
    left = WD_ALIGN_PARAGRAPH.LEFT
    _line(recipients, RECIPIENTS_LABEL, layout.recipients_label_pt, bold=True, italic=True, align=left)
    for line in recipient_lines(doc.recipients):
        _line(recipients, line, layout.recipients_pt, align=left)
    for line in signer_lines(doc.signer):
        _line(signature, line, layout.signer_pt, bold=True)
    for _ in range(4):  # room for the signature and the seal
        _line(signature, "", layout.signer_pt)
    _line(signature, doc.signer.name, layout.signer_pt, bold=True)
