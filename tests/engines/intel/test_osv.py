from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from haidang.engines.intel import osv

SAMPLES = Path(__file__).parent / "samples"
MAVEN = SAMPLES / "osv_ghsa-jfh8-c2jp-5v3q_maven.json"
PYPI = SAMPLES / "osv_ghsa-v845-jxx5-vc9f_pypi.json"
NPM = SAMPLES / "osv_ghsa-35jh-r3h4-6jhm_npm.json"


def test_it_parses_a_maven_advisory_with_its_ranges() -> None:
    advisory = osv.parse(json.loads(MAVEN.read_text()))
    assert advisory.id == "GHSA-jfh8-c2jp-5v3q"
    assert osv.cve_ids(advisory) == ("CVE-2021-44228",)
    assert advisory.summary == "Remote code injection in Log4j"
    core = [a for a in advisory.affected if a.name == "org.apache.logging.log4j:log4j-core"]
    assert [a.ecosystem for a in core] == ["Maven"] * 3
    assert core[0].ranges == (osv.OsvRange("ECOSYSTEM", (("introduced", "2.13.0"), ("fixed", "2.15.0"))),)
    assert core[2].ranges[0].events == (("introduced", "2.0-beta9"), ("fixed", "2.3.1"))


def test_it_keeps_explicit_versions_of_a_pypi_advisory() -> None:
    advisory = osv.parse(json.loads(PYPI.read_text()))
    assert osv.cve_ids(advisory) == ("CVE-2023-43804",)
    assert advisory.affected[1].versions == ("2.0.0", "2.0.1", "2.0.2", "2.0.3", "2.0.4", "2.0.5")
    assert advisory.affected[0].ranges[0].events == (("introduced", "0"), ("fixed", "1.26.17"))


def test_it_reads_last_affected_events_of_an_npm_advisory() -> None:
    advisory = osv.parse(json.loads(NPM.read_text()))
    template = next(a for a in advisory.affected if a.name == "lodash.template")
    assert template.ranges == (osv.OsvRange("SEMVER", (("introduced", "0"), ("last_affected", "4.5.0"))),)


def test_it_takes_the_cve_id_of_a_record_named_by_it_and_ignores_other_aliases() -> None:
    advisory = osv.parse({"id": "CVE-2024-3094", "aliases": ["GHSA-xxxx-yyyy-zzzz", "cve-2024-3094", "CVE-24-1"]})
    assert osv.cve_ids(advisory) == ("CVE-2024-3094",)


def test_it_iterates_files_and_skips_the_unusable(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    listing = tmp_path / "list.json"
    listing.write_text(json.dumps([json.loads(NPM.read_text()), {"no": "id"}]))
    ids = [a.id for a in osv.iter_files([MAVEN, broken, tmp_path / "missing.json", listing, PYPI])]
    assert ids == ["GHSA-jfh8-c2jp-5v3q", "GHSA-35jh-r3h4-6jhm", "GHSA-v845-jxx5-vc9f"]


@pytest.mark.parametrize("obj", [{}, {"id": 5}, {"id": ""}, [], None, "GHSA"])
def test_it_refuses_records_without_an_id(obj: object) -> None:
    with pytest.raises(ValueError, match="not an OSV record"):
        osv.parse(obj)  # type: ignore[arg-type]


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=30,
)
_osv_like = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=20)},
    optional={"aliases": _json, "affected": _json, "summary": _json, "details": _json},
)


@given(obj=_json | _osv_like)
def test_it_never_raises_anything_but_value_error_on_random_json(obj: object) -> None:
    with contextlib.suppress(ValueError):
        osv.parse(obj)  # type: ignore[arg-type]
