"""Plotly figure builders (no Streamlit): every chart of the dashboard is drawn here.

Each builder takes tidy Polars frames and returns a figure whose title states the finding and
whose subtitle carries n and source, so an exported image stands on its own. Colours come from
:mod:`cx.charts.theme`; interval words take the confidence level they are given (never a fixed one).
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import plotly.graph_objects as go
import polars as pl

from cx.charts import theme
from cx.charts.labels import BARGAP, bar_labels, level_angle, wave_ticks
from cx.charts.sketch import Sketch, restyled, trace
from cx.charts.theme import localised
from cx.core import display
from cx.core.display import NPS_GROUPS, TOO_SMALL, signed
from cx.core.i18n import _

#: The fixed, symmetric colour range of gap heatmaps (points to the others), so small gaps
#: stay pale on every page.
GAP_RANGE = (-20.0, 20.0)
#: The NPS range a map's colours span when fewer than two countries can be reported.
MAP_RANGE = (-40.0, 40.0)
#: The least the map's colours reach either side of the sample's NPS: countries 5 points apart
#: (none significantly) were painted from white to full orange.
MAP_MIN_REACH = 10.0
#: The least share (%) a stacked bar's segment is labelled at (narrower ones have no room).
MIN_LABELLED_SHARE = 9.0
#: The name of the text trace holding a ranking's value labels (a column right of the whiskers).
VALUE_COLUMN = "values"


def value_label(value: float, suffix: str = "") -> str:
    """A bar's whole-number label in the language: a percentage as every page writes one
    (Russian "66 %": the chart labels wrote "66%" beside tiles and tables of "66 %"), any other
    suffix after the number."""
    if suffix == "%":
        return display.pct(value)
    return localised(f"{value:.0f}") + suffix


def label_column(ends: Sequence[float], span: float) -> float:
    """Where a column of value labels stands: right of the furthest whisker end (or bar end),
    with a gap of 4% of the axis span, so no whisker ever touches a label."""
    return max([*ends, 0.0]) + 0.04 * span


def esc(text: Any) -> str:
    """Escape a data string for Plotly text: the subset of HTML Plotly renders, and ``%{``,
    which starts a placeholder in a hover or text template (a brand named ``%{x}`` would be
    filled in); ``{`` after ``%`` becomes the entity ``&#123;``, which Plotly shows as ``{``."""
    return html.escape(str(text), quote=False).replace("%{", "%&#123;")


def wrap(text: Any, width: int = 16) -> str:
    """An escaped label broken over lines so long category names are never cut. Chinese has
    no spaces to break at: a label of wide characters only is cut into lines of about equal
    length, a Chinese character counting two (``产品质量与缺陷`` at 12: ``产品质量`` /
    ``与缺陷``), so neighbouring column headers never run into one another."""
    label = str(text)
    columns = display.width(label)
    if label and columns > width and columns == 2 * len(label):
        count = math.ceil(columns / width)
        size = math.ceil(len(label) / count)
        lines = [label[i : i + size] for i in range(0, len(label), size)]
    else:
        lines = textwrap.wrap(label, width=width, break_long_words=False) or [""]
    return "<br>".join(esc(line) for line in lines)


def title_layout(
    fig: go.Figure | Sketch, title: str, subtitle: str, height: int | None = None
) -> dict[str, Any]:
    """What :func:`titled` sets: the finding as title and n/source as subtitle (both escaped),
    the language's number marks, and a legend on top (between the subtitle and the plot, where
    it never covers an axis title) when the figure has more than one legend entry."""
    legend = (
        any(getattr(t, "showlegend", None) is not False for t in fig.data)
        and len([t for t in fig.data if getattr(t, "showlegend", None) is not False]) > 1
    )
    layout: dict[str, Any] = {
        "title": {
            "text": f"<b>{esc(title)}</b>",
            "subtitle": {"text": esc(subtitle), "font": {"size": 12, "color": theme.MUTED}},
        },
        "separators": theme.separators(),
    }
    if legend:
        layout["legend"] = {
            "orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0, "xanchor": "left"
        }  # fmt: skip
        layout["margin"] = {"t": 120}
    if height:
        layout["height"] = height
    return layout


def titled(
    fig: go.Figure | Sketch, title: str, subtitle: str, height: int | None = None
) -> go.Figure:
    """The figure (a sketch made, or a figure restyled) with its finding as title and n/source
    as subtitle (:func:`title_layout`). Numbers Plotly writes (axes, hovers) take the current
    language's decimal and thousands marks. Returns a new figure: use what it returns."""
    layout = title_layout(fig, title, subtitle, height)
    return fig.figure(layout) if isinstance(fig, Sketch) else restyled(fig, layout)


def screen(fig: go.Figure) -> go.Figure:
    """The figure as a card draws it: the card carries title and footnote as text (they
    wrap), so the figure drops its own title and most of the top margin (room is kept for a
    legend above the plot). A copy made from the figure's dict, not validated again: the
    figure was checked when it was built."""
    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})
    layout["title"] = {}
    y = layout.get("legend", {}).get("y")
    above = any(  # a label over the plot (a reference line's) keeps room too
        a.get("y", 0) >= 1 and a.get("yanchor") == "bottom" for a in layout.get("annotations", ())
    )
    margin = layout.get("margin", {})
    layout["margin"] = {
        **margin,
        "t": 40 if (y is not None and y > 1) or above else 10,
        # room for the last tick label of a value axis: drawn with Streamlit's theme, a card's
        # plot ran to the figure's right edge and Plotly hid the "100" that ends the scale
        "r": margin.get("r", theme.MARGIN["r"]),
    }
    return go.Figure(spec, _validate=False)


def nps_axis(level: str) -> str:
    """The value axis of an NPS ranking: the scale and what the whiskers are."""
    return _("NPS (−100 to +100)<br>whiskers: {level} interval").format(level=level)


def _nps_hover(
    rows: pl.DataFrame, labels: list[str], values: list[float], supp: list[bool]
) -> list[str]:
    """Each NPS bar's hover: its NPS and interval and n, or why it is not shown (with the
    effective n of weighted answers when the minimum applies to it)."""
    return [
        _("{label}<br>NPS {nps} [{low}, {high}]<br>n = {n}").format(
            label=lab,
            nps=localised(f"{v:+.1f}"),
            low=localised(f"{lo:+.1f}"),
            high=localised(f"{hi:+.1f}"),
            n=localised(f"{n:,.0f}"),
        )
        if not x
        else _("{label}<br>n = {n}: too small to report").format(
            label=lab, n=localised(f"{n:,.0f}")
        )
        if eff is None or round(eff) >= round(n)
        # weighted: the minimum is on the effective n (32 answers read "too small" under 30)
        else _("{label}<br>n = {n}, effective n = {effective}: too small to report").format(
            label=lab, n=localised(f"{n:,.0f}"), effective=localised(f"{eff:,.0f}")
        )
        for lab, v, lo, hi, n, x, eff in zip(
            labels,
            values,
            rows["ci_low"].fill_null(0),
            rows["ci_high"].fill_null(0),
            rows["n"],
            supp,
            rows["n_effective"] if "n_effective" in rows.columns else [None] * rows.height,
            strict=True,
        )
    ]


def nps_ranking(
    df: pl.DataFrame,
    label: str,
    title: str,
    subtitle: str,
    level: str,
    colour: str | Mapping[str, str] = "significance",
) -> go.Figure:
    """Horizontal NPS bars with interval whiskers, best at the top; suppressed rows say so.

    ``df`` needs ``label``, nps, ci_low, ci_high, n, suppressed and, for significance colours,
    ``significant`` and ``gap``. ``colour`` is ``significance`` (blue/vermillion for
    significant gaps), ``plain`` (one colour) or a mapping label -> colour (categories such as
    channels keep their colour; significance is then marked with ▲/▼ after the value); both
    from :func:`cx.charts.theme.significance`, as the deck's native chart.
    """
    rows = df.sort("nps", descending=False, nulls_last=False)
    labels = [esc(v) for v in rows[label].to_list()]
    nps = rows["nps"].to_list()
    supp = rows["suppressed"].to_list()
    has_sig = "significant" in rows.columns
    sig = rows["significant"].to_list() if has_sig else [False] * rows.height
    gaps = rows["gap"].to_list() if has_sig else [None] * rows.height
    marked = [theme.significance(s, g, x) for s, g, x in zip(sig, gaps, supp, strict=True)]
    if colour == "significance" and has_sig:
        colours = [m.colour for m in marked]
    elif isinstance(colour, Mapping):
        colours = [
            theme.SUPPRESSED if x else colour.get(str(v), theme.ACCENT)
            for v, x in zip(rows[label].to_list(), supp, strict=True)
        ]
    else:
        colours = [theme.SUPPRESSED if x else theme.ACCENT for x in supp]
    marks = isinstance(colour, Mapping) and has_sig
    values = [0.0 if v is None else v for v in nps]
    err_plus = [None if v is None else h - v for v, h in zip(nps, rows["ci_high"], strict=True)]
    err_minus = [None if v is None else v - lo for v, lo in zip(nps, rows["ci_low"], strict=True)]
    text = []
    for v, x, m in zip(nps, supp, marked, strict=True):
        if x:
            text.append(_(TOO_SMALL))
            continue
        text.append(f"{signed(v)} {m.mark}" if marks and m.mark else signed(v))
    hover = _nps_hover(rows, labels, values, supp)
    fig = Sketch(
        trace(
            go.Bar,
            x=values,
            y=labels,
            orientation="h",
            marker_color=colours,
            error_x={
                "type": "data",
                "array": err_plus,
                "arrayminus": err_minus,
                "color": theme.WHISKER,
                "thickness": 1.2,
                "width": 3,
            },
            hovertext=hover,
            hoverinfo="text",
            showlegend=False,
        )
    )
    # value labels stand in a column of their own right of every whisker: placed at a
    # whisker's end, its line ran into the label and hid a minus sign (-10 read as 10)
    lows = [v for v in rows["ci_low"].to_list() if v is not None] + [0.0]
    highs = [v for v in rows["ci_high"].to_list() if v is not None] + [0.0]
    highs += [v for v in nps if v is not None]
    span = max(max(highs) - min(lows), 10.0)
    column = label_column(highs, span)
    fig.add(
        trace(
            go.Scatter,
            x=[column] * len(labels),
            y=labels,
            mode="text",
            text=text,
            textposition="middle right",
            textfont={"size": 12, "color": theme.LABEL},
            hoverinfo="skip",
            showlegend=False,
            cliponaxis=False,
            name=VALUE_COLUMN,
        )
    )
    fig.layout(
        xaxis={
            "title": nps_axis(level),
            "zeroline": True,
            "range": [min(lows) - 0.05 * span, column + 0.2 * span + 4],
        }
    )
    return titled(fig, title, subtitle, height=max(320, 26 * len(labels) + 150))


def nps_split(df: pl.DataFrame, label: str, title: str, subtitle: str) -> go.Figure:
    """100% stacked bars of detractors, passives and promoters per group (not suppressed)."""
    rows = df.filter(~pl.col("suppressed")).sort("nps", nulls_last=False)
    parts = [(f"{g}s_pct", _(name), theme.NPS_GROUP_COLOURS[g]) for g, name in NPS_GROUPS.items()]
    return stacked_share(
        rows,
        label,
        parts,
        title,
        subtitle,
        value_title=_("Share of respondents (%)"),
        row_height=26,
    )


def honest_range(
    lows: Sequence[float | None], highs: Sequence[float | None], span: float = 40.0
) -> list[float]:
    """A y range for NPS that includes zero and spans at least ``span`` points, so a 2-point
    move does not look like a crash."""
    lo = min([v for v in lows if v is not None] + [0.0])
    hi = max([v for v in highs if v is not None] + [0.0])
    if hi - lo < span:
        pad = (span - (hi - lo)) / 2
        lo, hi = lo - pad, hi + pad
        if lo > -5 and min([v for v in lows if v is not None] + [0.0]) >= 0:
            hi, lo = hi - lo, 0.0
    return [max(-100.0, math.floor((lo - 2) / 10) * 10), min(100.0, math.ceil((hi + 2) / 10) * 10)]


def trend(
    df: pl.DataFrame,
    x: str,
    group: str | None,
    title: str,
    subtitle: str,
    level: str,
    y: str = "nps",
    lo: str = "ci_low",
    hi: str = "ci_high",
    y_title: str = "NPS",
    colours: Mapping[str, str] | None = None,
    y_range: Sequence[float] | None = None,
) -> go.Figure:
    """Lines over waves with the interval per point; suppressed points are gaps.

    One group gets a shaded band, several get whiskers. ``colours`` maps group -> colour
    (the same mapping the deck uses) and gives the groups' order (the legend's);
    ``y_range`` fixes the axis (see :func:`honest_range`).
    """
    fig = Sketch()
    present = [] if group is None else df[group].unique(maintain_order=True).to_list()
    order = [g for g in (colours or {}) if g in present] + [
        g for g in present if g not in (colours or {})
    ]
    groups: list[Any] = [None] if group is None else order
    ordered = df.sort(x, maintain_order=True)
    parts = (
        {}
        if group is None
        else {k[0]: v for k, v in ordered.partition_by(group, as_dict=True).items()}
    )
    for i, g in enumerate(groups):
        part = ordered if g is None or group is None else parts[g]
        colour = (colours or {}).get(str(g), theme.SERIES[i % len(theme.SERIES)])
        if g is None:
            colour = theme.ACCENT
        xs = part[x].to_list()
        if part[lo].drop_nulls().len() and len(groups) == 1:
            fig.add(
                trace(
                    go.Scatter,
                    x=xs + xs[::-1],
                    y=part[hi].to_list() + part[lo].to_list()[::-1],
                    fill="toself",
                    fillcolor=theme.rgba(colour, 0.15),
                    line={"width": 0},
                    mode="lines",
                    hoverinfo="skip",
                    showlegend=False,
                    name=_("{level} interval").format(level=level),
                )
            )
        shown = g if g is not None else _("All")
        fig.add(
            trace(
                go.Scatter,
                x=xs,
                y=part[y].to_list(),
                mode="lines+markers",
                name=esc(shown),
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
                    "color": theme.rgba(colour, 0.5),
                },
                hovertemplate="%{x}: %{y:+.1f}<extra>" + esc(shown) + "</extra>",
            )
        )
    fig.layout(yaxis={"title": y_title})
    if y_range is not None:
        fig.layout(yaxis={"range": list(y_range)})
    # every wave in time order: a category axis takes them in the order the lines first name
    # them, so a brand without the first wave, drawn first, put 2024Q1 after 2024Q4
    waves = sorted(w for w in df[x].unique().to_list() if w is not None)
    ticks = wave_ticks(waves)
    quarters = {} if ticks is None else {"tickvals": waves, "ticktext": ticks, "tickangle": 0}
    fig.layout(  # no title; labels tilt if crowded (quarters are written level)
        xaxis={"type": "category", "automargin": True, "categoryorder": "array",
               "categoryarray": waves, **quarters}
    )  # fmt: skip
    return titled(fig, title, subtitle, height=400)


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
    value_range: Sequence[float] | None = None,
) -> go.Figure:
    """A bar chart, optionally highlighting some labels and with interval whiskers."""
    rows = df.sort(value, nulls_last=False) if sort else df.reverse()
    raw_labels = rows[label].to_list()
    labels = [esc(v) for v in raw_labels] if horizontal else [wrap(v, 12) for v in raw_labels]
    colours = theme.highlighted(raw_labels, highlight or set(), colour)
    vals = rows[value].to_list()
    err = None
    if lo and hi:
        err = {
            "type": "data",
            "array": [None if v is None else h - v for v, h in zip(vals, rows[hi], strict=True)],
            "arrayminus": [
                None if v is None else v - lw for v, lw in zip(vals, rows[lo], strict=True)
            ],
            "color": theme.WHISKER,
            "thickness": 1.2,
            "width": 3,
        }
    text = [_(TOO_SMALL) if v is None else value_label(v, suffix) for v in vals]
    vals0 = [0 if v is None else v for v in vals]
    if horizontal:
        bar = trace(
            go.Bar,
            x=vals0,
            y=labels,
            orientation="h",
            marker_color=colours,
            text=text,
            # with whiskers the value sits inside the bar's end, never on the whisker
            textposition="inside" if err else "outside",
            insidetextanchor="end",
            textfont={"color": [theme.text_on(c) for c in colours]} if err else None,
            cliponaxis=False,
            error_x=err,
            hovertemplate="%{y}: %{x:.1f}" + suffix + "<extra></extra>",
        )
    else:
        bar = trace(
            go.Bar,
            x=labels[::-1],
            y=vals0[::-1],
            marker_color=colours[::-1],
            text=text[::-1],
            textposition="inside" if err else "outside",
            insidetextanchor="start",
            textfont={"color": [theme.text_on(c) for c in colours[::-1]]} if err else None,
            cliponaxis=False,
            error_y=err,
            hovertemplate="%{x}: %{y:.1f}" + suffix + "<extra></extra>",
        )
    fig = Sketch(bar)
    top = max([v for v in vals0 if v is not None] + [0]) * 1.18
    if hi:
        top = max(top, max([v for v in rows[hi].to_list() if v is not None] + [0]) * 1.1)
    axis_range = list(value_range) if value_range else [min(0, min(vals0, default=0)), top or 1]
    if horizontal:
        fig.layout(xaxis={"title": value_title, "range": axis_range})
    else:
        fig.layout(yaxis={"title": value_title, "range": axis_range}, xaxis={"tickangle": 0})
    height = max(320, 28 * len(labels) + 150) if horizontal else 440
    return titled(fig, title, subtitle, height=height)


#: Columns of category labels a grouped-bar chart has room for across its width, in a
#: half-width card at 1366.
CATEGORY_COLUMNS = 60


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
    colours: Mapping[str, str] | None = None,
    names: Mapping[str, str] | None = None,
    lo: str | None = None,
    hi: str | None = None,
    marks: Mapping[tuple[str, str], str] | None = None,
) -> go.Figure:
    """Clustered vertical bars: one cluster per ``category``, one bar per ``series``.

    ``names`` gives legend names of series codes; ``lo``/``hi`` draw interval whiskers (the
    value label then sits inside the bar, never on the whisker); ``marks`` (series code,
    category) -> ▲/▼ follow the labels of bars whose gap is significant.
    """
    fig = Sketch()
    cats = category_order or df[category].unique(maintain_order=True).to_list()
    codes = df[series].unique(maintain_order=True).to_list()
    top = max([abs(v) for v in df[hi if hi else value].drop_nulls().to_list()] or [1.0])
    label = lambda v: value_label(v, suffix)  # noqa: E731
    # each series' rows by category, with the columns drawn (a filter per series and whole
    # rows cost more than the figure)
    drawn = [c for c in dict.fromkeys((value, lo, hi)) if c]
    columns = [df.get_column(c).to_list() for c in (series, category, *drawn)]
    rows: dict[Any, dict[Any, dict[str, Any]]] = {s: {} for s in codes}
    for s, c, *values in zip(*columns, strict=True):
        rows[s][c] = dict(zip(drawn, values, strict=True))
    # category labels share the width: the more clusters, the narrower each label's lines
    # (five Russian funnel steps at 14 columns ran into each other in a half-width card)
    room = max(8, min(14, CATEGORY_COLUMNS // max(len(cats), 1)))
    ticks = [wrap(c, room) for c in cats]
    angle = level_angle(cats, CATEGORY_COLUMNS)
    for i, s in enumerate(codes):
        lookup = rows[s]
        ys = [lookup[c][value] if c in lookup else None for c in cats]
        marked = [(marks or {}).get((str(s), str(c)), "") for c in cats]
        text = bar_labels(fig, cats, lookup, value, hi, (i, len(codes)), top, label, marked)
        error = None
        if lo and hi:
            error = {
                "type": "data",
                "array": [None if c not in lookup or lookup[c][value] is None else lookup[c][hi] - lookup[c][value] for c in cats],
                "arrayminus": [None if c not in lookup or lookup[c][value] is None else lookup[c][value] - lookup[c][lo] for c in cats],
                "color": theme.WHISKER,
                "thickness": 1.2,
                "width": 3,
            }  # fmt: skip
        # a series of no code (answers without a channel) is named as a table names it
        shown = display.name(series, s) if s is None else (names or {}).get(str(s), str(s))
        fill = (colours or {}).get(str(s), theme.SERIES[i % len(theme.SERIES)])
        fig.add(
            trace(
                go.Bar,
                x=ticks,
                y=ys,
                name=esc(shown),
                marker_color=fill,
                text=text,
                textposition="inside" if error else "outside",
                insidetextanchor="start",
                textangle=0,
                # inside a light bar (passives' grey) white would vanish: ink there
                textfont={"color": theme.text_on(fill), "size": 10} if error else {"size": 10},
                cliponaxis=False,
                error_y=error,
                hovertemplate="%{x}: %{y:.1f}" + suffix + "<extra>" + esc(shown) + "</extra>",
            )
        )
    level = {"xaxis": {"tickangle": angle}} if angle is not None else {}
    fig.layout(barmode="group", bargap=BARGAP, yaxis={"title": value_title}, **level)
    return titled(fig, title, subtitle, height=460)


def stacked_share(
    df: pl.DataFrame,
    label: str,
    parts: list[tuple[str, str, str]],
    title: str,
    subtitle: str,
    labels: Sequence[str] | None = None,
    value_title: str | None = None,
    row_height: int = 44,
) -> go.Figure:
    """100% stacked horizontal bars: ``parts`` = (column, legend name, colour); the value
    axis says "Share of those answering (%)" unless ``value_title`` names it."""
    if value_title is None:
        value_title = _("Share of those answering (%)")
    fig = Sketch()
    ys = [esc(v) for v in (labels or df[label].to_list())]
    for col, name, colour in parts:
        vals = df[col].to_list()
        fig.add(
            trace(
                go.Bar,
                x=vals,
                y=ys,
                orientation="h",
                name=name,
                marker_color=colour,
                # a segment too narrow for its label goes without (the table and the hover
                # have it): Plotly shrank "8%" to a speck or turned "10%" on its side
                text=[
                    None if v is None or v < MIN_LABELLED_SHARE else value_label(v, "%")
                    for v in vals
                ],
                textposition="inside",
                textangle=0,
                insidetextanchor="middle",
                textfont={"color": theme.text_on(colour)},
                hovertemplate="%{y}: %{x:.1f}%<extra>" + esc(name) + "</extra>",
            )
        )
    # every quarter marked, and room on the right for the 100 (the app's theme leaves none)
    axis = {"title": value_title, "range": [0, 100], "tickvals": [0, 25, 50, 75, 100]}
    fig.layout(barmode="stack", xaxis=axis, margin={"r": 24})
    return titled(fig, title, subtitle, height=max(320, row_height * len(ys) + 200))


def heatmap(
    z: list[list[float | None]],
    x: list[str],
    y: list[str],
    title: str,
    subtitle: str,
    text: list[list[str]] | None = None,
    zrange: tuple[float, float] = GAP_RANGE,
    colorbar_title: str = "",
) -> go.Figure:
    """Heatmap on a fixed, symmetric diverging range (so small gaps stay pale); None cells
    are blank. Ten columns or more have slanted headers (wrapped ones ran into each other)."""
    slanted = len(x) >= 10
    fig = Sketch(
        trace(
            go.Heatmap,
            z=z,
            x=[wrap(v, 40 if slanted else 12) for v in x],
            y=[esc(v) for v in y],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 11},
            colorscale=theme.DIVERGING,
            zmin=zrange[0],
            zmax=zrange[1],
            zmid=0,
            hoverongaps=False,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": colorbar_title, "side": "right"}, "thickness": 12},
            hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
        )
    )
    axis = {"side": "top", "tickangle": -35 if slanted else 0}
    fig.layout(yaxis={"autorange": "reversed"}, xaxis=axis)
    return titled(fig, title, subtitle, height=max(380, 26 * len(y) + (300 if slanted else 220)))
