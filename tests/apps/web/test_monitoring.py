from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from haidang.apps.monitoring.models import AlertPeriod, Disposition, FindingEventKind, FindingState, WatchState
from haidang.apps.web.charts import Point, bar_chart, count_ticks, days_ending
from haidang.apps.web.comparison import compare
from tests.apps.web.conftest import Login
from tests.apps.web.monitoring_world import Monitoring, build_monitoring
from tests.personas import World

PERSONAS = ["admin", "duty", "viewer", "officer_a", "officer_b", "provider_officer", "telecom_officer"]
SEES = {
    "admin": {"a", "b"},
    "duty": {"a", "b"},
    "viewer": {"a", "b"},
    "officer_a": {"a"},
    "officer_b": {"b"},
    "provider_officer": {"a"},
    "telecom_officer": set(),
}


@pytest.fixture
def mon(world: World) -> Monitoring:
    return build_monitoring(world)


def _body(response: HttpResponse) -> str:
    return response.content.decode()


def _website_url(world: World, side: str) -> str:
    return reverse("web:monitoring_website", args=[getattr(world, f"website_{side}").id])


def _finding_url(mon: Monitoring, side: str) -> str:
    return reverse("web:monitoring_finding", args=[getattr(mon, f"finding_{side}").id])


def _action(mon: Monitoring, action: str, side: str = "a") -> str:
    return reverse("web:monitoring_finding_action", args=[getattr(mon, f"finding_{side}").id, action])


# --- visibility --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_the_city_overview_within_the_persona_scope(
    login: Login, world: World, mon: Monitoring, persona: str
) -> None:
    response = login(getattr(world, persona)).get(reverse("web:monitoring_overview"))
    assert response.status_code == 200
    shown = {row.unit.id for group in response.context["groups"] for row in group.rows}
    assert shown == {getattr(world, f"unit_{side}").id for side in SEES[persona]}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("side", ["a", "b"])
def test_it_shows_unit_website_and_finding_pages_only_to_who_may_see_them(
    login: Login, world: World, mon: Monitoring, persona: str, side: str
) -> None:
    client = login(getattr(world, persona))
    expected = 200 if side in SEES[persona] else 404
    unit = getattr(world, f"unit_{side}")
    assert client.get(reverse("web:monitoring_unit", args=[unit.id])).status_code == expected
    assert client.get(_website_url(world, side)).status_code == expected
    assert client.get(_finding_url(mon, side)).status_code == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_only_visible_findings(login: Login, world: World, mon: Monitoring, persona: str) -> None:
    response = login(getattr(world, persona)).get(reverse("web:monitoring_findings"), {"state": "all"})
    assert response.status_code == 200
    listed = {finding.id for finding in response.context["page"].object_list}
    assert listed == {getattr(mon, f"finding_{side}").id for side in SEES[persona]}


def test_it_lists_open_findings_by_default_and_filters(login: Login, world: World, mon: Monitoring) -> None:
    client = login(world.duty)
    url = reverse("web:monitoring_findings")
    assert [f.id for f in client.get(url).context["page"].object_list] == [mon.finding_a.id]
    assert client.get(url, {"state": "resolved"}).context["total"] == 1
    assert client.get(url, {"state": "all", "unit": world.unit_b.id}).context["total"] == 1
    assert client.get(url, {"state": "all", "severity": "critical"}).context["total"] == 0
    assert client.get(url, {"state": "all", "disposition": "none"}).context["total"] == 2
    assert client.get(url, {"state": "all", "severity": "nonsense"}).context["total"] == 2


def test_it_colours_the_overview_with_words(login: Login, world: World, mon: Monitoring) -> None:
    body = _body(login(world.duty).get(reverse("web:monitoring_overview")))
    assert 'class="mon-colour mon-colour-red"' in body
    assert "Nghiêm trọng" in body  # a high finding is open in unit A: red, said in words
    assert "Bình thường" in body  # unit B: scanned, nothing open
    assert mon.finding_a.title in body  # among the findings not yet handled


def test_it_keeps_only_units_with_problems_when_asked(login: Login, world: World, mon: Monitoring) -> None:
    response = login(world.duty).get(reverse("web:monitoring_overview"), {"show": "problems"})
    assert [row.unit.id for group in response.context["groups"] for row in group.rows] == [world.unit_a.id]


def test_it_links_monitoring_from_the_nav_and_the_unit_page(login: Login, world: World) -> None:
    body = _body(login(world.officer_a).get(reverse("web:unit_detail", args=[world.unit_a.id])))
    assert f'href="{reverse("web:monitoring_overview")}"' in body
    assert f'href="{reverse("web:monitoring_unit", args=[world.unit_a.id])}"' in body


# --- the website page ----------------------------------------------------------------------------


def test_it_shows_a_website_with_its_status_charts_and_timeline(login: Login, world: World, mon: Monitoring) -> None:
    response = login(world.officer_a).get(_website_url(world, "a"))
    body = _body(response)
    assert "Có dấu hiệu bất thường" in body  # status in words, not only a colour
    assert body.count('role="img"') == 2  # availability and findings per day
    assert "<title" in body
    assert "Xem số liệu dạng bảng" in body
    assert "90% truy cập được (9/10 lần quét)" in body
    assert "Phát hiện: " in body
    assert mon.finding_a.title in body
    assert "Quét ngay" in body
    assert response.context["interval"] == 10


def test_it_draws_no_chart_from_nothing(login: Login, world: World, mon: Monitoring) -> None:
    body = _body(login(world.officer_b).get(_website_url(world, "b")))
    assert "Chưa có lần quét nào trong 30 ngày qua." in body
    assert 'class="bar-empty"' in body


def test_it_shows_a_website_that_was_never_scanned(login: Login, world: World) -> None:
    body = _body(login(world.officer_a).get(_website_url(world, "a")))
    assert "Chưa quét" in body


def test_it_hides_scan_now_and_settings_from_the_viewer(login: Login, world: World, mon: Monitoring) -> None:
    body = _body(login(world.viewer).get(_website_url(world, "a")))
    assert "Quét ngay" not in body
    assert "Lưu cài đặt" not in body


def test_it_queues_a_scan_once(login: Login, world: World, mon: Monitoring) -> None:
    client = login(world.officer_a)
    url = reverse("web:monitoring_scan_now", args=[world.website_a.id])
    first = client.post(url, follow=True)
    assert "Đã đưa trang vào hàng đợi quét" in _body(first)
    assert "Đang chờ quét" in _body(first)
    second = client.post(url, follow=True)
    assert "đã có yêu cầu quét đang chờ hoặc đang chạy" in _body(second)
    mon.watch_a.refresh_from_db()
    assert mon.watch_a.claimed_until is not None


@pytest.mark.parametrize(("persona", "status"), [("viewer", 403), ("officer_b", 404), ("telecom_officer", 404)])
def test_it_refuses_scan_now_to_who_may_not(
    login: Login, world: World, mon: Monitoring, persona: str, status: int
) -> None:
    url = reverse("web:monitoring_scan_now", args=[world.website_a.id])
    assert login(getattr(world, persona)).post(url).status_code == status
    mon.watch_a.refresh_from_db()
    assert mon.watch_a.claimed_until is None


def test_it_lets_the_provider_scan_an_assigned_unit(login: Login, world: World, mon: Monitoring) -> None:
    url = reverse("web:monitoring_scan_now", args=[world.website_a.id])
    assert login(world.provider_officer).post(url).status_code == 302


def test_it_saves_watch_settings(login: Login, world: World, mon: Monitoring) -> None:
    url = reverse("web:monitoring_watch", args=[world.website_a.id])
    response = login(world.officer_a).post(url, {"interval_minutes": "30"})
    assert response.status_code == 302
    mon.watch_a.refresh_from_db()
    assert (mon.watch_a.enabled, mon.watch_a.interval_minutes) == (False, 30)


@pytest.mark.parametrize(
    ("value", "message"),
    [("abc", "Chu kỳ quét phải là số phút (số nguyên)."), ("0", "Chu kỳ quét ít nhất là 1 phút.")],
)
def test_it_keeps_bad_watch_settings_and_explains(
    login: Login, world: World, mon: Monitoring, value: str, message: str
) -> None:
    url = reverse("web:monitoring_watch", args=[world.website_a.id])
    response = login(world.officer_a).post(url, {"enabled": "on", "interval_minutes": value})
    assert response.status_code == 200
    body = _body(response)
    assert message in body
    assert f'value="{value}"' in body
    mon.watch_a.refresh_from_db()
    assert mon.watch_a.interval_minutes is None


@pytest.mark.parametrize(
    ("persona", "status"), [("viewer", 403), ("duty", 403), ("provider_officer", 403), ("officer_b", 404)]
)
def test_it_lets_only_unit_editors_change_watch_settings(
    login: Login, world: World, mon: Monitoring, persona: str, status: int
) -> None:
    url = reverse("web:monitoring_watch", args=[world.website_a.id])
    assert login(getattr(world, persona)).post(url, {"interval_minutes": "5"}).status_code == status
    assert WatchState.objects.get(id=mon.watch_a.id).interval_minutes is None


# --- the finding page ----------------------------------------------------------------------------


def test_it_shows_scanned_content_only_as_escaped_text(login: Login, world: World, mon: Monitoring) -> None:
    body = _body(login(world.duty).get(_finding_url(mon, "a")))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # the snapshot
    assert "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in body
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in body  # the evidence
    for tag in ("<script>alert", "<img src=x", "<iframe", '<a href="https://nhacai'):
        assert tag not in body  # "onerror=" may appear, but only as text inside an escaped tag


def test_it_puts_the_page_next_to_its_baseline(login: Login, world: World, mon: Monitoring) -> None:
    response = login(world.duty).get(_finding_url(mon, "a"))
    body = _body(response)
    assert 'data-testid="snapshot-current"' in body
    assert 'data-testid="snapshot-baseline"' in body
    comparison = response.context["comparison"]
    assert comparison.added_total == 3  # script, img, link
    changed = [line.text for line in comparison.current.lines if line.changed]
    assert changed == ["<script>alert(1)</script>", '<img src=x onerror="alert(2)">', comparison.added[2]]
    assert "Googlebot (máy tìm kiếm Google)" in body  # the probe that saw it
    assert "Điện thoại đến từ Google" in body


def test_it_explains_a_finding_without_baseline(login: Login, world: World, mon: Monitoring) -> None:
    mon.finding_a.baseline_snapshot = None
    mon.finding_a.save()
    body = _body(login(world.duty).get(_finding_url(mon, "a")))
    assert "Chưa có mốc chuẩn" in body
    assert "is-changed" not in body


def test_it_marks_a_legitimate_change_with_a_reason(login: Login, world: World, mon: Monitoring) -> None:
    client = login(world.officer_a)
    response = client.post(_action(mon, "legitimate"), {"legitimate-reason": "Giao diện mới theo kế hoạch."})
    assert response.status_code == 302
    mon.finding_a.refresh_from_db()
    assert mon.finding_a.disposition == Disposition.LEGITIMATE
    assert mon.finding_a.state == FindingState.RESOLVED
    body = _body(client.get(_finding_url(mon, "a")))
    assert "Giao diện mới theo kế hoạch." in body
    assert "Xác nhận thay đổi hợp lệ" in body  # the timeline entry


@pytest.mark.parametrize("action", ["legitimate", "false_positive"])
def test_it_requires_a_reason(login: Login, world: World, mon: Monitoring, action: str) -> None:
    response = login(world.duty).post(_action(mon, action), {f"{action}-reason": "   "})
    assert response.status_code == 200
    body = _body(response)
    assert "Hãy nêu lý do." in body
    assert "Chưa thực hiện được" in body
    mon.finding_a.refresh_from_db()
    assert mon.finding_a.disposition == Disposition.NONE


def test_it_keeps_a_too_long_reason(login: Login, world: World, mon: Monitoring) -> None:
    reason = "x" * 2001
    body = _body(login(world.duty).post(_action(mon, "false_positive"), {"false_positive-reason": reason}))
    assert "Lý do dài tối đa 2000 ký tự" in body
    assert reason in body


def test_it_marks_a_false_positive(login: Login, world: World, mon: Monitoring) -> None:
    response = login(world.provider_officer).post(
        _action(mon, "false_positive"), {"false_positive-reason": "Tin phòng chống cờ bạc."}
    )
    assert response.status_code == 302
    mon.finding_a.refresh_from_db()
    assert mon.finding_a.disposition == Disposition.FALSE_POSITIVE
    assert mon.finding_a.disposition_reason == "Tin phòng chống cờ bạc."


def test_it_acknowledges_and_assigns(login: Login, world: World, mon: Monitoring) -> None:
    client = login(world.duty)
    assert client.post(_action(mon, "acknowledge")).status_code == 302
    assert client.post(_action(mon, "assign"), {"assignee": world.provider_officer.id}).status_code == 302
    mon.finding_a.refresh_from_db()
    assert mon.finding_a.disposition == Disposition.ACKNOWLEDGED
    assert mon.finding_a.assignee == world.provider_officer
    kinds = list(mon.finding_a.events.values_list("kind", flat=True))
    assert kinds == [FindingEventKind.OPENED, FindingEventKind.ACKNOWLEDGED, FindingEventKind.ASSIGNED]


def test_it_refuses_to_assign_an_officer_of_another_unit(login: Login, world: World, mon: Monitoring) -> None:
    response = login(world.duty).post(_action(mon, "assign"), {"assignee": world.officer_b.id})
    assert response.status_code == 200
    assert "Người này không được giao xử lý phát hiện này." in _body(response)
    mon.finding_a.refresh_from_db()
    assert mon.finding_a.assignee is None


@pytest.mark.parametrize("refused", [("viewer", 403), ("officer_b", 404), ("telecom_officer", 404)])
@pytest.mark.parametrize("action", ["acknowledge", "assign", "legitimate", "false_positive"])
def test_it_refuses_finding_actions_to_who_may_not(
    login: Login, world: World, mon: Monitoring, refused: tuple[str, int], action: str
) -> None:
    persona, status = refused
    data = {"legitimate-reason": "x", "false_positive-reason": "x", "assignee": world.duty.id}
    assert login(getattr(world, persona)).post(_action(mon, action), data).status_code == status
    mon.finding_a.refresh_from_db()
    assert (mon.finding_a.disposition, mon.finding_a.assignee) == (Disposition.NONE, None)


def test_it_shows_the_viewer_no_finding_actions(login: Login, world: World, mon: Monitoring) -> None:
    body = _body(login(world.viewer).get(_finding_url(mon, "a")))
    assert "Bạn chỉ được xem phát hiện này." in body
    assert "Xác nhận là thay đổi hợp lệ" not in body


# --- heightened-alert periods ----------------------------------------------------------------------


def _period_data(**extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Nghỉ lễ Quốc khánh 2/9",
        "starts_at": "2026-08-31T07:00",
        "ends_at": "2026-09-03T22:00",
        "interval_minutes": "2",
    }
    data.update(extra)
    return data


def test_it_creates_and_deletes_an_alert_period(login: Login, world: World) -> None:
    client = login(world.duty)
    response = client.post(reverse("web:monitoring_periods"), _period_data(units=[world.unit_a.id]))
    assert response.status_code == 302
    period = AlertPeriod.objects.get()
    assert (period.interval_minutes, list(period.units.all())) == (2, [world.unit_a])
    assert "Nghỉ lễ Quốc khánh 2/9" in _body(client.get(reverse("web:monitoring_periods")))
    assert client.post(reverse("web:monitoring_period_delete", args=[period.id])).status_code == 302
    assert not AlertPeriod.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"ends_at": "2026-08-30T07:00"}, "Thời điểm kết thúc phải sau thời điểm bắt đầu."),
        ({"interval_minutes": "0"}, "Chu kỳ quét ít nhất là 1 phút."),
        ({"interval_minutes": "90"}, "Chu kỳ quét tối đa là 60 phút."),
        ({"starts_at": "ngày mai"}, "Ngày giờ không hợp lệ"),
        ({"name": ""}, "Hãy nhập tên đợt cảnh giác cao."),
    ],
)
def test_it_keeps_a_bad_alert_period_and_explains(
    login: Login, world: World, extra: dict[str, str], message: str
) -> None:
    response = login(world.admin).post(reverse("web:monitoring_periods"), _period_data(**extra))
    assert response.status_code == 200
    body = _body(response)
    assert message in body
    assert f'value="{extra.get("interval_minutes", "2")}"' in body  # what was typed stays
    assert not AlertPeriod.objects.exists()


@pytest.mark.parametrize("persona", ["viewer", "officer_a", "provider_officer"])
def test_it_lets_only_the_department_manage_alert_periods(login: Login, world: World, persona: str) -> None:
    period = AlertPeriod.objects.create(
        name="Tết", starts_at=timezone.now(), ends_at=timezone.now() + timedelta(days=1), interval_minutes=3
    )
    client = login(getattr(world, persona))
    page = client.get(reverse("web:monitoring_periods"))
    assert page.status_code == 200
    assert "Tết" in _body(page)  # a period for every unit is news for everyone
    assert "Tạo đợt" not in _body(page)
    assert client.post(reverse("web:monitoring_periods"), _period_data()).status_code == 403
    assert client.post(reverse("web:monitoring_period_delete", args=[period.id])).status_code == 403
    assert AlertPeriod.objects.count() == 1


def test_it_announces_a_running_period_on_the_overview(login: Login, world: World, mon: Monitoring) -> None:
    AlertPeriod.objects.create(
        name="Quốc khánh", starts_at=timezone.now(), ends_at=timezone.now() + timedelta(days=1), interval_minutes=2
    )
    body = _body(login(world.officer_a).get(reverse("web:monitoring_overview")))
    assert "Đang trong đợt cảnh giác cao:" in body
    assert "quét mỗi 2 phút" in body
    response = login(world.officer_a).get(_website_url(world, "a"))
    assert response.context["interval"] == 2


# --- pure helpers ------------------------------------------------------------------------------


def test_it_lays_out_bars_with_gaps_for_days_without_data() -> None:
    days = days_ending(date(2026, 9, 2), 3)
    assert days == [date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)]
    points = [Point(days[0], 100, "100%"), Point(days[1], None, "—"), Point(days[2], 50, "50%")]
    chart = bar_chart(key="k", title="t", summary="s", points=points, maximum=100, ticks=[0, 100], css={"bar-bad": 90})
    assert [bar.css for bar in chart.bars] == ["bar", "bar-empty", "bar-bad"]
    assert chart.bars[0].height == pytest.approx(2 * chart.bars[2].height)
    assert chart.bars[0].label == "31/08: 100%"
    assert [tick.label for tick in chart.ticks] == ["0", "100"]
    assert count_ticks(0) == [0, 1]
    assert count_ticks(4) == [0, 2, 4]


def test_it_compares_only_when_both_sides_exist() -> None:
    result = compare("a\nnew\nb", "a\nb\nold")
    assert result.added == ("new",)
    assert [line.changed for line in result.current.lines] == [False, True, False]
    assert [line.changed for line in result.baseline.lines] == [False, False, True]
    alone = compare("a\nnew", "")
    assert alone.added == ()
    assert alone.baseline.empty
    assert not any(line.changed for line in alone.current.lines)


# --- vantage points ----------------------------------------------------------------------------


def test_it_shows_what_each_vantage_saw_escaped(login: Login, world: World, mon: Monitoring) -> None:
    from haidang.apps.monitoring.models import VantageObservation

    now = timezone.now()
    VantageObservation.objects.create(
        website=world.website_a, vantage="default", scanned_at=now, reachable=True,
        final_url="https://stp.example.gov.vn/", addresses=["203.0.113.5"],
    )  # fmt: skip
    VantageObservation.objects.create(
        website=world.website_a, vantage="hanoi", scanned_at=now, reachable=True,
        final_url="https://nhacai.example/<script>x</script>", addresses=["198.51.100.7", "198.51.100.8"],
    )  # fmt: skip

    body = _body(login(world.officer_a).get(_website_url(world, "a")))

    assert 'data-testid="vantage-observations"' in body
    assert "198.51.100.7, 198.51.100.8" in body
    assert "&lt;script&gt;x&lt;/script&gt;" in body
    assert "<script>x" not in body
    assert 'data-testid="vantage-observations"' not in _body(login(world.officer_b).get(_website_url(world, "b")))


def test_it_saves_the_vantages_a_website_is_watched_from(login: Login, world: World, mon: Monitoring) -> None:
    url = reverse("web:monitoring_watch", args=[world.website_a.id])
    client = login(world.officer_a)

    assert client.post(url, {"enabled": "on", "vantages": "Hanoi, hcm"}).status_code == 302
    mon.watch_a.refresh_from_db()
    assert mon.watch_a.vantages == "hanoi,hcm"

    response = client.post(url, {"enabled": "on", "vantages": "hà nội"})
    assert response.status_code == 200
    assert "Tên điểm quan sát không hợp lệ: hà nội" in _body(response)
    mon.watch_a.refresh_from_db()
    assert mon.watch_a.vantages == "hanoi,hcm"
