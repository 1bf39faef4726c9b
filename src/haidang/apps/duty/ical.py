"""Rosters and personal shifts as iCalendar (.ics), for phones' and mail clients' calendars."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from haidang.apps.duty.models import Shift

PRODID = "-//Hai Dang//Lich truc//VI"


def _event(shift: Shift, *, stamp_host: str) -> Event:
    roster = shift.roster
    event = Event()
    event.add("uid", f"shift-{shift.id}@{stamp_host}")
    event.add("dtstamp", shift.updated_at.astimezone(UTC))
    # UTC instants need no VTIMEZONE block and every calendar shows them in the reader's zone.
    event.add("dtstart", shift.starts_at.astimezone(UTC))
    event.add("dtend", shift.ends_at.astimezone(UTC))
    event.add("summary", f"{shift.get_role_display()}: {shift.person_name} — {roster.owner_name}")
    lines = [
        f"{_('Đợt trực')}: {roster.period.name}",
        f"{_('Điện thoại')}: {shift.phone}",
    ]
    if shift.messaging_handle:
        lines.append(f"{_('Zalo / Telegram')}: {shift.messaging_handle}")
    if shift.note:
        lines.append(shift.note)
    event.add("description", "\n".join(lines))
    event.add("categories", [str(shift.get_role_display())])
    return event


def shifts_calendar(shifts: Iterable[Shift], *, name: str, stamp_host: str = "haidang") -> bytes:
    """An iCalendar document with one event per shift (shifts need roster, period, unit/org loaded)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", timezone.get_current_timezone_name())
    for shift in shifts:
        calendar.add_component(_event(shift, stamp_host=stamp_host))
    document: bytes = calendar.to_ical()
    return document
