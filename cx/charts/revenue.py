"""Revenue at risk's figures: the waterfall of the components adding up to the total and the
tornado of each input lowered and raised."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from cx.charts import theme
from cx.charts.figures import esc, titled, wrap
from cx.charts.sketch import Sketch, trace
from cx.core import display, i18n
from cx.core.i18n import N_, _

#: A chart's money axis in millions of USD a year, and in Chinese in 亿 (hundred millions), the
#: unit :func:`cx.core.display.usd_m` writes Chinese money in (:func:`money_scale`).
USD_M_A_YEAR = N_("USD million a year")
USD_100M_A_YEAR = N_("USD hundred million a year")


def money_scale() -> float:
    """USD per unit of a chart's money axis: a million ($364M), in Chinese a hundred million
    (亿), so that the axis, the bars' labels and the headline over them read in the one unit
    (:func:`cx.core.display.usd_m` writes 3.64 亿美元; an axis of 百万美元 beside it invited a misreading by
    a hundred)."""
    return 1e8 if i18n.language() == "zh" else 1e6


def money_axis() -> str:
    """The unit of a chart's money axis in words (:func:`money_scale`): "USD million a year"."""
    return _(USD_100M_A_YEAR if money_scale() == 1e8 else USD_M_A_YEAR)


def money_format() -> str:
    """The Excel number format of a money axis in :func:`money_scale` units, written as
    :func:`cx.core.display.usd_m` writes money in the language shown ("$500M", "$500 млн", "5 亿美元")."""
    if money_scale() == 1e8:
        pattern, number = _("{amount} hundred million USD"), "#,##0.0#"
    else:
        pattern, number = _("${amount}M"), "#,##0"
    before, _sep, after = pattern.partition("{amount}")
    return "".join((f'"{before}"' if before else "", number, f'"{after}"' if after else ""))


def waterfall(
    labels: list[str],
    values: list[float],
    title: str,
    subtitle: str,
    total_label: str,
    value_title: str,
    kept: tuple[str, float] | None = None,
) -> go.Figure:
    """Waterfall of components (values in USD) adding up to a total, drawn in the language's
    money unit (:func:`money_scale`). The bars are exact; the labels are whole
    millions that add up to the total's label (:func:`cx.core.display.adding_up`): $364M +
    $63M + $102M under a $528M total read as a mistake. ``kept`` (a label and USD), the part
    of the total better CX could keep, is drawn over the foot of the total in its own colour
    and named in the legend: the title says it, and the chart under it did not show it."""
    scale = money_scale()
    total = wrap(total_label, 14)
    fig = Sketch(
        trace(
            go.Waterfall,
            showlegend=False,
            x=[*(wrap(v, 14) for v in labels), total],
            y=[*(v / scale for v in values), 0],
            measure=["relative"] * len(values) + ["total"],
            # as the tiles and titles write money (display.usd_m), in whole millions that add up
            text=[display.usd_m(v * 1e6) for v in display.adding_up([v / 1e6 for v in values])],
            textposition="outside",
            connector={"line": {"color": theme.RULE}},
            increasing={"marker": {"color": theme.MODEL}},
            totals={"marker": {"color": theme.INK}},
            cliponaxis=False,
        )
    )
    if kept is not None:
        fig.add(
            trace(
                go.Bar,
                x=[total],
                y=[kept[1] / scale],
                name=esc(kept[0]),
                marker_color=theme.PROMOTER,
                text=[display.usd_m(kept[1])],  # whole millions, as every money label
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": theme.text_on(theme.PROMOTER)},
                hovertemplate="%{text}<extra>" + esc(kept[0]) + "</extra>",
            )
        )
    top = max(sum(values), max(values, default=0)) / scale * 1.2 or 1
    fig.layout(
        yaxis={"title": value_title, "range": [0, top]},
        # a size smaller: Russian "послепродажная" and "рекомендации" ran into each other at 1366
        xaxis={"tickangle": 0, "tickfont": {"size": 10}},
        barmode="overlay",
    )
    return titled(fig, title, subtitle, height=440)


#: The tornado's two series: column, legend name (a marked message: shown with ``_()``) and
#: colour (the deck's native form too).
TORNADO_SERIES = (
    ("at_low", N_("Input lowered"), theme.INPUT_LOWERED),
    ("at_high", N_("Input raised"), theme.INPUT_RAISED),
)


def tornado(
    df: pl.DataFrame, base: float, title: str, subtitle: str, value_title: str
) -> go.Figure:
    """Tornado: output with each input lowered and raised (in the money unit of the chart,
    :func:`money_scale`), widest at the top."""
    rows = df.sort("swing")
    # long input names (Russian runs a third longer) wrap rather than squeeze the bars
    labels = ["<br>".join(esc(line) for line in display.wrap(v, 28)) for v in rows["label"]]
    fig = Sketch()
    inputs = {"at_low": rows["low_value"], "at_high": rows["high_value"]}
    for column, name, colour in TORNADO_SERIES:
        values = inputs[column]
        fig.add(
            trace(
                go.Bar,
                y=labels,
                x=[v - base for v in rows[column].to_list()],
                base=base,
                orientation="h",
                name=_(name),
                marker_color=colour,
                customdata=values.to_list(),
                hovertemplate=_("%{y} at %{customdata:,.3g}: $%{x:,.0f}M") + "<extra></extra>",
            )
        )
    fig.layout(barmode="overlay", xaxis={"title": value_title, "automargin": True})
    fig.vline(base, color=theme.WHISKER)
    extra = sum(label.count("<br>") for label in labels)  # lines beyond one per bar
    return titled(fig, title, subtitle, height=max(360, 30 * len(labels) + 14 * extra + 200))
