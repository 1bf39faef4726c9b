"""Match an inventory against NVD records: which unit's system is affected by which CVE, and what needs a human.

One pass over the records, memory bounded by what the inventory can use:

1. every row is resolved as far as the cpe column and the alias catalogue allow (:mod:`.products`); rows
   that need the CPE vocabulary of the feeds say which product keys they need;
2. the records stream by once. Only the configurations of records whose cpeMatch criteria name a wanted
   (vendor, product), or a product key a pending row asked for, are kept (a record read raw, with
   :meth:`Matcher.add_raw`, keeps them packed and is built only if a target's version reaches
   one of its anchors); records without configurations
   (awaiting analysis) keep only the ids of the inventory product names their description mentions; a
   later version of a CVE (``lastModified``, or a later file) replaces an earlier one; Rejected records
   are dropped;
3. pending rows are settled from the vocabulary, then each distinct (candidate, version) is evaluated once
   with :func:`applicability.evaluate` against the records indexed under its CPE names.

A row ambiguous between several products is matched only for CVEs that apply under *every* reading (they
are certain whichever product it is); the row itself goes to review with its candidates.
"""

from __future__ import annotations

import marshal
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any

from haidang.engines.intel import nvd
from haidang.engines.intel.applicability import Verdict, evaluate, match_criteria
from haidang.engines.intel.cpe import plain_literal, unescape_value
from haidang.engines.intel.products import (
    Candidate,
    Resolution,
    Resolver,
    Source,
    Status,
    Vocabulary,
    cpe_text,
    squash,
)
from haidang.engines.intel.types import ANY, Configuration, CpeMatch, CpeName, CveRecord, InventoryRow

MAX_MENTION_WORDS = 6
#: "The Foo plugin for WordPress": the product is only the host of a third-party component.
_WORD_JUNK = re.compile(r"[^0-9a-z]+")
_COMPONENT_WORDS = frozenset({"plugin", "plugins", "theme", "themes", "extension", "extensions", "module", "addon"})


class Reason(StrEnum):
    AMBIGUOUS_PRODUCT = "ambiguous_product"
    UNKNOWN_PRODUCT = "unknown_product"
    AWAITING_ANALYSIS = "awaiting_analysis"
    NEEDS_PLATFORM = "needs_platform"
    UNPARSEABLE_VERSION = "unparseable_version"


@dataclass(frozen=True, slots=True, order=True)
class Match:
    unit: str
    system: str
    cve: str
    kev: bool


@dataclass(frozen=True, slots=True, order=True)
class ReviewItem:
    unit: str
    system: str
    reason: Reason
    cve: str = ""
    vendor: str = ""
    product: str = ""
    version: str = ""
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class MatchStats:
    records: int = 0  # records read (every version of every CVE)
    rejected: int = 0
    awaiting: int = 0  # current records without configurations
    kept: int = 0  # records whose configurations were kept for evaluation
    rows: int = 0
    catalogue_version: str = ""


@dataclass(frozen=True, slots=True)
class MatchReport:
    matches: tuple[Match, ...]
    review: tuple[ReviewItem, ...]
    stats: MatchStats


# --- streaming the records --------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class _Kept:
    """The configurations kept of one record: built, or packed (their raw form, :mod:`marshal` then zlib) and
    built on first need (then cached)."""

    built: tuple[Configuration, ...] | None
    packed: bytes = b""

    def configurations(self) -> tuple[Configuration, ...]:
        if self.built is None:
            # Only what add_raw packed, in this process: marshal is a quicker json.dumps/loads here.
            self.built = nvd.configurations_from_raw(marshal.loads(zlib.decompress(self.packed)))  # noqa: S302
            self.packed = b""
        return self.built


Numbers = tuple[int, ...]
#: A vulnerable cpeMatch with the numbers of its version bounds, for :func:`_may_match`: ``(part, low, high,
#: exact, where)``, ``where`` the CpeMatch or, for configurations kept packed, its :func:`_position`.
_Anchor = tuple[str, Numbers | None, Numbers | None, Numbers | None, CpeMatch | int]
#: An anchor filed with its record: ``(cve id, kept, *anchor)``, one flat tuple (there are 100,000s).
_Entry = tuple[str, _Kept, str, Numbers | None, Numbers | None, Numbers | None, CpeMatch | int]
_SHIFT = 24  # bits per index of a position: a node holds fewer cpeMatch entries than a record has bytes / 16


@dataclass(slots=True)
class _PairAnchors:
    """The vulnerable cpeMatch entries in non-negated nodes that name one wanted (vendor, product), with
    the record they belong to: a target that satisfies none of a record's cannot anchor any of its
    configurations (applicability.evaluate rule 1): NO_MATCH. Exact versions are filed under their first
    number, which a target must share to match them (:func:`_may_match`)."""

    by_first: dict[int, list[_Entry]] = field(default_factory=dict)
    loose: list[_Entry] = field(default_factory=list)  # ranges and versions without a number

    def add(self, entry: _Entry) -> None:
        exact = entry[5]
        if exact is None:
            self.loose.append(entry)
        else:
            self.by_first.setdefault(exact[0], []).append(entry)

    def candidates(self, numbers: Numbers | None) -> Iterator[_Entry]:
        """The entries :func:`_may_match` can pass for a target whose numeric release is ``numbers``."""
        yield from self.loose
        if numbers is None:
            for entries in self.by_first.values():
                yield from entries
        else:
            yield from self.by_first.get(numbers[0], ())


@dataclass(slots=True)
class _Collector:
    """Everything the matcher keeps from the stream of records."""

    wanted_pairs: frozenset[tuple[str, str]]
    wanted_products: frozenset[str]
    mentions: frozenset[str]  # squash keys of product names looked for in descriptions
    mention_starts: frozenset[str]  # the words a mention can start with (its first word, or all of it)
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    seen: dict[str, str] = field(default_factory=dict)  # cve id → lastModified of the version kept
    kept: dict[str, _Kept] = field(default_factory=dict)
    #: per wanted (vendor, product); entries of a record replaced by a later version stay, and are told
    #: apart by their _Kept no longer being the one in ``kept``.
    anchors: dict[tuple[str, str], _PairAnchors] = field(default_factory=dict)
    awaiting: dict[str, frozenset[str]] = field(default_factory=dict)  # cve id → mention keys found
    rejected: set[str] = field(default_factory=set)
    product_keys: dict[str, str] = field(default_factory=dict)
    #: the screen's answers per (vendor, product) fields of criteria as written: whether rows want them
    named: dict[tuple[str, str], bool] = field(default_factory=dict)
    records: int = 0

    def add(self, record: CveRecord) -> None:
        self.records += 1
        cve_id = record.cve_id
        previous = self.seen.get(cve_id)
        if previous is not None:
            if previous > record.last_modified:
                return  # an older version of a CVE already read: the newer one stands
            self._forget(cve_id)
        self.seen[cve_id] = record.last_modified
        if record.status.strip().lower() == "rejected" or record.description.startswith("** REJECT **"):
            self.rejected.add(cve_id)
        elif not record.configurations:
            found = self._mentioned(record.description)
            self.awaiting[cve_id] = found
        else:
            self._keep(cve_id, record.configurations)

    def add_raw(self, cve: Mapping[str, Any]) -> bool:
        """:meth:`add` straight from a raw NVD ``cve`` object whose configurations are all plain (every one
        read whole by the parser, criteria :data:`nvd.PLAIN_CRITERIA`); False, having changed nothing, for
        any other record (anything unusual): the caller then builds it. Rejected records and records without
        configurations (awaiting analysis) are taken as :meth:`add` takes them: only their head matters."""
        head = nvd.plain_head(cve)
        if head is None:
            return False
        cve_id, status, last_modified, description = head
        configurations = cve.get("configurations")
        rejected = status.strip().lower() == "rejected" or description.startswith("** REJECT **")
        found: _PlainScan | None = None
        if not rejected and configurations is not None and configurations != []:
            found = self._plain_anchors(configurations) if isinstance(configurations, list) else None
            if found is None:
                return False
        self.records += 1
        previous = self.seen.get(cve_id)
        if previous is not None:
            if previous > last_modified:
                return True
            self._forget(cve_id)
        self.seen[cve_id] = last_modified
        if rejected:
            self.rejected.add(cve_id)
            return True
        if found is None:
            self.awaiting[cve_id] = self._mentioned(description)
            return True
        useful, anchors, names = found
        for key, name in names:
            self.vocabulary.add(key, name)
        if useful is not None:
            packed = zlib.compress(marshal.dumps(useful), 1)
            self._file(cve_id, _Kept(None, packed), anchors)
        return True

    def screen(self, cve: Mapping[str, Any]) -> bool:
        cve_id, modified = cve.get("id"), cve.get("lastModified")
        configurations = cve.get("configurations")
        if not isinstance(cve_id, str) or not isinstance(modified, str) or not configurations:
            return True  # malformed (the parser counts it), or awaiting analysis: always read
        previous = self.seen.get(cve_id)
        if previous is not None and previous > modified:
            return False
        if cve_id in self.kept or cve_id in self.awaiting or cve_id in self.rejected:
            return True  # the newer version must replace what is kept
        if str(cve.get("vulnStatus", "")).lower() == "rejected" or _names_wanted(self, configurations):
            return True
        self.seen[cve_id] = modified
        self.records += 1
        return False

    def _forget(self, cve_id: str) -> None:
        self.rejected.discard(cve_id)
        self.awaiting.pop(cve_id, None)
        self.kept.pop(cve_id, None)

    def _keep(self, cve_id: str, configurations: tuple[Configuration, ...]) -> None:
        pairs: set[tuple[str, str]] = set()
        anchors: dict[tuple[str, str], list[_Anchor]] = {}
        # Only configurations a wanted product can anchor are kept: no other can make a target vulnerable.
        useful: list[Configuration] = []
        for configuration in configurations:
            anchored = False
            for node in configuration.nodes:
                for match in node.matches:
                    criteria = match.criteria
                    pair = (criteria.vendor, criteria.product)
                    if pair not in pairs and self._wanted(criteria):
                        pairs.add(pair)
                    if pair in pairs and match.vulnerable and not node.negate and not configuration.negate:
                        anchors.setdefault(pair, []).append(_anchor(match))
                        anchored = True
            if anchored:
                useful.append(configuration)
        if pairs:
            self._file(cve_id, _Kept(tuple(useful)), anchors)

    def _file(self, cve_id: str, kept: _Kept, anchors: Mapping[tuple[str, str], Sequence[_Anchor]]) -> None:
        self.kept[cve_id] = kept
        for pair, found in anchors.items():
            table = self.anchors.setdefault(pair, _PairAnchors())
            for anchor in found:
                table.add((cve_id, kept, *anchor))

    def _plain_anchors(self, configurations: list[Any]) -> _PlainScan | None:
        """What :meth:`_keep` would find in raw configurations that are all plain, without building them: the
        configurations to keep (None when the record names no wanted product), the anchors per wanted pair
        and the vocabulary additions. None when a configuration is not plain (nothing changed then)."""
        pairs: set[tuple[str, str]] = set()
        anchors: dict[tuple[str, str], list[_Anchor]] = {}
        names: list[tuple[str, tuple[str, str, str]]] = []
        useful: list[Any] = []
        for configuration in configurations:
            nodes = _plain_nodes(configuration)
            if nodes is None:
                return None
            anchored = False
            negated = configuration.get("negate") is True
            for at, node in enumerate(nodes):
                matches = _plain_matches(node)
                if matches is None:
                    return None
                quiet = negated or node.get("negate") is True
                where = _position(len(useful), at, 0)
                found = self._plain_node(matches, where, quiet, pairs=pairs, anchors=anchors, names=names)
                if found is None:
                    return None
                anchored = anchored or found
            if anchored:
                useful.append(configuration)
        return (useful if pairs else None), anchors, names

    def _plain_node(
        self,
        matches: list[Any],
        where: int,
        quiet: bool,
        *,
        pairs: set[tuple[str, str]],
        anchors: dict[tuple[str, str], list[_Anchor]],
        names: list[tuple[str, tuple[str, str, str]]],
    ) -> bool | None:
        """:meth:`_plain_anchors` for the cpeMatch entries of one node (the first at position ``where``):
        whether one anchors its configuration; None when one is not plain."""
        anchored = False
        plain = _PLAIN
        for index, match in enumerate(matches):
            # plain criteria and nvd.plain_bounds, spelled out: this runs for every cpeMatch entry.
            if not isinstance(match, dict):
                return None
            get = match.get
            criteria = get("criteria")
            if not isinstance(criteria, str) or len(criteria) > 1000 or not plain(criteria):
                return None
            bounds = (
                get("versionStartIncluding"),
                get("versionStartExcluding"),
                get("versionEndIncluding"),
                get("versionEndExcluding"),
            )
            if bounds != _NO_BOUNDS and not _valid_bounds(bounds):
                return None
            fields = criteria.split(":")
            pair = (fields[3], fields[4])
            if pair not in pairs and self._wanted_plain(fields[2], pair, names):
                pairs.add(pair)
            if pair in pairs and get("vulnerable") is True and not quiet:
                anchors.setdefault(pair, []).append(_raw_anchor(fields[2], fields[5], bounds, where + index))
                anchored = True
        return anchored

    def _wanted_plain(self, part: str, pair: tuple[str, str], names: list[tuple[str, tuple[str, str, str]]]) -> bool:
        """:meth:`_wanted` for plain criteria; the vocabulary additions go to ``names``."""
        wanted = pair in self.wanted_pairs
        product = pair[1]
        key = self.product_keys.get(product) or _product_key(self.product_keys, product)
        if key in self.wanted_products:
            names.append((key, (part, pair[0], product)))
            wanted = True
        return wanted

    def _wanted(self, criteria: CpeName) -> bool:
        """Whether rows want this criteria's product; adds it to the vocabulary when a pending row asked."""
        wanted = (criteria.vendor, criteria.product) in self.wanted_pairs
        key = self.product_keys.get(criteria.product) or _product_key(self.product_keys, criteria.product)
        if key in self.wanted_products:
            self.vocabulary.add(key, (criteria.part, criteria.vendor, criteria.product))
            wanted = True
        return wanted

    def _mentioned(self, description: str) -> frozenset[str]:
        if not self.mentions:
            return frozenset()
        words = [_WORD_JUNK.sub("", word) for word in description.casefold().split()]
        found: set[str] = set()
        for start, word in enumerate(words):
            if word not in self.mention_starts:
                continue
            key = ""
            for size in range(min(MAX_MENTION_WORDS, len(words) - start)):
                key += words[start + size]
                if key in self.mentions and not _component_host(words, start):
                    found.add(key)
        return frozenset(found)


_PlainScan = tuple[
    list[Any] | None,
    dict[tuple[str, str], list[_Anchor]],
    list[tuple[str, tuple[str, str, str]]],
]
_PLAIN = nvd.PLAIN_CRITERIA.fullmatch


def _plain_nodes(configuration: object) -> list[Any] | None:
    """The nodes of a raw configuration the parser reads as given; None when it is anything else."""
    if not isinstance(configuration, dict) or configuration.get("operator", "OR") not in ("OR", "AND"):
        return None
    nodes = configuration.get("nodes")
    return nodes if isinstance(nodes, list) else None


def _plain_matches(node: object) -> list[Any] | None:
    if not isinstance(node, dict) or node.get("operator", "OR") not in ("OR", "AND"):
        return None
    matches = node.get("cpeMatch")
    return matches if isinstance(matches, list) else None


_NO_BOUNDS = (None, None, None, None)


def _valid_bounds(bounds: tuple[object, ...]) -> bool:
    """Whether nvd's parser reads these range bounds (see :func:`nvd.plain_bounds`)."""
    return all(value is None or (isinstance(value, str) and 0 < len(value) <= 200) for value in bounds)


def _names_wanted(collector: _Collector, configurations: object) -> bool:
    """Whether raw configurations name a wanted (vendor, product); True when unsure (escapes, odd shapes)."""
    named = collector.named
    try:
        for configuration in configurations:  # type: ignore[attr-defined]
            for node in configuration["nodes"]:
                for match in node["cpeMatch"]:
                    criteria = match["criteria"]
                    if "\\" in criteria:
                        return True
                    fields = criteria.split(":", 5)
                    pair = (fields[3], fields[4])
                    wanted = named.get(pair)
                    if wanted is None:
                        wanted = _names_pair(collector, pair)
                    if wanted:
                        return True
    except (TypeError, KeyError, IndexError, AttributeError):
        return True
    return False


def _names_pair(collector: _Collector, pair: tuple[str, str]) -> bool:
    """Whether criteria fields (vendor, product) as written, without a backslash, name a wanted product:
    compared lower-case, as the parser canonicalises them (remembered, within a bound)."""
    vendor, product = pair[0].lower(), pair[1].lower()
    keys = collector.product_keys
    key = keys.get(product) or _product_key(keys, product)
    wanted = (vendor, product) in collector.wanted_pairs or key in collector.wanted_products
    if len(collector.named) >= _MAX_NAMED:
        collector.named.clear()
    collector.named[pair] = wanted
    return wanted


_MAX_NAMED = 1 << 18
_PLAIN_VALUE = re.compile(r"[a-z0-9._\-]+").fullmatch
_KEY_JUNK = str.maketrans("", "", "._-")


def _product_key(keys: dict[str, str], product: str) -> str:
    """``squash(cpe_text(product))``, remembered in ``keys``: for a plain value, its letters and digits."""
    key = product.translate(_KEY_JUNK) if _PLAIN_VALUE(product) else squash(cpe_text(product))
    keys[product] = key
    return key


def _component_host(words: list[str], start: int) -> bool:
    """A mention in "… plugin for WordPress" names the host of a plugin, not the product itself."""
    return start >= 2 and words[start - 1] == "for" and words[start - 2] in _COMPONENT_WORDS


# --- evaluation -------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Evaluator:
    collector: _Collector
    cache: dict[tuple[CpeName, ...], dict[str, Verdict]] = field(default_factory=dict)

    def verdicts(self, targets: tuple[CpeName, ...]) -> dict[str, Verdict]:
        """Every CVE that is not NO_MATCH for any of the targets (one product's CPE names), best verdict."""
        cached = self.cache.get(targets)
        if cached is not None:
            return cached
        found: dict[str, Verdict] = {}
        current = self.collector.kept
        for target in targets:
            base = _numbers(unescape_value(target.version))
            table = self.collector.anchors.get((target.vendor, target.product))
            if table is None:
                continue
            anchored = _anchored(table, target, base, current, found)
            for cve_id, kept in anchored.items():
                verdict = evaluate(kept.configurations(), target)
                if verdict is not Verdict.NO_MATCH:
                    found[cve_id] = verdict
        self.cache[targets] = found
        return found

    def with_platforms(self, cve_id: str, targets: tuple[CpeName, ...], platforms: Sequence[CpeName]) -> bool:
        configurations = self.collector.kept[cve_id].configurations()
        return any(evaluate(configurations, t, platforms) is Verdict.MATCH for t in targets)


_RELEASE = re.compile(r"v?(\d+(?:\.\d+)*)")


@lru_cache(maxsize=1 << 16)  # versions repeat across records: one tuple for them all
def _numbers(version: str | None) -> Numbers | None:
    """The leading numeric release of a version: (2, 0) of "2.0-beta9", (1, 0, 2) of "1.0.2k"; None if none."""
    found = _RELEASE.match(version.lower()) if version else None
    return tuple(int(n) for n in found.group(1).split(".")) if found else None


@lru_cache(maxsize=1 << 15)
def _anchor(match: CpeMatch) -> _Anchor:
    part = match.criteria.part
    if match.has_range:
        low = _numbers(match.version_start_including or match.version_start_excluding)
        return part, low, _numbers(match.version_end_excluding or match.version_end_including), None, match
    literal = plain_literal(match.criteria.version)
    return part, None, None, _numbers(literal) if literal else None, match


def _raw_anchor(part: str, version: str, bounds: tuple[str | None, ...], where: int) -> _Anchor:
    """:func:`_anchor` of plain criteria (their version is its own literal text unless ``*`` or ``-``)."""
    start_including, start_excluding, end_including, end_excluding = bounds
    if start_including or start_excluding or end_including or end_excluding:
        low = _numbers(start_including or start_excluding)
        return part, low, _numbers(end_excluding or end_including), None, where
    literal = None if version in {ANY, "-"} else version
    return part, None, None, _numbers(literal) if literal else None, where


def _position(configuration: int, node: int, match: int) -> int:
    return (configuration << (2 * _SHIFT)) | (node << _SHIFT) | match


def _cpe_match(kept: _Kept, where: CpeMatch | int) -> CpeMatch:
    """The CpeMatch of an anchor: its own, or the one at its position in the record's (built) configurations."""
    if isinstance(where, CpeMatch):
        return where
    mask = (1 << _SHIFT) - 1
    configuration = kept.configurations()[where >> (2 * _SHIFT)]
    return configuration.nodes[(where >> _SHIFT) & mask].matches[where & mask]


def _decided(a: Numbers, b: Numbers) -> int:
    """-1/1 when the first differing number of ``a`` and ``b`` orders them; 0 when one is a prefix of the other."""
    size = min(len(a), len(b))
    a, b = a[:size], b[:size]  # tuples compare at their first differing number
    return (a > b) - (a < b)


def _anchored(
    table: _PairAnchors,
    target: CpeName,
    base: Numbers | None,
    current: Mapping[str, _Kept],
    found: Mapping[str, Verdict],
) -> dict[str, _Kept]:
    """The current records (not yet a MATCH in ``found``) one of whose anchors in ``table`` the target
    satisfies: only their configurations can make it vulnerable."""
    anchored: dict[str, _Kept] = {}
    own = target.part
    for cve_id, kept, part, low, high, exact, where in table.candidates(base):
        # _may_match, spelled out: this runs for every candidate anchor of every target.
        if part not in (own, ANY):
            continue
        if base is not None and (
            (high is not None and _decided(base, high) > 0)
            or (low is not None and _decided(base, low) < 0)
            or (exact is not None and _decided(base, exact) != 0)
        ):
            continue
        if cve_id in anchored or current.get(cve_id) is not kept or found.get(cve_id) is Verdict.MATCH:
            continue
        if match_criteria(_cpe_match(kept, where), target):
            anchored[cve_id] = kept
    return anchored


def _may_match(
    anchor: tuple[str, Numbers | None, Numbers | None, Numbers | None], part: str, numbers: Numbers | None
) -> bool:
    """A cheap, conservative pre-check before :func:`match_criteria`: False only when the target's numeric
    release differs from the criteria's version, or lies past a bound, at a number both spell out
    (2.4.58 vs end 2.4.50). Any prefix relation (6.7 vs 6.7.0, 2.0 vs 2.0-beta9) is left to the matcher."""
    own, low, high, exact = anchor  # an _Anchor's part and numbers
    if own not in {part, ANY}:
        return False
    if numbers is None:
        return True
    if high is not None and _decided(numbers, high) > 0:
        return False
    if low is not None and _decided(numbers, low) < 0:
        return False
    return exact is None or _decided(numbers, exact) == 0


@dataclass(slots=True)
class _Outcome:
    matches: set[tuple[str, str, str]] = field(default_factory=set)
    review: set[ReviewItem] = field(default_factory=set)


def _item(row: InventoryRow, reason: Reason, cve: str = "", candidates: Iterable[Candidate] = ()) -> ReviewItem:
    return ReviewItem(
        unit=row.unit,
        system=row.system,
        reason=reason,
        cve=cve,
        vendor=row.vendor,
        product=row.product,
        version=row.version,
        candidates=tuple(sorted(c.label() for c in candidates)),
    )


class Matcher:
    """One match run: resolve the rows, take the records one by one (:meth:`add`), then :meth:`report`.

    :meth:`screen` lets a reader skip building records the run cannot use: it looks at the raw NVD 2.0
    ``cve`` object and answers whether to parse it (records it skips are remembered by id and
    ``lastModified`` so that version order still holds).
    """

    def __init__(
        self,
        rows: Sequence[InventoryRow],
        kev: Mapping[str, object] | frozenset[str],
        *,
        resolver: Resolver | None = None,
    ) -> None:
        self.rows = rows
        self.kev = kev
        self.resolver = resolver or Resolver()
        self.prepared = [self.resolver.prepare(row) for row in rows]
        mentions = {m for m in _mention_names(self.prepared) if m}
        self.collector = _Collector(
            wanted_pairs=frozenset(
                (vendor, product)
                for resolution in self.prepared
                for candidate in resolution.candidates
                for _part, vendor, product in candidate.names
            ),
            wanted_products=frozenset(key for resolution in self.prepared for key, _prefix in resolution.wanted),
            mentions=frozenset(m.replace(" ", "") for m in mentions),
            mention_starts=frozenset(w for m in mentions for w in (m.split()[0], m.replace(" ", ""))),
        )

    def add(self, record: CveRecord) -> None:
        self.collector.add(record)

    def add_raw(self, cve: Mapping[str, Any]) -> bool:
        """:meth:`add` from a raw NVD 2.0 ``cve`` object, without building its record: configurations are
        kept compressed and built only for the CVEs a target reaches. False when the record is not one it
        takes (rejected, awaiting analysis, unusual criteria or shapes): build it and :meth:`add` it."""
        return self.collector.add_raw(cve)

    def screen(self, cve: Mapping[str, Any]) -> bool:
        """Whether the raw record may matter: True unless it certainly names no product the rows want."""
        return self.collector.screen(cve)

    def report(self) -> MatchReport:
        collector = self.collector
        collector.named.clear()  # the screen's memos: no record comes after the report
        collector.product_keys.clear()
        resolved = [self.resolver.finish(resolution, collector.vocabulary) for resolution in self.prepared]
        outcome = _Outcome()
        evaluator = _Evaluator(collector)
        platforms = _system_platforms(self.rows, resolved)
        awaiting_by_mention = _awaiting_by_mention(collector.awaiting)
        for row, resolution in zip(self.rows, resolved, strict=True):
            _match_row(row, resolution, evaluator, platforms.get((row.unit, row.system), ()), outcome)
            if resolution.status is Status.RESOLVED:
                for cve_id in sorted(_awaiting_for(resolution.candidates[0], awaiting_by_mention)):
                    outcome.review.add(_item(row, Reason.AWAITING_ANALYSIS, cve_id))
        matches = tuple(Match(unit, system, cve, cve in self.kev) for unit, system, cve in sorted(outcome.matches))
        review = tuple(
            sorted(
                (i for i in outcome.review if not i.cve or (i.unit, i.system, i.cve) not in outcome.matches),
                key=_review_order,
            )
        )
        stats = MatchStats(
            records=collector.records,
            rejected=len(collector.rejected),
            awaiting=len(collector.awaiting),
            kept=len(collector.kept),
            rows=len(self.rows),
            catalogue_version=self.resolver.catalogue.version,
        )
        return MatchReport(matches=matches, review=review, stats=stats)


def _review_order(item: ReviewItem) -> tuple[str, str, str, str, str, str, str, tuple[str, ...]]:
    """ReviewItem's own order (its fields in turn), as a key: sorting 100,000s of items by ``<`` is slow."""
    return (
        item.unit,
        item.system,
        item.reason,
        item.cve,
        item.vendor,
        item.product,
        item.version,
        item.candidates,
    )


def match_records(
    rows: Sequence[InventoryRow],
    records: Iterable[CveRecord],
    kev: Mapping[str, object] | frozenset[str],
    *,
    resolver: Resolver | None = None,
) -> MatchReport:
    """Match ``rows`` against the stream ``records``; ``kev`` is the KEV catalog (anything with ``in``)."""
    matcher = Matcher(rows, kev, resolver=resolver)
    for record in records:
        matcher.add(record)
    return matcher.report()


def _mention_names(prepared: Sequence[Resolution]) -> Iterator[str]:
    """Normalised (spaced) names to look for in descriptions: catalogue mentions, and the written product
    of rows the vocabulary may resolve (its key then equals the vocabulary product's)."""
    for resolution in prepared:
        for candidate in resolution.candidates:
            yield from candidate.mentions
        yield from resolution.phrases


def _awaiting_by_mention(awaiting: Mapping[str, frozenset[str]]) -> dict[str, set[str]]:
    by_mention: dict[str, set[str]] = {}
    for cve_id, keys in awaiting.items():
        for key in keys:
            by_mention.setdefault(key, set()).add(cve_id)
    return by_mention


def _awaiting_for(candidate: Candidate, by_mention: Mapping[str, set[str]]) -> set[str]:
    found: set[str] = set()
    for mention in candidate.mentions:
        found |= by_mention.get(mention.replace(" ", ""), set())
    return found


def _system_platforms(
    rows: Sequence[InventoryRow], resolved: Sequence[Resolution]
) -> dict[tuple[str, str], tuple[CpeName, ...]]:
    """What each system runs, as CPE names: the platforms for "running on/with" configurations."""
    platforms: dict[tuple[str, str], list[CpeName]] = {}
    for row, resolution in zip(rows, resolved, strict=True):
        if resolution.status is not Status.RESOLVED:
            continue
        candidate = resolution.candidates[0]
        names = [*(resolution.targets(candidate) or ()), *candidate.platforms]
        platforms.setdefault((row.unit, row.system), []).extend(names)
    return {key: tuple(dict.fromkeys(names)) for key, names in platforms.items()}


def _match_row(
    row: InventoryRow,
    resolution: Resolution,
    evaluator: _Evaluator,
    platforms: Sequence[CpeName],
    outcome: _Outcome,
) -> None:
    if resolution.status is Status.UNKNOWN or not resolution.candidates:
        outcome.review.add(_item(row, Reason.UNKNOWN_PRODUCT))
        return
    if resolution.source is Source.CONTAINED:
        # "Apache Kafka" contains "apache" (HTTP Server) but is not it: never matched, only suggested.
        outcome.review.add(_item(row, Reason.AMBIGUOUS_PRODUCT, candidates=resolution.candidates))
        return
    readings: list[set[str]] = []
    needs_platform: set[str] = set()
    for candidate in resolution.candidates:
        targets = resolution.targets(candidate)
        if targets is None:
            outcome.review.add(_item(row, Reason.UNPARSEABLE_VERSION, candidates=resolution.candidates))
            return
        matched: set[str] = set()
        for cve_id, verdict in evaluator.verdicts(targets).items():
            if verdict is Verdict.MATCH or (platforms and evaluator.with_platforms(cve_id, targets, platforms)):
                matched.add(cve_id)
            else:
                needs_platform.add(cve_id)
        readings.append(matched)
    certain = set.intersection(*readings)
    outcome.matches.update((row.unit, row.system, cve_id) for cve_id in certain)
    if resolution.status is Status.AMBIGUOUS:
        outcome.review.add(_item(row, Reason.AMBIGUOUS_PRODUCT, candidates=resolution.candidates))
        return
    for cve_id in needs_platform - certain:
        outcome.review.add(_item(row, Reason.NEEDS_PLATFORM, cve_id))
