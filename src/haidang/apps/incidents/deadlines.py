"""Regulatory reporting deadlines, read from a dated, sourced rules file (``data/deadlines.toml``).

The rules are data: which report, to whom, when it applies, when the clock starts, how long it runs
and which legal text says so. This module loads and validates the file and computes each incident's
deadlines; it does not touch the database.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

DEFAULT_RULES_FILE = Path(__file__).resolve().parent / "data" / "deadlines.toml"

Clock = Literal["discovered_at", "reported_at", "resolved_at"]
DurationUnit = Literal["hours", "days", "business_days"]
DeadlineState = Literal["waiting", "running", "overdue", "met", "late"]

CLOCKS: frozenset[str] = frozenset({"discovered_at", "reported_at", "resolved_at"})
UNITS: frozenset[str] = frozenset({"hours", "days", "business_days"})
_CONDITION_KEYS = frozenset(
    {"any", "personal_data", "beyond_capacity", "min_security_level", "categories", "severities"}
)
_RULE_KEYS = frozenset(
    {"id", "title", "recipient", "applies_when", "clock", "duration", "unit", "note", "source"}
    | {"applies_from", "applies_until"}
)
_SOURCE_KEYS = frozenset({"document", "article", "title", "effective", "url"})
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


class RulesFileError(ValueError):
    """The rules file is missing, is not TOML, or a rule is incomplete or contradictory."""


@dataclass(frozen=True)
class LegalSource:
    document: str
    article: str
    title: str
    effective: date
    url: str = ""


@dataclass(frozen=True)
class Condition:
    """When a rule applies. Every given criterion must hold; none given means every incident."""

    personal_data: bool | None = None
    beyond_capacity: bool | None = None
    min_security_level: int | None = None
    categories: frozenset[str] = frozenset()
    severities: frozenset[str] = frozenset()

    def matches(self, facts: IncidentFacts) -> bool:
        checks = (
            self.personal_data is None or facts.personal_data == self.personal_data,
            self.beyond_capacity is None or facts.beyond_capacity == self.beyond_capacity,
            self.min_security_level is None
            or (facts.security_level is not None and facts.security_level >= self.min_security_level),
            not self.categories or facts.category in self.categories,
            not self.severities or facts.severity in self.severities,
        )
        return all(checks)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    recipient: str
    condition: Condition
    clock: Clock
    duration: int
    unit: DurationUnit
    source: LegalSource
    note: str = ""
    applies_from: date | None = None
    applies_until: date | None = None

    def in_force_on(self, day: date) -> bool:
        start = self.applies_from or self.source.effective
        return day >= start and (self.applies_until is None or day < self.applies_until)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    reviewed_on: date | None = None
    holidays: frozenset[date] = field(default_factory=frozenset)


@dataclass(frozen=True)
class IncidentFacts:
    """What the rules look at. ``security_level`` is the highest level among the affected systems."""

    discovered_at: datetime
    reported_at: datetime
    resolved_at: datetime | None
    personal_data: bool
    beyond_capacity: bool
    security_level: int | None
    category: str
    severity: str


@dataclass(frozen=True)
class Deadline:
    rule: Rule
    starts_at: datetime | None  # None: the clock has not started (e.g. not resolved yet)
    due_at: datetime | None
    done_at: datetime | None = None

    def state(self, now: datetime) -> DeadlineState:
        if self.due_at is None:
            return "waiting"
        if self.done_at is not None:
            return "met" if self.done_at <= self.due_at else "late"
        return "overdue" if now > self.due_at else "running"

    def time_left(self, now: datetime) -> timedelta | None:
        """Positive while running, negative once overdue, None when waiting or done."""
        if self.due_at is None or self.done_at is not None:
            return None
        return self.due_at - now


# --- loading -----------------------------------------------------------------------------------


def load_rules(path: Path | None = None) -> RuleSet:
    """Read and validate the rules file (cached until the file changes)."""
    target = path or DEFAULT_RULES_FILE
    try:
        stamp = target.stat().st_mtime_ns
    except OSError as exc:
        raise RulesFileError(f"{target}: cannot read the deadline rules file ({exc.strerror})") from exc
    return _load_cached(str(target), stamp)


@lru_cache(maxsize=8)
def _load_cached(path: str, _stamp: int) -> RuleSet:
    return parse_rules(Path(path).read_text(encoding="utf-8"), origin=path)


def parse_rules(text: str, *, origin: str = "deadlines.toml") -> RuleSet:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesFileError(f"{origin}: not valid TOML: {exc}") from exc
    raw_rules = document.get("rule")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise RulesFileError(f"{origin}: no [[rule]] found")
    rules = tuple(_rule(raw, f"{origin}: rule #{n}") for n, raw in enumerate(raw_rules, start=1))
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RulesFileError(f"{origin}: rule id {rule.id!r} is used twice")
        seen.add(rule.id)
    reviewed = document.get("reviewed_on")
    if reviewed is not None and not _is_date(reviewed):
        raise RulesFileError(f"{origin}: reviewed_on must be a date (YYYY-MM-DD)")
    holidays = document.get("holidays", [])
    if not isinstance(holidays, list) or not all(_is_date(day) for day in holidays):
        raise RulesFileError(f"{origin}: holidays must be a list of dates (YYYY-MM-DD)")
    return RuleSet(rules=rules, reviewed_on=reviewed, holidays=frozenset(holidays))


def _is_date(value: object) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)


def _text(raw: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = raw.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise RulesFileError(f"{where}: {key!r} must be a non-empty string")
    return value.strip()


def _optional_date(raw: Mapping[str, Any], key: str, where: str) -> date | None:
    value = raw.get(key)
    if value is not None and not _is_date(value):
        raise RulesFileError(f"{where}: {key!r} must be a date (YYYY-MM-DD)")
    return value


def _rule(raw: object, where: str) -> Rule:
    if not isinstance(raw, dict):
        raise RulesFileError(f"{where}: must be a table")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RulesFileError(f"{where}: 'id' must be lower-case letters, digits, '-' or '_'")
    where = f"{where} ({rule_id})"
    unknown = set(raw) - _RULE_KEYS
    if unknown:
        raise RulesFileError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    clock, unit, duration = raw.get("clock"), raw.get("unit"), raw.get("duration")
    if clock not in CLOCKS:
        raise RulesFileError(f"{where}: 'clock' must be one of {', '.join(sorted(CLOCKS))}")
    if unit not in UNITS:
        raise RulesFileError(f"{where}: 'unit' must be one of {', '.join(sorted(UNITS))}")
    if not isinstance(duration, int) or isinstance(duration, bool) or duration <= 0:
        raise RulesFileError(f"{where}: 'duration' must be a positive whole number")
    rule = Rule(
        id=rule_id,
        title=_text(raw, "title", where),
        recipient=_text(raw, "recipient", where),
        condition=_condition(raw.get("applies_when"), where),
        clock=clock,
        duration=duration,
        unit=unit,
        source=_source(raw.get("source"), where),
        note=_text(raw, "note", where, required=False),
        applies_from=_optional_date(raw, "applies_from", where),
        applies_until=_optional_date(raw, "applies_until", where),
    )
    start = rule.applies_from or rule.source.effective
    if rule.applies_until is not None and rule.applies_until <= start:
        raise RulesFileError(f"{where}: 'applies_until' must be after the date the rule starts to apply")
    return rule


def _condition(raw: object, where: str) -> Condition:
    if not isinstance(raw, dict) or not raw:
        raise RulesFileError(f"{where}: 'applies_when' must be a table, e.g. {{ any = true }}")
    unknown = set(raw) - _CONDITION_KEYS
    if unknown:
        raise RulesFileError(f"{where}: unknown applies_when key(s) {', '.join(sorted(unknown))}")
    if "any" in raw and (raw["any"] is not True or len(raw) > 1):
        raise RulesFileError(f"{where}: 'any = true' cannot be combined with other conditions")
    for key in ("personal_data", "beyond_capacity"):
        if key in raw and not isinstance(raw[key], bool):
            raise RulesFileError(f"{where}: applies_when.{key} must be true or false")
    level = raw.get("min_security_level")
    if level is not None and (not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 5):
        raise RulesFileError(f"{where}: applies_when.min_security_level must be 1 to 5")
    return Condition(
        personal_data=raw.get("personal_data"),
        beyond_capacity=raw.get("beyond_capacity"),
        min_security_level=level,
        categories=_names(raw, "categories", where),
        severities=_names(raw, "severities", where),
    )


def _names(raw: Mapping[str, Any], key: str, where: str) -> frozenset[str]:
    value = raw.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RulesFileError(f"{where}: applies_when.{key} must be a list of strings")
    return frozenset(value)


def _source(raw: object, where: str) -> LegalSource:
    if not isinstance(raw, dict):
        raise RulesFileError(f"{where}: [rule.source] is required (document, article, title, effective)")
    unknown = set(raw) - _SOURCE_KEYS
    if unknown:
        raise RulesFileError(f"{where}: unknown source field(s) {', '.join(sorted(unknown))}")
    effective = raw.get("effective")
    if not isinstance(effective, date) or isinstance(effective, datetime):
        raise RulesFileError(f"{where}: source.effective must be a date (YYYY-MM-DD)")
    return LegalSource(
        document=_text(raw, "document", f"{where}: source"),
        article=_text(raw, "article", f"{where}: source"),
        title=_text(raw, "title", f"{where}: source"),
        effective=effective,
        url=_text(raw, "url", f"{where}: source", required=False),
    )


# --- computing ---------------------------------------------------------------------------------


def add_duration(
    start: datetime, duration: int, unit: DurationUnit, *, tz: tzinfo, holidays: frozenset[date] = frozenset()
) -> datetime:
    """``start`` plus ``duration`` hours, calendar days, or business days (local time of day kept)."""
    if unit == "hours":
        return start + timedelta(hours=duration)
    local = start.astimezone(tz)
    if unit == "days":
        return _local(local.replace(tzinfo=None) + timedelta(days=duration), tz)
    day, left = local.date(), duration
    while left:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            left -= 1
    return _local(datetime.combine(day, local.timetz().replace(tzinfo=None)), tz)


def _local(naive: datetime, tz: tzinfo) -> datetime:
    # zoneinfo zones resolve the UTC offset (summer time included) from the wall-clock time.
    return naive.replace(tzinfo=tz)


def deadlines_for(
    facts: IncidentFacts,
    rules: RuleSet,
    *,
    tz: tzinfo,
    done: Mapping[str, datetime] | None = None,
) -> list[Deadline]:
    """Every rule that applies to the incident, with its due time (None until its clock starts)."""
    done = done or {}
    discovered_day = facts.discovered_at.astimezone(tz).date()
    result: list[Deadline] = []
    for rule in rules.rules:
        if not rule.in_force_on(discovered_day) or not rule.condition.matches(facts):
            continue
        start: datetime | None = getattr(facts, rule.clock)
        due = None
        if start is not None:
            due = add_duration(start, rule.duration, rule.unit, tz=tz, holidays=rules.holidays)
        result.append(Deadline(rule=rule, starts_at=start, due_at=due, done_at=done.get(rule.id)))
    return result


def first_due(deadlines: Sequence[Deadline]) -> datetime | None:
    """The earliest due time among deadlines not yet met (for sorting queues)."""
    due = [d.due_at for d in deadlines if d.due_at is not None and d.done_at is None]
    return min(due) if due else None
