"""Plotly figures of the market benchmarks page (no Streamlit): a published ranking, a brand's
trend in every study as small multiples (each study on its own scale, lines broken where the
method changed) and the brand's percentile rank per study.

Like :mod:`cx.charts.figures`, every builder escapes data text and states the finding as its title
and the source as its subtitle; colours come from :mod:`cx.charts.theme`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from cx.charts import theme
from cx.charts.figures import esc, titled, wrap
from cx.charts.sketch import Sketch, trace
from cx.core import display
from cx.core.display import COLUMN_NAMES
from cx.core.i18n import _

#: Share of the figure's height the small multiples use (their titles sit above).
TOP = 0.93
#: Patterns of reference rows (averages, groups, brands not ranked) beside ranked brands.
REFERENCE_PATTERN = "/"


#: Columns of a panel's title line.
PANEL_TITLE_COLUMNS = 44


def panel_title(name: str) -> str:
    """A panel's title (``study · market``) on one line if it fits, else broken at its
    separator, the market on a line of its own ("Temkin Experience Ratings (auto dealers) ·"
    ended a line, and "United States" began the next)."""
    if display.width(name) <= PANEL_TITLE_COLUMNS or " · " not in name:
        return wrap(name, PANEL_TITLE_COLUMNS)
    study, market = name.rsplit(" · ", 1)
    return wrap(study, PANEL_TITLE_COLUMNS) + "<br>" + wrap(market, PANEL_TITLE_COLUMNS)


def _linked_bars(
    rows: pl.DataFrame, value: str, labels: list[str], marker: Mapping[str, object], text_at: str
) -> go.Bar:
    """Horizontal bars labelled with ``text`` whose hover is ``hover`` and whose customdata
    is each figure's source link (``url``)."""
    return trace(
        go.Bar,
        x=rows[value].to_list(),
        y=labels,
        orientation="h",
        marker=marker,
        text=[esc(t) for t in rows["text"].to_list()],
        textposition=text_at,
        cliponaxis=False,
        customdata=rows["url"].to_list(),
        hovertext=rows["hover"].to_list(),
        hoverinfo="text",
        showlegend=False,
    )


def ranking(
    rows: pl.DataFrame,
    title: str,
    subtitle: str,
    value_title: str,
    value_range: tuple[float, float],
) -> go.Figure:
    """Horizontal bars, best at the top, from a frame with columns label, value, colour,
    text (the bar's label), hover, url and reference (a striped bar: an average, a group or a
    brand the publisher did not rank)."""
    labels = [esc(v) for v in rows["label"].to_list()]
    reference = rows["reference"].to_list()
    marker = {
        "color": rows["colour"].to_list(),
        "pattern": {
            "shape": [REFERENCE_PATTERN if r else "" for r in reference],
            "fgcolor": theme.PUBLISHED,
            "size": 6,
            "solidity": 0.25,
        },
    }
    fig = Sketch(_linked_bars(rows, "value", labels, marker, "outside"))
    fig.layout(
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": value_title, "range": list(value_range)},
    )
    return titled(fig, title, subtitle, height=max(340, 26 * len(labels) + 190))


@dataclass
class Panel:
    """One study in a brand's small multiples.

    Attributes:
        name: the panel's title (the study, shortened, and its market).
        axis_title: the value axis (metric and scale).
        years, values, periods: the plotted points and the method period of each.
        hovers: hover text per point; urls: source link per point (customdata).
        breaks: (x position, label) of each method change inside the panel's years.
        y_range: the value axis range.
    """

    name: str
    axis_title: str
    years: list[int]
    values: list[float]
    periods: list[int]
    hovers: list[str]
    urls: list[str]
    breaks: list[tuple[float, str, bool]] = field(default_factory=list)
    y_range: tuple[float, float] = (0.0, 100.0)


def _grid(count: int, columns: int) -> list[tuple[list[float], list[float]]]:
    """(x domain, y domain) of each panel, row by row, below :data:`TOP` (the first row's
    titles sit above it: the app draws figures without a top margin)."""
    cols = max(1, min(columns, count))
    rows = max(1, math.ceil(count / cols))
    h_gap = 0.09 if cols < 3 else 0.07
    v_gap = min(0.2, 0.45 / rows) if rows > 1 else 0.0
    width = (1 - h_gap * (cols - 1)) / cols
    height = (TOP - v_gap * (rows - 1)) / rows
    out = []
    for i in range(count):
        r, c = divmod(i, cols)
        x0 = c * (width + h_gap)
        y1 = TOP - r * (height + v_gap)
        x_domain = [max(0.0, round(x0, 6)), min(1.0, round(x0 + width, 6))]
        out.append((x_domain, [max(0.0, round(y1 - height, 6)), min(1.0, round(y1, 6))]))
    return out


def small_multiples(
    panels: Sequence[Panel], title: str, subtitle: str, columns: int = 2
) -> go.Figure:
    """One panel per study, each with its own value axis; a line joins only years of one
    method: a declared change is a dashed rule, a detected one a dotted rule. Two panels a
    row (``columns``), three from five panels on. The layout is built in one go (Plotly's
    per-subplot helpers take a tenth of a second per rule)."""
    cols = columns if len(panels) < 5 else columns + 1
    grid = _grid(len(panels), cols)
    traces: list[go.Scatter] = []
    layout: dict[str, object] = {}
    shapes: list[dict[str, object]] = []
    notes: list[dict[str, object]] = []
    for i, (panel, (x_domain, y_domain)) in enumerate(zip(panels, grid, strict=True)):
        n = "" if i == 0 else str(i + 1)
        for period in sorted(set(panel.periods)):
            idx = [k for k, p in enumerate(panel.periods) if p == period]
            traces.append(
                trace(
                    go.Scatter,
                    x=[panel.years[k] for k in idx],
                    y=[panel.values[k] for k in idx],
                    xaxis=f"x{n}",
                    yaxis=f"y{n}",
                    mode="lines+markers",
                    line={"color": theme.PUBLISHED, "width": 2.5},
                    marker={"size": 8, "color": theme.PUBLISHED},
                    hovertext=[panel.hovers[k] for k in idx],
                    hoverinfo="text",
                    customdata=[panel.urls[k] for k in idx],
                    showlegend=False,
                )
            )
        low, high = min(panel.years), max(panel.years)
        pad = 0.6 if high > low else 1.0
        layout[f"xaxis{n}"] = {
            "domain": x_domain,
            "anchor": f"y{n}",
            "range": [low - pad, high + pad],
            "tickformat": "d",
            "dtick": 1 if high - low <= 5 else (2 if high - low <= 10 else 4),
            "tickangle": 0,
        }
        layout[f"yaxis{n}"] = {
            "domain": y_domain,
            "anchor": f"x{n}",
            "range": list(panel.y_range),
            "title": {"text": esc(panel.axis_title), "font": {"size": 11}},
        }
        notes.append({
            "text": panel_title(panel.name), "x": sum(x_domain) / 2, "y": y_domain[1],
            "xref": "paper", "yref": "paper", "xanchor": "center", "yanchor": "bottom",
            "showarrow": False, "font": {"size": 12},
        })  # fmt: skip
        for x, label, detected in panel.breaks:
            shapes.append({
                "type": "line", "xref": f"x{n}", "yref": f"y{n} domain", "x0": x, "x1": x,
                "y0": 0, "y1": 1,
                "line": {"color": theme.MUTED, "dash": "dot" if detected else "dash", "width": 1.5},
            })  # fmt: skip
            notes.append({
                "text": esc(label), "x": x, "y": 0, "xref": f"x{n}", "yref": f"y{n} domain",
                "xanchor": "right", "yanchor": "bottom", "textangle": -90, "showarrow": False,
                "font": {"size": 10, "color": theme.MUTED},
            })  # fmt: skip
    fig = Sketch(*traces).layout(**layout, shapes=shapes, annotations=notes)
    rows = math.ceil(len(panels) / max(1, min(cols, len(panels))))
    return titled(fig, title, subtitle, height=max(380, 270 * rows + 160))


def positions(rows: pl.DataFrame, title: str, subtitle: str) -> go.Figure:
    """Percentile rank (0-100, the same meaning in every study) per study as bars, best at the
    top, with the quartile boundaries dotted; ``rows`` has label, percentile, text, hover and
    url. Each study's rank ("rank 2 of 7") is written under its name: written beside a short
    bar it ran across the dotted rules at 25, 50 and 75."""
    labels = [
        f"{wrap(v, 24)}<br><span style='color:{theme.MUTED}'>{esc(t)}</span>"
        for v, t in zip(rows["label"].to_list(), rows["text"].to_list(), strict=True)
    ]
    fig = Sketch(_linked_bars(rows, "percentile", labels, {"color": theme.PUBLISHED}, "none"))
    fig.layout(
        shapes=[
            {"type": "line", "xref": "x", "yref": "paper", "x0": x, "x1": x, "y0": 0, "y1": 1,
             "layer": "below", "line": {"color": theme.MUTED, "dash": "dot", "width": 1}}
            for x in (25, 50, 75)
        ]
    )  # fmt: skip
    axis = COLUMN_NAMES["percentile"]  # a marked message of cx.core.display
    fig.layout(
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": _(axis), "range": [0, 100], "tickvals": [0, 25, 50, 75, 100]},
    )
    return titled(fig, title, subtitle, height=max(300, 58 * len(labels) + 190))
