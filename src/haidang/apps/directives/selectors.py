"""Reads of directives. The one place that decides who sees which directive, recipient and report.

Visibility by role:
- administrator, duty officer, leadership viewer: every directive, recipient and report;
- unit security officer: dispatched directives their unit received, and only their unit's reports;
- telecom officer: the same for their own company;
- security provider: their own organisation's receipts, and (read-only) those of the units assigned to it.
Only the department (administrator, duty officer) writes directives and reviews reports; only a
recipient's own officers report for it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone

from haidang.apps.accounts.models import Role, User
from haidang.apps.directives.models import (
    Directive,
    DirectiveItem,
    DirectiveStatus,
    Evidence,
    ItemReport,
    Recipient,
    RecipientEvent,
    RecipientKind,
)
from haidang.apps.directives.status import STATE_ORDER, Cell, cell_for
from haidang.apps.registry.models import Organization, Unit, UnitGroup, UnitStatus
from haidang.apps.registry.selectors import visible_unit_ids

DEPARTMENT_ROLES = frozenset({Role.ADMIN, Role.DUTY})
#: Units (by group and number) before organisations, the same on SQLite and PostgreSQL.
RECIPIENT_ORDER = (
    F("unit__group__order").asc(nulls_last=True),
    F("unit__number").asc(nulls_last=True),
    "unit__name",
    "kind",
    "organization__name",
    "id",
)
#: Roles whose members report for an organisation recipient, by recipient kind.
ORGANIZATION_ROLES = {RecipientKind.TELECOM: Role.TELECOM, RecipientKind.PROVIDER: Role.PROVIDER}


# --- permissions -------------------------------------------------------------------------------


def _active(user: User | None) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def can_manage(user: User | None) -> bool:
    """May ``user`` create, edit, dispatch and close directives and review reports? (the department)"""
    return _active(user) and user is not None and user.role in DEPARTMENT_ROLES


def can_report(user: User | None, recipient: Recipient) -> bool:
    """May ``user`` acknowledge and report for ``recipient``? Only the recipient's own officers."""
    if not _active(user) or user is None or recipient.directive.status != DirectiveStatus.DISPATCHED:
        return False
    if recipient.unit_id is not None:
        return user.role == Role.UNIT and user.unit_id == recipient.unit_id
    role = ORGANIZATION_ROLES.get(RecipientKind(recipient.kind))
    return role is not None and user.role == role and user.organization_id == recipient.organization_id


# --- tenancy -----------------------------------------------------------------------------------


def _recipient_scope(user: User) -> Q | None:
    """A filter on Recipient for what ``user`` may see; None means everything."""
    if not _active(user):
        return Q(pk__in=[])
    if user.is_city_wide:
        return None
    condition = Q(pk__in=[])
    units = visible_unit_ids(user)
    if units is not None:
        condition |= Q(unit_id__in=units)
    if user.role in (Role.TELECOM, Role.PROVIDER) and user.organization_id is not None:
        condition |= Q(organization_id=user.organization_id)
    return condition


def recipients_visible(user: User) -> QuerySet[Recipient]:
    recipients = Recipient.objects.all()
    scope = _recipient_scope(user)
    return recipients if scope is None else recipients.filter(scope)


def directive_list(*, visible_to: User, status: str = "", search: str = "") -> QuerySet[Directive]:
    directives = Directive.objects.all()
    if not visible_to.is_city_wide or not _active(visible_to):
        mine = recipients_visible(visible_to).values("directive_id")
        directives = directives.filter(id__in=mine).exclude(status=DirectiveStatus.DRAFT)
    if status:
        directives = directives.filter(status=status)
    if search:
        directives = directives.filter(Q(number__icontains=search) | Q(subject__icontains=search))
    return directives


def directive_get(*, visible_to: User, directive_id: int) -> Directive:
    """Return the directive, or raise ``Directive.DoesNotExist`` when it does not exist or is not visible."""
    return directive_list(visible_to=visible_to).get(id=directive_id)


def item_list(*, directive: Directive) -> QuerySet[DirectiveItem]:
    return directive.items.order_by("order", "id")


def recipient_list(*, visible_to: User, directive: Directive, group: str = "", kind: str = "") -> QuerySet[Recipient]:
    recipients = recipients_visible(visible_to).filter(directive=directive)
    if group:
        recipients = recipients.filter(unit__group__code=group)
    if kind:
        recipients = recipients.filter(kind=kind)
    return recipients.select_related("unit", "unit__group", "organization", "acknowledged_by", "directive").order_by(
        *RECIPIENT_ORDER
    )


def recipient_get(*, visible_to: User, recipient_id: int) -> Recipient:
    """Return the recipient, or raise ``Recipient.DoesNotExist`` when it does not exist or is not visible."""
    recipient = (
        recipients_visible(visible_to)
        .select_related("unit", "unit__group", "organization", "directive", "acknowledged_by")
        .get(id=recipient_id)
    )
    if recipient.directive.status == DirectiveStatus.DRAFT and not visible_to.is_city_wide:
        raise Recipient.DoesNotExist
    return recipient


def own_receipts(user: User) -> QuerySet[Recipient] | None:
    """The receipts ``user`` reports for (their unit's or their company's), across directives; None for others."""
    if not _active(user):
        return None
    if user.role == Role.UNIT and user.unit_id is not None:
        return Recipient.objects.filter(unit_id=user.unit_id)
    if user.role in (Role.TELECOM, Role.PROVIDER) and user.organization_id is not None:
        return Recipient.objects.filter(organization_id=user.organization_id)
    return None


def recipient_for(*, user: User, directive: Directive) -> Recipient | None:
    """The receipt ``user`` reports for in ``directive`` (their unit's or their company's), if any."""
    own = own_receipts(user)
    return None if own is None else own.filter(directive=directive).select_related("directive").first()


def report_list(*, recipient: Recipient) -> QuerySet[ItemReport]:
    """The recipient's reports (callers have checked the recipient is visible), items in order."""
    return (
        ItemReport.objects.filter(recipient=recipient)
        .select_related("item", "reported_by", "reviewed_by")
        .prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("added_by")))
        .order_by("item__order", "item_id")
    )


def report_get(*, visible_to: User, report_id: int) -> ItemReport:
    """Return the report, or raise ``ItemReport.DoesNotExist`` when it does not exist or is not visible."""
    return ItemReport.objects.select_related("recipient", "recipient__directive", "item").get(
        id=report_id, recipient__in=recipients_visible(visible_to)
    )


def evidence_get(*, visible_to: User, evidence_id: int) -> Evidence:
    """Return the evidence, or raise ``Evidence.DoesNotExist`` when it does not exist or is not visible."""
    return Evidence.objects.select_related("report", "report__recipient").get(
        id=evidence_id, report__recipient__in=recipients_visible(visible_to)
    )


def recipient_events(*, recipient: Recipient, limit: int = 200) -> QuerySet[RecipientEvent]:
    return recipient.events.select_related("actor", "item")[:limit]


def recipient_officers(recipient: Recipient) -> QuerySet[User]:
    """The active accounts that report for ``recipient``: its unit's officers or its company's members."""
    users = User.objects.filter(is_active=True)
    if recipient.unit_id is not None:
        return users.filter(role=Role.UNIT, unit_id=recipient.unit_id)
    role = ORGANIZATION_ROLES.get(RecipientKind(recipient.kind))
    if role is None or recipient.organization_id is None:
        return users.none()
    return users.filter(role=role, organization_id=recipient.organization_id)


# --- dispatch ----------------------------------------------------------------------------------


def dispatch_targets(
    *,
    unit_ids: Iterable[int] = (),
    group_codes: Iterable[str] = (),
    kinds: Iterable[str] = (),
    organization_ids: Iterable[int] = (),
) -> tuple[QuerySet[Unit], QuerySet[Organization]]:
    """The active units and organisations a dispatch choice names: by kind, by unit group, or one by one."""
    kinds = set(kinds)
    units = Unit.objects.filter(status=UnitStatus.ACTIVE)
    if RecipientKind.UNIT not in kinds:
        units = units.filter(Q(group__code__in=list(group_codes)) | Q(id__in=list(unit_ids)))
    org_kinds = [kind for kind in (RecipientKind.TELECOM, RecipientKind.PROVIDER) if kind in kinds]
    organizations = Organization.objects.filter(is_active=True).filter(
        Q(kind__in=org_kinds) | Q(id__in=list(organization_ids))
    )
    return units.distinct(), organizations.distinct()


def dispatch_preview(
    *,
    directive: Directive,
    unit_ids: Iterable[int] = (),
    group_codes: Iterable[str] = (),
    kinds: Iterable[str] = (),
    organization_ids: Iterable[int] = (),
) -> int:
    """How many new recipients dispatching ``directive`` to that choice would add."""
    units, organizations = dispatch_targets(
        unit_ids=unit_ids, group_codes=group_codes, kinds=kinds, organization_ids=organization_ids
    )
    have = directive.recipients.all()
    new_units = units.exclude(id__in=have.exclude(unit=None).values("unit_id")).count()
    return new_units + organizations.exclude(id__in=have.exclude(organization=None).values("organization_id")).count()


# --- the status matrix -------------------------------------------------------------------------


@dataclass
class MatrixRow:
    recipient: Recipient
    cells: dict[int, Cell | None]  # item id → cell, None when the item does not apply to this recipient
    complete: int = 0
    total: int = 0
    conflicts: int = 0

    @property
    def complied(self) -> bool:
        return self.total > 0 and self.complete == self.total

    @property
    def percent(self) -> int:
        return round(100 * self.complete / self.total) if self.total else 100

    @property
    def group_name(self) -> str:
        if self.recipient.unit is not None:
            return self.recipient.unit.group.name
        return str(RecipientKind(self.recipient.kind).label)

    @property
    def group_key(self) -> str:
        if self.recipient.unit is not None:
            return self.recipient.unit.group.code
        return f"kind:{self.recipient.kind}"


@dataclass
class GroupProgress:
    key: str
    name: str
    recipients: int = 0
    acknowledged: int = 0
    complied: int = 0
    items_complete: int = 0
    items_total: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.items_complete / self.items_total) if self.items_total else 0


@dataclass
class Matrix:
    directive: Directive
    items: list[DirectiveItem]
    rows: list[MatrixRow]
    computed_at: datetime
    groups: list[GroupProgress] = field(default_factory=list)
    state_counts: dict[str, int] = field(default_factory=dict)

    @property
    def laggards(self) -> list[MatrixRow]:
        """Recipients that have not complied, the furthest behind first."""
        behind = [row for row in self.rows if not row.complied]
        return sorted(
            behind, key=lambda row: (row.recipient.acknowledged_at is not None, row.percent, row.recipient.name)
        )

    @property
    def complied(self) -> int:
        return sum(1 for row in self.rows if row.complied)

    @property
    def acknowledged(self) -> int:
        return sum(1 for row in self.rows if row.recipient.acknowledged_at is not None)


def status_matrix(
    *, visible_to: User, directive: Directive, group: str = "", kind: str = "", now: datetime | None = None
) -> Matrix:
    """Units × items for ``directive`` as ``visible_to`` may see it, with progress per group."""
    now = now or timezone.now()
    items = list(item_list(directive=directive))
    recipients = list(recipient_list(visible_to=visible_to, directive=directive, group=group, kind=kind))
    reports: dict[int, dict[int, ItemReport]] = defaultdict(dict)
    for report in ItemReport.objects.filter(recipient__in=[r.id for r in recipients]).only(
        "id", "recipient_id", "item_id", "status", "review", "auto_verdict"
    ):
        reports[report.recipient_id][report.item_id] = report
    rows: list[MatrixRow] = []
    counts = dict.fromkeys(STATE_ORDER, 0)
    groups: dict[str, GroupProgress] = {}
    for recipient in recipients:
        row = MatrixRow(recipient=recipient, cells={})
        for item in items:
            found = reports[recipient.id].get(item.id)
            if found is None:
                row.cells[item.id] = None
                continue
            cell = cell_for(found, due_at=directive.report_due_at, now=now)
            row.cells[item.id] = cell
            row.total += 1
            row.complete += cell.complete
            row.conflicts += cell.conflict
            counts[cell.state] += 1
        rows.append(row)
        progress = groups.setdefault(row.group_key, GroupProgress(key=row.group_key, name=row.group_name))
        progress.recipients += 1
        progress.acknowledged += recipient.acknowledged_at is not None
        progress.complied += row.complied
        progress.items_complete += row.complete
        progress.items_total += row.total
    return Matrix(
        directive=directive, items=items, rows=rows, computed_at=now, groups=list(groups.values()), state_counts=counts
    )


# --- history -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    recipient: Recipient
    complete: int
    total: int
    complied: bool


def owner_history(
    *, visible_to: User, unit_id: int | None = None, organization_id: int | None = None, now: datetime | None = None
) -> list[HistoryEntry]:
    """One unit's (or organisation's) receipts across directives, newest first, with how far each got."""
    now = now or timezone.now()
    recipients = recipients_visible(visible_to).exclude(directive__status=DirectiveStatus.DRAFT)
    if unit_id is not None:
        recipients = recipients.filter(unit_id=unit_id)
    elif organization_id is not None:
        recipients = recipients.filter(organization_id=organization_id)
    else:
        return []
    entries = []
    for recipient in recipients.select_related("directive", "unit", "organization").order_by("-directive__issued_on"):
        cells = [
            cell_for(report, due_at=recipient.directive.report_due_at, now=now)
            for report in recipient.reports.only("status", "review", "auto_verdict")
        ]
        done = sum(cell.complete for cell in cells)
        entries.append(
            HistoryEntry(
                recipient=recipient, complete=done, total=len(cells), complied=bool(cells) and done == len(cells)
            )
        )
    return entries


def groups_for_filter() -> QuerySet[UnitGroup]:
    return UnitGroup.objects.order_by("order", "code")
