"""CMS-like templates, one explicit registry."""

from __future__ import annotations

from .cms import Template
from .dnn import Dnn
from .joomla import Joomla
from .liferay import Liferay
from .nukeviet import NukeViet
from .static import Static
from .wordpress import WordPress

TEMPLATES: dict[str, Template] = {
    "joomla": Joomla(),
    "wordpress": WordPress(),
    "dnn": Dnn(),
    "liferay": Liferay(),
    "nukeviet": NukeViet(),
    "static": Static(),
}

# which templates an organisation of each kind plausibly runs
KIND_TEMPLATES: dict[str, tuple[str, ...]] = {
    "department": ("joomla", "dnn", "liferay", "nukeviet"),
    "district": ("wordpress", "liferay", "nukeviet", "joomla"),
    "ward": ("wordpress", "nukeviet", "static"),
    "school": ("static", "wordpress", "nukeviet"),
    "lottery": ("joomla", "wordpress", "dnn"),
    "sports": ("wordpress", "joomla", "static"),
    "police": ("dnn", "liferay", "joomla", "nukeviet"),
    "hospital": ("wordpress", "joomla", "dnn"),
}

__all__ = ["KIND_TEMPLATES", "TEMPLATES", "Template"]
