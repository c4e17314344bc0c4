"""Plotly figures of the What changed page (no Streamlit): the changes of many cells with their
intervals, and an outlet's control chart. Styles, escaping and titles as in
:mod:`cx.charts.figures`; colours from :mod:`cx.charts.theme`."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import polars as pl

from cx.charts import theme
from cx.charts.figures import esc, title_layout, wrap
from cx.charts.sketch import Sketch, trace
from cx.charts.theme import localised
from cx.core.display import signed
from cx.core.i18n import _

#: Characters per line of an image's title and subtitle (the headlines here run long).
TITLE_CHARS = 120
SUBTITLE_CHARS = 190


def _titled(fig: Sketch, title: str, subtitle: str, height: int) -> go.Figure:
    """:func:`cx.charts.figures.titled`, with the title and subtitle broken over lines so an
    exported image never cuts a long headline (the screen shows them as text above)."""
    layout = title_layout(fig, title, subtitle, height=height)
    lines = textwrap.wrap(title, TITLE_CHARS) or [""]
    notes = textwrap.wrap(subtitle, SUBTITLE_CHARS) or [""]
    layout["title"]["text"] = "<br>".join(f"<b>{esc(line)}</b>" for line in lines)
    layout["title"]["subtitle"]["text"] = "<br>".join(esc(line) for line in notes)
    legend_y = layout.get("legend", {}).get("y", fig.settings.get("legend", {}).get("y"))
    layout["margin"] = {
        **layout.get("margin", {}),
        "t": 40 + 22 * (len(lines) + len(notes)) + (40 if legend_y else 0),
    }
    return fig.figure(layout)


def changes(
    df: pl.DataFrame, title: str, subtitle: str, interval: str, height: int | None = None
) -> go.Figure:
    """Changes as dots with their intervals, the first row at the top; significant changes in
    the significance colours (a rise blue, a fall vermillion), the others grey.

    ``df`` needs ``label``, ``change`` (where the dot sits), ``shown`` (its label: the
    difference of the two figures as their labels show them), ``ci_low``, ``ci_high``,
    ``q_value`` and ``significant``, in the order to draw.
    """
    rows = df.reverse()  # Plotly draws the first category at the bottom
    labels = [wrap(v, 46) for v in rows["label"].to_list()]
    change = rows["change"].to_list()
    colours = [
        theme.significance(s, c, False).colour
        for s, c in zip(rows["significant"].to_list(), change, strict=True)
    ]
    hover = [
        _("{label}<br>{change} points [{low}, {high}]<br>q = {q}").format(
            label=esc(lab), change=localised(f"{c:+.1f}"), low=localised(f"{lo:+.1f}"),
            high=localised(f"{hi:+.1f}"), q=localised(f"{q:.3g}"),
        )
        for lab, c, lo, hi, q in zip(
            rows["label"].to_list(), change, rows["ci_low"], rows["ci_high"],
            rows["q_value"].fill_null(1.0), strict=True,
        )
    ]  # fmt: skip
    fig = Sketch()
    fig.add(
        trace(
            go.Scatter,
            x=change,
            y=labels,
            mode="markers+text",
            marker={"color": colours, "size": 11, "line": {"color": theme.RIM, "width": 1}},
            error_x={
                "type": "data",
                "array": [h - c for c, h in zip(change, rows["ci_high"], strict=True)],
                "arrayminus": [c - lo for c, lo in zip(change, rows["ci_low"], strict=True)],
                "color": theme.WHISKER,
                "thickness": 1.2,
                "width": 3,
            },
            text=[signed(c) for c in rows["shown"].to_list()],
            textposition="top center",
            textfont={"size": 11, "color": theme.LABEL},
            hovertext=hover,
            hoverinfo="text",
            showlegend=False,
        )
    )
    fig.vline(0, color=theme.RULE, width=1)
    fig.layout(
        xaxis={
            "title": _("Change, points (whiskers: {interval})").format(interval=interval),
            "zeroline": False,
        },
        yaxis={"automargin": True},
    )
    return _titled(fig, title, subtitle, height or max(300, 44 * rows.height + 160))


def p_chart(df: pl.DataFrame, title: str, subtitle: str, watched: set[str]) -> go.Figure:
    """An outlet's detractor share per wave against its baseline (the centre line) and its
    control limits at each wave's n; watched waves beyond the limits are marked.

    ``df`` needs ``wave``, ``share_pct`` (null: too few answers), ``baseline_pct``,
    ``lower_pct``, ``upper_pct`` and ``beyond``.
    """
    waves = df["wave"].to_list()
    fig = Sketch()
    limit = {"color": theme.MUTED, "width": 1.2, "dash": "dot", "shape": "hvh"}
    fig.add(trace(go.Scatter,
        x=waves, y=df["upper_pct"].to_list(), mode="lines", line=limit, name=_("Control limits"),
        hoverinfo="skip",
    ))  # fmt: skip
    fig.add(trace(go.Scatter,
        x=waves, y=df["lower_pct"].to_list(), mode="lines", line=limit, showlegend=False,
        hoverinfo="skip",
    ))  # fmt: skip
    fig.add(
        trace(
            go.Scatter,
            x=waves,
            y=df["baseline_pct"].to_list(),
            mode="lines",
            line={"color": theme.BENCHMARK, "width": 2},
            name=_("Baseline"),
            hoverinfo="skip",
        )
    )
    beyond = df["beyond"].fill_null(False).to_list()
    share = df["share_pct"].to_list()
    colours = [
        (theme.WORSE if (s or 0) > (b or 0) else theme.BETTER) if x else theme.DETRACTOR
        for s, b, x in zip(share, df["baseline_pct"].to_list(), beyond, strict=True)
    ]
    fig.add(
        trace(
            go.Scatter,
            x=waves,
            y=share,
            mode="lines+markers",
            line={"color": theme.DETRACTOR, "width": 2},
            marker={
                "color": colours,
                "size": [14 if x else 8 for x in beyond],
                "symbol": ["diamond" if x else "circle" for x in beyond],
                "line": {"color": theme.RIM, "width": 1},
            },
            name=_("Detractor share"),
            hovertemplate=_("%{x}: %{y:.0f}% detractors") + "<extra></extra>",
            connectgaps=False,
        )
    )
    shaded = [w for w in waves if w in watched]
    if shaded:
        fig.shape(
            type="rect", x0=waves.index(shaded[0]) - 0.5, x1=waves.index(shaded[-1]) + 0.5,
            xref="x", y0=0, y1=1, yref="y domain", fillcolor=theme.GRID, opacity=0.6,
            line={"width": 0}, layer="below",
        )  # fmt: skip
    fig.layout(
        yaxis={
            "title": _("Detractors (0-6), % of answers"), "rangemode": "tozero", "ticksuffix": "%"
        },
        xaxis={"type": "category", "title": _("Wave (shaded: the waves tested)")},
    )  # fmt: skip
    return _titled(fig, title, subtitle, 420)


def dumbbell(df: pl.DataFrame, title: str, subtitle: str) -> go.Figure:
    """Outlets' detractor share in the latest wave against their baseline: a line from the
    baseline (a light dot) to the latest share (coloured only when beyond the limits), the first
    row at the top.

    ``df`` needs ``Outlet``, ``Baseline %``, ``Detractors %`` and ``Beyond limits``.
    """
    rows = df.reverse()
    labels = [wrap(v, 40) for v in rows["Outlet"].to_list()]
    base = rows["Baseline %"].to_list()
    latest = rows["Detractors %"].to_list()
    beyond = rows["Beyond limits"].fill_null(False).to_list()
    fig = Sketch()
    for y, b, v in zip(labels, base, latest, strict=True):
        fig.add(trace(go.Scatter,
            x=[b, v], y=[y, y], mode="lines", line={"color": theme.GRID, "width": 4},
            hoverinfo="skip", showlegend=False,
        ))  # fmt: skip
    fig.add(trace(go.Scatter,
        x=base, y=labels, mode="markers", name=_("Baseline"),
        marker={"color": theme.BENCHMARK, "size": 10},
        hovertemplate=_("%{y}: baseline %{x:.0f}%") + "<extra></extra>",
    ))  # fmt: skip
    colours = [
        (theme.WORSE if v > b else theme.BETTER) if x else theme.NEUTRAL
        for b, v, x in zip(base, latest, beyond, strict=True)
    ]
    fig.add(trace(go.Scatter,
        x=latest, y=labels, mode="markers", name=_("Latest (coloured: beyond limits)"),
        marker={"color": colours, "size": 12, "line": {"color": theme.RIM, "width": 1}},
        hovertemplate=_("%{y}: %{x:.0f}% detractors") + "<extra></extra>",
    ))  # fmt: skip
    fig.layout(
        xaxis={"title": _("Detractors (0-6)"), "ticksuffix": "%", "rangemode": "tozero"},
        yaxis={"automargin": True},
    )
    return _titled(fig, title, subtitle, max(300, 34 * rows.height + 170))
