"""Inputs and outputs of the website-integrity scanner: frozen dataclasses and stable enums."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

from haidang.engines.common import FetchLimits


class Severity(StrEnum):
    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]


_RANK = {Severity.INFO: 0, Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}


class ProbeName(StrEnum):
    """Who the scanner pretends to be. Cloaking kits decide on User-Agent and Referer."""

    DESKTOP = "desktop"
    MOBILE = "mobile"
    GOOGLEBOT = "googlebot"
    BINGBOT = "bingbot"
    REFERER_GOOGLE = "referer_google"
    REFERER_GOOGLE_VN = "referer_google_vn"
    # Inner pages: one visitor probe that trips both mobile-only and search-referer tricks.
    MOBILE_FROM_GOOGLE = "mobile_from_google"


@dataclass(frozen=True, slots=True)
class Probe:
    name: ProbeName
    user_agent: str
    referer: str = ""

    def headers(self) -> dict[str, str]:
        return {"Referer": self.referer} if self.referer else {}


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found on a site. ``kind`` is a stable code; ``evidence`` is short and display-safe."""

    kind: str
    severity: Severity
    title: str
    evidence: str
    url: str = ""
    probes: tuple[str, ...] = ()

    def key(self) -> tuple[str, str, str]:
        return (self.kind, self.url, self.evidence)

    def stable_key(self) -> str:
        """The same problem across scans: kind, page and evidence hashed (probes and wording excluded).

        Callers keep this to follow a finding over time and to accept it as a legitimate change.
        """
        raw = "\x00".join((self.kind, self.url, self.evidence)).encode("utf-8", "surrogatepass")
        return hashlib.sha256(raw).hexdigest()[:32]

    def seen_by(self, probe: str) -> Finding:
        """The same finding, recorded as seen by ``probe``."""
        return Finding(self.kind, self.severity, self.title, self.evidence, self.url, (probe,))


@dataclass(frozen=True, slots=True)
class Observed:
    """Software a website discloses about itself (see ``software.observe``).

    ``vendor`` and ``product`` are written as a person would in an inventory; ``version`` is the upstream
    version as disclosed (a build suffix such as "-1ubuntu2.14" dropped; the evidence keeps it), or ""
    when the site names the software without a full version.
    """

    vendor: str
    product: str
    version: str
    source: str  # where it was disclosed: "header:Server", "meta:generator", "asset:ver", ...
    evidence: str  # the disclosing text, short (≤ 200 characters) and display-safe


@dataclass(frozen=True, slots=True)
class ScanOptions:
    inner_pages: int = 10
    own_scripts: int = 5
    allow_private: bool = False
    verify_tls: bool = False  # integrity scanning must still see a site whose certificate is broken
    limits: FetchLimits = field(default_factory=lambda: FetchLimits(total_timeout=15.0, per_host_concurrency=6))
    site_timeout: float = 60.0
    # Keep the desktop body of the home page and of every page with a finding in SiteResult.snapshots
    # (the platform stores them as evidence; the command line does not need them).
    keep_snapshots: bool = False
    snapshot_max_bytes: int = 2_000_000
    # The local address the scanner's connections leave from (None: the system's choice).
    source_address: str | None = None


@dataclass(frozen=True, slots=True)
class SiteResult:
    url: str
    reachable: bool
    findings: tuple[Finding, ...]
    reason: str = ""
    pages: int = 0
    baseline_scans: int = 0
    # Where the home page's desktop probe ended after redirects, and the remote addresses the home
    # page's probes connected to: what a scan from elsewhere is compared with (geo redirects, DNS).
    final_url: str = ""
    addresses: tuple[str, ...] = ()
    # Page URL → desktop body (capped), only with ScanOptions.keep_snapshots: the home page under the
    # URL as given, and each page with a finding under the finding's ``url``.
    snapshots: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)
    # Server and CMS software the home page's desktop response discloses (reachable sites only); for
    # vulnerability warnings, never a finding.
    software: tuple[Observed, ...] = field(default=(), compare=False)

    @property
    def flagged(self) -> bool:
        return any(f.severity.rank >= Severity.MEDIUM.rank for f in self.findings)
