"""Text rules shared by the DOCX and PDF renderers: bounds, XML-safe text and the fixed lines.

Content comes from incident reports written by users and sometimes by attackers, so every string is
cut to a bound and stripped of characters XML cannot carry before it reaches a renderer.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

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

MAX_SHORT = 300  # names, titles, labels, list items, recipients
MAX_TEXT = 20_000  # one paragraph or one field value
MAX_CELL = 2_000
MAX_BLOCKS = 400
MAX_ITEMS = 200  # list items, table rows
MAX_COLUMNS = 8
MAX_RECIPIENTS = 40
ELLIPSIS = "…"

# XML 1.0 forbids C0 controls other than tab/newline/CR, lone surrogates and U+FFFE/U+FFFF;
# lxml (python-docx) raises on them, so they are dropped rather than allowed to abort a report.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean(text: str, limit: int = MAX_SHORT) -> str:
    """``text`` without XML-forbidden characters, with uniform newlines, cut to ``limit`` characters."""
    text = _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()
    if len(text) > limit:
        return text[: limit - 1].rstrip() + ELLIPSIS
    return text


def _block(block: Block) -> Block:
    if isinstance(block, Heading):
        return Heading(clean(block.text), level=min(max(block.level, 1), 3))
    if isinstance(block, Paragraph):
        return Paragraph(clean(block.text, MAX_TEXT))
    if isinstance(block, LabeledField):
        return LabeledField(clean(block.label), clean(block.value, MAX_TEXT))
    if isinstance(block, BulletList):
        return BulletList(tuple(clean(item, MAX_TEXT) for item in block.items[:MAX_ITEMS]))
    columns = tuple(clean(name) for name in block.columns[:MAX_COLUMNS])
    width = len(columns)
    rows = tuple(
        tuple(clean(cell, MAX_CELL) for cell in (*row[:width], *("",) * (width - len(row))))
        for row in block.rows[:MAX_ITEMS]
    )
    return Table(columns, rows)


def bounded(doc: OfficialDocument) -> OfficialDocument:
    """The same document with every string cleaned and every collection capped."""
    return replace(
        doc,
        issuer=Issuer(name=clean(doc.issuer.name), parent=clean(doc.issuer.parent)),
        kind=clean(doc.kind),
        summary=clean(doc.summary, 2 * MAX_SHORT),
        place=clean(doc.place),
        symbol=clean(doc.symbol, 60),
        number=clean(doc.number, 20),
        signer=Signer(
            title=clean(doc.signer.title), authority=clean(doc.signer.authority), name=clean(doc.signer.name)
        ),
        body=tuple(_block(block) for block in doc.body[:MAX_BLOCKS]),
        recipients=tuple(clean(item) for item in doc.recipients[:MAX_RECIPIENTS] if clean(item)),
        author=clean(doc.author),
    )


def number_line(number: str, symbol: str) -> str:
    """``Số: 05/BC-STTTT``; with no number yet, room for the records office to write it by hand."""
    if number.isdigit() and len(number) == 1:
        number = f"0{number}"
    return f"Số: {number or ' ' * 8}/{symbol.upper()}"


def place_date_line(place: str, on: date) -> str:
    """``Hải Phòng, ngày 02 tháng 9 năm 2026``: day below 10 and months 1 and 2 take a leading zero."""
    month = f"{on.month:02d}" if on.month <= 2 else str(on.month)
    return f"{place}, ngày {on.day:02d} tháng {month} năm {on.year}"


def recipient_lines(recipients: tuple[str, ...]) -> tuple[str, ...]:
    """``- Như trên;`` … ``- Lưu: VT.``: a dash before each, a semicolon after, a full stop at the end."""
    items = [item.lstrip("-–• ").rstrip(";.,") for item in recipients]
    items = [item for item in items if item]
    return tuple(f"- {item}{'.' if index == len(items) - 1 else ';'}" for index, item in enumerate(items))


def signer_lines(signer: Signer) -> tuple[str, ...]:
    """Authority and title in capitals, one a line (``KT. GIÁM ĐỐC`` / ``PHÓ GIÁM ĐỐC``)."""
    return tuple(line.upper() for line in (signer.authority, signer.title) if line)


def body_paragraphs(text: str) -> list[list[str]]:
    """Paragraphs separated by blank lines, each a list of lines (kept as line breaks)."""
    chunks = re.split(r"\n\s*\n", text)
    return [[line.strip() for line in chunk.split("\n")] for chunk in chunks if chunk.strip()]
