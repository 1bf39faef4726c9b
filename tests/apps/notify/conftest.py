from __future__ import annotations

from tests.apps.notify.receivers import allow_private, closed_port, receiver, smtp_sink

__all__ = ["allow_private", "closed_port", "receiver", "smtp_sink"]
