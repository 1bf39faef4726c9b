"""Parsing hostile HTML: what is hidden, linked, loaded — bounded and never crashing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haidang.engines.scanner.baseline import Baseline, BaselineStore
from haidang.engines.scanner.contacts import extract_contacts
from haidang.engines.scanner.page import parse_page
from haidang.engines.scanner.visibility import style_hides


@pytest.mark.parametrize(
    "style",
    [
        "display:none",
        "DISPLAY: NONE !important",
        "visibility:hidden",
        "position:absolute;left:-9999px",
        "text-indent:-5000px",
        "width:0;height:0;overflow:hidden",
        "font-size:0px",
        "opacity:0",
        "clip:rect(0 0 0 0);position:absolute",
        "color:#fff;background-color:#fff",
    ],
)
def test_it_recognises_css_that_hides(style: str) -> None:
    assert style_hides(style)


@pytest.mark.parametrize("style", ["display:block", "color:#333", "left:10px", "opacity:0.9", "font-size:14px"])
def test_it_leaves_visible_styles_alone(style: str) -> None:
    assert not style_hides(style)


def test_it_marks_text_hidden_by_style_rules_attributes_and_inline_styles() -> None:
    html = (
        "<style>.a{display:none} #b .c{visibility:hidden}</style>"
        "<div class=a>one</div><div id=b><p class=c>two</p></div><p hidden>three</p>"
        "<p>shown <span style='font-size:0'>four</span></p>"
    )
    page = parse_page(html, "http://x.gov.vn/")
    hidden = {s.text for s in page.segments if s.hidden}
    assert hidden == {"one", "two", "three", "four"}
    assert [s.text for s in page.segments if not s.hidden] == ["shown"]


def test_it_resolves_links_frames_and_forms() -> None:
    html = (
        "<base href='http://x.gov.vn/sub/'><a href='../a.html'>A</a><a href='javascript:void(0)'>J</a>"
        "<iframe src='//ads.top/f' width=1 height=1></iframe><form action='/login'><input type=password></form>"
        "<meta http-equiv=refresh content='0; url=https://away.top/'>"
    )
    page = parse_page(html, "http://x.gov.vn/")
    assert [link.url for link in page.links] == ["http://x.gov.vn/a.html"]
    assert page.frames[0].src == "http://ads.top/f"
    assert page.frames[0].hidden
    assert page.forms[0].action == "http://x.gov.vn/login"
    assert page.forms[0].has_password
    assert page.refresh == "https://away.top/"


def test_it_survives_deep_nesting_and_huge_documents() -> None:
    deep = "<div>" * 5000 + "x" + "</div>" * 5000
    assert parse_page(deep, "http://x/").text == "x"
    rows = "".join(f"<tr><td>{i}</td><td>văn bản {i}</td></tr>" for i in range(20_000))
    page = parse_page(f"<table>{rows}</table>", "http://x/")
    assert len(page.segments) <= 3000


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=600))
def test_it_never_crashes_on_arbitrary_markup(html: str) -> None:
    parse_page(html, "http://x.gov.vn/")


def test_it_extracts_contacts() -> None:
    text = "ĐT: 0225.3842.123, đường dây nóng 1900 1234; email: VanPhong@So.gov.vn; Số tài khoản: 0021 0001 23456"
    found = extract_contacts(text)
    assert found["phone"] == {"02253842123", "19001234"}
    assert found["email"] == {"vanphong@so.gov.vn"}
    assert found["bank_account"] == {"0021000123456"}


def test_it_keeps_baselines_between_runs_and_survives_corrupt_files(tmp_path: Path) -> None:
    store = BaselineStore(tmp_path)
    baseline = Baseline(url="http://x.gov.vn/", scans=2, script_hosts={"a.vn"}, identity=["so", "y", "te"])
    store.save(baseline)
    assert store.load("http://x.gov.vn/") == baseline
    next(tmp_path.glob("*.json")).write_text("{not json", encoding="utf-8")
    assert store.load("http://x.gov.vn/").scans == 0
    assert not list(tmp_path.glob(".tmp-*"))


_HREF_CHARS = st.sampled_from([*"/abcZ09-_.~%?#=&;:@!$'()*+, \t\\", "..", "./", "//", "é"])


@settings(max_examples=400, deadline=None)
@given(
    base=st.sampled_from(["http://h.gov.vn/", "https://h.gov.vn:8443/a/b.html?x=1#f", "http://h.gov.vn/a/"]),
    tail=st.lists(_HREF_CHARS, max_size=12).map("".join),
)
def test_its_site_relative_fast_path_agrees_with_urljoin(base: str, tail: str) -> None:
    from urllib.parse import urljoin, urlsplit

    from haidang.engines.scanner.page import _absolute

    href = "/" + tail
    expected = urljoin(base, href.strip())
    expected = expected if urlsplit(expected).scheme in {"http", "https"} and urlsplit(expected).hostname else ""
    assert _absolute(base, href) == expected
