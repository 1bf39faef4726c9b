"""The JSON manifest: everything a scorer needs, nothing that the served pages contain."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from .model import PROBES
from .techniques import ATTACKER_ORIGINS

if TYPE_CHECKING:
    from .corpus import Corpus

MANIFEST_VERSION = 1


def manifest_dict(corpus: Corpus, urls: dict[str, str] | None = None) -> dict[str, Any]:
    sites = []
    for site in corpus.sites:
        entry: dict[str, Any] = {
            "site_id": site.site_id,
            "host": site.host,
            "kind": site.kind,
            "template": site.template,
            "organisation": site.identity.org_name,
            "traits": list(site.traits),
            "hard_negatives": list(site.hard_negatives),
            "runs": [
                {
                    "index": run.index,
                    "date": run.date,
                    "label": run.label,
                    "techniques": list(run.techniques),
                    "affected_paths": list(run.affected_paths),
                    "visible_to": list(run.visible_to),
                    "evidence": list(run.evidence),
                    "benign_changes": list(run.benign_changes),
                }
                for run in site.runs
            ],
        }
        if urls is not None:
            entry["url"] = urls[site.site_id]
        sites.append(entry)
    return {
        "version": MANIFEST_VERSION,
        "seed": corpus.seed,
        "probes": {name: asdict(probe) for name, probe in PROBES.items()},
        "attacker_hosts": [f"127.0.0.{250 + i}" for i in range(ATTACKER_ORIGINS)],
        "sites": sites,
    }
