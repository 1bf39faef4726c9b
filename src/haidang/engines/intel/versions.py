"""Version order for NVD ranges, and the split of free-text versions into CPE ``version``/``update``.

NVD ranges (``versionStartIncluding`` … ``versionEndExcluding`` in API 2.0 ``cpeMatch``) bound the
CPE *version* attribute, and NVD does not publish its comparator; the order below is total, deterministic
and never raises, and puts the release lines NVD actually uses in the order their vendors mean.

How a version string becomes a key (:func:`version_key`):

1. Lower-cased; ``service pack`` → ``sp``, ``cumulative update`` → ``cu``; a leading ``v``/``ver``/
   ``version`` before a digit is dropped (``v7.2.2`` = ``7.2.2``).
2. Tokens are runs of ASCII digits (integers) and runs of letters; every other character
   (``. - _ +``, spaces, brackets) only separates. So ``13.1-48.47`` = ``13.1.48.47`` and Citrix builds
   compare as numbers (``13.1-48.47 < 13.1-49.13``, ``12.1-55.291 < 13.0-36.27``).
3. Trailing zeros of every run of numbers are dropped (``1.0`` = ``1.0.0``, ``1.0-rc1`` = ``1.0.0-rc1``).
4. Letter tokens are classified:

   - pre-release words rank *below* the release: ``dev``/``snapshot``/``nightly`` < ``alpha``/``a``/
     ``preview``/``ea`` < ``beta``/``b`` < ``milestone``/``m`` < ``rc``/``cr``/``c``/``pre``
     (``1.0.0-alpha < 1.0.0-beta2 < 1.0.0-rc1 < 1.0.0``, ``1.0b2 < 1.0``, ``2.0.0.M1 < 2.0.0``);
   - post-release markers rank *above* the release and below a further number: ``p``/``patch``/``pl``,
     ``u``/``update``, ``sp``, ``r``/``rev``, ``cu``, ``hotfix``/``hf``, ``post``
     (``9.0.0 patch 23 > 9.0.0``, ``1.0-p1 < 1.0.1``);
   - ``final``/``ga``/``release``/``stable`` are ignored (``1.0.GA`` = ``1.0``);
   - any other letters are a suffix above the release, compared as text: OpenSSL
     ``1.1.1 < 1.1.1a``, ``1.0.2k < 1.0.2za < 1.0.2zd < 1.0.2zz``.

   A one-letter token (``a b c m`` / ``p u r``) is a pre/post marker only when a digit follows it
   directly (``1.0b2``, ``2.0.0.M1``, ``8.9p1``, ``6.7u3``); otherwise it is a letter suffix, so OpenSSL
   ``1.0.2b``/``1.0.2p``/``1.0.2u`` stay letters in alphabetical order.
5. Items compare as pre-release < end of version < post marker < letter suffix < number, then by value;
   so ``1.0.0 < 1.0.0.1`` and ``10.0.19041.1234 < 10.0.19041.1235``.

Two strings whose keys are equal compare equal (``compare`` is a total preorder: ``"1.0" == "1.0.0"``).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["compare", "in_range", "is_prerelease", "split_update", "version_key"]

# Item kinds, in their order at one position.
_PRE = 0
_END = 1
_POST = 2
_LETTERS = 3
_NUMBER = 4

Item = tuple[int, int, str]

_END_ITEM: Item = (_END, 0, "")

_PRE_WORDS: dict[str, tuple[int, str]] = {
    "dev": (0, "dev"),
    "snapshot": (0, "dev"),
    "nightly": (0, "dev"),
    "canary": (0, "dev"),
    "alpha": (1, "alpha"),
    "preview": (1, "alpha"),
    "ea": (1, "alpha"),
    "beta": (2, "beta"),
    "milestone": (3, "milestone"),
    "rc": (4, "rc"),
    "cr": (4, "rc"),
    "pre": (4, "rc"),
}
_PRE_LETTERS: dict[str, tuple[int, str]] = {"a": (1, "alpha"), "b": (2, "beta"), "m": (3, "milestone"), "c": (4, "rc")}

_POST_WORDS: dict[str, str] = {
    "patch": "patch",
    "pl": "patch",
    "update": "update",
    "upd": "update",
    "sp": "sp",
    "rev": "r",
    "revision": "r",
    "cu": "cu",
    "hotfix": "hotfix",
    "hf": "hotfix",
    "post": "post",
}
_POST_LETTERS: dict[str, str] = {"p": "patch", "u": "update", "r": "r"}

_IGNORED_WORDS = frozenset({"final", "ga", "release", "stable"})

_DIGITS = frozenset("0123456789")
_TOKEN = re.compile(r"[0-9]+|[^\W\d_]+")
_PREFIX = re.compile(r"^\s*(?:version|ver|v)[\s._-]*(?=[0-9])")
_PHRASES = (
    (re.compile(r"service[\s_-]*pack"), "sp"),
    (re.compile(r"cumulative[\s_-]*update"), "cu"),
)


def _letters_item(word: str, digit_follows: bool) -> Item | None:
    if word in _IGNORED_WORDS:
        return None
    if word in _PRE_WORDS:
        rank, name = _PRE_WORDS[word]
        return (_PRE, rank, name)
    if word in _POST_WORDS:
        return (_POST, 0, _POST_WORDS[word])
    if digit_follows and word in _PRE_LETTERS:
        rank, name = _PRE_LETTERS[word]
        return (_PRE, rank, name)
    if digit_follows and word in _POST_LETTERS:
        return (_POST, 0, _POST_LETTERS[word])
    return (_LETTERS, 0, word)


@lru_cache(maxsize=1 << 16)
def version_key(version: str) -> tuple[Item, ...]:
    """The comparison key of ``version`` (see the module docstring); equal keys mean equal versions."""
    text = _PREFIX.sub("", str(version).lower())
    for pattern, replacement in _PHRASES:
        text = pattern.sub(replacement, text)
    items: list[Item] = []
    run: list[int] = []

    def flush() -> None:
        while run and run[-1] == 0:
            run.pop()
        items.extend((_NUMBER, number, "") for number in run)
        run.clear()

    tokens = list(_TOKEN.finditer(text))
    for index, token in enumerate(tokens):
        value = token.group()
        if value[0] in _DIGITS:
            run.append(int(value))
            continue
        flush()
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        digit_follows = following is not None and following.start() == token.end() and following.group()[0] in _DIGITS
        item = _letters_item(value, digit_follows)
        if item is not None:
            items.append(item)
    flush()
    items.append(_END_ITEM)
    return tuple(items)


def compare(a: str, b: str) -> int:
    """-1, 0 or 1 as ``a`` is before, the same as, or after ``b`` (total, deterministic, never raises)."""
    key_a = version_key(a)
    key_b = version_key(b)
    return (key_a > key_b) - (key_a < key_b)


def is_prerelease(text: str) -> bool:
    """Whether ``text`` (a version or a CPE update such as ``beta9``/``rc1``/``m1``) starts as a pre-release."""
    key = version_key(text)
    for item in key:
        if item[0] != _NUMBER:
            return item[0] == _PRE
    return False


def in_range(
    version: str,
    *,
    start_including: str | None = None,
    start_excluding: str | None = None,
    end_including: str | None = None,
    end_excluding: str | None = None,
) -> bool:
    """Whether ``version`` satisfies every given NVD bound (unset bounds are open; no bounds → True).

    An empty version, ``*`` (ANY) or ``-`` (NA) is never in a range: it states no version.
    """
    if version.strip() in {"", "*", "-"}:
        return False
    if start_including is not None and compare(version, start_including) < 0:
        return False
    if start_excluding is not None and compare(version, start_excluding) <= 0:
        return False
    if end_including is not None and compare(version, end_including) > 0:
        return False
    return not (end_excluding is not None and compare(version, end_excluding) >= 0)


# --- free-text version → CPE (version, update) -------------------------------------------------------

# A release number (digits and dots, maybe a Citrix-like "-48.47" build) at the start of the text.
_RELEASE = r"(?P<version>\d+(?:\.\d+)*)"
_QUALIFIER = re.compile(
    _RELEASE
    + r"\s*[-_.]?\s*"
    + r"(?P<marker>cumulative[\s_-]*update|cu|service[\s_-]*pack|sp|update|u|patch|p|r)"
    + r"\s*[-_]?\s*(?P<rest>\d[0-9a-z.\-]*)$"
)
_PRERELEASE = re.compile(
    _RELEASE + r"[-_.]?(?P<marker>alpha|beta|rc|milestone|m|a|b|pre|preview|dev|snapshot)[-_.]?(?P<rest>\d*(?:\.\d+)*)$"
)
# Words in front of the version ("Exchange Server 2019 CU12", "version 9.1R18", "v7.2.2").
_LEADING_WORDS = re.compile(r"^\D*(?=\d)")

# How NVD spells the update for each marker. Vendor rows override the generic spelling; sources are the
# CPE names NVD uses in its configurations, e.g.
#   cpe:2.3:a:microsoft:exchange_server:2019:cumulative_update_12:*:*:*:*:*:*
#   cpe:2.3:a:vmware:vcenter_server:6.7:update3j:*:*:*:*:*:*
#   cpe:2.3:a:ivanti:connect_secure:22.4:r2.1:*:*:*:*:*:*   cpe:2.3:a:pulsesecure:pulse_connect_secure:9.1:r18.2
#   cpe:2.3:a:zimbra:collaboration:9.0.0:patch23:*:*:*:*:*:*
#   cpe:2.3:a:openbsd:openssh:8.9:p1:*:*:*:*:*:*          cpe:2.3:o:juniper:junos:21.4:r3-s5
_GENERIC_SPELLING: dict[str, str] = {
    "cumulative_update": "cumulative_update_",
    "cu": "cumulative_update_",
    "service_pack": "sp",
    "sp": "sp",
    "update": "update",
    "u": "update",
    "patch": "patch",
    "p": "p",
    "r": "r",
}
_VENDOR_SPELLING: dict[tuple[str, str], dict[str, str]] = {
    # Zimbra writes "Patch 23" and "P23"; NVD uses patch23 for both.
    ("zimbra", "*"): {"p": "patch", "patch": "patch"},
    ("synacor", "*"): {"p": "patch", "patch": "patch"},
}
# Products whose plain version text never carries an update marker: take it verbatim.
# Fortinet "7.2.4" and Citrix "13.1-48.47" are whole versions NVD compares with ranges.
_VERBATIM_VENDORS = frozenset({"fortinet", "citrix"})
# Exchange security updates ("CU14 SU2") are not in NVD's CPE: the name stops at the CU.
_SECURITY_UPDATE = re.compile(r"\s*[-_ ]?\s*su\s*\d+$")


def _spelling(vendor: str, product: str, marker: str) -> str:
    marker = re.sub(r"[\s-]+", "_", marker)
    for key in ((vendor, product), (vendor, "*")):
        table = _VENDOR_SPELLING.get(key)
        if table and marker in table:
            return table[marker]
    return _GENERIC_SPELLING[marker]


def split_update(vendor: str, product: str, version_text: str) -> tuple[str, str]:
    """The CPE ``(version, update)`` NVD would use for an inventory's free-text version; update ``""`` = not given.

    Rules, first that applies:

    - empty → ``("", "")``; Fortinet and Citrix versions are taken whole (``13.1-48.47``);
    - leading words and a ``v`` are dropped (``Exchange Server 2019 CU12`` → ``2019 CU12``) and
      a trailing Exchange security update ``SU<n>`` is dropped (NVD names stop at the CU);
    - ``<release> <marker><n…>`` with marker ``CU``/``Cumulative Update`` → ``cumulative_update_<n>``,
      ``U``/``Update`` → ``update<n>``, ``SP``/``Service Pack`` → ``sp<n>``, ``Patch`` → ``patch<n>``,
      ``P`` → ``p<n>`` (``patch<n>`` for Zimbra), ``R`` → ``r<n…>`` (``22.4R2.1`` → ``("22.4", "r2.1")``,
      Junos ``21.4R3-S5`` → ``("21.4", "r3-s5")``);
    - ``<release>[-.]<pre-release>`` → the pre-release as update (``2.0-beta9`` → ``("2.0", "beta9")``),
      as NVD writes ``cpe:2.3:a:apache:log4j:2.0:beta9``;
    - otherwise the text (lower-cased, stripped) with no update.
    """
    vendor = vendor.strip().lower()
    product = product.strip().lower()
    text = " ".join(version_text.strip().lower().split())
    if not text:
        return "", ""
    if vendor in _VERBATIM_VENDORS:
        return _LEADING_WORDS.sub("", text) or text, ""
    text = _LEADING_WORDS.sub("", text) or text
    if "exchange" in product:
        text = _SECURITY_UPDATE.sub("", text)
    qualified = _QUALIFIER.match(text)
    if qualified:
        spelling = _spelling(vendor, product, qualified.group("marker"))
        return qualified.group("version"), spelling + qualified.group("rest")
    prerelease = _PRERELEASE.match(text)
    # A lone a/b/m is an OpenSSL-style letter ("1.0.2a"), not alpha/beta/milestone.
    if prerelease and (len(prerelease.group("marker")) > 1 or prerelease.group("rest")):
        return prerelease.group("version"), prerelease.group("marker") + prerelease.group("rest")
    return text, ""
