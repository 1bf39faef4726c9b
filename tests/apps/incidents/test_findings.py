from __future__ import annotations

from haidang.apps.incidents import services
from haidang.apps.incidents.models import Incident, Source, Status, TimelineEntry
from tests.personas import World


def _finding(world: World, **overrides: str) -> Incident:
    fields = {
        "unit": world.unit_a,
        "title": "Trang chủ bị chèn liên kết cờ bạc",
        "category": "defacement",
        "severity": "high",
        "evidence": "content.hidden_links: 14 liên kết ẩn tới nhacai.example",
        "url": "https://stp.example.gov.vn/",
        "dedupe_key": "scanner:website:1:content.hidden_links",
    }
    fields.update(overrides)
    return services.incident_from_finding(**fields)  # type: ignore[arg-type]


def test_it_opens_one_incident_per_finding_and_adds_repeats_to_its_timeline(world: World) -> None:
    first = _finding(world)
    again = _finding(world, evidence="content.hidden_links: 20 liên kết ẩn")

    assert again.id == first.id
    assert first.source == Source.MONITORING
    assert Incident.objects.count() == 1
    repeats = TimelineEntry.objects.filter(incident=first, kind="finding")
    assert [entry.body for entry in repeats] == ["content.hidden_links: 20 liên kết ẩn"]
    assert first.indicators.filter(kind="url").exists()


def test_it_opens_a_new_incident_once_the_old_one_is_resolved(world: World) -> None:
    first = _finding(world)
    services.incident_transition(actor=world.duty, incident=first, to=Status.IN_PROGRESS)
    services.incident_transition(actor=world.duty, incident=first, to=Status.RESOLVED)

    second = _finding(world)

    assert second.id != first.id
    assert _finding(world, dedupe_key="scanner:website:1:redirects").id not in {first.id, second.id}


def test_it_survives_a_finding_url_that_is_not_a_clean_url(world: World) -> None:
    incident = _finding(world, url="not a url", dedupe_key="k2")
    assert not incident.indicators.exists()
