"""A slide's title fits above its chart: the size is chosen from the title's length, and a
title that needs more room moves the chart down."""

from __future__ import annotations

import dataclasses
import io
import itertools
import textwrap
from typing import Any

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pptx import Presentation
from pptx.oxml.ns import qn
from pptx.util import Emu

from cx.charts import theme
from cx.core import display, i18n
from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import sql
from cx.exports import chart as chart_module
from cx.exports import slides, textfit
from cx.exports.chart import DeckMeta, Native
from cx.reports.base import dataset_source
from cx.reports.registry import BY_KEY

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz%()0123456789", min_size=1, max_size=14)
LONG = (
    "Fix Maintain (after-sales) first: of the less-satisfied half of the stages it weighs most "
    "for NPS (18% of what the stages explain); only 33% are satisfied with it; R² = 0.67"
)


@given(st.lists(_WORD, min_size=1, max_size=60), st.sampled_from(slides.TITLE_SIZES))
def test_lines_are_those_of_a_wrap_at_the_columns_that_fit(words: list[str], size: int) -> None:
    text = " ".join(words)
    columns = int(slides.TITLE_BOX[2] * 72 / (size * 0.6))
    assert textfit.title_lines(text, slides.TITLE_BOX[2], size) == len(textwrap.wrap(text, columns))


def test_wide_characters_take_two_columns_and_wrap_without_spaces() -> None:
    latin = "a" * 40
    wide = "满" * 40
    assert textfit.title_lines(latin, slides.TITLE_BOX[2], 22) == 1
    assert textfit.title_lines(wide, slides.TITLE_BOX[2], 22) == 2
    assert textfit.title_lines(wide * 3, slides.TITLE_BOX[2], 16) == 3


def test_a_long_title_gets_a_smaller_size_and_a_longer_one_moves_the_chart_down() -> None:
    assert slides.fitted_title("Use is the strongest stage")[0] == slides.TITLE_SIZES[0]
    size, height = slides.fitted_title(LONG)
    assert size < slides.TITLE_SIZES[0] and textfit.title_lines(LONG, 12.1, size) <= 2
    assert slides.chart_box(height) == slides.CHART_BOX
    size, height = slides.fitted_title(LONG * 3)
    assert size == slides.TITLE_SIZES[-1]
    _left, top, _width, tall = slides.chart_box(height)
    assert top >= slides.TITLE_BOX[1] + height and top + tall <= slides.FOOTNOTE_TOP


def test_no_chart_slide_title_runs_into_its_chart(con: duckdb.DuckDBPyConnection) -> None:
    """Every native chart of the Journey, Brands and Channels pages, with its own title and
    with one three times as long, in English and Chinese: the title's lines at its size end
    above the chart, and the chart above the footnote."""
    run = lambda name, params: sql.run(con, name, params)  # noqa: E731
    sel = Selection()
    for lang in ("en", "zh"):
        with i18n.use(lang):
            charts = []
            for key in ("journey", "brands", "channels"):
                report = BY_KEY[key]
                made = report.charts(
                    report.compute(run, sel, Options()), dataset_source(run, "demo")
                )
                charts += [c for c in made if c.native is not None]
            charts += [dataclasses.replace(c, title=c.title * 3) for c in charts[:3]]
            prs = Presentation(io.BytesIO(slides.pptx_deck(charts, DeckMeta("p", "f", "d"))))
            chart_slides = [s for s in prs.slides if any(sh.has_chart for sh in s.shapes)]
            assert len(chart_slides) == len(charts)
            for slide, chart in zip(chart_slides, charts, strict=True):
                title = next(
                    sh
                    for sh in slide.shapes
                    if sh.has_text_frame and sh.text_frame.text == chart.title
                )
                size = title.text_frame.paragraphs[0].runs[0].font.size.pt
                lines = textfit.title_lines(chart.title, Emu(title.width).inches, int(size))
                bottom = Emu(title.top).inches + lines * size * 1.2 / 72
                drawn = next(sh for sh in slide.shapes if sh.has_chart)
                assert bottom <= Emu(drawn.top).inches, (lang, chart.key, size, lines)
                assert Emu(drawn.top + drawn.height).inches <= slides.FOOTNOTE_TOP + 1e-6


def test_a_key_figure_stays_on_one_line_of_its_tile() -> None:
    """The review's deck: "5.32 亿美元" at 30 pt broke after the number in a row of five tiles,
    its second line over the tile's note. A value's size now keeps it on one line; short ones
    keep 30 pt."""
    from cx.core import display
    from cx.exports.chart import Kpi

    values = ["5.32 亿美元", "8,100 万美元", "$531M", "$531 млн", "+14", "Maintain (after-sales)"]
    kpis = tuple(Kpi(f"k{i}", v) for i, v in enumerate(values[:5]))
    prs = Presentation(io.BytesIO(slides.pptx_deck([], DeckMeta("p", "f", "d", kpis=kpis))))
    box = (12.1 - 0.3 * 4) / 5 - 0.4  # a tile's text box in a row of five, inches
    sizes = {}
    for shape in prs.slides[1].shapes:
        if shape.has_text_frame and shape.text_frame.text in values:
            run = shape.text_frame.paragraphs[0].runs[0]
            sizes[shape.text_frame.text] = run.font.size.pt
            assert Emu(shape.width).inches == pytest.approx(box)
    assert set(sizes) == set(values[:5])
    for value, size in sizes.items():  # one line: its width at that size within the box
        assert display.width(value) * textfit._BOLD_EM_PER_COLUMN * size <= box * 72 + 1, value
    assert sizes["$531M"] == sizes["+14"] == 30
    assert sizes["5.32 亿美元"] < 30  # was 30, and wrapped
    assert textfit.kpi_value_size(values[-1], box) >= 14


def test_a_long_label_moves_its_rows_values_and_notes_down_and_a_long_note_fits() -> None:
    """The Russian deck: "Потерянные / повторные / покупки" ran to three lines over its value,
    and a long note past the tile's edge."""
    from cx.exports.chart import Kpi

    note = "в год · ответы о послепродажном обслуживании: клиенты «Automakers» · зависит от фильтров боковой панели"
    kpis = (
        Kpi("Всего под риском", "$532 млн", note),
        Kpi("Потерянные повторные покупки", "$366 млн"),
        *(Kpi(f"k{i}", "1") for i in range(3)),
    )
    prs = Presentation(io.BytesIO(slides.pptx_deck([], DeckMeta("p", "f", "d", kpis=kpis))))
    boxes = {s.text_frame.text: s for s in prs.slides[1].shapes if s.has_text_frame}
    label, value = boxes["Потерянные повторные покупки"], boxes["$366 млн"]
    assert value.top >= label.top + label.height  # below the label's three lines
    assert boxes["$532 млн"].top == value.top  # the row's values level
    lines = textfit.title_lines(label.text_frame.text, Emu(label.width).inches - 0.2, 12)
    assert lines == 3 and Emu(label.height).inches >= lines * 12 * 1.2 / 72
    fitted = boxes[note].text_frame.paragraphs[0].runs[0].font.size.pt
    width = Emu(boxes[note].width).inches - 0.2
    lines = textfit.title_lines(note, width, int(fitted))
    assert lines * fitted * 1.2 / 72 <= Emu(boxes[note].height).inches  # within its box
    _check_tiles(kpis, textfit.kpi_tiles(kpis))  # and its box within its card


_TILE_TEXT = st.text(
    alphabet=st.sampled_from("abcdefghij klmnop ()·:,% 0123 Потерянные 满意度最低的阶段"),
    min_size=1,
    max_size=90,
)


def _columns(text: str, most: int) -> str:
    """The longest start of ``text`` at most ``most`` columns wide."""
    while display.width(text) > most:
        text = text[:-1]
    return text


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    (x, y, w, h), (ox, oy, ow, oh) = inner, outer
    return ox - 1e-9 <= x and oy - 1e-9 <= y and x + w <= ox + ow + 1e-9 and y + h <= oy + oh + 1e-9


def _check_tiles(kpis: tuple, tiles: list[textfit.Tile]) -> None:
    """Each tile's texts one below the other inside its card, each text's lines within its
    box, cards apart; the row's values level."""
    assert len(tiles) == min(len(kpis), 8)
    for kpi, t in zip(kpis, tiles, strict=False):
        label, value, note = t.label, t.value, t.note
        assert label[1] + label[3] <= value[1] + 1e-9, kpi  # the value below its label
        assert value[1] + value[3] <= note[1] + 1e-9, kpi  # the note below its value
        for box in (label, value, note):
            assert _inside(box, t.card), (kpi, box, t.card)
        assert (
            textfit.title_lines(kpi.label, label[2] - 0.2, textfit.KPI_LABEL_SIZE) * 12 * 1.2 / 72
            <= label[3]
        )
        lines = textfit.value_lines(kpi.value, value[2], t.value_size)
        assert lines * t.value_size * 1.2 / 72 <= value[3] + 1e-9, kpi
        if display.width(kpi.value) <= 10:  # "5.32 亿美元" keeps to one line of a tile of five
            assert lines == 1, kpi
        if kpi.note:
            lines = textfit.title_lines(kpi.note, note[2] - 0.2, t.note_size)
            assert lines * t.note_size * 1.2 / 72 <= note[3] + 1e-9, kpi
    for a, b in itertools.combinations(tiles, 2):
        (ax, ay, aw, ah), (bx, by, bw, bh) = a.card, b.card
        apart = ax + aw <= bx or bx + bw <= ax or ay + ah <= by or by + bh <= ay
        assert apart, (a.card, b.card)
        if ay == by:
            assert a.value[1] == b.value[1] and a.note[1] == b.note[1]


@given(
    st.lists(
        st.tuples(_TILE_TEXT, _TILE_TEXT, st.one_of(st.just(""), _TILE_TEXT)),
        min_size=1,
        max_size=8,
    )
)
def test_a_tiles_texts_are_one_below_the_other_inside_its_card(
    texts: list[tuple[str, str, str]],
) -> None:
    """The Dealers deck drew a tall row's values ("1 of 5") over their notes: the value moved
    down under a four-line label, the note did not."""
    from cx.exports.chart import Kpi

    kpis = tuple(Kpi(label, _columns(value, 14), note) for label, value, note in texts)
    _check_tiles(kpis, textfit.kpi_tiles(kpis))


def test_every_pages_key_figures_fit_their_slide(con: duckdb.DuckDBPyConnection) -> None:
    """Every page's key figures, in English, Chinese and Russian, on the whole sample and on
    one country: nested as above, and every card above the slide's scope line."""
    run = lambda name, params: sql.run(con, name, params)  # noqa: E731
    seen = 0
    for lang in ("en", "zh", "ru"):
        with i18n.use(lang):
            for sel in (Selection(), Selection(countries=("DE",))):
                for report in BY_KEY.values():
                    if report.summary is None:
                        continue
                    kpis = report.summary(report.compute(run, sel, Options())).kpis
                    if not kpis:
                        continue
                    tiles = textfit.kpi_tiles(kpis)
                    _check_tiles(kpis, tiles)
                    assert all(t.card[1] + t.card[3] <= textfit.KPI_BOTTOM + 1e-9 for t in tiles)
                    seen += 1
    assert seen >= 3 * 2 * 5


def test_a_native_chart_s_value_axis_reaches_its_whiskers() -> None:
    """The review: the Dealers deck's channel slide ran its axis from -15 to +10 (PowerPoint
    scales to the values alone), so quartiles of +19.7, -19.3 and -23.6 fell off the plot under
    a footnote saying the whiskers are the quartiles. The axis now reaches every whisker end,
    on round steps; a chart without error bars keeps PowerPoint's own scale."""
    import plotly.graph_objects as go
    import polars as pl

    from cx.exports.chart import Chart, Native

    medians = [7.0, -11.0, -6.0]
    native = Native(
        "bar", ["Direct", "Dealer", "Agency"], [("Median", medians)],
        errors=[([9.0, 8.3, 17.6], [12.7, 6.0, 4.0])],
    )  # fmt: skip
    low, high = slides.whisker_reach(native) or (0.0, 0.0)
    assert low <= -23.6 and high >= 19.7 and high - low <= 2 * (19.7 + 23.6)
    assert slides.whisker_reach(dataclasses.replace(native, errors=None)) is None
    chart = Chart("quartiles", "t", "s", go.Figure(), pl.DataFrame({"x": [1]}), native=native)
    prs = Presentation(io.BytesIO(slides.pptx_deck([chart], DeckMeta("p", "f", "d"))))
    drawn = next(s.chart for slide in prs.slides for s in slide.shapes if s.has_chart)
    axis = drawn.value_axis
    assert (axis.minimum_scale, axis.maximum_scale) == (low, high)


def test_the_tornado_slide_draws_its_bars_from_the_result_as_set(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The review: the deck's tornado drew each input's results from $0 (483 against 724), the
    swings around the $604M result lost. Its bars start at the result as set, as the screen
    draws them, on an axis that reaches the lowest and the highest result."""
    from cx.charts import revenue as revenue_figures
    from cx.reports import revenue as revenue_report

    run = lambda name, params: sql.run(con, name, params)  # noqa: E731
    result = revenue_report.compute(run, Selection(), Options())
    charts = revenue_report.charts(result, dataset_source(run, "demo"))
    tornado = next(c for c in charts if c.key == "revenue_tornado")
    assert tornado.native is not None and result.outputs is not None
    base = result.outputs["total_at_risk_usd"] / revenue_figures.money_scale()
    prs = Presentation(io.BytesIO(slides.pptx_deck([tornado], DeckMeta("p", "f", "d"))))
    drawn = next(s.chart for slide in prs.slides for s in slide.shapes if s.has_chart)
    assert drawn.value_axis.crosses_at == pytest.approx(base)
    values = [v for _name, vs in tornado.native.series for v in vs if v is not None]
    low, high = drawn.value_axis.minimum_scale, drawn.value_axis.maximum_scale
    assert low <= min(values) and max(values) <= high and low > 0


def test_the_revenue_waterfall_slide_floats_its_steps_as_the_screen_does(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The review: the deck drew the revenue components as columns from $0 beside their total
    (three separate sums), where the screen's waterfall stacks each on the ones before it. The
    slide's bars now stand on the running total, the total and the part of it better CX could
    keep on zero, each labelled with the screen's text."""
    from cx.reports import revenue as revenue_report

    run = lambda name, params: sql.run(con, name, params)  # noqa: E731
    result = revenue_report.compute(run, Selection(), Options())
    charts = revenue_report.charts(result, dataset_source(run, "demo"))
    waterfall = next(c for c in charts if c.key == "revenue_waterfall")
    native = waterfall.native
    assert native is not None and native.type == "waterfall" and native.feet is not None
    values = [float(v or 0.0) for v in native.series[0][1]]
    steps = len(values) - 2  # the components, then the total and what better CX could keep
    assert native.feet == pytest.approx([sum(values[:i]) for i in range(steps)] + [0.0, 0.0])
    assert values[steps] == pytest.approx(sum(values[:steps]))  # the total tops the last step
    screen = waterfall.figure.data[0]  # the screen's waterfall: its labels are the slide's
    assert list(screen.text) == native.texts[: steps + 1]  # the steps and the total
    prs = Presentation(io.BytesIO(slides.pptx_deck([waterfall], DeckMeta("p", "f", "d"))))
    drawn = next(s.chart for slide in prs.slides for s in slide.shapes if s.has_chart)
    feet, bars, tops = drawn.plots[0].series
    assert list(feet.values) == pytest.approx(native.feet) and not drawn.has_legend
    assert list(bars.values) == pytest.approx(values) and set(tops.values) == {0.0}
    texts = [tops.points[i].data_label.text_frame.text for i in range(len(values))]
    assert texts == native.texts
    assert drawn.value_axis.minimum_scale == 0 and drawn.value_axis.maximum_scale >= max(values)


def test_a_waterfall_with_a_step_below_zero_keeps_its_bars_on_zero() -> None:
    native = Native("column", ["a", "b", "total"], [("USD", [5.0, -2.0, 3.0])])
    assert chart_module.native_waterfall(native, 2, ["$5M", "-$2M", "$3M"]) is native
    floated = chart_module.native_waterfall(
        dataclasses.replace(native, series=[("USD", [5.0, 2.0, 7.0])]), 2, ["5", "2", "7"]
    )
    assert floated.feet == [0.0, 5.0, 0.0] and floated.value_range == (0.0, 8.0)


def _slide_of(chart: Any) -> Any:
    prs = Presentation(io.BytesIO(slides.pptx_deck([chart], DeckMeta("p", "f", "d"))))
    return next(slide for slide in prs.slides if any(s.has_chart for s in slide.shapes))


def test_a_slide_names_only_marks_it_draws_and_marks_the_outlets_it_leaves_out(
    default_con: duckdb.DuckDBPyConnection,
) -> None:
    """The review: the league slide's footnote said "ring: raw NPS · tick: the mean it is
    shrunk towards" over bars without either, and its ranks jumped from 10 to 43 with nothing
    between; the market slides said "striped" and "dotted" of marks they do not draw, and
    labelled "rank 2 of 7" as "71"."""
    run = lambda name, params: sql.run(default_con, name, params)  # noqa: E731
    source = dataset_source(run, "demo")
    dealers = BY_KEY["dealers"]
    league = next(
        c for c in dealers.charts(dealers.compute(run, Selection(), Options()), source)
        if c.key == "dealer_league"
    )  # fmt: skip
    assert "ring: raw NPS" in league.subtitle and league.native is not None
    text = " ".join(s.text_frame.text for s in _slide_of(league).shapes if s.has_text_frame)
    assert "ring: raw NPS" not in text and "tick:" not in text and "whiskers:" in text
    gap = [c for c in league.native.categories if "more outlets" in c]
    assert len(gap) == 1
    at = league.native.categories.index(gap[0])
    assert league.native.series[0][1][at] is None and league.native.errors is not None
    assert league.native.errors[0][0][at] is None
    assert len(league.native.categories) == league.figure.data[0].y.__len__() + 1
    imaged = dataclasses.replace(league, native=None)  # an image draws the rings: it says so
    assert "ring: raw NPS" in slides.footnote(imaged, DeckMeta("p", "f", "d"))
    market = BY_KEY["market"]
    charts = {c.key: c for c in market.charts(market.compute(run, Selection(), Options()), source)}
    position = charts["market_position"]
    assert position.native is not None and position.native.texts
    drawn = next(s.chart for s in _slide_of(position).shapes if s.has_chart)
    labels = [p.data_label.text_frame.text for p in drawn.plots[0].series[0].points]
    assert labels == position.native.texts and all(t.startswith("rank ") for t in labels)
    for chart in (position, charts["market_ranking"]):
        text = " ".join(s.text_frame.text for s in _slide_of(chart).shapes if s.has_text_frame)
        assert "dotted: quartile" not in text and "striped:" not in text
    # the diff review: the ranking slide's pale averages were left without a key
    ranking = charts["market_ranking"]
    assert "striped: " in ranking.subtitle
    text = " ".join(s.text_frame.text for s in _slide_of(ranking).shapes if s.has_text_frame)
    assert "pale: " in text


def test_the_key_driver_slide_draws_the_screens_median_guides_and_frame(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The review: the deck's quadrant dropped the median crosshair that says what "the
    less-satisfied half" of its title is, on a y axis of 0-80 where the screen's runs 30-70."""
    run = lambda name, params: sql.run(con, name, params)  # noqa: E731
    journey = BY_KEY["journey"]
    drivers = next(
        c for c in journey.charts(journey.compute(run, Selection(), Options()), dataset_source(run, "demo"))
        if c.key == "key_drivers"
    )  # fmt: skip
    native = drivers.native
    assert native is not None and native.guides and native.x_range and native.value_range
    xs, ys = native.series[0][1], native.series[1][1]
    screen = [s for s in drivers.figure.layout.shapes if s.type == "line"]
    assert {round(s.x0, 9) for s in screen if s.x0 == s.x1} == {round(native.guides[0][0], 9)}
    assert {round(s.y0, 9) for s in screen if s.y0 == s.y1} == {round(native.guides[1][1], 9)}
    low, high = native.x_range
    assert all(low <= x <= high for x in xs if x is not None)
    assert all(native.value_range[0] <= y <= native.value_range[1] for y in ys if y is not None)
    drawn = next(s.chart for s in _slide_of(drivers).shapes if s.has_chart)
    series = list(drawn.plots[0].series)
    assert len(series) == 3  # the points, then two guides
    assert [len(list(s.values)) for s in series[1:]] == [2, 2]
    assert series[0].marker.format.fill.fore_color.rgb == slides._rgb(theme.SERIES[0])
    assert (drawn.category_axis.minimum_scale, drawn.category_axis.maximum_scale) == (low, high)
    # every name stood right of its point, so the horizontal guide ran through the name of the
    # point it passes (the median's): names now go where they cross no guide
    where = {"top center": "t", "bottom center": "b", "middle right": "r", "middle left": "l"}
    assert native.sides is not None and set(native.sides) <= set(chart_module.SIDES)
    placed = [p.data_label._dLbl.find(qn("c:dLblPos")).get("val") for p in series[0].points]
    assert placed == [where[s] for s in native.sides]
    median = native.guides[1][1]
    on_guide = [s for s, y in zip(native.sides, ys, strict=True) if y == median]
    assert on_guide and all(s in ("top center", "bottom center") for s in on_guide)


def test_a_chart_with_every_group_too_small_is_a_note_on_its_slide(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The screen drew a note in place of empty axes (every group under the minimum n), but
    the deck still drew the empty axes under "No brand has enough responses to report". The
    slide says what the screen says, without the sidebar's advice; a chart with groups to show
    keeps its chart."""
    run = lambda name, params: sql.run(con, name, params)  # noqa: E731
    report = BY_KEY["brands"]
    narrow = Selection(countries=("JP",), waves=("2024Q4",))
    for lang in ("en", "zh"):
        with i18n.use(lang):
            made = report.charts(
                report.compute(run, narrow, Options(min_n=100_000)), dataset_source(run, "demo")
            )
            empty = [c for c in made if c.nothing_shown]
            drawn = report.charts(
                report.compute(run, Selection(), Options()), dataset_source(run, "demo")
            )
            assert empty and not any(c.nothing_shown for c in drawn)
            deck = Presentation(
                io.BytesIO(slides.pptx_deck([*empty, drawn[0]], DeckMeta("p", "f", "d")))
            )
            for chart, slide in zip([*empty, drawn[0]], list(deck.slides)[1:], strict=True):
                texts = [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]
                assert chart.title in texts
                pictured = any(sh.has_chart or sh.shape_type == 13 for sh in slide.shapes)
                assert pictured is (not chart.nothing_shown), chart.key
                assert (chart.nothing_shown_note in texts) is chart.nothing_shown, texts
                assert not any("sidebar" in t or "侧边栏" in t for t in texts)
