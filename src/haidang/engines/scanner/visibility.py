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


def style_hides(style: str) -> bool:  # noqa: PLR0911 - one early answer per hiding technique
    """Does this CSS declaration block hide its element?"""
    decls = {
        name.strip(): value.strip().lower().replace(" !important", "") for name, value in _DECL.findall(style.lower())
    }
    if decls.get("display") == "none" or decls.get("visibility") in {"hidden", "collapse"}:
        return True
    if _number(decls.get("opacity", "1")) <= 0.05:
        return True
    if _ZERO.match(decls.get("font-size", "x").replace(" ", "")) or decls.get("max-height", "") in {"0", "0px"}:
        return True
    for name in ("text-indent", "left", "top", "right", "margin-left", "margin-top"):
        if _NEGATIVE_FAR.match(decls.get(name, "")):
            return True
    if _ZERO.match(decls.get("width", "x")) and _ZERO.match(decls.get("height", "x")):
        return True
    if _ZERO.match(decls.get("height", "x")) and decls.get("overflow") == "hidden":
        return True
    if "translate" in decls.get("transform", "") and _NEGATIVE_FAR.search(decls["transform"].split("(", 1)[-1]):
        return True
    if ("rect(0" in decls.get("clip", "").replace(" ", "")) or decls.get("transform", "").startswith("scale(0"):
        return True
    color, background = decls.get("color"), decls.get("background-color") or decls.get("background")
    return bool(color and background and color == background)


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
