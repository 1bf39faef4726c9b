"""What a citizen may attach to a report: a few screenshots or PDF files, checked by their bytes.

The public gets a narrower list than unit officers (no archives, office files or e-mails): a
screenshot or a PDF shows a scam or a defaced page, and anything richer is a place to hide malware.
The incidents service checks every file again with its own rules when it stores it.
"""

from __future__ import annotations

from pathlib import Path

import filetype  # type: ignore[import-untyped]
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_FILES = 3
MAX_FILE_BYTES = 5 * 1024 * 1024
SNIFF_BYTES = 8192
#: Detected type → extensions a file of that type may carry.
PUBLIC_TYPES: dict[str, frozenset[str]] = {
    "image/jpeg": frozenset({"jpg", "jpeg"}),
    "image/png": frozenset({"png"}),
    "image/gif": frozenset({"gif"}),
    "image/webp": frozenset({"webp"}),
    "application/pdf": frozenset({"pdf"}),
}
ACCEPT = ",".join(sorted(f".{ext}" for exts in PUBLIC_TYPES.values() for ext in exts))


def check_public_uploads(files: list[UploadedFile]) -> list[UploadedFile]:
    """The files when each is small enough and really is the image or PDF its name says; else errors."""
    if len(files) > MAX_FILES:
        raise ValidationError(_("Chỉ gửi tối đa %(n)s tệp.") % {"n": MAX_FILES}, code="too_many")
    errors = [error for upload in files if (error := _problem(upload))]
    if errors:
        raise ValidationError(errors)
    return files


def _problem(upload: UploadedFile) -> ValidationError | None:
    name = Path(upload.name or "").name[:100]
    if upload.size is None or upload.size > MAX_FILE_BYTES:
        return ValidationError(
            _("Tệp “%(name)s” quá lớn: tối đa %(mb)s MB mỗi tệp.") % {"name": name, "mb": MAX_FILE_BYTES // 2**20},
            code="too_big",
        )
    if upload.size == 0:
        return ValidationError(_("Tệp “%(name)s” đang trống.") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    extension = Path(name).suffix.lower().lstrip(".")
    allowed = PUBLIC_TYPES.get(str(kind.mime)) if kind is not None else None
    if allowed is None or extension not in allowed:
        return ValidationError(
            _("Tệp “%(name)s” không phải ảnh (JPG, PNG, GIF, WEBP) hay PDF như tên gọi của nó.") % {"name": name},
            code="type",
        )
    return None
