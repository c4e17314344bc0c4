"""Plotly figures of the dealer scorecards (no Streamlit): the league of outlets and the
distribution of outlet scores per category. Styles, escaping and titles as in
:mod:`cx.charts.figures`; colours from :mod:`cx.charts.theme`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go
import polars as pl

from cx.charts import theme
from cx.charts.figures import esc, honest_range, nps_axis, titled
from cx.charts.sketch import Sketch, trace
from cx.charts.theme import localised
from cx.core.display import COLUMN_NAMES, RAW_COLUMNS, signed
from cx.core.i18n import _


def league(
    df: pl.DataFrame,
    label: str,
    title: str,
    subtitle: str,
    level: str,
    gap_after: int | None = None,
    gap_label: str = "⋯",
) -> go.Figure:
    """Outlets best first: the shrunk NPS as a dot with its interval (colour: significance of
    the outlet against the rest of its brand), the raw NPS as a hollow ring and the brand's
    mean (the random-effects mean the outlet is pulled towards) as a tick.

    ``df`` needs ``label``, shrunk_nps, shrunk_low, shrunk_high, nps, pool_mean, n,
    significant and gap, in the order to draw (best first). ``gap_after`` rows, an empty row
    labelled ``gap_label`` marks outlets left out between the best and the weakest.
    """
    rows = df.reverse()  # Plotly draws the first category at the bottom
    labels = [esc(v) for v in rows[label].to_list()]
    shrunk = rows["shrunk_nps"].to_list()
    colours = [
        theme.significance(s, g).colour
        for s, g in zip(rows["significant"].to_list(), rows["gap"].to_list(), strict=True)
    ]
    hover = [
        _(
            "{label}<br>shrunk NPS {nps} [{low}, {high}]<br>raw NPS {raw}, n = {n}"
            "<br>shrunk towards {mean}"
        ).format(
            label=lab,
            nps=localised(f"{v:+.1f}"),
            low=localised(f"{lo:+.1f}"),
            high=localised(f"{hi:+.1f}"),
            raw=localised(f"{raw:+.1f}"),
            n=localised(f"{n:,.0f}"),
            mean=localised(f"{b:+.1f}"),
        )
        for lab, v, lo, hi, raw, n, b in zip(
            labels,
            shrunk,
            rows["shrunk_low"],
            rows["shrunk_high"],
            rows["nps"],
            rows["n"],
            rows["pool_mean"],
            strict=True,
        )
    ]
    shrunk_column, raw_column = COLUMN_NAMES["shrunk_nps"], RAW_COLUMNS["nps"]  # marked messages
    target = COLUMN_NAMES["pool_mean"]  # a marked message
    shrunk_name = _("{column} ({level} interval)").format(column=_(shrunk_column), level=level)
    marks = {"size": 14, "color": theme.MUTED, "line": {"width": 2}, "symbol": "line-ns-open"}
    raw = {"size": 9, "color": theme.MUTED, "line": {"width": 1.5}, "symbol": "circle-open"}
    fig = Sketch(
        trace(go.Scatter, x=rows["pool_mean"].to_list(), y=labels, mode="markers",
              name=_(target), marker=marks, hoverinfo="skip"),
        trace(go.Scatter, x=rows["nps"].to_list(), y=labels, mode="markers", name=_(raw_column),
              marker=raw, hoverinfo="skip"),
        # the legend's entry, in the colour of "not significant"
        trace(go.Scatter, x=[None], y=[None], mode="markers", name=shrunk_name,
              marker={"size": 11, "color": theme.NEUTRAL}),
        trace(go.Scatter,
            x=shrunk, y=labels, mode="markers+text", name=shrunk_name, showlegend=False,
            marker={"size": 11, "color": colours},
            error_x={
                "type": "data",
                "array": [h - v for v, h in zip(shrunk, rows["shrunk_high"], strict=True)],
                "arrayminus": [v - lo for v, lo in zip(shrunk, rows["shrunk_low"], strict=True)],
                "color": theme.WHISKER, "thickness": 1.2, "width": 3,
            },
            text=[signed(v) for v in shrunk], textposition="top center",
            textfont={"size": 11, "color": theme.LABEL}, hovertext=hover, hoverinfo="text",
        ),
    )  # fmt: skip
    values = [
        v
        for c in ("shrunk_low", "shrunk_high", "nps", "pool_mean")
        for v in rows[c].to_list()
        if v is not None
    ]
    lo, hi = min([*values, 0.0]), max([*values, 0.0])
    pad = max(hi - lo, 10.0) * 0.06
    order = [esc(v) for v in df[label].to_list()]
    if gap_after is not None:
        order = [*order[:gap_after], esc(gap_label), *order[gap_after:]]
    fig.layout(
        xaxis={"title": nps_axis(level), "range": [lo - pad, hi + pad]},
        yaxis={"automargin": True, "categoryorder": "array", "categoryarray": order[::-1]},
    )
    return titled(fig, title, subtitle, height=max(360, 34 * len(order) + 170))


def distribution(
    df: pl.DataFrame,
    category: str,
    value: str,
    title: str,
    subtitle: str,
    *,
    order: Sequence[str],
    names: Mapping[str, str] | None = None,
    colours: Mapping[str, str] | None = None,
    reference: tuple[str, float] | None = None,
    value_title: str | None = None,
) -> go.Figure:
    """One horizontal box per category (quartiles, whiskers to 1.5 IQR) with every outlet as a
    point; ``order`` lists categories top to bottom; ``reference`` draws a dashed line
    (label, value) such as the average direct store. The value axis says "NPS of the outlet"
    unless ``value_title`` names it."""
    if value_title is None:
        value_title = _("NPS of the outlet")
    fig = Sketch()
    for i, key in enumerate(reversed(list(order))):
        part = df.filter(pl.col(category) == key)
        name = (names or {}).get(key, key)
        colour = (colours or {}).get(key, theme.SERIES[i % len(theme.SERIES)])
        fig.add(
            trace(
                go.Box,
                x=part[value].to_list(),
                y=[esc(name)] * part.height,
                name=esc(name),
                orientation="h",
                boxpoints="all",
                jitter=0.45,
                pointpos=0,
                marker={"size": 5, "color": theme.rgba(colour, 0.55)},
                line={"color": colour, "width": 1.6},
                fillcolor=theme.rgba(colour, 0.12),
                hovertext=[esc(t) for t in part["label"].to_list()]
                if "label" in part.columns
                else None,
                hovertemplate="%{hovertext}: %{x:+.1f}<extra></extra>",
                showlegend=False,
            )
        )
    # a fixed range: Plotly widens an axis it ranges itself to hold a label placed on it, and
    # the Russian reference label (twice the English) stretched the NPS axis to +230
    drawn = [*df[value].drop_nulls().to_list(), *([reference[1]] if reference else [])]
    span = honest_range(drawn, drawn) if drawn else None
    if reference is not None:  # a dashed line, its label above the plot (at its foot it sat
        # over the lowest category's box)
        at = reference[1]
        fig.vline(at, dash="dash", color=theme.INK, width=1.2)
        # the label reads away from the nearer end, so it stays on the plot in every language
        right = span is not None and at > (span[0] + span[1]) / 2
        fig.annotation(
            text=esc(f"{reference[0]} {signed(at)}"), font={"size": 11}, showarrow=False,
            x=at, xanchor="right" if right else "left", xref="x", y=1, yanchor="bottom",
            yref="y domain",
        )  # fmt: skip
    axis = {"title": value_title, "zeroline": True}
    fig.layout(xaxis={**axis, "range": span} if span else axis, yaxis={"automargin": True})
    return titled(fig, title, subtitle, height=max(320, 62 * len(order) + 170))
