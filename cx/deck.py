"""Exports for decks: chart images (kaleido + system Chromium), PowerPoint with native charts
(python-pptx) and Excel workbooks (xlsxwriter). No Streamlit here: the app and the command line
call the same functions with the same :class:`Chart` objects, so both export the same numbers.
"""

from __future__ import annotations

import atexit
import datetime as dt
import io
import os
import shutil
import threading
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import polars as pl

from cx.export import FORMULA_PREFIXES, neutralise_formulas

Kind = Literal["survey", "published", "model"]
NativeType = Literal[
    "bar", "column", "clustered_bar", "clustered_column", "stacked_bar", "line", "scatter"
]

#: What a chart's provenance badge says, on screen and in every export.
KIND_LABELS: dict[str, str] = {
    "survey": "Survey sample",
    "published": "Published figure",
    "model": "Model estimate",
}

#: Slide and image geometry (16:9).
SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
IMAGE_SIZES: dict[str, tuple[int, int]] = {
    "16:9": (1600, 900),
    "chart": (1000, 600),
    "slide": (1120, 630),  # drawn small and scaled 3x, so text stays legible on a slide
}

Value = float | None

#: What every export says about where its numbers come from.
EXPORT_SOURCE = (
    "Survey-sample numbers come from the dataset named above (the embedded demo is synthetic "
    "survey data with fictional brands, calibrated to published figures). Published figures are "
    "labelled as such, with publisher and year. Model estimates come from the revenue-at-risk "
    "model and its named inputs."
)


@dataclass
class Native:
    """The data of a chart in a form PowerPoint can draw natively (and users can edit).

    ``categories`` label the points; each series is ``(name, values)`` aligned with them. For
    ``scatter`` the first series holds x and the second y, and categories label the points.
    ``colours`` optionally gives one colour per point of a single-series chart (significance
    colours), ``series_colours`` one per series.
    """

    type: NativeType
    categories: list[str]
    series: list[tuple[str, list[Value]]]
    value_title: str = ""
    number_format: str = "0"
    colours: list[str] | None = None
    series_colours: list[str] | None = None
    x_title: str = ""


@dataclass
class Chart:
    """A chart with what a deck needs: finding, footnote, data, provenance and native form."""

    key: str
    title: str
    subtitle: str
    figure: Any
    table: pl.DataFrame
    kind: Kind = "survey"
    notes: list[str] = field(default_factory=list)
    native: Native | None = None
    #: the on-screen version of ``figure`` (set once by the app, which caches charts)
    screen: Any = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class DeckMeta:
    """What the title slide and the sources sheet say about the export."""

    page: str
    filters: str
    dataset: str
    source: str
    highlights: tuple[str, ...] = ()
    exported: str = field(default_factory=lambda: dt.date.today().isoformat())


class ImageExportError(RuntimeError):
    """Server-side image export cannot run here (no Chromium); the message says why."""


# --------------------------------------------------------------------------------------------
# Native-chart helpers (used by the page chart builders)
# --------------------------------------------------------------------------------------------


def _values(series: pl.Series) -> list[Value]:
    return [None if v is None else float(v) for v in series.cast(pl.Float64).to_list()]


def native_columns(
    table: pl.DataFrame,
    category: str,
    columns: Sequence[tuple[str, str]],
    type: NativeType,
    *,
    blank: str | None = "suppressed",
    **options: Any,
) -> Native:
    """A native chart from a wide table: one category column, one series per value column.

    Rows flagged in ``blank`` (suppressed groups) keep their category but get empty values, so a
    deck never shows a number the dashboard suppresses.
    """
    mask = (
        table[blank].fill_null(False).to_list()
        if blank and blank in table.columns
        else [False] * table.height
    )
    series = []
    for name, col in columns:
        vals = _values(table[col])
        series.append((name, [None if m else v for v, m in zip(vals, mask, strict=True)]))
    return Native(type, [str(c) for c in table[category].to_list()], series, **options)


def native_pivot(
    long: pl.DataFrame,
    category: str,
    series: str,
    value: str,
    type: NativeType,
    *,
    category_order: Sequence[str] | None = None,
    series_order: Sequence[str] | None = None,
    blank: str | None = "suppressed",
    **options: Any,
) -> Native:
    """A native chart from a long table: categories x series, values from ``value``."""
    cats = list(category_order or dict.fromkeys(str(c) for c in long[category].to_list()))
    names = list(series_order or dict.fromkeys(str(s) for s in long[series].to_list()))
    cell: dict[tuple[str, str], Value] = {}
    for row in long.iter_rows(named=True):
        v = row[value]
        if blank and row.get(blank):
            v = None
        cell[(str(row[category]), str(row[series]))] = None if v is None else float(v)
    return Native(
        type,
        cats,
        [(name, [cell.get((c, name)) for c in cats]) for name in names],
        **options,
    )


# --------------------------------------------------------------------------------------------
# Images (kaleido driving the system Chromium)
# --------------------------------------------------------------------------------------------

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_server_lock = threading.Lock()
_server_started = False


def chromium_path() -> str | None:
    """The browser kaleido should drive: ``CX_CHROMIUM``, else Debian ``chromium`` on PATH."""
    explicit = os.environ.get("CX_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def image_export_status() -> str | None:
    """None when PNG/SVG export works here, else a one-line reason for the user."""
    if os.environ.get("CX_IMAGE_EXPORT") == "off":
        return "Server-side image export is turned off on this server (CX_IMAGE_EXPORT=off)."
    if chromium_path() is None:
        return (
            "Server-side image export needs Chromium (Debian package 'chromium', or set "
            "CX_CHROMIUM); use the chart toolbar's camera icon instead."
        )
    try:
        import kaleido  # noqa: F401
    except ImportError:
        return "Server-side image export needs the 'kaleido' package."
    return None


def _ensure_server() -> None:
    """Start kaleido's persistent browser once per process (about 0.2 s per image after)."""
    global _server_started
    with _server_lock:
        if _server_started:
            return
        reason = image_export_status()
        if reason:
            raise ImageExportError(reason)
        import kaleido

        os.environ["BROWSER_PATH"] = chromium_path() or ""
        kaleido.start_sync_server(silence_warnings=True)
        atexit.register(kaleido.stop_sync_server, silence_warnings=True)
        _server_started = True


def figure_image(
    figure: Any, fmt: Literal["png", "svg"] = "png", size: str = "16:9", scale: float = 2.0
) -> bytes:
    """Render a Plotly figure to PNG (``scale``x pixels) or SVG at a named size."""
    import plotly.io as pio

    width, height = IMAGE_SIZES.get(size, IMAGE_SIZES["16:9"])
    _ensure_server()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "kopts ignored when using a server"
        try:
            data: bytes = pio.to_image(
                figure,
                format=fmt,
                width=width,
                height=height,
                scale=scale if fmt == "png" else 1,
            )
        except Exception as exc:  # kaleido/choreographer raise many types; report one line
            raise ImageExportError(f"Image export failed: {str(exc).splitlines()[0]}") from exc
    return data


def _print_figure(figure: Any) -> Any:
    """A copy of ``figure`` for export: white background, title kept, room for it."""
    import plotly.graph_objects as go

    fig = go.Figure(figure)
    fig.update_layout(paper_bgcolor="white", plot_bgcolor="white")
    return fig


# --------------------------------------------------------------------------------------------
# PowerPoint
# --------------------------------------------------------------------------------------------

INK = "1B1F24"
MUTED = "5F6B7A"
KIND_COLOURS = {"survey": "0072B2", "published": "A24F84", "model": "B35806"}


def _rgb(hex_colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(hex_colour.lstrip("#")[:6].upper())


def _text(
    slide: Any,
    text: str,
    left: float,
    top: float,
    width: float,
    height: float,
    size: int,
    *,
    bold: bool = False,
    colour: str = INK,
) -> Any:
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    first = True
    for line in text.split("\n"):
        para = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        run = para.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)
    return box


def _chart_type(native: Native) -> Any:
    from pptx.enum.chart import XL_CHART_TYPE

    return {
        "bar": XL_CHART_TYPE.BAR_CLUSTERED,
        "clustered_bar": XL_CHART_TYPE.BAR_CLUSTERED,
        "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
        "clustered_column": XL_CHART_TYPE.COLUMN_CLUSTERED,
        "stacked_bar": XL_CHART_TYPE.BAR_STACKED,
        "line": XL_CHART_TYPE.LINE_MARKERS,
        "scatter": XL_CHART_TYPE.XY_SCATTER,
    }[native.type]


def _add_native(slide: Any, native: Native, box: tuple[float, float, float, float]) -> Any:
    """Add ``native`` as an editable PowerPoint chart inside ``box`` (inches)."""
    from pptx.chart.data import CategoryChartData, XyChartData
    from pptx.enum.chart import (
        XL_AXIS_CROSSES,
        XL_LABEL_POSITION,
        XL_LEGEND_POSITION,
        XL_MARKER_STYLE,
        XL_TICK_LABEL_POSITION,
    )
    from pptx.util import Inches, Pt

    left, top, width, height = box
    if native.type == "scatter":
        data: Any = XyChartData()
        xs, ys = native.series[0][1], native.series[1][1]
        s = data.add_series(f"{native.series[1][0]} vs {native.series[0][0]}")
        for x, y in zip(xs, ys, strict=True):
            if x is not None and y is not None:
                s.add_data_point(x, y)
    else:
        data = CategoryChartData(number_format=native.number_format)
        data.categories = native.categories
        for name, values in native.series:
            data.add_series(name, values)
    frame = slide.shapes.add_chart(
        _chart_type(native), Inches(left), Inches(top), Inches(width), Inches(height), data
    )
    chart = frame.chart
    chart.has_title = False  # the slide title carries the finding
    small = len(native.categories) > 14
    chart.font.size = Pt(9 if small else 11)
    chart.font.color.rgb = _rgb(INK)
    multi = len(native.series) > 1 and native.type != "scatter"
    chart.has_legend = multi
    if multi:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    plot = chart.plots[0]
    if native.type in ("bar", "clustered_bar", "stacked_bar", "column", "clustered_column"):
        plot.gap_width = 60
        if native.type == "stacked_bar":
            plot.overlap = 100
    if native.type != "scatter":
        # labels beside the plot area, so they never sit on bars that go below zero
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        chart.category_axis.tick_labels.font.size = Pt(9 if small else 11)
    if native.type in ("bar", "clustered_bar", "stacked_bar"):
        # PowerPoint draws the first category at the bottom; keep the dashboard's top-down order
        chart.category_axis.reverse_order = True
        chart.category_axis.crosses = XL_AXIS_CROSSES.MAXIMUM  # value axis stays at the bottom
    if native.type == "stacked_bar":
        chart.value_axis.maximum_scale = 100
        chart.value_axis.minimum_scale = 0
    palette = native.series_colours or [
        "0072B2",
        "E69F00",
        "009E73",
        "CC79A7",
        "56B4E9",
        "D55E00",
        "8C959F",
    ]
    for i, series in enumerate(plot.series):
        colour = palette[i % len(palette)]
        if native.type in ("line", "scatter"):
            if native.type == "scatter":
                series.format.line.fill.background()  # points only, no connecting line
                series.marker.size = 9
            else:
                series.format.line.color.rgb = _rgb(colour)
                series.format.line.width = Pt(2.25)
            series.marker.style = XL_MARKER_STYLE.CIRCLE
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = _rgb(colour)
            series.marker.format.line.fill.background()
            series.smooth = False
        else:
            series.format.fill.solid()
            series.format.fill.fore_color.rgb = _rgb(colour)
    if native.colours and native.type in ("bar", "column") and len(plot.series) == 1:
        for idx, colour in enumerate(native.colours):
            point = plot.series[0].points[idx]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(colour)
    if native.type == "scatter":
        shown = [
            c
            for c, x, y in zip(
                native.categories, native.series[0][1], native.series[1][1], strict=True
            )
            if x is not None and y is not None
        ]
        for idx, name in enumerate(shown):
            label = plot.series[0].points[idx].data_label
            label.position = XL_LABEL_POSITION.RIGHT
            label.text_frame.text = name
            label.text_frame.paragraphs[0].runs[0].font.size = Pt(10)
    elif native.type != "line":
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.font.size = Pt(10)
        labels.number_format = native.number_format
        labels.number_format_is_linked = False
        if native.type in ("bar", "column", "clustered_bar", "clustered_column"):
            labels.position = XL_LABEL_POSITION.OUTSIDE_END
        else:
            labels.position = XL_LABEL_POSITION.CENTER
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb("E5E8EC")
    value_axis.tick_labels.font.size = Pt(10)
    if native.value_title:
        value_axis.has_title = True
        value_axis.axis_title.text_frame.text = native.value_title
        value_axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(10)
    if native.type == "scatter" and native.x_title:
        chart.category_axis.has_title = True
        chart.category_axis.axis_title.text_frame.text = native.x_title
        chart.category_axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(10)
    return frame


def footnote(chart: Chart, meta: DeckMeta) -> str:
    """The slide footnote: provenance, n and source (the chart's subtitle), and notes."""
    label = KIND_LABELS[chart.kind]
    first = label.split()[0].lower()
    parts = [
        chart.subtitle
        if chart.subtitle.lower().startswith(first)
        else f"{label} · {chart.subtitle}"
    ]
    parts.extend(chart.notes)
    if chart.kind == "survey":
        parts.append(f"Dataset: {meta.dataset}. Filters: {meta.filters}.")
    return "\n".join(parts)


def pptx_deck(charts: Sequence[Chart], meta: DeckMeta) -> bytes:
    """A 16:9 deck: a title slide, then one slide per chart (native where PowerPoint can)."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    blank = prs.slide_layouts[6]

    slide = prs.slides.add_slide(blank)
    _text(slide, "cxbench", 0.8, 0.6, 6, 0.5, 14, bold=True, colour="0B6E99")
    _text(slide, meta.page, 0.8, 2.2, 11.5, 1.2, 40, bold=True)
    _text(
        slide,
        f"Dataset: {meta.dataset}\nFilters: {meta.filters}\nExported {meta.exported}",
        0.8,
        3.6,
        11.5,
        1.6,
        16,
        colour=MUTED,
    )
    if meta.highlights:
        _text(slide, "Findings", 0.8, 4.9, 11.5, 0.4, 14, bold=True)
        findings = "\n".join(f"{i}. {h}" for i, h in enumerate(meta.highlights, start=1))
        _text(slide, findings, 0.8, 5.3, 11.7, 1.0, 12)
    _text(slide, meta.source, 0.8, 6.5, 11.7, 0.8, 10, colour=MUTED)

    for chart in charts:
        slide = prs.slides.add_slide(blank)
        _text(slide, KIND_LABELS[chart.kind].upper(), 0.6, 0.3, 6, 0.35, 10, bold=True,
              colour=KIND_COLOURS[chart.kind])  # fmt: skip
        _text(slide, chart.title, 0.6, 0.6, 12.1, 1.0, 22, bold=True)
        box = (0.6, 1.65, 12.1, 4.75)
        if chart.native is not None:
            _add_native(slide, chart.native, box)
        else:
            png = figure_image(_untitled(chart.figure), "png", "slide", 3.0)
            pic_h = box[3]
            pic_w = pic_h * 16 / 9
            slide.shapes.add_picture(
                io.BytesIO(png),
                Inches(box[0] + (box[2] - pic_w) / 2),
                Inches(box[1]),
                Inches(pic_w),
                Inches(pic_h),
            )
        _text(slide, footnote(chart, meta), 0.6, 6.5, 12.1, 0.9, 9, colour=MUTED)
        slide.notes_slide.notes_text_frame.text = f"{chart.title}\n{chart.subtitle}\nData: {chart.table.height} rows; see the Excel export."
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _untitled(figure: Any) -> Any:
    """The figure without its own title (the slide carries it), on white."""
    fig = _print_figure(figure)
    fig.update_layout(title=None, margin={"t": 20})
    return fig


def titled_image(chart: Chart, fmt: Literal["png", "svg"], size: str = "16:9") -> bytes:
    """A stand-alone image of a chart: finding as title, n/source as subtitle, white ground."""
    return figure_image(_print_figure(chart.figure), fmt, size, 2.0)


# --------------------------------------------------------------------------------------------
# Excel
# --------------------------------------------------------------------------------------------


def _sheet_name(key: str, used: set[str]) -> str:
    base = "".join(ch for ch in key if ch not in "[]:*?/\\")[:28] or "chart"
    name, i = base, 2
    while name.lower() in used:
        name = f"{base[:26]}_{i}"
        i += 1
    used.add(name.lower())
    return name


def xlsx_workbook(charts: Sequence[Chart], meta: DeckMeta) -> bytes:
    """One sheet per chart table plus an 'About' sheet with filters, provenance and sources.

    Text cells are always written as text (never formulas or links), and text that a
    spreadsheet would run as a formula is prefixed with an apostrophe, as in the CSV export.
    """
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out,
        {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "bg_color": "#E8EDF2", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    about = book.add_worksheet("About")
    rows: list[tuple[str, str]] = [
        ("Page", meta.page),
        ("Dataset", meta.dataset),
        ("Filters", meta.filters),
        ("Exported", meta.exported),
        ("Source", meta.source),
        ("", ""),
    ]
    about.set_column(0, 0, 26)
    about.set_column(1, 1, 60)
    about.set_column(2, 3, 18)
    about.set_column(4, 4, 80)
    r = 0
    for label, value in rows:
        about.write_string(r, 0, label, bold)
        about.write_string(r, 1, _cell_text(value), wrap)
        r += 1
    for c, label in enumerate(["Sheet", "Chart finding", "Provenance", "Rows", "Footnote"]):
        about.write_string(r, c, label, head)
    r += 1
    used: set[str] = {"about"}
    for chart in charts:
        name = _sheet_name(chart.key, used)
        about.write_string(r, 0, name)
        about.write_string(r, 1, _cell_text(chart.title), wrap)
        about.write_string(r, 2, KIND_LABELS[chart.kind])
        about.write_number(r, 3, chart.table.height)
        about.write_string(r, 4, _cell_text(footnote(chart, meta)), wrap)
        r += 1
        sheet = book.add_worksheet(name)
        table = neutralise_formulas(chart.table)
        for c, col in enumerate(table.columns):
            sheet.write_string(0, c, col, head)
            sheet.set_column(c, c, max(10, min(40, len(col) + 2)))
        for i, row in enumerate(table.iter_rows(), start=1):
            for c, value in enumerate(row):
                _write(sheet, i, c, value)
        sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def _cell_text(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _write(sheet: Any, row: int, col: int, value: Any) -> None:
    if value is None:
        sheet.write_blank(row, col, None)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, int | float):
        if isinstance(value, float) and value != value:  # NaN
            sheet.write_blank(row, col, None)
        else:
            sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))
