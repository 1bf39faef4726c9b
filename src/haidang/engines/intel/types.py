"""The records the intel engine reads and matches: CPE names, NVD applicability, CVE and KEV entries, inventory.

Framework-free frozen dataclasses. CPE attribute values are kept in the CPE 2.3 *formatted string* form
(``*`` = ANY, ``-`` = NA, special characters backslash-escaped, ``*``/``?`` unescaped at either end are
wildcards), lower-cased: :mod:`haidang.engines.intel.cpe` parses and compares them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

ANY = "*"
NA = "-"


@dataclass(frozen=True, slots=True)
class CpeName:
    """The eleven attributes of a CPE 2.3 name (WFN), each as its formatted-string value."""

    part: str  # "a", "o", "h" (or "*")
    vendor: str
    product: str
    version: str = ANY
    update: str = ANY
    edition: str = ANY
    language: str = ANY
    sw_edition: str = ANY
    target_sw: str = ANY
    target_hw: str = ANY
    other: str = ANY

    def uri(self) -> str:
        """The formatted string ``cpe:2.3:part:vendor:…:other``."""
        return ":".join(
            (
                "cpe:2.3",
                self.part,
                self.vendor,
                self.product,
                self.version,
                self.update,
                self.edition,
                self.language,
                self.sw_edition,
                self.target_sw,
                self.target_hw,
                self.other,
            )
        )


@dataclass(frozen=True, slots=True)
class CpeMatch:
    """One ``cpeMatch`` of an NVD configuration node: a criteria name and an optional version range."""

    criteria: CpeName
    vulnerable: bool
    version_start_including: str | None = None
    version_start_excluding: str | None = None
    version_end_including: str | None = None
    version_end_excluding: str | None = None

    @property
    def has_range(self) -> bool:
        return any(
            bound is not None
            for bound in (
                self.version_start_including,
                self.version_start_excluding,
                self.version_end_including,
                self.version_end_excluding,
            )
        )


@dataclass(frozen=True, slots=True)
class Node:
    operator: str  # "OR" | "AND"
    negate: bool
    matches: tuple[CpeMatch, ...]


@dataclass(frozen=True, slots=True)
class Configuration:
    """A configuration is its nodes combined by ``operator`` (NVD: "AND" for platform configurations)."""

    nodes: tuple[Node, ...]
    operator: str = "OR"
    negate: bool = False


@dataclass(frozen=True, slots=True)
class CveRecord:
    cve_id: str
    status: str = ""  # NVD vulnStatus: "Analyzed", "Awaiting Analysis", "Modified", "Rejected", …
    published: str = ""  # ISO 8601 as NVD gives it
    last_modified: str = ""
    description: str = ""  # the English description
    cvss_score: float | None = None  # highest base score found (v3.1, v3.0, v4.0, then v2)
    cvss_severity: str = ""  # "CRITICAL" | "HIGH" | "MEDIUM" | "LOW" | "NONE" | ""
    cwes: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    configurations: tuple[Configuration, ...] = ()
    source: str = "nvd"  # "nvd", "osv", "rss"


@dataclass(frozen=True, slots=True)
class KevEntry:
    cve_id: str
    vendor_project: str = ""
    product: str = ""
    name: str = ""
    date_added: date | None = None
    due_date: date | None = None
    required_action: str = ""
    known_ransomware: bool = False
    short_description: str = ""


@dataclass(frozen=True, slots=True)
class InventoryRow:
    """A line of the inventory CSV ``unit,system,vendor,product,version,cpe``."""

    unit: str
    system: str
    vendor: str
    product: str
    version: str
    cpe: str = ""
    line: int = 0  # 1-based line in the file, for messages


@dataclass(frozen=True, slots=True)
class Advisory:
    """An advisory from an RSS/Atom feed (national CERT, vendors): its text and the CVE ids it names."""

    title: str
    link: str
    published: str
    summary: str
    cve_ids: tuple[str, ...] = field(default_factory=tuple)
    source: str = ""
