"""CPE 2.3 parsing, binding and NISTIR 7696 attribute matching, on names from real NVD records."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haidang.engines.intel.cpe import (
    attribute_matches,
    build,
    canonical_value,
    escape_value,
    has_wildcards,
    name_matches,
    parse,
    plain_literal,
    unescape_value,
)
from haidang.engines.intel.types import CpeName


def test_it_parses_a_formatted_string() -> None:
    name = parse("cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_12:*:*:*:*:*:*")
    assert name == CpeName("a", "microsoft", "exchange_server", "2019", "cumulative_update_12")


def test_it_keeps_quoted_colons_inside_a_value() -> None:
    name = parse(r"cpe:2.3:a:jenkins:pipeline\:_groovy:2.64:*:*:*:*:jenkins:*:*")
    assert name.product == r"pipeline\:_groovy"
    assert name.version == "2.64"
    assert name.target_sw == "jenkins"
    assert unescape_value(name.product) == "pipeline:_groovy"


def test_it_lower_cases_and_canonicalises_quoting() -> None:
    name = parse(r"CPE:2.3:O:Cisco:IOS:15.2\(4\)M:*:*:*:*:*:*:*")
    assert name.part == "o"
    assert name.version == r"15.2\(4\)m"
    assert parse(r"cpe:2.3:a:x:y:1\.0\-beta\_1:*:*:*:*:*:*:*").version == "1.0-beta_1"
    assert parse(r"cpe:2.3:a:x:y:\-:*:*:*:*:*:*:*").version == "\\-"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*", "12 components"),
        ("cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*:*", "14 components"),
        ("cpe:2.3:x:apache:log4j:2.14.1:*:*:*:*:*:*:*", "part"),
        ("cpe:2.3:a:apache::2.14.1:*:*:*:*:*:*:*", "empty"),
        ("cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:\\", "backslash"),
        ("apache log4j 2.14.1", "not a CPE"),
        ("", "not a CPE"),
    ],
)
def test_it_rejects_malformed_names(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse(text)


@pytest.mark.parametrize(
    ("uri", "formatted"),
    [
        ("cpe:/a:apache:log4j:2.14.1", "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"),
        ("cpe:/o:microsoft:windows_10:-", "cpe:2.3:o:microsoft:windows_10:-:*:*:*:*:*:*:*"),
        (
            "cpe:/a:microsoft:internet_explorer:8.0.6001:beta",
            "cpe:2.3:a:microsoft:internet_explorer:8.0.6001:beta:*:*:*:*:*:*",
        ),
        (
            "cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~",
            "cpe:2.3:a:hp:insight_diagnostics:7.4.0.1570:*:*:*:online:win2003:x64:*",
        ),
        (
            "cpe:/a:foo%5cbar:big%24money_2010:::~~special~ipod_touch~80gb~",
            r"cpe:2.3:a:foo\\bar:big\$money_2010:*:*:*:*:special:ipod_touch:80gb:*",
        ),
        ("cpe:/a:acme:product:1.%02", "cpe:2.3:a:acme:product:1.*:*:*:*:*:*:*:*"),
        (
            "cpe:/a:hp:openview_network_manager:7.51::~~~linux~~",
            "cpe:2.3:a:hp:openview_network_manager:7.51:*:*:*:*:linux:*:*",
        ),
    ],
)
def test_it_converts_cpe_22_uris(uri: str, formatted: str) -> None:
    assert parse(uri).uri() == formatted


def test_it_rejects_a_bad_packed_edition() -> None:
    with pytest.raises(ValueError, match="packed"):
        parse("cpe:/a:hp:x:1::~a~b")


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        # NISTIR 7696 Table 6-2
        ("*", "*", True),  # 1 ANY/ANY EQUAL
        ("*", "-", True),  # 2 ANY/NA SUPERSET
        ("*", "2.14.1", True),  # 3 ANY/i SUPERSET
        ("*", "2.*", False),  # 4 ANY/m+wild UNDEFINED
        ("-", "*", False),  # 5 NA/ANY SUBSET
        ("-", "-", True),  # 6 NA/NA EQUAL
        ("-", "2.14.1", False),  # 7 NA/i DISJOINT
        ("-", "2.*", False),  # 8 NA/m+wild UNDEFINED
        ("2.14.1", "2.14.1", True),  # 9 i/i EQUAL
        ("2.14.1", "2.14.2", False),  # 10 i/k DISJOINT
        ("2.14.1", "2.*", False),  # 11 i/m+wild UNDEFINED
        ("2.14.1", "*", False),  # 12 i/ANY SUBSET
        ("2.14.1", "-", False),  # 13 i/NA DISJOINT
        ("2.*", "2.14.1", True),  # 14 m+wild/i SUPERSET
        ("2.*", "3.0", False),  # 14 m+wild/i DISJOINT
        ("2.*", "*", False),  # 15 m+wild/ANY SUBSET
        ("2.*", "-", False),  # 16 m+wild/NA DISJOINT
        ("2.*", "2.*", False),  # 17 m+wild/m+wild UNDEFINED
        # wildcards at either end, ? = zero or one character as in the 7696 pseudocode
        ("*_server", "exchange_server", True),
        ("*_server", "exchange_client", False),
        ("*log*", "log4j", True),
        ("1.0.2?", "1.0.2k", True),
        ("1.0.2?", "1.0.2", True),
        ("1.0.2?", "1.0.2za", False),
        ("1.0.2??", "1.0.2za", True),
        ("?.0", "1.0", True),
        ("?.0", "10.0", False),
        # quoted characters are literals; quoting spelled differently is the same value
        ("1\\.0", "1.0", True),
        ("2\\*", "2*", False),  # target has an unquoted trailing wildcard
        ("2\\*", "2\\*", True),
        ("\\*", "x", False),
        ("Log4J", "log4j", True),
    ],
)
def test_it_relates_attributes_per_nistir_7696(source: str, target: str, expected: bool) -> None:
    assert attribute_matches(source, target) is expected


def test_it_matches_whole_names() -> None:
    criteria = parse("cpe:2.3:a:vmware:vcenter_server:6.7:update3j:*:*:*:*:*:*")
    assert name_matches(criteria, parse("cpe:2.3:a:vmware:vcenter_server:6.7:update3j:*:*:*:*:*:*"))
    assert not name_matches(criteria, parse("cpe:2.3:a:vmware:vcenter_server:6.7:*:*:*:*:*:*:*"))
    assert not name_matches(criteria, parse("cpe:2.3:a:vmware:vcenter_server:6.7:update3k:*:*:*:*:*:*"))
    assert not name_matches(criteria, parse("cpe:2.3:o:vmware:vcenter_server:6.7:update3j:*:*:*:*:*:*"))
    anything = parse("cpe:2.3:*:*:*:*:*:*:*:*:*:*:*")
    assert name_matches(anything, criteria)
    assert not name_matches(criteria, anything)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Exchange Server", "exchange_server"),
        ("  Connect   Secure ", "connect_secure"),
        ("9.0.0", "9.0.0"),
        ("15.2(4)M", r"15.2\(4\)m"),
        ("a:b", r"a\:b"),
        ("*", r"\*"),
        ("?", r"\?"),
        ("-", r"\-"),
        ("C++", r"c\+\+"),
        ("", "*"),
        ("back\\slash", r"back\\slash"),
    ],
)
def test_it_escapes_free_text(raw: str, expected: str) -> None:
    assert escape_value(raw) == expected


def test_it_builds_names_from_values() -> None:
    name = build("a", "apache", "log4j", "2.14.1")
    assert name.uri() == "cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"
    assert build("o", "Cisco", r"IOS", escape_value("15.2(4)M"), target_hw="").version == r"15.2\(4\)m"
    with pytest.raises(ValueError, match="part"):
        build("q", "x", "y")


def test_it_reports_literals_and_wildcards() -> None:
    assert plain_literal(r"15.2\(4\)m") == "15.2(4)m"
    assert plain_literal("*") is None
    assert plain_literal("-") is None
    assert plain_literal("2.*") is None
    assert has_wildcards("2.*")
    assert not has_wildcards("*")
    assert canonical_value(r"A\.B\!") == r"a.b\!"


_TEXT = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), min_size=1, max_size=20)


@given(st.lists(_TEXT, min_size=11, max_size=11), st.sampled_from(["a", "o", "h"]))
def test_it_round_trips_names_through_the_formatted_string(values: list[str], part: str) -> None:
    name = build(part, *(escape_value(value) for value in values[:4]))
    assert parse(name.uri()) == name
    assert parse(parse(name.uri()).uri()) == name


@given(_TEXT)
def test_it_never_leaves_a_separator_or_wildcard_unquoted(raw: str) -> None:
    value = escape_value(raw)
    if value == "*":
        assert not raw.strip()
        return
    chars = iter(value)
    for char in chars:
        if char == "\\":
            next(chars)
            continue
        assert char not in ":*?\\ "
    # the value survives as one component and unescapes to the normalised text
    name = parse(f"cpe:2.3:a:v:{value}:*:*:*:*:*:*:*:*")
    assert name.product == value
    assert unescape_value(value) == "_".join(raw.strip().lower().split())


@given(_TEXT, _TEXT)
def test_it_matches_an_escaped_value_only_with_itself(a: str, b: str) -> None:
    va, vb = escape_value(a), escape_value(b)
    if "*" in (va, vb):
        return
    assert attribute_matches(va, vb) is (unescape_value(va) == unescape_value(vb))
