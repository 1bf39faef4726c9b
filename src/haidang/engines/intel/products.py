"""Inventory names → the CPE (part, vendor, product) NVD files the product under.

What people write in an inventory ("Pulse Secure" / "Pulse Connect Secure 9.1R18", "MySQL-compatible
MariaDB", "Microsoft Corp." / "Exchange Server 2019") is resolved in this order, never by fuzzy similarity:

1. a valid ``cpe`` column is used as it is;
2. the alias catalogue (``data/aliases.toml``, versioned data): exact match of the normalised product name,
   filtered by the vendor written on the row and by the entry's ``excludes`` (a fork is not its upstream);
3. the CPE vocabulary of the loaded records: exact match of the normalised vendor and product.

Several surviving candidates make the row *ambiguous*, none make it *unknown*; both go to human review.
Resolution is split in two so that the matcher can stream the NVD feeds once: :meth:`Resolver.prepare`
settles rows from the ``cpe`` column and the catalogue and says which product keys it still needs from the
vocabulary; :meth:`Resolver.finish` settles the rest once the vocabulary of the feeds is known.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from haidang.engines.intel import cpe, versions
from haidang.engines.intel.types import ANY, CpeName, InventoryRow

CATALOGUE_RESOURCE = "aliases.toml"


#: Company-form words dropped from the end of a written vendor name ("Oracle Corporation", "F5, Inc.").
def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


LEGAL_SUFFIXES = _wordset(
    "inc incorporated corp corporation co company ltd limited llc llp gmbh ag sa sas sarl srl spa bv nv plc "
    "oy ab kk pty pte jsc cong ty tnhh cp lp"
)
#: Organisation words tried *also* without ("Juniper Networks" → juniper, "Cisco Systems" → cisco).
ORGANISATION_WORDS = _wordset(
    "the foundation software group project team community networks systems technologies technology labs "
    "international global holdings"
)
#: Words that only describe a product and never tell two products apart; a catalogue name found inside a
#: written product whose other words are all in this list resolves to that entry ("nginx web server").
DESCRIPTIVE_WORDS = _wordset(
    "web http https service services daemon software application app appliance platform version ver release "
    "stable latest lts x64 x86 amd64 arm64 64 32 bit linux windows ubuntu debian rhel centos docker container "
    "vm virtual on premise premises prem self hosted selfhosted package library lib runtime engine instance "
    "for production prod staging test"
)
_SPLITTERS = re.compile(r"[()\[\]/,;|]|\s-\s|\b(?:by|formerly|now|previously|aka|part of)\b", re.IGNORECASE)
# "/" is not split in products: "Connector/J" is a name, and "ADC/Gateway" is left to review.
_PRODUCT_SPLITTERS = re.compile(r"[()\[\],;|]|\s-\s|\b(?:formerly|previously|aka)\b", re.IGNORECASE)
_COMPATIBLE = re.compile(r"\b(?:compatible with \w+|\w+ compatible)\b")
_VERSIONISH = re.compile(r"^(?:v?\d[\w.\-]*|r\d+|sp\d+|cu\d+|u\d+\w*|update\d*)$")
_HAS_DIGIT = re.compile(r"\d")


class Status(StrEnum):
    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"
    PENDING = "pending"  # waits for the vocabulary of the loaded records


class Source(StrEnum):
    CPE = "cpe"
    CATALOGUE = "catalogue"
    VOCABULARY = "vocabulary"
    CONTAINED = "contained"  # catalogue names found inside a longer product name: candidates for review only


# --- normalisation ----------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Case, accents, punctuation and spacing folded: ``"Joomla!"`` → ``"joomla"``, ``"B&R"`` → ``"b and r"``."""
    folded = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D")).casefold()
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = folded.replace("&", " and ").replace("+", " plus ")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", folded).split())


def squash(text: str) -> str:
    """The spacing-free key two spellings must share to be the same name ("Forti OS" = "FortiOS")."""
    return normalise(text).replace(" ", "")


def cpe_text(value: str) -> str:
    """A CPE formatted-string value as words: ``http_server`` → ``"http server"``, ``joomla\\!`` → ``joomla``."""
    return normalise(re.sub(r"\\(.)", r"\1", value).replace("_", " "))


def vendor_keys(text: str, aliases: Mapping[str, frozenset[str]] | None = None) -> frozenset[str]:
    """Every squash key the written vendor may stand for: each part of "Ivanti (formerly Pulse Secure)",
    with and without company-form and organisation words, plus catalogue vendor aliases."""
    keys: set[str] = set()
    for part in _SPLITTERS.split(f" {text} "):
        words = normalise(part).split()
        while words and words[-1] in LEGAL_SUFFIXES:
            words.pop()
        if not words:
            continue
        keys.add("".join(words))
        core = [w for w in words if w not in ORGANISATION_WORDS and w not in LEGAL_SUFFIXES]
        if core:
            keys.add("".join(core))
    if aliases:
        for key in list(keys):
            keys |= aliases.get(key, frozenset())
    return frozenset(keys)


def product_phrases(vendor: str, product: str) -> list[str]:
    """The normalised product names a row may mean, most literal first: the whole text, each part of
    "NetScaler ADC (formerly Citrix ADC)", without "X-compatible", without the vendor repeated in front."""
    phrases: list[str] = []
    parts = [product, *_PRODUCT_SPLITTERS.split(f" {product} ")]
    vendor_words = _vendor_word_lists(vendor)
    for part in parts:
        phrase = _COMPATIBLE.sub(" ", normalise(part))
        phrase = " ".join(phrase.split())
        if not phrase:
            continue
        _add(phrases, phrase)
        words = phrase.split()
        for prefix in vendor_words:
            if len(words) > len(prefix) and words[: len(prefix)] == prefix:
                _add(phrases, " ".join(words[len(prefix) :]))
    return phrases


def _vendor_word_lists(vendor: str) -> list[list[str]]:
    lists: list[list[str]] = []
    for part in _SPLITTERS.split(f" {vendor} "):
        words = normalise(part).split()
        while words and words[-1] in LEGAL_SUFFIXES:
            words.pop()
        core = [w for w in words if w not in ORGANISATION_WORDS]
        for candidate in (words, core):
            if candidate and candidate not in lists:
                lists.append(candidate)
    return lists


def _add(phrases: list[str], phrase: str) -> None:
    if phrase and phrase not in phrases:
        phrases.append(phrase)


# --- the catalogue ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """One product a row may be: its CPE names and the attributes the row's target CPE takes from it."""

    key: str  # catalogue id, or "vendor:product" from the vocabulary / cpe column
    names: tuple[tuple[str, str, str], ...]  # (part, vendor, product), CPE formatted-string values
    sw_edition: str = ANY
    version: str = ""  # a version the product name fixes (Windows Server 2012 R2 → "r2")
    platforms: tuple[CpeName, ...] = ()
    edition_by_version: tuple[tuple[re.Pattern[str], str], ...] = ()
    mentions: tuple[str, ...] = ()  # normalised names looked for in CVE descriptions

    def label(self) -> str:
        names = ", ".join(f"{vendor}:{product}" for _part, vendor, product in self.names)
        return f"{self.key} ({names})" if self.key != names else self.key


@dataclass(frozen=True, slots=True)
class Entry:
    candidate: Candidate
    names: frozenset[str]  # squash keys
    vendors: frozenset[str]  # squash keys
    excludes: frozenset[str]  # normalised words


@dataclass(frozen=True, slots=True, eq=False)
class Catalogue:
    version: str
    entries: tuple[Entry, ...]
    by_name: Mapping[str, tuple[Entry, ...]]
    vendor_aliases: Mapping[str, frozenset[str]]  # written vendor key → CPE vendor keys
    known_vendors: frozenset[str]  # every vendor key some entry accepts


class CatalogueError(ValueError):
    """The alias catalogue is not valid."""


def _cpe_triple(text: str) -> tuple[str, str, str]:
    fields = re.split(r"(?<!\\):", text.strip().lower())
    if len(fields) != 3 or fields[0] not in {"a", "o", "h"} or not all(fields):
        raise CatalogueError(f"CPE không hợp lệ trong danh mục: {text!r} (cần part:vendor:product)")
    return fields[0], fields[1], fields[2]


def _entry(raw: Mapping[str, Any]) -> Entry:
    try:
        names = tuple(_cpe_triple(str(item["cpe"])) for item in raw["cpes"])
        platforms = tuple(cpe.build(*_cpe_triple(str(p))) for p in raw.get("platforms", ()))
        by_version = tuple(
            (re.compile(str(rule["pattern"])), str(rule["sw_edition"])) for rule in raw.get("edition_by_version", ())
        )
        written = [normalise(str(n)) for n in raw["names"]]
        candidate = Candidate(
            key=str(raw["id"]),
            names=names,
            sw_edition=str(raw.get("sw_edition", ANY)) or ANY,
            version=str(raw.get("version", "")),
            platforms=platforms,
            edition_by_version=by_version,
            mentions=tuple(normalise(str(n)) for n in raw.get("mentions", written)),
        )
        vendors = {squash(str(v)) for v in raw.get("vendors", ())} | {squash(cpe_text(v)) for _p, v, _n in names}
        return Entry(
            candidate=candidate,
            names=frozenset(n.replace(" ", "") for n in written),
            vendors=frozenset(vendors),
            excludes=frozenset(w for e in raw.get("excludes", ()) for w in normalise(str(e)).split()),
        )
    except (KeyError, TypeError, re.error) as exc:
        raise CatalogueError(f"mục danh mục không hợp lệ {raw.get('id', '?')!r}: {exc}") from exc


def parse_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """Build a :class:`Catalogue` from the parsed TOML document; raises :class:`CatalogueError`."""
    entries = tuple(_entry(raw) for raw in data.get("product", ()))
    by_name: dict[str, list[Entry]] = {}
    for entry in entries:
        for name in entry.names:
            by_name.setdefault(name, []).append(entry)
    aliases: dict[str, set[str]] = {}
    for written, targets in dict(data.get("vendors", {})).items():
        aliases.setdefault(squash(written), set()).update(squash(t) for t in targets)
    for entry in entries:
        cpe_vendors = {squash(cpe_text(v)) for _p, v, _n in entry.candidate.names}
        for written in entry.vendors:
            aliases.setdefault(written, set()).update(cpe_vendors)
    return Catalogue(
        version=str(data.get("version", "")),
        entries=entries,
        by_name={name: tuple(found) for name, found in by_name.items()},
        vendor_aliases={key: frozenset(value) for key, value in aliases.items()},
        known_vendors=frozenset(v for entry in entries for v in entry.vendors) | frozenset(aliases),
    )


@cache
def default_catalogue() -> Catalogue:
    """The catalogue shipped with the engine (``data/aliases.toml``)."""
    try:
        text = resources.files("haidang.engines.intel").joinpath("data").joinpath(CATALOGUE_RESOURCE).read_bytes()
        return parse_catalogue(tomllib.loads(text.decode("utf-8")))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CatalogueError(f"không đọc được danh mục bí danh {CATALOGUE_RESOURCE}: {exc}") from exc


# --- resolution -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a row is: its candidate products, the version to match, and why it cannot be matched."""

    status: Status
    source: Source | None = None
    candidates: tuple[Candidate, ...] = ()
    version_text: str = ""  # the version as written, maybe with a prefix peeled off the product
    wanted: tuple[tuple[str, str], ...] = ()  # PENDING: (product squash key, version prefix) to look up
    fallback: tuple[Candidate, ...] = ()  # PENDING: catalogue names inside the product, if the vocabulary fails
    phrases: tuple[str, ...] = ()  # PENDING: the normalised product names the row may mean
    vendor_keys: frozenset[str] = frozenset()
    explicit: CpeName | None = None  # the row's own cpe column

    def targets(self, candidate: Candidate) -> tuple[CpeName, ...] | None:
        """The CPE names to evaluate for one candidate, or None when the version is unusable."""
        return _targets(self, candidate)


@dataclass(slots=True)
class Vocabulary:
    """The (part, vendor, product) names seen in loaded records, for the product keys rows asked for."""

    by_product: dict[str, set[tuple[str, str, str]]] = field(default_factory=dict)

    def add(self, product_key: str, name: tuple[str, str, str]) -> None:
        self.by_product.setdefault(product_key, set()).add(name)

    @classmethod
    def of(cls, names: Iterable[tuple[str, str, str]]) -> Vocabulary:
        vocabulary = cls()
        for name in names:
            vocabulary.add(squash(cpe_text(name[2])), name)
        return vocabulary


class Resolver:
    """Resolves inventory rows against a catalogue; cache-friendly (rows repeat products)."""

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        self.catalogue = catalogue or default_catalogue()

    def prepare(self, row: InventoryRow) -> Resolution:
        """Resolve from the cpe column and the catalogue; PENDING when only the vocabulary can tell."""
        explicit = _explicit_cpe(row.cpe)
        if explicit is not None:
            return _from_cpe(row, explicit)
        return self._prepare_names(row.vendor, row.product, row.version)

    def _prepare_names(self, vendor: str, product: str, version: str) -> Resolution:
        keys = vendor_keys(vendor, self.catalogue.vendor_aliases) if vendor.strip() else frozenset()
        phrases = product_phrases(vendor, product)
        version = version.strip()
        if not phrases:
            return Resolution(Status.UNKNOWN, version_text=version)
        for phrase in phrases:
            found = self._catalogue_lookup(phrase, keys, vendor)
            if found:
                return _settle(found, Source.CATALOGUE, version)
        peeled = _peeled(vendor, product)
        for phrase, prefix in peeled:
            found = self._catalogue_lookup(phrase, keys, vendor)
            if found:
                return _settle(found, Source.CATALOGUE, join_version(prefix, version))
        contained = self._contained(phrases, keys, vendor)
        if len(contained) == 1 and contained[0][1]:
            return Resolution(Status.RESOLVED, Source.CATALOGUE, (contained[0][0],), version_text=version)
        wanted = tuple(
            dict.fromkeys([(p.replace(" ", ""), "") for p in phrases] + [(p.replace(" ", ""), x) for p, x in peeled])
        )
        wanted += tuple((key + "firmware", prefix) for key, prefix in wanted if not key.endswith("firmware"))
        return Resolution(
            Status.PENDING,
            wanted=wanted,
            vendor_keys=keys,
            version_text=version,
            fallback=tuple(candidate for candidate, _clean in contained),
            phrases=tuple(phrases),
        )

    def _catalogue_lookup(self, phrase: str, keys: frozenset[str], vendor: str) -> tuple[Candidate, ...]:
        entries = self.catalogue.by_name.get(phrase.replace(" ", ""), ())
        return tuple(e.candidate for e in entries if self._vendor_fits(e, keys, vendor) and not _excluded(e, phrase))

    def _vendor_fits(self, entry: Entry, keys: frozenset[str], vendor: str) -> bool:
        """A blank vendor fits; a written vendor fits when one of its keys is the entry's. A vendor the
        catalogue knows for other products ("MariaDB" for MySQL) does not; an unknown one (a reseller)
        is let through here and the row's product name decides."""
        if not vendor.strip() or keys & entry.vendors:
            return True
        return not (keys & self.catalogue.known_vendors)

    def _contained(self, phrases: list[str], keys: frozenset[str], vendor: str) -> list[tuple[Candidate, bool]]:
        """Catalogue names found inside the written product ("nginx web server"), each with whether all the
        other words are merely descriptive. One clean hit resolves; anything else is only for review."""
        hits: dict[str, tuple[Candidate, bool]] = {}
        for phrase in phrases:
            words = phrase.split()
            for size in range(len(words) - 1, 0, -1):
                for start in range(len(words) - size + 1):
                    name = "".join(words[start : start + size])
                    rest = words[:start] + words[start + size :]
                    for entry in self.catalogue.by_name.get(name, ()):
                        if not self._vendor_fits(entry, keys, vendor) or _excluded(entry, phrase):
                            continue
                        clean = all(w in DESCRIPTIVE_WORDS for w in rest)
                        previous = hits.get(entry.candidate.key)
                        hits[entry.candidate.key] = (entry.candidate, clean or bool(previous and previous[1]))
        return list(hits.values())

    def finish(self, resolution: Resolution, vocabulary: Vocabulary) -> Resolution:
        """Settle a PENDING resolution from the CPE vocabulary of the loaded records."""
        if resolution.status is not Status.PENDING:
            return resolution
        for key, prefix in resolution.wanted:
            candidates = _vocabulary_candidates(vocabulary, key, resolution.vendor_keys)
            if candidates:
                return _settle(candidates, Source.VOCABULARY, join_version(prefix, resolution.version_text))
        if resolution.fallback:
            return Resolution(
                Status.AMBIGUOUS, Source.CONTAINED, resolution.fallback, version_text=resolution.version_text
            )
        return Resolution(Status.UNKNOWN, version_text=resolution.version_text)


def _vocabulary_candidates(vocabulary: Vocabulary, key: str, vendor_keys: frozenset[str]) -> tuple[Candidate, ...]:
    """The vocabulary's products for one product key, one candidate per (vendor, product). A device named
    the way NVD names its hardware ("RV320") means its firmware (``o:cisco:rv320_firmware``) running on
    that hardware (``h:cisco:rv320``), as NVD's firmware AND hardware configurations have it."""
    names = vocabulary.by_product.get(key, set()) | vocabulary.by_product.get(key + "firmware", set())
    if vendor_keys:
        names = {n for n in names if squash(cpe_text(n[1])) in vendor_keys}
    grouped: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
    for name in sorted(names):
        grouped.setdefault((name[1], name[2]), []).append(name)
    candidates: list[Candidate] = []
    for (vendor, product), found in sorted(grouped.items()):
        firmware = product.endswith("_firmware")
        hardware = (vendor, product + "_firmware") in grouped
        if hardware and all(part == "h" for part, _v, _p in found):
            continue  # the device: its firmware's candidate stands for it
        platforms = (cpe.build("h", vendor, product.removesuffix("_firmware")),) if firmware else ()
        candidates.append(
            Candidate(key=f"{vendor}:{product}", names=tuple(found), platforms=platforms, mentions=(cpe_text(product),))
        )
    return tuple(candidates)


def _excluded(entry: Entry, phrase: str) -> bool:
    return bool(entry.excludes.intersection(phrase.split()))


def _settle(candidates: tuple[Candidate, ...], source: Source, version: str) -> Resolution:
    status = Status.RESOLVED if len(candidates) == 1 else Status.AMBIGUOUS
    return Resolution(status, source, candidates, version_text=version)


def _peeled(vendor: str, product: str) -> list[tuple[str, str]]:
    """Trailing version-like words of the written product, as (product phrase, version prefix):
    "Exchange Server 2019" → ("exchange server", "2019"); "Confluence Server 7.13.0" → (…, "7.13.0")."""
    words = product.split()
    cut = len(words)
    while cut > 1 and _VERSIONISH.match(words[cut - 1].lower()):
        cut -= 1
    if cut == len(words):
        return []
    prefix = " ".join(words[cut:])
    return [(phrase, prefix) for phrase in product_phrases(vendor, " ".join(words[:cut]))]


def join_version(prefix: str, version: str) -> str:
    """The version a row means when its product ends in a release: "2019" + "CU12" → "2019 CU12"; a version
    column that is itself a full version wins ("Tomcat 9" + "9.0.65" → "9.0.65")."""
    version = version.strip()
    if not version:
        return prefix
    if version[0].isdigit() or (version[0] in "vV" and version[1:2].isdigit()):
        return version
    return f"{prefix} {version}"


def _explicit_cpe(text: str) -> CpeName | None:
    if not text.strip():
        return None
    try:
        name = cpe.parse(text)
    except ValueError:
        return None
    if name.part not in {"a", "o", "h"} or name.vendor in {ANY, "-", ""} or name.product in {ANY, "-", ""}:
        return None
    return name


def _from_cpe(row: InventoryRow, name: CpeName) -> Resolution:
    candidate = Candidate(
        key=f"{name.vendor}:{name.product}",
        names=((name.part, name.vendor, name.product),),
        sw_edition=name.sw_edition,
        mentions=(cpe_text(name.product),),
    )
    return Resolution(Status.RESOLVED, Source.CPE, (candidate,), version_text=row.version.strip(), explicit=name)


def _plain_version(text: str) -> str:
    text = text.strip()
    if len(text) > 1 and text[0] in "vV" and text[1].isdigit():
        text = text[1:]
    return text


def _targets(resolution: Resolution, candidate: Candidate) -> tuple[CpeName, ...] | None:
    explicit = resolution.explicit
    if explicit is not None and explicit.version not in {ANY, "-", ""}:
        if explicit.update != ANY:
            return (explicit,)
        raw = cpe.unescape_value(explicit.version)
        version, update = versions.split_update(
            cpe.unescape_value(explicit.vendor), cpe.unescape_value(explicit.product), raw
        )
        return (_with(explicit, version, update),)
    if candidate.version:
        raw_version, raw_update = candidate.version, ""
    else:
        text = _plain_version(resolution.version_text)
        if not _HAS_DIGIT.search(text):
            return None
        _part, vendor, product = candidate.names[0]
        raw_version, raw_update = versions.split_update(cpe.unescape_value(vendor), cpe.unescape_value(product), text)
        raw_version = _plain_version(raw_version)
        if not _HAS_DIGIT.search(raw_version):
            return None
    if explicit is not None:
        return (_with(explicit, raw_version, raw_update),)
    edition = candidate.sw_edition
    for pattern, value in candidate.edition_by_version:
        if pattern.match(raw_version.strip()):
            edition = value
            break
    return tuple(
        cpe.build(
            part,
            vendor,
            product,
            version=cpe.escape_value(raw_version),
            update=cpe.escape_value(raw_update),
            sw_edition=edition,
        )
        for part, vendor, product in candidate.names
    )


def _with(name: CpeName, version: str, update: str) -> CpeName:
    """``name`` with a free-text version and update (an empty update stays ANY: not stated)."""
    return cpe.build(
        name.part,
        name.vendor,
        name.product,
        version=cpe.escape_value(version),
        update=cpe.escape_value(update),
        edition=name.edition,
        language=name.language,
        sw_edition=name.sw_edition,
        target_sw=name.target_sw,
        target_hw=name.target_hw,
        other=name.other,
    )
