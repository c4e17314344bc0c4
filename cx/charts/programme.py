"""Plotly figures of the CX programme page (no Streamlit): competency scores on the 1-5 scale,
the published distribution of maturity stages with the organisation's stage marked, practices
beside the shares of the groups a study compared, and scores over saved assessments.

Like :mod:`cx.charts.figures`, every builder escapes data text, states the finding as its title
and the source as its subtitle; colours come from :mod:`cx.charts.theme`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from cx.charts import theme
from cx.charts.figures import esc, titled, wrap
from cx.charts.sketch import Sketch, trace
from cx.charts.theme import localised
from cx.core import display
from cx.core.i18n import _

#: The answer scale's ends (the axis of competency scores).
SCALE_RANGE = (1.0, 5.0)


def competency_bars(
    labels: Sequence[str],
    scores: Sequence[float | None],
    notes: Sequence[str],
    colours: Sequence[str],
    marks: Sequence[tuple[float, str]],
    title: str,
    subtitle: str,
) -> go.Figure:
    """Horizontal bars from 1 (the scale's floor) to each score, first label on top.

    ``notes`` is the text of an unscored bar (``not scored: 3 of 4 answered``); ``marks`` are
    vertical lines (what the next stage needs, the mean), each named in the legend, so that
    their labels never print over the bars or each other.
    """
    ys = [wrap(label, 30) for label in labels][::-1]
    values = list(scores)[::-1]
    fills = list(colours)[::-1]
    low = SCALE_RANGE[0]
    fig = Sketch(
        trace(go.Bar,
            x=[0.0 if v is None else v - low for v in values],
            base=low,
            y=ys,
            orientation="h",
            marker_color=fills,
            text=[esc(n) if v is None else localised(f"{v:.2f}") for v, n in zip(values, list(notes)[::-1], strict=True)],
            textposition=["outside" if v is None or v - low < 0.5 else "inside" for v in values],
            insidetextanchor="end",
            textfont={"color": [theme.MUTED if v is None or v - low < 0.5 else theme.text_on(c) for v, c in zip(values, fills, strict=True)]},
            cliponaxis=False,
            showlegend=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )  # fmt: skip
    for (value, text), dash in zip(marks, ("dash", "dot", "dashdot"), strict=False):
        line = {"dash": dash, "color": theme.INK, "width": 1.5}
        fig.vline(value, **line)
        fig.add(trace(go.Scatter, x=[None], y=[None], mode="lines", line=line, name=esc(text)))
    fig.layout(
        xaxis={
            "title": _("Score (1 not true, 5 fully true)"),
            "range": [low, SCALE_RANGE[1] + 0.35],
            "dtick": 1,
        },
        showlegend=bool(marks),
    )
    return titled(fig, title, subtitle, height=max(360, 46 * len(ys) + 170))


def stage_distribution(
    labels: Sequence[str],
    values: Sequence[float],
    yours: int | None,
    derived: Sequence[bool],
    you_text: str,
    title: str,
    subtitle: str,
) -> go.Figure:
    """Published shares of organisations per stage (columns, stage order); the column holding
    the organisation's stage (index ``yours``) is highlighted and labelled; derived columns are
    hatched."""
    colours = [theme.HIGHLIGHT if i == yours else theme.PUBLISHED for i in range(len(labels))]
    fig = Sketch(
        trace(
            go.Bar,
            x=[wrap(label, 12) for label in labels],
            y=list(values),
            marker={
                "color": colours,
                "pattern": {"shape": ["/" if d else "" for d in derived], "fgcolor": theme.PAPER},
            },
            text=[display.published_pct(v) for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:g}%<extra></extra>",
        )
    )
    if yours is not None:
        fig.annotation(
            x=wrap(labels[yours], 12),
            y=values[yours],
            yshift=34,
            text=f"<b>{esc(you_text)}</b>",
            showarrow=False,
            font={"color": theme.INK, "size": 12},
            bgcolor=theme.rgba(theme.HIGHLIGHT, 0.25),
        )
    top = max([*values, 0.0])
    fig.layout(
        yaxis={"title": _("% of organisations"), "range": [0, max(60.0, top * 1.35)]},
        xaxis={"tickangle": 0},
    )
    return titled(fig, title, subtitle, height=420)


def practice_bars(
    categories: Sequence[str],
    yours: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    colours: Mapping[str, str],
    title: str,
    subtitle: str,
) -> go.Figure:
    """Published shares per practice (horizontal, one bar per group), the first practice on
    top; each practice's label carries the organisation's answer (``yours``) on its own line."""
    ys = [f"{wrap(c, 34)}<br><b>{esc(y)}</b>" for c, y in zip(categories, yours, strict=True)][::-1]
    fig = Sketch()
    for name, values in reversed(list(series.items())):
        vals = list(values)[::-1]
        fig.add(
            trace(
                go.Bar,
                x=[None if v is None else v for v in vals],
                y=ys,
                orientation="h",
                name=esc(name),
                marker_color=colours.get(name, theme.PUBLISHED),
                text=[_("not published") if v is None else display.published_pct(v) for v in vals],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}: %{x:g}%<extra>" + esc(name) + "</extra>",
            )
        )
    fig.layout(
        barmode="group",
        legend={"traceorder": "reversed"},
        xaxis={"title": _("% of organisations"), "range": [0, 112]},
    )
    rows = len(ys) * max(1, len(series))
    return titled(fig, title, subtitle, height=max(300, 24 * rows + 70 * len(ys) + 120))


def score_lines(
    x: Sequence[str],
    lines: Mapping[str, Sequence[float | None]],
    colours: Mapping[str, str],
    bands: Sequence[tuple[float, str]],
    title: str,
    subtitle: str,
) -> go.Figure:
    """Scores over saved assessments (categories on x, one line per competency and the mean;
    the mean drawn thickest), with the stage bands' floors as faint lines."""
    fig = go.Figure()
    for value, text in bands:
        fig.add_hline(
            y=value,
            line={"color": theme.GRID, "width": 1},
            annotation={"text": esc(text), "font": {"size": 10, "color": theme.MUTED}},
            annotation_position="right",
        )
    for name, values in lines.items():
        mean = name in ("Mean", _("Mean"))  # the mean line, as the report names it
        fig.add_scatter(
            x=list(x),
            y=list(values),
            mode="lines+markers",
            name=esc(name),
            line={"color": colours.get(name, theme.INK), "width": 4 if mean else 1.8},
            marker={"size": 9 if mean else 6},
            connectgaps=False,
            hovertemplate="%{x}: %{y:.2f}<extra>" + esc(name) + "</extra>",
        )
    fig.update_yaxes(title=_("Score (1-5)"), range=[SCALE_RANGE[0] - 0.1, SCALE_RANGE[1] + 0.1])
    fig.update_xaxes(type="category", title=None)
    fig.update_layout(margin={"r": 90})
    return titled(fig, title, subtitle, height=440)
