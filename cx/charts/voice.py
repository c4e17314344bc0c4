"""Plotly builders of the Voice page (what comments say); shared helpers from
:mod:`cx.charts.figures`. Data text is escaped with :func:`cx.charts.figures.esc`."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from cx.charts import theme
from cx.charts.figures import esc, titled
from cx.core.display import TOO_SMALL, signed


def gap_bars(
    df: pl.DataFrame,
    label: str,
    value: str,
    lo: str,
    hi: str,
    title: str,
    subtitle: str,
    value_title: str,
    level: str,
) -> go.Figure:
    """Horizontal bars of a signed difference with its interval, coloured only where the
    difference is significant (``significant`` column), n too small in grey."""
    rows = df.sort(value, descending=True, nulls_last=True).reverse()
    vals = rows[value].to_list()
    colours = [
        theme.significance(s, v, x).colour
        for s, v, x in zip(rows["significant"], vals, rows["suppressed"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=[0.0 if v is None else v for v in vals],
            y=[esc(v) for v in rows[label].to_list()],
            orientation="h",
            marker_color=colours,
            text=[TOO_SMALL if v is None else signed(v) for v in vals],
            textposition="outside",
            cliponaxis=False,
            error_x={
                "type": "data",
                "array": [None if v is None else h - v for v, h in zip(vals, rows[hi], strict=True)],
                "arrayminus": [None if v is None else v - lw for v, lw in zip(vals, rows[lo], strict=True)],
                "color": theme.WHISKER, "thickness": 1.2, "width": 3,
            },
            hovertemplate="%{y}: %{x:+.1f} points<extra>" + esc(level) + " interval shown</extra>",
        )
    )  # fmt: skip
    fig.update_xaxes(title=value_title, zeroline=True, zerolinewidth=2)
    return titled(fig, title, subtitle, height=max(340, 34 * rows.height + 160))


def diverging_terms(df: pl.DataFrame, title: str, subtitle: str, value_title: str) -> go.Figure:
    """Terms over-represented among detractors (left) and promoters (right), by z-score;
    ``df`` has ``term_label``, ``side`` (detractors/promoters), ``side_z`` and
    ``significant``. Group colours; terms that are not significant in grey."""
    fig = go.Figure()
    order: list[str] = []
    grey_listed = False
    for side, colour, sign in (
        ("detractors", theme.DETRACTOR, -1.0),
        ("promoters", theme.PROMOTER, 1.0),
    ):
        part = df.filter(pl.col("side") == side).sort("side_z")
        order += [esc(t) for t in part["term_label"].to_list()]
        for significant in (True, False):  # grey for terms that are not significant
            rows = part.filter(pl.col("significant") == significant)
            if rows.is_empty():
                continue
            fig.add_bar(
                x=[sign * v for v in rows["side_z"].to_list()],
                y=[esc(t) for t in rows["term_label"].to_list()],
                orientation="h",
                name=("More among " + side) if significant else "Not significant",
                legendgroup="ns" if not significant else side,
                showlegend=significant
                or side == "detractors"
                or part["significant"].all() is False,
                marker_color=colour if significant else theme.NEUTRAL,
                text=[f"{v:.1f}" for v in rows["side_z"].to_list()],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}: z = %{text}<extra>" + esc(side) + "</extra>",
            )
            grey_listed = grey_listed or not significant
    fig.update_yaxes(categoryorder="array", categoryarray=order)
    fig.update_layout(barmode="relative")
    reach = max([0.0, *df["side_z"].drop_nulls().to_list()]) * 1.3 or 1.0
    fig.update_xaxes(title=value_title, zeroline=True, zerolinewidth=2, range=[-reach, reach])
    return titled(fig, title, subtitle, height=max(380, 26 * df.height + 180))
