"""A number as a chart shows it: the units of claims and how each rounds, the same on a
chart's labels, in its headline and in the checks (:mod:`cx.claims`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal[
    "nps",
    "pct",
    "pct1",
    "points",
    "pct_points",
    "count",
    "usd_m",
    "score",
    "published",
    "published_pct",
    "ratio",
]
#: Decimals each unit is shown with, on labels and in headlines alike.
DIGITS: dict[str, int] = {
    "nps": 0,
    "pct": 0,
    "points": 0,
    "pct_points": 0,
    "count": 0,
    "usd_m": 0,
    "score": 2,
    "published": 1,
    "published_pct": 1,
    "pct1": 1,
    "ratio": 2,
}


def rounded(value: float, unit: Unit) -> float:
    """The value as its label shows it (same rounding as the formatter)."""
    if unit == "usd_m":
        return float(f"{value / 1e6:.{DIGITS[unit]}f}") * 1e6
    return float(f"{value:.{DIGITS[unit]}f}")


@dataclass(frozen=True)
class Figure:
    """A number as a chart shows it.

    Attributes:
        value: the exact value (points, percent, USD).
        unit: how labels show it (sign, percent sign, decimals).
    """

    value: float
    unit: Unit

    @property
    def shown(self) -> float:
        """The value rounded as its label shows it."""
        return rounded(self.value, self.unit)
