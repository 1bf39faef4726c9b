"""CPE 2.3 names: parsing and binding (NISTIR 7695) and attribute matching (NISTIR 7696).

Values are kept as formatted-string (FS) values (NISTIR 7695 §6.2), lower-cased and in one canonical
spelling so that two values with the same meaning are the same string:

- ``*`` alone is ANY, ``-`` alone is NA (§6.2.2.2);
- a backslash quotes the next character; ``\\.`` ``\\-`` ``\\_`` are written unquoted because the FS
  binding does not quote them (§6.2.2.1 ``process_quoted_chars``); every other printable non-alphanumeric
  character is quoted (``\\:`` ``\\(`` ``\\!`` …), and a literal value that is exactly ``-`` is ``\\-``;
- an unquoted ``*`` (any sequence) or run of ``?`` is a wildcard only at the start or end of a value
  (§5.3.2). An unquoted ``*``/``?`` *inside* a value is illegal in 7695; it is read as a literal
  character rather than rejected, so one odd NVD record cannot make a whole feed fail.

Matching follows NISTIR 7696 §6.1 ``compare`` / §6.2 ``compare_strings``: per attribute the relation of
source (the NVD criteria) to target is computed and a name matches when every attribute is SUPERSET or
EQUAL. Values are compared by their unquoted characters (so ``1\\.0`` and ``1.0`` are equal).
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

from haidang.engines.intel.types import ANY, NA, CpeName

__all__ = [
    "ATTRIBUTES",
    "attribute_matches",
    "build",
    "canonical_value",
    "escape_value",
    "has_wildcards",
    "name_matches",
    "parse",
    "plain_literal",
    "unescape_value",
]

# The eleven WFN attributes in formatted-string order (NISTIR 7695 §5.2, §6.2).
ATTRIBUTES = (
    "part",
    "vendor",
    "product",
    "version",
    "update",
    "edition",
    "language",
    "sw_edition",
    "target_sw",
    "target_hw",
    "other",
)
_PARTS = frozenset({"a", "o", "h", ANY})
_FS_PREFIX = "cpe:2.3:"
_URI_PREFIX = "cpe:/"
_UNQUOTED_PUNCTUATION = frozenset("._-")

_KIND_ANY = 0
_KIND_NA = 1
_KIND_STRING = 2


class _Value(NamedTuple):
    """A value as 7696 compares it: kind; leading wildcard (-1 = ``*``, n = n ``?``); literal body; trailing."""

    kind: int
    begins: int
    body: str
    ends: int

    @property
    def wild(self) -> bool:
        return self.begins != 0 or self.ends != 0


def _chars(value: str) -> list[tuple[str, bool]]:
    """The value's logical characters, each with whether it was quoted; a dangling backslash raises."""
    chars: list[tuple[str, bool]] = []
    index = 0
    while index < len(value):
        char = value[index]
        if char == "\\":
            if index + 1 >= len(value):
                raise ValueError(f"CPE value {value!r} ends with a lone backslash")
            chars.append((value[index + 1], True))
            index += 2
        else:
            chars.append((char, False))
            index += 1
    return chars


def _wildcards(chars: list[tuple[str, bool]], *, from_end: bool) -> tuple[int, int]:
    """(-1 for ``*`` or the count of ``?``, how many chars that took) at one end of ``chars``."""
    ordered = list(reversed(chars)) if from_end else chars
    if ordered and ordered[0] == ("*", False):
        return -1, 1
    count = 0
    while count < len(ordered) and ordered[count] == ("?", False):
        count += 1
    return count, count


@lru_cache(maxsize=1 << 16)
def _value(value: str) -> _Value:
    if value == ANY:
        return _Value(_KIND_ANY, 0, "", 0)
    if value == NA:
        return _Value(_KIND_NA, 0, "", 0)
    chars = _chars(value.lower())
    begins, start = _wildcards(chars, from_end=False)
    ends, stop = _wildcards(chars[start:], from_end=True)
    body = "".join(char for char, _quoted in chars[start : len(chars) - stop])
    return _Value(_KIND_STRING, begins, body, ends)


def _quote(body: str) -> str:
    if body == NA:
        return "\\-"
    return "".join(
        char if char.isalnum() or char in _UNQUOTED_PUNCTUATION or not char.isascii() else "\\" + char for char in body
    )


def _wild_text(count: int) -> str:
    return "*" if count == -1 else "?" * count


@lru_cache(maxsize=1 << 16)
def canonical_value(value: str) -> str:
    """The canonical FS spelling of an FS value (lower-case, minimal quoting); raises on a dangling ``\\``."""
    if value in {ANY, NA}:
        return value
    if not value:
        raise ValueError("empty CPE attribute value (use * for ANY)")
    parsed = _value(value)
    if not parsed.body and not parsed.wild:
        raise ValueError(f"CPE value {value!r} has no characters")
    return _wild_text(parsed.begins) + _quote(parsed.body) + _wild_text(parsed.ends)


def has_wildcards(value: str) -> bool:
    """Whether an FS value is a string with an unquoted ``*``/``?`` at an end (ANY alone is not)."""
    parsed = _value(value)
    return parsed.kind == _KIND_STRING and parsed.wild


def plain_literal(value: str) -> str | None:
    """The unquoted text of an FS value without wildcards; ``None`` for ANY, NA or a wildcard value."""
    parsed = _value(value)
    if parsed.kind != _KIND_STRING or parsed.wild:
        return None
    return parsed.body


def unescape_value(value: str) -> str:
    """The literal text of an FS value with quoting removed (``15.2\\(4\\)m`` → ``15.2(4)m``); ANY/NA as given."""
    if value in {ANY, NA}:
        return value
    return "".join(char for char, _quoted in _chars(value.lower()))


def escape_value(raw: str) -> str:
    """An FS value for free text: lower-cased, whitespace runs → ``_`` (as NVD names products), specials quoted.

    Empty text gives ``*`` (ANY: not stated). ``*`` and ``?`` in the text are quoted, never wildcards.
    """
    text = "_".join(raw.strip().lower().split())
    if not text:
        return ANY
    return _quote(text)


def _split_fs(text: str) -> list[str]:
    components: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            if index + 1 >= len(text):
                raise ValueError(f"CPE {text!r} ends with a lone backslash")
            current.append(text[index : index + 2])
            index += 2
            continue
        if char == ":":
            components.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    components.append("".join(current))
    return components


def _from_values(values: list[str], source: str) -> CpeName:
    try:
        canonical = [canonical_value(value) for value in values]
    except ValueError as error:
        raise ValueError(f"CPE {source!r}: {error}") from None
    if canonical[0] not in _PARTS:
        raise ValueError(f"CPE {source!r}: part must be a, o, h or *, not {values[0]!r}")
    return CpeName(*canonical)


def _parse_fs(text: str) -> CpeName:
    components = _split_fs(text)
    if len(components) != 13:
        raise ValueError(f"CPE {text!r} has {len(components)} components, a CPE 2.3 name has 13")
    return _from_values(components[2:], text)


def _decode_uri(component: str, source: str) -> str:
    """A CPE 2.2/2.3 URI component → FS value (NISTIR 7695 §6.1.3.2 ``decode``)."""
    if component == "":
        return ANY
    if component == NA:
        return NA
    out: list[str] = []
    index = 0
    while index < len(component):
        char = component[index]
        if char == "%":
            code = component[index : index + 3].lower()
            if code == "%01":
                out.append("?")
            elif code == "%02":
                out.append("*")
            else:
                try:
                    decoded = bytes.fromhex(code[1:]).decode("ascii")
                except ValueError:
                    raise ValueError(f"CPE {source!r}: bad percent code {code!r}") from None
                out.append(_quote(decoded))
            index += 3
            continue
        out.append(char if char.isalnum() or char in _UNQUOTED_PUNCTUATION else "\\" + char)
        index += 1
    return "".join(out)


def _parse_uri(text: str) -> CpeName:
    components = text[len(_URI_PREFIX) :].split(":")
    if len(components) > 7:
        raise ValueError(f"CPE URI {text!r} has more than 7 components")
    components += [""] * (7 - len(components))
    part, vendor, product, version, update, edition, language = components
    packed = ["", "", "", ""]
    if edition.startswith("~"):
        fields = edition.split("~")
        if len(fields) != 6:
            raise ValueError(f"CPE URI {text!r}: a packed edition has 5 ~-separated fields")
        edition, *rest = fields[1:]
        packed = rest
    values = [_decode_uri(value, text) for value in (part, vendor, product, version, update, edition, language)]
    values += [_decode_uri(value, text) for value in packed]
    return _from_values(values, text)


@lru_cache(maxsize=1 << 16)
def parse(text: str) -> CpeName:
    """A :class:`CpeName` from a ``cpe:2.3:`` formatted string (13 components) or a ``cpe:/`` 2.2 URI.

    Backslash-quoted characters are part of a value (``\\:`` does not separate); values are lower-cased and
    canonicalised (see the module docstring). Raises ``ValueError`` naming the problem for malformed input.
    """
    stripped = text.strip()
    prefix = stripped[:8].lower()
    if prefix.startswith(_FS_PREFIX):
        return _parse_fs(stripped)
    if prefix.startswith(_URI_PREFIX):
        return _parse_uri(stripped)
    raise ValueError(f"not a CPE name (expected 'cpe:2.3:' or 'cpe:/'): {text!r}")


def build(
    part: str,
    vendor: str,
    product: str,
    version: str = ANY,
    update: str = ANY,
    *,
    edition: str = ANY,
    language: str = ANY,
    sw_edition: str = ANY,
    target_sw: str = ANY,
    target_hw: str = ANY,
    other: str = ANY,
) -> CpeName:
    """A :class:`CpeName` from FS values (use :func:`escape_value` for free text); canonicalises each value.

    An empty value means ANY. Raises ``ValueError`` for a bad part or a dangling backslash.
    """
    values = [part, vendor, product, version, update, edition, language, sw_edition, target_sw, target_hw, other]
    values = [value.strip() or ANY for value in values]
    return _from_values(values, ":".join(values))


def _compare_strings(source: _Value, target: str) -> bool:
    """NISTIR 7696 §6.2 ``compare_strings`` on unquoted text: SUPERSET (True) or DISJOINT (False).

    The body must occur in the target with at most ``begins`` characters before it (any number for ``*``)
    and at most ``ends`` after it: as in the 7696 pseudocode, ``?`` at an end matches zero or one character.
    """
    body = source.body
    index = target.find(body)
    while index != -1:
        if source.begins != -1 and index > source.begins:
            return False
        leftover = len(target) - index - len(body)
        if source.ends == -1 or leftover <= source.ends:
            return True
        index = target.find(body, index + 1)
    return False


def attribute_matches(source: str, target: str) -> bool:
    """Whether the 7696 relation of ``source`` (criteria) to ``target`` is SUPERSET or EQUAL.

    NISTIR 7696 §6.1.2 Table 6-2, in its pseudocode's order: a target with wildcards → UNDEFINED (False);
    equal values → EQUAL; source ANY → SUPERSET; target ANY → SUBSET (False); either NA → DISJOINT; a
    source with wildcards → :func:`_compare_strings`; different literals → DISJOINT.
    """
    if source == ANY and target == ANY:
        return True
    src = _value(source)
    tgt = _value(target)
    if tgt.kind == _KIND_STRING and tgt.wild:
        return False
    if src == tgt or src.kind == _KIND_ANY:
        return True
    if src.kind != _KIND_STRING or tgt.kind != _KIND_STRING or not src.wild:
        return False
    return _compare_strings(src, tgt.body)


def name_matches(criteria: CpeName, target: CpeName) -> bool:
    """Whether ``criteria`` matches ``target``: every one of the 11 attributes SUPERSET or EQUAL (7696 §6.3)."""
    return all(attribute_matches(getattr(criteria, attribute), getattr(target, attribute)) for attribute in ATTRIBUTES)
