"""Daily bar charts drawn on the server as inline SVG: no JavaScript, nothing fetched from elsewhere.

Each chart carries the same numbers as a table (its text alternative), so a screen reader, a printout
and a person who cannot tell the colours apart read the same thing as the picture.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WIDTH = 640
HEIGHT = 170
LEFT = 34  # room for the value axis labels
TOP = 8
BOTTOM = 22  # room for the first and last day under the bars
GAP = 2


@dataclass(frozen=True)
class Point:
    day: date
    value: float | None  # None: nothing measured that day
    text: str  # the value as people read it: "98 %", "3", "không có dữ liệu"


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    label: str  # tooltip: "05/09: 98 %"


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class BarChart:
    key: str  # unique in the page: ids of <title>/<desc>
    title: str
    summary: str
    points: tuple[Point, ...]
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM

    @property
    def first_day(self) -> date | None:
        return self.points[0].day if self.points else None

    @property
    def last_day(self) -> date | None:
        return self.points[-1].day if self.points else None


def days_ending(last: date, count: int) -> list[date]:
    """``count`` consecutive days ending with ``last``, oldest first."""
    return [last - timedelta(days=offset) for offset in range(count - 1, -1, -1)]


def bar_chart(
    *,
    key: str,
    title: str,
    summary: str,
    points: Sequence[Point],
    maximum: float,
    ticks: Iterable[float],
    tick_suffix: str = "",
    css: Mapping[str, float] | None = None,
) -> BarChart:
    """Lay the points out as bars on a value axis from 0 to ``maximum``.

    ``css`` maps a class name to the value below which a bar takes it (checked from the lowest
    threshold up), e.g. ``{"bar-bad": 90, "bar-warn": 99}``; other bars are ``bar``; days without a
    value get a short ``bar-empty`` stub so a gap in monitoring is visible, not mistaken for zero.
    """
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(points), 1)
    scale = plot_height / maximum if maximum > 0 else 0.0
    bars = []
    for index, point in enumerate(points):
        x = LEFT + index * slot + GAP / 2
        label = f"{point.day:%d/%m}: {point.text}"
        if point.value is None:
            bars.append(Bar(x, HEIGHT - BOTTOM - 2, slot - GAP, 2, "bar-empty", label))
            continue
        height = max(point.value * scale, 1.0 if point.value > 0 else 0.0)
        bars.append(Bar(x, HEIGHT - BOTTOM - height, slot - GAP, height, _css_for(point.value, css), label))
    axis = tuple(Tick(HEIGHT - BOTTOM - value * scale, f"{value:g}{tick_suffix}") for value in ticks)
    return BarChart(key, title, summary, tuple(points), tuple(bars), axis)


def _css_for(value: float, thresholds: Mapping[str, float] | None) -> str:
    for name, below in sorted((thresholds or {}).items(), key=lambda item: item[1]):
        if value < below:
            return name
    return "bar"


def count_ticks(maximum: int) -> list[float]:
    """0, the maximum and a middle line when it is a whole number."""
    if maximum <= 1:
        return [0, 1]
    middle = maximum // 2
    return [0, middle, maximum] if middle not in (0, maximum) else [0, maximum]
