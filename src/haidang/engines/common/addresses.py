"""The private-address guard: which IP addresses an outbound fetch may connect to.

Networks are listed here explicitly rather than taken from ``ipaddress``'s ``is_private``/``is_global``,
whose membership changes between Python releases. IPv6 forms that carry an IPv4 address (mapped,
compatible, NAT64, 6to4, Teredo) are judged by the worst of the IPv6 address and the embedded one.
"""

from __future__ import annotations

import functools
import re
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

from haidang.engines.common.types import AddressClass, AddressPolicy

IPAddress = IPv4Address | IPv6Address

_METADATA_V4 = tuple(
    IPv4Network(n)
    for n in (
        "169.254.0.0/16",  # link-local: AWS/GCP/Azure/OpenStack metadata 169.254.169.254, ECS 169.254.170.2
        "100.100.100.200/32",  # Alibaba Cloud metadata
        "168.63.129.16/32",  # Azure wire server (a public address)
    )
)
_UNROUTABLE_V4 = tuple(
    IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # "this network", includes unspecified 0.0.0.0
        "192.0.2.0/24",  # documentation TEST-NET-1
        "198.51.100.0/24",  # TEST-NET-2
        "203.0.113.0/24",  # TEST-NET-3
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, includes broadcast 255.255.255.255
    )
)
_PRIVATE_V4 = tuple(
    IPv4Network(n)
    for n in (
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
    )
)
_METADATA_V6 = tuple(IPv6Network(n) for n in ("fd00:ec2::254/128",))
_UNROUTABLE_V6 = tuple(
    IPv6Network(n)
    for n in (
        "::/128",
        "100::/64",  # discard-only
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation (RFC 9637)
        "ff00::/8",  # multicast
    )
)
_PRIVATE_V6 = tuple(
    IPv6Network(n)
    for n in (
        "::1/128",
        "64:ff9b:1::/48",  # local-use NAT64
        "2001:2::/48",  # benchmarking
        "2001:10::/28",  # ORCHID
        "2001:20::/28",  # ORCHIDv2
        "fc00::/7",  # unique-local
        "fe80::/10",  # link-local
        "fec0::/10",  # deprecated site-local
    )
)
_COMPATIBLE = IPv6Network("::/96")
_NAT64 = IPv6Network("64:ff9b::/96")
_SIIT = IPv6Network("::ffff:0:0:0/96")

_SEVERITY = {AddressClass.PUBLIC: 0, AddressClass.PRIVATE: 1, AddressClass.METADATA: 2, AddressClass.UNROUTABLE: 3}

# A host that ends in a number must be an IPv4 address in one of the legacy spellings accepted by
# inet_aton() and by browsers (WHATWG URL standard): 1 to 4 parts, each decimal, 0x-hex or 0-octal.
_NUMBER_LABEL = re.compile(r"(?:0[xX][0-9a-fA-F]*|[0-9]+)")


def _classify_v4(ip: IPv4Address) -> AddressClass:
    for networks, klass in (
        (_UNROUTABLE_V4, AddressClass.UNROUTABLE),
        (_METADATA_V4, AddressClass.METADATA),
        (_PRIVATE_V4, AddressClass.PRIVATE),
    ):
        if any(ip in network for network in networks):
            return klass
    return AddressClass.PUBLIC


def _embedded_v4(ip: IPv6Address) -> list[IPv4Address]:
    found: list[IPv4Address] = []
    if ip.ipv4_mapped is not None:
        found.append(ip.ipv4_mapped)
    if ip in _COMPATIBLE or ip in _NAT64 or ip in _SIIT:
        found.append(IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        found.append(ip.sixtofour)
    if ip.teredo is not None:
        found.extend(ip.teredo)
    return found


def _classify_v6(ip: IPv6Address) -> AddressClass:
    own = AddressClass.PUBLIC
    for networks, klass in (
        (_UNROUTABLE_V6, AddressClass.UNROUTABLE),
        (_METADATA_V6, AddressClass.METADATA),
        (_PRIVATE_V6, AddressClass.PRIVATE),
    ):
        if any(ip in network for network in networks):
            own = klass
            break
    if ip in (IPv6Address("::"), IPv6Address("::1")):
        return own
    classes = [own, *(_classify_v4(v4) for v4 in _embedded_v4(ip))]
    return max(classes, key=_SEVERITY.__getitem__)


@functools.lru_cache(maxsize=4096)
def classify_address(ip: IPAddress) -> AddressClass:
    """The network class of ``ip``; IPv6 forms embedding an IPv4 address take the worse of the two."""
    if isinstance(ip, IPv4Address):
        return _classify_v4(ip)
    return _classify_v6(ip)


def _parse_number(label: str) -> int | None:
    if label[:2].lower() == "0x":
        return int(label[2:], 16) if label[2:] else 0
    if len(label) > 1 and label.startswith("0"):
        return int(label, 8) if all(c in "01234567" for c in label) else None
    return int(label)


def parse_legacy_ipv4(host: str) -> IPv4Address | None:
    """Parse ``host`` as an IPv4 address the way browsers and inet_aton() do, or return None.

    Accepts ``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``127.1`` and friends. Returns None when the
    host is not made of numbers at all; raises ValueError when it ends in a number but is not a valid
    address (``1.2.3.999``), since such a host can only be a disguised or broken address.
    """
    labels = host.split(".")
    if labels and labels[-1] == "":
        labels.pop()  # a single trailing dot is allowed
    if not labels or not _NUMBER_LABEL.fullmatch(labels[-1]):
        return None
    if len(labels) > 4 or not all(_NUMBER_LABEL.fullmatch(label) for label in labels):
        raise ValueError(f"host {host!r} ends in a number but is not an IPv4 address")
    numbers = [_parse_number(label) for label in labels]
    if any(n is None for n in numbers):
        raise ValueError(f"host {host!r} has an invalid octal part")
    *head, last = [n for n in numbers if n is not None]
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        raise ValueError(f"host {host!r} has an IPv4 part out of range")
    value = last
    for index, part in enumerate(head):
        value += part << (8 * (3 - index))
    return IPv4Address(value)


def parse_ip(text: str) -> IPAddress | None:
    """An IP address from any spelling (dotted, legacy numeric, bracketed or bare IPv6), else None."""
    candidate = text.strip()
    if candidate.startswith("[") and candidate.endswith("]"):
        candidate = candidate[1:-1]
    if "%" in candidate:
        return None  # zone ids name an interface: never a valid outbound target
    try:
        return ip_address(candidate)
    except ValueError:
        pass
    try:
        return parse_legacy_ipv4(candidate)
    except ValueError:
        return None


def address_permitted(ip: IPAddress, port: int | None, policy: AddressPolicy) -> bool:
    """Whether ``policy`` lets a fetch connect to ``ip`` (on ``port``, for endpoint exceptions)."""
    if port is not None and (str(ip), port) in policy.allowed_endpoints:
        return True
    klass = classify_address(ip)
    if klass is AddressClass.PUBLIC:
        return True
    if klass is AddressClass.PRIVATE:
        return policy.allow_private
    if klass is AddressClass.METADATA:
        return policy.allow_metadata
    return False


def is_forbidden_address(ip: str | IPAddress, policy: AddressPolicy | None = None) -> bool:
    """True when ``ip`` must not be connected to under ``policy`` (default: public addresses only).

    Strings are parsed in every spelling a URL host could use; anything unparseable is forbidden.
    """
    parsed = parse_ip(ip) if isinstance(ip, str) else ip
    if parsed is None:
        return True
    return not address_permitted(parsed, None, policy or AddressPolicy())
