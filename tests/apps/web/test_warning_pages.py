"""The vulnerability warning pages: compose, send, a unit's report per system, and who may see and do what."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from haidang.apps.advisories import matching
from haidang.apps.advisories import warning_services as services
from haidang.apps.advisories.models import (
    AffectedSystem,
    RemediationStatus,
    SecurityWarning,
    Verification,
    WarningEvidence,
    WarningRecipient,
    WarningStatus,
)
from haidang.apps.advisories.services import import_kev_file, import_nvd_file
from haidang.apps.registry.models import SoftwareComponent
from tests.apps.incidents.files import PDF
from tests.apps.web.conftest import Login, sign_in
from tests.personas import World

SAMPLES = Path(__file__).resolve().parents[2] / "engines" / "intel" / "samples"
LOG4SHELL = "CVE-2021-44228"
NUMBER = "12/CB-ATTT"

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(db: None) -> Login:
    """A fresh client per persona: the department and the units act in turns within one test."""
    return lambda user: sign_in(Client(), user)


@pytest.fixture
def exposed(world: World) -> SoftwareComponent:
    """The sample feeds imported; unit A runs a vulnerable Log4j, unit B a fixed one; the inventory matched."""
    assert import_nvd_file(path=SAMPLES / "nvd_cves_2.0.json", actor=world.admin).ok
    assert import_kev_file(path_or_bytes=SAMPLES / "known_exploited_vulnerabilities.json", actor=world.admin).ok
    SoftwareComponent.objects.create(
        unit=world.unit_b, system=world.system_b, vendor="Apache", product="Log4j", version="2.17.1"
    )
    component = SoftwareComponent.objects.create(
        unit=world.unit_a, system=world.system_a, vendor="Apache", product="Log4j", version="2.14.1"
    )
    matching.exposures_refresh()
    return component


@pytest.fixture
def draft(world: World, exposed: SoftwareComponent) -> SecurityWarning:
    fields = services.suggest((LOG4SHELL,))
    fields.number = NUMBER
    return services.warning_create(actor=world.duty, data=fields)


@pytest.fixture
def receipt(world: World, draft: SecurityWarning) -> WarningRecipient:
    (recipient,) = services.warning_send(actor=world.duty, warning=draft, unit_ids=[world.unit_a.id])
    return recipient


def _system(recipient: WarningRecipient) -> AffectedSystem:
    return recipient.systems.get()


def _url(name: str, *args: object) -> str:
    return reverse(f"web:{name}", args=list(args))


def _report(client: Client, system: AffectedSystem, status: str, version: str = "", note: str = "") -> Any:
    data = {"status": status, "fixed_version": version, "note": note}
    return client.post(_url("warning_system_report", system.id), data)


def _evidence(world: World, system: AffectedSystem) -> WarningEvidence:
    upload = SimpleUploadedFile("ban-va.pdf", PDF, content_type="application/pdf")
    return services.evidence_add(actor=world.officer_a, system=system, upload=upload)


# --- the department ----------------------------------------------------------------------------


def test_it_renders_every_page_for_the_department(login: Login, world: World, draft: SecurityWarning) -> None:
    client = login(world.admin)
    pages = [
        _url("warning_list"),
        _url("warning_new"),
        _url("warning_new") + f"?cve={LOG4SHELL}",
        _url("warning_detail", draft.id),
        _url("warning_edit", draft.id),
        _url("warning_delete", draft.id),
        _url("warning_send", draft.id),
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page
    body = client.get(_url("warning_detail", draft.id)).content.decode()
    assert "Gửi tới đơn vị" in body
    assert "Xoá bản nháp" in body
    assert "1 đơn vị có hệ thống bị ảnh hưởng" in body


def test_it_prefills_a_new_warning_from_the_cves(login: Login, world: World, exposed: SoftwareComponent) -> None:
    response = login(world.duty).get(_url("warning_new"), {"cve": [LOG4SHELL, "CVE-2023-4966"]})
    form = response.context["form"]
    assert LOG4SHELL in form["title"].value()
    assert form["cve_ids"].value() == f"{LOG4SHELL}\nCVE-2023-4966"
    assert form["severity"].value() == "critical"  # in KEV
    assert form["deadline"].value() is not None
    missing = login(world.duty).get(_url("warning_new"), {"cve": "CVE-2099-0001"})
    assert "Chưa có dữ liệu về CVE-2099-0001" in missing.content.decode()
    assert missing.context["form"]["cve_ids"].value() == "CVE-2099-0001"


def test_it_keeps_what_was_typed_when_the_service_refuses(login: Login, world: World, draft: SecurityWarning) -> None:
    client = login(world.duty)
    data = {
        "number": NUMBER,  # taken by the draft
        "issued_on": "2026-11-30",
        "title": "Cảnh báo thử",
        "cve_ids": f"{LOG4SHELL}, CVE-2099-0001",
        "severity": "high",
        "deadline": "2026-12-05T17:00",
        "summary": "Tóm tắt đã gõ",
        "action": "Yêu cầu đã gõ",
    }
    response = client.post(_url("warning_new"), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chưa có dữ liệu về CVE-2099-0001" in body
    assert "Tóm tắt đã gõ" in body
    data["cve_ids"] = LOG4SHELL
    body = client.post(_url("warning_new"), data).content.decode()
    assert f"Số {NUMBER} đã được dùng cho cảnh báo khác." in body
    assert SecurityWarning.objects.count() == 1


def test_it_preselects_the_affected_units_with_their_systems(
    login: Login, world: World, draft: SecurityWarning
) -> None:
    response = login(world.admin).get(_url("warning_send", draft.id))
    body = response.content.decode()
    assert re.search(rf'<input type="checkbox" name="affected" value="{world.unit_a.id}"[^>]*checked', body)
    assert f'name="affected" value="{world.unit_b.id}"' not in body  # its Log4j is fixed
    assert "Cổng thông tin Sở Tư pháp" in body
    assert "1 cặp hệ thống – CVE" in body
    units = response.context["form"].fields["units"].queryset
    assert world.unit_b in units
    assert world.unit_a not in units


def test_it_creates_sends_and_follows_a_warning_through_the_pages(
    login: Login, world: World, exposed: SoftwareComponent
) -> None:
    duty = login(world.duty)
    initial = duty.get(_url("warning_new"), {"cve": LOG4SHELL}).context["form"].initial
    data = {key: value for key, value in initial.items() if value is not None}
    data.update(number=NUMBER, issued_on=initial["issued_on"].isoformat())
    data["deadline"] = initial["deadline"].strftime("%Y-%m-%dT%H:%M")
    response = duty.post(_url("warning_new"), data)
    warning = SecurityWarning.objects.get(number=NUMBER)
    assert response["Location"] == _url("warning_detail", warning.id)
    assert [v.cve_id for v in warning.vulnerabilities.all()] == [LOG4SHELL]

    response = duty.post(_url("warning_send", warning.id), {"affected": [str(world.unit_a.id)]})
    assert response["Location"] == _url("warning_detail", warning.id) + "#units"
    recipient = WarningRecipient.objects.get(warning=warning)
    system = _system(recipient)
    assert (recipient.unit, system.system, system.cves) == (world.unit_a, world.system_a, [LOG4SHELL])

    officer = login(world.officer_a)
    assert officer.get(_url("warning_detail", warning.id))["Location"] == _url("warning_recipient", recipient.id)
    page = officer.get(_url("warning_recipient", recipient.id)).content.decode()
    assert "Xác nhận đã nhận cảnh báo" in page
    assert "Apache Log4j 2.14.1" in page
    assert officer.post(_url("warning_acknowledge", recipient.id)).status_code == 302
    response = _report(officer, system, RemediationStatus.PATCHED, "2.17.1", "Đã nâng cấp")
    assert response["Location"] == _url("warning_recipient", recipient.id) + f"#system-{system.id}"
    system.refresh_from_db()
    assert (system.status, system.verification) == (RemediationStatus.PATCHED, Verification.VERIFIED)

    detail = duty.get(_url("warning_detail", warning.id))
    status = detail.context["status"]
    assert (status.tally.fixed, status.tally.total, status.acknowledged) == (1, 1, 1)
    body = detail.content.decode()
    assert 'data-testid="warning-fixed">1/1<' in body
    assert _url("warning_recipient", recipient.id) in body
    page = officer.get(_url("warning_recipient", recipient.id)).content.decode()
    assert "Nền tảng đã xác minh" in page
    assert "Xác nhận đã nhận cảnh báo" not in page

    assert duty.post(_url("warning_close", warning.id)).status_code == 302
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CLOSED
    page = officer.get(_url("warning_recipient", recipient.id)).content.decode()
    assert 'data-testid="report-form"' not in page


def test_it_refuses_to_send_a_warning_without_a_number(login: Login, world: World, exposed: SoftwareComponent) -> None:
    fields = services.suggest((LOG4SHELL,))
    warning = services.warning_create(actor=world.duty, data=fields)
    response = login(world.duty).post(_url("warning_send", warning.id), {"affected": [str(world.unit_a.id)]})
    assert response.status_code == 200
    assert "Cần số, ký hiệu của cảnh báo trước khi gửi." in response.content.decode()
    assert not warning.recipients.exists()
    nothing = login(world.duty).post(_url("warning_send", warning.id), {})
    assert "Chọn ít nhất một đơn vị nhận cảnh báo." in nothing.content.decode()


def test_it_marks_overdue_units(login: Login, world: World, receipt: WarningRecipient) -> None:
    SecurityWarning.objects.filter(pk=receipt.warning_id).update(deadline="2020-01-01T00:00:00Z")
    response = login(world.admin).get(_url("warning_detail", receipt.warning_id))
    (line,) = response.context["lines"]
    assert line.overdue
    assert "Quá hạn khắc phục" in response.content.decode()


# --- a unit's report ---------------------------------------------------------------------------


def test_it_asks_for_the_version_after_patching_and_keeps_the_choice(
    login: Login, world: World, receipt: WarningRecipient
) -> None:
    client = login(world.officer_a)
    system = _system(receipt)
    response = _report(client, system, RemediationStatus.PATCHED, "", "Đã cập nhật")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Hãy ghi phiên bản sau khi vá để nền tảng xác minh." in body
    assert re.search(rf'value="patched"[^>]*id="report-{system.id}-status_0"[^>]*checked', body)
    assert "Đã cập nhật" in body
    system.refresh_from_db()
    assert system.status == RemediationStatus.OPEN


def test_it_asks_why_a_system_is_not_affected(login: Login, world: World, receipt: WarningRecipient) -> None:
    client = login(world.officer_a)
    system = _system(receipt)
    body = _report(client, system, RemediationStatus.NOT_APPLICABLE).content.decode()
    assert "Hãy giải trình vì sao hệ thống không bị ảnh hưởng." in body
    assert _report(client, system, "").status_code == 200
    response = _report(client, system, RemediationStatus.NOT_APPLICABLE, note="Thư viện không được nạp.")
    assert response.status_code == 302
    system.refresh_from_db()
    assert system.status == RemediationStatus.NOT_APPLICABLE


def test_it_takes_evidence_and_refuses_garbage(login: Login, world: World, receipt: WarningRecipient) -> None:
    client = login(world.officer_a)
    system = _system(receipt)
    url = _url("warning_evidence_add", system.id)
    garbage = SimpleUploadedFile("ban-va.pdf", b"MZ\x90\x00 not a pdf at all", content_type="application/pdf")
    response = client.post(url, {"file": garbage, "url": ""})
    assert response.status_code == 200
    assert "Chưa lưu được cho hệ thống" in response.content.decode()
    assert response.context["rows"][0].evidence_form.errors["file"]
    both = client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF), "url": "https://stp.example.gov.vn/"})
    assert "Mỗi minh chứng là một tệp hoặc một đường dẫn." in both.content.decode()
    bad_link = client.post(url, {"url": "javascript:alert(1)"})
    assert "Đường dẫn phải là địa chỉ http:// hoặc https:// hợp lệ." in bad_link.content.decode()
    assert not system.evidence.exists()

    assert client.post(url, {"file": SimpleUploadedFile("ban-va.pdf", PDF)}).status_code == 302
    assert client.post(url, {"url": "https://stp.example.gov.vn/thong-bao"}).status_code == 302
    page = client.get(_url("warning_recipient", receipt.id)).content.decode()
    stored = system.evidence.get(url="")
    assert f'href="{_url("warning_evidence", stored.id)}"' in page
    assert '<a href="https://stp.example.gov.vn/thong-bao" rel="noopener noreferrer nofollow"' in page
    download = client.get(_url("warning_evidence", stored.id))
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert client.post(_url("warning_evidence_delete", stored.id)).status_code == 302
    assert system.evidence.count() == 1


# --- who sees what -----------------------------------------------------------------------------


def test_it_shows_each_role_what_it_may_see(login: Login, world: World, receipt: WarningRecipient) -> None:
    warning, system = receipt.warning, _system(receipt)
    evidence = _evidence(world, system)
    receipt_url = _url("warning_recipient", receipt.id)
    for persona in ("admin", "duty", "viewer"):
        client = login(getattr(world, persona))
        assert client.get(_url("warning_list")).status_code == 200
        assert client.get(_url("warning_detail", warning.id)).status_code == 200, persona
        assert client.get(receipt_url).status_code == 200, persona
        assert client.get(_url("warning_evidence", evidence.id)).status_code == 200, persona
    provider = login(world.provider_officer)
    assert provider.get(receipt_url).status_code == 200
    assert 'data-testid="report-form"' not in provider.get(receipt_url).content.decode()
    assert _report(provider, system, RemediationStatus.PATCHED, "2.17.1").status_code == 403

    officer_b = login(world.officer_b)
    assert officer_b.get(_url("warning_list")).context["rows"] == []
    for url in (_url("warning_detail", warning.id), receipt_url, _url("warning_evidence", evidence.id)):
        assert officer_b.get(url).status_code == 404, url
    for url in (
        _url("warning_acknowledge", receipt.id),
        _url("warning_system_report", system.id),
        _url("warning_evidence_add", system.id),
        _url("warning_evidence_delete", evidence.id),
        _url("warning_rescan", system.id),
    ):
        assert officer_b.post(url, {"status": "patched", "fixed_version": "2.17.1"}).status_code == 404, url
    telecom = login(world.telecom_officer)
    assert telecom.get(_url("warning_list")).context["rows"] == []
    assert telecom.get(receipt_url).status_code == 404
    assert WarningEvidence.objects.filter(pk=evidence.pk).exists()


def test_it_keeps_drafts_and_writing_to_the_department(login: Login, world: World, draft: SecurityWarning) -> None:
    officer = login(world.officer_a)
    assert officer.get(_url("warning_detail", draft.id)).status_code == 404
    assert officer.get(_url("warning_new")).status_code == 403
    assert officer.get(_url("warning_edit", draft.id)).status_code == 404
    viewer = login(world.viewer)
    assert viewer.get(_url("warning_detail", draft.id)).status_code == 200
    assert viewer.get(_url("warning_new")).status_code == 403
    assert viewer.post(_url("warning_send", draft.id), {"affected": [str(world.unit_a.id)]}).status_code == 403
    assert viewer.post(_url("warning_delete", draft.id)).status_code == 403
    assert not draft.recipients.exists()
    assert login(world.admin).post(_url("warning_delete", draft.id)).status_code == 302
    assert not SecurityWarning.objects.filter(pk=draft.pk).exists()


def test_it_lists_the_units_own_receipt(login: Login, world: World, receipt: WarningRecipient) -> None:
    response = login(world.officer_a).get(_url("warning_list"))
    (row,) = response.context["rows"]
    assert row.own.recipient == receipt
    assert f'href="{_url("warning_recipient", receipt.id)}"' in response.content.decode()


def test_it_lets_only_the_department_download_the_letter(login: Login, world: World, receipt: WarningRecipient) -> None:
    pytest.importorskip("haidang.apps.advisories.reports")
    response = login(world.duty).get(_url("warning_document", receipt.warning_id, "docx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="canh-bao-{receipt.warning_id}.docx"'
    assert response.content[:2] == b"PK"
    assert login(world.officer_a).get(_url("warning_document", receipt.warning_id, "pdf")).status_code == 403
    assert login(world.officer_b).get(_url("warning_document", receipt.warning_id, "pdf")).status_code == 404


def test_the_dashboard_lists_open_warnings_as_each_viewer_may_see_them(
    login: Login, world: World, receipt: WarningRecipient
) -> None:
    page = login(world.officer_a).get(_url("dashboard")).content.decode()
    assert "Cảnh báo lỗ hổng đang cần khắc phục" in page
    assert _url("warning_recipient", receipt.id) in page
    assert "0/1 hệ thống đã khắc phục" in page
    page = login(world.duty).get(_url("dashboard")).content.decode()
    assert _url("warning_detail", receipt.warning_id) in page
    assert "Cảnh báo lỗ hổng đang cần khắc phục" not in login(world.officer_b).get(_url("dashboard")).content.decode()
