"""An incident's initial and final reports as official documents (DOCX and PDF).

The items follow the national forms of Thông tư 20/2017/TT-BTTTT (Phụ lục: "Báo cáo ban đầu sự cố
an toàn thông tin mạng" and "Báo cáo kết thúc ứng phó sự cố"): the reporting unit and its contact,
the systems hit (owner, level, hosting, operator), what happened and when, its classification,
impact, personal data, indicators, measures taken, requests for support, and for the final report
the timeline and results. Items the platform cannot know are left as dotted lines for the officer.
The layout is the engine's (Nghị định 30/2020/NĐ-CP); the agency comes from settings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Literal

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils import timezone

from haidang.apps.downloads import document_response
from haidang.apps.incidents.models import Incident, Queue
from haidang.engines.docs import (
    Block,
    BulletList,
    Heading,
    Issuer,
    LabeledField,
    OfficialDocument,
    Paragraph,
    Signer,
    Table,
    render_docx,
    render_pdf,
)

ReportKind = Literal["initial", "final"]
REPORT_KINDS: tuple[str, ...] = ("initial", "final")
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
SUMMARIES = {
    "initial": "Ban đầu về sự cố an toàn thông tin mạng",
    "final": "Kết thúc ứng cứu sự cố an toàn thông tin mạng",
}
FILE_STEMS = {"initial": "bao-cao-ban-dau", "final": "bao-cao-ket-thuc"}
BLANK = "…" * 20  # a line the officer completes by hand
MAX_TIMELINE = 200
MAX_TIMELINE_TEXT = 500


def report_response(incident: Incident, kind: str, fmt: str) -> HttpResponse:
    """The report as a download: ``kind`` "initial"|"final", ``fmt`` "docx"|"pdf" (else 404).

    The caller has already decided that the person may see ``incident``.
    """
    if kind not in REPORT_KINDS or fmt not in CONTENT_TYPES:
        raise Http404
    document = incident_report_document(incident, kind)
    body = render_docx(document) if fmt == "docx" else render_pdf(document)
    reference = re.sub(r"[^A-Za-z0-9]+", "-", incident.reference).strip("-") or str(incident.pk)
    return document_response(body, content_type=CONTENT_TYPES[fmt], filename=f"{FILE_STEMS[kind]}-{reference}.{fmt}")


def incident_report_document(incident: Incident, kind: str) -> OfficialDocument:
    """The initial ("initial") or final ("final") report of ``incident`` as an official document."""
    if kind not in REPORT_KINDS:
        raise ValueError(f"unknown report kind {kind!r}")
    body = _initial_body(incident) if kind == "initial" else _final_body(incident)
    symbol = "-".join(part for part in ("BC", settings.HAIDANG_ORG_SYMBOL) if part)
    return OfficialDocument(
        issuer=Issuer(name=settings.HAIDANG_ORG_NAME, parent=settings.HAIDANG_ORG_PARENT),
        kind="Báo cáo",
        summary=f"{SUMMARIES[kind]}\n(Sự cố số {incident.reference})",
        place=settings.HAIDANG_ORG_PLACE,
        issued_on=timezone.localdate(),
        symbol=symbol,
        signer=Signer(title=settings.HAIDANG_REPORT_SIGNER_TITLE),
        body=body,
        recipients=_recipients(incident),
        author=settings.HAIDANG_ORG_NAME,
    )


# --- shared parts ------------------------------------------------------------------------------


def _when(value: datetime | None) -> str:
    if value is None:
        return BLANK
    local = timezone.localtime(value)
    return f"{local:%H:%M} ngày {local:%d/%m/%Y}"


def _yes_no(value: bool) -> str:
    return "Có" if value else "Không"


def _reporter(incident: Incident) -> tuple[Block, ...]:
    """Mục 1–2 of the forms: who reports and whom to call back."""
    unit, organization = incident.unit, incident.organization
    if unit is not None:
        return (
            LabeledField("Tên đơn vị", unit.name),
            LabeledField("Địa chỉ", unit.address or BLANK),
            LabeledField("Người liên hệ", unit.contact_name or BLANK),
            LabeledField("Điện thoại", unit.contact_phone or BLANK),
            LabeledField("Thư điện tử", unit.contact_email or BLANK),
        )
    if organization is not None:
        return (
            LabeledField("Tên doanh nghiệp", organization.name),
            LabeledField("Người liên hệ", organization.contact_name or BLANK),
            LabeledField("Điện thoại", organization.contact_phone or BLANK),
            LabeledField("Thư điện tử", organization.contact_email or BLANK),
        )
    return (
        LabeledField("Người phản ánh", incident.reporter_name or BLANK),
        LabeledField("Liên hệ", incident.reporter_contact or BLANK),
        LabeledField("Nguồn tiếp nhận", incident.get_source_display()),
    )


def _systems(incident: Incident) -> tuple[Block, ...]:
    """Mục 3: the information systems affected."""
    systems = list(incident.systems.select_related("unit", "operator").order_by("name"))
    blocks: list[Block] = []
    if systems:
        rows = tuple(
            (
                str(number),
                system.name,
                system.unit.name,
                f"Cấp độ {system.security_level}" if system.security_level else "Chưa xác định",
                " - ".join(part for part in (system.get_hosting_display(), system.hosting_detail) if part),
                system.operator.name if system.operator else "Đơn vị tự vận hành",
            )
            for number, system in enumerate(systems, start=1)
        )
        columns = ("STT", "Tên hệ thống", "Đơn vị chủ quản", "Cấp độ", "Nơi đặt", "Đơn vị vận hành")
        blocks.append(Table(columns, rows))
    else:
        blocks.append(LabeledField("Tên hệ thống", BLANK))
    if incident.subject_url:
        blocks.append(LabeledField("Địa chỉ liên quan (URL, tên miền, số điện thoại)", incident.subject_url))
    return tuple(blocks)


def _incident_facts(incident: Incident) -> tuple[Block, ...]:
    """Mục 4–5: what happened, when, and its preliminary classification."""
    return (
        LabeledField("Số hiệu sự cố", incident.reference),
        LabeledField("Tên sự cố", incident.title),
        LabeledField("Phân loại sơ bộ", incident.get_category_display()),
        LabeledField("Mức độ", incident.get_severity_display()),
        LabeledField("Thời điểm phát hiện", _when(incident.discovered_at)),
        LabeledField("Thời điểm báo cáo", _when(incident.reported_at)),
        LabeledField("Liên quan đến dữ liệu cá nhân", _yes_no(incident.personal_data)),
        LabeledField("Trạng thái hiện tại", incident.get_status_display()),
        LabeledField("Mô tả sơ bộ", ""),
        Paragraph(incident.description or BLANK),
    )


def _indicators(incident: Incident) -> tuple[Block, ...]:
    indicators = list(incident.indicators.all()[:200])
    if not indicators:
        return (Paragraph("Chưa ghi nhận dấu hiệu nhận biết."),)
    rows = tuple(
        (str(number), item.get_kind_display(), item.value, item.note) for number, item in enumerate(indicators, start=1)
    )
    return (Table(("STT", "Loại", "Giá trị", "Ghi chú"), rows),)


def _measures(incident: Incident) -> tuple[Block, ...]:
    """Measures taken so far: the incident's tasks, done or not."""
    tasks = list(incident.tasks.all()[:200])
    if not tasks:
        return (Paragraph(BLANK),)
    return (
        BulletList(tuple(f"{task.title} ({'đã hoàn thành' if task.done else 'đang thực hiện'})" for task in tasks)),
    )


def _support(incident: Incident) -> tuple[Block, ...]:
    blocks: list[Block] = []
    if incident.beyond_capacity:
        blocks.append(
            Paragraph(
                "Sự cố vượt quá khả năng xử lý của đơn vị"
                f" (ghi nhận {_when(incident.beyond_capacity_at)}); đề nghị hỗ trợ ứng cứu."
            )
        )
    elif incident.queue == Queue.DEPARTMENT:
        blocks.append(Paragraph("Sự cố do Sở trực tiếp điều phối ứng cứu."))
    escalations = list(incident.escalations.all()[:50])
    if escalations:
        blocks.append(
            BulletList(
                tuple(
                    f"Văn bản số {item.document_number} ngày {item.document_date:%d/%m/%Y} gửi {item.recipient}"
                    for item in escalations
                )
            )
        )
    return tuple(blocks) or (Paragraph(BLANK),)


def _recipients(incident: Incident) -> tuple[str, ...]:
    # Role names from Thông tư 20/2017 rather than agency names, which change with reorganisations.
    owners: Iterable[str] = [incident.unit.name] if incident.unit else []
    return (
        "Cơ quan điều phối quốc gia về ứng cứu sự cố (để b/c)",
        *(f"{name} (để phối hợp)" for name in owners),
        "Lưu: VT",
    )


# --- the two reports ---------------------------------------------------------------------------


def _initial_body(incident: Incident) -> tuple[Block, ...]:
    return (
        Heading("I. THÔNG TIN ĐƠN VỊ BÁO CÁO SỰ CỐ"),
        *_reporter(incident),
        Heading("II. THÔNG TIN HỆ THỐNG BỊ SỰ CỐ"),
        *_systems(incident),
        Heading("III. THÔNG TIN VỀ SỰ CỐ"),
        *_incident_facts(incident),
        Heading("IV. DẤU HIỆU NHẬN BIẾT (IOC)"),
        *_indicators(incident),
        Heading("V. CÁC BIỆN PHÁP ĐÃ TRIỂN KHAI"),
        *_measures(incident),
        Heading("VI. KIẾN NGHỊ, ĐỀ XUẤT HỖ TRỢ"),
        *_support(incident),
    )


def _timeline(incident: Incident) -> tuple[Block, ...]:
    entries = list(incident.timeline.order_by("-at", "-id")[:MAX_TIMELINE])[::-1]
    if not entries:
        return (Paragraph(BLANK),)
    rows = tuple((_when(entry.at), entry.get_kind_display(), entry.body[:MAX_TIMELINE_TEXT]) for entry in entries)
    return (Table(("Thời gian", "Diễn biến", "Nội dung"), rows),)


def _final_body(incident: Incident) -> tuple[Block, ...]:
    duration = ""
    if incident.resolved_at is not None:
        hours = (incident.resolved_at - incident.discovered_at).total_seconds() / 3600
        duration = f"{hours:.1f} giờ kể từ khi phát hiện"
    return (
        Heading("I. THÔNG TIN CHUNG"),
        *_reporter(incident),
        *_systems(incident),
        Heading("II. THÔNG TIN VỀ SỰ CỐ"),
        *_incident_facts(incident),
        Heading("III. QUÁ TRÌNH ỨNG CỨU"),
        LabeledField("Thời điểm khắc phục", _when(incident.resolved_at)),
        LabeledField("Thời gian khắc phục", duration or BLANK),
        LabeledField("Thời điểm kết thúc ứng cứu", _when(incident.closed_at)),
        *_timeline(incident),
        Heading("IV. CÁC BIỆN PHÁP ĐÃ ÁP DỤNG"),
        *_measures(incident),
        Heading("V. DẤU HIỆU NHẬN BIẾT (IOC)"),
        *_indicators(incident),
        Heading("VI. BÁO CÁO, ĐỀ NGHỊ HỖ TRỢ ĐÃ GỬI"),
        *_support(incident),
        Heading("VII. ĐÁNH GIÁ, KIẾN NGHỊ VÀ BÀI HỌC KINH NGHIỆM"),
        LabeledField("Nguyên nhân", BLANK),
        LabeledField("Thiệt hại, ảnh hưởng", BLANK),
        LabeledField("Kiến nghị, đề xuất", BLANK),
    )
