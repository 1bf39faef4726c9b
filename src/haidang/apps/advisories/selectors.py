"""Reads of vulnerability records and feed imports.

Vulnerability records are public data (NVD, CISA KEV): every signed-in role may read them, so these
selectors take no ``visible_to``; the views only require a signed-in user.
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from haidang.apps.advisories.models import FeedImport, MatchRun, Vulnerability


def last_successful_import(source: str) -> FeedImport | None:
    return FeedImport.objects.filter(source=source, ok=True).order_by("-finished_at", "-id").first()


def import_list(limit: int = 20) -> list[FeedImport]:
    return list(FeedImport.objects.select_related("actor").order_by("-started_at", "-id")[:limit])


def vulnerability_list(*, search: str = "", kev_only: bool = False) -> QuerySet[Vulnerability]:
    vulnerabilities = Vulnerability.objects.all()
    if kev_only:
        vulnerabilities = vulnerabilities.filter(in_kev=True)
    search = search.strip()
    if search:
        vulnerabilities = vulnerabilities.filter(Q(cve_id__icontains=search) | Q(description__icontains=search))
    return vulnerabilities.order_by(F("published").desc(nulls_last=True), "-cve_id")


def vulnerability_get(cve_id: str) -> Vulnerability | None:
    return Vulnerability.objects.filter(cve_id=cve_id.strip().upper()).first()


def last_match_run() -> MatchRun | None:
    """The latest finished match of the inventory (what the pages show as "last matched")."""
    return MatchRun.objects.filter(finished_at__isnull=False).order_by("-finished_at", "-id").first()
