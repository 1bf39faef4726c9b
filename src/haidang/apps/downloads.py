"""Responses that hand a file to the browser: always as an attachment, never sniffed, never cached.

Generated documents (reports) and stored uploads (incident attachments, directive evidence) both go
through here. Callers decide first that the person may see the file.
"""

from __future__ import annotations

from typing import IO, cast

from django.http import FileResponse, HttpResponse


def document_response(body: bytes, *, content_type: str, filename: str) -> HttpResponse:
    """A generated document; ``filename`` must already be plain ASCII."""
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def stored_file_response(handle: IO[bytes], *, filename: str, content_type: str) -> HttpResponse:
    """An uploaded file, streamed; a sandbox policy keeps it inert even if a browser opened it inline."""
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    # A streaming response; the access decorators are typed for HttpResponse.
    return cast("HttpResponse", response)
