"""Incident coordination at holiday scale, each measured against a plain baseline in the same run.

A holiday period with the department's and all 88 units' rosters submitted (4 shifts each, a backup
among them), and 2,000 incidents spread over the units. Measured:

* ``GET /api/v1/incidents?limit=100`` for the department (tenancy, deadlines from the rules file,
  schema, pagination) against the same rows dumped with ``values()``;
* the duty board (who is on duty now, for all 89 owners) against one plain query of the shifts;
* ``escalation_chain()`` for one unit, the call every alert makes, against a plain query of the shifts;
* the incidents list page as the department sees it, against the same page for a unit officer.

Run: make benchmark   (or: .venv/bin/pytest benchmarks/test_incidents_duty.py --benchmark-only)
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from haidang.apps.accounts.models import Role, User
from haidang.apps.accounts.services import token_create
from haidang.apps.duty.models import DutyPeriod, Roster, RosterStatus, Shift, ShiftRole
from haidang.apps.duty.selectors import duty_board, escalation_chain
from haidang.apps.incidents.models import Category, Incident, Severity, Source, Status
from haidang.apps.registry.models import Unit, UnitGroup

pytestmark = pytest.mark.django_db

INCIDENTS = 2000


@pytest.fixture
def holiday(city: dict[str, Any]) -> dict[str, Any]:
    now = timezone.now()
    units = list(Unit.objects.order_by("id"))
    period = DutyPeriod.objects.create(
        name="Quốc khánh", starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=3)
    )
    period.groups.set(UnitGroup.objects.all())
    duty = User.objects.create_user("duty@bench.vn", "x", role=Role.DUTY)
    rosters = Roster.objects.bulk_create(
        [Roster(period=period, status=RosterStatus.SUBMITTED, submitted_at=now)]
        + [Roster(period=period, unit=unit, status=RosterStatus.SUBMITTED, submitted_at=now) for unit in units]
    )
    officers = User.objects.bulk_create(
        User(email=f"o{unit.id}@bench.vn", role=Role.UNIT, unit=unit, password="!")  # noqa: S106 - unusable
        for unit in units
    )
    by_unit = {officer.unit_id: officer for officer in officers}
    shifts = []
    for roster in rosters:
        person = duty if roster.unit_id is None else by_unit[roster.unit_id]
        for day in range(3):
            start = period.starts_at + timedelta(days=day)
            shifts.append(
                Shift(
                    roster=roster,
                    starts_at=start,
                    ends_at=start + timedelta(days=1),
                    person_name="Trực chính",
                    user=person,
                    phone="0912345678",
                )
            )
        shifts.append(
            Shift(
                roster=roster,
                starts_at=period.starts_at,
                ends_at=period.ends_at,
                person_name="Dự phòng",
                role=ShiftRole.BACKUP,
                phone="0987654321",
            )
        )
    Shift.objects.bulk_create(shifts)
    categories, severities, statuses = list(Category), list(Severity), list(Status)
    Incident.objects.bulk_create(
        Incident(
            reference=f"SC-2026-{i:05d}",
            unit=units[i % len(units)],
            title=f"Sự cố {i}",
            category=categories[i % len(categories)],
            severity=severities[i % len(severities)],
            status=statuses[i % len(statuses)],
            source=Source.WEB,
            discovered_at=now - timedelta(hours=i % 200),
            reported_at=now - timedelta(hours=i % 200),
            resolved_at=now - timedelta(hours=1)
            if statuses[i % len(statuses)] in (Status.RESOLVED, Status.CLOSED)
            else None,
        )
        for i in range(INCIDENTS)
    )
    return {**city, "duty": duty, "unit": units[10], "duty_token": token_create(acting_user=None, user=duty).token}


def test_api_incidents_page(benchmark: Any, holiday: dict[str, Any]) -> None:
    client = Client()
    headers = {"Authorization": f"Bearer {holiday['duty_token']}"}
    response = benchmark(lambda: client.get("/api/v1/incidents?limit=100", headers=headers))
    assert response.status_code == 200
    assert response.json()["count"] == INCIDENTS


def test_api_incidents_plain_json_baseline(benchmark: Any, holiday: dict[str, Any]) -> None:
    """The same 100 rows dumped to JSON with no auth, tenancy, deadlines or schema: the floor."""

    def dump() -> bytes:
        rows = Incident.objects.values("id", "reference", "unit_id", "title", "category", "severity", "status")[:100]
        items = [{**row} for row in rows]
        return json.dumps({"items": items, "count": Incident.objects.count()}).encode()

    assert json.loads(benchmark(dump))["count"] == INCIDENTS


def test_duty_board_for_the_department(benchmark: Any, holiday: dict[str, Any]) -> None:
    rows = benchmark(lambda: duty_board(visible_to=holiday["duty"], department_name="Sở"))
    assert sum(1 for row in rows if row.shifts) == 89


def test_duty_board_plain_query_baseline(benchmark: Any, holiday: dict[str, Any]) -> None:
    now = timezone.now()
    shifts = benchmark(
        lambda: list(
            Shift.objects.filter(
                starts_at__lte=now, ends_at__gt=now, roster__status=RosterStatus.SUBMITTED
            ).select_related("roster__unit", "user")
        )
    )
    assert len(shifts) == 89 * 2


def test_escalation_chain_for_a_unit(benchmark: Any, holiday: dict[str, Any]) -> None:
    chain = benchmark(lambda: escalation_chain(unit=holiday["unit"]))
    assert len(chain) == 2  # the unit's primary, then the department's duty officer (backups have no account)


def test_escalation_chain_plain_query_baseline(benchmark: Any, holiday: dict[str, Any]) -> None:
    now, unit = timezone.now(), holiday["unit"]
    users = benchmark(
        lambda: list(
            User.objects.filter(
                duty_shifts__starts_at__lte=now,
                duty_shifts__ends_at__gt=now,
                duty_shifts__roster__unit=unit,
                duty_shifts__roster__status=RosterStatus.SUBMITTED,
            )
        )
    )
    assert len(users) == 1


def test_incident_list_page_for_the_department(benchmark: Any, holiday: dict[str, Any]) -> None:
    client = Client()
    client.force_login(holiday["duty"])
    response = benchmark(lambda: client.get("/incidents/?queue=all"))
    assert response.status_code == 200


def test_incident_list_page_for_a_unit_officer(benchmark: Any, holiday: dict[str, Any]) -> None:
    client = Client()
    client.force_login(User.objects.get(email=f"o{holiday['unit'].id}@bench.vn"))
    response = benchmark(lambda: client.get("/incidents/"))
    assert response.status_code == 200
