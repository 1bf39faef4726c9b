"""Render an :class:`OfficialDocument` as PDF through HTML and WeasyPrint, with the DOCX's layout.

Every string is escaped: report content is typed by users and, through the public portal, by
anyone. The HTML references nothing outside itself and WeasyPrint's URL fetcher refuses every
request, so no content can make the renderer touch the file system or the network.
"""

from __future__ import annotations

from html import escape
from typing import NoReturn

from haidang.engines.docs.layout import NATIONAL_MOTTO, NATIONAL_NAME, ND30, RECIPIENTS_LABEL, Layout
from haidang.engines.docs.text import (
    body_paragraphs,
    bounded,
    number_line,
    place_date_line,
    recipient_lines,
    signer_lines,
)
from haidang.engines.docs.types import Block, BulletList, Heading, LabeledField, OfficialDocument, Paragraph, Table


def render_pdf(doc: OfficialDocument, layout: Layout = ND30) -> bytes:
    """The document as PDF bytes (A4, the decree's margins and sizes, page numbers from page 2)."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy import, only when rendering

    pdf: bytes = HTML(string=document_html(doc, layout), base_url=None, url_fetcher=_refuse).write_pdf()
    return pdf


def _refuse(url: str, *args: object, **kwargs: object) -> NoReturn:
    raise ValueError(f"external resource refused: {url[:80]}")


def _e(text: str) -> str:
    return escape(text, quote=True)


def _lines(text: str) -> str:
    return "<br>".join(_e(line) for line in text.split("\n"))


def document_html(doc: OfficialDocument, layout: Layout = ND30) -> str:
    """The self-contained HTML that :func:`render_pdf` prints; every value escaped."""
    doc = bounded(doc)
    parent = f'<p class="parent">{_e(doc.issuer.parent.upper())}</p>' if doc.issuer.parent else ""
    recipients = "".join(f"<p>{_e(line)}</p>" for line in recipient_lines(doc.recipients))
    signer = "".join(f'<p class="signer">{_e(line)}</p>' for line in signer_lines(doc.signer))
    body = "\n".join(_block(block) for block in doc.body)
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>{_e(doc.summary)}</title><meta name="author" content="{_e(doc.author or doc.issuer.name)}">
<style>{_css(layout)}</style></head>
<body>
<table class="head">
<tr><td class="left">{parent}<p class="agency">{_e(doc.issuer.name.upper())}</p><div class="rule"></div></td>
<td class="right"><p class="nation">{NATIONAL_NAME}</p><p class="motto"><span>{NATIONAL_MOTTO}</span></p></td></tr>
<tr><td class="left"><p class="number">{_e(number_line(doc.number, doc.symbol))}</p></td>
<td class="right"><p class="date">{_e(place_date_line(doc.place, doc.issued_on))}</p></td></tr>
</table>
<h1 class="kind">{_e(doc.kind.upper())}</h1>
<p class="summary">{_e(doc.summary)}</p><div class="rule title-rule"></div>
<main>{body}</main>
<table class="foot"><tr>
<td class="recipients"><p class="label">{RECIPIENTS_LABEL}</p>{recipients}</td>
<td class="signature">{signer}<div class="space"></div><p class="signer">{_e(doc.signer.name)}</p></td>
</tr></table>
</body></html>"""


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f'<p class="heading level-{block.level}">{_e(block.text)}</p>'
    if isinstance(block, Paragraph):
        return "".join(f"<p>{_lines(chr(10).join(lines))}</p>" for lines in body_paragraphs(block.text))
    if isinstance(block, LabeledField):
        return f'<p><span class="label">{_e(block.label)}:</span> {_lines(block.value or "…")}</p>'
    if isinstance(block, BulletList):
        return "".join(f"<p>- {_lines(item)}</p>" for item in block.items)
    return _table(block)


def _table(block: Table) -> str:
    if not block.columns:
        return ""
    head = "".join(f"<th>{_e(name)}</th>" for name in block.columns)
    rows = "".join("<tr>" + "".join(f"<td>{_lines(cell)}</td>" for cell in row) + "</tr>" for row in block.rows)
    return f'<table class="grid"><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>'


def _css(layout: Layout) -> str:
    return f"""
@page {{
  size: A4 portrait;
  margin: {layout.margin_top_mm}mm {layout.margin_right_mm}mm {layout.margin_bottom_mm}mm {layout.margin_left_mm}mm;
  @top-center {{ content: counter(page); font-family: {layout.css_font_stack}; font-size: {layout.page_number_pt}pt; }}
}}
@page :first {{ @top-center {{ content: none; }} }}
html {{ font-family: {layout.css_font_stack}; font-size: {layout.body_pt}pt; color: #000; }}
body {{ margin: 0; line-height: {layout.line_spacing}; }}
p {{ margin: 0; }}
table.head, table.foot {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
table.head td, table.foot td {{ vertical-align: top; text-align: center; padding: 0; }}
table.head td.left {{ width: {layout.header_left_mm}mm; }}
.parent, .agency, .number {{ font-size: {layout.agency_pt}pt; }}
.agency, .nation, .motto, .kind, .summary, .signer, .heading, .label {{ font-weight: bold; }}
.nation {{ font-size: {layout.national_name_pt}pt; }}
.motto {{ font-size: {layout.motto_pt}pt; margin-bottom: 6pt; }}
.motto span {{ text-decoration: underline; }}
.number {{ font-size: {layout.number_pt}pt; white-space: pre-wrap; }}
.date {{ font-size: {layout.place_date_pt}pt; font-style: italic; }}
.rule {{ width: {layout.short_rule_fraction * 100:.0f}%; margin: 3pt auto 6pt; border-top: 0.75pt solid #000; }}
.title-rule {{ width: {layout.short_rule_fraction * 60:.0f}%; }}
.kind {{ font-size: {layout.kind_pt}pt; text-align: center; margin: 18pt 0 0; }}
.summary {{ font-size: {layout.summary_pt}pt; text-align: center; }}
main p {{ text-align: justify; text-indent: {layout.first_line_indent_mm}mm;
  margin-bottom: {layout.paragraph_after_pt}pt; overflow-wrap: anywhere; }}
table.grid {{ width: 100%; border-collapse: collapse; font-size: {layout.table_pt}pt; margin-bottom: 6pt; }}
table.grid th, table.grid td {{ border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: top;
  overflow-wrap: anywhere; }}
table.foot {{ margin-top: 12pt; page-break-inside: avoid; }}
table.foot td.recipients {{ width: {layout.footer_left_mm}mm; text-align: left; font-size: {layout.recipients_pt}pt; }}
td.recipients .label {{ font-size: {layout.recipients_label_pt}pt; font-style: italic; }}
.signer {{ font-size: {layout.signer_pt}pt; }}
.space {{ height: 28mm; }}
"""
