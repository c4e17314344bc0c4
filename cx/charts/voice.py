"""Plotly builders of the Voice page (what comments say); shared helpers from
:mod:`cx.charts.figures`. Data text is escaped with :func:`cx.charts.figures.esc`."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from cx.charts import theme
from cx.charts.figures import esc, titled
from cx.charts.sketch import Sketch, trace
from cx.core.display import TOO_SMALL, signed
from cx.core.i18n import _

#: How far a gap bar's value label stands past its whisker's end, as a share of the axis span.
GAP_LABEL_OFFSET = 0.02


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
    labels = [esc(v) for v in rows[label].to_list()]
    lows, highs = rows[lo].to_list(), rows[hi].to_list()
    fig = Sketch(
        trace(go.Bar,
            x=[0.0 if v is None else v for v in vals],
            y=labels,
            orientation="h",
            marker_color=colours,
            error_x={
                "type": "data",
                "array": [None if v is None else h - v for v, h in zip(vals, highs, strict=True)],
                "arrayminus": [None if v is None else v - lw for v, lw in zip(vals, lows, strict=True)],
                "color": theme.WHISKER, "thickness": 1.2, "width": 3,
            },
            hovertemplate=_("%{y}: %{x:+.1f} points") + "<extra>" + esc(_("{level} interval shown").format(level=level)) + "</extra>",
            showlegend=False,
        )
    )  # fmt: skip
    known_lows = [x for x in lows if x is not None] + [0.0]
    known_highs = [x for x in highs if x is not None] + [0.0]
    span = max(max(known_highs) - min(known_lows), 10.0)
    # each label stands a gap past the outer end of its interval: placed on the end, the
    # whisker's cap ran into it ("+50" read "++50", and a minus sign could hide under it)
    gap = GAP_LABEL_OFFSET * span
    for right in (True, False):
        picked = [i for i, v in enumerate(vals) if (v is None or v >= 0) == right]
        ends = [vals[i] if vals[i] is None else (highs if right else lows)[i] for i in picked]
        fig.add(
            trace(
                go.Scatter,
                x=[0.0 if e is None else e + (gap if right else -gap) for e in ends],
                y=[labels[i] for i in picked],
                mode="text",
                text=[_(TOO_SMALL) if vals[i] is None else signed(vals[i]) for i in picked],
                textposition="middle right" if right else "middle left",
                textfont={"size": 12, "color": theme.LABEL},
                hoverinfo="skip",
                showlegend=False,
                cliponaxis=False,
            )
        )
    pad = span * 0.12 + 4 + gap
    fig.layout(
        xaxis={
            "title": value_title,
            "zeroline": True,
            "zerolinewidth": 2,
            "range": [min(known_lows) - pad, max(known_highs) + pad],
        }
    )
    return titled(fig, title, subtitle, height=max(340, 34 * rows.height + 160))


def diverging_terms(df: pl.DataFrame, title: str, subtitle: str, value_title: str) -> go.Figure:
    """Terms over-represented among detractors (left) and promoters (right), by z-score;
    ``df`` has ``term_label``, ``side`` (detractors/promoters), ``signed_z`` (negative for
    detractors' terms: each bar's length and its label are this one number) and
    ``significant``. Group colours; terms that are not significant in grey."""
    fig = Sketch()
    order: list[str] = []
    more = {"detractors": _("More among detractors"), "promoters": _("More among promoters")}
    group = {"detractors": _("detractors"), "promoters": _("promoters")}
    grey_named = False
    for side, colour in (("detractors", theme.DETRACTOR), ("promoters", theme.PROMOTER)):
        part = df.filter(pl.col("side") == side).sort(pl.col("signed_z").abs())
        order += [esc(t) for t in part["term_label"].to_list()]
        for significant in (True, False):  # grey for terms that are not significant
            rows = part.filter(pl.col("significant") == significant)
            if rows.is_empty():
                continue
            values = rows["signed_z"].to_list()
            fig.add(
                trace(
                    go.Bar,
                    x=values,
                    y=[esc(t) for t in rows["term_label"].to_list()],
                    orientation="h",
                    name=more[side] if significant else _("Not significant"),
                    legendgroup="ns" if not significant else side,
                    showlegend=significant or not grey_named,  # "Not significant" once
                    marker_color=colour if significant else theme.NEUTRAL,
                    text=[signed(v, 1) for v in values],
                    textposition="outside",
                    cliponaxis=False,
                    hovertemplate="%{y}: z = %{text}<extra>" + esc(group[side]) + "</extra>",
                )
            )
            grey_named = grey_named or not significant
    # a category's room above the top bar: its label is not run over by the legend above it
    fig.layout(
        yaxis={"categoryorder": "array", "categoryarray": order, "range": [-0.6, len(order) + 0.4]},
        barmode="relative",
    )
    reach = max([0.0, *[abs(v) for v in df["signed_z"].drop_nulls().to_list()]]) * 1.3 or 1.0
    fig.layout(
        xaxis={"title": value_title, "zeroline": True, "zerolinewidth": 2, "range": [-reach, reach]}
    )
    return titled(fig, title, subtitle, height=max(380, 26 * df.height + 180))
