"""Drafting, dispatching, reporting and reviewing a directive: permissions, validation, timeline and audit."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from haidang.apps.audit.models import AuditEvent
from haidang.apps.directives import services
from haidang.apps.directives.models import (
    Directive,
    DirectiveStatus,
    EventKind,
    Evidence,
    ItemReport,
    Recipient,
    ReportStatus,
    ReviewStatus,
)
from haidang.apps.directives.services import DirectiveFields, ItemFields
from haidang.apps.notify.models import Notification
from haidang.apps.registry.models import Unit, UnitGroup
from tests.personas import World

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _fields(**extra: Any) -> DirectiveFields:
    values: dict[str, Any] = {
        "subject": "V/v rà soát website dịp Tết",
        "issued_on": date(2026, 12, 20),
        "effective_from": date(2026, 12, 25),
        "effective_until": date(2027, 1, 2),
        "report_due_at": timezone.make_aware(datetime(2027, 1, 3, 17, 0)),
        "number": "99/STTTT-BCVT",
    }
    values.update(extra)
    return DirectiveFields(**values)


def _report(recipient: Recipient, code: str) -> ItemReport:
    return ItemReport.objects.select_related("recipient__directive", "item").get(recipient=recipient, item__code=code)


def _receipt(directive: Directive, **owner: Any) -> Recipient:
    return Recipient.objects.select_related("directive").get(directive=directive, **owner)


# --- drafting ----------------------------------------------------------------------------------


def test_a_draft_from_the_template_copies_every_item_and_records_the_version(world: World) -> None:
    directive = services.directive_from_template(
        actor=world.admin, template_key="tang-cuong-attt-quoc-khanh", issued_on=date(2026, 8, 29)
    )
    assert directive.status == DirectiveStatus.DRAFT
    assert directive.template_key == "tang-cuong-attt-quoc-khanh"
    assert directive.template_version == "2024-08-30"
    assert directive.items.count() == 12
    assert directive.effective_from == date(2026, 8, 29)
    assert directive.report_due_at > timezone.make_aware(datetime(2026, 8, 29))
    assert directive.signer_authority == "KT. GIÁM ĐỐC"
    assert AuditEvent.objects.filter(action="directive.create", object_id=str(directive.id)).exists()


@pytest.mark.parametrize("who", ["officer_a", "viewer", "telecom_officer", "provider_officer"])
def test_only_the_department_drafts(world: World, who: str) -> None:
    with pytest.raises(PermissionDenied):
        services.directive_from_template(actor=getattr(world, who), template_key="tang-cuong-attt-quoc-khanh")


def test_a_directive_from_scratch_validates_its_items(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        services.directive_create(
            actor=world.duty, data=_fields(), items=[ItemFields(code="1", text="a"), ItemFields(code="1", text="b")]
        )
    assert "code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.directive_create(
            actor=world.duty, data=_fields(), items=[ItemFields(code="1", text="a", applies_to=[])]
        )
    assert "applies_to" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.directive_create(
            actor=world.duty, data=_fields(effective_until=date(2026, 12, 1)), items=[ItemFields(code="1", text="a")]
        )
    assert not Directive.objects.exists()
    directive = services.directive_create(
        actor=world.duty, data=_fields(), items=[ItemFields(code="1", text="Rà soát", auto_check="websites_clean")]
    )
    assert directive.issuer  # defaults to the department's name from settings
    item = services.item_save(actor=world.duty, directive=directive, fields=ItemFields(code="2", text="Báo cáo"))
    assert item.order == 2
    with pytest.raises(ValidationError):
        services.item_save(actor=world.duty, directive=directive, fields=ItemFields(code="2", text="trùng"))
    services.item_delete(actor=world.duty, item=item)
    assert list(directive.items.values_list("code", flat=True)) == ["1"]


def test_items_are_frozen_once_dispatched_but_the_header_is_not(world: World, dispatched: Directive) -> None:
    with pytest.raises(ValidationError):
        services.item_save(actor=world.admin, directive=dispatched, fields=ItemFields(code="9", text="x"))
    with pytest.raises(ValidationError):
        services.directive_delete(actor=world.admin, directive=dispatched)
    Recipient.objects.filter(directive=dispatched).update(reminded_at=timezone.now())
    later = dispatched.report_due_at + timedelta(days=2)
    services.directive_update(
        actor=world.admin,
        directive=dispatched,
        data=_fields(
            subject=dispatched.subject,
            issued_on=dispatched.issued_on,
            effective_from=dispatched.effective_from,
            effective_until=dispatched.effective_until,
            report_due_at=later,
        ),
    )
    assert not Recipient.objects.filter(directive=dispatched, reminded_at__isnull=False).exists()
    event = AuditEvent.objects.filter(action="directive.update").latest("id")
    assert "report_due_at" in event.changes


# --- dispatch ----------------------------------------------------------------------------------


def test_dispatch_creates_one_task_per_applicable_item_and_notifies(world: World, dispatched: Directive) -> None:
    assert dispatched.status == DirectiveStatus.DISPATCHED
    unit_receipt = _receipt(dispatched, unit=world.unit_a)
    telecom_receipt = _receipt(dispatched, organization=world.telecom)
    provider_receipt = _receipt(dispatched, organization=world.provider)
    assert sorted(unit_receipt.reports.values_list("item__code", flat=True)) == [f"1{c}" for c in "abcdefgh"]
    assert sorted(telecom_receipt.reports.values_list("item__code", flat=True)) == ["2a", "2b", "2c", "2d"]
    assert sorted(provider_receipt.reports.values_list("item__code", flat=True)) == ["2a", "2b", "2d"]
    assert Notification.objects.filter(user=world.officer_a, title__contains=dispatched.subject[:40]).exists()
    assert Notification.objects.filter(user=world.telecom_officer).exists()
    assert unit_receipt.events.filter(kind=EventKind.DISPATCHED).exists()
    # The automatic checks ran for the new recipients.
    assert _report(unit_receipt, "1d").auto_computed_at is not None


def test_dispatching_again_only_adds(world: World, dispatched: Directive) -> None:
    extra = Unit.objects.create(group=world.group, number=3, name="Sở Xây dựng", short_code="so-xay-dung")
    added = services.directive_dispatch(actor=world.admin, directive=dispatched, group_codes=[world.group.code])
    assert [recipient.unit_id for recipient in added] == [extra.id]
    assert dispatched.recipients.count() == 5


def test_dispatch_by_kind_reaches_every_active_unit_and_company(world: World, draft: Directive) -> None:
    other = UnitGroup.objects.create(code="district", name="Quận, huyện", order=2)
    Unit.objects.create(group=other, number=1, name="UBND quận Hồng Bàng", short_code="hong-bang")
    Unit.objects.create(group=other, number=2, name="Đã giải thể", short_code="cu", status="dissolved")
    created = services.directive_dispatch(actor=world.admin, directive=draft, kinds=["unit", "telecom"])
    assert len([r for r in created if r.kind == "unit"]) == 3
    assert [r.organization_id for r in created if r.kind == "telecom"] == [world.telecom.id]


def test_dispatch_refuses_nothing_chosen_and_unknown_kinds(world: World, draft: Directive) -> None:
    with pytest.raises(ValidationError):
        services.directive_dispatch(actor=world.admin, directive=draft)
    with pytest.raises(ValidationError):
        services.directive_dispatch(actor=world.admin, directive=draft, kinds=["bank"])
    with pytest.raises(ValidationError):
        services.directive_dispatch(actor=world.admin, directive=draft, unit_ids=[987654])
    with pytest.raises(PermissionDenied):
        services.directive_dispatch(actor=world.officer_a, directive=draft, unit_ids=[world.unit_a.id])
    draft.refresh_from_db()
    assert draft.status == DirectiveStatus.DRAFT


# --- reporting ---------------------------------------------------------------------------------


def test_the_unit_acknowledges_once(world: World, dispatched: Directive) -> None:
    receipt = _receipt(dispatched, unit=world.unit_a)
    services.recipient_acknowledge(actor=world.officer_a, recipient=receipt)
    first = receipt.acknowledged_at
    services.recipient_acknowledge(actor=world.officer_a, recipient=receipt)
    assert receipt.acknowledged_at == first
    assert receipt.events.filter(kind=EventKind.ACKNOWLEDGED).count() == 1
    with pytest.raises(PermissionDenied):
        services.recipient_acknowledge(actor=world.officer_b, recipient=receipt)
    with pytest.raises(PermissionDenied):
        services.recipient_acknowledge(actor=world.admin, recipient=receipt)


@pytest.mark.parametrize("who", ["officer_b", "admin", "viewer", "provider_officer", "telecom_officer"])
def test_only_the_units_own_officers_report_for_it(world: World, dispatched: Directive, who: str) -> None:
    report = _report(_receipt(dispatched, unit=world.unit_a), "1b")
    with pytest.raises(PermissionDenied):
        services.report_update(actor=getattr(world, who), report=report, status=ReportStatus.DONE)


def test_the_telecom_reports_for_its_company(world: World, dispatched: Directive) -> None:
    report = _report(_receipt(dispatched, organization=world.telecom), "2c")
    services.report_update(actor=world.telecom_officer, report=report, status=ReportStatus.DONE, note="Chặn 120 số")
    assert report.review == ReviewStatus.SUBMITTED
    assert report.recipient.acknowledged_at is not None  # reporting implies receipt


def test_not_applicable_needs_a_reason(world: World, dispatched: Directive) -> None:
    report = _report(_receipt(dispatched, unit=world.unit_a), "1h")
    with pytest.raises(ValidationError) as error:
        services.report_update(actor=world.officer_a, report=report, status=ReportStatus.NOT_APPLICABLE, note="  ")
    assert "note" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.report_update(actor=world.officer_a, report=report, status="finished")
    services.report_update(
        actor=world.officer_a, report=report, status=ReportStatus.NOT_APPLICABLE, note="Đơn vị không lưu dữ liệu"
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.NOT_APPLICABLE
    assert report.review == ReviewStatus.SUBMITTED


def test_evidence_is_a_checked_file_a_web_link_or_a_note(world: World, dispatched: Directive) -> None:
    report = _report(_receipt(dispatched, unit=world.unit_a), "1g")
    upload = SimpleUploadedFile("phuong-an.pdf", PDF, content_type="application/pdf")
    evidence = services.evidence_add(actor=world.officer_a, report=report, upload=upload)
    assert evidence.kind == "file"
    assert evidence.content_type == "application/pdf"
    assert evidence.file.read() == PDF
    assert evidence.original_name == "phuong-an.pdf"
    link = services.evidence_add(actor=world.officer_a, report=report, url="https://stp.example.gov.vn/tin/123")
    assert link.kind == "link"
    with pytest.raises(ValidationError):
        services.evidence_add(actor=world.officer_a, report=report, url="javascript:alert(1)")
    with pytest.raises(ValidationError):
        services.evidence_add(
            actor=world.officer_a,
            report=report,
            upload=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        )
    with pytest.raises(ValidationError):
        services.evidence_add(actor=world.officer_a, report=report)
    with pytest.raises(ValidationError):
        services.evidence_add(actor=world.officer_a, report=report, url="https://a.vn", note="both")
    with pytest.raises(PermissionDenied):
        services.evidence_add(actor=world.officer_b, report=report, note="không phải đơn vị tôi")
    services.evidence_delete(actor=world.officer_a, evidence=link)
    assert list(Evidence.objects.filter(report=report).values_list("kind", flat=True)) == ["file"]
    assert AuditEvent.objects.filter(action="directive.evidence_add").count() == 2


# --- review ------------------------------------------------------------------------------------


def test_the_department_returns_with_a_comment_and_the_unit_is_told(
    world: World, dispatched: Directive, django_capture_on_commit_callbacks: Any
) -> None:
    report = _report(_receipt(dispatched, unit=world.unit_a), "1f")
    services.report_update(actor=world.officer_a, report=report, status=ReportStatus.DONE)
    with pytest.raises(ValidationError):
        services.report_review(actor=world.admin, report=report, accept=False, comment="")
    with pytest.raises(PermissionDenied):
        services.report_review(actor=world.viewer, report=report, accept=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_review(
            actor=world.duty, report=report, accept=False, comment="Thiếu danh sách tài khoản đã đổi mật khẩu"
        )
    report.refresh_from_db()
    assert report.review == ReviewStatus.RETURNED
    notice = Notification.objects.filter(user=world.officer_a, body__contains="Thiếu danh sách").get()
    assert "1f" in notice.title
    # Reporting again after the return goes back to review; acceptance then locks the report.
    services.report_update(actor=world.officer_a, report=report, status=ReportStatus.DONE, note="Bổ sung danh sách")
    assert report.review == ReviewStatus.SUBMITTED
    services.report_review(actor=world.admin, report=report, accept=True)
    with pytest.raises(ValidationError):
        services.report_update(actor=world.officer_a, report=report, status=ReportStatus.IN_PROGRESS)
    kinds = list(report.recipient.events.filter(item=report.item).values_list("kind", flat=True))
    assert kinds.count(EventKind.REPORTED) == 2
    assert EventKind.RETURNED in kinds
    assert EventKind.ACCEPTED in kinds


def test_nothing_to_accept_before_a_report(world: World, dispatched: Directive) -> None:
    report = _report(_receipt(dispatched, unit=world.unit_a), "1c")
    with pytest.raises(ValidationError):
        services.report_review(actor=world.admin, report=report, accept=True)


def test_a_closed_directive_takes_no_more_reports(world: World, dispatched: Directive) -> None:
    services.directive_close(actor=world.admin, directive=dispatched)
    report = _report(_receipt(dispatched, unit=world.unit_a), "1b")
    with pytest.raises(PermissionDenied):
        services.report_update(actor=world.officer_a, report=report, status=ReportStatus.DONE)
    with pytest.raises(ValidationError):
        services.directive_dispatch(actor=world.admin, directive=dispatched, unit_ids=[world.unit_a.id])
