"""The chart data model every export reads: a finding, a footnote, the data, the provenance and
a native (editable) form, plus what a deck says about itself.

Reports build :class:`Chart` objects; the app renders them, and PowerPoint, Excel, PNG/SVG and
the command line export the very same objects, so every format says what the screen says.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Final, Literal

import polars as pl

from cx.claims.model import Claim
from cx.claims.render import headline
from cx.core import display
from cx.core.i18n import N_, _

Kind = Literal["survey", "published", "model", "assessment", "records"]
NativeType = Literal[
    "bar",
    "column",
    "clustered_bar",
    "clustered_column",
    "stacked_bar",
    "line",
    "scatter",
    "waterfall",
]

#: What every export says about where its numbers come from (a marked message: a
#: :class:`DeckMeta` made without a ``source`` says it in the current language).
EXPORT_SOURCE = N_(
    "Survey-sample numbers come from the dataset named above (the embedded demo is synthetic "
    "survey data with fictional brands, calibrated to published figures). Published figures are "
    "labelled as such, with publisher and year. Model estimates come from the revenue-at-risk "
    "model and its named inputs. Self-assessments are an organisation's own answers about its "
    "CX programme, scored by the rule stated with them."
)

Value = float | None


#: The sides a native XY chart's point names may take (Plotly's ``textposition`` names, as
#: :func:`cx.charts.labels.label_sides` gives them; PowerPoint places no label at a corner).
SIDES: Final = ("top center", "bottom center", "middle right", "middle left")


@dataclass
class Native:
    """The data of a chart in a form PowerPoint can draw natively (and users can edit).

    ``categories`` label the points; each series is ``(name, values)`` aligned with them. For
    ``scatter`` the first series holds x and the second y, and categories label the points.
    ``colours`` optionally gives one colour per point of a single-series chart (significance
    colours), ``series_colours`` one per series. ``errors`` gives, per series, the distance
    from each value down and up to its interval (``(minus, plus)``), drawn as error bars;
    a chart whose footnote mentions intervals must carry them. ``value_labels`` False draws no
    labels on the bars (the categories carry the values instead, where error bars could cross
    a label: signed values near zero). ``crosses_at`` is the value bars start from (a
    tornado's base result; default zero). A ``waterfall`` is a column chart whose bars start at
    their ``feet`` (the running total before a step; zero under a total) and are labelled with
    ``texts`` above them, as the screen labels them (:func:`native_waterfall`); ``texts`` on a
    single-series bar chart label its bars in the screen's words ("rank 2 of 7"). An XY chart's
    ``x_range`` bounds its x axis and ``guides`` are pale dotted lines ``(x0, y0, x1, y1)``
    drawn after its points (a quadrant's medians; LibreOffice draws no line of a series put
    before them); ``sides`` puts each point's name where it crosses no guide, point or other
    name (:data:`SIDES`; default: right of every point). ``point_texts`` gives, per series,
    the screen's label of a point where it is more than its value (``70% ▲``: a significant
    gap), None where the value alone is.
    """

    type: NativeType
    categories: list[str]
    series: list[tuple[str, list[Value]]]
    value_title: str = ""
    number_format: str = "0"
    colours: list[str] | None = None
    series_colours: list[str] | None = None
    x_title: str = ""
    errors: list[tuple[list[Value], list[Value]]] | None = None
    value_range: tuple[float, float] | None = None
    value_labels: bool = True
    crosses_at: float | None = None
    feet: list[float] | None = None
    texts: list[str] | None = None
    x_range: tuple[float, float] | None = None
    guides: list[tuple[float, float, float, float]] | None = None
    sides: list[str] | None = None
    point_texts: list[list[str | None]] | None = None


def with_gap(native: Native, after: int | None, label: str) -> Native:
    """``native`` with an empty category ``label`` after its first ``after`` ones, where the
    screen marks the rows it leaves out ("⋯ 32 more outlets ⋯"): the slide's ranks jumped
    from 10 to 43 with nothing between them. None: no gap."""
    if after is None:
        return native

    def gapped(values: list[Any], blank: Any = None) -> list[Any]:
        return [*values[:after], blank, *values[after:]]

    return replace(
        native,
        categories=gapped(native.categories, label),
        series=[(name, gapped(values)) for name, values in native.series],
        errors=[(gapped(m), gapped(p)) for m, p in native.errors] if native.errors else None,
        # a colour for the bar that is not there (a point's colour cannot be left out)
        colours=gapped(native.colours, native.colours[0]) if native.colours else None,
        texts=gapped(native.texts, "") if native.texts else None,
    )


def native_waterfall(native: Native, steps: int, texts: Sequence[str]) -> Native:
    """``native``'s one series as the screen's waterfall draws it: its first ``steps`` bars
    stand on the running total of the steps before them, the bars after them (the total, a part
    of it) on zero, each labelled with its text from ``texts`` (as the screen writes it). Bars
    drawn from zero read as three separate sums beside their total. A step below zero (or
    missing) cannot stand on a stacked column: then ``native`` is returned as it is."""
    values = native.series[0][1]
    climbing = values[:steps]
    if any(v is None or v < 0 for v in climbing) or len(texts) != len(values):
        return native
    feet = [*itertools.accumulate((float(v or 0.0) for v in climbing[:-1]), initial=0.0)]
    return replace(
        native,
        type="waterfall",
        feet=[*feet, *[0.0] * (len(values) - steps)],
        texts=list(texts),
        value_range=native.value_range
        or round_bounds(0.0, max((float(v or 0.0) for v in values), default=0.0) * 1.12 or 1.0),
    )


class Deferred:
    """A figure built when something first reads it: a chart that the screen does not draw
    (the country map's Plotly twin, drawn by pydeck on screen) costs nothing until an export
    asks for it. ``Deferred(build, *args)`` calls ``build(*args)`` once."""

    def __init__(self, build: Callable[..., Any], *args: Any) -> None:
        self.build = build
        self.args = args

    def __call__(self) -> Any:
        return self.build(*self.args)


@dataclass
class Chart:
    """A chart with what a deck needs: finding, footnote, data, provenance and native form.

    Attributes:
        key: stable identifier (widget keys, file names).
        title: the finding, in words.
        subtitle: n, source and what the marks mean (the footnote on slides).
        figure: the Plotly figure (screen and images), or a :class:`Deferred` one.
        table: the data behind the chart, with human column names (Excel, CSV, "Show data").
        kind: provenance: survey sample, published figures, model estimate, self-assessment or a
            dataset's dealer-CRM records (the words and colours of each are
            :data:`cx.charts.theme.PROVENANCE`).
        notes: extra footnote lines.
        native: the editable PowerPoint form; None draws the figure as an image.
        formats: Excel number format per column of ``table``.
        links: source link per row of ``table`` (published figures); Excel adds them as
            links, and the app shows a ``Source`` column of the table as links.
        label: a short human name (Excel sheet, export menus); defaults from ``key``.
        claims: what the title says, as claims computed from ``table``
            (:mod:`cx.claims`); the title is their rendering.
        on_slides: parts of ``subtitle`` that name marks only the figure draws (a ring, a
            tick, stripes, dotted rules), each with what a slide's native chart says instead
            ("" leaves it out: :func:`slide_subtitle`).
        app_links: the column of ``table`` that links into the app ("dealers?…#Dealer
            scorecards", relative to it): the app shows them as links named by their page; a
            workbook, which cannot follow them, writes the page's name (:func:`linked_pages`).
    """

    key: str
    title: str
    subtitle: str
    figure: Any
    table: pl.DataFrame
    kind: Kind = "survey"
    notes: list[str] = field(default_factory=list)
    native: Native | None = None
    formats: dict[str, str] = field(default_factory=dict)
    links: list[str | None] | None = None
    label: str = ""
    claims: tuple[Claim, ...] = ()
    on_slides: dict[str, str] = field(default_factory=dict)
    app_links: str = ""
    #: the on-screen version of ``figure`` (set once by the app, which caches charts)
    screen: Any = field(default=None, repr=False, compare=False)

    @property
    def nothing_shown(self) -> bool:
        """Every row of the table is under the minimum n: the figure would be empty axes (the
        title says so; the card shows a note in its place)."""
        column = display.TOO_SMALL
        return bool(self.table.height) and column in self.table.columns and self.table[column].all()

    @property
    def nothing_shown_note(self) -> str:
        """What stands in place of the figure when :attr:`nothing_shown`, on screen (which
        adds how to get a chart) and on a slide: why there is nothing to draw."""
        return _(
            "Every group here is under the minimum number of answers, so there is nothing to draw."
        )

    @property
    def name(self) -> str:
        """The short human name: ``label``, else the key in words."""
        return self.label or self.key.replace("_", " ").capitalize()


def file_name(dataset: str, what: str, ext: str, day: dt.date | None = None) -> str:
    """An export's file name: the product, the dataset, what it holds and the day it was made
    (``cxbench-demo-overview-2026-12-06.pptx``), so two exports of two datasets or two days do
    not overwrite each other in a downloads folder. Characters a file name should not hold
    (an upload's outlet code) become ``_``."""
    parts = (dataset, what, f"{day or dt.date.today():%Y-%m-%d}")
    named = [re.sub(r"[^A-Za-z0-9._-]+", "_", p) for p in parts if p]
    return "-".join(["cxbench", *named]) + f".{ext}"


def linked_pages(chart: Chart) -> pl.DataFrame:
    """``chart``'s table with its links into the app (:attr:`Chart.app_links`) written as the
    name of the page each opens, the part after ``#`` (a workbook showed
    "dealers?waves=2024Q3%2C2024Q4&brand=Altmark&…#Dealer scorecards", which it cannot open)."""
    column = chart.app_links
    if not column or column not in chart.table.columns:
        return chart.table
    return chart.table.with_columns(pl.col(column).str.extract(r"#([^#]+)$", 1))


def slide_subtitle(chart: Chart) -> str:
    """The subtitle under a slide's chart: a native chart's says what it draws in place of the
    marks only the screen's figure draws (:attr:`Chart.on_slides`; the slide said "ring: raw
    NPS" over bars without rings); an image of the figure keeps all of it."""
    if chart.native is None or not chart.on_slides:
        return chart.subtitle
    parts = (chart.on_slides.get(p, p) for p in chart.subtitle.split(" · "))
    return " · ".join(p for p in parts if p)


_BUILDING = threading.Lock()


def _figure(chart: Chart) -> Any:
    """``Chart.figure``: a :class:`Deferred` figure is built on first read, then kept (charts
    are cached and shared by sessions: built once, under a lock)."""
    value = chart.__dict__["_figure"]
    if isinstance(value, Deferred):
        with _BUILDING:
            value = chart.__dict__["_figure"]
            if isinstance(value, Deferred):
                value = chart.__dict__["_figure"] = value()
    return value


def deferred(chart: Chart) -> bool:
    """Whether the chart's figure is still :class:`Deferred` (not built: the screen does not
    draw it, and no export has asked for it yet)."""
    return isinstance(chart.__dict__["_figure"], Deferred)


def _set_figure(chart: Chart, value: Any) -> None:
    chart.__dict__["_figure"] = value


# the dataclass field ``figure`` read and written through the property (its __init__ assigns it)
Chart.figure = property(_figure, _set_figure)


@dataclass(frozen=True)
class Kpi:
    """A headline number for the KPI slide and the Excel summary sheet; ``help`` is what the
    tile's help says on screen (how the number is made).

    A tile that states a finding carries it as ``claims`` with the ``table`` they are checked
    against (:mod:`cx.claims.check`): its value is the first claim's figure as shown.
    """

    label: str
    value: str
    note: str = ""
    help: str = ""
    claims: tuple[Claim, ...] = ()
    table: pl.DataFrame | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Finding:
    """A finding stated outside a chart (the Overview's list, a deck's highlights): its claims
    and the table they are read from and checked against.

    Attributes:
        claims: what it says (:mod:`cx.claims`).
        table: the table the claims hold on, with human column names.
        label: what the table is ("NPS by industry").
    """

    claims: tuple[Claim, ...]
    table: pl.DataFrame = field(compare=False, repr=False)
    label: str = ""

    @property
    def text(self) -> str:
        """The finding in words: its claims as a sentence."""
        return _("{sentence}.").format(sentence=headline(self.claims))


@dataclass(frozen=True)
class SlideTable:
    """A table slide (e.g. the revenue model's assumptions with their sources); ``kicker`` is
    the small heading above the title."""

    title: str
    table: pl.DataFrame
    footnote: str = ""
    kicker: str = N_("ASSUMPTIONS")


@dataclass(frozen=True)
class DeckMeta:
    """What the title slide and the sources sheet say about the export (``source`` by default:
    :data:`EXPORT_SOURCE` in the language current when it is made)."""

    page: str
    filters: str
    dataset: str
    source: str = field(default_factory=lambda: _(EXPORT_SOURCE))
    highlights: tuple[str, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    tables: tuple[SlideTable, ...] = ()
    exported: str = field(default_factory=lambda: dt.date.today().isoformat())

    @property
    def scope(self) -> str:
        """The dataset and filters in one line (survey footnotes, the key-figures slide)."""
        return _("Dataset: {dataset}. Filters: {filters}.").format(
            dataset=self.dataset, filters=self.filters
        )


# --------------------------------------------------------------------------------------------
# Native-chart helpers (used by the reports)
# --------------------------------------------------------------------------------------------


def _values(series: pl.Series) -> list[Value]:
    return [None if v is None else float(v) for v in series.cast(pl.Float64).to_list()]


def _mask(table: pl.DataFrame, blank: str | None) -> list[bool]:
    if blank and blank in table.columns:
        return [bool(v) for v in table[blank].fill_null(False).to_list()]
    return [False] * table.height


def round_bounds(low: float, high: float, steps: int = 6) -> tuple[float, float]:
    """An axis from ``low`` to ``high`` widened to round steps (1, 2, 2.5 or 5 times a power of
    ten, about ``steps`` of them), as a native chart's value axis is set where PowerPoint's own
    scale would not do (whiskers beyond the values, bars from a tornado's base)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise ValueError(f"an axis needs finite bounds, not {low} and {high}")
    low, high = min(low, high), max(low, high)
    raw = (high - low) / steps or (abs(high) or 1.0) / steps  # equal bounds: an axis around them
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 2.5, 5, 10) if f * magnitude >= raw)
    bottom, top = math.floor(low / step) * step, math.ceil(high / step) * step
    if top == bottom:
        bottom, top = bottom - step, top + step
    return round(bottom, 12), round(top, 12)  # no float noise on the axis (0.6000000000000001)


def native_columns(
    table: pl.DataFrame,
    category: str,
    columns: Sequence[tuple[str, str]],
    type: NativeType,
    *,
    blank: str | None = "suppressed",
    interval: tuple[str, str] | None = None,
    **options: Any,
) -> Native:
    """A native chart from a wide table: one category column, one series per value column.

    Rows flagged in ``blank`` (suppressed groups) keep their category but get empty values, so a
    deck never shows a number the dashboard suppresses. ``interval`` names the low and high
    columns of the (single) series' interval, drawn as error bars.
    """
    mask = _mask(table, blank)
    series = []
    for name, col in columns:
        vals = _values(table[col])
        series.append((name, [None if m else v for v, m in zip(vals, mask, strict=True)]))
    errors = None
    if interval is not None:
        values = series[0][1]
        lows, highs = _values(table[interval[0]]), _values(table[interval[1]])
        errors = [
            (
                [None if v is None or lo is None else v - lo for v, lo in zip(values, lows, strict=True)],
                [None if v is None or hi is None else hi - v for v, hi in zip(values, highs, strict=True)],
            )
        ]  # fmt: skip
    return Native(
        type, [str(c) for c in table[category].to_list()], series, errors=errors, **options
    )


def native_pivot(
    long: pl.DataFrame,
    category: str,
    series: str,
    value: str,
    type: NativeType,
    *,
    category_order: Sequence[str] | None = None,
    series_order: Sequence[str] | None = None,
    series_names: Sequence[str] | None = None,
    blank: str | None = "suppressed",
    interval: tuple[str, str] | None = None,
    **options: Any,
) -> Native:
    """A native chart from a long table: categories x series, values from ``value``.

    ``series_names`` are the legend names of ``series_order`` (display names of codes);
    ``interval`` the low and high columns, drawn as error bars on every series.
    """
    cats = list(category_order or dict.fromkeys(str(c) for c in long[category].to_list()))
    keys = list(series_order or dict.fromkeys(str(s) for s in long[series].to_list()))
    names = list(series_names or keys)
    cell: dict[tuple[str, str], tuple[Value, Value, Value]] = {}
    for row in long.iter_rows(named=True):
        if blank and row.get(blank):
            continue
        v = row[value]
        lo = row[interval[0]] if interval else None
        hi = row[interval[1]] if interval else None
        cell[(str(row[category]), str(row[series]))] = (
            None if v is None else float(v),
            None if lo is None else float(lo),
            None if hi is None else float(hi),
        )
    empty: tuple[Value, Value, Value] = (None, None, None)
    out_series = [
        (name, [cell.get((c, key), empty)[0] for c in cats])
        for key, name in zip(keys, names, strict=True)
    ]
    errors = None
    if interval is not None:
        errors = []
        for key in keys:
            minus: list[Value] = []
            plus: list[Value] = []
            for c in cats:
                v, lo, hi = cell.get((c, key), empty)
                minus.append(None if v is None or lo is None else v - lo)
                plus.append(None if v is None or hi is None else hi - v)
            errors.append((minus, plus))
    return Native(type, cats, out_series, errors=errors, **options)
