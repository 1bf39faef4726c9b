"""Static reading of JavaScript: undo the simple obfuscations and find redirects and injected markup.

Attack kits hide ``location.href = "https://nhacai…"`` behind ``atob``, ``String.fromCharCode``,
``unescape``/``eval``, hex escapes and reversed strings. We fold those back into plain string
literals (never executing anything) and then look at what reaches a redirect or a ``document.write``.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from urllib.parse import unquote, urljoin

MAX_CODE = 200_000
_STR = r"(?:\"(?:[^\"\\\n]|\\.){0,20000}\"|'(?:[^'\\\n]|\\.){0,20000}')"
_ATOB = re.compile(r"(?:window\.)?atob\(\s*(" + _STR + r")\s*\)")
_FROM_CHAR = re.compile(
    r"String\.fromCharCode\(\s*((?:0x[0-9a-fA-F]+|\d+)(?:\s*,\s*(?:0x[0-9a-fA-F]+|\d+)){0,5000})\s*\)"
)
_UNESCAPE = re.compile(r"(?:unescape|decodeURIComponent|decodeURI)\(\s*(" + _STR + r")\s*\)")
_REVERSE = re.compile(r"(" + _STR + r")\.split\(\s*(?:\"\"|'')\s*\)\.reverse\(\)\.join\(\s*(?:\"\"|'')\s*\)")
_CONCAT = re.compile(r"(" + _STR + r")\s*\+\s*(" + _STR + r")")
_ANY_STR = re.compile(_STR)
_ARRAY = re.compile(r"([A-Za-z_$][\w$]*)\s*=\s*\[\s*(" + _STR + r"(?:\s*,\s*" + _STR + r"){0,200})\s*\]")
_INDEX = re.compile(r"([A-Za-z_$][\w$]*)\[\s*(\d{1,3})\s*\]")
_ANY_SINK = re.compile(r"location\s*(?:\.\s*href\s*|\[[^\]]{1,40}\]\s*)?=(?!=)|location\s*\.\s*(?:replace|assign)\s*\(")
_ASSIGN = re.compile(r"(?:var|let|const)?\s*([A-Za-z_$][\w$]*)\s*=\s*(" + _STR + r")")
_LOCATION = re.compile(
    r"(?:(?:window|document|top|self|parent)\s*\.\s*)?location(?:\s*\.\s*href|\s*\[\s*[\"']href[\"']\s*\])?\s*=(?!=)\s*("
    + _STR
    + r"|[A-Za-z_$][\w$]*)"
    r"|location\s*\.\s*(?:replace|assign)\(\s*(" + _STR + r"|[A-Za-z_$][\w$]*)"
    r"|window\s*\.\s*open\(\s*(" + _STR + r"|[A-Za-z_$][\w$]*)"
)
_WRITE = re.compile(r"document\s*\.\s*write(?:ln)?\(\s*(" + _STR + r"|[A-Za-z_$][\w$]*)")
_EVAL = re.compile(r"\beval\s*\(|new\s+Function\s*\(|setTimeout\(\s*" + _STR)
_REFERRER = re.compile(r"document\s*\.\s*referrer", re.IGNORECASE)
_SEARCH_ENGINE = re.compile(r"google|bing|yahoo|coccoc|yandex|baidu", re.IGNORECASE)
_URL = re.compile(r"(?:https?:)?//[a-z0-9][a-z0-9.\-]{0,250}(?::\d{1,5})?(?:/[^\s\"'<>)]*)?", re.IGNORECASE)
_SRC_SINK = re.compile(
    r"\.src\s*=\s*(" + _STR + r"|[A-Za-z_$][\w$]*)|setAttribute\(\s*['\"]src['\"]\s*,\s*(" + _STR + r")"
)
MINERS = re.compile(
    r"coinhive|coin-hive|cryptonight|cryptoloot|crypto-loot|webminepool|jsecoin|coinimp|deepminer|"
    r"authedmine|minero\.cc|monerominer|webmine\.|miner\.start\(|CoinHive\.|Client\.Anonymous|"
    r"throttle\s*:\s*0\.\d|hashrate",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ScriptFacts:
    redirects: tuple[str, ...]  # absolute targets of location changes
    written: tuple[str, ...]  # markup written by document.write (decoded)
    loads: tuple[str, ...]  # absolute URLs assigned to .src
    urls: tuple[str, ...]  # every absolute URL after decoding
    referrer_check: bool  # redirects only visitors coming from a search engine
    miner: str  # name of a crypto-miner found, or ""
    obfuscated: bool  # an atob/fromCharCode/unescape/reverse was undone


def _literal(token: str) -> str:
    """The value of a JS string literal (quotes removed, escapes decoded)."""
    body = token[1:-1]
    if "\\" not in body:
        return body
    try:
        return body.encode("latin-1", "backslashreplace").decode("unicode_escape")
    except (UnicodeDecodeError, UnicodeEncodeError):
        return body


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _atob(match: re.Match[str]) -> str:
    raw = _literal(match.group(1))
    try:
        decoded = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=False)
    except (binascii.Error, ValueError):
        return match.group(0)
    return _quote(decoded.decode("utf-8", "replace"))


def _from_char(match: re.Match[str]) -> str:
    chars = []
    for part in match.group(1).split(","):
        value = int(part.strip(), 16 if part.strip().lower().startswith("0x") else 10)
        chars.append(chr(value) if value < 0x110000 else "?")
    return _quote("".join(chars))


def _escaped_literal(match: re.Match[str]) -> str:
    token = match.group(0)
    return _quote(_literal(token)) if "\\x" in token or "\\u" in token else token


def _inline_arrays(code: str) -> str:
    """``var _0x1=["\x68…","href"]; location[_0x1[1]]=_0x1[0]`` → the array items in place."""
    arrays = {name: [_literal(t) for t in _ANY_STR.findall(items)] for name, items in _ARRAY.findall(code)}
    if not arrays:
        return code

    def item(match: re.Match[str]) -> str:
        values = arrays.get(match.group(1))
        index = int(match.group(2))
        return _quote(values[index]) if values is not None and index < len(values) else match.group(0)

    return _INDEX.sub(item, code)


def deobfuscate(code: str) -> tuple[str, bool]:
    """Fold decodable expressions into string literals. Returns the code and whether anything changed."""
    code = code[:MAX_CODE]
    original = code
    for _ in range(4):  # nested layers, bounded
        before = code
        code = _ANY_STR.sub(_escaped_literal, code)
        code = _inline_arrays(code)
        code = _ATOB.sub(_atob, code)
        code = _FROM_CHAR.sub(_from_char, code)
        code = _UNESCAPE.sub(lambda m: _quote(unquote(_literal(m.group(1)))), code)
        code = _REVERSE.sub(lambda m: _quote(_literal(m.group(1))[::-1]), code)
        code = _CONCAT.sub(lambda m: _quote(_literal(m.group(1)) + _literal(m.group(2))), code)
        if code == before:
            break
    return code, code != original


def _values(code: str) -> dict[str, str]:
    return {name: _literal(token) for name, token in _ASSIGN.findall(code)}


def _resolve(token: str, variables: dict[str, str]) -> str:
    if token and token[0] in "\"'":
        return _literal(token)
    return variables.get(token, "")


def analyze_script(code: str, base_url: str) -> ScriptFacts:
    """What a script (inline or fetched) does, as far as static reading can tell."""
    decoded, obfuscated = deobfuscate(code)
    # The decoded payload of an eval()/document.write may itself be code: read it too.
    decoded = decoded + "\n" + "\n".join(_literal(t) for t in re.findall(_STR, decoded) if "location" in t)
    variables = _values(decoded)

    def absolute(target: str) -> str:
        target = target.strip()
        if not target or target.startswith(("#", "javascript:")):
            return ""
        try:
            return urljoin(base_url, target)
        except ValueError:
            return ""

    redirects = tuple(
        a for m in _LOCATION.finditer(decoded) if (a := absolute(_resolve(next(g for g in m.groups() if g), variables)))
    )
    if not redirects and _ANY_SINK.search(decoded):
        # A location change whose argument we could not resolve: the script's own URLs are the suspects.
        redirects = tuple(u.rstrip("\\") for u in _URL.findall(decoded) if u.startswith("http"))[:5]
    written = tuple(_resolve(m.group(1), variables) for m in _WRITE.finditer(decoded))
    loads = tuple(
        a for m in _SRC_SINK.finditer(decoded) if (a := absolute(_resolve(next(g for g in m.groups() if g), variables)))
    )
    found = (u.rstrip("\\") for u in _URL.findall(decoded))
    urls = tuple(dict.fromkeys(u if u.startswith("http") else "http:" + u for u in found))[:200]
    referrer = bool(_REFERRER.search(decoded)) and bool(_SEARCH_ENGINE.search(decoded)) and bool(redirects)
    miner = MINERS.search(decoded)
    return ScriptFacts(
        redirects=redirects[:20],
        written=tuple(w[:5000] for w in written if w)[:20],
        loads=loads[:20],
        urls=urls,
        referrer_check=referrer,
        miner=miner.group(0) if miner else "",
        obfuscated=obfuscated or bool(_EVAL.search(code) and obfuscated),
    )
