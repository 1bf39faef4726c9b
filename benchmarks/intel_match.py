"""`haidang advisories match` on a full-size NVD corpus, against plain baselines, in the same run.

Generates (deterministically, cached in /tmp) a synthetic but realistically shaped NVD CVE API 2.0 file of
300,000 records, gzip-compressed: a long tail of ~40,000 vendor/products plus the catalogue's products at the
head of a Zipf distribution, version ranges and explicit version lists, firmware+hardware AND
configurations, a few records with hundreds of cpeMatch entries, ~7 % awaiting analysis, ~1 % rejected,
CVSS metrics, references and descriptions. Then a 5,000-row inventory for 88 units written the way people
write it (catalogue names in several spellings, products only the feeds' vocabulary knows, explicit CPEs,
garbage rows). Each step runs as its own process under ``/usr/bin/time -v`` for wall time and peak RSS:

* **baseline: string compare** — stream the same file with ijson and compare each criteria's vendor:product
  with the inventory's (no versions, no applicability): the floor a naive tool pays to read the corpus;
* **parse only** — ``nvd.iter_file`` over the corpus, building every CveRecord, matching nothing;
* **haidang advisories match** — the full command, end to end, JSON to a file.

Run:  .venv/bin/python -m benchmarks.intel_match [--records 300000] [--rows 5000] [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import itertools
import json
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = Path("/tmp/haidang-bench-intel")  # noqa: S108 - a cache of generated data, nothing secret

#: (vendor, product, written names, versions people run) — the catalogue products at the head of the tail.
HEAD: list[tuple[str, str, list[tuple[str, str]], list[str]]] = [
    ("openssl", "openssl", [("OpenSSL Project", "OpenSSL"), ("", "openssl")], ["1.0.2k", "1.1.1w", "3.0.8", "1.0.1e"]),
    (
        "apache",
        "http_server",
        [("Apache Software Foundation", "Apache HTTP Server"), ("", "httpd")],
        ["2.4.49", "2.4.58"],
    ),
    ("php", "php", [("The PHP Group", "PHP"), ("", "php-fpm")], ["7.4.33", "8.1.2", "5.6.40"]),
    ("wordpress", "wordpress", [("WordPress.org", "WordPress"), ("", "WordPress Core")], ["6.4.1", "5.8.3"]),
    ("f5", "nginx", [("F5 Networks", "nginx"), ("NGINX Inc.", "NGINX")], ["1.20.1", "1.25.3"]),
    ("oracle", "mysql", [("Oracle Corporation", "MySQL Community Server"), ("", "MySQL")], ["8.0.31", "5.7.40"]),
    ("mariadb", "mariadb", [("MariaDB Foundation", "MariaDB"), ("", "MySQL-compatible MariaDB")], ["10.6.4"]),
    ("apache", "tomcat", [("Apache", "Tomcat"), ("", "Apache Tomcat")], ["9.0.65", "8.5.50"]),
    ("microsoft", "exchange_server", [("Microsoft Corp.", "Exchange Server 2019")], ["CU12", "CU13"]),
    ("vmware", "vcenter_server", [("VMware by Broadcom", "vCenter Server")], ["6.7 U3j", "7.0 U3s"]),
    ("fortinet", "fortios", [("Fortinet", "FortiGate"), ("Fortinet Inc.", "FortiOS")], ["7.2.4", "6.4.9"]),
    (
        "ivanti",
        "connect_secure",
        [("Ivanti", "Connect Secure"), ("Pulse Secure", "Pulse Connect Secure")],
        ["22.4R2.1", "9.1R18"],
    ),
    ("atlassian", "confluence_server", [("Atlassian", "Confluence Server")], ["7.13.0", "8.5.1"]),
    ("atlassian", "confluence_data_center", [("Atlassian", "Confluence Data Center")], ["8.1.0"]),
    ("zimbra", "collaboration", [("Synacor", "Zimbra Collaboration Suite")], ["9.0.0 Patch 23", "8.8.15"]),
    ("apache", "log4j", [("Apache", "Log4j"), ("", "log4j-core")], ["2.14.1", "2.17.1"]),
    ("gitlab", "gitlab", [("GitLab Inc.", "GitLab CE"), ("GitLab", "GitLab EE")], ["16.1.2", "15.11.0"]),
    ("jenkins", "jenkins", [("Jenkins project", "Jenkins")], ["2.426.1", "2.440"]),
    ("drupal", "drupal", [("", "Drupal core")], ["9.5.2", "7.98"]),
    ("joomla", "joomla\\!", [("Open Source Matters", "Joomla!")], ["4.2.7", "3.10.11"]),
    ("moodle", "moodle", [("", "Moodle LMS")], ["4.1.2", "3.11.8"]),
    ("microsoft", "windows_server_2019", [("Microsoft", "Windows Server 2019 Datacenter")], ["10.0.17763.5329"]),
    ("linux", "linux_kernel", [("", "Linux kernel")], ["5.10.0", "6.1.55"]),
]
TAIL_PRODUCTS = 40_000
WORDS = re.findall(
    r"\S+",
    "allows remote attackers to execute arbitrary code via crafted request buffer overflow in the component "
    "cross-site scripting SQL injection authentication bypass denial of service memory corruption before "
    "improper input validation path traversal privilege escalation server-side request forgery",
)


def _version(rng: random.Random) -> str:
    return f"{rng.randint(0, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 40)}"


#: Zipf (s = 0.8) over the tail: the most common tail product has ~2.5 % of the tail's CVEs, as in NVD.
TAIL_WEIGHTS = list(itertools.accumulate(1 / (rank**0.8) for rank in range(1, TAIL_PRODUCTS + 1)))


def _tail_index(rng: random.Random) -> int:
    return rng.choices(range(TAIL_PRODUCTS), cum_weights=TAIL_WEIGHTS)[0]


def _product(rng: random.Random) -> tuple[str, str]:
    """As in NVD: a few products with hundreds to thousands of CVEs (the kernel ~3 %), then a long tail."""
    if rng.random() < 0.08:
        vendor, product, _written, _versions = HEAD[min(int(rng.paretovariate(0.7)) - 1, len(HEAD) - 1)]
        return ("linux", "linux_kernel") if rng.random() < 0.35 else (vendor, product)
    index = _tail_index(rng)
    return f"vendor{index // 3}", f"product_{index}"


def _match(criteria: str, *, vulnerable: bool = True, **bounds: str) -> dict[str, Any]:
    body: dict[str, Any] = {"vulnerable": vulnerable, "criteria": criteria, "matchCriteriaId": "A1B2C3D4"}
    body.update(bounds)
    return body


def _software_matches(rng: random.Random, part: str, vendor: str, product: str) -> list[dict[str, Any]]:
    if rng.random() < 0.7:
        matches = []
        for _ in range(rng.randint(1, 4)):
            low = _version(rng)
            high = f"{low.rsplit('.', 1)[0]}.{rng.randint(41, 60)}"
            matches.append(
                _match(
                    f"cpe:2.3:{part}:{vendor}:{product}:*:*:*:*:*:*:*:*",
                    versionStartIncluding=low,
                    versionEndExcluding=high,
                )
            )
        return matches
    size = rng.choice((1, 2, 5, 10, 30)) if rng.random() > 0.005 else 600
    return [_match(f"cpe:2.3:{part}:{vendor}:{product}:{_version(rng)}:*:*:*:*:*:*:*") for _ in range(size)]


def _record(rng: random.Random, number: int) -> dict[str, Any]:
    vendor, product = _product(rng)
    roll = rng.random()
    status = "Analyzed" if roll > 0.08 else ("Rejected" if roll < 0.01 else "Awaiting Analysis")
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 45)))
    name = product.replace("_", " ").replace("\\", "")
    cve: dict[str, Any] = {
        "id": f"CVE-{1999 + number % 27}-{number:06d}",
        "sourceIdentifier": "cve@mitre.org",
        "published": "2023-05-01T10:15:00.000",
        "lastModified": "2024-11-21T08:00:00.000",
        "vulnStatus": status,
        "descriptions": [{"lang": "en", "value": f"A vulnerability in {vendor} {name} {words}."}],
        "metrics": {
            "cvssMetricV31": [
                {
                    "source": "nvd@nist.gov",
                    "type": "Primary",
                    "cvssData": {"version": "3.1", "baseScore": round(rng.uniform(2, 10), 1), "baseSeverity": "HIGH"},
                }
            ]
        },
        "weaknesses": [
            {"source": "nvd@nist.gov", "type": "Primary", "description": [{"lang": "en", "value": "CWE-79"}]}
        ],
        "references": [
            {"url": f"https://example.org/advisory/{number}/{i}", "source": "cve@mitre.org"} for i in range(4)
        ],
    }
    if status == "Analyzed":
        if rng.random() < 0.05:
            hardware = [
                _match(f"cpe:2.3:h:{vendor}:{product}_{i}:-:*:*:*:*:*:*:*", vulnerable=False)
                for i in range(rng.randint(1, 40))
            ]
            firmware = _software_matches(rng, "o", vendor, f"{product}_firmware")
            configurations = [{"operator": "AND", "nodes": [_node(firmware), _node(hardware)]}]
        else:
            configurations = [{"nodes": [_node(_software_matches(rng, "a", vendor, product))]}]
        cve["configurations"] = configurations
    return {"cve": cve}


def _node(matches: list[dict[str, Any]]) -> dict[str, Any]:
    return {"operator": "OR", "negate": False, "cpeMatch": matches}


def generate_corpus(records: int, seed: int) -> Path:
    path = WORK / f"nvd-{records}-{seed}.json.gz"
    if path.exists():
        return path
    WORK.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    partial = path.with_suffix(".partial")
    with gzip.open(partial, "wt", encoding="utf-8", compresslevel=1) as out:
        out.write(f'{{"resultsPerPage": {records}, "startIndex": 0, "totalResults": {records}, "format": "NVD_CVE", ')
        out.write('"version": "2.0", "timestamp": "2024-11-21T08:00:00.000", "vulnerabilities": [')
        for number in range(records):
            if number:
                out.write(",")
            out.write(json.dumps(_record(rng, number), separators=(",", ":")))
        out.write("]}")
    partial.rename(path)
    return path


def generate_inventory(rows: int, seed: int) -> tuple[Path, set[tuple[str, str]]]:
    """The inventory CSV and the (vendor, product) pairs it means (what the string-compare baseline uses)."""
    rng = random.Random(seed + 1)
    path = WORK / f"inventory-{rows}-{seed}.csv"
    pairs: set[tuple[str, str]] = set()
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["unit", "system", "vendor", "product", "version", "cpe"])
        for n in range(rows):
            unit, system = f"DV{n % 88:03d}", f"system-{n // 88}"
            roll = rng.random()
            if roll < 0.6:
                vendor, product, written, versions = rng.choice(HEAD)
                written_vendor, written_product = rng.choice(written)
                writer.writerow([unit, system, written_vendor, written_product, rng.choice(versions), ""])
            elif roll < 0.95:
                index = _tail_index(rng)
                vendor, product = f"vendor{index // 3}", f"product_{index}"
                writer.writerow([unit, system, f"Vendor{index // 3} Inc.", f"Product {index}", _version(rng), ""])
            elif roll < 0.98:
                vendor, product = "apache", "log4j"
                writer.writerow(
                    [unit, system, "", "", "", f"cpe:2.3:a:apache:log4j:2.{rng.randint(0, 17)}.1:*:*:*:*:*:*:*"]
                )
            else:
                vendor, product = "?", "?"
                writer.writerow([unit, system, "???", rng.choice(["", "N/A", "Phần mềm nội bộ"]), "latest", ""])
            pairs.add((vendor, product))
    return path, pairs


BASELINE = r"""
import gzip, json, sys, ijson
pairs = {tuple(p) for p in json.load(open(sys.argv[2]))}
hits = records = 0
with gzip.open(sys.argv[1], "rb") as handle:
    for item in ijson.items(handle, "vulnerabilities.item"):
        records += 1
        for config in item["cve"].get("configurations", ()):
            for node in config["nodes"]:
                for match in node["cpeMatch"]:
                    fields = match["criteria"].split(":")
                    if (fields[3], fields[4]) in pairs:
                        hits += 1
print(json.dumps({"records": records, "hits": hits}))
"""

PARSE_ONLY = r"""
import json, sys
from haidang.engines.intel import nvd
stats = nvd.ParseStats()
count = sum(1 for _ in nvd.iter_file(sys.argv[1], stats=stats))
print(json.dumps({"records": count, "skipped": stats.skipped}))
"""


def timed(argv: list[str], stdout: Path | None = None) -> dict[str, Any]:
    """Run ``argv`` under /usr/bin/time -v; wall seconds, peak RSS (MB), exit status and stdout."""
    started = time.perf_counter()
    if stdout is None:
        done = subprocess.run(["/usr/bin/time", "-v", *argv], capture_output=True, check=False)
        text = done.stdout
    else:
        with stdout.open("wb") as sink:
            done = subprocess.run(["/usr/bin/time", "-v", *argv], stdout=sink, stderr=subprocess.PIPE, check=False)
        text = stdout.read_bytes()
    wall = time.perf_counter() - started
    report = done.stderr.decode(errors="replace")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", report)
    cpu = sum(float(t) for t in re.findall(r"(?:User|System) time \(seconds\): ([\d.]+)", report))
    return {
        "wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "peak_rss_mb": round(int(rss.group(1)) / 1024, 1) if rss else None,
        "exit": done.returncode,
        "stdout": text.decode(errors="replace"),
        "stderr_tail": report.splitlines()[:3] if done.returncode else [],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=300_000)
    parser.add_argument("--rows", type=int, default=5_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    corpus = generate_corpus(args.records, args.seed)
    inventory, pairs = generate_inventory(args.rows, args.seed)
    pairs_file = WORK / "pairs.json"
    pairs_file.write_text(json.dumps(sorted(pairs)), encoding="utf-8")
    kev = ROOT / "tests/engines/intel/samples/known_exploited_vulnerabilities.json"
    print(
        f"corpus {corpus} ({corpus.stat().st_size / 1e6:.0f} MB gzip), ready in {time.perf_counter() - started:.0f} s"
    )

    python = sys.executable
    haidang = [python, "-c", "from haidang.cli import main; main()"]
    output = WORK / "matches.json"
    runs = {
        "baseline: ijson + vendor:product string compare": timed(
            [python, "-c", BASELINE, str(corpus), str(pairs_file)]
        ),
        "parse only: nvd.iter_file (CveRecord objects)": timed([python, "-c", PARSE_ONLY, str(corpus)]),
        "haidang advisories match (end to end)": timed(
            [*haidang, "advisories", "match", "--nvd", str(corpus), "--kev", str(kev), "--inventory", str(inventory),
             "--format", "json"],
            stdout=output,
        ),
    }  # fmt: skip
    body = json.loads(runs["haidang advisories match (end to end)"]["stdout"] or "{}")
    reasons: dict[str, int] = {}
    for item in body.get("review", ()):
        reasons[item["reason"]] = reasons.get(item["reason"], 0) + 1
    print(f"\n{args.records:,} CVE records × {args.rows:,} inventory rows\n")
    print(f"{'step':<52} {'wall s':>8} {'CPU s':>8} {'peak RSS MB':>12} {'exit':>5}  result")
    for name, run in runs.items():
        result = run["stdout"][:60].strip()
        if "haidang" in name:
            result = f"{len(body.get('matches', ()))} matches, review {reasons}"
        print(f"{name:<52} {run['wall_s']:>8} {run['cpu_s']:>8} {run['peak_rss_mb']!s:>12} {run['exit']:>5}  {result}")
        if run["exit"]:
            print("   ", run["stderr_tail"])


if __name__ == "__main__":
    main()
