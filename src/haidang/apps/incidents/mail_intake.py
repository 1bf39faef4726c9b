"""Incidents reported by e-mail to the department's mailbox.

The mail system hands each message to ``haidang incidents mail-in`` on stdin: a postfix ``pipe``
transport for a local mailbox, or ``fetchmail --mda "haidang incidents mail-in"`` to poll an IMAP
mailbox elsewhere (fetchmail keeps the message when the command exits 75, and bounces on 65).

The message is parsed with the standard library, bounded in size; the sender is matched to an account
(then the account's unit or company) or to a unit's contact address. Attachments pass the same checks
as uploads; one that fails is recorded in the timeline instead of being silently lost, and the original
message is kept as ``message.eml`` so nothing the sender wrote is lost. A message delivered twice (same
Message-ID) returns the incident it already opened.
"""

from __future__ import annotations

import hashlib
import html
import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from haidang.apps.accounts.models import Role, User
from haidang.apps.incidents import services
from haidang.apps.incidents.models import Category, Incident, Severity, Source, TimelineKind
from haidang.apps.registry.models import Organization, Unit

MAX_PARTS = 50
_TAGS = re.compile(r"<[^>]+>")


class MailRejectedError(ValueError):
    """The message cannot become an incident (too large, or not an e-mail at all)."""


def incident_from_email(raw: bytes) -> Incident:
    """Open an incident from a raw RFC 5322 message (or return the one this message already opened)."""
    if len(raw) > settings.HAIDANG_INCIDENT_MAIL_MAX_BYTES:
        raise MailRejectedError(_("Thư quá lớn."))
    message = BytesParser(policy=policy.default).parsebytes(raw)
    if not isinstance(message, EmailMessage) or not (message["From"] or message["Subject"]):
        raise MailRejectedError(_("Nội dung không phải là một thư điện tử."))
    message_id = str(message.get("Message-ID", "")).strip() or hashlib.sha256(raw).hexdigest()
    dedupe_key = f"email:{message_id}"[:200]
    existing = Incident.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    return _open(message, raw, dedupe_key)


@transaction.atomic
def _open(message: EmailMessage, raw: bytes, dedupe_key: str) -> Incident:
    sender_name, sender = parseaddr(str(message.get("From", "")))
    user, unit, organization = _match_sender(sender.lower())
    subject = " ".join(str(message.get("Subject", "")).split())[:300] or _("(Thư không có tiêu đề)")
    body = _body_text(message)
    description = _("Người gửi: %(sender)s\n\n%(body)s") % {
        "sender": f"{sender_name} <{sender}>".strip(),
        "body": body,
    }
    incident = services.incident_create(
        actor=None,
        source=Source.EMAIL,
        unit=unit,
        title=subject,
        description=description[:20_000],
        category=Category.OTHER,
        severity=Severity.MEDIUM,
        organization=organization,
    )
    incident.dedupe_key = dedupe_key
    incident.reporter_name = sender_name[:200]
    incident.reporter_contact = sender[:200]
    incident.created_by = user
    incident.save(update_fields=["dedupe_key", "reporter_name", "reporter_contact", "created_by"])
    _attach_parts(incident, message)
    _keep_original(incident, raw)
    return incident


def _match_sender(address: str) -> tuple[User | None, Unit | None, Organization | None]:
    if not address:
        return None, None, None
    user = User.objects.filter(email__iexact=address, is_active=True).select_related("unit", "organization").first()
    if user is not None:
        unit = user.unit if user.role == Role.UNIT and user.unit and user.unit.is_active else None
        organization = user.organization if user.role == Role.TELECOM else None
        return user, unit, organization
    units = list(Unit.objects.filter(contact_email__iexact=address, status="active")[:2])
    return None, (units[0] if len(units) == 1 else None), None


def _body_text(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError):  # an unknown or lying charset
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""
    text = str(content)
    if part.get_content_subtype() == "html":
        text = html.unescape(_TAGS.sub(" ", text))
    return text.strip()[:15_000]


def _attach_parts(incident: Incident, message: EmailMessage) -> None:
    for number, part in enumerate(message.iter_attachments()):
        name = part.get_filename() or f"tep-{number + 1}"
        if number >= MAX_PARTS:
            _skipped(incident, name, _("Thư có quá nhiều tệp đính kèm."))
            continue
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            continue
        try:
            with transaction.atomic():
                services.attachment_add_bytes(actor=None, incident=incident, name=name, content=payload)
        except ValidationError as exc:
            _skipped(incident, name, " ".join(exc.messages))


def _skipped(incident: Incident, name: str, reason: str) -> None:
    services.timeline_system_note(
        incident,
        kind=TimelineKind.ATTACHMENT,
        body=_("Không lưu tệp “%(name)s”: %(reason)s") % {"name": name[:200], "reason": reason},
    )


def _keep_original(incident: Incident, raw: bytes) -> None:
    try:
        with transaction.atomic():
            services.attachment_add_bytes(actor=None, incident=incident, name="message.eml", content=raw)
    except ValidationError as exc:
        _skipped(incident, "message.eml", " ".join(exc.messages))
