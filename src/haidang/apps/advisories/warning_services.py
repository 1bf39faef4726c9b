"""Writes of vulnerability warnings: compose, send to the affected units, report, verify, remind, close.

A warning carries its CVEs; sending it matches the recipient units' current inventory against them and
lists, per unit, each affected system with the software behind it. Each unit acknowledges and reports
per system (patched with the version after the fix, mitigated, not applicable, risk accepted), with
evidence. The platform then verifies: a patched system is matched again (the registry's version is
updated to the reported one; what monitoring observes on websites is re-scanned), and a system the
inventory still shows vulnerable is reopened. Every change is audited.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from haidang.apps.accounts.models import Role, User
from haidang.apps.advisories import matching
from haidang.apps.advisories import warning_selectors as selectors
from haidang.apps.advisories.models import (
    AffectedSystem,
    RemediationStatus,
    SecurityWarning,
    Severity,
    Verification,
    Vulnerability,
    WarningEvidence,
    WarningRecipient,
    WarningStatus,
)
from haidang.apps.advisories.storage import stored_name
from haidang.apps.audit.services import audit_record, model_changes
from haidang.apps.evidence import checked_link, checked_upload
from haidang.apps.notify.services import notify_users
from haidang.apps.registry.models import InformationSystem, SoftwareComponent, Unit, UnitStatus, Website
from haidang.engines.intel.products import Resolver

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

MAX_CVES = 50
MAX_EVIDENCE = 10
_CVE = r"^CVE-\d{4}-\d{4,}$"
_SEVERITY_ORDER = {"critical": 4, "high": 3, "medium": 2, "low": 1}


@dataclass(frozen=True, slots=True)
class DeadlinePolicy:
    version: str
    source: str
    days: dict[str, int]


@cache
def deadline_policy() -> DeadlinePolicy:
    configured = settings.HAIDANG_WARNING_DEADLINES_FILE
    if configured:
        raw = Path(configured).read_bytes()
    else:
        raw = resources.files("haidang.apps.advisories").joinpath("data/deadlines.toml").read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    days = {str(k): int(v) for k, v in data["days"].items()}
    return DeadlinePolicy(version=str(data.get("version", "")), source=str(data.get("source", "")), days=days)


def default_severity(vulnerabilities: list[Vulnerability]) -> str:
    """KEV-listed: critical; otherwise the highest CVSS severity (high when nothing is known)."""
    if any(v.in_kev for v in vulnerabilities):
        return Severity.CRITICAL
    ranked = [v.cvss_severity.lower() for v in vulnerabilities if v.cvss_severity.lower() in _SEVERITY_ORDER]
    return max(ranked, key=_SEVERITY_ORDER.__getitem__) if ranked else Severity.HIGH


def default_deadline(vulnerabilities: list[Vulnerability], severity: str, issued_on: date) -> datetime:
    """End of the day ``days`` after issue: ``kev`` days for actively exploited CVEs, else by severity."""
    days = deadline_policy().days
    count = days["kev"] if any(v.in_kev for v in vulnerabilities) else days.get(severity, days["high"])
    day = issued_on + timedelta(days=count)
    return timezone.make_aware(datetime.combine(day, time(17, 0)))


@dataclass
class WarningFields:
    title: str
    summary: str
    action: str
    deadline: datetime | None = None
    severity: str = ""
    number: str = ""
    issued_on: date | None = None
    issuer: str = ""
    issuer_parent: str = ""
    signer_title: str = ""
    signer_name: str = ""
    cve_ids: tuple[str, ...] = ()


def _require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Bạn không có quyền thực hiện thao tác này với cảnh báo."))


def _link(name: str, *args: int) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _vulnerabilities(cve_ids: tuple[str, ...]) -> list[Vulnerability]:
    wanted = list(dict.fromkeys(c.strip().upper() for c in cve_ids if c.strip()))
    if not wanted:
        raise ValidationError({"cve_ids": _("Cảnh báo cần ít nhất một mã CVE.")})
    if len(wanted) > MAX_CVES:
        raise ValidationError({"cve_ids": _("Một cảnh báo có tối đa %(n)s mã CVE.") % {"n": MAX_CVES}})
    malformed = [c for c in wanted if not re.match(_CVE, c)]
    if malformed:
        raise ValidationError({"cve_ids": _("Mã CVE không hợp lệ: %(ids)s.") % {"ids": ", ".join(malformed[:5])}})
    found = {v.cve_id: v for v in Vulnerability.objects.filter(cve_id__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise ValidationError(
            {
                "cve_ids": _("Chưa có dữ liệu về %(ids)s: hãy nhập dữ liệu NVD/KEV trước.")
                % {"ids": ", ".join(missing[:5])}
            }
        )
    return [found[c] for c in wanted]


def _apply(warning: SecurityWarning, data: WarningFields, vulnerabilities: list[Vulnerability]) -> None:
    warning.title = data.title.strip()
    warning.summary = data.summary.strip()
    warning.action = data.action.strip()
    warning.number = data.number.strip()
    warning.issued_on = data.issued_on or timezone.localdate()
    warning.issuer = data.issuer.strip() or settings.HAIDANG_ORG_NAME
    warning.issuer_parent = data.issuer_parent.strip() or settings.HAIDANG_ORG_PARENT
    warning.signer_title = data.signer_title.strip() or settings.HAIDANG_REPORT_SIGNER_TITLE
    warning.signer_name = data.signer_name.strip()
    warning.severity = data.severity or default_severity(vulnerabilities)
    warning.deadline = data.deadline or default_deadline(vulnerabilities, warning.severity, warning.issued_on)
    if not warning.title:
        raise ValidationError({"title": _("Cần trích yếu của cảnh báo.")})
    if not warning.summary or not warning.action:
        raise ValidationError({"summary": _("Cần tóm tắt lỗ hổng và yêu cầu khắc phục.")})
    if warning.number and SecurityWarning.objects.filter(number=warning.number).exclude(pk=warning.pk).exists():
        raise ValidationError(
            {"number": _("Số %(number)s đã được dùng cho cảnh báo khác.") % {"number": warning.number}}
        )
    warning.full_clean(exclude=["vulnerabilities", "created_by"])


def _shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with "…" when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,;:.") + "…"


def suggest(cve_ids: tuple[str, ...]) -> WarningFields:
    """A draft from the CVEs: title, summary, action, severity and deadline (the department edits them)."""
    vulnerabilities = _vulnerabilities(cve_ids)
    severity = default_severity(vulnerabilities)
    issued = timezone.localdate()
    lines, actions = [], []
    for v in vulnerabilities:
        score = f", CVSS {v.cvss_score}" if v.cvss_score is not None else ""
        kev = _(", đang bị khai thác trong thực tế (KEV)") if v.in_kev else ""
        level = v.cvss_severity.lower()
        label = Severity(level).label if level in _SEVERITY_ORDER else "—"
        lines.append(f"- {v.cve_id} ({label}{score}{kev}): {_shorten(v.description, 600)}")
        if v.kev_required_action:
            actions.append(f"- {v.cve_id}: {v.kev_required_action[:400]}")
    first = vulnerabilities[0].cve_id
    title = _("Cảnh báo lỗ hổng %(cves)s") % {"cves": ", ".join(v.cve_id for v in vulnerabilities[:3])}
    if len(vulnerabilities) > 3:
        title += _(" và %(n)d lỗ hổng khác") % {"n": len(vulnerabilities) - 3}
    action = _(
        "Rà soát các hệ thống được liệt kê; cập nhật bản vá của nhà sản xuất hoặc áp dụng biện pháp giảm thiểu; "
        "báo cáo kết quả khắc phục từng hệ thống kèm minh chứng trên Hải Đăng trước hạn."
    )
    if actions:
        action += "\n" + _("Hướng dẫn của nhà sản xuất/CISA:") + "\n" + "\n".join(actions)
    return WarningFields(
        title=title,
        summary=_("Các lỗ hổng bảo mật sau ảnh hưởng tới phần mềm đang được sử dụng tại đơn vị:")
        + "\n"
        + "\n".join(lines),
        action=action,
        severity=severity,
        deadline=default_deadline(vulnerabilities, severity, issued),
        issued_on=issued,
        cve_ids=tuple(v.cve_id for v in vulnerabilities) or (first,),
    )


@transaction.atomic
def warning_create(*, actor: User, data: WarningFields) -> SecurityWarning:
    _require(selectors.can_manage(actor), _("Chỉ Sở mới soạn được cảnh báo lỗ hổng."))
    vulnerabilities = _vulnerabilities(data.cve_ids)
    warning = SecurityWarning(created_by=actor)
    _apply(warning, data, vulnerabilities)
    warning.save()
    warning.vulnerabilities.set(vulnerabilities)
    audit_record(
        acting_user=actor,
        action="warning.create",
        target=warning,
        changes={"title": warning.title, "cves": [v.cve_id for v in vulnerabilities], "number": warning.number},
    )
    return warning


@transaction.atomic
def warning_update(*, actor: User, warning: SecurityWarning, data: WarningFields) -> SecurityWarning:
    _require(selectors.can_manage(actor), _("Chỉ Sở mới sửa được cảnh báo lỗ hổng."))
    if warning.status != WarningStatus.DRAFT:
        raise ValidationError(_("Cảnh báo đã gửi: không thể sửa nội dung nữa."))
    vulnerabilities = _vulnerabilities(data.cve_ids)
    before = {f: getattr(warning, f) for f in ("title", "number", "severity", "deadline", "summary", "action")}
    _apply(warning, data, vulnerabilities)
    changes = model_changes(warning, before)
    warning.save()
    warning.vulnerabilities.set(vulnerabilities)
    audit_record(acting_user=actor, action="warning.update", target=warning, changes=changes)
    return warning


@transaction.atomic
def warning_delete(*, actor: User, warning: SecurityWarning) -> None:
    _require(selectors.can_manage(actor), _("Chỉ Sở mới xoá được cảnh báo."))
    if warning.status != WarningStatus.DRAFT:
        raise ValidationError(_("Cảnh báo đã gửi không thể xoá; hãy kết thúc cảnh báo."))
    audit_record(acting_user=actor, action="warning.delete", target=warning, changes={"title": warning.title})
    warning.delete()


@transaction.atomic
def warning_close(*, actor: User, warning: SecurityWarning) -> SecurityWarning:
    _require(selectors.can_manage(actor), _("Chỉ Sở mới kết thúc được cảnh báo."))
    if warning.status != WarningStatus.SENT:
        raise ValidationError(_("Chỉ kết thúc được cảnh báo đã gửi."))
    warning.status, warning.closed_at = WarningStatus.CLOSED, timezone.now()
    warning.save(update_fields=["status", "closed_at", "updated_at"])
    audit_record(acting_user=actor, action="warning.close", target=warning)
    return warning


# --- sending -----------------------------------------------------------------------------------


def _targets_for(
    warning: SecurityWarning, unit_ids: list[int]
) -> dict[int, dict[tuple[int | None, int | None], list[matching.Found]]]:
    """Per unit, per (system, website): what the units' current inventory matches among the warning's CVEs."""
    cves = set(warning.vulnerabilities.values_list("cve_id", flat=True))
    inv = matching.inventory(unit_ids=unit_ids)
    resolver = Resolver()
    report = matching.match_inventory(inv.rows, resolver, awaiting=False, cves=cves)
    grouped: dict[int, dict[tuple[int | None, int | None], list[matching.Found]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for item in matching.found(inv, report, resolver):
        if item.cve_id in cves:
            grouped[item.unit_id][(item.system_id, item.website_id)].append(item)
    return grouped


def _target_label(system_id: int | None, website_id: int | None, names: dict[str, dict[int, str]]) -> str:
    if system_id is not None:
        return names["systems"].get(system_id, str(system_id))
    return names["websites"].get(website_id or 0, "")


def _systems_for(
    recipient: WarningRecipient, targets: dict[tuple[int | None, int | None], list[matching.Found]]
) -> list[AffectedSystem]:
    names = {
        "systems": dict(
            InformationSystem.objects.filter(id__in=[k[0] for k in targets if k[0]]).values_list("id", "name")
        ),
        "websites": dict(Website.objects.filter(id__in=[k[1] for k in targets if k[1]]).values_list("id", "url")),
    }
    rows = []
    for (system_id, website_id), items in sorted(
        targets.items(), key=lambda kv: _target_label(kv[0][0], kv[0][1], names)
    ):
        software = "; ".join(dict.fromkeys(i.software for i in items))
        rows.append(
            AffectedSystem(
                recipient=recipient,
                system_id=system_id,
                website_id=website_id,
                label=_target_label(system_id, website_id, names)[:500],
                software=software[:1000],
                cves=sorted({i.cve_id for i in items}),
                components=sorted({c for i in items for c in i.components}),
                websites=sorted({w for i in items for w in i.websites}),
            )
        )
    return rows


@transaction.atomic
def warning_send(*, actor: User, warning: SecurityWarning, unit_ids: list[int]) -> list[WarningRecipient]:
    """Send (or send again, to more units): each new unit gets its affected systems and a notification."""
    _require(selectors.can_manage(actor), _("Chỉ Sở mới gửi được cảnh báo."))
    if warning.status == WarningStatus.CLOSED:
        raise ValidationError(_("Cảnh báo đã kết thúc."))
    if not warning.number.strip():
        raise ValidationError({"number": _("Cần số, ký hiệu của cảnh báo trước khi gửi.")})
    if not unit_ids:
        raise ValidationError({"units": _("Chọn ít nhất một đơn vị nhận cảnh báo.")})
    units = list(Unit.objects.filter(id__in=unit_ids, status=UnitStatus.ACTIVE))
    already = set(warning.recipients.values_list("unit_id", flat=True))
    new_units = [u for u in units if u.id not in already]
    if not new_units:
        raise ValidationError({"units": _("Các đơn vị đã chọn đều đã nhận cảnh báo này.")})
    now = timezone.now()
    targets = _targets_for(warning, [u.id for u in new_units])
    recipients = []
    for unit in new_units:
        recipient = WarningRecipient.objects.create(warning=warning, unit=unit, sent_at=now)
        AffectedSystem.objects.bulk_create(_systems_for(recipient, targets.get(unit.id, {})))
        recipients.append(recipient)
    if warning.status == WarningStatus.DRAFT:
        warning.status, warning.sent_at = WarningStatus.SENT, now
        warning.save(update_fields=["status", "sent_at", "updated_at"])
    audit_record(
        acting_user=actor,
        action="warning.send",
        target=warning,
        changes={"units": [u.id for u in new_units], "systems": sum(len(targets.get(u.id, {})) for u in new_units)},
    )
    ids = [r.id for r in recipients]
    transaction.on_commit(lambda: _after_send(warning.id, ids))
    return recipients


def unit_officers(unit_id: int) -> Any:
    return User.objects.filter(is_active=True, role=Role.UNIT, unit_id=unit_id)


def _when(at: datetime) -> str:
    return f"{timezone.localtime(at):%H:%M %d/%m/%Y}"


def _after_send(warning_id: int, recipient_ids: list[int]) -> None:
    warning = SecurityWarning.objects.get(pk=warning_id)
    title = _("Cảnh báo lỗ hổng số %(number)s: %(title)s") % {"number": warning.number, "title": warning.title[:200]}
    for recipient in WarningRecipient.objects.filter(id__in=recipient_ids):
        systems = recipient.systems.count()
        if not systems:
            body = _(
                "Kiểm kê hiện chưa cho thấy hệ thống nào của đơn vị bị ảnh hưởng. Vui lòng rà soát, xác nhận đã "
                "nhận và cập nhật danh mục phần mềm trước %(due)s."
            ) % {"due": _when(warning.deadline)}
        else:
            body = _(
                "%(systems)d hệ thống của đơn vị bị ảnh hưởng. Vui lòng xác nhận đã nhận và báo cáo khắc phục từng "
                "hệ thống trước %(due)s."
            ) % {"systems": systems, "due": _when(warning.deadline)}
        notify_users(
            unit_officers(recipient.unit_id),
            title=title,
            body=body,
            link=_link("web:warning_recipient", recipient.id),
            severity="high" if warning.severity in (Severity.CRITICAL, Severity.HIGH) else "info",
        )


# --- the unit's side ---------------------------------------------------------------------------


@transaction.atomic
def recipient_acknowledge(*, actor: User, recipient: WarningRecipient) -> WarningRecipient:
    _require(selectors.can_report(actor, recipient), _("Chỉ cán bộ của đơn vị nhận mới xác nhận được cảnh báo."))
    if recipient.acknowledged_at is None:
        recipient.acknowledged_at, recipient.acknowledged_by = timezone.now(), actor
        recipient.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit_record(acting_user=actor, action="warning.acknowledge", target=recipient, unit_id=recipient.unit_id)
    return recipient


_NEEDS_NOTE = {
    RemediationStatus.MITIGATED: gettext_lazy("Hãy mô tả biện pháp giảm thiểu đã áp dụng."),
    RemediationStatus.NOT_APPLICABLE: gettext_lazy("Hãy giải trình vì sao hệ thống không bị ảnh hưởng."),
    RemediationStatus.RISK_ACCEPTED: gettext_lazy("Hãy giải trình lý do chấp nhận rủi ro và người phê duyệt."),
}


@transaction.atomic
def system_report(
    *, actor: User, system: AffectedSystem, status: str, fixed_version: str = "", note: str = ""
) -> AffectedSystem:
    """The unit reports on one system. "Patched" needs the version after the fix and is verified at once."""
    recipient = system.recipient
    _require(selectors.can_report(actor, recipient), _("Chỉ cán bộ của đơn vị nhận mới báo cáo được."))
    if status not in RemediationStatus.values or status == RemediationStatus.OPEN:
        raise ValidationError({"status": _("Chọn kết quả khắc phục.")})
    fixed_version, note = fixed_version.strip()[:100], note.strip()
    if status == RemediationStatus.PATCHED and not fixed_version:
        raise ValidationError({"fixed_version": _("Hãy ghi phiên bản sau khi vá để nền tảng xác minh.")})
    if status in _NEEDS_NOTE and not note:
        raise ValidationError({"note": str(_NEEDS_NOTE[RemediationStatus(status)])})
    if len(note) > 5000:
        raise ValidationError({"note": _("Giải trình tối đa 5.000 ký tự.")})
    before = {"status": system.status, "fixed_version": system.fixed_version, "note": system.note}
    system.status, system.fixed_version, system.note = status, fixed_version, note
    system.reported_at, system.reported_by = timezone.now(), actor
    system.verification, system.verification_note, system.verified_at = Verification.NONE, "", None
    changes = model_changes(system, before)
    system.save()
    if recipient.acknowledged_at is None:
        recipient.acknowledged_at, recipient.acknowledged_by = system.reported_at, actor
        recipient.save(update_fields=["acknowledged_at", "acknowledged_by"])
    audit_record(acting_user=actor, action="warning.report", target=system, unit_id=recipient.unit_id, changes=changes)
    if status == RemediationStatus.PATCHED:
        _record_version(actor, system)
        verify_system(system)
    return system


def _record_version(actor: User, system: AffectedSystem) -> None:
    """The registry's components behind the system now run the reported version (audited)."""
    components = SoftwareComponent.objects.filter(id__in=system.components, unit_id=system.recipient.unit_id)
    for component in components:
        if component.version == system.fixed_version:
            continue
        old = component.version
        component.version = system.fixed_version
        component.cpe = ""  # an explicit CPE names the old version; the names resolve the product again
        component.save(update_fields=["version", "cpe", "updated_at"])
        audit_record(
            acting_user=actor,
            action="registry.software_update",
            target=component,
            unit_id=component.unit_id,
            changes={"version": [old, system.fixed_version], "reason": f"warning {system.recipient.warning_id}"},
        )


@transaction.atomic
def evidence_add(
    *, actor: User, system: AffectedSystem, upload: UploadedFile | None = None, url: str = ""
) -> WarningEvidence:
    _require(selectors.can_report(actor, system.recipient), _("Chỉ cán bộ của đơn vị nhận mới nộp được minh chứng."))
    if system.evidence.count() >= MAX_EVIDENCE:
        raise ValidationError(_("Mỗi hệ thống có tối đa %(n)s minh chứng.") % {"n": MAX_EVIDENCE})
    url = url.strip()
    if (upload is None) == (not url):
        raise ValidationError(_("Mỗi minh chứng là một tệp hoặc một đường dẫn."))
    evidence = WarningEvidence(system=system, added_by=actor)
    if upload is not None:
        checked = checked_upload(upload)
        evidence.original_name, evidence.content_type = checked.name, checked.content_type
        evidence.size, evidence.sha256 = checked.size, checked.sha256
        evidence.file.save(stored_name(system.id), ContentFile(checked.content), save=False)
    else:
        evidence.url = checked_link(url)
    evidence.save()
    audit_record(
        acting_user=actor,
        action="warning.evidence_add",
        target=system,
        unit_id=system.recipient.unit_id,
        changes={"evidence": evidence.id, "size": evidence.size, "url": evidence.url},
    )
    return evidence


@transaction.atomic
def evidence_delete(*, actor: User, evidence: WarningEvidence) -> None:
    system = evidence.system
    _require(selectors.can_report(actor, system.recipient), _("Chỉ cán bộ của đơn vị nhận mới xoá được minh chứng."))
    audit_record(
        acting_user=actor,
        action="warning.evidence_delete",
        target=system,
        unit_id=system.recipient.unit_id,
        changes={"evidence": evidence.id, "name": str(evidence)[:200]},
    )
    if evidence.file:
        evidence.file.delete(save=False)
    evidence.delete()


# --- verification ------------------------------------------------------------------------------


def _still_affected(system: AffectedSystem) -> tuple[set[str], bool, bool]:
    """(CVEs the current inventory still matches, whether any inventory row is left, whether observed rows are)."""
    inv = matching.inventory(
        unit_ids=[system.recipient.unit_id],
        system_ids=[system.system_id] if system.system_id else [],
        website_ids=list(system.websites) or ([system.website_id] if system.website_id else []),
    )
    report = matching.match_inventory(inv.rows, awaiting=False, cves=system.cves)
    still = {m.cve for m in report.matches} & set(system.cves)
    return still, bool(inv.rows), any(s.observed for s in inv.sources)


def _observed_since_report(system: AffectedSystem) -> bool:
    from haidang.apps.monitoring.models import ObservedSoftware

    if not system.websites or system.reported_at is None:
        return True
    return ObservedSoftware.objects.filter(website_id__in=system.websites, last_seen_at__gt=system.reported_at).exists()


def verify_system(system: AffectedSystem, *, now: datetime | None = None) -> str:
    """Check a patched system against the current inventory; reopen it if it is still affected."""
    if system.status != RemediationStatus.PATCHED:
        return system.verification
    now = now or timezone.now()
    still, has_rows, observed = _still_affected(system)
    if observed and not _observed_since_report(system):
        verdict, note = Verification.PENDING, _("Chờ lần quét website tiếp theo để xác nhận phiên bản mới.")
    elif still:
        verdict = Verification.REOPENED
        note = _("Sau khi đơn vị báo đã vá, kiểm kê/giám sát vẫn cho thấy hệ thống bị ảnh hưởng bởi %(cves)s.") % {
            "cves": ", ".join(sorted(still))
        }
    elif has_rows:
        verdict = Verification.VERIFIED
        note = _("Phiên bản hiện tại không còn nằm trong dải bị ảnh hưởng của %(cves)s.") % {
            "cves": ", ".join(system.cves)
        }
    else:
        verdict, note = Verification.UNVERIFIABLE, _("Không còn dữ liệu phiên bản của hệ thống để đối chiếu.")
    if verdict == system.verification and note == system.verification_note:
        return verdict
    system.verification, system.verification_note, system.verified_at = verdict, note[:2000], now
    fields = ["verification", "verification_note", "verified_at"]
    if verdict == Verification.REOPENED:
        system.status = RemediationStatus.OPEN
        system.reopened_count += 1
        fields += ["status", "reopened_count"]
    system.save(update_fields=fields)
    audit_record(
        acting_user=None,
        action="warning.verify",
        target=system,
        unit_id=system.recipient.unit_id,
        changes={"verification": verdict, "cves": sorted(still)},
    )
    if verdict == Verification.REOPENED:
        recipient = system.recipient
        notify_users(
            unit_officers(recipient.unit_id),
            title=_("Hệ thống %(label)s bị mở lại trong cảnh báo số %(number)s")
            % {"label": system.label[:100], "number": recipient.warning.number},
            body=note,
            link=_link("web:warning_recipient", recipient.id),
            severity="high",
        )
    return verdict


def verify_open(*, now: datetime | None = None) -> int:
    """Verify every patched system of every open warning again (the beat task).

    Verified systems are included: an inventory that changes back (a restored old version, a website
    that again shows a vulnerable version) reopens them. A verdict that does not change writes nothing.
    """
    count = 0
    systems = AffectedSystem.objects.filter(
        recipient__warning__status=WarningStatus.SENT,
        status=RemediationStatus.PATCHED,
    )
    for system in systems.select_related("recipient__warning"):
        with transaction.atomic():
            verify_system(system, now=now)
        count += 1
    return count


def request_rescan(*, actor: User, system: AffectedSystem) -> int:
    """Scan the websites behind a system now, so that a patched version is seen sooner."""
    from haidang.apps.monitoring.services import scan_now

    _require(
        selectors.can_manage(actor) or selectors.can_report(actor, system.recipient),
        _("Bạn không có quyền yêu cầu quét lại."),
    )
    count = 0
    for website in Website.objects.filter(id__in=system.websites or ([system.website_id] if system.website_id else [])):
        count += bool(scan_now(actor=actor, website=website))
    return count


# --- reminders ---------------------------------------------------------------------------------


def _unfinished(recipient: WarningRecipient) -> list[str]:
    return list(recipient.systems.filter(status=RemediationStatus.OPEN).values_list("label", flat=True))


def _claim(recipient: WarningRecipient, field: str, now: datetime) -> bool:
    """Set ``field`` once, atomically: two schedulers never send the same reminder twice."""
    return bool(WarningRecipient.objects.filter(pk=recipient.pk, **{f"{field}__isnull": True}).update(**{field: now}))


def send_due_reminders(*, now: datetime | None = None) -> tuple[int, int]:
    """Remind units with open systems before the deadline, escalate them after it (each once).

    Escalation tells the unit's officers and, in one summary per warning, the department's person on duty.
    Returns (reminded, escalated).
    """
    from haidang.apps.duty.selectors import escalation_chain

    now = now or timezone.now()
    before = timedelta(hours=settings.HAIDANG_WARNING_REMIND_BEFORE_HOURS)
    reminded = escalated = 0
    recipients = WarningRecipient.objects.filter(
        warning__status=WarningStatus.SENT, warning__deadline__lte=now + before
    ).select_related("warning", "unit")
    overdue: dict[int, list[WarningRecipient]] = defaultdict(list)
    for recipient in recipients.filter(escalated_at__isnull=True):
        warning = recipient.warning
        unfinished = _unfinished(recipient)
        if not unfinished:
            continue
        past = warning.deadline <= now
        field = "escalated_at" if past else "reminded_at"
        if not past and recipient.reminded_at is not None:
            continue
        if not _claim(recipient, field, now):
            continue
        shown = "; ".join(unfinished[:5]) + (
            _(" và %(n)d hệ thống khác") % {"n": len(unfinished) - 5} if len(unfinished) > 5 else ""
        )
        if past:
            title = _("Quá hạn khắc phục cảnh báo số %(number)s") % {"number": warning.number}
            body = _("Hạn %(due)s đã qua. Chưa khắc phục: %(systems)s.") % {
                "due": _when(warning.deadline),
                "systems": shown,
            }
            escalated += 1
            overdue[warning.id].append(recipient)
        else:
            title = _("Sắp đến hạn khắc phục cảnh báo số %(number)s") % {"number": warning.number}
            body = _("Hạn %(due)s. Chưa khắc phục: %(systems)s.") % {"due": _when(warning.deadline), "systems": shown}
            reminded += 1
        notify_users(
            unit_officers(recipient.unit_id),
            title=title,
            body=body,
            link=_link("web:warning_recipient", recipient.id),
            severity="high" if past else "info",
        )
        audit_record(
            acting_user=None,
            action="warning.escalate" if past else "warning.remind",
            target=recipient,
            unit_id=recipient.unit_id,
            changes={"open": len(unfinished)},
        )
    for late in overdue.values():
        warning = late[0].warning
        tiers = escalation_chain(at=now)
        if not tiers:
            continue
        names = "; ".join(r.unit.name for r in late[:10]) + (
            _(" và %(n)d đơn vị khác") % {"n": len(late) - 10} if len(late) > 10 else ""
        )
        notify_users(
            tiers[-1],
            title=_("%(count)d đơn vị quá hạn khắc phục cảnh báo số %(number)s")
            % {"count": len(late), "number": warning.number},
            body=_("Hạn %(due)s đã qua. Đơn vị chưa khắc phục xong: %(names)s.")
            % {"due": _when(warning.deadline), "names": names},
            link=_link("web:warning_detail", warning.id),
            severity="high",
        )
    return reminded, escalated
