"""Evidence a recipient attaches to a report (directive items, warning systems): a checked file or a link.

One place decides what an uploaded file may be (by content, like incident attachments) and what a link
may be (http or https, at most 1,000 characters), with the same Vietnamese messages everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

from haidang.apps.incidents.attachments import CheckedFile, check_file

if TYPE_CHECKING:
    from django.core.files import File

    Upload = File[Any]

MAX_LINK = 1_000


def checked_upload(upload: Upload) -> CheckedFile:
    """The upload checked by content; a refusal is a ValidationError on the ``file`` field."""
    upload.open("rb")
    try:
        return check_file(upload.name or "", upload, declared_size=upload.size)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc


def checked_link(url: str) -> str:
    """An http(s) link of at most 1,000 characters; a refusal is a ValidationError on the ``url`` field."""
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise ValidationError({"url": _("Đường dẫn phải là địa chỉ http:// hoặc https:// hợp lệ.")}) from exc
    if len(url) > MAX_LINK:
        raise ValidationError({"url": _("Đường dẫn tối đa 1.000 ký tự.")})
    return url
