from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from haidang.engines.intel import kev

SAMPLE = Path(__file__).parent / "samples" / "known_exploited_vulnerabilities.json"


def test_it_loads_the_catalog_from_a_path_with_dates_and_ransomware_flags() -> None:
    entries = kev.load(SAMPLE)
    assert len(entries) == 5
    bleed = entries["CVE-2023-4966"]
    assert bleed.vendor_project == "Citrix"
    assert bleed.product == "NetScaler ADC and NetScaler Gateway"
    assert bleed.date_added == date(2023, 10, 18)
    assert bleed.due_date == date(2023, 11, 8)
    assert bleed.known_ransomware is True
    assert entries["CVE-2024-3400"].known_ransomware is False
    assert entries["CVE-2021-26855"].due_date == date(2021, 4, 16)  # due before it was added: real data
    assert entries["CVE-2021-44228"].required_action.startswith("For all affected software assets")


def test_it_loads_the_same_catalog_from_bytes() -> None:
    assert kev.load(SAMPLE.read_bytes()) == kev.load(str(SAMPLE))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"not json",
        b"[]",
        b'{"vulnerabilities": []}',  # no catalogVersion: some other file
        b'{"resultsPerPage": 1, "vulnerabilities": [{"cve": {"id": "CVE-2021-44228"}}]}',  # an NVD response
        b"\xff\xfe\x00garbage",
        b"[" * 100_000,
    ],
)
def test_it_refuses_what_is_not_the_kev_catalog(data: bytes) -> None:
    with pytest.raises(ValueError, match="not a KEV catalog"):
        kev.load(data)


def test_it_skips_entries_without_a_valid_cve_id_and_tolerates_bad_dates() -> None:
    catalog = json.loads(SAMPLE.read_bytes())
    catalog["vulnerabilities"] += [{"cveID": "CVE-21-1"}, "junk", {"cveID": None}]
    catalog["vulnerabilities"][0]["dueDate"] = "soon"
    entries = kev.load(json.dumps(catalog).encode())
    assert set(entries) == {"CVE-2024-3400", "CVE-2023-4966", "CVE-2021-44228", "CVE-2021-26855", "CVE-2019-1653"}
    assert entries["CVE-2024-3400"].due_date is None
