"""Checking uploaded files by what they contain, and keeping them where the web server never serves them.

A file is accepted when its bytes are one of the allowed types (images, PDF, DOCX, XLSX, ZIP, plain
text/logs, e-mail messages) AND its extension names that same type, so ``invoice.pdf`` that is really
an executable, or a PNG renamed ``.pdf``, is refused. Downloads always go through a view that checks
the incident's visibility and sends the file as an attachment.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import filetype  # type: ignore[import-untyped]
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _

#: Detected type → extensions a file of that type may carry.
ALLOWED_TYPES: dict[str, frozenset[str]] = {
    "image/jpeg": frozenset({"jpg", "jpeg", "jfif"}),
    "image/png": frozenset({"png"}),
    "image/gif": frozenset({"gif"}),
    "image/webp": frozenset({"webp"}),
    "image/bmp": frozenset({"bmp"}),
    "image/tiff": frozenset({"tif", "tiff"}),
    "application/pdf": frozenset({"pdf"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": frozenset({"docx"}),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": frozenset({"xlsx"}),
    "application/zip": frozenset({"zip"}),
    "text/plain": frozenset({"txt", "log", "csv"}),
    "message/rfc822": frozenset({"eml"}),
}
ALLOWED_EXTENSIONS = sorted({ext for exts in ALLOWED_TYPES.values() for ext in exts})
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,75}:[ \t]", re.MULTILINE)
_MAIL_HEADERS = (b"from:", b"received:", b"message-id:", b"subject:", b"return-path:", b"date:")


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    content: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def max_bytes() -> int:
    return int(settings.HAIDANG_ATTACHMENT_MAX_BYTES)


def safe_name(raw: str) -> str:
    """The file name as the user knows it, minus any path and control characters (kept for display only)."""
    name = re.split(r"[\\/]", raw or "")[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    return name.strip().strip(".")[:200] or "tep-dinh-kem"


def check_file(name: str, stream: Readable, *, declared_size: int | None = None) -> CheckedFile:
    """Read at most the size limit from ``stream`` and return the file if its content is allowed."""
    limit = max_bytes()
    if declared_size is not None and declared_size > limit:
        raise ValidationError(_too_big(limit), code="too_big")
    content = stream.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(_too_big(limit), code="too_big")
    if not content:
        raise ValidationError(_("Tệp “%(name)s” đang trống.") % {"name": safe_name(name)}, code="empty")
    clean_name = safe_name(name)
    extension = Path(clean_name).suffix.lower().lstrip(".")
    detected = _detect(content, extension)
    allowed = ALLOWED_TYPES.get(detected or "")
    if allowed is None:
        raise ValidationError(
            _("Không nhận loại tệp “%(name)s”. Chỉ nhận: %(types)s.")
            % {"name": clean_name, "types": ", ".join(ALLOWED_EXTENSIONS)},
            code="type",
        )
    if extension not in allowed:
        raise ValidationError(
            _("Phần mở rộng của tệp “%(name)s” không khớp với nội dung (nội dung là %(kind)s).")
            % {"name": clean_name, "kind": "/".join(sorted(allowed)).upper()},
            code="extension",
        )
    return CheckedFile(
        name=clean_name, content_type=detected or "", content=content, sha256=hashlib.sha256(content).hexdigest()
    )


def _too_big(limit: int) -> str:
    return _("Tệp quá lớn: tối đa %(mb)s MB mỗi tệp.") % {"mb": f"{limit / 1024 / 1024:g}"}


def _detect(content: bytes, extension: str) -> str | None:
    kind = filetype.guess(content)
    if kind is not None:
        return str(kind.mime)
    if not _is_text(content):
        return None
    # Plain text has no magic number; an e-mail is text that starts with header lines.
    if extension == "eml":
        return "message/rfc822" if _looks_like_mail(content) else None
    return "text/plain"


def _is_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        # E-mails and logs may carry 8-bit bytes of another charset; accept when control bytes are rare.
        controls = sum(1 for byte in content[:65536] if byte < 9 or 13 < byte < 32)
        return controls == 0
    return True


def _looks_like_mail(content: bytes) -> bool:
    head = content[:65536].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    first = head.lstrip().split(b"\n", 1)[0]
    lowered = head.lower()
    return bool(_HEADER_LINE.match(first + b" ")) and any(
        line.lstrip().startswith(name) for line in lowered.splitlines() for name in _MAIL_HEADERS
    )


def attachment_storage() -> FileSystemStorage:
    """Files live under MEDIA_ROOT/incidents, with no URL: they are only ever served by the download view."""
    return FileSystemStorage(location=Path(settings.MEDIA_ROOT) / "incidents", base_url=None)


def stored_name(incident_id: int) -> str:
    # A random name: nothing the uploader typed reaches the file system.
    return f"{incident_id}/{uuid.uuid4().hex}"
