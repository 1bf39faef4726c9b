"""Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I) as DOCX and PDF.

Framework-free. Build an :class:`OfficialDocument` (issuer, number and symbol, place and date, kind
and summary, body blocks, recipients, signer) and call :func:`render_docx` or :func:`render_pdf`.
Layout numbers live in :mod:`haidang.engines.docs.layout` with their legal source.
"""

from haidang.engines.docs.docx_render import render_docx
from haidang.engines.docs.layout import ND30, Layout
from haidang.engines.docs.pdf_render import document_html, render_pdf
from haidang.engines.docs.text import place_date_line
from haidang.engines.docs.types import (
    Block,
    BulletList,
    Heading,
    Issuer,
    LabeledField,
    OfficialDocument,
    Paragraph,
    Signer,
    Table,
)

__all__ = [
    "ND30",
    "Block",
    "BulletList",
    "Heading",
    "Issuer",
    "LabeledField",
    "Layout",
    "OfficialDocument",
    "Paragraph",
    "Signer",
    "Table",
    "document_html",
    "place_date_line",
    "render_docx",
    "render_pdf",
]
