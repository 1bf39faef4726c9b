"""NVD applicability on configurations copied from real NVD CVE records (API 2.0 shape)."""

from __future__ import annotations

import pytest

from haidang.engines.intel.applicability import (
    Verdict,
    configuration_matches,
    evaluate,
    match_criteria,
    node_matches,
)
from haidang.engines.intel.cpe import build, parse
from haidang.engines.intel.types import Configuration, CpeMatch, CpeName, Node


def m(criteria: str, *, vulnerable: bool = True, **bounds: str) -> CpeMatch:
    return CpeMatch(
        criteria=parse(criteria),
        vulnerable=vulnerable,
        version_start_including=bounds.get("si"),
        version_start_excluding=bounds.get("se"),
        version_end_including=bounds.get("ei"),
        version_end_excluding=bounds.get("ee"),
    )


def one_node(*matches: CpeMatch) -> tuple[Configuration, ...]:
    return (Configuration(nodes=(Node(operator="OR", negate=False, matches=matches),)),)


def app(vendor: str, product: str, version: str = "*", update: str = "*", part: str = "a") -> CpeName:
    return build(part, vendor, product, version, update)


LOG4J_ANY = "cpe:2.3:a:apache:log4j:*:*:*:*:*:*:*:*"
# CVE-2021-44228
LOG4SHELL = one_node(
    m(LOG4J_ANY, si="2.0.1", ee="2.3.1"),
    m(LOG4J_ANY, si="2.4.0", ee="2.12.2"),
    m(LOG4J_ANY, si="2.13.0", ee="2.15.0"),
    m("cpe:2.3:a:apache:log4j:2.0:-:*:*:*:*:*:*"),
    m("cpe:2.3:a:apache:log4j:2.0:beta9:*:*:*:*:*:*"),
    m("cpe:2.3:a:apache:log4j:2.0:rc1:*:*:*:*:*:*"),
    m("cpe:2.3:a:apache:log4j:2.0:rc2:*:*:*:*:*:*"),
)


@pytest.mark.parametrize(
    ("version", "update", "expected"),
    [
        ("2.14.1", "*", Verdict.MATCH),
        ("2.12.1", "*", Verdict.MATCH),
        ("2.12.2", "*", Verdict.NO_MATCH),
        ("2.3", "*", Verdict.MATCH),
        ("2.3.1", "*", Verdict.NO_MATCH),
        ("2.15.0", "*", Verdict.NO_MATCH),
        ("2.17.1", "*", Verdict.NO_MATCH),
        ("2.15.0-rc1", "*", Verdict.MATCH),  # a pre-release of the fix is below it
        ("2.15.0", "rc1", Verdict.MATCH),
        ("2.0", "*", Verdict.MATCH),  # plain 2.0 = 2.0:-
        ("2.0", "beta9", Verdict.MATCH),
        ("2.0-beta9", "*", Verdict.MATCH),  # unsplit spelling of 2.0:beta9
        ("2.0", "beta8", Verdict.NO_MATCH),
        ("2.0-beta8", "*", Verdict.NO_MATCH),
        ("1.2.17", "*", Verdict.NO_MATCH),
        ("*", "*", Verdict.NO_MATCH),  # no version: a range cannot be proven
    ],
)
def test_it_applies_log4shell(version: str, update: str, expected: Verdict) -> None:
    assert evaluate(LOG4SHELL, app("apache", "log4j", version, update)) is expected


def test_it_requires_the_same_vendor_and_product() -> None:
    assert evaluate(LOG4SHELL, app("apache", "log4net", "2.14.1")) is Verdict.NO_MATCH
    assert evaluate(LOG4SHELL, app("qos", "log4j", "2.14.1")) is Verdict.NO_MATCH
    assert evaluate(LOG4SHELL, app("apache", "log4j", "2.14.1", part="o")) is Verdict.NO_MATCH


# CVE-2016-2107 (OpenSSL padding oracle): letter ranges
OPENSSL = one_node(
    m("cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*", si="1.0.1", ee="1.0.1t"),
    m("cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*", si="1.0.2", ee="1.0.2h"),
)


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("1.0.2g", True),
        ("1.0.2", True),
        ("1.0.2h", False),
        ("1.0.2k", False),
        ("1.0.1s", True),
        ("1.0.1t", False),
        ("1.0.0z", False),
        ("1.1.0", False),
    ],
)
def test_it_applies_openssl_letter_ranges(version: str, expected: bool) -> None:
    assert (evaluate(OPENSSL, app("openssl", "openssl", version)) is Verdict.MATCH) is expected


# CVE-2023-3519 (Citrix ADC), build numbers; the plain product has sw_edition NA, FIPS is a separate edition.
CITRIX_ADC = "cpe:2.3:a:citrix:netscaler_application_delivery_controller:*:*:*:*:{}:*:*:*"
CITRIX = one_node(
    m(CITRIX_ADC.format("-"), si="13.1", ee="13.1-49.13"),
    m(CITRIX_ADC.format("-"), si="13.0", ee="13.0-91.13"),
    m(CITRIX_ADC.format("fips"), si="12.1", ee="12.1-55.297"),
)


@pytest.mark.parametrize(
    ("version", "sw_edition", "expected"),
    [
        ("13.1-48.47", "*", True),
        ("13.1-49.13", "*", False),
        ("13.0-91.12", "*", True),
        ("13.0-92.19", "*", False),
        ("12.1-55.291", "*", False),  # only the FIPS edition is listed for 12.1
        ("12.1-55.291", "fips", True),
        ("13.1-48.47", "fips", False),
    ],
)
def test_it_applies_citrix_build_ranges(version: str, sw_edition: str, expected: bool) -> None:
    target = build("a", "citrix", "netscaler_application_delivery_controller", version, sw_edition=sw_edition)
    assert (evaluate(CITRIX, target) is Verdict.MATCH) is expected


# CVE-2022-41040 (ProxyNotShell): Exchange CUs are update values
EXCHANGE = one_node(
    m("cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_11:*:*:*:*:*:*"),
    m("cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_12:*:*:*:*:*:*"),
    m("cpe:2.3:a:microsoft:exchange_server:2016:cumulative_update_23:*:*:*:*:*:*"),
)


@pytest.mark.parametrize(
    ("version", "update", "expected"),
    [
        ("2019", "cumulative_update_12", True),
        ("2019", "cumulative_update_13", False),
        ("2016", "cumulative_update_23", True),
        ("2016", "cumulative_update_12", False),
        ("2019", "*", False),  # which CU is unknown: a specific update cannot be proven
        ("2019", "cu12", True),  # the same update spelled differently
    ],
)
def test_it_applies_exchange_cumulative_updates(version: str, update: str, expected: bool) -> None:
    assert (evaluate(EXCHANGE, app("microsoft", "exchange_server", version, update)) is Verdict.MATCH) is expected


# CVE-2021-21985 (vCenter): update letters
VCENTER = one_node(
    m("cpe:2.3:a:vmware:vcenter_server:6.7:-:*:*:*:*:*:*"),
    m("cpe:2.3:a:vmware:vcenter_server:6.7:update3j:*:*:*:*:*:*"),
    m("cpe:2.3:a:vmware:vcenter_server:6.7:update3m:*:*:*:*:*:*"),
)


@pytest.mark.parametrize(
    ("version", "update", "expected"),
    [
        ("6.7", "update3j", True),
        ("6.7.0", "update3j", True),
        ("6.7", "update_3j", True),
        ("6.7", "update3n", False),
        ("6.7", "*", True),  # nothing after the version: 6.7 itself (6.7:-)
        ("7.0", "update3j", False),
    ],
)
def test_it_applies_vcenter_updates(version: str, update: str, expected: bool) -> None:
    assert (evaluate(VCENTER, app("vmware", "vcenter_server", version, update)) is Verdict.MATCH) is expected


def test_it_refuses_an_unstated_update_against_a_specific_one() -> None:
    criteria = m("cpe:2.3:a:vmware:vcenter_server:6.7:update3j:*:*:*:*:*:*")
    assert match_criteria(criteria, app("vmware", "vcenter_server", "6.7", "update3j"))
    assert not match_criteria(criteria, app("vmware", "vcenter_server", "6.7"))


# CVE-2023-46805 (Ivanti Connect Secure): r-releases as update
IVANTI = one_node(
    m("cpe:2.3:a:ivanti:connect_secure:9.1:r18.2:*:*:*:*:*:*"),
    m("cpe:2.3:a:ivanti:connect_secure:22.4:r2.1:*:*:*:*:*:*"),
    m("cpe:2.3:a:ivanti:connect_secure:22.4:r1:*:*:*:*:*:*"),
)


@pytest.mark.parametrize(
    ("version", "update", "expected"),
    [
        ("22.4", "r2.1", True),
        ("22.4", "r1", True),
        ("22.4", "r2.2", False),
        ("9.1", "r18.2", True),
        ("9.1", "r18", False),
    ],
)
def test_it_applies_ivanti_releases(version: str, update: str, expected: bool) -> None:
    assert (evaluate(IVANTI, app("ivanti", "connect_secure", version, update)) is Verdict.MATCH) is expected


# CVE-2022-41352 (Zimbra): patch levels, and a range with the patch in the bound spelled in the update
ZIMBRA = one_node(
    m("cpe:2.3:a:zimbra:collaboration:8.8.15:-:*:*:*:*:*:*"),
    m("cpe:2.3:a:zimbra:collaboration:8.8.15:p30:*:*:*:*:*:*"),
    m("cpe:2.3:a:zimbra:collaboration:9.0.0:patch23:*:*:*:*:*:*"),
)


@pytest.mark.parametrize(
    ("version", "update", "expected"),
    [
        ("9.0.0", "patch23", True),
        ("9.0.0", "patch24", False),
        ("9.0.0", "p23", True),
        ("8.8.15", "patch30", True),
        ("8.8.15", "*", True),
        ("8.8.15", "patch31", False),
    ],
)
def test_it_applies_zimbra_patches(version: str, update: str, expected: bool) -> None:
    assert (evaluate(ZIMBRA, app("zimbra", "collaboration", version, update)) is Verdict.MATCH) is expected


def test_it_bounds_versions_not_their_post_release_updates() -> None:
    # NVD ranges bound the version attribute: every 6.7 update is "up to and including 6.7".
    up_to_67 = m("cpe:2.3:a:vmware:vcenter_server:*:*:*:*:*:*:*:*", ei="6.7")
    after_67 = m("cpe:2.3:a:vmware:vcenter_server:*:*:*:*:*:*:*:*", se="6.7")
    assert match_criteria(up_to_67, app("vmware", "vcenter_server", "6.7", "update3j"))
    assert not match_criteria(after_67, app("vmware", "vcenter_server", "6.7", "update3j"))
    # …but a bound that names the update is compared with it (OpenSSH CVE-2023-38408: fixed in 9.3p2)
    before_93p2 = m("cpe:2.3:a:openbsd:openssh:*:*:*:*:*:*:*:*", ee="9.3p2")
    assert match_criteria(before_93p2, app("openbsd", "openssh", "9.3", "p1"))
    assert not match_criteria(before_93p2, app("openbsd", "openssh", "9.3", "p2"))
    assert not match_criteria(before_93p2, app("openbsd", "openssh", "9.3p2"))


# CVE-2022-40684 (FortiOS): ranges on an OS, v-prefixed inventory versions
FORTIOS = "cpe:2.3:o:fortinet:fortios:*:*:*:*:*:*:*:*"
FORTI = one_node(m(FORTIOS, si="7.0.0", ei="7.0.6"), m(FORTIOS, si="7.2.0", ei="7.2.1"))


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("7.2.0", True),
        ("7.2.1", True),
        ("v7.2.1", True),
        ("7.2.2", False),
        ("7.0.6", True),
        ("7.0.7", False),
        ("6.4.9", False),
    ],
)
def test_it_applies_fortios_ranges(version: str, expected: bool) -> None:
    assert (evaluate(FORTI, app("fortinet", "fortios", version, part="o")) is Verdict.MATCH) is expected


# CVE-2018-0101 style: firmware (vulnerable) AND hardware (platform, not vulnerable)
ASA = (
    Configuration(
        operator="AND",
        nodes=(
            Node(
                "OR",
                False,
                (m("cpe:2.3:o:cisco:adaptive_security_appliance_software:*:*:*:*:*:*:*:*", si="9.1", ee="9.1.7.23"),),
            ),
            Node(
                "OR",
                False,
                (
                    m("cpe:2.3:h:cisco:asa_5505:-:*:*:*:*:*:*:*", vulnerable=False),
                    m("cpe:2.3:h:cisco:asa_5510:-:*:*:*:*:*:*:*", vulnerable=False),
                ),
            ),
        ),
    ),
)
ASA_FIRMWARE = app("cisco", "adaptive_security_appliance_software", "9.1.7.20", part="o")
ASA_5505 = build("h", "cisco", "asa_5505")
FIREPOWER = build("h", "cisco", "firepower_2110")


def test_it_needs_the_platform_when_none_is_known() -> None:
    assert evaluate(ASA, ASA_FIRMWARE) is Verdict.NEEDS_PLATFORM


def test_it_matches_with_the_listed_platform() -> None:
    assert evaluate(ASA, ASA_FIRMWARE, platforms=(ASA_5505,)) is Verdict.MATCH
    assert configuration_matches(ASA[0], (ASA_FIRMWARE, ASA_5505))


def test_it_does_not_match_on_another_platform() -> None:
    assert evaluate(ASA, ASA_FIRMWARE, platforms=(FIREPOWER,)) is Verdict.NO_MATCH
    assert not configuration_matches(ASA[0], (ASA_FIRMWARE, FIREPOWER))


def test_it_never_calls_the_platform_itself_vulnerable() -> None:
    assert evaluate(ASA, ASA_5505) is Verdict.NO_MATCH
    assert evaluate(ASA, ASA_5505, platforms=(ASA_FIRMWARE,)) is Verdict.NO_MATCH


def test_it_does_not_need_a_platform_for_a_fixed_firmware() -> None:
    fixed = app("cisco", "adaptive_security_appliance_software", "9.1.7.23", part="o")
    assert evaluate(ASA, fixed) is Verdict.NO_MATCH


def test_it_prefers_a_configuration_that_matches_outright() -> None:
    assert evaluate(ASA + LOG4SHELL, app("apache", "log4j", "2.14.1")) is Verdict.MATCH
    assert evaluate(LOG4SHELL + ASA, ASA_FIRMWARE) is Verdict.NEEDS_PLATFORM


def test_it_honours_negate_and_and_nodes() -> None:
    everything_but_2141 = Node("OR", True, (m("cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"),))
    log4j_2x = Node("OR", False, (m(LOG4J_ANY, si="2.0", ee="2.15.0"),))
    config = Configuration(nodes=(log4j_2x, everything_but_2141), operator="AND")
    assert evaluate((config,), app("apache", "log4j", "2.14.0")) is Verdict.MATCH
    assert evaluate((config,), app("apache", "log4j", "2.14.1")) is Verdict.NO_MATCH
    assert node_matches(everything_but_2141, (app("apache", "log4j", "2.14.0"),))
    assert not node_matches(everything_but_2141, (app("apache", "log4j", "2.14.1"),))
    both = Node("AND", False, (m(LOG4J_ANY, si="2.0", ee="2.15.0"), m("cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*")))
    assert not node_matches(both, (app("apache", "log4j", "2.14.0"),))
    assert node_matches(both, (app("apache", "log4j", "2.14.0"), app("linux", "linux_kernel", "5.10", part="o")))
    assert evaluate((Configuration(nodes=(both,)),), app("apache", "log4j", "2.14.0")) is Verdict.NEEDS_PLATFORM


def test_it_ignores_empty_and_negated_configurations() -> None:
    assert evaluate((), app("apache", "log4j", "2.14.1")) is Verdict.NO_MATCH
    assert evaluate((Configuration(nodes=()),), app("apache", "log4j", "2.14.1")) is Verdict.NO_MATCH
    negated = Configuration(nodes=LOG4SHELL[0].nodes, negate=True)
    assert evaluate((negated,), app("apache", "log4j", "2.14.1")) is Verdict.NO_MATCH


def test_it_matches_targets_with_quoted_characters() -> None:
    criteria = m(r"cpe:2.3:o:cisco:ios:15.2\(4\)m:*:*:*:*:*:*:*")
    assert match_criteria(criteria, parse(r"cpe:2.3:o:cisco:ios:15.2\(4\)M:*:*:*:*:*:*:*"))
    assert not match_criteria(criteria, parse(r"cpe:2.3:o:cisco:ios:15.2\(4\)m1:*:*:*:*:*:*:*"))
    ranged = m("cpe:2.3:o:cisco:ios:*:*:*:*:*:*:*:*", ee="15.2(5)")
    assert match_criteria(ranged, parse(r"cpe:2.3:o:cisco:ios:15.2\(4\)m:*:*:*:*:*:*:*"))


def test_it_keeps_target_sw_distinct() -> None:
    # CVE-2021-26084 style: a plugin for a given host application
    criteria = m("cpe:2.3:a:jenkins:script_security:*:*:*:*:*:jenkins:*:*", ee="1.76")
    plugin = build("a", "jenkins", "script_security", "1.75", target_sw="jenkins")
    assert match_criteria(criteria, plugin)
    assert match_criteria(criteria, build("a", "jenkins", "script_security", "1.75")) is False
