"""Turning a hostile body into text without ever raising.

Order of evidence, as browsers do: a byte-order mark, then the ``charset`` of ``Content-Type``, then a
``<meta charset>`` / ``http-equiv`` declaration near the start, then UTF-8 if the bytes are (nearly)
valid UTF-8, else windows-1258 — the legacy code page of Vietnamese sites, which also decodes plain
windows-1252 text correctly for every letter the two share. Only a list of web encodings is honoured,
so a declared ``utf-7`` or a Python-only codec name cannot be used to smuggle or crash anything.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

FALLBACK_ENCODING = "cp1258"
_META_WINDOW = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
_TEXTUAL = tuple(
    [
        "text/",
        "application/xhtml",
        "application/xml",
        "application/json",
        "application/javascript",
        "application/ecmascript",
        "application/rss",
        "application/atom",
        "application/ld+json",
        "application/x-javascript",
        "image/svg+xml",
    ]
)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))

# WHATWG treats these labels as windows-1252, a superset that browsers actually use, and so on.
_ALIASES = {
    **dict.fromkeys(
        ["iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "x-user-defined"], "cp1252"
    ),
    **dict.fromkeys(["gb2312", "gbk", "x-gbk"], "gb18030"),
    **dict.fromkeys(["tis-620", "iso-8859-11"], "cp874"),
    "iso-8859-9": "cp1254",
    "utf8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
}
_WEB_ENCODINGS = frozenset(
    codecs.lookup(name).name
    for name in [
        "utf-8",
        "utf-16-le",
        "utf-16-be",
        "cp1250",
        "cp1251",
        "cp1252",
        "cp1253",
        "cp1254",
        "cp1255",
        "cp1256",
        "cp1257",
        "cp1258",
        "cp874",
        "cp866",
        "iso8859-2",
        "iso8859-3",
        "iso8859-4",
        "iso8859-5",
        "iso8859-6",
        "iso8859-7",
        "iso8859-8",
        "iso8859-10",
        "iso8859-13",
        "iso8859-14",
        "iso8859-15",
        "iso8859-16",
        "koi8-r",
        "koi8-u",
        "mac-roman",
        "gb18030",
        "big5",
        "big5hkscs",
        "shift_jis",
        "euc-jp",
        "iso2022-jp",
        "euc-kr",
    ]
)


def web_encoding(label: str | None) -> str | None:
    """The Python codec for a declared charset label, or None if it is not a web encoding."""
    if not label:
        return None
    name = label.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        return None
    return canonical if canonical in _WEB_ENCODINGS else None


def is_textual(content_type: str | None) -> bool:
    """Whether a body of this Content-Type is worth decoding to text (unknown types are)."""
    if not content_type:
        return True
    media = content_type.split(";", 1)[0].strip().lower()
    return media.startswith(_TEXTUAL) or media.endswith(("+xml", "+json"))


def _from_header(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return web_encoding(match.group(1)) if match else None


def _from_meta(body: bytes) -> str | None:
    match = _META_CHARSET.search(body[:_META_WINDOW])
    if not match:
        return None
    encoding = web_encoding(match.group(1).decode("ascii"))
    # A page that could be read to find this tag is not UTF-16, whatever it claims (WHATWG).
    return "utf-8" if encoding in ("utf-16-le", "utf-16-be") else encoding


def _mostly_utf8(body: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        decoder.decode(body, final=False)  # a body cut at the size cap may end mid-character
    except UnicodeDecodeError:
        pass
    else:
        return True
    text = body.decode("utf-8", "replace")
    errors = text.count("\ufffd") - body.count(b"\xef\xbf\xbd")
    valid = len(text) - len(text.encode("ascii", "ignore")) - errors
    # Legacy (windows-1258) text almost never forms valid multi-byte UTF-8 sequences by accident, so a
    # page whose valid sequences outnumber its broken ones is a UTF-8 page with a few stray bytes.
    return valid > errors


def sniff_encoding(body: bytes, content_type: str | None) -> str:
    """The encoding to decode ``body`` with (a byte-order mark wins); never fails."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return encoding
    declared = _from_header(content_type) or _from_meta(body)
    if declared:
        return declared
    return "utf-8" if _mostly_utf8(body) else FALLBACK_ENCODING


def decode_body(body: bytes, content_type: str | None) -> tuple[str, str | None]:
    """``(text, encoding)`` for a textual body, ``("", None)`` for a binary one. Never raises."""
    if not is_textual(content_type):
        return "", None
    encoding = sniff_encoding(body, content_type)
    data = body
    for bom, bom_encoding in _BOMS:
        if encoding == bom_encoding and body.startswith(bom):
            data = body[len(bom) :]
    try:
        text = data.decode(encoding, "replace")
    except (LookupError, UnicodeError, ValueError):
        text, encoding = data.decode(FALLBACK_ENCODING, "replace"), FALLBACK_ENCODING
    if encoding == "cp1258":
        # windows-1258 spells tones as combining marks ("o" + U+0309); compose so text matches UTF-8 pages.
        text = unicodedata.normalize("NFC", text)
    return text, encoding
