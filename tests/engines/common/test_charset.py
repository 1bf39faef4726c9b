"""Decoding hostile bodies to text: never raises, prefers the page's own truth, Vietnamese-aware."""

from __future__ import annotations

import unicodedata

import pytest

from haidang.engines.common.charset import decode_body, sniff_encoding, web_encoding

VIETNAMESE = "Sở Thông tin và Truyền thông Hải Phòng: cảnh báo lỗ hổng"


def cp1258(text: str) -> bytes:
    """Encode as windows-1258 does on real pages: base letters precomposed, tone marks combining."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            decomposed = unicodedata.normalize("NFD", char)
            out += unicodedata.normalize("NFC", decomposed[:-1]).encode("cp1258") + decomposed[-1].encode("cp1258")
    return out


def test_it_decodes_windows_1258_declared_in_a_meta_tag() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">'
    page = f"<html><head>{meta}</head><body>{VIETNAMESE}</body>"
    text, encoding = decode_body(cp1258(page), "text/html")
    assert encoding == "cp1258"
    assert VIETNAMESE in text


def test_it_falls_back_to_windows_1258_for_undeclared_legacy_pages() -> None:
    text, encoding = decode_body(cp1258(VIETNAMESE), "text/html")
    assert encoding == "cp1258"
    assert text == VIETNAMESE


def test_it_prefers_the_header_charset_over_the_meta_tag() -> None:
    body = '<meta charset="windows-1258">Sở'.encode()
    assert decode_body(body, "text/html; charset=UTF-8") == ('<meta charset="windows-1258">Sở', "utf-8")


def test_it_lets_a_byte_order_mark_win() -> None:
    body = "\ufeffSở".encode("utf-16-le")
    assert decode_body(body, "text/html; charset=iso-8859-1") == ("Sở", "utf-16-le")
    assert decode_body(b"\xef\xbb\xbfS\xe1\xbb\x9f", "text/html; charset=cp1258") == ("Sở", "utf-8")


@pytest.mark.parametrize("label", ["utf-7", "rot13", "zlib_codec", "base64", "undefined", "unicode_escape", "bogus"])
def test_it_ignores_charsets_that_are_not_web_encodings(label: str) -> None:
    assert web_encoding(label) is None
    text, encoding = decode_body("Sở +ADw-script+AD4-".encode(), f"text/html; charset={label}")
    assert encoding == "utf-8"
    assert "<script>" not in text


def test_it_maps_latin1_to_windows_1252_and_utf16_meta_to_utf8() -> None:
    assert web_encoding("ISO-8859-1") == "cp1252"
    assert sniff_encoding(b'<meta charset="utf-16">abc', None) == "utf-8"


@pytest.mark.parametrize(
    "body",
    [
        b"\xff\xfe\xfd invalid \xc3\x28 utf-8 \xe2\x82",
        "Sở Thông tin".encode() + b"\xff\xfe",
        b"\x00" * 100,
        b"<meta charset=\xff\xfe>",
        bytes(range(256)) * 4,
    ],
)
def test_it_never_raises_on_broken_bytes(body: bytes) -> None:
    text, encoding = decode_body(body, "text/html")
    assert isinstance(text, str)
    assert encoding


def test_it_keeps_a_utf8_page_with_a_few_stray_bytes_as_utf8() -> None:
    body = (VIETNAMESE * 3).encode() + b"\xff"
    text, encoding = decode_body(body, "text/html")
    assert encoding == "utf-8"
    assert text.startswith(VIETNAMESE)


def test_it_accepts_a_body_cut_inside_a_character() -> None:
    body = VIETNAMESE.encode()[:-1] + "ở".encode()[:2]
    assert decode_body(body, None)[1] == "utf-8"


def test_it_does_not_decode_binary_types() -> None:
    assert decode_body(b"\x89PNG\r\n", "image/png") == ("", None)
    assert decode_body(b"{}", "application/json")[0] == "{}"
    assert decode_body(b"<svg/>", "image/svg+xml")[0] == "<svg/>"
