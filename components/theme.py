"""One Plotly template and colour scheme for every chart (Okabe-Ito, colour-blind safe)."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

#: Significance colours, used the same way on every page.
BETTER = "#0072B2"  # significantly above the benchmark
WORSE = "#D55E00"  # significantly below
NEUTRAL = "#8C959F"  # difference not significant (noise): never coloured as a win or loss
SUPPRESSED = "#D0D4D9"
PUBLISHED = "#CC79A7"  # published figures (not survey sample)
HIGHLIGHT = "#E69F00"
ACCENT = "#0B6E99"

#: NPS categories.
PROMOTER = "#009E73"
PASSIVE = "#C9CED6"
DETRACTOR = "#D55E00"

#: Categorical sequence (Okabe-Ito without black).
SEQUENCE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#8C959F"]

#: One colour per sales channel, the same on every chart and in exports.
CHANNEL_COLOURS = {
    "dealer": "#0072B2",
    "direct": "#E69F00",
    "agency": "#009E73",
    "hybrid": "#CC79A7",
    "maas": "#56B4E9",
}

#: Diverging scale for heatmaps (worse -> better), colour-blind safe.
DIVERGING = [
    [0.0, "#B35806"],
    [0.25, "#F1A340"],
    [0.5, "#F7F7F7"],
    [0.75, "#998EC3"],
    [1.0, "#542788"],
]
SEQUENTIAL = [[0.0, "#F7FBFF"], [0.5, "#6BAED6"], [1.0, "#08306B"]]

FONT = "Inter, Segoe UI, Helvetica Neue, Arial, sans-serif"


def register() -> None:
    """Register and select the ``cxbench`` Plotly template (idempotent)."""
    template = go.layout.Template(
        layout=go.Layout(
            font={"family": FONT, "size": 13, "color": "#1B1F24"},
            title={"font": {"size": 16}, "x": 0, "xanchor": "left", "y": 0.97, "yanchor": "top"},
            colorway=SEQUENCE,
            paper_bgcolor="rgba(0,0,0,0)",
            plot_bgcolor="rgba(0,0,0,0)",
            margin={"l": 10, "r": 20, "t": 80, "b": 40},
            xaxis={"gridcolor": "#E5E8EC", "zerolinecolor": "#9AA0A6", "automargin": True},
            yaxis={"gridcolor": "#E5E8EC", "zerolinecolor": "#9AA0A6", "automargin": True},
            legend={"orientation": "h", "yanchor": "top", "y": -0.12, "x": 0, "title": None},
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
