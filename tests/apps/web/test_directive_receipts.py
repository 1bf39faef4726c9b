"""A recipient's task list: receipt, reports, evidence, the department's review, and who may do what."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from haidang.apps.directives import services
from haidang.apps.directives.checks import refresh_auto_checks
from haidang.apps.directives.models import (
    Directive,
    Evidence,
    EvidenceKind,
    ItemReport,
    Recipient,
    ReportStatus,
    ReviewStatus,
)
from haidang.apps.monitoring.models import WatchState
from haidang.apps.registry.models import Unit
from tests.apps.directives.conftest import dispatched, draft
from tests.apps.incidents.files import PDF, PNG
from tests.apps.web.conftest import Login, sign_in
from tests.personas import World

__all__ = ["dispatched", "draft"]


@pytest.fixture
def login(db: None) -> Login:
    """A fresh client per persona: the department and the unit act in turns within one test."""
    return lambda user: sign_in(Client(), user)


def _receipt(directive: Directive, unit: Unit) -> Recipient:
    return Recipient.objects.get(directive=directive, unit=unit)


def _report(recipient: Recipient, code: str) -> ItemReport:
    return ItemReport.objects.get(recipient=recipient, item__code=code)


def _page(recipient: Recipient) -> str:
    return reverse("web:directive_recipient", args=[recipient.id])


def _post_report(client: Client, report: ItemReport, status: str, note: str = "") -> Any:
    return client.post(reverse("web:directive_report_update", args=[report.id]), {"status": status, "note": note})


def _post_evidence(client: Client, report: ItemReport, **data: Any) -> Any:
    return client.post(reverse("web:directive_evidence_add", args=[report.id]), data)


def _file_evidence(world: World, report: ItemReport) -> Evidence:
    return services.evidence_add(actor=world.officer_a, report=report, upload=SimpleUploadedFile("lich-truc.pdf", PDF))


# --- the recipient's officer -------------------------------------------------------------------


def test_it_lets_the_officer_acknowledge_report_and_add_evidence(
    login: Login, world: World, dispatched: Directive
) -> None:
    client = login(world.officer_a)
    receipt = _receipt(dispatched, world.unit_a)
    page = client.get(_page(receipt))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Xác nhận đã nhận văn bản" in body
    assert [row.report.item.code for row in page.context["rows"]] == [f"1{c}" for c in "abcdefgh"]

    response = client.post(reverse("web:directive_acknowledge", args=[receipt.id]))
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert receipt.acknowledged_by == world.officer_a

    report = _report(receipt, "1b")
    response = _post_report(client, report, "done", "Đã gửi văn bản yêu cầu nhà cung cấp.")
    assert response["Location"] == f"{_page(receipt)}#report-{report.id}"
    report.refresh_from_db()
    assert (report.status, report.review, report.reported_by) == ("done", ReviewStatus.SUBMITTED, world.officer_a)

    upload = SimpleUploadedFile("van-ban.pdf", PDF, content_type="application/pdf")
    assert _post_evidence(client, report, file=upload, url="", note="").status_code == 302
    assert _post_evidence(client, report, url="https://stp.example.gov.vn/tin-tuc/1").status_code == 302
    kinds = list(report.evidence.values_list("kind", flat=True))
    assert kinds == [EvidenceKind.FILE, EvidenceKind.LINK]

    body = client.get(_page(receipt)).content.decode()
    stored = report.evidence.get(kind=EvidenceKind.FILE)
    assert f'href="{reverse("web:directive_evidence", args=[stored.id])}"' in body
    assert "van-ban.pdf" in body
    assert '<a href="https://stp.example.gov.vn/tin-tuc/1" rel="noopener noreferrer nofollow" target="_blank"' in body
    assert "Đã gửi văn bản yêu cầu nhà cung cấp." in body
    assert "Xác nhận đã nhận văn bản" not in body


def test_it_requires_a_reason_for_not_applicable_and_keeps_the_choice(
    login: Login, world: World, dispatched: Directive
) -> None:
    client = login(world.officer_a)
    report = _report(_receipt(dispatched, world.unit_a), "1h")
    response = _post_report(client, report, "not_applicable")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ghi rõ lý do mục này không áp dụng với đơn vị." in body
    assert "Chưa lưu được mục 1h" in body
    assert re.search(rf'value="not_applicable"[^>]*id="report-{report.id}-status_\d"[^>]*checked', body)
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING


def test_it_lets_the_officer_delete_their_evidence(login: Login, world: World, dispatched: Directive) -> None:
    client = login(world.officer_a)
    report = _report(_receipt(dispatched, world.unit_a), "1c")
    evidence = _file_evidence(world, report)
    response = client.post(reverse("web:directive_evidence_delete", args=[evidence.id]))
    assert response.status_code == 302
    assert not Evidence.objects.filter(id=evidence.id).exists()


# --- tenancy and roles -------------------------------------------------------------------------


def test_it_hides_another_units_receipt(login: Login, world: World, dispatched: Directive) -> None:
    receipt = _receipt(dispatched, world.unit_a)
    report = _report(receipt, "1b")
    evidence = _file_evidence(world, report)
    client = login(world.officer_b)
    assert client.get(_page(receipt)).status_code == 404
    assert client.post(reverse("web:directive_acknowledge", args=[receipt.id])).status_code == 404
    assert _post_report(client, report, "done").status_code == 404
    assert _post_evidence(client, report, note="x").status_code == 404
    assert client.get(reverse("web:directive_evidence", args=[evidence.id])).status_code == 404
    assert client.post(reverse("web:directive_evidence_delete", args=[evidence.id])).status_code == 404
    assert client.post(reverse("web:directive_review", args=[report.id]), {"decision": "accept"}).status_code == 404
    assert client.get(_page(_receipt(dispatched, world.unit_b))).status_code == 200  # their own
    report.refresh_from_db()
    assert report.status == ReportStatus.PENDING


def test_it_lets_the_provider_of_the_unit_look_but_not_report(
    login: Login, world: World, dispatched: Directive
) -> None:
    receipt = _receipt(dispatched, world.unit_a)
    client = login(world.provider_officer)
    response = client.get(_page(receipt))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="report-form"' not in body
    assert 'data-testid="review-form"' not in body
    assert "Xác nhận đã nhận văn bản" not in body
    report = _report(receipt, "1b")
    assert _post_report(client, report, "done").status_code == 403
    assert _post_evidence(client, report, note="x").status_code == 403
    assert client.post(reverse("web:directive_acknowledge", args=[receipt.id])).status_code == 403
    assert client.get(_page(_receipt(dispatched, world.unit_b))).status_code == 404


def test_it_keeps_reporting_to_the_recipient_and_reviewing_to_the_department(
    login: Login, world: World, dispatched: Directive
) -> None:
    report = _report(_receipt(dispatched, world.unit_a), "1b")
    services.report_update(actor=world.officer_a, report=report, status="done", note="xong")
    department = login(world.duty)
    assert _post_report(department, report, "in_progress").status_code == 403
    officer = login(world.officer_a)
    review = reverse("web:directive_review", args=[report.id])
    assert officer.post(review, {"decision": "accept"}).status_code == 403
    report.refresh_from_db()
    assert (report.status, report.review) == ("done", ReviewStatus.SUBMITTED)


# --- the department's review -------------------------------------------------------------------


def test_the_department_returns_a_report_and_the_officer_sees_why(
    login: Login, world: World, dispatched: Directive
) -> None:
    receipt = _receipt(dispatched, world.unit_a)
    report = _report(receipt, "1f")
    services.report_update(actor=world.officer_a, report=report, status="done", note="Đã đổi mật khẩu.")
    department = login(world.duty)
    page = department.get(_page(receipt)).content.decode()
    assert 'data-testid="review-form"' in page
    review = reverse("web:directive_review", args=[report.id])

    response = department.post(review, {"decision": "return", "comment": "  "})
    assert response.status_code == 200
    assert "Ghi rõ lý do trả lại để đơn vị bổ sung." in response.content.decode()
    report.refresh_from_db()
    assert report.review == ReviewStatus.SUBMITTED

    comment = "Thiếu chính sách mật khẩu của đơn vị."
    response = department.post(review, {"decision": "return", "comment": comment})
    assert response["Location"] == f"{_page(receipt)}#report-{report.id}"
    report.refresh_from_db()
    assert (report.review, report.reviewed_by) == (ReviewStatus.RETURNED, world.duty)

    body = login(world.officer_a).get(_page(receipt)).content.decode()
    assert comment in body
    assert "Sở trả lại" in body

    assert department.post(review, {"decision": "accept"}).status_code == 302
    report.refresh_from_db()
    assert report.review == ReviewStatus.ACCEPTED
    officer_page = login(world.officer_a).get(_page(receipt))
    row = next(row for row in officer_page.context["rows"] if row.report.id == report.id)
    assert not row.can_edit  # accepted: nothing more to change


# --- files and untrusted text ------------------------------------------------------------------


def test_it_serves_evidence_files_as_safe_attachments(login: Login, world: World, dispatched: Directive) -> None:
    report = _report(_receipt(dispatched, world.unit_a), "1a")
    evidence = services.evidence_add(
        actor=world.officer_a, report=report, upload=SimpleUploadedFile("anh chup.png", PNG)
    )
    for persona in (world.officer_a, world.duty, world.provider_officer):
        response = login(persona).get(reverse("web:directive_evidence", args=[evidence.id]))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert response["Cache-Control"] == "private, no-store"


def test_it_refuses_a_file_over_the_limit_with_a_clear_message(
    login: Login, world: World, dispatched: Directive, settings: Any
) -> None:
    settings.HAIDANG_ATTACHMENT_MAX_BYTES = 64
    client = login(world.officer_a)
    report = _report(_receipt(dispatched, world.unit_a), "1g")
    upload = SimpleUploadedFile("phuong-an.pdf", PDF + b"%" * 200)
    response = _post_evidence(client, report, file=upload, url="", note="")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tệp quá lớn: tối đa" in body
    assert "Chưa lưu được mục 1g" in body
    assert not report.evidence.exists()


def test_it_escapes_notes_and_links_and_refuses_script_links(login: Login, world: World, dispatched: Directive) -> None:
    client = login(world.officer_a)
    receipt = _receipt(dispatched, world.unit_a)
    report = _report(receipt, "1c")

    response = _post_evidence(client, report, url="javascript:alert(1)")
    assert response.status_code == 200
    assert "Đường dẫn phải là địa chỉ http:// hoặc https:// hợp lệ." in response.content.decode()
    assert 'value="javascript:alert(1)"' in response.content.decode()  # what was typed is kept
    assert not report.evidence.exists()

    _post_evidence(client, report, note="<script>alert('note')</script>")
    _post_evidence(client, report, url='https://example.vn/?q="><img src=x onerror=alert(1)>')
    _post_report(client, report, "in_progress", "<b>đậm</b>")
    body = client.get(_page(receipt)).content.decode()
    assert "<script>alert(" not in body
    assert "&lt;script&gt;alert(&#x27;note&#x27;)&lt;/script&gt;" in body
    assert "<img src=x" not in body
    assert "&lt;b&gt;đậm&lt;/b&gt;" in body


# --- the platform's own check ------------------------------------------------------------------


def test_it_shows_the_platforms_verdict_apart_from_the_declaration(
    login: Login, world: World, dispatched: Directive
) -> None:
    receipt = _receipt(dispatched, world.unit_a)
    report = _report(receipt, "1d")
    client = login(world.officer_a)
    row = next(row for row in client.get(_page(receipt)).context["rows"] if row.report.id == report.id)
    assert row.report.auto_verdict == "fail"  # the website was never scanned

    WatchState.objects.filter(website=world.website_a).update(enabled=True, last_scan_at=timezone.now())
    refresh_auto_checks(directive=dispatched)
    response = client.get(_page(receipt))
    row = next(row for row in response.context["rows"] if row.report.id == report.id)
    assert (row.cell.state, row.state_label) == ("auto", "Nền tảng tự xác minh")
    body = response.content.decode()
    assert "Nền tảng tự kiểm tra" in body
    assert "Đạt" in body
    computed = timezone.localtime(row.report.auto_computed_at)
    assert f'tính lúc <time datetime="{computed.isoformat()}">{computed:%H:%M %d/%m/%Y}</time>' in body
    assert row.report.auto_detail in body
    assert _report(receipt, "1b").item.auto_check == ""  # items without a check show no box
    assert body.count('data-testid="item-auto"') == 4


# --- the unit's page ---------------------------------------------------------------------------


def test_the_unit_page_lists_its_directives(login: Login, world: World, dispatched: Directive) -> None:
    receipt = _receipt(dispatched, world.unit_a)
    services.recipient_acknowledge(actor=world.officer_a, recipient=receipt)
    services.report_update(actor=world.officer_a, report=_report(receipt, "1b"), status="done")
    response = login(world.officer_a).get(reverse("web:unit_detail", args=[world.unit_a.id]))
    body = response.content.decode()
    assert "Thực hiện văn bản chỉ đạo" in body
    assert dispatched.number in body
    assert "1/8" in body
    assert f'href="{_page(receipt)}"' in body
    [entry] = response.context["directives"]
    assert entry.recipient == receipt
    assert not entry.complied

    admin_view = login(world.duty).get(reverse("web:unit_detail", args=[world.unit_b.id])).content.decode()
    assert f'href="{_page(_receipt(dispatched, world.unit_b))}"' in admin_view
    assert "Chưa xác nhận" in admin_view
