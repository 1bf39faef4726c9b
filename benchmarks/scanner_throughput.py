"""Scanner throughput and quality against a plain fetch-and-diff baseline, in the same run.

The corpus is served by a separate process (``python -m tests.engines.scanner.corpus serve``) so the
server does not share the scanner's interpreter. For every run of the corpus:

* **baseline** — what a change monitor does: fetch each home page once as a browser and flag the site
  when the body differs from the previous run (first run: nothing to compare, nothing flagged);
* **haidang** — the full scan: six probes of the home page, ten inner pages as three probes, own scripts.

Run:  .venv/bin/python -m benchmarks.scanner_throughput [--sites N] [--jobs 2]
Prints JSON; the recorded figures are in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from tests import network_guard
from tests.engines.scanner.corpus import build_corpus

from haidang.engines.common import AddressPolicy, Fetcher
from haidang.engines.scanner import ScanOptions, scan_sites
from haidang.engines.scanner.baseline import Baseline
from haidang.engines.scanner.retrieve import retrieve_site
from haidang.engines.scanner.scanner import evaluate_site

# The corpus names real attacker domains (w88vn.net …): nothing here may resolve or reach them. Installed
# at import, so the scanner's worker processes, which import this module as their main, are guarded too.
network_guard.install()


class _DescendantPeakRSS:
    """Peak RSS of the processes descended from this one, sampled from /proc while running.

    The scanner's workers are forked by a fork server, not by this process, so RUSAGE_CHILDREN never
    sees them; ``VmHWM`` is each process's own high-water mark, so sampling misses little.
    """

    def __init__(self, exclude: set[int]) -> None:
        self.peak_kib = 0
        self._exclude = exclude
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> _DescendantPeakRSS:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(1.0):  # VmHWM is a high-water mark: sparse samples lose little
            for pid in _descendants(os.getpid()) - self._exclude:
                self.peak_kib = max(self.peak_kib, _high_water_kib(pid))


def _descendants(root: int) -> set[int]:
    """Descendants through ``/proc/PID/task/TID/children``: a few small reads, not a scan of every process
    (a full /proc scan five times a second cost the measured scanner a third of its throughput)."""
    found: set[int] = set()
    todo = [root]
    while todo:
        pid = todo.pop()
        try:
            tasks = list(Path(f"/proc/{pid}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def _high_water_kib(pid: int) -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in lines if line.startswith("VmHWM:")), 0)


def _serve(seed: int) -> tuple[subprocess.Popen[str], dict[str, str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.engines.scanner.corpus", "serve", "--run", "0", "--seed", str(seed)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])},
    )
    assert process.stdout is not None
    urls: dict[str, str] = {}
    corpus_size = len(build_corpus(seed=seed).sites)
    while len(urls) < corpus_size:
        line = process.stdout.readline()
        if not line:
            raise RuntimeError("corpus server exited")
        if "\t" in line:
            url, site_id = line.strip().split("\t")
            urls[site_id] = url
    return process, urls


def _switch(process: subprocess.Popen[str], run: int) -> None:
    assert process.stdin is not None
    process.stdin.write(f"{run}\n")
    process.stdin.flush()
    time.sleep(1.0)  # the server switches between requests; give it a moment


async def _plain_fetch(urls: list[str]) -> list[bytes]:
    async with Fetcher(policy=AddressPolicy(allow_private=True), verify_tls=False) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(u, user_agent="Mozilla/5.0 Chrome/131") for u in urls))
    return [hashlib.sha256(r.body).digest() if r.ok else b"" for r in results]


async def _analysis_times(urls: list[str]) -> list[float]:
    """Median analysis (evaluate) time per page, measured apart from the network."""
    times = []
    options = ScanOptions(allow_private=True)
    async with Fetcher(policy=AddressPolicy(allow_private=True), verify_tls=False) as fetcher:
        for url in urls:
            evidence = await retrieve_site(url, fetcher, options, Baseline(url=url))
            started = time.perf_counter()
            evaluate_site(evidence, Baseline(url=url))
            pages = sum(len(p.by_probe) for p in (evidence.home, *evidence.inner))
            times.append((time.perf_counter() - started) / max(1, pages) * 1000)
    return times


def _score(flags: list[bool], labels: list[str]) -> dict[str, float]:
    tp = sum(f and lab == "compromised" for f, lab in zip(flags, labels, strict=True))
    fn = sum(not f and lab == "compromised" for f, lab in zip(flags, labels, strict=True))
    fp = sum(f and lab == "clean" for f, lab in zip(flags, labels, strict=True))
    tn = sum(not f and lab == "clean" for f, lab in zip(flags, labels, strict=True))
    return {"recall": tp / max(1, tp + fn), "false_positive_rate": fp / max(1, fp + tn)}


def _quality(process: subprocess.Popen[str], urls: dict[str, str], chosen: list[Any], jobs: int) -> dict[str, Any]:
    """Every run of the corpus, both methods, scored per site-run (down runs excluded from the score)."""
    flags: dict[str, list[bool]] = {"baseline": [], "haidang": []}
    labels: list[str] = []
    previous: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as state:
        for run_index in range(max(len(s.runs) for s in chosen)):
            _switch(process, run_index)
            active = [s for s in chosen if run_index < len(s.runs)]
            site_urls = [urls[s.site_id] for s in active]
            labels.extend(s.runs[run_index].label for s in active)
            digests = asyncio.run(_plain_fetch(site_urls))
            flags["baseline"].extend(
                bool(previous.get(u)) and previous[u] != d for u, d in zip(site_urls, digests, strict=True)
            )
            previous.update(zip(site_urls, digests, strict=True))
            results = scan_sites(site_urls, Path(state), ScanOptions(allow_private=True), jobs=jobs)
            flags["haidang"].extend(r.flagged for r in results)
    return {name: _score(values, labels) for name, values in flags.items()}


def _timed(label: str, action: Any, count: int, repeat: int = 2) -> tuple[str, float]:
    best = min(_elapsed(action) for _ in range(repeat))
    return label, round(count / best, 1)


def _elapsed(action: Any) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _throughput(process: subprocess.Popen[str], urls: dict[str, str], chosen: list[Any], jobs: int) -> dict[str, float]:
    """Site scans per second over the reachable sites of run 1, baselines already learned (steady state)."""
    _switch(process, 1)
    reachable = [urls[s.site_id] for s in chosen if len(s.runs) > 1 and s.runs[1].label != "down"]
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as state:
        options = ScanOptions(allow_private=True)
        scan_sites(reachable, Path(state), options, jobs=jobs)  # learn baselines first
        for name, action in (
            ("baseline_fetch_and_diff", lambda: asyncio.run(_plain_fetch(reachable))),
            ("haidang_1_process", lambda: scan_sites(reachable, Path(state), options, jobs=1)),
            (f"haidang_{jobs}_processes", lambda: scan_sites(reachable, Path(state), options, jobs=jobs)),
        ):
            key, value = _timed(name, action, len(reachable))
            figures[key] = value
    figures["sites"] = len(reachable)
    return figures


def run(seed: int, sites: int | None, jobs: int) -> dict[str, Any]:
    corpus = build_corpus(seed=seed)
    chosen = list(corpus.sites[:sites] if sites else corpus.sites)
    process, urls = _serve(seed)
    try:
        with _DescendantPeakRSS(exclude={process.pid}) as workers:
            quality = _quality(process, urls, chosen, jobs)
            throughput = _throughput(process, urls, chosen, jobs)
        _switch(process, 0)
        analysis = asyncio.run(_analysis_times([urls[s.site_id] for s in chosen[:30]]))
    finally:
        process.terminate()
        process.wait(timeout=10)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # the corpus server; spawned workers
    return {
        "site_runs": sum(len(s.runs) for s in chosen),
        "quality": quality,
        "site_scans_per_second": throughput,
        "median_analysis_ms_per_page": round(statistics.median(analysis), 2),
        "max_rss_mib_parent": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "max_rss_mib_largest_worker": round(workers.peak_kib / 1024, 1),
        "max_rss_mib_largest_child": round(children / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sites", type=int, default=None)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    sys.stdout.write(json.dumps(run(args.seed, args.sites, args.jobs), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
