"""Small real files of each kind, built in memory."""

from __future__ import annotations

import io
import zipfile

import docx

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
LOG = b"2026-09-02 03:14:07 sshd[812]: Failed password for root from 203.0.113.5 port 4242\n"
EML = b"From: a@example.vn\r\nTo: b@example.vn\r\nSubject: test\r\n\r\nBody\r\n"


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Báo cáo sự cố")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("access.log", LOG)
    return out.getvalue()
