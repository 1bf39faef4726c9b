"""NVD configurations ⇄ the compact JSON kept in ``Vulnerability.configurations``.

Shape: ``[{"op": "OR", "neg": false, "nodes": [{"op": "OR", "neg": false, "m": [{"c": "cpe:2.3:…",
"v": true, "si": "1.0", "se": …, "ei": …, "ee": …}]}]}]`` — range keys only when present. Criteria are
kept as CPE 2.3 formatted strings, which :func:`haidang.engines.intel.cpe.parse` reads back unchanged.
"""

from __future__ import annotations

from typing import Any

from haidang.engines.intel import cpe
from haidang.engines.intel.products import cpe_text, squash
from haidang.engines.intel.types import Configuration, CpeMatch, Node

_RANGES = (
    ("si", "version_start_including"),
    ("se", "version_start_excluding"),
    ("ei", "version_end_including"),
    ("ee", "version_end_excluding"),
)


def _match_to_json(match: CpeMatch) -> dict[str, Any]:
    data: dict[str, Any] = {"c": match.criteria.uri(), "v": match.vulnerable}
    for key, name in _RANGES:
        value = getattr(match, name)
        if value is not None:
            data[key] = value
    return data


def configurations_to_json(configurations: tuple[Configuration, ...]) -> list[dict[str, Any]]:
    """The compact, JSON-ready form of a record's configurations."""
    return [
        {
            "op": configuration.operator,
            "neg": configuration.negate,
            "nodes": [
                {"op": node.operator, "neg": node.negate, "m": [_match_to_json(m) for m in node.matches]}
                for node in configuration.nodes
            ],
        }
        for configuration in configurations
    ]


def configurations_from_json(data: list[dict[str, Any]]) -> tuple[Configuration, ...]:
    """The engine's :class:`Configuration` s back from the compact form (raises ValueError if corrupt)."""
    return tuple(
        Configuration(
            operator=configuration["op"],
            negate=configuration["neg"],
            nodes=tuple(
                Node(
                    operator=node["op"],
                    negate=node["neg"],
                    matches=tuple(
                        CpeMatch(
                            criteria=cpe.parse(match["c"]),
                            vulnerable=match["v"],
                            **{name: match[key] for key, name in _RANGES if key in match},
                        )
                        for match in node["m"]
                    ),
                )
                for node in configuration["nodes"]
            ),
        )
        for configuration in data
    )


def product_key(product: str) -> str:
    """How rows the feeds' vocabulary must resolve ask for a CPE product (the matcher's product key)."""
    return squash(cpe_text(product))[:200]
