"""A small model of a Vietnamese administrative document: frozen dataclasses, no framework."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Issuer:
    """Ô 2: the directly superior agency (may be empty) and the issuing agency."""

    name: str
    parent: str = ""


@dataclass(frozen=True, slots=True)
class Signer:
    """Ô 7: authority (``KT. GIÁM ĐỐC``; empty when the head signs), title and name of the signer.

    The name may be left empty for a draft that the signer completes by hand.
    """

    title: str
    authority: str = ""
    name: str = ""


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1  # 1: "I. ...", 2: "1. ..."; the caller writes the numbering


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Body text. Blank lines separate paragraphs; single newlines are line breaks."""

    text: str


@dataclass(frozen=True, slots=True)
class LabeledField:
    """``Label: value`` with the label emphasised, as national report forms lay out their items."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Heading | Paragraph | LabeledField | BulletList | Table


@dataclass(frozen=True, slots=True)
class OfficialDocument:
    """Everything that appears on the page, in the order of Nghị định 30/2020, Phụ lục I.

    ``number`` is the registration number (left blank for the records office to fill in when the
    document is signed); ``symbol`` is the part after the slash, e.g. ``BC-STTTT``.
    """

    issuer: Issuer
    kind: str  # tên loại văn bản, e.g. "Báo cáo"
    summary: str  # trích yếu nội dung
    place: str
    issued_on: date
    symbol: str
    signer: Signer
    number: str = ""
    body: tuple[Block, ...] = ()
    recipients: tuple[str, ...] = ()
    author: str = ""  # document metadata only
