"""Read one e-mail message on stdin and open an incident from it (``| haidang manage incidents_mail_in``).

Suitable for a postfix ``pipe`` transport: exit status 0 when the incident exists (also for a repeat),
65 (EX_DATAERR, postfix bounces) when the message is refused, 75 (EX_TEMPFAIL, postfix retries) when
the database fails.
"""

from __future__ import annotations

import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from haidang.apps.incidents.mail_intake import MailRejectedError, incident_from_email

EX_DATAERR = 65
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Đọc một thư điện tử từ stdin và tạo sự cố (dùng với postfix pipe)."

    def handle(self, *args: Any, **options: Any) -> None:
        limit = settings.HAIDANG_INCIDENT_MAIL_MAX_BYTES
        raw = sys.stdin.buffer.read(limit + 1)
        try:
            incident = incident_from_email(raw)
        except MailRejectedError as exc:
            raise CommandError(str(exc), returncode=EX_DATAERR) from exc
        except DatabaseError as exc:
            raise CommandError(f"database unavailable: {exc}", returncode=EX_TEMPFAIL) from exc
        self.stdout.write(incident.reference)
