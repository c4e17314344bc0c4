"""Where chart labels go: a scatter chart's point labels, so they overlap each other and the
points least; and the notes of grouped bars too small to hold their label."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from cx.charts import theme
from cx.charts.sketch import Sketch
from cx.core.display import TOO_SMALL, width
from cx.core.i18n import _

#: A scatter plot as drawn: its x and y axes' ranges and its width and height in pixels.
Frame = tuple[tuple[float, float], tuple[float, float], float, float]

#: The gap between clusters of grouped bars, in categories (Plotly's default, written out).
BARGAP = 0.2
#: A bar shorter than this share of the axis has no room for its label inside.
SHORT_BAR = 0.07


def level_angle(labels: Sequence[Any], columns: int) -> int | None:
    """0 (level tick labels) when every word of ``labels`` fits well within its share of
    ``columns`` across the plot, else None: a word near its share cannot be broken, and
    Plotly turns the labels only when they would run into each other ("Обслуживание (сервис)"
    ran into "Прозрачность цен" at 1366 in Russian, Cyrillic being wider than columns count)."""
    longest = max((width(w) for label in labels for w in str(label).split()), default=0)
    return 0 if longest < 0.75 * columns / max(len(labels), 1) else None


def label_sides(
    xs: list[float],
    ys: list[float | None],
    labels: Sequence[str] | None = None,
    spans: Sequence[tuple[float, float]] | None = None,
    guides: tuple[float | None, float | None] = (None, None),
    frame: Frame | None = None,
    only: Sequence[str] | None = None,
) -> list[str]:
    """A side for each point's label so labels overlap each other, the points and their
    horizontal whiskers least.

    Greedy: points in order of x; each label takes the first side (above, below, right,
    left, then the corners) whose box, estimated from its length at 12 px (a wide character
    counts two), overlaps no label placed before it, no other point and no whisker (``spans``:
    each point's interval on x), no guide line across the plot (``guides``: at an x and at a
    y) and stays inside the plot, else the side with the smallest overlap. ``frame``: the
    axes' ranges and the plot's size in pixels, as drawn; without it the points' own ranges
    on a plot of 560 x 380 px (a plot drawn half as wide, with padded axes, put "Выбор" on the
    point beside it). ``only``: the sides to choose among, in order (a slide's XY labels go
    above, below, right or left, not to corners).
    """
    n = len(xs)
    if n == 0:
        return []
    texts = list(labels) if labels is not None else [""] * n
    yv = [0.0 if v is None else float(v) for v in ys]
    if frame is None:
        frame = ((min(xs), max(xs)), (min(yv), max(yv)), 560.0, 380.0)
    (x0, x1), (y0, y1), wide, tall = frame
    sx, sy = (x1 - x0) or 1.0, (y1 - y0) or 1.0
    # the estimates below are for the default plot: a smaller one is the same plot zoomed out
    kx, ky = 560.0 / wide, 380.0 / tall
    px = [(xs[k] - x0) / sx * 560 for k in range(n)]
    py = [(yv[k] - y0) / sy * 380 for k in range(n)]
    sides = {
        "top center": (0.0, 1.0), "bottom center": (0.0, -1.0), "middle right": (1.0, 0.0),
        "middle left": (-1.0, 0.0), "top right": (1.0, 1.0), "top left": (-1.0, 1.0),
        "bottom right": (1.0, -1.0), "bottom left": (-1.0, -1.0),
    }  # fmt: skip

    def box(k: int, side: str) -> tuple[float, float, float, float]:
        w, h = (7.0 * width(texts[k]) + 4) * kx, 16.0 * ky
        dx, dy = sides[side]
        cx = px[k] + dx * (w / 2 + 8 * kx)
        cy = py[k] + dy * (h / 2 + 8 * ky)
        return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2

    def overlap(a: tuple[float, ...], b: tuple[float, ...]) -> float:
        w = min(a[2], b[2]) - max(a[0], b[0])
        h = min(a[3], b[3]) - max(a[1], b[1])
        return w * h if w > 0 and h > 0 else 0.0

    dots = [(px[k] - 7 * kx, py[k] - 7 * ky, px[k] + 7 * kx, py[k] + 7 * ky) for k in range(n)]
    whiskers = [
        ((lo - x0) / sx * 560, py[k] - 3 * ky, (hi - x0) / sx * 560, py[k] + 3 * ky)
        for k, (lo, hi) in enumerate(spans or [])
        if lo is not None and hi is not None
    ]
    gx, gy = guides
    if gx is not None:
        at = (gx - x0) / sx * 560
        whiskers.append((at - 2 * kx, -30.0, at + 2 * kx, 410.0))
    if gy is not None:
        at = (gy - y0) / sy * 380
        whiskers.append((-30.0, at - 2 * ky, 590.0, at + 2 * ky))
    placed: list[tuple[float, float, float, float]] = []
    pos = [""] * n
    for k in sorted(range(n), key=lambda i: (xs[i], yv[i])):
        best, best_cost = "top center", float("inf")
        for side in only or sides:
            b = box(k, side)
            inside = overlap(b, (-30.0, -20.0, 590.0, 400.0))  # the plot, with a little margin
            area = (b[2] - b[0]) * (b[3] - b[1])
            cost = (
                sum(overlap(b, p) for p in placed)
                + sum(overlap(b, d) for j, d in enumerate(dots) if j != k)
                + sum(overlap(b, w) for w in whiskers)
                + 4 * (area - inside)
            )
            if cost < best_cost:
                best, best_cost = side, cost
            if cost == 0:
                break
        pos[k] = best
        placed.append(box(k, best))
    return pos


def bar_labels(
    fig: Sketch,
    cats: Sequence[str],
    rows: Mapping[str, Mapping[str, Any]],
    value: str,
    hi: str | None,
    place: tuple[int, int],
    top: float,
    text: Any,
    marks: Sequence[str] = (),
) -> list[str | None]:
    """The labels inside one series of grouped bars (series ``place[0]`` of ``place[1]``, a
    cluster per category): a bar with no value reads "n too small" where it would stand, and
    one with a whisker (``hi``: its label sits inside) too short to hold the label (under
    :data:`SHORT_BAR` of ``top``) has it above the whisker instead; ``text(value)`` writes a
    label; the category's mark in ``marks`` (▲/▼ of a significant gap), where it has one,
    stands above the whisker (inside a narrow bar "70% ▲" shrank to a speck). Those notes go
    on ``fig``."""
    i, count = place
    width = (1 - BARGAP) / max(count, 1)
    out: list[str | None] = []
    for j, c in enumerate(cats):
        row = rows.get(c)
        v = None if row is None else row[value]
        mark = marks[j] if j < len(marks) else ""

        def said(v: float, mark: str = mark) -> str:
            return f"{text(v)} {mark}" if mark else str(text(v))

        x = j - (1 - BARGAP) / 2 + width * (i + 0.5)
        if row is not None and v is None:
            fig.annotation(
                x=x, y=0, xref="x", yref="y", text=_(TOO_SMALL), textangle=-90,
                yanchor="bottom", showarrow=False, font={"size": 10, "color": theme.MUTED},
            )  # fmt: skip
        if hi and v is not None and row is not None and abs(v) < SHORT_BAR * top:
            above = row[hi] if row[hi] is not None else v
            fig.annotation(
                x=x, y=max(v, above), xref="x", yref="y", text=said(v), yanchor="bottom",
                showarrow=False, font={"size": 10, "color": theme.INK},
            )  # fmt: skip
            v = None
        elif mark and v is not None and row is not None:
            above = row[hi] if hi and row[hi] is not None else v
            fig.annotation(
                x=x, y=max(v, above), xref="x", yref="y", text=mark, yanchor="bottom",
                showarrow=False, font={"size": 11, "color": theme.INK},
            )  # fmt: skip
        out.append(None if v is None else str(text(v)))
    return out


#: A quarterly wave as the demo and most trackers name them ("2024Q3").
_QUARTER = re.compile(r"(\d{4})(Q[1-4])")


def wave_ticks(waves: Sequence[Any]) -> list[str] | None:
    """Quarterly waves written level on two lines, the year only where it changes ("Q1<br>2023",
    "Q2", ... "Q1<br>2024"): eight waves "2023Q1" ... "2024Q4" were tilted and ran into each
    other in a half-width card at 1366. None when any wave is not a quarter (an upload's own
    wave names are written as they are)."""
    found = [_QUARTER.fullmatch(str(w)) for w in waves]
    if not found or not all(found):
        return None
    out, year = [], None
    for match in found:
        assert match is not None
        quarter, of = match.group(2), match.group(1)
        out.append(quarter if of == year else f"{quarter}<br>{of}")
        year = of
    return out
