"""Who sees which directive, receipt, report and evidence; the matrix, its progress and laggards."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from haidang.apps.directives import selectors, services
from haidang.apps.directives.models import Directive, ItemReport, Recipient, ReportStatus
from tests.personas import World

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _receipt(directive: Directive, **owner: object) -> Recipient:
    return Recipient.objects.select_related("directive").get(directive=directive, **owner)


def _report(recipient: Recipient, code: str) -> ItemReport:
    return ItemReport.objects.select_related("recipient__directive", "item").get(recipient=recipient, item__code=code)


def test_a_draft_is_the_departments_alone(world: World, draft: Directive) -> None:
    for who in ("admin", "duty", "viewer"):
        assert list(selectors.directive_list(visible_to=getattr(world, who))) == [draft]
    for who in ("officer_a", "officer_b", "telecom_officer", "provider_officer"):
        assert not selectors.directive_list(visible_to=getattr(world, who)).exists()
        with pytest.raises(Directive.DoesNotExist):
            selectors.directive_get(visible_to=getattr(world, who), directive_id=draft.id)


def test_each_recipient_sees_only_its_own_receipt(world: World, dispatched: Directive) -> None:
    own = {
        "officer_a": {world.unit_a.name},
        "officer_b": {world.unit_b.name},
        "telecom_officer": {world.telecom.name},
        # The provider reports for itself and reads the units assigned to it (unit A).
        "provider_officer": {world.provider.name, world.unit_a.name},
    }
    for who, names in own.items():
        user = getattr(world, who)
        assert list(selectors.directive_list(visible_to=user)) == [dispatched]
        rows = selectors.status_matrix(visible_to=user, directive=dispatched).rows
        assert {row.recipient.name for row in rows} == names, who
        seen = {recipient.name for recipient in selectors.recipient_list(visible_to=user, directive=dispatched)}
        assert seen == names
    everyone = selectors.status_matrix(visible_to=world.viewer, directive=dispatched)
    assert len(everyone.rows) == 4


def test_details_of_a_neighbour_are_not_found(world: World, dispatched: Directive) -> None:
    receipt_a = _receipt(dispatched, unit=world.unit_a)
    report = _report(receipt_a, "1g")
    evidence = services.evidence_add(
        actor=world.officer_a, report=report, upload=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    )
    for who in ("officer_b", "telecom_officer"):
        user = getattr(world, who)
        with pytest.raises(Recipient.DoesNotExist):
            selectors.recipient_get(visible_to=user, recipient_id=receipt_a.id)
        with pytest.raises(ItemReport.DoesNotExist):
            selectors.report_get(visible_to=user, report_id=report.id)
        with pytest.raises(type(evidence).DoesNotExist):
            selectors.evidence_get(visible_to=user, evidence_id=evidence.id)
    for who in ("officer_a", "provider_officer", "admin", "viewer"):
        user = getattr(world, who)
        assert selectors.recipient_get(visible_to=user, recipient_id=receipt_a.id) == receipt_a
        assert selectors.evidence_get(visible_to=user, evidence_id=evidence.id) == evidence


def test_who_may_report_and_who_manages(world: World, dispatched: Directive) -> None:
    receipt_a = _receipt(dispatched, unit=world.unit_a)
    telecom = _receipt(dispatched, organization=world.telecom)
    provider = _receipt(dispatched, organization=world.provider)
    assert selectors.can_report(world.officer_a, receipt_a)
    assert not selectors.can_report(world.provider_officer, receipt_a)  # reads unit A, does not report for it
    assert selectors.can_report(world.provider_officer, provider)
    assert selectors.can_report(world.telecom_officer, telecom)
    assert not selectors.can_report(world.telecom_officer, provider)
    assert [selectors.can_manage(getattr(world, who)) for who in ("admin", "duty", "viewer", "officer_a")] == [
        True,
        True,
        False,
        False,
    ]
    assert selectors.recipient_for(user=world.officer_a, directive=dispatched) == receipt_a
    assert selectors.recipient_for(user=world.admin, directive=dispatched) is None
    assert list(selectors.recipient_officers(receipt_a)) == [world.officer_a]
    assert list(selectors.recipient_officers(telecom)) == [world.telecom_officer]


def test_the_matrix_counts_progress_by_group_and_lists_laggards(world: World, dispatched: Directive) -> None:
    receipt_a = _receipt(dispatched, unit=world.unit_a)
    ItemReport.objects.filter(recipient=receipt_a).update(status=ReportStatus.DONE, review="submitted")
    services.recipient_acknowledge(actor=world.officer_a, recipient=receipt_a)
    matrix = selectors.status_matrix(visible_to=world.admin, directive=dispatched)
    rows = {row.recipient.name: row for row in matrix.rows}
    assert rows[world.unit_a.name].complied
    assert rows[world.unit_a.name].percent == 100
    assert not rows[world.unit_b.name].complied
    assert matrix.complied == 1
    assert matrix.acknowledged == 1
    assert [row.recipient.name for row in matrix.laggards][-1] != world.unit_a.name
    assert world.unit_a.name not in [row.recipient.name for row in matrix.laggards]
    groups = {group.key: group for group in matrix.groups}
    assert groups[world.group.code].recipients == 2
    assert groups[world.group.code].complied == 1
    assert groups["kind:telecom"].items_total == 4
    # Items that do not apply to a recipient are empty cells, not pending ones.
    code_2c = next(item for item in matrix.items if item.code == "2c")
    assert rows[world.unit_a.name].cells[code_2c.id] is None
    assert rows[world.provider.name].cells[code_2c.id] is None
    assert matrix.state_counts["done"] == 8
    filtered = selectors.status_matrix(visible_to=world.admin, directive=dispatched, group=world.group.code)
    assert {row.recipient.kind for row in filtered.rows} == {"unit"}


def test_past_the_due_time_unfinished_items_are_overdue(world: World, dispatched: Directive) -> None:
    later = dispatched.report_due_at + timedelta(minutes=1)
    matrix = selectors.status_matrix(visible_to=world.admin, directive=dispatched, now=later)
    assert matrix.state_counts["pending"] == 0
    assert matrix.state_counts["overdue"] > 0


def test_a_units_history_across_directives(world: World, dispatched: Directive) -> None:
    history = selectors.owner_history(visible_to=world.officer_a, unit_id=world.unit_a.id)
    assert [entry.recipient.directive for entry in history] == [dispatched]
    assert history[0].total == 8
    assert selectors.owner_history(visible_to=world.officer_b, unit_id=world.unit_a.id) == []
