from __future__ import annotations

import io
import json
from pathlib import Path

import ijson  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from haidang.engines.intel import cpe, jsonstream, nvd

SAMPLE = Path(__file__).parent / "samples" / "nvd_cves_2.0.json"
BUDGET = 1 << 20


def _elements(data: bytes, budget: int = BUDGET) -> list[object]:
    return list(jsonstream.elements(io.BytesIO(data), "vulnerabilities", budget))  # type: ignore[arg-type]


def _ijson(data: bytes) -> list[object]:
    return list(ijson.items(io.BytesIO(data), "vulnerabilities.item", use_float=True))


def test_it_reads_the_same_elements_as_ijson() -> None:
    data = SAMPLE.read_bytes()
    assert _elements(data) == _ijson(data)


def test_it_reads_elements_split_across_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonstream, "CHUNK", 7)
    data = json.dumps({"a": [1], "vulnerabilities": [{"cve": {"n": 123456789}}, 12345, "x y", []], "z": 1}, indent=3)
    assert _elements(data.encode()) == [{"cve": {"n": 123456789}}, 12345, "x y", []]


def test_it_reads_every_member_array_in_order() -> None:
    data = b'{"vulnerabilities": [1, 2], "other": {"vulnerabilities": [9]}, "vulnerabilities": [3]}'
    assert _elements(data) == _ijson(data) == [1, 2, 3]


@pytest.mark.parametrize(
    "data",
    [
        b'{"vulnerabilities": ["\\ud800"]}',  # ijson reads a lone surrogate as "?"
        b'{"vulnerabilities": [123456789012345678901234567890]}',  # out of yajl's range
        b'{"vulnerabilities": [-9223372036854775808]}',
        b'{"vulnerabilities": [9223372036854775808]}',
        b'{"vulnerabilities": [1e999]}',
        b'{"vulnerabilities": [NaN]}',
        b'{"vulnerabilities": ["\xff"]}',
        b'{"vulnerabilities": [1, 2',  # cut off
        b'{"vulnerabilities": [1, 2]} trailing',
        b'{"vulnerabilities": 5}',
        b"[1, 2]",
        b"",
        b"\xef\xbb\xbf{}",
        b'{"vulnerabilities": [\x0c1]}',  # yajl takes a form feed for whitespace
        b"{" * 50_000,
        b"[" * 50_000,
    ],
)
def test_it_hands_anything_unusual_back(data: bytes) -> None:
    with pytest.raises(jsonstream.UnusualDocumentError):
        _elements(data)


def test_it_hands_back_an_element_near_the_budget() -> None:
    small = {"cve": {"id": "x"}}
    data = json.dumps({"vulnerabilities": [small, {"cve": {"d": "é" * 100_000}}]}).encode()
    read: list[object] = []
    with pytest.raises(jsonstream.UnusualDocumentError):
        read.extend(jsonstream.elements(io.BytesIO(data), "vulnerabilities", 300_000))  # type: ignore[arg-type]
    assert read == [small]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(JSON)
def test_it_agrees_with_ijson_on_any_json(element: object) -> None:
    data = json.dumps({"vulnerabilities": [element, element]}).encode()
    try:
        read = _elements(data)
    except jsonstream.UnusualDocumentError:
        return  # the caller re-reads it with ijson
    assert read == _ijson(data)


def test_the_file_reader_resumes_with_ijson_where_the_fast_reader_stopped(tmp_path: Path) -> None:
    good = json.loads(SAMPLE.read_text())["vulnerabilities"]
    document = json.loads(SAMPLE.read_text())
    document["vulnerabilities"] = [good[0], good[1], {"cve": {"id": "CVE-2024-0001", "note": "\\ud800"}}, good[2]]
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(document).replace("\\\\ud800", "\\ud800"))
    records = list(nvd.iter_file(path))
    assert [r.cve_id for r in records] == [
        good[0]["cve"]["id"],
        good[1]["cve"]["id"],
        "CVE-2024-0001",
        good[2]["cve"]["id"],
    ]


@pytest.mark.parametrize(
    "criteria",
    [
        "cpe:2.3:a:apache:http_server:2.4.49:*:*:*:*:*:*:*",
        "cpe:2.3:A:Apache:HTTP_Server:2.4.49:*:*:*:*:*:*:*",
        "CPE:2.3:a:apache:http_server:*:*:*:*:*:*:*:*",
        "cpe:2.3:a:joomla:joomla\\!:4.2.7:*:*:*:*:*:*:*",
        "cpe:2.3:o:cisco:ios:15.2\\(4\\)m:*:*:*:*:*:*:*",
        " cpe:2.3:a:x:y:1:*:*:*:*:*:*:* ",
        "cpe:2.3:a:x:y:1.*:*:*:*:*:*:*:*",
        "cpe:2.3:a:x:y:?1:-:*:*:*:*:*:*",
    ],
)
def test_the_criteria_shortcut_parses_as_cpe_does(criteria: str) -> None:
    assert nvd._criteria(criteria) == cpe.parse(criteria)


@pytest.mark.parametrize(
    "criteria",
    [
        "cpe:2.3:a:x:y",
        "cpe:2.3:a:x:y:1:*:*:*:*:*:*:*:*",
        "cpe:2.3:q:x:y:1:*:*:*:*:*:*:*",
        "cpe:2.3:a::y:1:*:*:*:*:*:*:*",
    ],
)
def test_the_criteria_shortcut_refuses_what_cpe_refuses(criteria: str) -> None:
    with pytest.raises(ValueError, match="CPE") as shortcut:
        nvd._criteria(criteria)
    with pytest.raises(ValueError, match="CPE") as plain:
        cpe.parse(criteria)
    assert str(shortcut.value) == str(plain.value)
