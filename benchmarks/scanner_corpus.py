"""Score the scanner on the labelled corpus: recall, false-positive rate, down sites, throughput.

Run:  .venv/bin/python -m benchmarks.scanner_corpus [--sites N] [--seed 7] [--verbose]
A site-run counts as flagged when it has a finding of severity medium or higher (the issue's rule).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests import network_guard
from tests.engines.scanner.corpus import CorpusServer, build_corpus

from haidang.engines.scanner import ScanOptions, scan_sites

# The corpus names real attacker domains (w88vn.net …): nothing here may resolve or reach them.
network_guard.install()


def evaluate(sites: int | None, seed: int, verbose: bool) -> dict[str, Any]:
    corpus = build_corpus(seed=seed, sites=sites)
    runs = max(len(site.runs) for site in corpus.sites)
    counts: Counter[str] = Counter()
    misses: list[str] = []
    scanned, elapsed = 0, 0.0
    with tempfile.TemporaryDirectory() as state, CorpusServer(corpus, hang_seconds=30) as server:
        urls = {site.site_id: server.url_for(site.site_id) for site in corpus.sites}
        options = ScanOptions(allow_private=True)
        for run in range(runs):
            server.set_run(run)
            active = [site for site in corpus.sites if run < len(site.runs)]
            started = time.perf_counter()
            results = scan_sites([urls[s.site_id] for s in active], Path(state), options)
            elapsed += time.perf_counter() - started
            scanned += len(active)
            for site, result in zip(active, results, strict=True):
                label = site.runs[run]
                outcome = _outcome(label.label, result)
                counts[outcome] += 1
                if outcome in {"fn", "fp", "down_missed"} and verbose:
                    kinds = [f"{f.kind}:{f.severity.value}:{f.evidence[:90]}" for f in result.findings][:4]
                    misses.append(f"run{run} {outcome} {site.site_id} {label.techniques} {kinds}")
    compromised = counts["tp"] + counts["fn"]
    clean = counts["tn"] + counts["fp"]
    return {
        "site_runs": scanned,
        "recall": counts["tp"] / compromised if compromised else 1.0,
        "false_positive_rate": counts["fp"] / clean if clean else 0.0,
        "down_detected": counts["down_ok"] / max(1, counts["down_ok"] + counts["down_missed"]),
        "counts": dict(counts),
        "site_scans_per_second": scanned / elapsed if elapsed else 0.0,
        "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "misses": misses,
    }


def _outcome(label: str, result: Any) -> str:
    if label == "down":
        return "down_ok" if not result.reachable else "down_missed"
    if label == "compromised":
        return "tp" if result.flagged else "fn"
    return "fp" if result.flagged else "tn"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sites", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    report = evaluate(args.sites, args.seed, args.verbose)
    for miss in report.pop("misses"):
        sys.stdout.write(miss + "\n")
    sys.stdout.write(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
