"""End to end against the labelled corpus on 127.0.0.x: the quality targets of the issue.

A site-run counts as flagged when it has a finding of severity medium or higher. The full corpus and
the throughput are measured by ``python -m benchmarks.scanner_corpus`` (results in benchmarks/).
"""

from __future__ import annotations

from pathlib import Path

from haidang.engines.scanner import ScanOptions, scan_sites
from tests.engines.scanner.corpus import CLEAN, COMPROMISED, DOWN, CorpusServer, build_corpus


def test_it_meets_recall_and_false_positive_targets_on_the_corpus(tmp_path: Path) -> None:
    corpus = build_corpus(seed=7, sites=36)
    outcomes = {"tp": 0, "fn": 0, "fp": 0, "tn": 0, "down_ok": 0, "down_missed": 0}
    with CorpusServer(corpus, hang_seconds=20) as server:
        urls = {site.site_id: server.url_for(site.site_id) for site in corpus.sites}
        for run in range(max(len(site.runs) for site in corpus.sites)):
            server.set_run(run)
            active = [site for site in corpus.sites if run < len(site.runs)]
            results = scan_sites([urls[s.site_id] for s in active], tmp_path, ScanOptions(allow_private=True))
            for site, result in zip(active, results, strict=True):
                label = site.runs[run].label
                if label == DOWN:
                    outcomes["down_ok" if not result.reachable else "down_missed"] += 1
                elif label == COMPROMISED:
                    outcomes["tp" if result.flagged else "fn"] += 1
                else:
                    assert label == CLEAN
                    outcomes["fp" if result.flagged else "tn"] += 1
    assert outcomes["tp"] / (outcomes["tp"] + outcomes["fn"]) >= 0.95, outcomes
    assert outcomes["fp"] / (outcomes["fp"] + outcomes["tn"]) <= 0.01, outcomes
    assert outcomes["down_missed"] == 0, outcomes
    assert outcomes["tp"] > 20
    assert outcomes["tn"] > 20
