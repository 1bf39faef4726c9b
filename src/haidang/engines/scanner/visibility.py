"""Which elements a visitor cannot see: CSS in ``style`` attributes and ``<style>`` rules, and ``hidden``.

Hidden is not evidence on its own (skip links, collapsed mobile menus and screen-reader text are
hidden too); it changes how strongly foreign content inside is judged.
"""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

_DECL = re.compile(r"([a-z\-]+)\s*:\s*([^;]+)")
_RULE = re.compile(r"([^{}]{1,300})\{([^{}]{0,2000})\}")
_NEGATIVE_FAR = re.compile(r"^-\s*\d{3,}(?:\.\d+)?(?:px|em|rem|pt|%)?")
_ZERO = re.compile(r"^(?:0|0?\.0\d*|0(?:px|em|rem|pt|%)|1px)$")
MAX_STYLE_RULES = 300


def _parse_declarations(style: str) -> dict[str, str]:
    return {
        name.strip(): value.strip().lower().replace(" !important", "").replace("!important", "").strip()
        for name, value in _DECL.findall(style.lower())
    }


def _not_displayed(d: dict[str, str]) -> bool:
    return d.get("display") == "none" or d.get("visibility") in {"hidden", "collapse"}


def _transparent(d: dict[str, str]) -> bool:
    if _number(d.get("opacity", "1")) <= 0.05 or d.get("color") in {"transparent", "rgba(0,0,0,0)"}:
        return True
    background = d.get("background-color") or d.get("background")
    return bool(d.get("color") and background and d.get("color") == background)


def _collapsed(d: dict[str, str]) -> bool:
    if _ZERO.match(d.get("font-size", "x").replace(" ", "")) or d.get("max-height", "") in {"0", "0px"}:
        return True
    if _ZERO.match(d.get("height", "x")) and (_ZERO.match(d.get("width", "x")) or d.get("overflow") == "hidden"):
        return True
    return "rect(0" in d.get("clip", "").replace(" ", "") or d.get("transform", "").startswith("scale(0")


def _off_screen(d: dict[str, str]) -> bool:
    if any(
        _NEGATIVE_FAR.match(d.get(name, ""))
        for name in ("text-indent", "left", "top", "right", "margin-left", "margin-top")
    ):
        return True
    transform = d.get("transform", "")
    return "translate" in transform and bool(_NEGATIVE_FAR.search(transform.split("(", 1)[-1]))


_HIDING = (_not_displayed, _transparent, _collapsed, _off_screen)


def style_hides(style: str) -> bool:
    """Does this CSS declaration block hide its element?"""
    declarations = _parse_declarations(style)
    return any(test(declarations) for test in _HIDING)


def hidden_roots(tree: LexborHTMLParser) -> list[LexborNode]:
    """Elements hidden by a ``hidden`` attribute, an inline style, or a ``<style>`` rule."""
    # <noscript> is invisible to a browser running JavaScript, yet crawlers read it.
    roots: list[LexborNode] = [*tree.css("[hidden]"), *tree.css("noscript")]
    roots.extend(node for node in tree.css("[style]") if style_hides(node.attributes.get("style") or ""))
    for selector in _hiding_selectors(tree):
        try:
            roots.extend(tree.css(selector))
        except Exception:  # noqa: BLE001, S112 - a hostile page's selector the CSS engine rejects is skipped
            continue
    return roots


def _hiding_selectors(tree: LexborHTMLParser) -> list[str]:
    selectors: list[str] = []
    for style in tree.css("style"):
        css = re.sub(r"/\*.*?\*/", "", style.text(deep=True)[:100_000], flags=re.DOTALL)
        for raw_selectors, body in _RULE.findall(css):
            if not style_hides(body):
                continue
            for raw in raw_selectors.split(","):
                selector = raw.strip()
                if selector and not selector.startswith("@") and ":" not in selector:
                    selectors.append(selector)
            if len(selectors) >= MAX_STYLE_RULES:
                return selectors
    return selectors


def _number(value: str) -> float:
    try:
        return float(value.strip().rstrip("%"))
    except ValueError:
        return 1.0


_FULL = {"100%", "100vw", "100vh"}


def style_covers_page(style: str) -> bool:
    """A fixed/absolute box the size of the window on top of everything: an overlay."""
    d = _parse_declarations(style)
    on_top = _number(d.get("z-index", "0")) >= 1000
    return (
        d.get("position") in {"fixed", "absolute"} and d.get("width") in _FULL and d.get("height") in _FULL and on_top
    )
