"""Writes to incidents. Each service checks permission, validates, saves, adds a timeline entry and audits.

Alerts and notifications go through :mod:`haidang.apps.incidents.alerts`, after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from haidang.apps.accounts.models import Role, User
from haidang.apps.audit.services import audit_record, model_changes
from haidang.apps.incidents import alerts, selectors, tracking
from haidang.apps.incidents.attachments import CheckedFile, check_file, stored_name
from haidang.apps.incidents.indicators import parse_indicator
from haidang.apps.incidents.models import (
    Attachment,
    Category,
    DeadlineReport,
    Incident,
    IncidentCounter,
    IncidentTask,
    Indicator,
    NationalEscalation,
    PublicKind,
    Queue,
    Severity,
    Source,
    Status,
    TimelineEntry,
    TimelineKind,
)
from haidang.apps.incidents.workflow import is_allowed
from haidang.apps.registry.models import InformationSystem, Organization, Unit

#: Allowed clock skew for "discovered at" in the future (a phone a few minutes ahead).
FUTURE_TOLERANCE = timedelta(minutes=10)
MAX_PUBLIC_ATTACHMENTS = 5


#: An uploaded file (Django's UploadedFile) or any File, e.g. a ContentFile built from an e-mail part.
if TYPE_CHECKING:
    Upload = File[Any]
else:  # File is generic only in django-stubs
    Upload = File


# --- helpers -----------------------------------------------------------------------------------


def _log(
    incident: Incident,
    kind: str,
    *,
    actor: User | None,
    action: str,
    body: str = "",
    data: dict[str, Any] | None = None,
    is_public: bool = False,
) -> TimelineEntry:
    entry = TimelineEntry.objects.create(
        incident=incident, kind=kind, actor=actor, body=body, data=data or {}, is_public=is_public
    )
    audit_record(acting_user=actor, action=action, target=incident, unit_id=incident.unit_id, changes=data)
    return entry


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Bạn không có quyền thực hiện thao tác này với sự cố."))


def _next_reference(now: datetime) -> str:
    year = timezone.localtime(now).year
    IncidentCounter.objects.get_or_create(year=year)
    # The UPDATE locks the counter row until commit, so two reports never get the same number.
    IncidentCounter.objects.filter(year=year).update(last=F("last") + 1)
    number = IncidentCounter.objects.get(year=year).last
    return f"{settings.HAIDANG_INCIDENT_REFERENCE_PREFIX}-{year}-{number:04d}"


def _check_choice(value: str, choices: type[Category | Severity | Source], field: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: _("Giá trị không hợp lệ: %(value)s") % {"value": str(value)[:50]}})


def _check_systems(systems: Sequence[InformationSystem], unit: Unit | None) -> None:
    if any(unit is None or system.unit_id != unit.id for system in systems):
        raise ValidationError({"systems": _("Hệ thống bị ảnh hưởng phải thuộc đơn vị của sự cố.")})


def _check_discovered(discovered_at: datetime, now: datetime) -> None:
    if discovered_at > now + FUTURE_TOLERANCE:
        raise ValidationError({"discovered_at": _("Thời điểm phát hiện không thể ở tương lai.")})


def _parse_indicators(raw: Sequence[str]) -> list[tuple[str, str]]:
    parsed: dict[tuple[str, str], None] = {}
    errors: list[str] = []
    for item in raw:
        if not item.strip():
            continue
        try:
            parsed[parse_indicator(item)] = None
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError({"indicators": errors})
    return list(parsed)


def _check_reporter(actor: User, unit: Unit | None, organization: Organization | None) -> None:
    _require(actor.is_active and actor.role in selectors.WORKER_ROLES, _("Tài khoản này không được báo cáo sự cố."))
    if unit is not None:
        _require(
            selectors.reportable_units(actor).filter(id=unit.id).exists(),
            _("Bạn không được báo cáo sự cố cho đơn vị này."),
        )
    if actor.role == Role.TELECOM:
        _require(organization is None or organization.id == actor.organization_id)
    elif actor.role != Role.TELECOM and not selectors.is_department(actor):
        _require(organization is None, _("Chỉ doanh nghiệp viễn thông gắn sự cố với doanh nghiệp của mình."))


# --- intake ------------------------------------------------------------------------------------


@transaction.atomic
def incident_create(
    *,
    actor: User | None,
    source: str,
    unit: Unit | None,
    title: str,
    description: str,
    category: str,
    severity: str,
    systems: Sequence[InformationSystem] = (),
    discovered_at: datetime | None = None,
    beyond_capacity: bool = False,
    personal_data: bool = False,
    indicators: Sequence[str] = (),
    organization: Organization | None = None,
) -> Incident:
    """Open an incident from any intake (web, portal, API, e-mail, monitoring) and alert who must know."""
    _check_choice(source, Source, "source")
    if actor is not None:
        if actor.role == Role.UNIT and unit is None:
            unit = actor.unit
        if actor.role == Role.TELECOM and organization is None:
            organization = actor.organization
        _check_reporter(actor, unit, organization)
    now = timezone.now()
    discovered_at = discovered_at or now
    if unit is not None and not unit.is_active:
        raise ValidationError({"unit": _("Đơn vị đã sáp nhập hoặc giải thể; hãy chọn đơn vị kế thừa.")})
    _check_systems(systems, unit)
    _check_discovered(discovered_at, now)
    parsed = _parse_indicators(indicators)
    # E-mail senders are not authenticated: the department triages those before any unit's queue.
    department_queue = unit is None or beyond_capacity or source == Source.EMAIL or selectors.is_department(actor)
    incident = Incident(
        reference="pending",
        unit=unit,
        organization=organization,
        title=title.strip(),
        description=description.strip(),
        category=category,
        severity=severity,
        source=source,
        queue=Queue.DEPARTMENT if department_queue else Queue.UNIT,
        beyond_capacity=beyond_capacity,
        beyond_capacity_at=now if beyond_capacity else None,
        personal_data=personal_data,
        discovered_at=discovered_at,
        reported_at=now,
        created_by=actor,
    )
    incident.full_clean(exclude=["reference"])
    incident.reference = _next_reference(now)
    incident.save()
    incident.systems.set(systems)
    Indicator.objects.bulk_create(Indicator(incident=incident, kind=kind, value=value) for kind, value in parsed)
    _log(
        incident,
        TimelineKind.CREATED,
        actor=actor,
        action="incident.create",
        data={"source": source, "queue": incident.queue, "reference": incident.reference},
    )
    alerts.after_commit(alerts.incident_opened, incident.id)
    return incident


@dataclass(frozen=True)
class PublicReceipt:
    tracking_code: str
    incident: Incident


@transaction.atomic
def incident_report_public(
    *,
    kind: str,
    reporter_name: str,
    reporter_contact: str,
    subject_url: str,
    description: str,
    attachments: Sequence[Upload] = (),
    client_ip: str = "",
) -> PublicReceipt:
    """A report from the public portal. The returned tracking code is shown once and never stored."""
    errors: dict[str, str] = {}
    if kind not in PublicKind.values:
        errors["kind"] = _("Hãy chọn loại phản ánh.")
    if not description.strip():
        errors["description"] = _("Hãy mô tả sự việc.")
    if len(attachments) > MAX_PUBLIC_ATTACHMENTS:
        errors["attachments"] = _("Gửi tối đa %(n)s tệp.") % {"n": MAX_PUBLIC_ATTACHMENTS}
    url = subject_url.strip()
    if errors:
        raise ValidationError(errors)
    checked = [_checked(upload) for upload in attachments]
    is_scam = kind == PublicKind.SCAM
    label = _("Phản ánh lừa đảo") if is_scam else _("Báo cáo sự cố từ người dân")
    incident = incident_create(
        actor=None,
        source=Source.PORTAL,
        unit=None,
        title=f"{label}: {url}"[:300] if url else str(label),
        description=description,
        category=Category.PHISHING if is_scam else Category.OTHER,
        severity=Severity.MEDIUM,
    )
    code = tracking.new_code()
    incident.public_kind = kind
    incident.reporter_name = reporter_name.strip()[:200]
    incident.reporter_contact = reporter_contact.strip()[:200]
    incident.subject_url = url[:2000]
    incident.tracking_digest = tracking.digest(code)
    incident.client_ip = client_ip or None
    incident.full_clean()
    incident.save()
    if url:
        try:
            kind_value = parse_indicator(url)
        except ValidationError:
            pass  # kept as typed in subject_url; not every reporter gives a clean URL
        else:
            Indicator.objects.get_or_create(incident=incident, kind=kind_value[0], value=kind_value[1])
    for item in checked:
        _store(incident, item, actor=None)
    return PublicReceipt(tracking_code=tracking.display(code), incident=incident)


@transaction.atomic
def incident_from_finding(
    *, unit: Unit, title: str, category: str, severity: str, evidence: str, url: str, dedupe_key: str
) -> Incident:
    """An incident from a monitoring finding; an open incident with the same ``dedupe_key`` is reused."""
    if not dedupe_key:
        raise ValidationError({"dedupe_key": _("Thiếu khoá chống trùng lặp.")})
    existing = (
        Incident.objects.select_for_update()
        .filter(dedupe_key=dedupe_key, status__in=[Status.NEW, Status.TRIAGED, Status.IN_PROGRESS])
        .order_by("id")
        .first()
    )
    if existing is not None:
        _log(
            existing,
            TimelineKind.FINDING,
            actor=None,
            action="incident.finding_repeat",
            body=evidence[:5000],
            data={"url": url[:500], "title": title[:300]},
        )
        return existing
    indicators = [url] if url else []
    try:
        _parse_indicators(indicators)
    except ValidationError:
        indicators = []
    incident = incident_create(
        actor=None,
        source=Source.MONITORING,
        unit=unit,
        title=title,
        description=f"{evidence}\n\n{url}".strip(),
        category=category,
        severity=severity,
        indicators=indicators,
    )
    incident.dedupe_key = dedupe_key[:200]
    incident.save(update_fields=["dedupe_key"])
    return incident


# --- changes -----------------------------------------------------------------------------------

EDITABLE_FIELDS = frozenset({"title", "description", "category", "severity", "personal_data", "discovered_at"})


@transaction.atomic
def incident_update(
    *,
    actor: User,
    incident: Incident,
    unit: Unit | None = None,
    systems: Sequence[InformationSystem] | None = None,
    **fields: Any,
) -> Incident:
    """Change the facts of an incident. Only the department moves it to another unit."""
    _require(selectors.can_manage(actor, incident))
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("Không sửa được trường: %(names)s") % {"names": ", ".join(sorted(unknown))})
    if "discovered_at" in fields:
        _check_discovered(fields["discovered_at"], timezone.now())
    if unit is not None and unit.id != incident.unit_id:
        _check_unit_move(actor, unit)
        fields["unit"] = unit
    old_severity = incident.severity
    changes = model_changes(incident, fields)
    for name, value in fields.items():
        setattr(incident, name, value)
    incident.full_clean()
    new_systems = _systems_after(incident, systems, unit_moved="unit" in fields, changes=changes)
    incident.save()
    if new_systems is not None:
        incident.systems.set(new_systems)
    if changes:
        _log(incident, TimelineKind.UPDATE, actor=actor, action="incident.update", data=changes)
        if _rank(incident.severity) > _rank(old_severity):
            alerts.after_commit(alerts.incident_severity_raised, incident.id)
    return incident


def _check_unit_move(actor: User, unit: Unit) -> None:
    _require(selectors.is_department(actor), _("Chỉ Sở được chuyển sự cố sang đơn vị khác."))
    if not unit.is_active:
        raise ValidationError({"unit": _("Đơn vị đã sáp nhập hoặc giải thể; hãy chọn đơn vị kế thừa.")})


def _systems_after(
    incident: Incident,
    systems: Sequence[InformationSystem] | None,
    *,
    unit_moved: bool,
    changes: dict[str, list[Any]],
) -> Sequence[InformationSystem] | None:
    """The affected systems to store (None: unchanged); moving to another unit drops the old unit's."""
    if systems is None:
        return [] if unit_moved else None
    _check_systems(systems, incident.unit)
    old = sorted(incident.systems.values_list("id", flat=True))
    new = sorted(system.id for system in systems)
    if old != new:
        changes["systems"] = [old, new]
    return systems


def _rank(severity: str) -> int:
    return list(Severity.values).index(severity)


@transaction.atomic
def incident_transition(*, actor: User, incident: Incident, to: str, note: str = "") -> Incident:
    _require(selectors.can_manage(actor, incident))
    if not is_allowed(incident.status, to):
        raise ValidationError(
            {
                "status": _("Không thể chuyển từ “%(from)s” sang “%(to)s”.")
                % {"from": Status(incident.status).label, "to": Status(to).label if to in Status.values else to}
            }
        )
    now, previous = timezone.now(), incident.status
    incident.status = to
    if to == Status.RESOLVED:
        incident.resolved_at = now
    elif to == Status.CLOSED:
        incident.closed_at = now
        incident.resolved_at = incident.resolved_at or now
    elif previous in (Status.RESOLVED, Status.CLOSED):  # reopened: the final report clock stops again
        incident.resolved_at = None
        incident.closed_at = None
    incident.save()
    _log(
        incident,
        TimelineKind.STATUS,
        actor=actor,
        action="incident.status",
        body=note.strip()[:5000],
        data={"from": previous, "to": to},
    )
    return incident


@transaction.atomic
def incident_assign(*, actor: User, incident: Incident, assignee: User | None) -> Incident:
    _require(selectors.can_manage(actor, incident))
    if assignee is not None and not selectors.assignable_users(incident).filter(id=assignee.id).exists():
        raise ValidationError(
            {"assignee": _("Chỉ giao cho cán bộ của Sở, cán bộ của đơn vị hoặc nhà cung cấp được giao đơn vị.")}
        )
    previous = incident.assignee_id
    if previous == (assignee.id if assignee else None):
        return incident
    incident.assignee = assignee
    incident.save(update_fields=["assignee", "updated_at"])
    _log(
        incident,
        TimelineKind.ASSIGNMENT,
        actor=actor,
        action="incident.assign",
        body=str(assignee) if assignee else "",
        data={"from": previous, "to": assignee.id if assignee else None},
    )
    if assignee is not None and assignee.id != actor.id:
        alerts.after_commit(alerts.incident_assigned, incident.id, actor.id)
    return incident


@transaction.atomic
def incident_mark_beyond_capacity(*, actor: User, incident: Incident, reason: str) -> Incident:
    """The unit cannot handle it: the department's duty officer is alerted and the incident joins its queue."""
    _require(selectors.can_mark_beyond_capacity(actor, incident))
    if not reason.strip():
        raise ValidationError({"reason": _("Hãy nêu lý do vượt khả năng xử lý và hỗ trợ cần có.")})
    incident.beyond_capacity = True
    incident.beyond_capacity_at = timezone.now()
    incident.queue = Queue.DEPARTMENT
    incident.save()
    _log(
        incident,
        TimelineKind.BEYOND_CAPACITY,
        actor=actor,
        action="incident.beyond_capacity",
        body=reason.strip()[:5000],
        data={"queue": Queue.DEPARTMENT},
    )
    alerts.after_commit(alerts.incident_beyond_capacity, incident.id)
    return incident


@transaction.atomic
def incident_escalate_national(
    *,
    actor: User,
    incident: Incident,
    document_number: str,
    document_date: date,
    recipient: str,
    note: str = "",
    document: Upload | None = None,
) -> NationalEscalation:
    """Record that the department asked the national incident response system for help, and by which document."""
    _require(selectors.can_escalate_nationally(actor, incident), _("Chỉ Sở được báo cáo, đề nghị hỗ trợ cấp quốc gia."))
    stored = attachment_add(actor=actor, incident=incident, upload=document) if document is not None else None
    escalation = NationalEscalation(
        incident=incident,
        document_number=document_number.strip(),
        document_date=document_date,
        recipient=recipient.strip(),
        note=note.strip(),
        document=stored,
        actor=actor,
    )
    escalation.full_clean()
    escalation.save()
    if incident.queue != Queue.DEPARTMENT:
        incident.queue = Queue.DEPARTMENT
        incident.save(update_fields=["queue", "updated_at"])
    _log(
        incident,
        TimelineKind.ESCALATION,
        actor=actor,
        action="incident.escalate_national",
        body=escalation.note,
        data={
            "document_number": escalation.document_number,
            "document_date": document_date.isoformat(),
            "recipient": escalation.recipient,
            "attachment": stored.id if stored else None,
        },
    )
    return escalation


@transaction.atomic
def note_add(*, actor: User, incident: Incident, body: str, is_public: bool = False) -> TimelineEntry:
    _require(selectors.can_work_on(actor, incident))
    if is_public:
        _require(selectors.can_publish_notes(actor), _("Chỉ Sở được gửi ghi chú công khai cho người báo cáo."))
    text = body.strip()
    if not text:
        raise ValidationError({"body": _("Ghi chú đang trống.")})
    if len(text) > 10_000:
        raise ValidationError({"body": _("Ghi chú dài quá 10.000 ký tự.")})
    return _log(
        incident,
        TimelineKind.NOTE,
        actor=actor,
        action="incident.note",
        body=text,
        data={"public": is_public},
        is_public=is_public,
    )


@transaction.atomic
def task_add(
    *, actor: User, incident: Incident, title: str, assignee: User | None = None, due_at: datetime | None = None
) -> IncidentTask:
    _require(selectors.can_work_on(actor, incident))
    if assignee is not None and not selectors.assignable_users(incident).filter(id=assignee.id).exists():
        raise ValidationError({"assignee": _("Người thực hiện phải là người được giao xử lý sự cố này.")})
    task = IncidentTask(incident=incident, title=title.strip(), assignee=assignee, due_at=due_at, created_by=actor)
    task.full_clean()
    task.save()
    _log(
        incident,
        TimelineKind.TASK,
        actor=actor,
        action="incident.task_add",
        body=task.title,
        data={"task": task.id, "assignee": assignee.id if assignee else None},
    )
    return task


@transaction.atomic
def task_set_done(*, actor: User, task: IncidentTask, done: bool) -> IncidentTask:
    _require(selectors.can_work_on(actor, task.incident))
    if task.done == done:
        return task
    task.done = done
    task.done_at = timezone.now() if done else None
    task.save(update_fields=["done", "done_at"])
    _log(
        task.incident,
        TimelineKind.TASK,
        actor=actor,
        action="incident.task_done" if done else "incident.task_reopen",
        body=task.title,
        data={"task": task.id, "done": done},
    )
    return task


def _checked(upload: Upload) -> CheckedFile:
    upload.open("rb")
    return check_file(upload.name or "", upload, declared_size=upload.size)


def _store(incident: Incident, checked: CheckedFile, *, actor: User | None) -> Attachment:
    attachment = Attachment(
        incident=incident,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    # Written before the row: a rollback leaves an unreferenced file (harmless, never served), not a
    # row pointing at nothing.
    attachment.file.save(stored_name(incident.id), ContentFile(checked.content), save=False)
    attachment.save()
    _log(
        incident,
        TimelineKind.ATTACHMENT,
        actor=actor,
        action="incident.attachment",
        body=attachment.original_name,
        data={"attachment": attachment.id, "size": attachment.size, "type": attachment.content_type},
    )
    return attachment


@transaction.atomic
def attachment_add(*, actor: User | None, incident: Incident, upload: Upload) -> Attachment:
    """Attach a file after checking its size and its real type (by content, extension must agree)."""
    if actor is not None:
        _require(selectors.can_work_on(actor, incident))
    try:
        checked = _checked(upload)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    return _store(incident, checked, actor=actor)


def attachment_add_bytes(*, actor: User | None, incident: Incident, name: str, content: bytes) -> Attachment:
    """Same checks for content already in memory (e-mail attachments)."""
    return attachment_add(actor=actor, incident=incident, upload=ContentFile(content, name=name))


@transaction.atomic
def indicator_add(*, actor: User, incident: Incident, raw: str, kind: str = "", note: str = "") -> Indicator:
    _require(selectors.can_work_on(actor, incident))
    try:
        parsed_kind, value = parse_indicator(raw, kind)
    except ValidationError as exc:
        raise ValidationError({"value": exc.messages}) from exc
    if Indicator.objects.filter(incident=incident, kind=parsed_kind, value=value).exists():
        raise ValidationError({"value": _("Dấu hiệu này đã có trong sự cố.")})
    indicator = Indicator(incident=incident, kind=parsed_kind, value=value, note=note.strip()[:300])
    indicator.full_clean()
    try:
        with transaction.atomic():
            indicator.save()
    except IntegrityError as exc:  # a concurrent add of the same indicator
        raise ValidationError({"value": _("Dấu hiệu này đã có trong sự cố.")}) from exc
    _log(
        incident,
        TimelineKind.INDICATOR,
        actor=actor,
        action="incident.indicator",
        body=f"{parsed_kind}: {value}",
        data={"kind": parsed_kind, "value": value},
    )
    return indicator


@transaction.atomic
def deadline_mark_sent(
    *, actor: User, incident: Incident, rule_id: str, sent_at: datetime | None = None, note: str = ""
) -> DeadlineReport:
    """Record that a regulatory report was sent, which stops that deadline's clock."""
    _require(selectors.can_work_on(actor, incident))
    if rule_id not in {deadline.rule.id for deadline in selectors.incident_deadlines(incident)}:
        raise ValidationError({"rule_id": _("Thời hạn này không áp dụng cho sự cố.")})
    sent_at = sent_at or timezone.now()
    report, created = DeadlineReport.objects.get_or_create(
        incident=incident, rule_id=rule_id, defaults={"sent_at": sent_at, "note": note[:300], "actor": actor}
    )
    if created:
        _log(
            incident,
            TimelineKind.DEADLINE,
            actor=actor,
            action="incident.deadline_sent",
            body=note[:300],
            data={"rule": rule_id, "sent_at": sent_at.isoformat()},
        )
    return report


def timeline_system_note(incident: Incident, *, kind: str, body: str) -> TimelineEntry:
    """A note written by the platform itself (e.g. an e-mail attachment that was refused)."""
    return _log(incident, kind, actor=None, action="incident.system_note", body=body[:5000])
