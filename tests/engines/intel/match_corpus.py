"""A tricky inventory and hand-written NVD 2.0 records (real criteria shapes) for the matcher and CLI tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SAMPLES = Path(__file__).parent / "samples"

SERVER_RANGES = [("1.3.0", "7.4.17"), ("7.13.0", "7.13.7")]


def cpe_match(
    criteria: str,
    *,
    vulnerable: bool = True,
    start_including: str | None = None,
    end_excluding: str | None = None,
    end_including: str | None = None,
) -> dict[str, Any]:
    match: dict[str, Any] = {"vulnerable": vulnerable, "criteria": criteria, "matchCriteriaId": "0" * 8}
    if start_including:
        match["versionStartIncluding"] = start_including
    if end_excluding:
        match["versionEndExcluding"] = end_excluding
    if end_including:
        match["versionEndIncluding"] = end_including
    return match


def record(
    cve_id: str,
    description: str,
    *configurations: list[list[dict[str, Any]]],
    status: str = "Analyzed",
    last_modified: str = "2024-01-01T00:00:00.000",
) -> dict[str, Any]:
    """An NVD 2.0 ``vulnerabilities[]`` element; each configuration is a list of OR nodes (AND between them)."""
    configs = []
    for nodes in configurations:
        config: dict[str, Any] = {"nodes": [{"operator": "OR", "negate": False, "cpeMatch": m} for m in nodes]}
        if len(nodes) > 1:
            config["operator"] = "AND"
        configs.append(config)
    cve: dict[str, Any] = {
        "id": cve_id,
        "sourceIdentifier": "test@example.org",
        "published": "2023-01-01T00:00:00.000",
        "lastModified": last_modified,
        "vulnStatus": status,
        "descriptions": [{"lang": "en", "value": description}],
        "metrics": {},
        "references": [],
    }
    if configs:
        cve["configurations"] = configs
    return {"cve": cve}


A = "cpe:2.3:a:"


def records() -> list[dict[str, Any]]:
    """The hand-written records (the sample file adds real Log4j, Citrix Bleed, ProxyLogon, PAN-OS, RV320)."""
    confluence = [
        cpe_match(f"{A}atlassian:{product}:*:*:*:*:*:*:*:*", start_including=low, end_excluding=high)
        for product in ("confluence_server", "confluence_data_center")
        for low, high in SERVER_RANGES
    ]
    return [
        # Ivanti Connect Secure: 9.1R18 and 22.4R2.1 listed as version:update, as NVD does.
        record(
            "CVE-2023-46805",
            "An authentication bypass vulnerability in the web component of Ivanti ICS 9.x, 22.x.",
            [
                [
                    cpe_match(f"{A}ivanti:connect_secure:{v}:{u}:*:*:*:*:*:*")
                    for v, u in (("9.1", "r18"), ("22.4", "r1"), ("22.4", "r2.1"))
                ]
            ],
        ),
        record(
            "CVE-2024-21888",
            "A privilege escalation vulnerability in web component of Ivanti Connect Secure (22.x).",
            [[cpe_match(f"{A}ivanti:connect_secure:22.4:{u}:*:*:*:*:*:*") for u in ("r1", "r2.1")]],
        ),
        record(
            "CVE-2019-11510",
            "In Pulse Secure Pulse Connect Secure (PCS) 8.2 before 8.2R12.1, 8.3 before 8.3R7.1, 9.0 before 9.0R3.4.",
            [[cpe_match(f"{A}pulsesecure:pulse_connect_secure:9.0:{u}:*:*:*:*:*:*") for u in ("r1", "r2", "r3")]],
        ),
        # Confluence: Server and Data Center listed separately with the same ranges.
        record(
            "CVE-2022-26134",
            "In affected versions of Confluence Server and Data Center, an OGNL injection.",
            [confluence],
        ),
        # A Data Center-only flaw.
        record(
            "CVE-2023-22515",
            "Atlassian has been made aware of an issue reported by a handful of customers (Data Center).",
            [
                [
                    cpe_match(
                        f"{A}atlassian:confluence_data_center:*:*:*:*:*:*:*:*",
                        start_including="8.0.0",
                        end_excluding="8.3.3",
                    )
                ]
            ],
        ),
        # MySQL (Oracle) and MariaDB: a fork is not its upstream.
        record(
            "CVE-2023-21980",
            "Vulnerability in the MySQL Server product of Oracle MySQL (component: Client programs).",
            [
                [
                    cpe_match(f"{A}oracle:mysql:*:*:*:*:*:*:*:*", start_including="8.0.0", end_including="8.0.32"),
                    cpe_match(f"{A}oracle:mysql:*:*:*:*:*:*:*:*", end_including="5.7.41"),
                ]
            ],
        ),
        record(
            "CVE-2022-27376",
            "MariaDB Server v10.6.5 and below was discovered to contain an use-after-free in Item_args.",
            [[cpe_match(f"{A}mariadb:mariadb:*:*:*:*:*:*:*:*", start_including="10.6.0", end_excluding="10.6.8")]],
        ),
        # Exchange 2019: CU11 and CU12 listed, CU13 not.
        record(
            "CVE-2022-41082",
            "Microsoft Exchange Server Remote Code Execution Vulnerability.",
            [[cpe_match(f"{A}microsoft:exchange_server:2019:cumulative_update_{n}:*:*:*:*:*:*") for n in (11, 12)]],
        ),
        # vCenter 6.7: U3j listed, U3s not.
        record(
            "CVE-2021-21985",
            "The vSphere Client (HTML5) contains a remote code execution vulnerability in vCenter Server.",
            [[cpe_match(f"{A}vmware:vcenter_server:6.7:{u}:*:*:*:*:*:*") for u in ("-", "update3j", "update3l")]],
        ),
        # OpenSSL letter ranges: 1.0.2k is inside [1.0.2, 1.0.2m) and outside [1.0.2, 1.0.2k).
        record(
            "CVE-2017-3736",
            "There is a carry propagating bug in the x86_64 Montgomery squaring procedure in OpenSSL 1.0.2.",
            [[cpe_match(f"{A}openssl:openssl:*:*:*:*:*:*:*:*", start_including="1.0.2", end_excluding="1.0.2m")]],
        ),
        record(
            "CVE-2017-3731",
            "If an SSL/TLS server or client is running on a 32-bit host, OpenSSL before 1.0.2k may crash.",
            [[cpe_match(f"{A}openssl:openssl:*:*:*:*:*:*:*:*", start_including="1.0.2", end_excluding="1.0.2k")]],
        ),
        # Rejected: never matched even though its criteria would.
        record(
            "CVE-2017-9999",
            "** REJECT ** DO NOT USE THIS CANDIDATE NUMBER.",
            [[cpe_match(f"{A}openssl:openssl:*:*:*:*:*:*:*:*", end_excluding="9.9")]],
            status="Rejected",
        ),
        # GitLab editions: one record per edition.
        record(
            "CVE-2023-7028",
            "An issue has been discovered in GitLab CE/EE affecting all versions from 16.1 prior to 16.1.6.",
            [
                [
                    cpe_match(f"{A}gitlab:gitlab:*:*:*:*:{e}:*:*:*", start_including="16.1.0", end_excluding="16.1.6")
                    for e in ("community", "enterprise")
                ]
            ],
        ),
        record(
            "CVE-2023-5009",
            "An issue has been discovered in GitLab EE affecting all versions starting from 13.12 before 16.2.7.",
            [
                [
                    cpe_match(
                        f"{A}gitlab:gitlab:*:*:*:*:enterprise:*:*:*", start_including="13.12", end_excluding="16.2.7"
                    )
                ]
            ],
        ),
        # Junos on named hardware: the row does not say which device → needs platform.
        record(
            "CVE-2023-36845",
            "A PHP External Variable Modification vulnerability in J-Web of Juniper Networks Junos OS on EX Series.",
            [
                [cpe_match("cpe:2.3:o:juniper:junos:22.4:r2:*:*:*:*:*:*")],
                [cpe_match("cpe:2.3:h:juniper:ex2300:-:*:*:*:*:*:*:*", vulnerable=False)],
            ],
        ),
        # Zimbra: vendor renamed (Synacor → Zimbra); an awaiting-analysis record names it in its text.
        record(
            "CVE-2022-27925",
            "Zimbra Collaboration (aka ZCS) 8.8.15 and 9.0 has mboximport functionality.",
            [[cpe_match(f"{A}zimbra:collaboration:9.0.0:patch{p}:*:*:*:*:*:*") for p in (22, 23)]],
        ),
        record(
            "CVE-2024-45519",
            "The postjournal service in Zimbra Collaboration (ZCS) before 8.8.15 Patch 46 allows command execution.",
            status="Awaiting Analysis",
        ),
        record(
            "CVE-2024-9999",
            "The Example Forms plugin for WordPress is vulnerable to Stored Cross-Site Scripting in all versions.",
            status="Awaiting Analysis",
        ),
        # Jenkins: a product found only in the feeds' CPE vocabulary (not needed: it is catalogued) and Kafka.
        record(
            "CVE-2023-25194",
            "A possible security vulnerability has been identified in Apache Kafka Connect API.",
            [[cpe_match(f"{A}apache:kafka:*:*:*:*:*:*:*:*", start_including="2.3.0", end_excluding="3.4.0")]],
        ),
    ]


INVENTORY = """\
unit,system,vendor,product,version,cpe
UBND-A,vpn,Pulse Secure,Pulse Connect Secure,9.1R18,
UBND-A,vpn2,Ivanti (formerly Pulse Secure),Connect Secure,22.4R2.1,
UBND-A,vpn-old,"Pulse Secure, LLC",Pulse Connect Secure,9.0R3,
UBND-B,wiki,Atlassian Corporation Plc,Confluence Server,7.13.0,
UBND-B,wiki-dc,Atlassian,Confluence Data Center,8.1.0,
UBND-B,wiki-x,,Confluence,7.13.0,
UBND-C,db,MariaDB Foundation,MySQL-compatible MariaDB,10.6.4,
UBND-C,db2,Oracle Corporation,MySQL Community Server,8.0.31,
UBND-C,db3,MariaDB,MySQL,10.6.4,
UBND-D,mail,Microsoft Corp.,Exchange Server 2019,CU8,
UBND-D,mail2,Microsoft,Microsoft Exchange Server,2019 CU12,
UBND-D,mail3,Microsoft,Exchange,2019 CU13,
UBND-E,vc,VMware by Broadcom,vCenter Server,6.7 U3j,
UBND-E,vc2,VMware,VMware vCenter,6.7 U3s,
UBND-F,web,OpenSSL Project,OpenSSL,1.0.2k,
UBND-F,web2,OpenBSD,LibreSSL,2.5.0,
UBND-G,app,,,,cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*
UBND-G,app2,Apache Software Foundation,Log4j,2.15.0,
UBND-H,adc,Citrix,NetScaler ADC,13.1-48.47,
UBND-H,fw,Palo Alto Networks,PAN-OS,10.2.0,
UBND-H,router,Cisco,RV320,1.4.2.15,
UBND-H,switch,Juniper Networks,Junos,22.4R2,
UBND-I,git,GitLab Inc.,GitLab Community Edition,16.1.2,
UBND-I,git2,GitLab,GitLab,16.1.2,
UBND-J,mail,Synacor,Zimbra Collaboration Suite,9.0.0 Patch 23,
UBND-J,cms,WordPress.org,WordPress,6.4.1,
UBND-K,bus,The Apache Software Foundation,Apache Kafka,3.3.1,
UBND-Z,junk,,,,
UBND-Z,junk2,???,!!!,1.0,
UBND-Z,junk3,Oracle,MySQL,latest,
UBND-Z,junk4,Acme,Totally Unknown Product,1.0,not-a-cpe
"""

#: What the inventory must produce (strict NVD semantics), with the KEV flag from the sample catalog.
EXPECTED_MATCHES = {
    ("UBND-A", "vpn", "CVE-2023-46805", False),
    ("UBND-A", "vpn2", "CVE-2023-46805", False),
    ("UBND-A", "vpn2", "CVE-2024-21888", False),
    ("UBND-A", "vpn-old", "CVE-2019-11510", False),
    ("UBND-B", "wiki", "CVE-2022-26134", False),
    ("UBND-B", "wiki-dc", "CVE-2023-22515", False),
    ("UBND-B", "wiki-x", "CVE-2022-26134", False),  # ambiguous edition, but vulnerable as either
    ("UBND-C", "db", "CVE-2022-27376", False),
    ("UBND-C", "db2", "CVE-2023-21980", False),
    ("UBND-D", "mail", "CVE-2021-26855", True),
    ("UBND-D", "mail2", "CVE-2022-41082", False),
    ("UBND-E", "vc", "CVE-2021-21985", False),
    ("UBND-F", "web", "CVE-2017-3736", False),
    ("UBND-G", "app", "CVE-2021-44228", True),
    ("UBND-H", "adc", "CVE-2023-4966", True),
    ("UBND-H", "fw", "CVE-2024-3400", True),
    ("UBND-H", "router", "CVE-2019-1653", True),
    ("UBND-I", "git", "CVE-2023-7028", False),
    ("UBND-I", "git2", "CVE-2023-7028", False),  # CE or EE: vulnerable as either
    ("UBND-J", "mail", "CVE-2022-27925", False),
    ("UBND-K", "bus", "CVE-2023-25194", False),
}


def write_feeds(directory: Path) -> tuple[Path, Path]:
    """The hand-written records as an NVD 2.0 file, plus the real sample file; returns both paths."""
    body = {
        "resultsPerPage": 0,
        "startIndex": 0,
        "totalResults": 0,
        "format": "NVD_CVE",
        "version": "2.0",
        "timestamp": "2024-01-01T00:00:00.000",
        "vulnerabilities": records(),
    }
    written = directory / "nvd_handwritten.json"
    written.write_text(json.dumps(body), encoding="utf-8")
    return written, SAMPLES / "nvd_cves_2.0.json"
