from __future__ import annotations

import zoneinfo
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from haidang.apps.incidents import services
from haidang.apps.incidents.deadlines import (
    DEFAULT_RULES_FILE,
    IncidentFacts,
    RulesFileError,
    add_duration,
    deadlines_for,
    load_rules,
    parse_rules,
)
from haidang.apps.incidents.models import Incident, Status
from haidang.apps.incidents.selectors import incident_deadlines, incident_rows
from tests.apps.incidents.conftest import MakeIncident
from tests.personas import World

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")

RULE = """
[[rule]]
id = "{id}"
title = "Báo cáo"
recipient = "Sở"
applies_when = {applies}
clock = "{clock}"
duration = {duration}
unit = "{unit}"
{extra}
[rule.source]
document = "1/2020/TT-X"
article = "Điều 1"
title = "Thông tư thử"
effective = 2020-01-01
"""


def _rules(**overrides: object) -> str:
    fields: dict[str, object] = {
        "id": "r1",
        "applies": "{ any = true }",
        "clock": "discovered_at",
        "duration": 5,
        "unit": "days",
        "extra": "",
    }
    fields.update(overrides)
    return RULE.format(**fields)


def _facts(**overrides: object) -> IncidentFacts:
    at = datetime(2026, 9, 2, 9, 30, tzinfo=HCM)  # a Wednesday
    fields: dict[str, object] = {
        "discovered_at": at,
        "reported_at": at,
        "resolved_at": None,
        "personal_data": False,
        "beyond_capacity": False,
        "security_level": None,
        "category": "malware",
        "severity": "high",
    }
    fields.update(overrides)
    return IncidentFacts(**fields)  # type: ignore[arg-type]


def test_it_loads_the_shipped_rules_with_their_sources() -> None:
    rules = load_rules(DEFAULT_RULES_FILE)
    ids = {rule.id for rule in rules.rules}
    assert {"tt20-initial-report", "tt20-final-report", "nd13-personal-data-breach", "pdpl-personal-data-breach"} <= ids
    for rule in rules.rules:
        assert rule.source.document
        assert rule.source.article
        assert rule.source.effective <= date(2026, 1, 1)
        assert rule.note, f"{rule.id} must say what is uncertain"
    assert rules.reviewed_on is not None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not toml ===", "not valid TOML"),
        ("reviewed_on = 2026-01-01", "no [[rule]]"),
        (_rules(unit="weeks"), "'unit' must be one of"),
        (_rules(clock="created_at"), "'clock' must be one of"),
        (_rules(duration=0), "positive whole number"),
        (_rules(duration='"5"'), "positive whole number"),
        (_rules(applies="{ any = true, personal_data = true }"), "cannot be combined"),
        (_rules(applies="{ min_security_level = 9 }"), "1 to 5"),
        (_rules(applies="{ colour = 'red' }"), "unknown applies_when"),
        (_rules(id="Bad Id"), "'id' must be"),
        (_rules(extra='surprise = "x"'), "unknown field"),
        (_rules(extra="applies_until = 2019-01-01"), "applies_until"),
        (_rules() + _rules(), "used twice"),
        (_rules().split("[rule.source]")[0], "[rule.source] is required"),
        (_rules().replace("effective = 2020-01-01", 'effective = "soon"'), "source.effective"),
        (_rules().replace('title = "Thông tư thử"\n', ""), "'title' must be a non-empty string"),
    ],
)
def test_it_refuses_a_broken_rules_file_with_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(RulesFileError) as caught:
        parse_rules(text, origin="test.toml")
    assert message in str(caught.value)
    assert "test.toml" in str(caught.value)


def test_it_names_a_missing_rules_file(tmp_path: Path) -> None:
    with pytest.raises(RulesFileError, match="cannot read"):
        load_rules(tmp_path / "missing.toml")


def test_it_reloads_the_file_when_it_changes(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(_rules(duration=5), encoding="utf-8")
    assert load_rules(path).rules[0].duration == 5
    path.write_text(_rules(duration=7), encoding="utf-8")
    import os

    os.utime(path, ns=(1, 2_000_000_000_000_000_000))
    assert load_rules(path).rules[0].duration == 7


def test_it_adds_hours_calendar_days_and_business_days() -> None:
    friday = datetime(2026, 9, 4, 16, 0, tzinfo=HCM)
    assert add_duration(friday, 72, "hours", tz=HCM) == friday + timedelta(hours=72)
    assert add_duration(friday, 5, "days", tz=HCM) == datetime(2026, 9, 9, 16, 0, tzinfo=HCM)
    # Friday + 2 business days skips the weekend and a listed holiday (Monday).
    holiday = frozenset({date(2026, 9, 7)})
    assert add_duration(friday, 2, "business_days", tz=HCM, holidays=holiday) == datetime(2026, 9, 9, 16, 0, tzinfo=HCM)


def test_it_applies_rules_by_condition_and_by_date() -> None:
    rules = load_rules(DEFAULT_RULES_FILE)
    plain = {d.rule.id for d in deadlines_for(_facts(), rules, tz=HCM)}
    assert plain == {"tt20-initial-report", "tt20-final-report"}

    personal_2025 = _facts(personal_data=True, discovered_at=datetime(2025, 12, 30, 8, 0, tzinfo=HCM))
    assert "nd13-personal-data-breach" in {d.rule.id for d in deadlines_for(personal_2025, rules, tz=HCM)}
    personal_2026 = {d.rule.id for d in deadlines_for(_facts(personal_data=True), rules, tz=HCM)}
    assert "pdpl-personal-data-breach" in personal_2026
    assert "nd13-personal-data-breach" not in personal_2026

    level_3 = {d.rule.id for d in deadlines_for(_facts(security_level=3), rules, tz=HCM)}
    assert "qd05-serious-report" in level_3


def test_it_computes_due_times_and_waits_for_the_clock() -> None:
    rules = load_rules(DEFAULT_RULES_FILE)
    facts = _facts(personal_data=True)
    deadlines = {d.rule.id: d for d in deadlines_for(facts, rules, tz=HCM)}
    assert deadlines["pdpl-personal-data-breach"].due_at == facts.discovered_at + timedelta(hours=72)
    assert deadlines["tt20-initial-report"].due_at == datetime(2026, 9, 7, 9, 30, tzinfo=HCM)
    final = deadlines["tt20-final-report"]
    assert final.due_at is None
    assert final.state(timezone.now()) == "waiting"


def test_it_tells_time_left_and_overdue(world: World, make_incident: MakeIncident) -> None:
    discovered = datetime(2026, 9, 2, 9, 0, tzinfo=HCM)
    with time_machine.travel(discovered + timedelta(hours=1), tick=False):
        incident = make_incident(personal_data=True, discovered_at=discovered)
        breach = next(d for d in incident_deadlines(incident) if d.rule.id == "pdpl-personal-data-breach")
        assert breach.state(timezone.now()) == "running"
        assert breach.time_left(timezone.now()) == timedelta(hours=71)

    with time_machine.travel(discovered + timedelta(hours=80), tick=False):
        breach = next(d for d in incident_deadlines(incident) if d.rule.id == "pdpl-personal-data-breach")
        assert breach.state(timezone.now()) == "overdue"
        assert breach.time_left(timezone.now()) == timedelta(hours=-8)
        assert incident_rows(Incident.objects.filter(id=incident.id))[0].overdue

        services.deadline_mark_sent(actor=world.officer_a, incident=incident, rule_id="pdpl-personal-data-breach")
        breach = next(d for d in incident_deadlines(incident) if d.rule.id == "pdpl-personal-data-breach")
        assert breach.state(timezone.now()) == "late"
        with pytest.raises(ValidationError):
            services.deadline_mark_sent(actor=world.officer_a, incident=incident, rule_id="nd13-personal-data-breach")


def test_it_starts_the_final_report_clock_at_resolution(world: World, make_incident: MakeIncident) -> None:
    incident = make_incident()
    for target in (Status.IN_PROGRESS, Status.RESOLVED):
        services.incident_transition(actor=world.officer_a, incident=incident, to=target)
    final = next(d for d in incident_deadlines(incident) if d.rule.id == "tt20-final-report")
    assert final.starts_at == incident.resolved_at
    assert final.due_at is not None


def test_it_reads_another_rules_file_from_settings(
    settings: object, tmp_path: Path, make_incident: MakeIncident
) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(_rules(id="local-2h", duration=2, unit="hours"), encoding="utf-8")
    settings.HAIDANG_INCIDENT_DEADLINES_FILE = str(path)  # type: ignore[attr-defined]
    incident = make_incident()
    assert [d.rule.id for d in incident_deadlines(incident)] == ["local-2h"]
