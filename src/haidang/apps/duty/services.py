"""Writes to duty periods, rosters, shifts and handover notes. Each checks the right, validates and audits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from haidang.apps.accounts.models import User
from haidang.apps.audit.services import audit_record, model_changes
from haidang.apps.duty.models import DutyPeriod, HandoverNote, Roster, RosterStatus, Shift
from haidang.apps.duty.phones import normalize_phone
from haidang.apps.duty.selectors import can_announce, can_edit_owner, can_edit_roster, duty_accounts
from haidang.apps.registry.models import Organization, OrganizationKind, Unit, UnitGroup

#: A shift longer than this is almost certainly a typo in a date (e.g. the wrong month).
MAX_SHIFT = timedelta(hours=72)
SHIFT_FIELDS = ("starts_at", "ends_at", "person_name", "user", "role", "phone", "messaging_handle", "note")


def _require_announcer(user: User | None) -> None:
    if user is not None and not can_announce(user):
        raise PermissionDenied(_("Chỉ quản trị và cán bộ trực của Sở được thực hiện thao tác này."))


def _require_roster_editor(user: User | None, roster: Roster) -> None:
    if user is not None and not can_edit_roster(user, roster):
        raise PermissionDenied(_("Bạn không có quyền thay đổi lịch trực này."))


# --- periods -----------------------------------------------------------------------------------


@transaction.atomic
def period_announce(
    *,
    acting_user: User | None,
    name: str,
    starts_at: datetime,
    ends_at: datetime,
    groups: Iterable[UnitGroup] = (),
    telecoms_required: bool = False,
    note: str = "",
) -> DutyPeriod:
    """Announce a duty period; the listed unit groups (and telecoms, if asked) must submit a roster."""
    _require_announcer(acting_user)
    period = DutyPeriod(
        name=name.strip(),
        starts_at=starts_at,
        ends_at=ends_at,
        telecoms_required=telecoms_required,
        note=note.strip(),
        announced_by=acting_user,
    )
    period.full_clean()
    period.save()
    period.groups.set(list(groups))
    audit_record(
        acting_user=acting_user,
        action="duty_period.announce",
        target=period,
        changes={"groups": sorted(g.code for g in period.groups.all()), "telecoms_required": telecoms_required},
    )
    return period


@transaction.atomic
def period_update(
    *, acting_user: User | None, period: DutyPeriod, groups: Iterable[UnitGroup] | None = None, **fields: Any
) -> DutyPeriod:
    _require_announcer(acting_user)
    changes = model_changes(period, fields)
    for name, value in fields.items():
        setattr(period, name, value)
    period.full_clean()
    period.save()
    if groups is not None:
        before = sorted(g.code for g in period.groups.all())
        period.groups.set(list(groups))
        after = sorted(g.code for g in period.groups.all())
        if before != after:
            changes["groups"] = [before, after]
    if changes:
        audit_record(acting_user=acting_user, action="duty_period.update", target=period, changes=changes)
    return period


# --- rosters -----------------------------------------------------------------------------------


@transaction.atomic
def roster_create(
    *,
    acting_user: User | None,
    period: DutyPeriod,
    unit: Unit | None = None,
    organization: Organization | None = None,
) -> Roster:
    """Start a (draft) roster of the department (no unit, no organisation), a unit or a telecom."""
    if acting_user is not None and not can_edit_owner(
        acting_user,
        unit_id=unit.id if unit is not None else None,
        organization_id=organization.id if organization is not None else None,
    ):
        raise PermissionDenied(_("Bạn không có quyền lập lịch trực cho chủ thể này."))
    if unit is not None and not unit.is_active:
        raise ValidationError(_("Đơn vị đã sáp nhập hoặc giải thể; hãy lập lịch trực ở đơn vị kế thừa."))
    if organization is not None and organization.kind != OrganizationKind.TELECOM:
        raise ValidationError(_("Chỉ doanh nghiệp viễn thông, Internet mới lập lịch trực riêng."))
    roster = Roster(period=period, unit=unit, organization=organization)
    roster.full_clean()
    roster.save()
    audit_record(acting_user=acting_user, action="roster.create", target=roster, unit_id=roster.unit_id)
    return roster


def roster_get_or_create(
    *,
    acting_user: User | None,
    period: DutyPeriod,
    unit: Unit | None = None,
    organization: Organization | None = None,
) -> Roster:
    existing = Roster.objects.filter(period=period, unit=unit, organization=organization).first()
    if existing is not None:
        _require_roster_editor(acting_user, existing)
        return existing
    return roster_create(acting_user=acting_user, period=period, unit=unit, organization=organization)


@transaction.atomic
def roster_submit(*, acting_user: User | None, roster: Roster) -> Roster:
    """Submit (for the department: publish) the roster; its shifts now count as on duty."""
    _require_roster_editor(acting_user, roster)
    if roster.is_submitted:
        raise ValidationError(_("Lịch trực đã được nộp."))
    if not roster.shifts.exists():
        raise ValidationError(_("Lịch trực chưa có ca trực nào; hãy thêm ca trước khi nộp."))
    roster.status = RosterStatus.SUBMITTED
    roster.submitted_at = timezone.now()
    roster.submitted_by = acting_user
    roster.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    audit_record(acting_user=acting_user, action="roster.submit", target=roster, unit_id=roster.unit_id)
    return roster


@transaction.atomic
def roster_withdraw(*, acting_user: User | None, roster: Roster) -> Roster:
    """Back to draft, e.g. to rework it; its shifts stop counting as on duty."""
    _require_roster_editor(acting_user, roster)
    if not roster.is_submitted:
        raise ValidationError(_("Lịch trực chưa được nộp."))
    roster.status = RosterStatus.DRAFT
    roster.save(update_fields=["status", "updated_at"])
    audit_record(acting_user=acting_user, action="roster.withdraw", target=roster, unit_id=roster.unit_id)
    return roster


# --- shifts ------------------------------------------------------------------------------------


def _prepare(roster: Roster, values: dict[str, Any]) -> dict[str, Any]:
    """Normalise typed values and fill name/phone from the chosen account when left empty."""
    values = dict(values)
    user: User | None = values.get("user")
    for name in ("person_name", "messaging_handle", "note"):
        if isinstance(values.get(name), str):
            values[name] = values[name].strip()
    if user is not None:
        if not values.get("person_name"):
            values["person_name"] = user.full_name or user.email
        if not values.get("phone") and user.phone:
            values["phone"] = user.phone
    if isinstance(values.get("phone"), str):
        values["phone"] = normalize_phone(values["phone"])
    for name in ("starts_at", "ends_at"):
        moment = values.get(name)
        if isinstance(moment, datetime) and timezone.is_naive(moment):
            # A time without a zone (API client, spreadsheet) is wall-clock time in the platform's zone.
            values[name] = timezone.make_aware(moment)
    return values


def _check_shift(shift: Shift) -> None:
    errors: dict[str, str] = {}
    period = shift.roster.period
    if shift.starts_at and shift.ends_at:
        if shift.ends_at <= shift.starts_at:
            errors["ends_at"] = _("Giờ kết thúc ca phải sau giờ bắt đầu.")
        elif shift.ends_at - shift.starts_at > MAX_SHIFT:
            errors["ends_at"] = _("Một ca trực không dài quá 72 giờ; hãy kiểm tra lại ngày.")
        elif shift.ends_at <= period.starts_at or shift.starts_at >= period.ends_at:
            errors["starts_at"] = _("Ca trực phải nằm trong đợt trực (%(start)s – %(end)s).") % {
                "start": timezone.localtime(period.starts_at).strftime("%d/%m/%Y %H:%M"),
                "end": timezone.localtime(period.ends_at).strftime("%d/%m/%Y %H:%M"),
            }
    if shift.user is not None:
        allowed = duty_accounts(unit_id=shift.roster.unit_id, organization_id=shift.roster.organization_id)
        if not allowed.filter(id=shift.user.id).exists():
            errors["user"] = _("Tài khoản này không thuộc chủ thể của lịch trực hoặc đã bị khoá.")
    if errors:
        raise ValidationError(errors)


def shift_build(*, roster: Roster, **values: Any) -> Shift:
    """A validated, unsaved shift (import checks every row with this before writing any)."""
    shift = Shift(roster=roster, **_prepare(roster, values))
    messages: dict[str, list[str]] = {}
    try:
        # The model's check constraints repeat _check_shift's rules with less precise messages.
        shift.full_clean(validate_constraints=False)
    except ValidationError as exc:
        messages.update(exc.message_dict)
    try:
        _check_shift(shift)
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            messages.setdefault(name, []).extend(errors)
    if messages:
        raise ValidationError(messages)
    return shift


@transaction.atomic
def shift_create(*, acting_user: User | None, roster: Roster, **values: Any) -> Shift:
    _require_roster_editor(acting_user, roster)
    shift = shift_build(roster=roster, **values)
    shift.save()
    audit_record(
        acting_user=acting_user,
        action="shift.create",
        target=shift,
        unit_id=roster.unit_id,
        changes={"roster": roster.id, "role": shift.role},
    )
    return shift


@transaction.atomic
def shift_update(*, acting_user: User | None, shift: Shift, **values: Any) -> Shift:
    _require_roster_editor(acting_user, shift.roster)
    values = _prepare(shift.roster, values)
    changes = model_changes(shift, values)
    candidate = shift_build(roster=shift.roster, **{**{f: getattr(shift, f) for f in SHIFT_FIELDS}, **values})
    for name in SHIFT_FIELDS:
        setattr(shift, name, getattr(candidate, name))
    shift.save()
    if changes:
        audit_record(
            acting_user=acting_user, action="shift.update", target=shift, unit_id=shift.roster.unit_id, changes=changes
        )
    return shift


@transaction.atomic
def shift_delete(*, acting_user: User | None, shift: Shift) -> None:
    """Remove a shift; the audit row keeps who, when and what it was."""
    _require_roster_editor(acting_user, shift.roster)
    audit_record(
        acting_user=acting_user,
        action="shift.delete",
        target=shift,
        unit_id=shift.roster.unit_id,
        changes={
            "deleted": str(shift),
            "ends_at": shift.ends_at.isoformat(),
            "role": shift.role,
            "phone": shift.phone,
        },
    )
    shift.delete()


@transaction.atomic
def handover_note_add(*, acting_user: User, shift: Shift, text: str) -> HandoverNote:
    """Who keeps the roster, or the officer named on the shift, may leave a note for the next shift."""
    if shift.user_id != acting_user.id and not can_edit_roster(acting_user, shift.roster):
        raise PermissionDenied(_("Bạn không có quyền ghi bàn giao cho ca trực này."))
    note = HandoverNote(shift=shift, author=acting_user, text=text.strip())
    note.full_clean()
    note.save()
    audit_record(acting_user=acting_user, action="handover.create", target=note, unit_id=shift.roster.unit_id)
    return note
