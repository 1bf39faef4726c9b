"""Vulnerability warnings end to end in the services: inventory → exposures → warning → report → verification."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from haidang.apps.advisories import matching, warning_selectors
from haidang.apps.advisories import warning_services as services
from haidang.apps.advisories.models import (
    Exposure,
    RemediationStatus,
    SecurityWarning,
    Verification,
    VulnerabilityProduct,
    WarningRecipient,
)
from haidang.apps.audit.models import AuditEvent
from haidang.apps.directives.checks import check_vulnerability_warnings
from haidang.apps.directives.models import Directive, Recipient
from haidang.apps.monitoring.models import ObservedSoftware
from haidang.apps.notify.models import Notification
from haidang.apps.registry.models import SoftwareComponent
from tests.apps.advisories.conftest import LOG4SHELL
from tests.personas import World

pytestmark = pytest.mark.django_db


def _warning(world: World, number: str = "12/CB-ATTT") -> SecurityWarning:
    fields = services.suggest((LOG4SHELL,))
    fields.number = number
    fields.signer_name = "Nguyễn Văn A"
    return services.warning_create(actor=world.duty, data=fields)


def _sent(world: World) -> WarningRecipient:
    warning = _warning(world)
    (recipient,) = services.warning_send(actor=world.duty, warning=warning, unit_ids=[world.unit_a.id])
    return recipient


def test_import_indexes_the_products_each_record_names(feeds: None) -> None:
    pairs = set(VulnerabilityProduct.objects.filter(vulnerability__cve_id=LOG4SHELL).values_list("vendor", "product"))
    assert ("apache", "log4j") in pairs
    # Awaiting analysis and rejected records have no configurations, hence no index rows.
    assert not VulnerabilityProduct.objects.filter(vulnerability__cve_id="CVE-2025-24813").exists()


def test_refresh_finds_the_affected_system_and_only_it(world: World, log4j: SoftwareComponent) -> None:
    run = matching.exposures_refresh()
    exposures = list(Exposure.objects.filter(resolved_at__isnull=True).select_related("vulnerability"))
    assert [(e.unit_id, e.system_id, e.vulnerability.cve_id) for e in exposures] == [
        (world.unit_a.id, world.system_a.id, LOG4SHELL)
    ]
    assert "log4j-core 2.14.1" in exposures[0].software
    assert run.opened == 1
    assert run.matches == 1
    assert run.rows == 2


def test_refresh_resolves_an_exposure_when_the_inventory_changes_and_reopens_it(
    world: World, log4j: SoftwareComponent
) -> None:
    matching.exposures_refresh()
    log4j.version = "2.17.1"
    log4j.save()
    run = matching.exposures_refresh()
    assert run.closed == 1
    assert Exposure.objects.get().resolved_at is not None
    log4j.version = "2.14.1"
    log4j.save()
    run = matching.exposures_refresh()
    assert run.opened == 1
    assert Exposure.objects.get().resolved_at is None


def test_what_monitoring_observes_is_part_of_the_inventory(world: World, feeds: None) -> None:
    now = timezone.now()
    ObservedSoftware.objects.create(
        website=world.website_b,
        unit=world.unit_b,
        vendor="Apache",
        product="Log4j",
        version="2.14.0",
        source="header:X-Powered-By",
        first_seen_at=now,
        last_seen_at=now,
    )
    matching.exposures_refresh()
    exposure = Exposure.objects.get()
    assert (exposure.unit_id, exposure.system_id, exposure.observed) == (world.unit_b.id, world.system_b.id, True)


def test_suggest_defaults_from_kev_and_severity(world: World, feeds: None) -> None:
    fields = services.suggest((LOG4SHELL.lower(),))
    assert fields.severity == "critical"  # in KEV
    assert fields.deadline is not None
    assert fields.deadline.date() == timezone.localdate() + timedelta(days=services.deadline_policy().days["kev"])
    assert LOG4SHELL in fields.summary


def test_only_the_department_composes_and_unknown_cves_are_refused(world: World, feeds: None) -> None:
    with pytest.raises(PermissionDenied):
        services.warning_create(actor=world.officer_a, data=services.suggest((LOG4SHELL,)))
    fields = services.suggest((LOG4SHELL,))
    fields.cve_ids = ("CVE-2099-0001",)
    with pytest.raises(ValidationError, match="CVE-2099-0001"):
        services.warning_create(actor=world.duty, data=fields)
    fields.cve_ids = ("not-a-cve",)
    with pytest.raises(ValidationError, match="không hợp lệ"):
        services.warning_create(actor=world.duty, data=fields)


def test_sending_needs_a_number_and_lists_each_units_affected_systems(
    world: World, log4j: SoftwareComponent, django_capture_on_commit_callbacks: Any
) -> None:
    warning = _warning(world, number="")
    with pytest.raises(ValidationError, match="số"):
        services.warning_send(actor=world.duty, warning=warning, unit_ids=[world.unit_a.id])
    warning.number = "13/CB-ATTT"
    warning.save()
    matching.exposures_refresh()
    assert list(warning_selectors.affected_units(warning)) == [world.unit_a]
    with django_capture_on_commit_callbacks(execute=True):
        recipients = services.warning_send(
            actor=world.duty, warning=warning, unit_ids=[world.unit_a.id, world.unit_b.id]
        )
    systems = {r.unit_id: list(r.systems.all()) for r in recipients}
    assert [(s.label, s.cves, s.components) for s in systems[world.unit_a.id]] == [
        (world.system_a.name, [LOG4SHELL], [log4j.id])
    ]
    assert systems[world.unit_b.id] == []
    notice = Notification.objects.get(user=world.officer_a)
    assert "13/CB-ATTT" in notice.title
    assert "1 hệ thống" in notice.body
    assert Notification.objects.filter(user=world.officer_b).exists()  # told too, with nothing affected
    with pytest.raises(ValidationError):
        services.warning_send(actor=world.duty, warning=warning, unit_ids=[world.unit_a.id])


def test_tenancy_of_warnings_receipts_and_systems(world: World, log4j: SoftwareComponent) -> None:
    draft = _warning(world, number="1/CB")
    assert not warning_selectors.warning_list(visible_to=world.officer_a).exists()  # drafts are the department's
    recipient = _sent(world)
    system = recipient.systems.get()
    assert list(warning_selectors.warning_list(visible_to=world.officer_a)) == [recipient.warning]
    assert not warning_selectors.warning_list(visible_to=world.officer_b).exists()
    assert not warning_selectors.warning_list(visible_to=world.telecom_officer).exists()
    assert set(warning_selectors.warning_list(visible_to=world.viewer)) == {draft, recipient.warning}
    assert warning_selectors.recipient_get(visible_to=world.officer_b, recipient_id=recipient.id) is None
    assert warning_selectors.system_get(visible_to=world.officer_b, system_id=system.id) is None
    assert warning_selectors.system_get(visible_to=world.officer_a, system_id=system.id) == system
    # The persona world assigns the provider to unit A: it reads the receipt but never reports.
    assert warning_selectors.recipient_get(visible_to=world.provider_officer, recipient_id=recipient.id) == recipient
    assert not warning_selectors.can_report(world.provider_officer, recipient)
    assert not warning_selectors.can_report(world.officer_b, recipient)
    matching.exposures_refresh()
    assert warning_selectors.exposure_list(visible_to=world.officer_a).count() == 1
    assert warning_selectors.exposure_list(visible_to=world.officer_b).count() == 0


def test_a_patched_report_updates_the_registry_and_is_verified(world: World, log4j: SoftwareComponent) -> None:
    recipient = _sent(world)
    system = recipient.systems.get()
    with pytest.raises(ValidationError, match="phiên bản"):
        services.system_report(actor=world.officer_a, system=system, status=RemediationStatus.PATCHED)
    with pytest.raises(PermissionDenied):
        services.system_report(actor=world.officer_b, system=system, status="patched", fixed_version="2.17.1")
    services.system_report(actor=world.officer_a, system=system, status="patched", fixed_version="2.17.1")
    system.refresh_from_db()
    log4j.refresh_from_db()
    assert log4j.version == "2.17.1"
    assert system.verification == Verification.VERIFIED
    tally = warning_selectors.warning_status(visible_to=world.duty, warning=recipient.warning).tally
    assert (tally.fixed, tally.total, tally.verified) == (1, 1, 1)
    recipient.refresh_from_db()
    assert recipient.acknowledged_at is not None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"warning.report", "registry.software_update", "warning.verify"} <= actions
    # The inventory changes back (a restored backup with the old library): the next verification reopens it.
    SoftwareComponent.objects.filter(pk=log4j.pk).update(version="2.14.1")
    verifications = AuditEvent.objects.filter(action="warning.verify").count()
    services.verify_open()
    services.verify_open()
    system.refresh_from_db()
    assert (system.status, system.verification) == (RemediationStatus.OPEN, Verification.REOPENED)
    assert AuditEvent.objects.filter(action="warning.verify").count() == verifications + 1  # reopened once


def test_a_patched_version_still_in_range_is_reopened_and_the_unit_told(world: World, log4j: SoftwareComponent) -> None:
    recipient = _sent(world)
    system = recipient.systems.get()
    services.system_report(actor=world.officer_a, system=system, status="patched", fixed_version="2.14.2")
    system.refresh_from_db()
    assert (system.status, system.verification, system.reopened_count) == ("open", Verification.REOPENED, 1)
    assert LOG4SHELL in system.verification_note
    assert Notification.objects.filter(user=world.officer_a, title__contains="mở lại").exists()
    tally = warning_selectors.warning_status(visible_to=world.duty, warning=recipient.warning).tally
    assert (tally.fixed, tally.total, tally.reopened) == (0, 1, 1)


def test_not_applicable_needs_a_reason_and_leaves_the_total(world: World, log4j: SoftwareComponent) -> None:
    recipient = _sent(world)
    system = recipient.systems.get()
    with pytest.raises(ValidationError, match="giải trình"):
        services.system_report(actor=world.officer_a, system=system, status="not_applicable")
    services.system_report(actor=world.officer_a, system=system, status="not_applicable", note="Đã gỡ bỏ thư viện")
    tally = warning_selectors.warning_status(visible_to=world.duty, warning=recipient.warning).tally
    assert (tally.total, tally.not_applicable) == (0, 1)


def test_an_observed_version_is_verified_by_the_next_scan(world: World, feeds: None) -> None:
    now = timezone.now()
    observed = ObservedSoftware.objects.create(
        website=world.website_a,
        unit=world.unit_a,
        vendor="Apache",
        product="Log4j",
        version="2.14.0",
        source="header:X-Powered-By",
        first_seen_at=now - timedelta(hours=1),
        last_seen_at=now - timedelta(hours=1),
    )
    recipient = _sent(world)
    system = recipient.systems.get()
    assert system.websites == [world.website_a.id]
    services.system_report(actor=world.officer_a, system=system, status="patched", fixed_version="2.17.1")
    system.refresh_from_db()
    assert system.verification == Verification.PENDING
    # The next scan still sees the old version: reopened.
    ObservedSoftware.objects.filter(pk=observed.pk).update(last_seen_at=timezone.now() + timedelta(minutes=1))
    services.verify_open()
    system.refresh_from_db()
    assert system.verification == Verification.REOPENED
    ObservedSoftware.objects.filter(pk=observed.pk).update(last_seen_at=timezone.now() - timedelta(minutes=30))
    services.system_report(actor=world.officer_a, system=system, status="patched", fixed_version="2.17.1")
    system.refresh_from_db()
    assert system.verification == Verification.PENDING
    ObservedSoftware.objects.filter(pk=observed.pk).update(
        version="2.17.1", last_seen_at=timezone.now() + timedelta(minutes=2)
    )
    services.verify_open()
    system.refresh_from_db()
    assert system.verification == Verification.VERIFIED


def test_reminders_then_escalation_each_once(world: World, log4j: SoftwareComponent) -> None:
    recipient = _sent(world)
    deadline = recipient.warning.deadline
    assert services.send_due_reminders(now=deadline - timedelta(hours=48)) == (0, 0)
    assert services.send_due_reminders(now=deadline - timedelta(hours=2)) == (1, 0)
    assert services.send_due_reminders(now=deadline - timedelta(hours=1)) == (0, 0)
    assert services.send_due_reminders(now=deadline + timedelta(hours=1)) == (0, 1)
    assert services.send_due_reminders(now=deadline + timedelta(hours=2)) == (0, 0)
    titles = list(Notification.objects.filter(user=world.officer_a).values_list("title", flat=True))
    assert any("Sắp đến hạn" in t for t in titles)
    assert any("Quá hạn" in t for t in titles)


def test_directive_item_1e_is_checked_from_warnings(world: World, log4j: SoftwareComponent) -> None:
    today = timezone.localdate()
    directive = Directive.objects.create(
        issued_on=today,
        issuer="Sở",
        subject="Tăng cường",
        effective_from=today,
        effective_until=today,
        report_due_at=timezone.now(),
        status="dispatched",
    )
    receipt = Recipient.objects.create(
        directive=directive, kind="unit", unit=world.unit_a, dispatched_at=timezone.now()
    )
    assert check_vulnerability_warnings(receipt, timezone.now()).verdict == "unknown"  # nothing received yet
    recipient = _sent(world)
    late = recipient.warning.deadline + timedelta(days=1)
    verdict = check_vulnerability_warnings(receipt, late)
    assert verdict.verdict == "fail"
    assert recipient.warning.number in verdict.detail
    services.system_report(
        actor=world.officer_a, system=recipient.systems.get(), status="mitigated", note="Tắt JNDI lookup"
    )
    assert check_vulnerability_warnings(receipt, late).verdict == "pass"


def test_the_migration_indexes_records_imported_before_the_index_existed(feeds: None) -> None:
    from importlib import import_module

    from django.apps import apps

    expected = set(VulnerabilityProduct.objects.values_list("vulnerability_id", "vendor", "product", "product_key"))
    VulnerabilityProduct.objects.all().delete()
    import_module("haidang.apps.advisories.migrations.0002_warnings").index_products(apps, None)
    assert set(VulnerabilityProduct.objects.values_list("vulnerability_id", "vendor", "product", "product_key")) == (
        expected
    )
