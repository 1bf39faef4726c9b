"""CSS tricks attackers use to hide injected links from visitors while search engines still index them."""

from __future__ import annotations

import random

HIDE_METHODS = (
    "display_none",
    "visibility_hidden",
    "offscreen",
    "zero_size",
    "font_size_zero",
    "text_indent",
    "color_match",
    "style_rule",
    "hidden_attr",
    "opacity_zero",
    "clip_rect",
)

_INLINE: dict[str, tuple[str, ...]] = {
    "display_none": ("display:none", "display: none !important", "DISPLAY:NONE"),
    "visibility_hidden": ("visibility:hidden;height:0", "visibility: hidden"),
    "offscreen": ("position:absolute;left:-9999px;top:-9999px", "position: fixed; top: -5000px; left: 0"),
    "zero_size": ("width:0;height:0;overflow:hidden", "height:1px; width:1px; overflow:hidden"),
    "font_size_zero": ("font-size:0", "font-size:0px;line-height:0"),
    "text_indent": ("text-indent:-9999px;overflow:hidden;white-space:nowrap", "text-indent: -10000px"),
    "opacity_zero": ("opacity:0", "opacity:0;filter:alpha(opacity=0)"),
    "clip_rect": (
        "position:absolute;clip:rect(0 0 0 0);clip-path:inset(50%)",
        "position:absolute; clip: rect(1px,1px,1px,1px)",
    ),
}
_RULES = ("display:none", "position:absolute;left:-10000px", "visibility:hidden", "height:0;overflow:hidden")


def _class_name(rng: random.Random) -> str:
    return rng.choice(("ft-links", "seo-box", "partner", "lk-footer", "widget-x", "bn-ads")) + str(rng.randint(1, 99))


def hide(rng: random.Random, method: str, inner: str) -> tuple[str, str]:
    """Wrap `inner` so browsers do not show it. Returns (html for <head>, html for the body)."""
    tag = rng.choice(("div", "div", "p", "span"))
    if method in _INLINE:
        return "", f'<{tag} style="{rng.choice(_INLINE[method])}">{inner}</{tag}>'
    if method == "hidden_attr":
        return "", f"<div hidden>{inner}</div>"
    if method == "color_match":
        color = rng.choice(("#ffffff", "#fff", "white", "#f5f5f5"))
        if rng.random() < 0.5:
            return "", f'<div style="color:{color};background-color:{color}"><font color="{color}">{inner}</font></div>'
        return "", f'<div style="color:{color};background:{color};font-size:1px">{inner}</div>'
    if method == "style_rule":
        name = _class_name(rng)
        if rng.random() < 0.5:
            return f"<style>.{name}{{{rng.choice(_RULES)}}}</style>", f'<div class="{name}">{inner}</div>'
        return f'<style type="text/css">#{name} {{ {rng.choice(_RULES)} }}</style>', f'<div id="{name}">{inner}</div>'
    raise ValueError(method)
