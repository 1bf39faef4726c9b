"""Reads of notifications, alerts, channels and the delivery log: who sees what is decided here.

- A notification and a personal channel are their owner's alone; anyone else gets 404.
- A unit's channels: the department's administrators and that unit's security officers.
- Alerts: administrators and duty officers see all; everyone else the alerts whose chain names them
  and the alerts of the units they may see (``registry.selectors.visible_unit_ids``).
- The delivery log: administrators only.
"""

from __future__ import annotations

from django.db.models import Exists, Model, OuterRef, Q, QuerySet

from haidang.apps.accounts.models import Role, User
from haidang.apps.notify.models import Alert, AlertEvent, AlertMember, Channel, DeliveryAttempt, Notification
from haidang.apps.registry.models import Unit
from haidang.apps.registry.selectors import visible_unit_ids

ALERT_READERS = frozenset({Role.ADMIN, Role.DUTY})


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


# --- notifications -------------------------------------------------------------------------------


def notifications_for(user: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    notifications = Notification.objects.filter(user=user) if _active(user) else Notification.objects.none()
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications


def unread_count(user: User) -> int:
    return notifications_for(user, unread_only=True).count()


# --- alerts --------------------------------------------------------------------------------------


def alert_list(*, visible_to: User, status: str = "") -> QuerySet[Alert]:
    alerts = Alert.objects.select_related("unit", "acknowledged_by")
    if not _active(visible_to):
        return alerts.none()
    if visible_to.role not in ALERT_READERS:
        in_chain = Exists(AlertMember.objects.filter(alert=OuterRef("pk"), user=visible_to))
        units = visible_unit_ids(visible_to)
        of_units = Q(unit__isnull=False) if units is None else Q(unit_id__in=units)
        alerts = alerts.filter(in_chain | of_units)
    if status:
        alerts = alerts.filter(status=status)
    return alerts


def alert_get(*, visible_to: User, alert_id: int) -> Alert:
    """The alert, or ``Alert.DoesNotExist`` when it does not exist or ``visible_to`` may not see it."""
    return alert_list(visible_to=visible_to).get(id=alert_id)


def alerts_for_subject(subject: Model) -> QuerySet[Alert]:
    """Every alert raised about ``subject`` (not scoped: the caller has already decided who sees it)."""
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(subject)
    return Alert.objects.filter(content_type=content_type, object_id=str(subject.pk))


def alert_chain(alert: Alert) -> list[list[User]]:
    """The chain as tiers of users, tier 0 first."""
    tiers: list[list[User]] = [[] for _ in range(alert.tier_count)]
    for member in AlertMember.objects.filter(alert=alert).select_related("user"):
        if member.tier < len(tiers):
            tiers[member.tier].append(member.user)
    return tiers


def alert_events(alert: Alert) -> QuerySet[AlertEvent]:
    return AlertEvent.objects.filter(alert=alert).select_related("actor")


def alert_attempts(alert: Alert) -> QuerySet[DeliveryAttempt]:
    return DeliveryAttempt.objects.filter(alert=alert).select_related("recipient", "unit")


def can_acknowledge(user: User, alert: Alert) -> bool:
    if not _active(user):
        return False
    return user.role in ALERT_READERS or AlertMember.objects.filter(alert=alert, user=user).exists()


# --- channels ------------------------------------------------------------------------------------


def managed_unit_ids(user: User) -> QuerySet[Unit, int]:
    """Units whose channels ``user`` may see and change: all for an administrator, their own for an officer."""
    if not _active(user):
        return Unit.objects.none().values_list("id", flat=True)
    if user.role == Role.ADMIN:
        return Unit.objects.values_list("id", flat=True)
    if user.role == Role.UNIT and user.unit_id is not None:
        return Unit.objects.filter(id=user.unit_id).values_list("id", flat=True)
    return Unit.objects.none().values_list("id", flat=True)


def can_manage_unit_channels(user: User, unit_id: int) -> bool:
    return managed_unit_ids(user).filter(id=unit_id).exists()


def channel_list(*, visible_to: User, unit_id: int | None = None) -> QuerySet[Channel]:
    """Without ``unit_id``: the person's own channels. With it: that unit's, when they manage it."""
    if not _active(visible_to):
        return Channel.objects.none()
    if unit_id is None:
        return Channel.objects.filter(user=visible_to)
    return Channel.objects.filter(unit_id=unit_id, unit_id__in=managed_unit_ids(visible_to))


def channel_get(*, visible_to: User, channel_id: int) -> Channel:
    """A channel the person owns or whose unit they manage; ``Channel.DoesNotExist`` otherwise."""
    if not _active(visible_to):
        raise Channel.DoesNotExist
    owned = Q(user=visible_to) | Q(unit_id__in=managed_unit_ids(visible_to))
    return Channel.objects.select_related("unit").get(owned, id=channel_id)


# --- delivery log --------------------------------------------------------------------------------


def delivery_attempt_list(
    *, visible_to: User, failed_only: bool = False, kind: str = "", search: str = ""
) -> QuerySet[DeliveryAttempt]:
    attempts = DeliveryAttempt.objects.select_related("recipient", "unit", "alert")
    if not _active(visible_to) or visible_to.role != Role.ADMIN:
        return attempts.none()
    if failed_only:
        attempts = attempts.filter(ok=False)
    if kind:
        attempts = attempts.filter(kind=kind)
    if search:
        attempts = attempts.filter(
            Q(target__icontains=search) | Q(recipient__email__icontains=search) | Q(detail__icontains=search)
        )
    return attempts
