"""The platform's own evidence: duty rosters (1a), monitored clean websites (1d), the placeholders (1e, 1h).

The ``dispatched`` directive (issued 29/08/2026) is effective 29/08–04/09/2026: the window is
29/08 00:00 → 05/09 00:00 Vietnam time. The duty period announced for the holiday, when a test creates
it, is 31/08 07:30 → 03/09 07:30.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from haidang.apps.audit.models import AuditEvent
from haidang.apps.directives import checks, tasks
from haidang.apps.directives.checks import Verdict, evaluate, refresh_auto_checks
from haidang.apps.directives.models import AutoCheck, Directive, DirectiveStatus, ItemReport, Recipient
from haidang.apps.duty.models import DutyPeriod, Roster, RosterStatus, Shift, ShiftRole
from haidang.apps.monitoring.models import Finding, FindingState, WatchState
from haidang.apps.registry.models import Website
from tests.personas import World

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(day: int, month: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


NOW = vn(1, 9, 10, 0)
HOLIDAY_START, HOLIDAY_END = vn(31, 8, 7, 30), vn(3, 9, 7, 30)


def holiday(world: World) -> DutyPeriod:
    period = DutyPeriod.objects.create(
        name="Nghỉ lễ Quốc khánh 2/9/2026", starts_at=HOLIDAY_START, ends_at=HOLIDAY_END, announced_by=world.admin
    )
    period.groups.add(world.group)
    return period


def roster(period: DutyPeriod, *, status: str = RosterStatus.SUBMITTED, **owner: object) -> Roster:
    return Roster.objects.create(period=period, status=status, **owner)


def shift(roster: Roster, start: datetime, end: datetime, role: str = ShiftRole.PRIMARY) -> Shift:
    return Shift.objects.create(
        roster=roster, starts_at=start, ends_at=end, person_name="Lê Văn A", phone="0987654321", role=role
    )


def receipt(directive: Directive, **owner: object) -> Recipient:
    return Recipient.objects.select_related("directive", "unit", "organization").get(directive=directive, **owner)


def scanned(website: Website, at: datetime, *, enabled: bool = True) -> None:
    WatchState.objects.filter(website=website).update(last_scan_at=at, enabled=enabled)


def finding(website: Website, key: str, severity: str, state: str = FindingState.OPEN) -> Finding:
    return Finding.objects.create(
        website=website,
        unit=website.unit,
        key=key,
        kind="content.hidden_spam",
        severity=severity,
        title="Nội dung cờ bạc bị ẩn",
        evidence="nhà cái uy tín",
        state=state,
        first_seen_at=NOW - timedelta(hours=2),
        last_seen_at=NOW - timedelta(hours=1),
    )


# --- 1a: duty roster ---------------------------------------------------------------------------


def test_it_passes_when_a_submitted_roster_covers_the_duty_period(world: World, dispatched: Directive) -> None:
    roster_a = roster(holiday(world), unit=world.unit_a)
    shift(roster_a, HOLIDAY_START, vn(2, 9, 7, 30))
    shift(roster_a, vn(2, 9, 7, 30), HOLIDAY_END)

    result = evaluate(AutoCheck.DUTY_ROSTER, receipt(dispatched, unit=world.unit_a), now=NOW)

    assert result.verdict == "pass"
    assert "«Nghỉ lễ Quốc khánh 2/9/2026»" in result.detail
    assert "07:30 31/08/2026 – 07:30 03/09/2026" in result.detail


def test_it_fails_with_the_gaps_of_a_roster(world: World, dispatched: Directive) -> None:
    roster_a = roster(holiday(world), unit=world.unit_a)
    shift(roster_a, HOLIDAY_START, vn(1, 9, 7, 30))
    shift(roster_a, vn(1, 9, 19, 30), HOLIDAY_END)

    result = evaluate(AutoCheck.DUTY_ROSTER, receipt(dispatched, unit=world.unit_a), now=NOW)

    assert result == Verdict("fail", "Lịch trực đã nộp còn 1 khoảng không có người trực: 01/09 07:30–01/09 19:30.")


def test_it_lists_at_most_three_gaps(world: World, dispatched: Directive) -> None:
    roster_a = roster(holiday(world), unit=world.unit_a)
    for hours in range(0, 70, 12):  # 6 hours on, 6 hours off: gaps at 13:30, 01:30, … (6 of them)
        shift(roster_a, HOLIDAY_START + timedelta(hours=hours), HOLIDAY_START + timedelta(hours=hours + 6))

    result = evaluate(AutoCheck.DUTY_ROSTER, receipt(dispatched, unit=world.unit_a), now=NOW)

    assert result.verdict == "fail"
    assert "6 khoảng không có người trực: 31/08 13:30–31/08 19:30, 01/09 01:30–01/09 07:30," in result.detail
    assert result.detail.endswith("và 3 khoảng khác.")


def test_it_counts_backup_only_hours_as_covered_and_says_so(world: World, dispatched: Directive) -> None:
    roster_a = roster(holiday(world), unit=world.unit_a)
    shift(roster_a, HOLIDAY_START, vn(1, 9, 7, 30))
    shift(roster_a, vn(1, 9, 7, 30), HOLIDAY_END, role=ShiftRole.BACKUP)

    result = evaluate(AutoCheck.DUTY_ROSTER, receipt(dispatched, unit=world.unit_a), now=NOW)

    assert result.verdict == "pass"
    assert "Có 1 khoảng chỉ có người trực dự phòng." in result.detail


def test_it_fails_when_the_roster_is_only_a_draft_or_missing(world: World, dispatched: Directive) -> None:
    period = holiday(world)
    shift(roster(period, unit=world.unit_a, status=RosterStatus.DRAFT), HOLIDAY_START, HOLIDAY_END)
    shift(roster(period), HOLIDAY_START, HOLIDAY_END)  # the department's own roster covers nobody else

    draft = evaluate(AutoCheck.DUTY_ROSTER, receipt(dispatched, unit=world.unit_a), now=NOW)
    missing = evaluate(AutoCheck.DUTY_ROSTER, receipt(dispatched, unit=world.unit_b), now=NOW)

    assert draft == Verdict("fail", "Lịch trực đang soạn, chưa nộp cho thời gian 07:30 31/08/2026 – 07:30 03/09/2026.")
    assert missing == Verdict("fail", "Chưa nộp lịch trực cho thời gian 07:30 31/08/2026 – 07:30 03/09/2026.")


def test_it_uses_the_whole_effective_period_when_no_duty_period_overlaps(world: World, dispatched: Directive) -> None:
    earlier = DutyPeriod.objects.create(name="Đợt tháng 8", starts_at=vn(1, 8, 0), ends_at=vn(2, 8, 0))
    roster_a = roster(earlier, unit=world.unit_a)
    roster_b = roster(earlier, unit=world.unit_b)
    shift(roster_a, vn(28, 8, 0), vn(6, 9, 0))  # a long shift, beyond its period, covering the directive
    shift(roster_b, vn(29, 8, 0), vn(4, 9, 0))  # ends a day early

    covered = evaluate(AutoCheck.DUTY_ROSTER, receipt(dispatched, unit=world.unit_a), now=NOW)
    short = evaluate(AutoCheck.DUTY_ROSTER, receipt(dispatched, unit=world.unit_b), now=NOW)

    assert covered.verdict == "pass"
    assert "00:00 29/08/2026 – 00:00 05/09/2026" in covered.detail
    assert short == Verdict("fail", "Lịch trực đã nộp còn 1 khoảng không có người trực: 04/09 00:00–05/09 00:00.")


def test_it_merges_overlapping_duty_periods(world: World, dispatched: Directive) -> None:
    holiday(world)
    extra = DutyPeriod.objects.create(name="Cảnh giác cao", starts_at=vn(3, 9, 0), ends_at=vn(10, 9, 0))
    roster_a = roster(extra, unit=world.unit_a)
    shift(roster_a, HOLIDAY_START, vn(4, 9, 12))

    result = evaluate(AutoCheck.DUTY_ROSTER, receipt(dispatched, unit=world.unit_a), now=NOW)

    # 31/08 07:30 → 05/09 00:00 (the directive's end), one window: the shift leaves the last 12 hours.
    assert result == Verdict("fail", "Lịch trực đã nộp còn 1 khoảng không có người trực: 04/09 12:00–05/09 00:00.")


def test_it_checks_an_organization_recipients_own_roster(world: World, dispatched: Directive) -> None:
    period = holiday(world)
    shift(roster(period, organization=world.telecom), HOLIDAY_START, HOLIDAY_END)
    shift(roster(period, unit=world.unit_a), HOLIDAY_START, HOLIDAY_END)

    telecom = evaluate(AutoCheck.DUTY_ROSTER, receipt(dispatched, organization=world.telecom), now=NOW)
    provider = evaluate(AutoCheck.DUTY_ROSTER, receipt(dispatched, organization=world.provider), now=NOW)

    assert telecom.verdict == "pass"
    assert provider.verdict == "fail"
    assert provider.detail.startswith("Chưa nộp lịch trực")


# --- 1d: websites ------------------------------------------------------------------------------


def test_it_passes_a_unit_whose_websites_are_scanned_and_clean(world: World, dispatched: Directive) -> None:
    second = Website.objects.create(unit=world.unit_a, url="https://tiepcongdan.stp.example.gov.vn/")
    scanned(world.website_a, NOW - timedelta(hours=3))
    scanned(second, NOW - timedelta(minutes=40))
    finding(world.website_a, "k-medium", "medium")  # below high: does not count
    finding(second, "k-resolved", "critical", state=FindingState.RESOLVED)

    result = evaluate(AutoCheck.WEBSITES_CLEAN, receipt(dispatched, unit=world.unit_a), now=NOW)

    assert result == Verdict(
        "pass",
        "2 website được giám sát, lần quét gần nhất 09:20 01/09/2026; "
        "không có phát hiện mức cao, nghiêm trọng đang mở.",
    )


def test_it_fails_a_website_with_an_open_high_finding(world: World, dispatched: Directive) -> None:
    scanned(world.website_a, NOW - timedelta(minutes=5))
    finding(world.website_a, "k-high", "high")
    finding(world.website_a, "k-critical", "critical")

    result = evaluate(AutoCheck.WEBSITES_CLEAN, receipt(dispatched, unit=world.unit_a), now=NOW)

    assert result == Verdict(
        "fail", "1/1 website chưa đạt: https://stp.example.gov.vn/ (2 phát hiện mức cao, nghiêm trọng đang mở)."
    )


def test_it_fails_a_stale_scan_an_unwatched_and_a_never_scanned_website(world: World, dispatched: Directive) -> None:
    unwatched = Website.objects.create(unit=world.unit_a, url="https://a.stp.example.gov.vn/")
    never = Website.objects.create(unit=world.unit_a, url="https://b.stp.example.gov.vn/")
    scanned(world.website_a, NOW - timedelta(hours=25))
    scanned(unwatched, NOW - timedelta(minutes=5), enabled=False)
    WatchState.objects.filter(website=never).update(last_scan_at=None)

    result = evaluate(AutoCheck.WEBSITES_CLEAN, receipt(dispatched, unit=world.unit_a), now=NOW)

    assert result.verdict == "fail"
    assert result.detail == (
        "3/3 website chưa đạt: https://a.stp.example.gov.vn/ (chưa được giám sát), "
        "https://b.stp.example.gov.vn/ (chưa được quét), "
        "https://stp.example.gov.vn/ (lần quét gần nhất 09:00 31/08/2026, đã quá 24 giờ)."
    )


def test_it_treats_a_missing_watch_as_unmonitored(world: World, dispatched: Directive) -> None:
    WatchState.objects.filter(website=world.website_a).delete()

    result = evaluate(AutoCheck.WEBSITES_CLEAN, receipt(dispatched, unit=world.unit_a), now=NOW)

    assert result.verdict == "fail"
    assert "(chưa được giám sát)" in result.detail


def test_it_names_at_most_five_failing_websites(world: World, dispatched: Directive) -> None:
    for n in range(6):
        Website.objects.create(unit=world.unit_a, url=f"https://s{n}.stp.example.gov.vn/")

    result = evaluate(AutoCheck.WEBSITES_CLEAN, receipt(dispatched, unit=world.unit_a), now=NOW)

    assert result.detail.startswith("7/7 website chưa đạt: https://s0.stp.example.gov.vn/")
    assert "s4.stp" in result.detail
    assert "s5.stp" not in result.detail
    assert result.detail.endswith(" và 2 website khác.")


def test_it_does_not_know_about_a_unit_without_active_websites(world: World, dispatched: Directive) -> None:
    Website.objects.filter(id=world.website_b.id).update(is_active=False)
    finding(world.website_b, "k-high", "high")  # an inactive website does not count

    result = evaluate(AutoCheck.WEBSITES_CLEAN, receipt(dispatched, unit=world.unit_b), now=NOW)

    assert result == Verdict("unknown", "Đơn vị chưa khai báo website nào trên nền tảng.")


def test_it_does_not_check_websites_of_an_organization(world: World, dispatched: Directive) -> None:
    result = evaluate(AutoCheck.WEBSITES_CLEAN, receipt(dispatched, organization=world.provider), now=NOW)

    assert result.verdict == "unknown"


# --- 1e, 1h and the registry -------------------------------------------------------------------


def test_it_does_not_know_about_backups_yet_nor_warnings_a_unit_never_received(
    world: World, dispatched: Directive
) -> None:
    recipient = receipt(dispatched, unit=world.unit_a)

    warnings = evaluate(AutoCheck.VULNERABILITY_WARNINGS, recipient, now=NOW)
    backups = evaluate(AutoCheck.BACKUPS_VERIFIED, recipient, now=NOW)

    # Item 1e from the warnings themselves is tested in tests/apps/advisories/test_warnings.py.
    assert warnings == Verdict("unknown", "Đơn vị chưa nhận cảnh báo lỗ hổng nào để đối chiếu.")
    assert backups == Verdict("unknown", "Nền tảng chưa có dữ liệu sao lưu để tự kiểm tra.")


def test_it_registers_every_auto_check() -> None:
    assert set(checks.CHECKS) == set(AutoCheck.values) - {""}


def test_it_dispatches_through_the_registry_and_caps_the_detail(
    world: World, dispatched: Directive, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(checks.CHECKS, AutoCheck.BACKUPS_VERIFIED, lambda recipient, now: Verdict("pass", "x" * 5000))

    result = evaluate(AutoCheck.BACKUPS_VERIFIED, receipt(dispatched, unit=world.unit_a), now=NOW)

    assert result == Verdict("pass", "x" * 2000)
    assert evaluate("no_such_check", receipt(dispatched, unit=world.unit_a), now=NOW).verdict == "unknown"


# --- storing verdicts --------------------------------------------------------------------------


def verdicts(recipient: Recipient) -> dict[str, str]:
    return dict(recipient.reports.exclude(item__auto_check="").values_list("item__code", "auto_verdict"))


def test_it_stores_each_verdict_with_the_time_it_was_computed(world: World, dispatched: Directive) -> None:
    shift(roster(holiday(world), unit=world.unit_a), HOLIDAY_START, HOLIDAY_END)
    scanned(world.website_a, NOW - timedelta(minutes=10))
    scanned(world.website_b, NOW - timedelta(days=3))

    assert refresh_auto_checks(directive=dispatched, now=NOW) == 8  # 2 units × 4 checked items

    unit_a, unit_b = receipt(dispatched, unit=world.unit_a), receipt(dispatched, unit=world.unit_b)
    assert verdicts(unit_a) == {"1a": "pass", "1d": "pass", "1e": "unknown", "1h": "unknown"}
    assert verdicts(unit_b) == {"1a": "fail", "1d": "fail", "1e": "unknown", "1h": "unknown"}
    checked = ItemReport.objects.filter(recipient__directive=dispatched).exclude(item__auto_check="")
    assert set(checked.values_list("auto_computed_at", flat=True)) == {NOW}
    report_1d = unit_b.reports.get(item__code="1d")
    assert "đã quá 24 giờ" in report_1d.auto_detail
    unchecked = ItemReport.objects.filter(recipient__directive=dispatched, item__auto_check="")
    assert set(unchecked.values_list("auto_verdict", flat=True)) == {""}


def test_it_audits_only_the_verdicts_that_change(world: World, dispatched: Directive) -> None:
    scanned(world.website_a, NOW - timedelta(minutes=10))
    refresh_auto_checks(directive=dispatched, now=NOW)
    audits = AuditEvent.objects.filter(action="directive.auto_check")
    before = audits.count()
    last_id = audits.order_by("-id").values_list("id", flat=True).first() or 0

    later = NOW + timedelta(minutes=15)
    assert refresh_auto_checks(directive=dispatched, now=later) == 8
    assert audits.count() == before  # nothing changed
    report_1d = receipt(dispatched, unit=world.unit_a).reports.get(item__code="1d")
    assert report_1d.auto_computed_at == later  # …but the time of the check moved on

    finding(world.website_a, "k-critical", "critical")
    refresh_auto_checks(directive=dispatched, now=later + timedelta(minutes=15))

    changed = audits.filter(id__gt=last_id)
    assert changed.count() == 1
    event = changed.get()
    assert event.actor is None
    assert event.object_id == str(report_1d.id)
    assert event.changes["verdict"] == ["pass", "fail"]
    report_1d.refresh_from_db()
    assert report_1d.auto_verdict == "fail"


def test_it_refreshes_only_the_recipients_asked_for(world: World, dispatched: Directive) -> None:
    unit_a, unit_b = receipt(dispatched, unit=world.unit_a), receipt(dispatched, unit=world.unit_b)

    assert refresh_auto_checks(recipient_ids=[unit_b.id], now=NOW) == 4

    assert set(unit_b.reports.exclude(item__auto_check="").values_list("auto_computed_at", flat=True)) == {NOW}
    assert NOW not in set(unit_a.reports.values_list("auto_computed_at", flat=True))


def test_it_skips_directives_that_are_not_dispatched(world: World, dispatched: Directive) -> None:
    Directive.objects.filter(id=dispatched.id).update(status=DirectiveStatus.CLOSED)

    assert refresh_auto_checks(now=NOW) == 0
    assert not ItemReport.objects.filter(auto_computed_at=NOW).exists()


def test_it_runs_as_a_task(world: World, dispatched: Directive) -> None:
    assert tasks.refresh_auto_checks.delay(dispatched.id).get() == 8
    assert tasks.refresh_auto_checks.delay().get() == 8
    assert tasks.refresh_auto_checks.delay(dispatched.id + 1000).get() == 0
