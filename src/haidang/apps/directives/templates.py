"""Directive templates: versioned data files under ``data/templates``, one directive each, stable item ids."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from haidang.apps.directives.models import AutoCheck, RecipientKind

TEMPLATE_DIR = Path(__file__).with_name("data") / "templates"
_ITEM_ID = re.compile(r"^[0-9]{1,2}[a-z]{0,2}$")


class TemplateError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class TemplateItem:
    code: str
    section: str
    text: str
    applies_to: tuple[str, ...]
    evidence_expected: str
    auto_check: str


@dataclass(frozen=True, slots=True)
class DirectiveTemplate:
    key: str
    version: str
    title: str
    source: str
    subject: str
    preamble: str
    contact: str
    signer_authority: str
    signer_title: str
    signer_name: str
    effective_days: int
    report_due_days: int
    items: tuple[TemplateItem, ...]


def parse_template(raw: str) -> DirectiveTemplate:
    """Parse and check one template file's text; raise :class:`TemplateError` naming what is wrong."""
    try:
        data = tomllib.loads(raw)
        head = data["directive"]
        sections: dict[str, str] = data.get("sections", {})
        items = []
        seen: set[str] = set()
        for entry in data["items"]:
            code = str(entry["id"])
            if not _ITEM_ID.match(code) or code in seen:
                raise TemplateError(f"item id {code!r} is malformed or repeated")
            seen.add(code)
            kinds = tuple(entry["applies_to"])
            if not kinds or any(kind not in RecipientKind.values for kind in kinds):
                raise TemplateError(f"item {code}: applies_to must list some of {RecipientKind.values}")
            check = str(entry.get("auto_check", ""))
            if check not in AutoCheck.values:
                raise TemplateError(f"item {code}: unknown auto_check {check!r}")
            section_key = str(entry.get("section", ""))
            if section_key and section_key not in sections:
                raise TemplateError(f"item {code}: unknown section {section_key!r}")
            items.append(
                TemplateItem(
                    code=code,
                    section=sections.get(section_key, ""),
                    text=str(entry["text"]).strip(),
                    applies_to=kinds,
                    evidence_expected=str(entry.get("evidence", "")).strip(),
                    auto_check=check,
                )
            )
        if not items:
            raise TemplateError("a template needs at least one item")
        return DirectiveTemplate(
            key=str(data["key"]),
            version=str(data["version"]),
            title=str(data["title"]),
            source=str(data.get("source", "")),
            subject=str(head["subject"]),
            preamble=str(head.get("preamble", "")).strip(),
            contact=str(head.get("contact", "")).strip(),
            signer_authority=str(head.get("signer_authority", "")),
            signer_title=str(head.get("signer_title", "")),
            signer_name=str(head.get("signer_name", "")),
            effective_days=int(head.get("effective_days", 7)),
            report_due_days=int(head.get("report_due_days", 7)),
            items=tuple(items),
        )
    except (KeyError, TypeError, ValueError, tomllib.TOMLDecodeError) as exc:
        if isinstance(exc, TemplateError):
            raise
        raise TemplateError(f"malformed template: {exc}") from exc


@functools.cache
def available_templates() -> tuple[DirectiveTemplate, ...]:
    """Every template shipped with the platform, ordered by title."""
    found = [parse_template(path.read_text(encoding="utf-8")) for path in sorted(TEMPLATE_DIR.glob("*.toml"))]
    return tuple(sorted(found, key=lambda template: template.title))


def get_template(key: str) -> DirectiveTemplate:
    for template in available_templates():
        if template.key == key:
            return template
    raise TemplateError(f"unknown template {key!r}")
