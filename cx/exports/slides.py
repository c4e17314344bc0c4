"""PowerPoint decks with native, editable charts (python-pptx).

A deck is a title slide (page, dataset, filters, findings), a KPI slide when the page has
headline numbers, one slide per chart (the finding as title, n/source/provenance as footnote)
and a slide per table (e.g. the revenue model's assumptions with their sources).

Native charts carry the intervals the footnotes mention as error bars; the data workbook
embedded in each chart is written with text as text (never formulas) and labels pass the one
formula neutraliser, like every other export.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from contextlib import contextmanager
from typing import Any

from lxml import etree
from pptx.chart.data import CategoryChartData, XyChartData
from pptx.chart.xlsx import CategoryWorkbookWriter, XyWorkbookWriter
from xlsxwriter import Workbook

from cx.charts import theme
from cx.core import display
from cx.core.i18n import _
from cx.exports.chart import (
    Chart,
    DeckMeta,
    Kpi,
    Native,
    SlideTable,
    round_bounds,
    slide_subtitle,
)
from cx.exports.images import IMAGE_SIZES, slide_image
from cx.exports.safety import cell_text
from cx.exports.textfit import _LINE_EM, KPI_LABEL_SIZE, kpi_tiles, title_lines

SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5
#: A chart slide: the title's box (left, top, width, inches), the sizes it may take (points,
#: largest first), the chart's box under it (left, top, width, height) and the footnote's top.
TITLE_BOX = (0.6, 0.6, 12.1)
TITLE_SIZES = (22, 19, 16)
CHART_BOX = (0.6, 1.65, 12.1, 4.75)
FOOTNOTE_TOP = 6.5
_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


# --------------------------------------------------------------------------------------------
# Embedded chart workbooks: text stays text
# --------------------------------------------------------------------------------------------


@contextmanager
def _text_only_worksheet(xlsx_file: Any) -> Any:
    workbook = Workbook(
        xlsx_file,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    worksheet = workbook.add_worksheet()
    yield workbook, worksheet
    workbook.close()


class _CategoryWriter(CategoryWorkbookWriter):
    def _open_worksheet(self, xlsx_file: Any) -> Any:
        return _text_only_worksheet(xlsx_file)


class _XyWriter(XyWorkbookWriter):
    def _open_worksheet(self, xlsx_file: Any) -> Any:
        return _text_only_worksheet(xlsx_file)


class _CategoryData(CategoryChartData):
    @property
    def _workbook_writer(self) -> Any:
        return _CategoryWriter(self)


class _XyData(XyChartData):
    @property
    def _workbook_writer(self) -> Any:
        return _XyWriter(self)


# --------------------------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------------------------


def _hex(colour: str) -> str:
    """A theme colour as DrawingML writes it (``RRGGBB``)."""
    return colour.lstrip("#")[:6].upper()


def _rgb(colour: str) -> Any:
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(_hex(colour))


def _faces(font: Any) -> Any:
    """Name the deck's Latin and East Asian faces on a run's (or a chart's) character
    properties, so text in Chinese is set in a face that has its glyphs in PowerPoint and
    LibreOffice alike (:data:`cx.charts.theme.DECK_EAST_ASIAN_FONT`); returns ``font``."""
    font.name = theme.DECK_LATIN_FONT
    props = font._rPr  # python-pptx sets a:latin only; a:ea follows it in schema order
    for old in props.findall(f"{{{_A}}}ea"):
        props.remove(old)
    east_asian = etree.Element(f"{{{_A}}}ea")
    east_asian.set("typeface", theme.DECK_EAST_ASIAN_FONT)
    props.find(f"{{{_A}}}latin").addnext(east_asian)
    return font


def _runs_faces(frame: Any) -> None:
    """:func:`_faces` on every run of a text frame (table cells, labels, axis titles)."""
    for para in frame.paragraphs:
        for run in para.runs:
            _faces(run.font)


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
    colour: str = theme.INK,
) -> Any:
    from pptx.util import Inches, Pt

    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = para.add_run()
        run.text = line
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _rgb(colour)
        _faces(run.font)
    return box


def _chart_type(native: Native) -> Any:
    from pptx.enum.chart import XL_CHART_TYPE

    return {
        "bar": XL_CHART_TYPE.BAR_CLUSTERED,
        "clustered_bar": XL_CHART_TYPE.BAR_CLUSTERED,
        "column": XL_CHART_TYPE.COLUMN_CLUSTERED,
        "clustered_column": XL_CHART_TYPE.COLUMN_CLUSTERED,
        "stacked_bar": XL_CHART_TYPE.BAR_STACKED,
        "waterfall": XL_CHART_TYPE.COLUMN_STACKED,  # bars on invisible feet, labels on top
        "line": XL_CHART_TYPE.LINE_MARKERS,
        "scatter": XL_CHART_TYPE.XY_SCATTER,
    }[native.type]


def _num_lit(values: Sequence[float | None]) -> Any:
    lit = etree.Element(f"{{{_C}}}numLit")
    etree.SubElement(lit, f"{{{_C}}}formatCode").text = "General"
    etree.SubElement(lit, f"{{{_C}}}ptCount").set("val", str(len(values)))
    for i, v in enumerate(values):
        pt = etree.SubElement(lit, f"{{{_C}}}pt")
        pt.set("idx", str(i))
        etree.SubElement(pt, f"{{{_C}}}v").text = repr(float(v or 0.0))
    return lit


def _add_error_bars(
    series: Any, minus: Sequence[float | None], plus: Sequence[float | None], x: bool = False
) -> None:
    """Custom error bars (the interval around each value) on a bar, line or (``x``) an XY
    series' x values."""
    ser = series._element
    bars = etree.Element(f"{{{_C}}}errBars")
    if x:
        etree.SubElement(bars, f"{{{_C}}}errDir").set("val", "x")
    etree.SubElement(bars, f"{{{_C}}}errBarType").set("val", "both")
    etree.SubElement(bars, f"{{{_C}}}errValType").set("val", "cust")
    etree.SubElement(bars, f"{{{_C}}}noEndCap").set("val", "0")
    etree.SubElement(bars, f"{{{_C}}}plus").append(_num_lit(plus))
    etree.SubElement(bars, f"{{{_C}}}minus").append(_num_lit(minus))
    sp = etree.SubElement(bars, f"{{{_C}}}spPr")
    ln = etree.SubElement(sp, f"{{{_A}}}ln")
    ln.set("w", "12700")
    fill = etree.SubElement(ln, f"{{{_A}}}solidFill")
    etree.SubElement(fill, f"{{{_A}}}srgbClr").set("val", _hex(theme.WHISKER))
    # schema order: errBars comes before cat/val or xVal/yVal (and after dLbls/trendline)
    anchor = None
    for name in ("cat", "val", "xVal", "yVal"):
        anchor = ser.find(f"{{{_C}}}{name}")
        if anchor is not None:
            break
    if anchor is not None:
        anchor.addprevious(bars)
    else:
        ser.append(bars)


def _show_every_label(axis: Any) -> None:
    """Every category label is drawn (LibreOffice and PowerPoint skip some when crowded)."""
    ax = axis._element
    for old in ax.findall(f"{{{_C}}}tickLblSkip"):
        ax.remove(old)
    skip = etree.SubElement(ax, f"{{{_C}}}tickLblSkip")
    skip.set("val", "1")
    # schema order: tickLblSkip follows lblOffset / lblAlgn / auto / crosses elements
    for name in ("tickMarkSkip", "noMultiLvlLbl", "extLst"):
        later = ax.find(f"{{{_C}}}{name}")
        if later is not None:
            later.addprevious(skip)
            break


def _chart_data(native: Native, categories: list[str]) -> tuple[Any, Any]:
    """The chart data (text as text) and, for XY charts, the x error bars of the kept points."""
    if native.type != "scatter":
        data = _CategoryData(number_format=native.number_format)
        data.categories = categories
        if native.type == "waterfall":  # feet, bars, and a series of nothing to carry labels
            data.add_series(cell_text(_("Bar starts at")), native.feet or [0.0] * len(categories))
        for name, values in native.series:
            data.add_series(cell_text(name), values)
        if native.type == "waterfall":
            data.add_series("  ", [0.0] * len(categories))
        return data, None
    xy = _XyData()
    xs, ys = native.series[0][1], native.series[1][1]
    s = xy.add_series(
        cell_text(_("{y} vs {x}").format(y=native.series[1][0], x=native.series[0][0]))
    )
    kept = [
        i for i, (x, y) in enumerate(zip(xs, ys, strict=True)) if x is not None and y is not None
    ]
    for i in kept:
        s.add_data_point(xs[i], ys[i])
    # dotted lines after the points (LibreOffice draws no line of a series before them), pale
    # and thin: a point's marker shows through
    for x0, y0, x1, y1 in native.guides or ():
        guide = xy.add_series(" ")
        guide.add_data_point(x0, y0)
        guide.add_data_point(x1, y1)
    errors = None
    if native.errors:
        minus, plus = native.errors[0]
        errors = ([minus[i] for i in kept], [plus[i] for i in kept])
    return xy, errors


def whisker_reach(native: Native) -> tuple[float, float] | None:
    """The value axis of a chart with error bars, from the lowest whisker end (or zero) to the
    highest, on round steps; None without error bars (or on an XY chart). PowerPoint scales its
    axis to the values alone, and cut the dealers' quartile whiskers off at -15 and +10 (the
    footnote said the whiskers were the quartiles)."""
    if not native.errors or native.type == "scatter":
        return None
    ends = [0.0]
    for (_name, values), (minus, plus) in zip(native.series, native.errors, strict=False):
        for v, m, p in zip(values, minus, plus, strict=False):
            if isinstance(v, int | float):
                ends += [float(v) - float(m or 0.0), float(v) + float(p or 0.0)]
    low, high = min(ends), max(ends)
    if high - low <= 0:
        return None
    return round_bounds(low, high)


def _label_size(count: int, height_in: float) -> int:
    """A category-label font size (pt) at which every label fits the plot's height (renderers
    hide labels that would overlap, so crowded charts get smaller type)."""
    available = height_in * 72 * 0.72  # the plot area, legend and axis title taken off
    return max(6, min(11, int(available / max(count, 1) / 1.3)))


def _axes(chart: Any, native: Native, crowded: bool, label_size: int = 11) -> None:
    """Category labels (all of them, beside the plot), bar order, value range and titles."""
    from pptx.enum.chart import XL_AXIS_CROSSES, XL_TICK_LABEL_POSITION
    from pptx.util import Pt

    if native.type != "scatter":
        # labels beside the plot area, so they never sit on bars that go below zero
        chart.category_axis.tick_label_position = XL_TICK_LABEL_POSITION.LOW
        _faces(chart.category_axis.tick_labels.font).size = Pt(label_size)
        _show_every_label(chart.category_axis)
    if native.type in ("bar", "clustered_bar", "stacked_bar"):
        # PowerPoint draws the first category at the bottom; keep the dashboard's top-down order
        chart.category_axis.reverse_order = True
        chart.category_axis.crosses = XL_AXIS_CROSSES.MAXIMUM  # value axis stays at the bottom
    if native.type == "stacked_bar":
        chart.value_axis.maximum_scale = 100
        chart.value_axis.minimum_scale = 0
    if native.value_range is not None:
        chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = native.value_range
    elif (reach := whisker_reach(native)) is not None:
        chart.value_axis.minimum_scale, chart.value_axis.maximum_scale = reach
    if native.type == "scatter" and native.x_range is not None:  # the screen's x range
        chart.category_axis.minimum_scale, chart.category_axis.maximum_scale = native.x_range
        chart.category_axis.tick_labels.number_format = native.number_format
        chart.category_axis.tick_labels.number_format_is_linked = False
    if native.crosses_at is not None:  # bars start here (a tornado's base), not at zero
        chart.value_axis.crosses_at = native.crosses_at
    value_axis = chart.value_axis
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = _rgb(theme.GRID)
    _faces(value_axis.tick_labels.font).size = Pt(10)
    value_axis.tick_labels.number_format = native.number_format
    value_axis.tick_labels.number_format_is_linked = False
    for axis, title in (
        (value_axis, native.value_title),
        (chart.category_axis, native.x_title if native.type == "scatter" else ""),
    ):
        if title:
            axis.has_title = True
            axis.axis_title.text_frame.text = title
            axis.axis_title.text_frame.paragraphs[0].runs[0].font.size = Pt(10)
            _runs_faces(axis.axis_title.text_frame)


def _series_style(plot: Any, native: Native, scatter_errors: Any) -> None:
    """Colours per series (and per point), markers, and the intervals as error bars."""
    from pptx.enum.chart import XL_MARKER_STYLE
    from pptx.enum.dml import MSO_LINE_DASH_STYLE
    from pptx.util import Pt

    palette = native.series_colours or list(theme.SERIES)
    if native.type == "waterfall":
        _waterfall_style(plot, native)
        return
    for i, series in enumerate(plot.series):
        colour = palette[i % len(palette)]
        if native.type == "scatter" and i > 0:  # a guide (after the points): a dotted line
            series.format.line.color.rgb = _rgb(theme.GUIDE)
            series.format.line.dash_style = MSO_LINE_DASH_STYLE.ROUND_DOT
            series.format.line.width = Pt(1.25)
            series.marker.style = XL_MARKER_STYLE.NONE
            series.smooth = False
            continue
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
        if scatter_errors is not None:
            _add_error_bars(series, scatter_errors[0], scatter_errors[1], x=True)
        elif native.errors is not None and i < len(native.errors):
            _add_error_bars(series, *native.errors[i])
    if native.colours and native.type in ("bar", "column") and len(plot.series) == 1:
        for idx, colour in enumerate(native.colours):
            point = plot.series[0].points[idx]
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = _rgb(colour)


def _waterfall_style(plot: Any, native: Native) -> None:
    """A waterfall's feet and label carrier drawn as nothing; its bars in their colours (or the
    first series colour), each labelled above with its text as the screen writes it."""
    from pptx.enum.chart import XL_LABEL_POSITION
    from pptx.util import Pt

    feet, bars, tops = plot.series
    for hidden in (feet, tops):
        hidden.format.fill.background()
        hidden.format.line.fill.background()
    colours = native.colours or [theme.SERIES[0]] * len(native.categories)
    for idx, colour in enumerate(colours):
        point = bars.points[idx]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colour)
    for idx, text in enumerate(native.texts or []):
        label = tops.points[idx].data_label
        label.position = XL_LABEL_POSITION.INSIDE_BASE  # on a bar of nothing: over the bar
        label.text_frame.text = text
        _faces(label.text_frame.paragraphs[0].runs[0].font).size = Pt(10)


def _data_labels(plot: Any, native: Native, categories: list[str], crowded: bool) -> None:
    """Point names on scatter charts, values on bars (inside the base when whiskers are drawn)."""
    from pptx.enum.chart import XL_LABEL_POSITION
    from pptx.util import Pt

    if native.type == "scatter":
        where = {
            "top center": XL_LABEL_POSITION.ABOVE, "bottom center": XL_LABEL_POSITION.BELOW,
            "middle right": XL_LABEL_POSITION.RIGHT, "middle left": XL_LABEL_POSITION.LEFT,
        }  # fmt: skip
        sides = native.sides or ["middle right"] * len(categories)
        shown = [
            (c, side)
            for c, x, y, side in zip(
                categories, native.series[0][1], native.series[1][1], sides, strict=True
            )
            if x is not None and y is not None
        ]
        for idx, (name, side) in enumerate(shown):
            label = plot.series[0].points[idx].data_label
            label.position = where[side]
            label.text_frame.text = name
            label.text_frame.paragraphs[0].runs[0].font.size = Pt(10)
            _runs_faces(label.text_frame)
        return
    if native.type in ("line", "waterfall") or not native.value_labels:
        return
    plot.has_data_labels = True
    labels = plot.data_labels
    _faces(labels.font).size = Pt(9 if crowded else 10)
    labels.number_format = native.number_format
    labels.number_format_is_linked = False
    inside = native.errors is not None or native.type == "stacked_bar"
    if native.type in ("bar", "column", "clustered_bar", "clustered_column"):
        labels.position = (
            XL_LABEL_POSITION.INSIDE_BASE if native.errors else XL_LABEL_POSITION.OUTSIDE_END
        )
    else:
        labels.position = XL_LABEL_POSITION.CENTER
    if inside:  # labels on the bar: white on dark colours, ink on light ones
        palette = native.series_colours or list(theme.SERIES)
        for i, series in enumerate(plot.series):
            colour = palette[i % len(palette)]
            if native.colours and len(plot.series) == 1:
                colour = theme.ACCENT
            own = series.data_labels
            own.show_value = True
            _faces(own.font).size = Pt(9 if crowded else 10)
            own.font.color.rgb = _rgb(theme.text_on(colour))
            own.number_format = native.number_format
            own.number_format_is_linked = False
            own.position = labels.position
    texts: list[list[str | None]] = (
        [list(native.texts)] if native.texts and len(plot.series) == 1 else []
    )
    # the screen's words on a bar ("rank 2 of 7", "70% ▲")
    for series, said in zip(plot.series, texts or native.point_texts or [], strict=False):
        for idx, text in enumerate(said):
            if text:
                label = series.points[idx].data_label
                label.text_frame.text = text
                _faces(label.text_frame.paragraphs[0].runs[0].font).size = Pt(9 if crowded else 10)
                label.position = labels.position


def _add_native(slide: Any, native: Native, box: tuple[float, float, float, float]) -> Any:
    """Add ``native`` as an editable PowerPoint chart inside ``box`` (inches)."""
    from pptx.enum.chart import XL_LEGEND_POSITION
    from pptx.util import Inches, Pt

    left, top, width, height = box
    categories = [cell_text(c) for c in native.categories]
    data, scatter_errors = _chart_data(native, categories)
    frame = slide.shapes.add_chart(
        _chart_type(native), Inches(left), Inches(top), Inches(width), Inches(height), data
    )
    chart = frame.chart
    chart.has_title = False  # the slide title carries the finding
    crowded = len(categories) > 14
    _faces(chart.font).size = Pt(9 if crowded else 11)  # legend and every text inherit
    chart.font.color.rgb = _rgb(theme.INK)
    multi = len(native.series) > 1 and native.type not in ("scatter", "waterfall")
    chart.has_legend = multi
    if multi:
        chart.legend.position = XL_LEGEND_POSITION.BOTTOM
        chart.legend.include_in_layout = False
    plot = chart.plots[0]
    if native.type in (
        "bar",
        "clustered_bar",
        "stacked_bar",
        "column",
        "clustered_column",
        "waterfall",
    ):
        plot.gap_width = 60
        if native.type in ("stacked_bar", "waterfall"):
            plot.overlap = 100
    horizontal = native.type in ("bar", "clustered_bar", "stacked_bar")
    label_size = _label_size(len(categories), height) if horizontal else (9 if crowded else 11)
    _axes(chart, native, crowded, label_size)
    _series_style(plot, native, scatter_errors)
    _data_labels(plot, native, categories, crowded)
    return frame


def footnote(chart: Chart, meta: DeckMeta) -> str:
    """The slide footnote: provenance, n and source (the chart's subtitle), and notes."""
    parts = [theme.provenance_line(chart.kind, slide_subtitle(chart))]
    parts.extend(chart.notes)
    if chart.kind in ("survey", "records"):  # the filters chose both
        parts.append(meta.scope)
    return "\n".join(parts)


def _kpi_slide(prs: Any, kpis: Sequence[Kpi], meta: DeckMeta) -> None:
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Inches

    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _text(slide, _("KEY FIGURES"), 0.6, 0.3, 6, 0.35, 10, bold=True, colour=theme.ACCENT)
    heading = _("{page}: the numbers that matter").format(page=meta.page)
    _text(slide, heading, 0.6, 0.6, 12.1, 0.8, 22, bold=True)
    for kpi, tile in zip(kpis, kpi_tiles(kpis), strict=False):
        card = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, *map(Inches, tile.card))
        card.fill.solid()
        card.fill.fore_color.rgb = _rgb(theme.CARD)
        card.line.color.rgb = _rgb(theme.CARD_EDGE)
        card.adjustments[0] = 0.06
        _text(slide, kpi.label, *tile.label, KPI_LABEL_SIZE, colour=theme.MUTED)
        _text(slide, kpi.value, *tile.value, tile.value_size, bold=True)
        if kpi.note:
            _text(slide, kpi.note, *tile.note, tile.note_size, colour=theme.MUTED)
    _text(slide, meta.scope, 0.6, 6.7, 12.1, 0.5, 9, colour=theme.MUTED)


def _table_slide(prs: Any, item: SlideTable) -> None:
    from pptx.util import Inches, Pt

    slide = prs.slides.add_slide(prs.slide_layouts[6])
    # the kicker is a marked message (SlideTable's default, or a report's)
    _text(slide, _(item.kicker), 0.6, 0.3, 6, 0.35, 10, bold=True, colour=theme.MODEL)
    size, height = fitted_title(item.title)
    left, title_top, width = TITLE_BOX
    _text(slide, item.title, left, title_top, width, max(0.8, height), size, bold=True)
    frame = item.table
    rows, cols = frame.height + 1, frame.width
    top = max(1.5, _below_title(height))
    shape = slide.shapes.add_table(
        rows, cols, Inches(0.6), Inches(top), Inches(12.1), Inches(0.3 * rows)
    )
    table = shape.table
    weights = [
        max(8, min(60, max(len(str(v)) for v in [c, *frame[c].head(50).to_list()])))
        for c in frame.columns
    ]
    for c, weight in enumerate(weights):
        table.columns[c].width = Inches(12.1 * weight / sum(weights))
    size = Pt(9 if rows > 12 else 11)
    shown = display.headers(frame.columns)
    for c, name in enumerate(frame.columns):
        cell = table.cell(0, c)
        cell.text = cell_text(shown[name])
        cell.text_frame.paragraphs[0].runs[0].font.size = size
        cell.text_frame.paragraphs[0].runs[0].font.bold = True
        _runs_faces(cell.text_frame)
    for r, values in enumerate(frame.iter_rows(), start=1):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = cell_text("" if value is None else value)
            cell.text_frame.paragraphs[0].font.size = size
            _runs_faces(cell.text_frame)
    if item.footnote:
        _text(slide, item.footnote, 0.6, 6.7, 12.1, 0.6, 9, colour=theme.MUTED)


def fitted_title(text: str, width_in: float = TITLE_BOX[2]) -> tuple[int, float]:
    """The largest of :data:`TITLE_SIZES` at which a slide title takes two lines at most (else
    the smallest), and the height in inches it takes at that size."""
    size = next((z for z in TITLE_SIZES if title_lines(text, width_in, z) <= 2), TITLE_SIZES[-1])
    return size, title_lines(text, width_in, size) * size * _LINE_EM / 72


def _below_title(title_height: float) -> float:
    """Where a slide's content may start under a title of this height (inches)."""
    return TITLE_BOX[1] + title_height + 0.1


def chart_box(title_height: float) -> tuple[float, float, float, float]:
    """:data:`CHART_BOX`, moved down (and shortened) under a title taller than it leaves room
    for."""
    left, top, width, _height = CHART_BOX
    below = _below_title(title_height)
    if below <= top:
        return CHART_BOX
    return left, below, width, max(1.5, FOOTNOTE_TOP - 0.1 - below)


def pptx_deck(charts: Sequence[Chart], meta: DeckMeta) -> bytes:
    """A 16:9 deck: title, key figures, one slide per chart (native where PowerPoint can),
    then the table slides."""
    from pptx import Presentation
    from pptx.util import Inches

    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    blank = prs.slide_layouts[6]

    slide = prs.slides.add_slide(blank)
    _text(slide, "cxbench", 0.8, 0.6, 6, 0.5, 14, bold=True, colour=theme.ACCENT)
    _text(slide, meta.page, 0.8, 2.0, 11.5, 1.2, 40, bold=True)
    _text(
        slide,
        _("Dataset: {dataset}\nFilters: {filters}\nExported {date}").format(
            dataset=meta.dataset, filters=meta.filters, date=meta.exported
        ),
        0.8,
        3.3,
        11.5,
        1.4,
        16,
        colour=theme.MUTED,
    )
    if meta.highlights:
        _text(slide, _("Findings"), 0.8, 4.7, 11.5, 0.4, 14, bold=True)
        findings = "\n".join(f"{i}. {h}" for i, h in enumerate(meta.highlights, start=1))
        _text(slide, findings, 0.8, 5.1, 11.7, 1.3, 12)
    _text(slide, meta.source, 0.8, 6.5, 11.7, 0.8, 10, colour=theme.MUTED)
    if meta.kpis:
        _kpi_slide(prs, meta.kpis, meta)

    for chart in charts:
        slide = prs.slides.add_slide(blank)
        kind = theme.PROVENANCE[chart.kind]
        kicker = _(kind.label).upper()
        _text(slide, kicker, 0.6, 0.3, 6, 0.35, 10, bold=True, colour=kind.colour)
        size, height = fitted_title(chart.title)
        left, top, width = TITLE_BOX
        _text(slide, chart.title, left, top, width, max(1.0, height), size, bold=True)
        box = chart_box(height)
        if chart.nothing_shown:  # the screen's note, not empty axes or an empty image
            left, top, width, tall = box
            _text(slide, chart.nothing_shown_note, left + 1.5, top + tall / 3, width - 3, 1.2, 16,
                  colour=theme.MUTED)  # fmt: skip
        elif chart.native is not None:
            _add_native(slide, chart.native, box)
        else:
            png = slide_image(chart)
            wide, tall = IMAGE_SIZES["slide"]
            pic_w = min(box[2], box[3] * wide / tall)  # the box, as the image's shape allows
            pic_h = pic_w * tall / wide
            slide.shapes.add_picture(
                io.BytesIO(png),
                Inches(box[0] + (box[2] - pic_w) / 2),
                Inches(box[1]),
                Inches(pic_w),
                Inches(pic_h),
            )
        _text(slide, footnote(chart, meta), 0.6, FOOTNOTE_TOP, 12.1, 0.9, 9, colour=theme.MUTED)
        rows = _("Data: {n} rows; see the Excel export.").format(n=chart.table.height)
        slide.notes_slide.notes_text_frame.text = f"{chart.title}\n{chart.subtitle}\n{rows}"
    for item in meta.tables:
        _table_slide(prs, item)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
