"""A number as a chart shows it: the units of claims and how each rounds, the same on a
chart's labels, in its headline and in the checks (:mod:`cx.claims`)."""

from __future__ import annotations

import math
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


def told_apart(
    a: float,
    a_low: float | None,
    a_high: float | None,
    b: float,
    b_low: float | None,
    b_high: float | None,
) -> bool:
    """Whether two figures drawn with their intervals can be told apart: their difference is
    wider than the root of the sum of the squares of the two whisker arms that face each other
    (the lower figure's upper arm, the higher's lower arm). That is the two-sample z test at the
    intervals' own level, read from the whiskers as drawn; a figure without an interval is
    told apart by its value alone."""
    ends = (a_low, a_high, b_low, b_high)
    if any(e is None or math.isnan(e) for e in ends):
        return a != b
    assert a_low is not None and a_high is not None and b_low is not None and b_high is not None
    if a <= b:
        low, low_arm, high, high_arm = a, a_high - a, b, b - b_low
    else:
        low, low_arm, high, high_arm = b, b_high - b, a, a - a_low
    return high - low > math.hypot(low_arm, high_arm)


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
