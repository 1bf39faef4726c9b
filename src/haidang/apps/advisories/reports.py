"""The vulnerability warning as the official letter the department signs and sends (DOCX, PDF).

The letter ("Số: 12/CB-ATTT … V/v cảnh báo lỗ hổng …") is an administrative document in the layout of
Nghị định 30/2020/NĐ-CP built by ``engines.docs``, like the directives' follow-up report: the
addressees, 1. the vulnerabilities (the warning's summary and a table of its CVEs), 2. the required
remediation and its deadline, 3. how to report on the platform, and an appendix with every recipient
unit and its affected systems.

The letter is the department's whole document: it lists every recipient, as the signed copy does.
Who may download it is the views' and API's decision. Every string goes through the engine, which
drops characters XML cannot carry and bounds lengths; python-docx and the PDF's HTML escape the rest.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from haidang.apps.advisories.models import (
    RemediationStatus,
    SecurityWarning,
    Severity,
    Vulnerability,
    WarningRecipient,
)
from haidang.engines.docs import (
    Block,
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

NOT_APPLICABLE = "—"
KEV_LABEL = "Đang bị khai thác (KEV)"
DEADLINE_LABEL = "Thời hạn hoàn thành khắc phục và báo cáo"
APPENDIX_TITLE = "Danh sách đơn vị và hệ thống bị ảnh hưởng"
CVE_COLUMNS = ("STT", "Mã CVE", "Mức độ", "CVSS", "Mô tả ngắn")
APPENDIX_COLUMNS = ("STT", "Đơn vị", "Hệ thống", "Phần mềm", "CVE")
#: The symbol used when the stored number has none ("12" rather than "12/CB-ATTT").
KIND_SYMBOL = "CB"
DESCRIPTION_EXCERPT = 300
#: Up to this many recipients are named after "Kính gửi:"; more are referred to the appendix.
NAMED_ADDRESSEES = 5
#: The engine caps a table at 200 rows; longer ones are split (the header repeats).
CHUNK = 200


def warning_docx(warning: SecurityWarning) -> bytes:
    """The warning letter as DOCX bytes."""
    return render_docx(warning_document(warning))


def warning_pdf(warning: SecurityWarning) -> bytes:
    """The warning letter as PDF bytes (WeasyPrint, the same layout as the DOCX)."""
    return render_pdf(warning_document(warning))


def warning_document(warning: SecurityWarning) -> OfficialDocument:
    """The warning letter as the docs engine's document, built from the warning as stored."""
    recipients = list(
        WarningRecipient.objects.filter(warning=warning).select_related("unit").prefetch_related("systems")
    )
    number, symbol = _number_and_symbol(warning.number)
    issuer = warning.issuer or settings.HAIDANG_ORG_NAME
    parent = warning.issuer_parent
    return OfficialDocument(
        issuer=Issuer(name=issuer, parent=parent),
        # A công văn has no kind line: the trích yếu "V/v …" is its only title.
        kind="",
        summary=_subject(warning.title),
        place=settings.HAIDANG_ORG_PLACE,
        issued_on=warning.issued_on,
        number=number,
        symbol=symbol,
        signer=Signer(title=warning.signer_title or settings.HAIDANG_REPORT_SIGNER_TITLE, name=warning.signer_name),
        body=(
            _addressees(recipients),
            *_vulnerabilities(warning, issuer),
            *_remediation(warning),
            *_reporting(),
            Paragraph("Đề nghị các cơ quan, đơn vị khẩn trương triển khai thực hiện./."),
            *_appendix(warning, recipients, issuer),
        ),
        recipients=("Như trên", *((f"{parent} (để báo cáo)",) if parent else ()), "Lưu: VT"),
        author=issuer,
    )


# --- the body ----------------------------------------------------------------------------------


def _addressees(recipients: Sequence[WarningRecipient]) -> Paragraph:
    if not recipients:
        return Paragraph("Kính gửi: Các cơ quan, đơn vị có liên quan.")
    if len(recipients) == 1:
        return Paragraph(f"Kính gửi: {recipients[0].unit.name}.")
    if len(recipients) <= NAMED_ADDRESSEES:
        names = [f"- {r.unit.name}{'.' if i == len(recipients) - 1 else ';'}" for i, r in enumerate(recipients)]
        return Paragraph("\n".join(("Kính gửi:", *names)))
    return Paragraph("Kính gửi: Các cơ quan, đơn vị có tên tại Phụ lục kèm theo.")


def _vulnerabilities(warning: SecurityWarning, issuer: str) -> tuple[Block, ...]:
    vulnerabilities = sorted(
        warning.vulnerabilities.all(),
        key=lambda v: (not v.in_kev, -(v.cvss_score or 0), v.cve_id),
    )
    blocks: list[Block] = [
        Heading("1. Thông tin về lỗ hổng"),
        Paragraph(
            f"{issuer} cảnh báo các cơ quan, đơn vị về lỗ hổng bảo mật ảnh hưởng tới hệ thống thông tin"
            " của các cơ quan, đơn vị có tên tại Phụ lục kèm theo, cụ thể như sau:"
        ),
        LabeledField("Mức độ", _severity_label(warning.severity)),
        Paragraph(_paragraphs(warning.summary)),
    ]
    if vulnerabilities:
        rows = [_cve_row(number, v) for number, v in enumerate(vulnerabilities, start=1)]
        blocks += [Paragraph("Danh sách lỗ hổng:"), *_tables(CVE_COLUMNS, rows)]
    if any(v.in_kev for v in vulnerabilities):
        blocks.append(
            Paragraph(
                f"Lỗ hổng có ghi chú “{KEV_LABEL}” nằm trong Danh mục các lỗ hổng đang bị khai thác trong"
                " thực tế (Known Exploited Vulnerabilities - KEV) của CISA, cần được ưu tiên khắc phục ngay."
            )
        )
    return tuple(blocks)


def _cve_row(number: int, vulnerability: Vulnerability) -> tuple[str, ...]:
    level = _severity_label(vulnerability.cvss_severity.lower()) if vulnerability.cvss_severity else NOT_APPLICABLE
    if vulnerability.in_kev:
        level = f"{level}\n{KEV_LABEL}"
    score = f"{vulnerability.cvss_score:.1f}" if vulnerability.cvss_score is not None else NOT_APPLICABLE
    description = _excerpt(vulnerability.description) or NOT_APPLICABLE
    return (str(number), vulnerability.cve_id, level, score, description)


def _remediation(warning: SecurityWarning) -> tuple[Block, ...]:
    return (
        Heading("2. Yêu cầu khắc phục"),
        Paragraph(_paragraphs(warning.action)),
        LabeledField(DEADLINE_LABEL, deadline_text(warning.deadline)),
    )


def _reporting() -> tuple[Block, ...]:
    statuses = ", ".join(
        str(status.label).lower()
        for status in (
            RemediationStatus.PATCHED,
            RemediationStatus.MITIGATED,
            RemediationStatus.NOT_APPLICABLE,
            RemediationStatus.RISK_ACCEPTED,
        )
    )
    return (
        Heading("3. Báo cáo kết quả"),
        Paragraph(
            "Các cơ quan, đơn vị xác nhận đã nhận văn bản và báo cáo kết quả khắc phục trên nền tảng Hải Đăng"
            " đối với từng hệ thống có tên tại Phụ lục: tình trạng xử lý"
            f" ({statuses}), phiên bản phần mềm sau khi vá (nếu có), kèm theo minh chứng (ảnh chụp màn hình"
            " phiên bản, nhật ký cập nhật hoặc kết quả kiểm tra lại)."
        ),
        Paragraph(
            "Trường hợp chưa thể khắc phục trong thời hạn, đơn vị báo cáo rõ lý do và các biện pháp giảm thiểu"
            " tạm thời đã áp dụng."
        ),
    )


def _appendix(warning: SecurityWarning, recipients: Sequence[WarningRecipient], issuer: str) -> tuple[Block, ...]:
    # The engine has no pages after the signature: the appendix closes the body instead.
    reference = f"số {warning.number} " if warning.number else ""
    heading = (
        Heading("PHỤ LỤC"),
        Heading(APPENDIX_TITLE),
        Paragraph(f"(Kèm theo Văn bản {reference}ngày {warning.issued_on:%d/%m/%Y} của {issuer})"),
    )
    if not recipients:
        return (*heading, Paragraph("Chưa có đơn vị nhận cảnh báo."))
    rows: list[tuple[str, ...]] = []
    starts: set[int] = set()  # rows that begin a unit: they carry its number and name
    for number, recipient in enumerate(recipients, start=1):
        starts.add(len(rows))
        systems = list(recipient.systems.all())
        if not systems:
            rows.append((str(number), recipient.unit.name, NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE))
        for system in systems:
            cves = ", ".join(str(cve) for cve in system.cves) if isinstance(system.cves, list) else ""
            rows.append(
                (
                    str(number),
                    recipient.unit.name,
                    system.label or NOT_APPLICABLE,
                    system.software or NOT_APPLICABLE,
                    cves or NOT_APPLICABLE,
                )
            )
    # A unit's later systems leave its number and name blank, except at the top of a continued table.
    shown = [row if index in starts or index % CHUNK == 0 else ("", "", *row[2:]) for index, row in enumerate(rows)]
    return (*heading, *_tables(APPENDIX_COLUMNS, shown))


# --- shared parts ------------------------------------------------------------------------------


def deadline_text(deadline: datetime) -> str:
    """``trước 17:00 ngày 05/09/2026`` in local time."""
    local = timezone.localtime(deadline)
    return f"trước {local:%H:%M} ngày {local:%d/%m/%Y}"


def _number_and_symbol(stored: str) -> tuple[str, str]:
    """The stored "12/CB-ATTT" as the engine's number "12" and symbol "CB-ATTT"."""
    number, slash, symbol = stored.strip().partition("/")
    if slash and symbol.strip():
        return number.strip(), symbol.strip()
    default = "-".join(part for part in (KIND_SYMBOL, settings.HAIDANG_ORG_SYMBOL) if part)
    return number.strip(), default


def _subject(title: str) -> str:
    title = " ".join(title.split())
    return title if title[:3].lower() == "v/v" else f"V/v {title}"


def _severity_label(level: str) -> str:
    return str(Severity(level).label) if level in Severity.values else NOT_APPLICABLE


def _paragraphs(text: str) -> str:
    """Typed text with each line its own paragraph (the engine splits paragraphs at blank lines)."""
    lines = (line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n\n".join(line for line in lines if line)


def _excerpt(text: str) -> str:
    """At most :data:`DESCRIPTION_EXCERPT` characters of ``text``, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= DESCRIPTION_EXCERPT:
        return text
    cut = text[: DESCRIPTION_EXCERPT - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return (cut or text[: DESCRIPTION_EXCERPT - 1]) + "…"


def _tables(columns: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> tuple[Table, ...]:
    return tuple(Table(columns, tuple(rows[start : start + CHUNK])) for start in range(0, len(rows), CHUNK))
