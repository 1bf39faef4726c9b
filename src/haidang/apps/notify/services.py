"""Writes of notifications: in-app messages, alerts and their escalation, channels, deliveries.

Sending is never done inside a request or a transaction: each (message, channel) pair becomes one
``notify.deliver`` task, enqueued when the transaction commits, so a slow SMTP server delays nobody
and one failing channel does not hold up the others.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from haidang.apps.accounts.models import User
from haidang.apps.audit.services import audit_record
from haidang.apps.notify import delivery
from haidang.apps.notify.models import (
    Alert,
    AlertEvent,
    AlertEventKind,
    AlertMember,
    AlertStatus,
    Channel,
    DeliveryAttempt,
    Notification,
    Severity,
)
from haidang.apps.notify.selectors import can_acknowledge, can_manage_unit_channels
from haidang.apps.notify.targets import validate_target
from haidang.apps.registry.models import Unit

#: Most channels one person or one unit may have.
MAX_CHANNELS = 20
#: Most alerts one run of the escalation task handles; the rest wait a minute.
ESCALATION_BATCH = 500


# --- in-app notifications ------------------------------------------------------------------------


@transaction.atomic
def notify_users(
    users: Iterable[User],
    *,
    title: str,
    body: str,
    link: str = "",
    severity: str = "info",
    actor: User | None = None,
) -> list[Notification]:
    """An in-app notification for each active user, and delivery on each one's enabled channels."""
    created = _notify(list(users), title=title, body=body, link=link, severity=severity)
    if created:
        audit_record(
            acting_user=actor,
            action="notification.send",
            changes={"title": title[:200], "recipients": [n.user_id for n in created][:100]},
        )
    return created


def _notify(
    users: list[User], *, title: str, body: str, link: str, severity: str, alert: Alert | None = None
) -> list[Notification]:
    created: list[Notification] = []
    seen: set[int] = set()
    for user in users:
        if not user.is_active or user.id in seen:
            continue
        seen.add(user.id)
        notification = Notification(
            user=user, alert=alert, title=title[:300], body=body, link=link[:500], severity=severity
        )
        notification.full_clean()
        notification.save()
        created.append(notification)
        for channel_id in Channel.objects.filter(user=user, enabled=True).values_list("id", flat=True):
            _enqueue(channel_id=channel_id, notification_id=notification.id)
    return created


@transaction.atomic
def notification_mark_read(*, acting_user: User, notification: Notification) -> Notification:
    if notification.user_id != acting_user.id:
        raise PermissionDenied(_("Đây không phải thông báo của bạn."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit_record(acting_user=acting_user, action="notification.read", target=notification)
    return notification


@transaction.atomic
def notification_mark_all_read(*, acting_user: User) -> int:
    count = Notification.objects.filter(user=acting_user, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        audit_record(acting_user=acting_user, action="notification.read_all", changes={"count": count})
    return count


# --- alerts and escalation -----------------------------------------------------------------------


def default_ack_within(severity: str) -> timedelta | None:
    """How long tier 0 has before the alert moves on; None when this severity does not escalate."""
    minutes = {
        Severity.CRITICAL: settings.HAIDANG_ACK_MINUTES_CRITICAL,
        Severity.HIGH: settings.HAIDANG_ACK_MINUTES_HIGH,
    }.get(Severity(severity) if severity in Severity.values else Severity.INFO)
    return timedelta(minutes=minutes) if minutes and minutes > 0 else None


def alert_raise(
    *,
    chain: Sequence[Sequence[User]],
    title: str,
    body: str,
    link: str = "",
    severity: str = "high",
    ack_within: timedelta | None = None,
    subject: models.Model | None = None,
    unit: Unit | None = None,
    dedupe_key: str = "",
    unit_channels: bool = True,
) -> Alert:
    """Raise an alert: tier 0 of ``chain`` is told now (and the unit's channels, when a unit is given
    and ``unit_channels`` is true: an alert about a unit sent only to the department passes False).

    Unacknowledged after ``ack_within`` (default by severity: ``HAIDANG_ACK_MINUTES_*``), the
    escalation task tells the next tier, and so on; past the last tier the alert is ``exhausted``.
    An open alert with the same ``dedupe_key`` is returned as it is instead of raising a second one.
    """
    if dedupe_key:
        existing = Alert.objects.filter(dedupe_key=dedupe_key, status=AlertStatus.OPEN).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            return _alert_create(
                chain=chain,
                title=title,
                body=body,
                link=link,
                severity=severity,
                ack_within=ack_within if ack_within is not None else default_ack_within(severity),
                subject=subject,
                unit=unit,
                dedupe_key=dedupe_key,
                unit_channels=unit_channels,
            )
    except IntegrityError:
        # Another process raised the same open alert between our check and our insert.
        if dedupe_key:
            existing = Alert.objects.filter(dedupe_key=dedupe_key, status=AlertStatus.OPEN).first()
            if existing is not None:
                return existing
        raise


def _alert_create(
    *,
    chain: Sequence[Sequence[User]],
    title: str,
    body: str,
    link: str,
    severity: str,
    ack_within: timedelta | None,
    subject: models.Model | None,
    unit: Unit | None,
    dedupe_key: str,
    unit_channels: bool,
) -> Alert:
    tiers = _clean_chain(chain)
    now = timezone.now()
    alert = Alert(
        title=title[:300],
        body=body,
        link=link[:500],
        severity=severity,
        unit=unit,
        tier_count=len(tiers),
        ack_within=ack_within,
        next_escalation_at=now + ack_within if ack_within else None,
        dedupe_key=dedupe_key[:200],
        created_at=now,
    )
    if subject is not None:
        alert.content_type = ContentType.objects.get_for_model(subject)
        alert.object_id = str(subject.pk)
    alert.full_clean()
    alert.save()
    AlertMember.objects.bulk_create(
        AlertMember(alert=alert, user=user, tier=tier) for tier, users in enumerate(tiers) for user in users
    )
    AlertEvent.objects.create(alert=alert, kind=AlertEventKind.RAISED, tier=0 if tiers else None, at=now)
    audit_record(
        acting_user=None,
        action="alert.raise",
        target=alert,
        unit_id=unit.id if unit else None,
        changes={"severity": severity, "tiers": [[u.id for u in users] for users in tiers]},
    )
    if tiers:
        _notify_tier(alert, 0)
    if unit is not None and unit_channels:
        for channel_id in Channel.objects.filter(unit=unit, enabled=True).values_list("id", flat=True):
            _enqueue(channel_id=channel_id, alert_id=alert.id)
    return alert


def _clean_chain(chain: Sequence[Sequence[User]]) -> list[list[User]]:
    """Active users only, each once per tier; tiers left empty are dropped (the next one is told instead)."""
    tiers: list[list[User]] = []
    for users in chain:
        tier: list[User] = []
        for user in users:
            if user.is_active and all(user.id != other.id for other in tier):
                tier.append(user)
        if tier:
            tiers.append(tier)
    return tiers


def _notify_tier(alert: Alert, tier: int) -> list[Notification]:
    users = list(
        User.objects.filter(id__in=AlertMember.objects.filter(alert=alert, tier=tier).values("user_id"))
        .filter(is_active=True)
        .order_by("id")
    )
    link = reverse("web:notify_alert_detail", args=[alert.id])
    created: list[Notification] = []
    for user in users:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            body = alert.body
            if tier > 0:
                note = _(
                    "Cấp trước chưa xác nhận trong %(minutes)s phút nên cảnh báo được chuyển tới bạn (cấp %(tier)s)."
                )
                minutes = int(alert.ack_within.total_seconds() // 60) if alert.ack_within else 0
                body = f"{note % {'minutes': minutes, 'tier': tier + 1}}\n\n{body}".strip()
            created += _notify([user], title=alert.title, body=body, link=link, severity=alert.severity, alert=alert)
    return created


def alert_escalate(*, alert_id: int, now: datetime | None = None) -> bool:
    """Move one due alert to its next tier, or mark it exhausted. False when it was not due (any more).

    The conditional UPDATE is the claim: of two workers escalating the same alert, one wins.
    """
    now = now or timezone.now()
    alert = Alert.objects.filter(id=alert_id).first()
    due = alert is not None and alert.status == AlertStatus.OPEN and alert.next_escalation_at is not None
    if alert is None or not due or alert.next_escalation_at is None or alert.next_escalation_at > now:
        return False
    claim = Alert.objects.filter(
        id=alert.id,
        status=AlertStatus.OPEN,
        current_tier=alert.current_tier,
        next_escalation_at=alert.next_escalation_at,
    )
    next_tier = alert.current_tier + 1
    with transaction.atomic():
        if next_tier < alert.tier_count and alert.ack_within:
            if not claim.update(current_tier=next_tier, next_escalation_at=now + alert.ack_within):
                return False
            alert.refresh_from_db()
            AlertEvent.objects.create(alert=alert, kind=AlertEventKind.ESCALATED, tier=next_tier, at=now)
            audit_record(
                acting_user=None,
                action="alert.escalate",
                target=alert,
                unit_id=alert.unit_id,
                changes={"tier": next_tier},
            )
            _notify_tier(alert, next_tier)
            return True
        if not claim.update(status=AlertStatus.EXHAUSTED, next_escalation_at=None):
            return False
        alert.refresh_from_db()
        AlertEvent.objects.create(alert=alert, kind=AlertEventKind.EXHAUSTED, tier=alert.current_tier, at=now)
        audit_record(acting_user=None, action="alert.exhaust", target=alert, unit_id=alert.unit_id)
        return True


def alert_escalate_due(*, now: datetime | None = None) -> int:
    """Escalate every open alert whose time is up; returns how many moved."""
    now = now or timezone.now()
    due = Alert.objects.filter(status=AlertStatus.OPEN, next_escalation_at__lte=now).order_by("next_escalation_at")
    ids = list(due.values_list("id", flat=True)[:ESCALATION_BATCH])
    return sum(1 for alert_id in ids if alert_escalate(alert_id=alert_id, now=now))


@transaction.atomic
def alert_acknowledge(alert: Alert, *, user: User) -> Alert:
    """``user`` has the alert in hand: escalation stops. Idempotent for an acknowledged alert."""
    if not can_acknowledge(user, alert):
        raise PermissionDenied(
            _("Chỉ người có tên trong chuỗi nhận cảnh báo, cán bộ trực hoặc quản trị của Sở được xác nhận.")
        )
    now = timezone.now()
    won = Alert.objects.filter(id=alert.id, status__in=[AlertStatus.OPEN, AlertStatus.EXHAUSTED]).update(
        status=AlertStatus.ACKNOWLEDGED, acknowledged_by=user, acknowledged_at=now, next_escalation_at=None
    )
    alert.refresh_from_db()
    if won:
        AlertEvent.objects.create(
            alert=alert, kind=AlertEventKind.ACKNOWLEDGED, tier=alert.current_tier, actor=user, at=now
        )
        audit_record(acting_user=user, action="alert.acknowledge", target=alert, unit_id=alert.unit_id)
        Notification.objects.filter(alert=alert, user=user, read_at__isnull=True).update(read_at=now)
    return alert


# --- channels ------------------------------------------------------------------------------------


def _require_manager(acting_user: User, *, user: User | None, unit: Unit | None) -> None:
    if user is not None and user.id == acting_user.id:
        return
    if unit is not None and not acting_user.is_read_only and can_manage_unit_channels(acting_user, unit.id):
        return
    raise PermissionDenied(_("Bạn không có quyền thay đổi kênh thông báo này."))


@transaction.atomic
def channel_create(
    *,
    acting_user: User,
    kind: str,
    address: str,
    secret: str = "",
    name: str = "",
    user: User | None = None,
    unit: Unit | None = None,
) -> Channel:
    """A channel for ``user`` (their own) or for ``unit`` (its administrators and officers)."""
    _require_manager(acting_user, user=user, unit=unit)
    address, secret = address.strip(), secret.strip()
    channel = Channel(
        user=user, unit=unit, kind=kind, address=address, secret=secret, name=name.strip(), created_by=acting_user
    )
    channel.full_clean()
    validate_target(kind, address, secret, policy=delivery.address_policy())
    owned = Channel.objects.filter(user=user) if user is not None else Channel.objects.filter(unit=unit)
    if owned.filter(kind=kind, address=address).exists():
        raise ValidationError({"address": _("Kênh này đã có trong danh sách.")}, code="unique")
    if owned.count() >= MAX_CHANNELS:
        raise ValidationError(_("Mỗi người hoặc đơn vị có tối đa %(max)s kênh.") % {"max": MAX_CHANNELS})
    channel.save()
    audit_record(
        acting_user=acting_user,
        action="notify_channel.create",
        target=channel,
        unit_id=unit.id if unit else None,
        changes={"kind": kind, "target": channel.masked_target},
    )
    return channel


@transaction.atomic
def channel_set_enabled(*, acting_user: User, channel: Channel, enabled: bool) -> Channel:
    _require_manager(acting_user, user=channel.user, unit=channel.unit)
    if channel.enabled != enabled:
        channel.enabled = enabled
        channel.save(update_fields=["enabled"])
        audit_record(
            acting_user=acting_user,
            action="notify_channel.enable" if enabled else "notify_channel.disable",
            target=channel,
            unit_id=channel.unit_id,
        )
    return channel


@transaction.atomic
def channel_delete(*, acting_user: User, channel: Channel) -> None:
    _require_manager(acting_user, user=channel.user, unit=channel.unit)
    audit_record(
        acting_user=acting_user,
        action="notify_channel.delete",
        target=channel,
        unit_id=channel.unit_id,
        changes={"kind": channel.kind, "target": channel.masked_target},
    )
    channel.delete()


@transaction.atomic
def channel_test(*, acting_user: User, channel: Channel) -> None:
    """Send a test message on ``channel`` (in the background); its result shows on the channel."""
    _require_manager(acting_user, user=channel.user, unit=channel.unit)
    audit_record(acting_user=acting_user, action="notify_channel.test", target=channel, unit_id=channel.unit_id)
    _enqueue(channel_id=channel.id, test=True)


# --- delivery ------------------------------------------------------------------------------------


def _enqueue(
    *, channel_id: int, notification_id: int | None = None, alert_id: int | None = None, test: bool = False
) -> None:
    from haidang.apps.notify.tasks import deliver

    transaction.on_commit(lambda: deliver.delay(channel_id, notification_id, alert_id, test))


def delivery_run(
    *, channel_id: int, notification_id: int | None = None, alert_id: int | None = None, test: bool = False
) -> DeliveryAttempt | None:
    """Send one message on one channel and log the attempt. None when the channel is gone or disabled.

    Deliberately outside a transaction: nothing is locked while a remote server is slow.
    """
    channel = Channel.objects.select_related("user").filter(id=channel_id).first()
    if channel is None or not (channel.enabled or test):
        return None
    notification = Notification.objects.filter(id=notification_id).first() if notification_id else None
    alert = Alert.objects.filter(id=alert_id).first() if alert_id else None
    if notification is not None and alert is None:
        alert = notification.alert
    language = channel.user.preferred_language if channel.user else settings.LANGUAGE_CODE
    with translation.override(language or settings.LANGUAGE_CODE):
        message = _message(notification=notification, alert=alert, test=test)
        outcome = delivery.send(channel.kind, channel.address, channel.secret, message)
    now = timezone.now()
    attempt = DeliveryAttempt.objects.create(
        alert=alert,
        notification=notification,
        channel=channel,
        recipient=channel.user,
        unit_id=channel.unit_id,
        kind=channel.kind,
        target=channel.masked_target[:300],
        ok=outcome.ok,
        detail=outcome.detail,
        duration_ms=outcome.duration_ms,
        created_at=now,
    )
    Channel.objects.filter(id=channel.id).update(last_attempt_at=now, last_ok=outcome.ok, last_detail=outcome.detail)
    return attempt


def _message(*, notification: Notification | None, alert: Alert | None, test: bool) -> delivery.Message:
    source: Notification | Alert | None = notification if notification is not None else alert
    if test or source is None:
        return delivery.Message(
            title=_("Tin thử từ Hải Đăng"),
            body=_("Kênh nhận thông báo này hoạt động. Bạn sẽ nhận cảnh báo của Hải Đăng tại đây."),
        )
    severity = Severity(source.severity).label if source.severity in Severity.values else source.severity
    link = source.link
    if alert is not None and notification is None:
        link = reverse("web:notify_alert_detail", args=[alert.id])
    lines = [source.body.strip()]
    if link:
        absolute = f"{settings.HAIDANG_BASE_URL.rstrip('/')}{link}" if link.startswith("/") else link
        label = _("Xem và xác nhận đã nhận") if alert is not None else _("Xem chi tiết")
        lines.append(f"{label}: {absolute}")
    # apprise refuses an empty body; a title-only notification repeats its title.
    body = "\n\n".join(line for line in lines if line) or source.title
    return delivery.Message(title=f"[{severity}] {source.title}", body=body, severity=source.severity)
