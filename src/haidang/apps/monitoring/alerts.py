"""Every incident and alert that monitoring raises, in one place so it is easy to review.

- a NEW (or reopened) high/critical finding, already confirmed by an immediate re-scan, and a website
  unreachable for longer than ``HAIDANG_DOWN_ALERT_MINUTES``: ``incidents.services.incident_from_finding``
  with ``dedupe_key=f"website:{id}"``, so every finding of one website joins the same open incident;
  the findings are linked to it (``Finding.incident`` and a ``FindingEvent`` INCIDENT);
- a NEW incident is announced by the incidents module itself (``incidents.alerts.incident_opened``:
  the department's duty chain and the unit's own duty tiers, or its officers) — monitoring adds no
  second page for it;
- findings that JOIN an already open incident: one ``alert_raise`` to the unit's escalation chain (its
  duty tiers, then the department), so the people handling it hear that the site changed again.

Runs inside the scan's transaction (the incident and the links commit with the findings); the
notifications themselves go out after commit, as everywhere in the platform. A failure here is
logged and never loses the scan's record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from haidang.apps.duty import selectors as duty_selectors
from haidang.apps.incidents import services as incident_services
from haidang.apps.incidents.models import Incident, Status
from haidang.apps.monitoring.models import SEVERITY_RANK, Finding, FindingEvent, FindingEventKind
from haidang.apps.notify import services as notify_services
from haidang.apps.registry.models import Website

if TYPE_CHECKING:
    from haidang.apps.monitoring.models import WatchState

logger = logging.getLogger(__name__)

OPEN_STATUSES = (Status.NEW, Status.TRIAGED, Status.IN_PROGRESS)
#: Incident category for a finding kind's family (the part before the dot).
CATEGORY_BY_FAMILY = {
    "defacement": "defacement",
    "content": "defacement",
    "tampering": "defacement",
    "redirects": "intrusion",
    "redirect": "intrusion",
    "cloaking": "intrusion",
    "code": "malware",
    "availability": "other",
}


def dedupe_key(website: Website) -> str:
    return f"website:{website.id}"


def _category(kind: str) -> str:
    return CATEGORY_BY_FAMILY.get(kind.split(".", 1)[0], "other")


def _link(finding: Finding) -> str:
    try:
        return reverse("web:monitoring_finding", kwargs={"finding_id": finding.id})
    except NoReverseMatch:
        return ""


def _attach(incident: Incident, findings: Sequence[Finding]) -> None:
    for finding in findings:
        if finding.incident_id == incident.id:
            continue
        Finding.objects.filter(id=finding.id).update(incident=incident)
        finding.incident = incident
        FindingEvent.objects.create(finding=finding, kind=FindingEventKind.INCIDENT, note=incident.reference)


def _raise(website: Website, findings: Sequence[Finding], *, title: str, evidence: str, severity: str) -> None:
    lead = findings[0]
    existing = Incident.objects.filter(dedupe_key=dedupe_key(website), status__in=OPEN_STATUSES).exists()
    incident = incident_services.incident_from_finding(
        unit=website.unit,
        title=title,
        category=_category(lead.kind),
        severity=severity,
        evidence=evidence,
        url=lead.url or website.url,
        dedupe_key=dedupe_key(website),
    )
    _attach(incident, findings)
    if not existing:
        return  # the incidents module pages the department and the unit for a new incident
    notify_services.alert_raise(
        chain=duty_selectors.escalation_chain(unit=website.unit),
        title=title,
        body=_("Sự cố %(reference)s: %(evidence)s") % {"reference": incident.reference, "evidence": evidence[:500]},
        link=_link(lead),
        severity=severity,
        subject=incident,
        unit=website.unit,
        dedupe_key=f"{dedupe_key(website)}:incident:{incident.id}:finding:{lead.id}:{lead.times_reopened}",
    )


def _guarded(what: str, website: Website, call: Callable[[], None]) -> None:
    """Run ``call`` in a savepoint: a failure is logged and rolled back alone, the scan's record stays."""
    try:
        with transaction.atomic():
            call()
    except Exception:  # e.g. a ValidationError from the incidents module; never lose the scan
        logger.exception("monitoring %s failed for website %s", what, website.id)


def findings_opened(*, website: Website, findings: Sequence[Finding]) -> None:
    """New or reopened high/critical findings on ``website`` (confirmed): one incident for the site."""
    ordered = sorted(findings, key=lambda f: (-SEVERITY_RANK.get(f.severity, 0), f.id))
    lead = ordered[0]
    title = _("Trang %(url)s: %(title)s") % {"url": website.url, "title": lead.title}
    evidence = "\n".join(f"[{f.get_severity_display()}] {f.title}: {f.evidence}" for f in ordered)[:5000]
    _guarded(
        "findings_opened",
        website,
        lambda: _raise(website, ordered, title=title[:300], evidence=evidence, severity=lead.severity),
    )


def website_down(*, website: Website, watch: WatchState, finding: Finding | None) -> None:
    """The website has been unreachable for longer than the threshold."""
    title = _("Trang %(url)s không truy cập được") % {"url": website.url}
    since = watch.down_since.isoformat() if watch.down_since else ""
    evidence = _("Không truy cập được từ %(since)s. Lý do: %(reason)s") % {"since": since, "reason": watch.reason}
    findings = [finding] if finding is not None else []
    if not findings:
        return
    _guarded(
        "website_down",
        website,
        lambda: _raise(website, findings, title=title[:300], evidence=evidence, severity="high"),
    )
