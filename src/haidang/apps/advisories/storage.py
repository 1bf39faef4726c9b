"""Where remediation evidence lives: under MEDIA_ROOT/warnings, with no URL (served only by a checking view)."""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def evidence_storage() -> FileSystemStorage:
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "warnings", base_url=None)


def stored_name(system_id: int) -> str:
    # A random name: nothing the uploader typed reaches the file system.
    return f"{system_id}/{uuid.uuid4().hex}"
