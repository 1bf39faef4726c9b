"""NVD applicability: whether a CVE's ``configurations`` apply to one product instance.

NVD CVE API 2.0 shape (``configurations[].nodes[].cpeMatch[]``): a configuration has ``nodes`` joined by
its ``operator`` (``AND`` for "running on/with" configurations, else ``OR``) and an optional ``negate``;
a node has ``operator`` ``OR``/``AND`` over its ``cpeMatch`` entries and ``negate``; a ``cpeMatch`` has
``vulnerable``, ``criteria`` (a CPE 2.3 match string) and optional ``versionStartIncluding``,
``versionStartExcluding``, ``versionEndIncluding``, ``versionEndExcluding``.

The target is a concrete *instance* from the inventory, not a match pattern, which fixes three readings
the pure NISTIR 7696 relation leaves open (all in :func:`match_criteria`):

1. A target attribute other than part/vendor/product that is ``*`` means "not stated" and is read as NA
   (``-``): an inventory line "Log4j 2.0" is the plain release, so it matches NVD's
   ``log4j:2.0:-`` and the NA qualifiers of platform names (``h:cisco:asa_5505:-``), but it never matches a
   criteria that names a specific value (``vcenter_server:6.7:update3j`` needs the target's update
   ``update3j``; a target update ``*`` does not match).
2. Version and update values that are plain literals on both sides also match when
   :func:`versions.compare` finds them equal (``6.7`` = ``6.7.0``, ``v7.2.2`` = ``7.2.2``, ``p30`` =
   ``patch30``, ``update_3`` = ``update3``, ``m1`` = ``milestone1``). 7696 compares strings; NVD's own
   spelling of the same release varies between records, so string equality alone would lose matches.
3. A version and its update are one release: a target ``(2.0, beta9)`` is also tried as version
   ``2.0-beta9``, and a target version ``2.0-beta9`` with no update as ``(2.0, beta9)``. Against a range the
   target version is compared with the bound as ``version-update`` — except that a *post*-release update
   (``update3j``, ``patch23``, ``r2.1``) of exactly the bound's version counts as that version, because NVD
   ranges bound the version attribute (so ``vcenter 6.7 update3j`` is within ``versionEndIncluding 6.7``
   while ``openssh 9.3p2`` is not below ``versionEndExcluding 9.3p2``).

With a version range the criteria's version must be ``*`` or ``-`` (NVD writes ``*``) and the target's
version must lie in the range; with a range *and* a specific criteria version, both must hold.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from functools import lru_cache

from haidang.engines.intel import versions
from haidang.engines.intel.cpe import attribute_matches, escape_value, has_wildcards, plain_literal, unescape_value
from haidang.engines.intel.types import ANY, NA, Configuration, CpeMatch, CpeName, Node

__all__ = [
    "Verdict",
    "configuration_matches",
    "configuration_verdict",
    "evaluate",
    "match_criteria",
    "node_matches",
]

# Attributes read as NA when the target leaves them ANY (reading 1 in the module docstring).
_QUALIFIERS = ("version", "update", "edition", "language", "sw_edition", "target_sw", "target_hw", "other")
_VERSIONED = frozenset({"version", "update"})


class Verdict(enum.Enum):
    MATCH = "match"
    NO_MATCH = "no_match"
    NEEDS_PLATFORM = "needs_platform"


def _attribute(source: str, target: str, attribute: str) -> bool:
    if target == ANY:
        target = NA
    if attribute_matches(source, target):
        return True
    if attribute not in _VERSIONED:
        return False
    source_text = plain_literal(source)
    target_text = plain_literal(target)
    return source_text is not None and target_text is not None and versions.compare(source_text, target_text) == 0


def _stated(value: str) -> bool:
    return value not in {ANY, NA}


@lru_cache(maxsize=1 << 14)
def _forms(target: CpeName) -> tuple[CpeName, ...]:
    """The target and its equivalent spellings of version+update (reading 3)."""
    forms = [target]
    if _stated(target.version) and _stated(target.update):
        joined = unescape_value(target.version) + "-" + unescape_value(target.update)
        forms.append(_replace(target, version=escape_value(joined), update=ANY))
    elif _stated(target.version):
        version, update = versions.split_update("", "", unescape_value(target.version))
        if update and versions.is_prerelease(update):
            forms.append(_replace(target, version=escape_value(version), update=escape_value(update)))
    return tuple(forms)


def _replace(target: CpeName, *, version: str, update: str) -> CpeName:
    return CpeName(
        target.part,
        target.vendor,
        target.product,
        version,
        update,
        target.edition,
        target.language,
        target.sw_edition,
        target.target_sw,
        target.target_hw,
        target.other,
    )


def _bound_order(version: str, update: str, bound: str) -> int:
    """Target (version, update) against one range bound, per reading 3."""
    if not _stated(update):
        return versions.compare(version, bound)
    if not versions.is_prerelease(update) and versions.compare(version, bound) == 0:
        return 0
    return versions.compare(version + "-" + update, bound)


def _in_range(match: CpeMatch, target: CpeName) -> bool:
    if not _stated(target.version):
        return False
    version = unescape_value(target.version)
    update = unescape_value(target.update) if _stated(target.update) else ""
    if match.version_start_including is not None and _bound_order(version, update, match.version_start_including) < 0:
        return False
    if match.version_start_excluding is not None and _bound_order(version, update, match.version_start_excluding) <= 0:
        return False
    if match.version_end_including is not None and _bound_order(version, update, match.version_end_including) > 0:
        return False
    return not (
        match.version_end_excluding is not None and _bound_order(version, update, match.version_end_excluding) >= 0
    )


def _form_matches(match: CpeMatch, target: CpeName) -> bool:
    criteria = match.criteria
    if criteria.part not in (target.part, ANY):
        return False
    if not (attribute_matches(criteria.vendor, target.vendor) and attribute_matches(criteria.product, target.product)):
        return False
    ranged = match.has_range
    for attribute in _QUALIFIERS:
        source = getattr(criteria, attribute)
        if ranged and attribute == "version" and source in {ANY, NA}:
            continue
        if source == ANY and not has_wildcards(getattr(target, attribute)):
            continue
        if not _attribute(source, getattr(target, attribute), attribute):
            return False
    return not ranged or _in_range(match, target)


def match_criteria(match: CpeMatch, target: CpeName) -> bool:
    """Whether one ``cpeMatch`` matches the target instance (rules in the module docstring).

    A range compares the target's own version and update (reading 3); the other spellings of
    version+update are tried only against names without a range, where they are equivalent.
    """
    if match.has_range:
        return _form_matches(match, target)
    return any(_form_matches(match, form) for form in _forms(target))


def _matched(match: CpeMatch, targets: Iterable[CpeName]) -> bool:
    return any(match_criteria(match, target) for target in targets)


def node_matches(node: Node, targets: Sequence[CpeName]) -> bool:
    """A node over a known, complete set of targets: OR = some ``cpeMatch`` matched by some target, AND = every
    ``cpeMatch`` matched by some target; ``negate`` inverts. Empty node → False (before ``negate``)."""
    results = (_matched(match, targets) for match in node.matches)
    value = all(results) if node.operator.upper() == "AND" and node.matches else any(results)
    return value != node.negate


def configuration_matches(config: Configuration, targets: Sequence[CpeName]) -> bool:
    """A configuration over a known, complete set of targets: its nodes joined by its operator, then ``negate``."""
    results = (node_matches(node, targets) for node in config.nodes)
    value = all(results) if config.operator.upper() == "AND" and config.nodes else any(results)
    return value != config.negate


# Three-valued (Kleene) logic for a platform we were not told about: None = unknown.
Tri = bool | None


def _tri_all(values: Iterable[Tri]) -> Tri:
    unknown = False
    for value in values:
        if value is False:
            return False
        unknown = unknown or value is None
    return None if unknown else True


def _tri_any(values: Iterable[Tri]) -> Tri:
    unknown = False
    for value in values:
        if value is True:
            return True
        unknown = unknown or value is None
    return None if unknown else False


def _tri_not(value: Tri, negate: bool) -> Tri:
    return value if value is None or not negate else not value


def _leaf(match: CpeMatch, target: CpeName, platforms: Sequence[CpeName]) -> Tri:
    if match_criteria(match, target) or _matched(match, platforms):
        return True
    criteria = match.criteria
    same_product = (criteria.part, criteria.vendor, criteria.product) == (target.part, target.vendor, target.product)
    # With platforms given we know the system (closed world); a criteria for the target's own product
    # is decided by the target itself. Otherwise an unmatched criteria may be an unreported platform.
    return False if platforms or same_product else None


def _node_tri(node: Node, target: CpeName, platforms: Sequence[CpeName]) -> Tri:
    leaves = (_leaf(match, target, platforms) for match in node.matches)
    value = _tri_all(leaves) if node.operator.upper() == "AND" and node.matches else _tri_any(leaves)
    return _tri_not(value, node.negate)


def _anchored(config: Configuration, target: CpeName) -> bool:
    return any(
        match.vulnerable and match_criteria(match, target)
        for node in config.nodes
        if not node.negate
        for match in node.matches
    )


def configuration_verdict(config: Configuration, target: CpeName, platforms: Sequence[CpeName] = ()) -> Verdict:
    """One configuration's verdict for the target (rule in :func:`evaluate`)."""
    if config.negate or not _anchored(config, target):
        return Verdict.NO_MATCH
    nodes = (_node_tri(node, target, platforms) for node in config.nodes)
    value = _tri_all(nodes) if config.operator.upper() == "AND" else _tri_any(nodes)
    if value is None:
        return Verdict.NEEDS_PLATFORM
    return Verdict.MATCH if value else Verdict.NO_MATCH


def evaluate(configurations: Sequence[Configuration], target: CpeName, platforms: Sequence[CpeName] = ()) -> Verdict:
    """Whether a CVE's configurations make ``target`` vulnerable, given what else the system runs.

    Per configuration:

    1. Anchor: the target itself must satisfy a ``vulnerable: true`` ``cpeMatch`` of a non-negated node
       (a target that only satisfies ``vulnerable: false`` platform matches is never vulnerable itself);
       no anchor → NO_MATCH. A negated configuration never anchors.
    2. The configuration's logic is evaluated in three-valued logic over the target plus ``platforms``:
       a ``cpeMatch`` satisfied by any of them is true; otherwise it is false when ``platforms`` were given
       (we know the system) or when it names the target's own part/vendor/product, and unknown when no
       platforms were given (it may be an unreported OS or hardware). AND/OR/negate are Kleene's.
    3. True → MATCH; unknown → NEEDS_PLATFORM (the caller lists it for review); false → NO_MATCH.

    The CVE's verdict is the best over its configurations: MATCH, then NEEDS_PLATFORM, then NO_MATCH.
    """
    best = Verdict.NO_MATCH
    for config in configurations:
        verdict = configuration_verdict(config, target, platforms)
        if verdict is Verdict.MATCH:
            return verdict
        if verdict is Verdict.NEEDS_PLATFORM:
            best = verdict
    return best
