from __future__ import annotations

from datetime import date

import pytest

from haidang.engines.docs import place_date_line
from haidang.engines.docs.text import clean, number_line, recipient_lines


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 9, 2), "Hải Phòng, ngày 02 tháng 9 năm 2026"),
        (date(2026, 1, 15), "Hải Phòng, ngày 15 tháng 01 năm 2026"),
        (date(2026, 2, 5), "Hải Phòng, ngày 05 tháng 02 năm 2026"),
        (date(2026, 12, 31), "Hải Phòng, ngày 31 tháng 12 năm 2026"),
    ],
)
def test_it_writes_place_and_date_per_the_decree(on: date, expected: str) -> None:
    assert place_date_line("Hải Phòng", on) == expected


def test_it_leaves_room_for_an_unassigned_number() -> None:
    assert number_line("", "bc-stttt").replace(" ", "") == "Số:/BC-STTTT"
    assert number_line("125", "BC") == "Số: 125/BC"


def test_it_punctuates_recipients() -> None:
    assert recipient_lines(("- Như trên;", "", "Lưu: VT.")) == ("- Như trên;", "- Lưu: VT.")


def test_it_cleans_and_cuts_text() -> None:
    assert clean("a\x00b\r\nc\ud800", 100) == "ab\nc"
    assert clean("x" * 50, 10) == "x" * 9 + "…"
