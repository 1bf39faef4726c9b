"""Inventory names → CPE products: catalogue, vocabulary, review — never a fuzzy guess."""

from __future__ import annotations

import pytest

from haidang.engines.intel.products import (
    CatalogueError,
    Resolution,
    Resolver,
    Status,
    Vocabulary,
    default_catalogue,
    normalise,
    parse_catalogue,
    product_phrases,
    vendor_keys,
)
from haidang.engines.intel.types import InventoryRow

resolver = Resolver()


def _resolve(
    vendor: str, product: str, version: str = "1.0", cpe: str = "", vocabulary: Vocabulary | None = None
) -> Resolution:
    row = InventoryRow(unit="U", system="S", vendor=vendor, product=product, version=version, cpe=cpe)
    return resolver.finish(resolver.prepare(row), vocabulary or Vocabulary())


def _uris(resolution: Resolution) -> list[str]:
    (candidate,) = resolution.candidates
    return [t.uri() for t in resolution.targets(candidate) or ()]


def test_it_loads_the_shipped_catalogue_with_a_version() -> None:
    catalogue = default_catalogue()
    assert catalogue.version
    assert len(catalogue.entries) >= 40


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Joomla!", "joomla"), ("  Veeam  Backup & Replication ", "veeam backup and replication"), ("Đăng", "dang")],
)
def test_it_folds_case_accents_punctuation_and_spacing(text: str, folded: str) -> None:
    assert normalise(text) == folded


def test_it_reads_every_part_of_a_vendor_and_drops_company_forms() -> None:
    keys = vendor_keys("Ivanti, Inc. (formerly Pulse Secure LLC)")
    assert {"ivanti", "pulsesecure"} <= keys
    assert "juniper" in vendor_keys("Juniper Networks")


def test_it_removes_the_vendor_repeated_in_the_product() -> None:
    assert product_phrases("Microsoft Corp.", "Microsoft Exchange Server") == [
        "microsoft exchange server",
        "exchange server",
    ]


@pytest.mark.parametrize(
    ("vendor", "product", "version", "uris"),
    [
        (
            "Pulse Secure",
            "Pulse Connect Secure",
            "9.1R18",
            [
                "cpe:2.3:a:pulsesecure:pulse_connect_secure:9.1:r18:*:*:*:*:*:*",
                "cpe:2.3:a:ivanti:connect_secure:9.1:r18:*:*:*:*:*:*",
            ],
        ),
        ("", "MySQL-compatible MariaDB", "10.6.4", ["cpe:2.3:a:mariadb:mariadb:10.6.4:*:*:*:*:*:*:*"]),
        (
            "Microsoft Corp.",
            "Exchange Server 2019",
            "CU12",
            ["cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_12:*:*:*:*:*:*"],
        ),
        ("VMware by Broadcom", "vCenter", "v6.7 U3j", ["cpe:2.3:a:vmware:vcenter_server:6.7:update3j:*:*:*:*:*:*"]),
        (
            "Microsoft",
            "Windows Server 2012 R2",
            "6.3.9600",
            ["cpe:2.3:o:microsoft:windows_server_2012:r2:*:*:*:*:*:*:*"],
        ),
        ("Joomla", "Joomla!", "4.2.7", ["cpe:2.3:a:joomla:joomla\\!:4.2.7:*:*:*:*:*:*:*"]),
        ("GitLab", "GitLab EE", "16.1.2", ["cpe:2.3:a:gitlab:gitlab:16.1.2:*:*:*:enterprise:*:*:*"]),
        ("Jenkins project", "Jenkins", "2.426.1", ["cpe:2.3:a:jenkins:jenkins:2.426.1:*:*:*:lts:*:*:*"]),
        (
            "F5",
            "nginx web server",
            "1.25.3",
            ["cpe:2.3:a:nginx:nginx:1.25.3:*:*:*:*:*:*:*", "cpe:2.3:a:f5:nginx:1.25.3:*:*:*:*:*:*:*"],
        ),
    ],
)
def test_it_resolves_written_names_through_the_catalogue(
    vendor: str, product: str, version: str, uris: list[str]
) -> None:
    resolution = _resolve(vendor, product, version)
    assert resolution.status is Status.RESOLVED
    assert _uris(resolution) == uris


@pytest.mark.parametrize(
    ("product", "version", "uri"),
    [
        ("Confluence Server 7.13.0", "", "cpe:2.3:a:atlassian:confluence_server:7.13.0:*:*:*:*:*:*:*"),
        ("Apache Tomcat 9", "9.0.65", "cpe:2.3:a:apache:tomcat:9.0.65:*:*:*:*:*:*:*"),
        ("Exchange 2016", "CU23", "cpe:2.3:a:microsoft:exchange_server:2016:cumulative_update_23:*:*:*:*:*:*"),
    ],
)
def test_it_reads_a_release_written_in_the_product_name(product: str, version: str, uri: str) -> None:
    resolution = _resolve("", product, version)
    assert _uris(resolution)[0] == uri


def test_it_uses_a_valid_cpe_column_and_splits_its_version() -> None:
    resolution = _resolve("whatever", "whatever", "", cpe="cpe:2.3:a:ivanti:connect_secure:22.4r2.1:*:*:*:*:*:*:*")
    assert _uris(resolution) == ["cpe:2.3:a:ivanti:connect_secure:22.4:r2.1:*:*:*:*:*:*"]


def test_it_takes_the_version_column_when_the_cpe_has_none() -> None:
    resolution = _resolve("", "", "6.7 U3j", cpe="cpe:/a:vmware:vcenter_server")
    assert _uris(resolution) == ["cpe:2.3:a:vmware:vcenter_server:6.7:update3j:*:*:*:*:*:*"]


@pytest.mark.parametrize(
    ("vendor", "product"),
    [("MariaDB", "MySQL"), ("Percona", "MySQL"), ("OpenBSD", "OpenSSL"), ("", "LibreSSL fork of OpenSSL")],
)
def test_it_never_resolves_a_look_alike_to_its_upstream(vendor: str, product: str) -> None:
    resolution = _resolve(vendor, product)
    upstreams = {"oracle-mysql", "openssl"}
    assert not (resolution.status is Status.RESOLVED and resolution.candidates[0].key in upstreams)


def test_it_sends_an_edition_less_product_to_review() -> None:
    resolution = _resolve("Atlassian", "Confluence", "7.13.0")
    assert resolution.status is Status.AMBIGUOUS
    assert {c.key for c in resolution.candidates} == {"atlassian-confluence-server", "atlassian-confluence-data-center"}


def test_it_reports_unknown_products_instead_of_guessing() -> None:
    assert _resolve("Acme", "OpenSSL-ish Thing").status is not Status.RESOLVED
    assert _resolve("", "Confluense Server").status is Status.UNKNOWN  # a typo is not a near match


def test_it_resolves_from_the_vocabulary_only_on_exact_vendor_and_product() -> None:
    vocabulary = Vocabulary.of([("a", "apache", "kafka"), ("a", "confluent", "kafka_connect")])
    resolution = _resolve("The Apache Software Foundation", "Apache Kafka", "3.3.1", vocabulary=vocabulary)
    assert _uris(resolution) == ["cpe:2.3:a:apache:kafka:3.3.1:*:*:*:*:*:*:*"]
    assert _resolve("Apache", "Kafka Connector", vocabulary=vocabulary).status is not Status.RESOLVED


def test_it_reads_a_device_name_as_its_firmware_on_that_hardware() -> None:
    vocabulary = Vocabulary.of([("o", "cisco", "rv320_firmware"), ("h", "cisco", "rv320")])
    resolution = _resolve("Cisco", "RV320", "1.4.2.15", vocabulary=vocabulary)
    assert _uris(resolution) == ["cpe:2.3:o:cisco:rv320_firmware:1.4.2.15:*:*:*:*:*:*:*"]
    assert [p.uri() for p in resolution.candidates[0].platforms] == ["cpe:2.3:h:cisco:rv320:*:*:*:*:*:*:*:*"]


@pytest.mark.parametrize("version", ["", "latest", "N/A", "v"])
def test_it_has_no_target_for_an_unusable_version(version: str) -> None:
    resolution = _resolve("", "OpenSSL", version)
    assert resolution.targets(resolution.candidates[0]) is None


def test_it_refuses_a_broken_catalogue() -> None:
    with pytest.raises(CatalogueError, match="part:vendor:product"):
        parse_catalogue({"product": [{"id": "x", "names": ["x"], "cpes": [{"cpe": "x:y"}]}]})


def test_every_catalogue_cpe_is_well_formed_and_names_are_unique_per_edition() -> None:
    catalogue = default_catalogue()
    ids = [entry.candidate.key for entry in catalogue.entries]
    assert len(ids) == len(set(ids))
    for entry in catalogue.entries:
        for part, vendor, product in entry.candidate.names:
            assert part in {"a", "o", "h"}
            assert vendor == vendor.lower()
            assert product == product.lower()
