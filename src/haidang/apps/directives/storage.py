"""Where evidence files live: under MEDIA_ROOT/directives, with no URL (served only by a view that checks access)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def evidence_storage() -> FileSystemStorage:
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "directives", base_url=None)


def stored_name(report_id: int) -> str:
    # A random name: nothing the uploader typed reaches the file system.
    return f"{report_id}/{uuid.uuid4().hex}"
