"""Writes to directives. Each service checks permission, validates, saves, records the recipient's timeline and audits.

Notifications go out after the transaction commits, so a failing channel never undoes a dispatch or a review.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haidang.apps.accounts.models import User
from haidang.apps.audit.services import audit_record, model_changes
from haidang.apps.directives import selectors
from haidang.apps.directives.models import (
    AutoCheck,
    Directive,
    DirectiveItem,
    DirectiveStatus,
    EventKind,
    Evidence,
    EvidenceKind,
    ItemReport,
    Recipient,
    RecipientEvent,
    RecipientKind,
    ReportStatus,
    ReviewStatus,
)
from haidang.apps.directives.storage import stored_name
from haidang.apps.directives.templates import TemplateError, get_template
from haidang.apps.evidence import checked_link, checked_upload
from haidang.apps.notify.services import notify_users
from haidang.apps.registry.models import Organization, OrganizationKind, Unit

if TYPE_CHECKING:
    Upload = File[Any]
else:  # File is generic only in django-stubs
    Upload = File

#: Most evidence entries one report may hold.
MAX_EVIDENCE = 20
#: Most items one directive may hold.
MAX_ITEMS = 60


@dataclass
class DirectiveFields:
    """The header of a directive, as a form or the API gives it."""

    subject: str
    issued_on: date
    effective_from: date
    effective_until: date
    report_due_at: datetime
    number: str = ""
    issuer: str = ""
    issuer_parent: str = ""
    signer_authority: str = ""
    signer_title: str = ""
    signer_name: str = ""
    preamble: str = ""
    contact: str = ""


@dataclass
class ItemFields:
    code: str
    text: str
    applies_to: list[str] = field(default_factory=lambda: [RecipientKind.UNIT.value])
    section: str = ""
    evidence_expected: str = ""
    auto_check: str = ""


# --- helpers -----------------------------------------------------------------------------------


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Bạn không có quyền thực hiện thao tác này với văn bản chỉ đạo."))


def _event(
    recipient: Recipient,
    kind: str,
    *,
    actor: User | None,
    action: str,
    item: DirectiveItem | None = None,
    body: str = "",
    changes: dict[str, Any] | None = None,
) -> RecipientEvent:
    event = RecipientEvent.objects.create(recipient=recipient, item=item, kind=kind, actor=actor, body=body[:5000])
    audit_record(acting_user=actor, action=action, target=recipient, unit_id=recipient.unit_id, changes=changes)
    return event


def _link(name: str, *args: int) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _check_draft(directive: Directive) -> None:
    if directive.status != DirectiveStatus.DRAFT:
        raise ValidationError(_("Văn bản đã gửi: không thể sửa các mục nữa."))


def _apply_header(directive: Directive, data: DirectiveFields) -> None:
    issuer, parent = settings.HAIDANG_ORG_NAME, settings.HAIDANG_ORG_PARENT
    directive.number = data.number.strip()
    directive.issued_on = data.issued_on
    directive.issuer = data.issuer.strip() or issuer
    directive.issuer_parent = data.issuer_parent.strip() if data.issuer else parent
    directive.signer_authority = data.signer_authority.strip()
    directive.signer_title = data.signer_title.strip()
    directive.signer_name = data.signer_name.strip()
    directive.subject = data.subject.strip()
    directive.preamble = data.preamble.strip()
    directive.contact = data.contact.strip()
    directive.effective_from = data.effective_from
    directive.effective_until = data.effective_until
    directive.report_due_at = data.report_due_at


def _check_item(fields: ItemFields) -> None:
    errors: dict[str, str] = {}
    if not fields.code.strip() or len(fields.code.strip()) > 16:
        errors["code"] = _("Mã mục bắt buộc, tối đa 16 ký tự (ví dụ 1a).")
    if not fields.text.strip():
        errors["text"] = _("Nội dung mục không được để trống.")
    if not fields.applies_to or any(kind not in RecipientKind.values for kind in fields.applies_to):
        errors["applies_to"] = _("Chọn ít nhất một loại nơi nhận áp dụng.")
    if fields.auto_check not in AutoCheck.values:
        errors["auto_check"] = _("Kiểu kiểm tra tự động không hợp lệ.")
    if errors:
        raise ValidationError(errors)


def _item_from(directive: Directive, fields: ItemFields, order: int) -> DirectiveItem:
    _check_item(fields)
    item = DirectiveItem(
        directive=directive,
        code=fields.code.strip(),
        order=order,
        section=fields.section.strip()[:500],
        text=fields.text.strip(),
        applies_to=sorted(set(fields.applies_to)),
        evidence_expected=fields.evidence_expected.strip(),
        auto_check=fields.auto_check,
    )
    item.full_clean(exclude=["directive"])
    return item


# --- directives --------------------------------------------------------------------------------


@transaction.atomic
def directive_create(*, actor: User, data: DirectiveFields, items: Sequence[ItemFields] = ()) -> Directive:
    """A new draft directive, from scratch."""
    _require(selectors.can_manage(actor))
    if len(items) > MAX_ITEMS:
        raise ValidationError(_("Tối đa %(n)s mục mỗi văn bản.") % {"n": MAX_ITEMS})
    codes = [item.code.strip() for item in items]
    if len(codes) != len(set(codes)):
        raise ValidationError({"code": _("Mỗi mục phải có mã riêng, không trùng nhau.")})
    directive = Directive(created_by=actor)
    _apply_header(directive, data)
    directive.full_clean()
    directive.save()
    DirectiveItem.objects.bulk_create([_item_from(directive, item, order) for order, item in enumerate(items, 1)])
    audit_record(
        acting_user=actor,
        action="directive.create",
        target=directive,
        changes={"items": codes, "subject": directive.subject},
    )
    return directive


@transaction.atomic
def directive_from_template(
    *, actor: User, template_key: str, issued_on: date | None = None, number: str = ""
) -> Directive:
    """A new draft directive copied from a shipped template (items keep the template's stable ids)."""
    _require(selectors.can_manage(actor))
    try:
        template = get_template(template_key)
    except TemplateError as exc:
        raise ValidationError({"template_key": _("Không có mẫu văn bản này.")}) from exc
    today = issued_on or timezone.localdate()
    until = today + timedelta(days=max(template.effective_days - 1, 0))
    due_day = today + timedelta(days=template.report_due_days)
    data = DirectiveFields(
        subject=template.subject,
        issued_on=today,
        effective_from=today,
        effective_until=until,
        report_due_at=timezone.make_aware(datetime.combine(due_day, time(17, 0))),
        number=number,
        signer_authority=template.signer_authority,
        signer_title=template.signer_title,
        signer_name=template.signer_name,
        preamble=template.preamble,
        contact=template.contact,
    )
    items = [
        ItemFields(
            code=item.code,
            text=item.text,
            applies_to=list(item.applies_to),
            section=item.section,
            evidence_expected=item.evidence_expected,
            auto_check=item.auto_check,
        )
        for item in template.items
    ]
    directive = directive_create(actor=actor, data=data, items=items)
    directive.template_key, directive.template_version = template.key, template.version
    directive.save(update_fields=["template_key", "template_version"])
    return directive


@transaction.atomic
def directive_update(*, actor: User, directive: Directive, data: DirectiveFields) -> Directive:
    """Change the header. Allowed after dispatch too (a corrected number or a later due time)."""
    _require(selectors.can_manage(actor))
    if directive.status == DirectiveStatus.CLOSED:
        raise ValidationError(_("Văn bản đã kết thúc: không thể sửa."))
    before = Directive.objects.get(pk=directive.pk)
    _apply_header(directive, data)
    directive.full_clean()
    fields = {
        name: getattr(directive, name)
        for name in (
            "number",
            "issued_on",
            "issuer",
            "issuer_parent",
            "signer_authority",
            "signer_title",
            "signer_name",
            "subject",
            "preamble",
            "contact",
            "effective_from",
            "effective_until",
            "report_due_at",
        )
    }
    changes = model_changes(before, fields)
    directive.save()
    if "report_due_at" in changes:
        # A new due time: recipients may be reminded (and escalated) again for it.
        directive.recipients.update(reminded_at=None, escalated_at=None)
    audit_record(acting_user=actor, action="directive.update", target=directive, changes=changes)
    return directive


@transaction.atomic
def item_save(
    *, actor: User, directive: Directive, fields: ItemFields, item: DirectiveItem | None = None
) -> DirectiveItem:
    """Add an item to a draft, or change one."""
    _require(selectors.can_manage(actor))
    _check_draft(directive)
    code = fields.code.strip()
    clash = directive.items.filter(code=code)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if clash.exists():
        raise ValidationError({"code": _("Mã mục “%(code)s” đã có trong văn bản.") % {"code": code[:16]}})
    if item is None:
        if directive.items.count() >= MAX_ITEMS:
            raise ValidationError(_("Tối đa %(n)s mục mỗi văn bản.") % {"n": MAX_ITEMS})
        last = directive.items.order_by("-order").values_list("order", flat=True).first() or 0
        saved = _item_from(directive, fields, last + 1)
        saved.save()
        action = "directive.item_add"
    else:
        fresh = _item_from(directive, fields, item.order)
        fresh.pk = item.pk
        fresh.save()
        saved, action = fresh, "directive.item_update"
    audit_record(acting_user=actor, action=action, target=directive, changes={"code": saved.code})
    return saved


@transaction.atomic
def item_delete(*, actor: User, item: DirectiveItem) -> None:
    _require(selectors.can_manage(actor))
    _check_draft(item.directive)
    audit_record(acting_user=actor, action="directive.item_delete", target=item.directive, changes={"code": item.code})
    item.delete()


@transaction.atomic
def directive_delete(*, actor: User, directive: Directive) -> None:
    """Only a draft can be deleted; a dispatched directive is part of the record."""
    _require(selectors.can_manage(actor))
    _check_draft(directive)
    audit_record(acting_user=actor, action="directive.delete", target=directive, changes={"subject": directive.subject})
    directive.delete()


@transaction.atomic
def directive_close(*, actor: User, directive: Directive) -> Directive:
    """End the follow-up: recipients can no longer report, reminders stop."""
    _require(selectors.can_manage(actor))
    if directive.status != DirectiveStatus.DISPATCHED:
        raise ValidationError(_("Chỉ kết thúc được văn bản đã gửi."))
    directive.status = DirectiveStatus.CLOSED
    directive.save(update_fields=["status", "updated_at"])
    audit_record(acting_user=actor, action="directive.close", target=directive)
    return directive


# --- dispatch ----------------------------------------------------------------------------------


def _chosen(
    *, unit_ids: list[int], group_codes: Iterable[str], kinds: Iterable[str], organization_ids: list[int]
) -> tuple[list[Unit], list[Organization]]:
    kinds = set(kinds)
    unknown = kinds - set(RecipientKind.values)
    if unknown:
        message = _("Loại nơi nhận không hợp lệ: %(kinds)s") % {"kinds": ", ".join(sorted(unknown))[:100]}
        raise ValidationError({"kinds": message})
    units, organizations = selectors.dispatch_targets(
        unit_ids=unit_ids, group_codes=group_codes, kinds=kinds, organization_ids=organization_ids
    )
    chosen_units = list(units.select_related("group").order_by("group__order", "number", "id"))
    chosen_orgs = list(organizations.order_by("kind", "name"))
    if RecipientKind.UNIT not in kinds and set(unit_ids) - {unit.id for unit in chosen_units}:
        raise ValidationError({"unit_ids": _("Có đơn vị không tồn tại hoặc không còn hoạt động.")})
    if set(organization_ids) - {org.id for org in chosen_orgs}:
        raise ValidationError({"organization_ids": _("Có doanh nghiệp không tồn tại hoặc không còn hoạt động.")})
    return chosen_units, chosen_orgs


@transaction.atomic
def directive_dispatch(
    *,
    actor: User,
    directive: Directive,
    unit_ids: Iterable[int] = (),
    group_codes: Iterable[str] = (),
    kinds: Iterable[str] = (),
    organization_ids: Iterable[int] = (),
    now: datetime | None = None,
) -> list[Recipient]:
    """Send ``directive`` to the chosen recipients: by kind, by unit group, or one by one.

    Each new recipient gets a task list (one report per item that applies to its kind) and a
    notification; recipients that already have the directive are left as they are, so dispatching
    again to more groups only adds. Returns the new recipients.
    """
    _require(selectors.can_manage(actor))
    if directive.status == DirectiveStatus.CLOSED:
        raise ValidationError(_("Văn bản đã kết thúc: không thể gửi thêm."))
    now = now or timezone.now()
    unit_ids, organization_ids = list(unit_ids), list(organization_ids)
    units, organizations = _chosen(
        unit_ids=unit_ids, group_codes=group_codes, kinds=kinds, organization_ids=organization_ids
    )
    if not units and not organizations:
        raise ValidationError(_("Chưa chọn nơi nhận nào."))
    items = list(directive.items.order_by("order", "id"))
    if not items:
        raise ValidationError(_("Văn bản chưa có mục nào để gửi."))
    have_units = set(directive.recipients.exclude(unit=None).values_list("unit_id", flat=True))
    have_orgs = set(directive.recipients.exclude(organization=None).values_list("organization_id", flat=True))
    fresh: list[Recipient] = []
    for unit in units:
        if unit.id not in have_units:
            fresh.append(
                Recipient(
                    directive=directive, kind=RecipientKind.UNIT, unit=unit, dispatched_at=now, dispatched_by=actor
                )
            )
    for organization in organizations:
        if organization.id not in have_orgs:
            kind = RecipientKind.TELECOM if organization.kind == OrganizationKind.TELECOM else RecipientKind.PROVIDER
            fresh.append(
                Recipient(
                    directive=directive, kind=kind, organization=organization, dispatched_at=now, dispatched_by=actor
                )
            )
    # PostgreSQL and SQLite ≥ 3.35 return the new primary keys from bulk_create.
    created = Recipient.objects.bulk_create(fresh)
    reports = [
        ItemReport(recipient=recipient, item=item)
        for recipient in created
        for item in items
        if item.applies(recipient.kind)
    ]
    ItemReport.objects.bulk_create(reports, batch_size=500)
    RecipientEvent.objects.bulk_create(
        [RecipientEvent(recipient=recipient, kind=EventKind.DISPATCHED, actor=actor) for recipient in created],
        batch_size=500,
    )
    if directive.status == DirectiveStatus.DRAFT:
        directive.status = DirectiveStatus.DISPATCHED
        directive.dispatched_at = now
        directive.save(update_fields=["status", "dispatched_at", "updated_at"])
    audit_record(
        acting_user=actor,
        action="directive.dispatch",
        target=directive,
        changes={
            "units": [r.unit_id for r in created if r.unit_id][:200],
            "organizations": [r.organization_id for r in created if r.organization_id][:200],
            "reports": len(reports),
        },
    )
    recipient_ids = [recipient.id for recipient in created]
    transaction.on_commit(lambda: _after_dispatch(directive.id, recipient_ids))
    return created


def _after_dispatch(directive_id: int, recipient_ids: list[int]) -> None:
    """Notify each new recipient's officers and compute the automatic checks for them."""
    from haidang.apps.directives.checks import refresh_auto_checks

    directive = Directive.objects.get(pk=directive_id)
    refresh_auto_checks(directive=directive, recipient_ids=recipient_ids)
    title = _("Văn bản chỉ đạo mới: %(subject)s") % {"subject": directive.subject[:200]}
    due = timezone.localtime(directive.report_due_at)
    body = _("Số %(number)s. Vui lòng xác nhận đã nhận và báo cáo từng mục trước %(due)s.") % {
        "number": directive.number or "—",
        "due": f"{due:%H:%M %d/%m/%Y}",
    }
    for recipient in Recipient.objects.filter(id__in=recipient_ids).select_related("directive"):
        notify_users(
            selectors.recipient_officers(recipient),
            title=title,
            body=body,
            link=_link("web:directive_recipient", recipient.id),
            severity="info",
        )


# --- the recipient's side ----------------------------------------------------------------------


@transaction.atomic
def recipient_acknowledge(*, actor: User, recipient: Recipient) -> Recipient:
    """The recipient confirms it has received the directive (once; later calls change nothing)."""
    _require(selectors.can_report(actor, recipient), _("Chỉ cán bộ của nơi nhận mới xác nhận được văn bản này."))
    if recipient.acknowledged_at is None:
        recipient.acknowledged_at = timezone.now()
        recipient.acknowledged_by = actor
        recipient.save(update_fields=["acknowledged_at", "acknowledged_by"])
        _event(recipient, EventKind.ACKNOWLEDGED, actor=actor, action="directive.acknowledge")
    return recipient


def _check_open(report: ItemReport, actor: User) -> None:
    _require(
        selectors.can_report(actor, report.recipient), _("Chỉ cán bộ của nơi nhận mới báo cáo được cho văn bản này.")
    )
    if report.review == ReviewStatus.ACCEPTED:
        raise ValidationError(_("Sở đã chấp nhận báo cáo mục này: không thể sửa nữa."))


@transaction.atomic
def report_update(*, actor: User, report: ItemReport, status: str, note: str = "") -> ItemReport:
    """The recipient reports on one item. Not applicable needs a reason; done or not applicable goes to review."""
    _check_open(report, actor)
    if status not in ReportStatus.values:
        raise ValidationError({"status": _("Tình trạng không hợp lệ.")})
    note = note.strip()
    if status == ReportStatus.NOT_APPLICABLE and not note:
        raise ValidationError({"note": _("Ghi rõ lý do mục này không áp dụng với đơn vị.")})
    if len(note) > 5000:
        raise ValidationError({"note": _("Giải trình tối đa 5.000 ký tự.")})
    changes = model_changes(report, {"status": status, "note": note})
    report.status, report.note = status, note
    report.reported_at, report.reported_by = timezone.now(), actor
    finished = status in (ReportStatus.DONE, ReportStatus.NOT_APPLICABLE)
    if finished:
        report.review = ReviewStatus.SUBMITTED
    elif report.review != ReviewStatus.RETURNED:
        report.review = ReviewStatus.NONE
    report.save()
    if report.recipient.acknowledged_at is None:  # reporting implies receipt
        recipient_acknowledge(actor=actor, recipient=report.recipient)
    _event(
        report.recipient,
        EventKind.REPORTED,
        actor=actor,
        action="directive.report",
        item=report.item,
        body=f"{ReportStatus(status).label}" + (f": {note}" if note else ""),
        changes={"item": report.item.code, **changes},
    )
    return report


@transaction.atomic
def evidence_add(
    *, actor: User, report: ItemReport, upload: Upload | None = None, url: str = "", note: str = ""
) -> Evidence:
    """Attach one piece of evidence: a file (checked by content), a link (http/https) or a note."""
    _check_open(report, actor)
    if report.evidence.count() >= MAX_EVIDENCE:
        raise ValidationError(_("Mỗi mục có tối đa %(n)s minh chứng.") % {"n": MAX_EVIDENCE})
    url, note = url.strip(), note.strip()
    given = sum(bool(part) for part in (upload is not None, url, note))
    if given != 1:
        raise ValidationError(_("Mỗi minh chứng là một tệp, một đường dẫn hoặc một ghi chú."))
    evidence = Evidence(report=report, added_by=actor)
    if upload is not None:
        checked = checked_upload(upload)
        evidence.kind = EvidenceKind.FILE
        evidence.original_name, evidence.content_type = checked.name, checked.content_type
        evidence.size, evidence.sha256 = checked.size, checked.sha256
        # Written before the row: a rollback leaves an unreferenced file (never served), not a dangling row.
        evidence.file.save(stored_name(report.id), ContentFile(checked.content), save=False)
        label = checked.name
    elif url:
        evidence.kind, evidence.url, label = EvidenceKind.LINK, checked_link(url), url
    else:
        if len(note) > 5000:
            raise ValidationError({"note": _("Ghi chú tối đa 5.000 ký tự.")})
        evidence.kind, evidence.note, label = EvidenceKind.NOTE, note, note[:200]
    evidence.save()
    _event(
        report.recipient,
        EventKind.EVIDENCE,
        actor=actor,
        action="directive.evidence_add",
        item=report.item,
        body=label,
        changes={"item": report.item.code, "kind": evidence.kind, "size": evidence.size},
    )
    return evidence


@transaction.atomic
def evidence_delete(*, actor: User, evidence: Evidence) -> None:
    report = evidence.report
    _check_open(report, actor)
    _event(
        report.recipient,
        EventKind.EVIDENCE,
        actor=actor,
        action="directive.evidence_delete",
        item=report.item,
        body=_("Đã xoá minh chứng: %(label)s") % {"label": str(evidence)[:200]},
        changes={"item": report.item.code, "evidence": evidence.id},
    )
    if evidence.file:
        evidence.file.delete(save=False)
    evidence.delete()


# --- the department's review -------------------------------------------------------------------


@transaction.atomic
def report_review(*, actor: User, report: ItemReport, accept: bool, comment: str = "") -> ItemReport:
    """Accept a report, or return it with a comment (the recipient is notified and must report again)."""
    _require(selectors.can_manage(actor), _("Chỉ Sở mới xem xét được báo cáo."))
    if report.recipient.directive.status != DirectiveStatus.DISPATCHED:
        raise ValidationError(_("Văn bản đã kết thúc: không thể xem xét thêm."))
    comment = comment.strip()
    if not accept and not comment:
        raise ValidationError({"comment": _("Ghi rõ lý do trả lại để đơn vị bổ sung.")})
    if accept and report.status == ReportStatus.PENDING and report.auto_verdict != "pass":
        raise ValidationError(_("Đơn vị chưa báo cáo mục này: chưa có gì để chấp nhận."))
    if len(comment) > 5000:
        raise ValidationError({"comment": _("Ý kiến tối đa 5.000 ký tự.")})
    report.review = ReviewStatus.ACCEPTED if accept else ReviewStatus.RETURNED
    report.review_comment = comment
    report.reviewed_at, report.reviewed_by = timezone.now(), actor
    report.save(update_fields=["review", "review_comment", "reviewed_at", "reviewed_by"])
    kind = EventKind.ACCEPTED if accept else EventKind.RETURNED
    _event(
        report.recipient,
        kind,
        actor=actor,
        action="directive.accept" if accept else "directive.return",
        item=report.item,
        body=comment,
        changes={"item": report.item.code, "comment": comment[:500]},
    )
    if not accept:
        recipient = report.recipient
        title = _("Sở trả lại báo cáo mục %(code)s") % {"code": report.item.code}
        link = _link("web:directive_recipient", recipient.id)
        transaction.on_commit(
            lambda: notify_users(
                selectors.recipient_officers(recipient),
                title=title,
                body=comment,
                link=link,
                severity="medium",
                actor=actor,
            )
        )
    return report
