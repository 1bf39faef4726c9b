"""The CISA Known Exploited Vulnerabilities catalog (``known_exploited_vulnerabilities.json``)."""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import date
from typing import Any

from haidang.engines.common.types import MIB
from haidang.engines.intel.types import KevEntry

logger = logging.getLogger(__name__)

MAX_BYTES = 64 * MIB  # the real catalog is about 1.5 MB
_MAX_TEXT = 8192
CVE_ID = re.compile(r"CVE-[0-9]{4}-[0-9]{4,19}", re.ASCII)


def _text(value: object) -> str:
    return value.strip()[:_MAX_TEXT] if isinstance(value, str) else ""


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if isinstance(value, str) else None
    except ValueError:
        return None


def _read(data: bytes | str | os.PathLike[str]) -> bytes:
    if isinstance(data, bytes):
        raw = data
    else:
        with open(data, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValueError(f"not a KEV catalog: larger than {MAX_BYTES} bytes")
    return raw


def _entry(item: dict[str, Any]) -> KevEntry | None:
    cve_id = _text(item.get("cveID")).upper()
    if not CVE_ID.fullmatch(cve_id):
        return None
    return KevEntry(
        cve_id=cve_id,
        vendor_project=_text(item.get("vendorProject")),
        product=_text(item.get("product")),
        name=_text(item.get("vulnerabilityName")),
        date_added=_date(item.get("dateAdded")),
        due_date=_date(item.get("dueDate")),
        required_action=_text(item.get("requiredAction")),
        known_ransomware=_text(item.get("knownRansomwareCampaignUse")).lower() == "known",
        short_description=_text(item.get("shortDescription")),
    )


def load(data: bytes | str | os.PathLike[str]) -> dict[str, KevEntry]:
    """The catalog's entries by CVE id, from the file's bytes or its path.

    Raises ValueError when the data is not the KEV catalog (not JSON, or without its ``catalogVersion``
    and ``vulnerabilities`` fields); entries without a valid ``cveID`` are skipped and logged.
    """
    try:
        catalog = json.loads(_read(data))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(f"not a KEV catalog: not JSON ({str(exc)[:100]})") from None
    if (
        not isinstance(catalog, dict)
        or not isinstance(catalog.get("vulnerabilities"), list)
        or not isinstance(catalog.get("catalogVersion"), str)
    ):
        raise ValueError("not a KEV catalog: no 'catalogVersion' and 'vulnerabilities' list")  # noqa: TRY004
    entries: dict[str, KevEntry] = {}
    skipped = 0
    for item in catalog["vulnerabilities"]:
        entry = _entry(item) if isinstance(item, dict) else None
        if entry is None:
            skipped += 1
            continue
        entries[entry.cve_id] = entry
    if skipped:
        logger.warning("KEV: %d entries without a valid cveID skipped", skipped)
    return entries
