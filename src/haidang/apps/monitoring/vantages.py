"""Vantage points: names, queues, and the comparison of what several of them saw of one website.

A worker is tagged with its vantage (``HAIDANG_VANTAGE``). The ``default`` vantage takes the
``celery`` queue and alone drives a website's findings; any other vantage takes ``scan.<name>`` and
only records what it saw (:class:`~haidang.apps.monitoring.models.VantageObservation`). After every
observation the latest ones are compared (:func:`differences`, pure): a different final host (a
geo-targeted redirect), disjoint address sets for the same host (DNS answering differently), or one
vantage reaching the site while another cannot, each becomes a ``vantage.*`` finding in the ordinary
lifecycle, and resolves when the observations agree again.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from haidang.engines.scanner.sites import host_of, site_of
from haidang.engines.scanner.types import Finding as ScanFinding
from haidang.engines.scanner.types import Severity

DEFAULT_VANTAGE = "default"
DEFAULT_QUEUE = "celery"
KIND_PREFIX = "vantage."
REDIRECT_DIFFERENCE = "vantage.redirect_difference"
DNS_DIFFERENCE = "vantage.dns_difference"
REACHABILITY_DIFFERENCE = "vantage.reachability_difference"
# A vantage name becomes part of a queue name: keep it short and plain.
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
MAX_VANTAGES = 8


def vantage_names(text: str) -> list[str]:
    """The other vantages in a comma-separated list, lower-cased, without repeats or the default.

    Raises ValueError naming the first invalid name.
    """
    names: list[str] = []
    for raw in text.split(","):
        name = raw.strip().lower()
        if not name or name == DEFAULT_VANTAGE or name in names:
            continue
        if not _NAME.fullmatch(name):
            raise ValueError(name)
        names.append(name)
    if len(names) > MAX_VANTAGES:
        raise ValueError(names[MAX_VANTAGES])
    return names


def queue_for(vantage: str) -> str:
    """The Celery queue a vantage's workers consume."""
    return DEFAULT_QUEUE if vantage == DEFAULT_VANTAGE else f"scan.{vantage}"


@dataclass(frozen=True, slots=True)
class Seen:
    """What one vantage saw at its latest scan."""

    vantage: str
    reachable: bool
    final_url: str
    addresses: tuple[str, ...]

    @property
    def host(self) -> str:
        return host_of(self.final_url)


def _listing(parts: Sequence[tuple[str, str]]) -> str:
    # Sorted by vantage: the evidence (and so the finding's key) is the same whichever vantage scanned last.
    return "; ".join(f"{vantage}: {what}" for vantage, what in sorted(parts))


def _redirect(url: str, reached: Sequence[Seen]) -> ScanFinding | None:
    hosts = {seen.host for seen in reached if seen.host}
    if len(hosts) < 2:
        return None
    cross_site = len({site_of(seen.final_url) for seen in reached if seen.host}) > 1
    return ScanFinding(
        REDIRECT_DIFFERENCE,
        Severity.HIGH if cross_site else Severity.MEDIUM,
        "Trang chủ chuyển hướng khác nhau tùy nơi truy cập",
        _listing([(seen.vantage, seen.host) for seen in reached if seen.host]),
        url,
    )


def _dns(url: str, reached: Sequence[Seen]) -> list[ScanFinding]:
    by_host: dict[str, list[Seen]] = {}
    for seen in reached:
        if seen.host and seen.addresses:
            by_host.setdefault(seen.host, []).append(seen)
    found = []
    for host, group in sorted(by_host.items()):
        disjoint = any(
            not set(one.addresses) & set(other.addresses) for i, one in enumerate(group) for other in group[i + 1 :]
        )
        if disjoint:
            evidence = _listing([(seen.vantage, ", ".join(seen.addresses)) for seen in group])
            found.append(
                ScanFinding(
                    DNS_DIFFERENCE, Severity.MEDIUM, "Tên miền trỏ tới địa chỉ khác nhau tùy nơi truy cập",
                    f"{host} — {evidence}", url,
                )
            )  # fmt: skip
    return found


def differences(url: str, observations: Sequence[Seen]) -> list[ScanFinding]:
    """The ``vantage.*`` findings for ``url`` from the latest observation of each vantage (pure)."""
    if len({seen.vantage for seen in observations}) < 2:
        return []
    found: list[ScanFinding] = []
    reached = [seen for seen in observations if seen.reachable]
    if reached and len(reached) < len(observations):
        parts = [(seen.vantage, "up" if seen.reachable else "down") for seen in observations]
        found.append(
            ScanFinding(
                REACHABILITY_DIFFERENCE, Severity.MEDIUM, "Trang web chỉ truy cập được từ một số nơi",
                _listing(parts), url,
            )
        )  # fmt: skip
    redirect = _redirect(url, reached)
    if redirect is not None:
        found.append(redirect)
    found.extend(_dns(url, reached))
    return found
