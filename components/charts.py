"""Plotly figure builders (no Streamlit): every chart of the dashboard is made here.

Each builder takes tidy Polars frames and returns a figure whose title states the finding and
whose subtitle carries n and source, so an exported image stands on its own.
"""

from __future__ import annotations

import functools
import html
import json
from pathlib import Path
from typing import Any, cast

import plotly.graph_objects as go
import polars as pl

from components import theme
from cx.stats import signed


def esc(text: Any) -> str:
    """Escape a data string for Plotly text (which renders a subset of HTML)."""
    return html.escape(str(text), quote=False)


def titled(fig: go.Figure, title: str, subtitle: str, height: int | None = None) -> go.Figure:
    """Set the finding as title and n/source as subtitle (both escaped)."""
    fig.update_layout(
        title={
            "text": f"<b>{esc(title)}</b>",
            "subtitle": {"text": esc(subtitle), "font": {"size": 12, "color": "#5F6B7A"}},
        },
    )
    if height:
        fig.update_layout(height=height)
    return fig


def significance_colour(significant: Any, gap: Any, suppressed: Any) -> str:
    """Colour of a bar: blue/vermillion only for significant gaps, grey otherwise."""
    if suppressed:
        return theme.SUPPRESSED
    if not significant or gap is None:
        return theme.NEUTRAL
    return theme.BETTER if gap > 0 else theme.WORSE


def nps_ranking(
    df: pl.DataFrame,
    label: str,
    title: str,
    subtitle: str,
    colour: str = "significance",
    benchmark: float | None = None,
    benchmark_label: str = "",
) -> go.Figure:
    """Horizontal NPS bars with CI error bars, best at the top; suppressed rows say so.

    ``df`` needs ``label``, nps, ci_low, ci_high, n, suppressed and, for significance colours,
    ``significant`` and ``gap``.
    """
    rows = df.sort("nps", descending=False, nulls_last=False)
    labels = [esc(v) for v in rows[label].to_list()]
    nps = rows["nps"].to_list()
    supp = rows["suppressed"].to_list()
    if colour == "significance" and "significant" in rows.columns:
        colours = [
            significance_colour(s, g, x)
            for s, g, x in zip(rows["significant"], rows["gap"], supp, strict=True)
        ]
    else:
        colours = [theme.SUPPRESSED if x else theme.ACCENT for x in supp]
    values = [0.0 if v is None else v for v in nps]
    err_plus = [None if v is None else h - v for v, h in zip(nps, rows["ci_high"], strict=True)]
    err_minus = [None if v is None else v - lo for v, lo in zip(nps, rows["ci_low"], strict=True)]
    text = ["n too small" if x else f"{signed(v)}" for v, x in zip(nps, supp, strict=True)]
    hover = [
        f"{lab}<br>NPS {v:+.1f} [{lo:+.1f}, {hi:+.1f}]<br>n = {n:,.0f}"
        if not x
        else f"{lab}<br>n = {n:,.0f}: too small to report"
        for lab, v, lo, hi, n, x in zip(
            labels,
            values,
            rows["ci_low"].fill_null(0),
            rows["ci_high"].fill_null(0),
            rows["n"],
            supp,
            strict=True,
        )
    ]
    fig = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker_color=colours,
            error_x={
                "type": "data",
                "array": err_plus,
                "arrayminus": err_minus,
                "color": "#4A5563",
                "thickness": 1.2,
                "width": 3,
            },
            hovertext=hover,
            hoverinfo="text",
            showlegend=False,
        )
    )
    # value labels sit just past the upper end of the interval, so they never cover it
    label_x = [
        (0.0 if v is None else max(v, 0.0)) if h is None else max(h, 0.0)
        for v, h in zip(nps, rows["ci_high"].to_list(), strict=True)
    ]
    fig.add_scatter(
        x=label_x,
        y=labels,
        mode="text",
        text=text,
        textposition="middle right",
        textfont={"size": 12, "color": "#3A4452"},
        hoverinfo="skip",
        showlegend=False,
        cliponaxis=False,
    )
    if benchmark is not None:
        fig.add_vline(
            x=benchmark,
            line_dash="dot",
            line_color="#4A5563",
            annotation_text=esc(benchmark_label),
            annotation_position="top",
        )
    lows = [v for v in rows["ci_low"].to_list() if v is not None] + [0.0]
    highs = [v for v in rows["ci_high"].to_list() if v is not None] + [0.0]
    span = max(highs) - min(lows)
    fig.update_xaxes(
        title="NPS (−100 to +100); whiskers: 95% interval",
        zeroline=True,
        range=[min(lows) - 0.05 * span, max(highs) + 0.18 * span + 5],
    )
    return titled(fig, title, subtitle, height=max(320, 26 * len(labels) + 140))


def nps_split(df: pl.DataFrame, label: str, title: str, subtitle: str) -> go.Figure:
    """100% stacked bars of detractors, passives and promoters per group (not suppressed)."""
    rows = df.filter(~pl.col("suppressed")).sort("nps", nulls_last=False)
    labels = [esc(v) for v in rows[label].to_list()]
    fig = go.Figure()
    for col, name, colour in (
        ("detractors_pct", "Detractors (0-6)", theme.DETRACTOR),
        ("passives_pct", "Passives (7-8)", theme.PASSIVE),
        ("promoters_pct", "Promoters (9-10)", theme.PROMOTER),
    ):
        fig.add_bar(
            x=rows[col].to_list(),
            y=labels,
            orientation="h",
            name=name,
            marker_color=colour,
            text=[f"{v:.0f}%" for v in rows[col].to_list()],
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate="%{y}: %{x:.1f}%<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="Share of respondents (%)", range=[0, 100])
    return titled(fig, title, subtitle, height=max(320, 26 * len(labels) + 160))


def trend(
    df: pl.DataFrame,
    x: str,
    group: str | None,
    title: str,
    subtitle: str,
    y: str = "nps",
    lo: str = "ci_low",
    hi: str = "ci_high",
    y_title: str = "NPS",
) -> go.Figure:
    """Lines over waves with a shaded interval per group; suppressed points are gaps."""
    fig = go.Figure()
    groups = [None] if group is None else df[group].unique(maintain_order=True).to_list()
    for i, g in enumerate(groups):
        part = df if g is None or group is None else df.filter(pl.col(group) == g)
        part = part.sort(x)
        colour = theme.SEQUENCE[i % len(theme.SEQUENCE)]
        xs = part[x].to_list()
        if part[lo].drop_nulls().len() and len(groups) == 1:
            fig.add_scatter(
                x=xs + xs[::-1],
                y=part[hi].to_list() + part[lo].to_list()[::-1],
                fill="toself",
                fillcolor=_rgba(colour, 0.15),
                line={"width": 0},
                mode="lines",
                hoverinfo="skip",
                showlegend=False,
            )
        fig.add_scatter(
            x=xs,
            y=part[y].to_list(),
            mode="lines+markers",
            name=esc(g if g is not None else "All"),
            line={"color": colour, "width": 2.5},
            connectgaps=False,
            showlegend=group is not None,
            error_y=None
            if len(groups) == 1
            else {
                "type": "data",
                "array": (part[hi] - part[y]).to_list(),
                "arrayminus": (part[y] - part[lo]).to_list(),
                "thickness": 1,
                "width": 2,
                "color": _rgba(colour, 0.5),
            },
            hovertemplate="%{x}: %{y:+.1f}<extra>"
            + esc(g if g is not None else "All")
            + "</extra>",
        )
    fig.update_yaxes(title=y_title)
    fig.update_xaxes(title=None, type="category")
    return titled(fig, title, subtitle, height=380)


def bars(
    df: pl.DataFrame,
    label: str,
    value: str,
    title: str,
    subtitle: str,
    *,
    highlight: set[str] | None = None,
    colour: str = theme.ACCENT,
    value_title: str = "",
    suffix: str = "",
    lo: str | None = None,
    hi: str | None = None,
    sort: bool = True,
    horizontal: bool = True,
) -> go.Figure:
    """Simple bar chart, optionally highlighting some labels and with interval error bars."""
    rows = df.sort(value, nulls_last=False) if sort else df.reverse()
    labels = [esc(v) for v in rows[label].to_list()]
    raw_labels = rows[label].to_list()
    colours = [theme.HIGHLIGHT if highlight and r in highlight else colour for r in raw_labels]
    vals = rows[value].to_list()
    err = None
    if lo and hi:
        err = {
            "type": "data",
            "array": [None if v is None else h - v for v, h in zip(vals, rows[hi], strict=True)],
            "arrayminus": [
                None if v is None else v - lw for v, lw in zip(vals, rows[lo], strict=True)
            ],
            "color": "#4A5563",
            "thickness": 1.2,
            "width": 3,
        }
    text = ["n too small" if v is None else f"{v:.0f}{suffix}" for v in vals]
    vals0 = [0 if v is None else v for v in vals]
    if horizontal:
        trace = go.Bar(
            x=vals0,
            y=labels,
            orientation="h",
            marker_color=colours,
            text=text,
            textposition="outside",
            cliponaxis=False,
            error_x=err,
            hovertemplate="%{y}: %{x:.1f}" + suffix + "<extra></extra>",
        )
    else:
        trace = go.Bar(
            x=labels[::-1],
            y=vals0[::-1],
            marker_color=colours[::-1],
            text=text[::-1],
            textposition="outside",
            cliponaxis=False,
            error_y=err,
            hovertemplate="%{x}: %{y:.1f}" + suffix + "<extra></extra>",
        )
    fig = go.Figure(trace)
    top = max([v for v in vals0 if v is not None] + [0]) * 1.18
    if hi:
        top = max(top, max([v for v in rows[hi].to_list() if v is not None] + [0]) * 1.1)
    if horizontal:
        fig.update_xaxes(title=value_title, range=[min(0, min(vals0, default=0)), top or 1])
    else:
        fig.update_yaxes(title=value_title, range=[min(0, min(vals0, default=0)), top or 1])
    height = max(320, 28 * len(labels) + 140) if horizontal else 420
    return titled(fig, title, subtitle, height=height)


def grouped_bars(
    df: pl.DataFrame,
    category: str,
    series: str,
    value: str,
    title: str,
    subtitle: str,
    value_title: str = "",
    suffix: str = "",
    category_order: list[str] | None = None,
    colours: dict[str, str] | None = None,
) -> go.Figure:
    """Clustered vertical bars: one cluster per ``category``, one bar per ``series``."""
    fig = go.Figure()
    cats = category_order or df[category].unique(maintain_order=True).to_list()
    for i, s in enumerate(df[series].unique(maintain_order=True).to_list()):
        part = df.filter(pl.col(series) == s)
        lookup = dict(zip(part[category], part[value], strict=True))
        ys = [lookup.get(c) for c in cats]
        fig.add_bar(
            x=[esc(c) for c in cats],
            y=ys,
            name=esc(s),
            marker_color=(colours or {}).get(s, theme.SEQUENCE[i % len(theme.SEQUENCE)]),
            text=[None if v is None else f"{v:.0f}{suffix}" for v in ys],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:.1f}" + suffix + "<extra>" + esc(s) + "</extra>",
        )
    fig.update_layout(barmode="group")
    fig.update_yaxes(title=value_title)
    return titled(fig, title, subtitle, height=420)


def stacked_share(
    df: pl.DataFrame, label: str, parts: list[tuple[str, str, str]], title: str, subtitle: str
) -> go.Figure:
    """100% stacked horizontal bars: ``parts`` = (column, legend name, colour)."""
    fig = go.Figure()
    labels = [esc(v) for v in df[label].to_list()]
    for col, name, colour in parts:
        vals = df[col].to_list()
        fig.add_bar(
            x=vals,
            y=labels,
            orientation="h",
            name=name,
            marker_color=colour,
            text=[None if v is None else f"{v:.0f}%" for v in vals],
            textposition="inside",
            insidetextanchor="middle",
            hovertemplate="%{y}: %{x:.1f}%<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title="Share of respondents (%)", range=[0, 100])
    return titled(fig, title, subtitle, height=max(300, 40 * len(labels) + 160))


def heatmap(
    z: list[list[float | None]],
    x: list[str],
    y: list[str],
    title: str,
    subtitle: str,
    text: list[list[str]] | None = None,
    zmid: float | None = None,
    colorbar_title: str = "",
) -> go.Figure:
    """Heatmap with a diverging colour-blind-safe scale; None cells show as blank."""
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[esc(v) for v in x],
            y=[esc(v) for v in y],
            text=text,
            texttemplate="%{text}",
            colorscale=theme.DIVERGING,
            zmid=zmid,
            hoverongaps=False,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": colorbar_title}, "thickness": 12},
            hovertemplate="%{y} · %{x}: %{z:.1f}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top")
    return titled(fig, title, subtitle, height=max(360, 24 * len(y) + 180))


def quadrant(
    df: pl.DataFrame,
    x: str,
    y: str,
    label: str,
    title: str,
    subtitle: str,
    x_title: str,
    y_title: str,
) -> go.Figure:
    """Importance (x) vs performance (y) scatter with median guides: bottom right = fix first."""
    xs, ys = df[x].to_list(), df[y].to_list()
    fig = go.Figure(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            text=[esc(v) for v in df[label].to_list()],
            textposition=_label_positions(xs, ys),
            marker={"size": 14, "color": theme.ACCENT, "line": {"width": 1, "color": "#FFFFFF"}},
            hovertemplate="%{text}<br>"
            + x_title
            + ": %{x:.1f}<br>"
            + y_title
            + ": %{y:.1f}<extra></extra>",
        )
    )
    if xs and ys:
        mx = sorted(xs)[len(xs) // 2]
        my = sorted(v for v in ys if v is not None)[len(ys) // 2]
        fig.add_vline(x=mx, line_dash="dot", line_color="#9AA0A6")
        fig.add_hline(y=my, line_dash="dot", line_color="#9AA0A6")
        fig.add_annotation(
            xref="paper",
            yref="paper",
            x=1,
            y=0,
            text="fix first",
            showarrow=False,
            font={"color": theme.WORSE},
            xanchor="right",
            yanchor="bottom",
        )
    if xs:
        pad = (max(xs) - min(xs)) * 0.15 + 1
        fig.update_xaxes(range=[min(xs) - pad, max(xs) + pad])
    fig.update_xaxes(title=x_title)
    fig.update_yaxes(title=y_title)
    return titled(fig, title, subtitle, height=440)


def waterfall(
    labels: list[str], values: list[float], title: str, subtitle: str, total_label: str
) -> go.Figure:
    """Waterfall of components adding up to a total (values in USD millions)."""
    fig = go.Figure(
        go.Waterfall(
            x=[*labels, total_label],
            y=[*values, 0],
            measure=["relative"] * len(values) + ["total"],
            text=[f"{v:,.1f}" for v in values] + [f"{sum(values):,.1f}"],
            textposition="outside",
            connector={"line": {"color": "#9AA0A6"}},
            increasing={"marker": {"color": theme.WORSE}},
            totals={"marker": {"color": theme.ACCENT}},
            cliponaxis=False,
        )
    )
    fig.update_yaxes(title="USD million per year")
    return titled(fig, title, subtitle, height=420)


def tornado(df: pl.DataFrame, base: float, title: str, subtitle: str) -> go.Figure:
    """Tornado: output with each input at its range ends (USD millions), widest at the top."""
    rows = df.sort("swing")
    labels = [esc(v) for v in rows["label"].to_list()]
    fig = go.Figure()
    fig.add_bar(
        y=labels,
        x=[v - base for v in rows["at_low"].to_list()],
        base=base,
        orientation="h",
        name="input at low end",
        marker_color=theme.BETTER,
        customdata=rows["low_value"].to_list(),
        hovertemplate="%{y} at %{customdata:,.3g}: %{x:,.1f}<extra></extra>",
    )
    fig.add_bar(
        y=labels,
        x=[v - base for v in rows["at_high"].to_list()],
        base=base,
        orientation="h",
        name="input at high end",
        marker_color=theme.WORSE,
        customdata=rows["high_value"].to_list(),
        hovertemplate="%{y} at %{customdata:,.3g}: %{x:,.1f}<extra></extra>",
    )
    fig.update_layout(barmode="overlay")
    fig.add_vline(x=base, line_color="#4A5563")
    fig.update_xaxes(title="Total revenue at risk, USD million per year")
    return titled(fig, title, subtitle, height=max(320, 30 * len(labels) + 160))


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _label_positions(xs: list[float], ys: list[float | None]) -> list[str]:
    """Alternate label positions of neighbouring points so labels overlap less."""
    order = sorted(range(len(xs)), key=lambda k: (xs[k], ys[k] or 0))
    cycle = ["top center", "bottom center", "middle right", "middle left"]
    pos = [""] * len(xs)
    for rank, k in enumerate(order):
        pos[k] = cycle[rank % len(cycle)]
    return pos


_WORLD = Path(__file__).parent / "assets" / "world_countries_110m.json"


@functools.cache
def _world_rings() -> list[list[list[float]]]:
    """Country outlines (Natural Earth 1:110m), bundled so maps render with no network."""
    rings: list[list[list[float]]] = json.loads(_WORLD.read_text())["rings"]
    return rings


#: Label sides for countries whose circles sit close together (Europe); others go below.
MAP_LABEL_POSITIONS = {
    "GB": "middle left",
    "FR": "bottom left",
    "DE": "top right",
    "IT": "bottom right",
    "SE": "top center",
    "ES": "bottom left",
    "NL": "top left",
}


def static_map(
    df: pl.DataFrame, title: str, subtitle: str, lo: float = -40.0, hi: float = 40.0
) -> go.Figure:
    """A static world map for exports: circles sized by n and coloured by NPS.

    ``df`` needs country, name, latitude, longitude, n, nps and suppressed. Drawn on plain lon/lat axes
    with bundled outlines, so kaleido renders it offline (geo traces fetch map data online).
    """
    fig = go.Figure()
    xs: list[float | None] = []
    ys: list[float | None] = []
    for ring in _world_rings():
        xs.extend([p[0] for p in ring] + [None])
        ys.extend([p[1] for p in ring] + [None])
    fig.add_scatter(
        x=xs,
        y=ys,
        mode="lines",
        fill="toself",
        fillcolor="#E8EDF2",
        line={"color": "#C3CBD4", "width": 0.6},
        hoverinfo="skip",
        showlegend=False,
    )
    shown = df.filter(~pl.col("suppressed"))
    hidden = df.filter(pl.col("suppressed"))
    if shown.height:
        n_max = float(cast(float, shown["n"].max()) or 1)
        fig.add_scatter(
            x=shown["longitude"].to_list(),
            y=shown["latitude"].to_list(),
            mode="markers+text",
            text=[
                f"{esc(n)} {signed(v)}" for n, v in zip(shown["name"], shown["nps"], strict=True)
            ],
            textposition=[
                MAP_LABEL_POSITIONS.get(c, "bottom center") for c in shown["country"].to_list()
            ],
            textfont={"size": 11, "color": "#1B1F24"},
            marker={
                "size": [14 + 26 * (float(n) / n_max) ** 0.5 for n in shown["n"].to_list()],
                "color": shown["nps"].to_list(),
                "colorscale": [[0, "#B35806"], [0.5, "#F7F7F7"], [1, "#542788"]],
                "cmin": lo,
                "cmax": hi,
                "line": {"color": "#5F6B7A", "width": 1},
                "colorbar": {"title": {"text": "NPS"}, "thickness": 12, "len": 0.6},
            },
            showlegend=False,
            hovertemplate="%{text}<extra></extra>",
        )
    if hidden.height:
        fig.add_scatter(
            x=hidden["longitude"].to_list(),
            y=hidden["latitude"].to_list(),
            mode="markers+text",
            text=[f"{esc(n)}: n too small" for n in hidden["name"].to_list()],
            textposition="bottom center",
            textfont={"size": 10, "color": "#5F6B7A"},
            marker={"size": 12, "color": theme.SUPPRESSED},
            showlegend=False,
        )
    fig.update_xaxes(visible=False, range=[-170, 190], fixedrange=True)
    fig.update_yaxes(visible=False, range=[-58, 84], scaleanchor="x", fixedrange=True)
    return titled(fig, title, subtitle, height=520)
