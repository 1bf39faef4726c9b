"""iCalendar export of a roster."""

from __future__ import annotations

from datetime import UTC, datetime

from icalendar import Calendar

from haidang.apps.duty.ical import shifts_calendar
from haidang.apps.duty.models import ShiftRole
from tests.apps.duty.conftest import END, START, Duty, add_shift


def test_it_exports_one_event_per_shift_in_utc(duty: Duty) -> None:
    add_shift(duty.roster_a, START, END, person_name="Dự phòng", role=ShiftRole.BACKUP, messaging_handle="@dp")
    document = shifts_calendar(duty.roster_a.shifts.all(), name="Lịch trực Sở Tư pháp", stamp_host="example.vn")

    calendar = Calendar.from_ical(document)
    events = calendar.walk("VEVENT")
    assert str(calendar["X-WR-CALNAME"]) == "Lịch trực Sở Tư pháp"
    assert [str(e["SUMMARY"]) for e in events] == [
        "Trực chính: Lê Văn A — Sở Tư pháp",
        "Trực dự phòng: Dự phòng — Sở Tư pháp",
    ]
    first = events[0]
    assert first.decoded("DTSTART") == datetime(2026, 8, 31, 0, 30, tzinfo=UTC)
    assert first.decoded("DTEND") == END
    assert str(first["UID"]) == f"shift-{duty.shift_a.id}@example.vn"
    assert "0987654321" in str(first["DESCRIPTION"])
    assert "Nghỉ lễ Quốc khánh 2/9/2026" in str(first["DESCRIPTION"])
    assert "@dp" in str(events[1]["DESCRIPTION"])
