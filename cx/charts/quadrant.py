"""The key-driver quadrant: importance for NPS (with its interval) against satisfaction, with
median guides; the screen's figure and the slide's guides and ranges read one frame
(:func:`quadrant_frame`)."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go
import polars as pl

from cx.charts import theme
from cx.charts.figures import esc, titled
from cx.charts.labels import label_sides
from cx.charts.sketch import Sketch, trace
from cx.core.i18n import _

#: The key-driver plot's size in pixels where it is drawn narrowest (a half-width card at 1366).
QUADRANT_PLOT = (360.0, 280.0)

#: The key-driver slide's plot (about 11 x 3.9 in, names at 10 pt) in pixels of the screen's
#: 12 px names, which :func:`cx.charts.labels.label_sides` measures.
QUADRANT_SLIDE_PLOT = (950.0, 340.0)


def quadrant_frame(
    xs: Sequence[float],
    ys: Sequence[float | None],
    lows: Sequence[float] | None = None,
    highs: Sequence[float] | None = None,
) -> tuple[float | None, float | None, list[float] | None, list[float] | None]:
    """A quadrant's median guides and ranges, as the screen draws them and the slide too:
    (median x, median y, x range, y range); None where there are no points."""
    known = sorted(v for v in ys if v is not None)
    mx = sorted(xs)[len(xs) // 2] if xs else None
    my = known[len(known) // 2] if known else None
    x_range, y_range = None, None
    if xs:
        hi_x = max(highs) if highs else max(xs)
        lo_x = min(lows) if lows else min(xs)
        pad = (hi_x - lo_x) * 0.12 + 1
        x_range = [max(0.0, lo_x - pad), hi_x + pad]
    if known:
        y_range = [known[0] - 6, known[-1] + 6]
    return mx, my, x_range, y_range


def quadrant(
    df: pl.DataFrame,
    x: str,
    y: str,
    label: str,
    title: str,
    subtitle: str,
    x_title: str,
    y_title: str,
    x_low: str | None = None,
    x_high: str | None = None,
    advice: bool = True,
) -> go.Figure:
    """Importance (x, with its interval) vs performance (y) with median guides drawn below
    the points; "fix first" marks the bottom right only when the model supports advice."""
    xs, ys = df[x].to_list(), df[y].to_list()
    error, spans = None, None
    if x_low and x_high:
        spans = list(zip(df[x_low], df[x_high], strict=True))  # labels keep off the whiskers
        error = {
            "type": "data",
            "array": [h - v for v, h in zip(xs, df[x_high].to_list(), strict=True)],
            "arrayminus": [v - lo for v, lo in zip(xs, df[x_low].to_list(), strict=True)],
            "color": theme.rgba(theme.ACCENT, 0.5),
            "thickness": 1.2,
            "width": 3,
        }
    mx, my, x_range, y_range = quadrant_frame(
        xs, ys, df[x_low].to_list() if x_low else None, df[x_high].to_list() if x_high else None
    )
    # the plot as drawn in a half-width card at 1366 (the narrowest it is drawn)
    frame = None
    if x_range and y_range:
        frame = ((x_range[0], x_range[1]), (y_range[0], y_range[1]), *QUADRANT_PLOT)
    names = [str(v) for v in df[label].to_list()]
    sides = label_sides(xs, ys, names, spans, (mx, my), frame)
    fig = Sketch(
        trace(
            go.Scatter,
            x=xs,
            y=ys,
            mode="markers+text",
            text=[esc(v) for v in df[label].to_list()],
            textposition=sides,
            textfont={"size": 12},
            marker={"size": 13, "color": theme.ACCENT, "line": {"width": 1, "color": theme.RIM}},
            error_x=error,
            hovertemplate="%{text}<br>"
            + esc(x_title)
            + ": %{x:.1f}<br>"
            + esc(y_title)
            + ": %{y:.1f}<extra></extra>",
        )
    )
    if xs and ys:
        if my is not None:
            fig.shape(type="line", x0=mx, x1=mx, y0=0, y1=1, yref="paper", layer="below",
                      line={"dash": "dot", "color": theme.GUIDE})  # fmt: skip
            fig.shape(type="line", y0=my, y1=my, x0=0, x1=1, xref="paper", layer="below",
                      line={"dash": "dot", "color": theme.GUIDE})  # fmt: skip
        if advice:
            fig.annotation(
                xref="paper", yref="paper", x=1, y=0, text=esc(_("fix first")), showarrow=False,
                font={"color": theme.MUTED}, xanchor="right", yanchor="bottom",
            )  # fmt: skip
    if x_range:
        fig.layout(xaxis={"range": x_range})
    if y_range:
        fig.layout(yaxis={"range": y_range})
    fig.layout(xaxis={"title": x_title}, yaxis={"title": y_title})
    return titled(fig, title, subtitle, height=460)
