"""Colours and the Plotly template: one colour per meaning, the same on screen, in PNG/SVG and
in PowerPoint.

Colour families never share a colour, so no colour means two things:

- significance (:data:`BETTER`, :data:`WORSE`, :data:`NEUTRAL`) is used only to say that a
  difference is significant (or not);
- NPS groups (promoters, passives, detractors) have their own three colours;
- each sales channel has one colour (:data:`CHANNEL_COLOURS`) on every chart of every page;
- series of other dimensions (brands in a trend, studies) take :data:`SERIES` in order;
- provenance (published, model) and the highlight of a named group have their own.

All colours are from colour-blind-safe sets (Okabe-Ito, Paul Tol's muted scheme).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any, Final

import plotly.graph_objects as go
import plotly.io as pio

# --- significance: reserved for "significantly above / below", never for a category --------
BETTER: Final = "#0072B2"  # significantly above the benchmark (Okabe-Ito blue)
WORSE: Final = "#D55E00"  # significantly below (Okabe-Ito vermillion)
NEUTRAL: Final = "#8C959F"  # not significant: never coloured as a win or a loss
SUPPRESSED: Final = "#D0D4D9"  # n too small

# --- NPS groups ------------------------------------------------------------------------------
PROMOTER: Final = "#117733"  # Tol green
PASSIVE: Final = "#C9CED6"
DETRACTOR: Final = "#882255"  # Tol wine

# --- provenance and emphasis -----------------------------------------------------------------
PUBLISHED: Final = "#AA4499"  # published figures (Tol purple)
PUBLISHED_REFERENCE: Final = "#DDB8D6"  # published averages and groups shown beside brands
MODEL: Final = "#996600"  # model estimates (revenue at risk)
ACCENT: Final = "#0B6E99"  # the one series of a single-series survey chart
HIGHLIGHT: Final = "#DDAA33"  # a named group the finding is about (e.g. automotive)
BENCHMARK: Final = "#9DB9D3"  # the population a unit is compared with (e.g. the rest of a brand)
INK: Final = "#1B1F24"
MUTED: Final = "#5F6B7A"
GRID: Final = "#E5E8EC"

# --- categories ------------------------------------------------------------------------------
#: One colour per sales channel (and sales model), on every chart and in every export.
CHANNEL_COLOURS: Final[dict[str, str]] = {
    "dealer": "#44AA99",  # teal
    "direct": "#332288",  # indigo
    "agency": "#DDCC77",  # sand
    "mobility": "#88CCEE",  # cyan
    "hybrid": "#999933",  # olive
}

#: Switching intent, most urgent darkest (a sequence, not significance).
SWITCH_COLOURS: Final[dict[str, str]] = {
    "within_6m": "#4B2991",
    "6_18m": "#8F6BBD",
    "later": "#CDBDE3",
    "no": "#E4E7EB",
}

#: Series of other dimensions (brands in a trend, studies), in order of appearance.
SERIES: Final[tuple[str, ...]] = (
    "#332288",
    "#44AA99",
    "#CC6677",
    "#999933",
    "#88CCEE",
    "#AA4499",
    "#DDCC77",
    "#661100",
)

#: Diverging scale for heatmaps around a centre (below -> above), colour-blind safe (PuOr).
DIVERGING: Final = [
    [0.0, "#B35806"],
    [0.25, "#F1A340"],
    [0.5, "#F7F7F7"],
    [0.75, "#998EC3"],
    [1.0, "#542788"],
]

#: The NPS colour scale of maps (low orange, high purple, through the scale's light middle):
#: one scale for the screen's map, its legend and the exported map's colour bar.
MAP_SCALE: Final = [[0.0, "#B35806"], [0.5, "#F7F7F7"], [1.0, "#542788"]]

FONT: Final = "Inter, Segoe UI, Helvetica Neue, Arial, sans-serif"

#: Colours per dimension that has a fixed mapping.
CATEGORY_COLOURS: Final[dict[str, dict[str, str]]] = {
    "channel": CHANNEL_COLOURS,
    "sales_model": CHANNEL_COLOURS,
    "switch_intent": SWITCH_COLOURS,
}


def colours_for(dimension: str, values: Iterable[str]) -> list[str]:
    """The colour of each value: its fixed colour where the dimension has one, else
    :data:`SERIES` by position (the same function serves screen, images and decks)."""
    fixed = CATEGORY_COLOURS.get(dimension, {})
    out = []
    for i, value in enumerate(values):
        out.append(fixed.get(str(value), SERIES[i % len(SERIES)]))
    return out


def colour_map(dimension: str, values: Sequence[str]) -> dict[str, str]:
    """:func:`colours_for` as a mapping value -> colour."""
    return dict(zip(values, colours_for(dimension, values), strict=True))


def significance_colour(significant: object, gap: object, suppressed: object) -> str:
    """Colour of a group against its benchmark: blue/vermillion only for significant gaps."""
    if suppressed:
        return SUPPRESSED
    if not significant or gap is None:
        return NEUTRAL
    return BETTER if float(gap) > 0 else WORSE  # type: ignore[arg-type]


def is_dark(hex_colour: str) -> bool:
    """Whether white text reads better than ink on this colour (relative luminance); screen
    charts and slides both ask here."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.55


def text_on(hex_colour: str) -> str:
    """The label colour that reads on a bar of this colour: white or ink."""
    return "#FFFFFF" if is_dark(hex_colour) else INK


def rgb(hex_colour: str) -> tuple[int, int, int]:
    """``#RRGGBB`` as (r, g, b), for places that take colours as numbers (the pydeck map)."""
    h = hex_colour.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def scale_rgb(scale: Sequence[Sequence[Any]], t: float) -> tuple[int, int, int]:
    """The colour at ``t`` in [0, 1] of a Plotly colour scale, as (r, g, b): what Plotly draws,
    for places that take colours as numbers (the pydeck map)."""
    t = max(0.0, min(1.0, t))
    for (a, lo), (b, hi) in itertools.pairwise(scale):
        if t <= float(b):
            f = (t - float(a)) / ((float(b) - float(a)) or 1.0)
            one, two = rgb(str(lo)), rgb(str(hi))
            r, g, bl = (round(x + (y - x) * f) for x, y in zip(one, two, strict=True))
            return r, g, bl
    return rgb(str(scale[-1][1]))


def rgba(hex_colour: str, alpha: float) -> str:
    """``#RRGGBB`` as an ``rgba()`` string."""
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def register() -> None:
    """Register and select the ``cxbench`` Plotly template (idempotent)."""
    template = go.layout.Template(
        layout=go.Layout(
            font={"family": FONT, "size": 13, "color": INK},
            title={"font": {"size": 16}, "x": 0, "xanchor": "left", "y": 0.97, "yanchor": "top"},
            colorway=list(SERIES),
            paper_bgcolor="rgba(0,0,0,0)",
            plot_bgcolor="rgba(0,0,0,0)",
            margin={"l": 10, "r": 20, "t": 80, "b": 40},
            xaxis={"gridcolor": GRID, "zerolinecolor": "#9AA0A6", "automargin": True},
            yaxis={"gridcolor": GRID, "zerolinecolor": "#9AA0A6", "automargin": True},
            legend={"orientation": "h", "yanchor": "top", "y": -0.18, "x": 0, "title": None},
            hoverlabel={"font": {"family": FONT}},
        )
    )
    # Merge with plotly_white once: a "plotly_white+cxbench" default would be merged again
    # for every figure built (a measurable share of server time under load).
    pio.templates["cxbench"] = pio.templates.merge_templates(
        pio.templates["plotly_white"], template
    )
    pio.templates.default = "cxbench"


register()
