"""Charts: the chosen confidence level in every title and subtitle, one colour per category on
screen and in decks, colours kept for significance, honest heatmap ranges, labels that read."""

from __future__ import annotations

import re

import duckdb
import polars as pl
from support.reports import run_on

from cx.charts import figures, quadrant, theme
from cx.core import display
from cx.core.options import Options
from cx.core.selection import Selection
from cx.reports.base import dataset_source
from cx.reports.registry import BY_KEY, REPORTS


def test_charts_and_tests_use_the_level(con: duckdb.DuckDBPyConnection) -> None:
    source = dataset_source(run_on(con), "demo")
    for report in REPORTS:
        for level, word in ((0.9, "90%"), (0.99, "99%")):
            result = report.compute(run_on(con), Selection(), Options(confidence=level))
            for chart in report.charts(result, source):
                words = f"{chart.title} {chart.subtitle} {chart.figure.to_json()}"
                assert not re.search(r"95 ?% (interval|level|CI)", words), (report.key, chart.key)
                if "interval" in chart.subtitle:
                    assert word in chart.subtitle, (report.key, chart.key)


def test_the_heatmap_has_a_fixed_range_and_marks_significant_cells(
    con: duckdb.DuckDBPyConnection,
) -> None:
    report = BY_KEY["journey"]
    result = report.compute(run_on(con), Selection(), Options())
    heat = next(
        c
        for c in report.charts(result, dataset_source(run_on(con), "demo"))
        if c.key == "brand_stage_heatmap"
    )
    trace = heat.figure.data[0]
    assert (trace.zmin, trace.zmax) == (-20.0, 20.0)
    marked = [t for row in trace.text for t in row if t.endswith(("▲", "▼"))]
    significant = heat.table.filter(pl.col("Significant") & ~pl.col("n too small")).height
    assert len(marked) == significant > 0


def test_colour_families_never_share_a_colour() -> None:
    from cx.charts import theme

    significance = {theme.BETTER, theme.WORSE, theme.NEUTRAL}
    groups = {theme.PROMOTER, theme.PASSIVE, theme.DETRACTOR}
    families = [
        significance,
        groups,
        set(theme.CHANNEL_COLOURS.values()),
        set(theme.SWITCH_COLOURS.values()),
    ]
    for i, a in enumerate(families):
        for b in families[i + 1 :]:
            assert not a & b, (a, b)
    assert not significance & set(theme.SERIES)


def test_each_channel_has_one_colour_on_screen_and_in_the_deck(
    con: duckdb.DuckDBPyConnection,
) -> None:
    from cx.charts import theme
    from cx.core import display

    report = BY_KEY["channels"]
    charts = report.charts(
        report.compute(run_on(con), Selection(), Options()), dataset_source(run_on(con), "demo")
    )

    def channel(name: str) -> str | None:
        """The channel a series is named after ("Dealer", "Dealer (lead → order 10.3%)")."""
        codes = [k for k, v in display.CHANNEL_NAMES.items() if name.split(" (")[0] == v]
        return codes[0] if codes else None

    coloured = 0
    for chart in charts:
        if chart.key == "channel_switching":
            continue  # bars are switching answers there, channels are rows
        for trace in chart.figure.data:
            code = channel(getattr(trace, "name", None) or "")
            if code:
                coloured += 1
                assert trace.marker.color == theme.CHANNEL_COLOURS[code], (chart.key, trace.name)
        native = chart.native
        if native and native.series_colours and len(native.series) > 1:
            for (name, _), colour in zip(native.series, native.series_colours, strict=True):
                code = channel(name)
                assert code is not None and colour == theme.CHANNEL_COLOURS[code], (chart.key, name)
    assert coloured >= 6  # the stages' and the funnel's series at least
    nps = next(c for c in charts if c.key == "channel_nps")
    bar = nps.figure.data[0]
    assert theme.BETTER not in bar.marker.color and theme.WORSE not in bar.marker.color
    assert any("▲" in t or "▼" in t for t in nps.figure.data[1].text)


def test_brand_trend_colours_are_the_same_on_screen_and_in_the_deck(
    con: duckdb.DuckDBPyConnection,
) -> None:
    report = BY_KEY["brands"]
    chart = next(
        c
        for c in report.charts(
            report.compute(run_on(con), Selection(), Options()), dataset_source(run_on(con), "demo")
        )
        if c.key == "brand_trend"
    )
    screen = {t.name: t.line.color for t in chart.figure.data if t.mode == "lines+markers"}
    deck = {
        name: colour
        for (name, _), colour in zip(chart.native.series, chart.native.series_colours, strict=True)
    }
    assert screen == deck


def test_quadrant_labels_of_close_points_do_not_overlap() -> None:
    """Key-driver labels ("Shop" on "Recommend", "Research" on "Receive (delivery)" overlapped
    at 1366): neighbouring points get sides whose estimated boxes do not overlap."""
    from cx.charts.labels import label_sides

    labels = [
        "Shop",
        "Recommend",
        "Research",
        "Receive (delivery)",
        "Use",
        "Maintain (after-sales)",
    ]
    xs = [10.0, 10.4, 12.0, 12.3, 19.5, 17.0]
    ys = [52.0, 52.5, 60.0, 60.4, 68.0, 33.0]
    pos = label_sides(xs, ys, labels)
    assert pos[0] != pos[1] and pos[2] != pos[3]
    # the same boxes the placement estimates: none of the labels overlap
    shift = {"top": (0, 1), "bottom": (0, -1), "middle": (0, 0)}
    boxes = []
    for k, side in enumerate(pos):
        v, h = side.split(" ")
        dy = shift[v][1]
        dx = {"left": -1, "right": 1, "center": 0}[h]
        w = 7.0 * len(labels[k]) + 4
        cx = (xs[k] - 10.0) / 9.5 * 560 + dx * (w / 2 + 8)
        cy = (ys[k] - 33.0) / 35.0 * 380 + dy * (16 / 2 + 8)
        boxes.append((cx - w / 2, cy - 8, cx + w / 2, cy + 8))
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i], boxes[j]
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1]), (
                labels[i],
                labels[j],
                pos[i],
                pos[j],
            )


def test_values_inside_light_bars_are_ink_not_white() -> None:
    """The Voice page's passives bars (light grey) carried white percentages nobody could read:
    a label inside a bar takes the colour that reads on that bar, on screen and on slides."""
    import polars as pl

    from cx.charts import figures, theme

    df = pl.DataFrame({"stage": ["Shop", "Shop"], "group": ["passive", "detractor"],
                       "pct": [14.0, 15.0], "lo": [13.0, 14.0], "hi": [15.0, 16.0]})  # fmt: skip
    colours = {"passive": "#C9CED6", "detractor": "#8E1B4C"}
    fig = figures.grouped_bars(
        df, "stage", "group", "pct", "t", "s", colours=colours, lo="lo", hi="hi"
    )
    by_name = {t.name: t.textfont.color for t in fig.data}
    assert by_name["passive"] == theme.INK and by_name["detractor"] == "#FFFFFF"


def test_quadrant_labels_keep_off_the_whiskers() -> None:
    """Awareness sat on its own importance whisker (the label to its right, the interval
    running right): with the intervals given, no label is put across a whisker."""
    from cx.charts.labels import label_sides

    labels = ["Awareness", "Research", "Use", "Maintain (after-sales)"]
    xs = [9.8, 10.6, 21.7, 18.4]
    ys = [65.7, 60.6, 67.9, 33.0]
    spans = [(9.6, 10.4), (10.3, 11.0), (21.0, 22.4), (17.8, 19.1)]
    pos = label_sides(xs, ys, labels, spans)
    for side, lo, hi, x in zip(pos, (s[0] for s in spans), (s[1] for s in spans), xs, strict=True):
        if side.startswith("middle"):  # beside the point: only where its whisker does not run
            assert (side.endswith("right") and hi <= x) or (side.endswith("left") and lo >= x)
    without = label_sides(xs, ys, labels)
    assert without[0] == "middle right"  # what it was: across Awareness's whisker
    assert pos[0] != "middle right"


def test_quadrant_labels_keep_off_the_median_guides() -> None:
    """ "Shop" sat across the dotted median guide: the guides across the plot are in the way
    of a label as the points and whiskers are."""
    from cx.charts.labels import label_sides

    labels = ["Shop", "Purchase", "Use", "Maintain (after-sales)"]
    xs = [12.4, 14.8, 21.7, 18.4]
    ys = [51.8, 53.1, 67.9, 33.0]
    mx, my = 14.8, 51.8

    def crosses(k: int, side: str) -> bool:
        w = 7.0 * len(labels[k]) + 4
        dx = {"left": -1, "right": 1, "center": 0}[side.split(" ")[1]]
        dy = {"top": 1, "bottom": -1, "middle": 0}[side.split(" ")[0]]
        cx = (xs[k] - 12.4) / (21.7 - 12.4) * 560 + dx * (w / 2 + 8)
        cy = (ys[k] - 33.0) / (67.9 - 33.0) * 380 + dy * 16
        gx, gy = (mx - 12.4) / (21.7 - 12.4) * 560, (my - 33.0) / (67.9 - 33.0) * 380
        return cx - w / 2 < gx < cx + w / 2 or cy - 8 < gy < cy + 8

    pos = label_sides(xs, ys, labels, None, (mx, my))
    assert not [labels[k] for k, side in enumerate(pos) if crosses(k, side)], pos


def test_the_template_keeps_the_defaults_of_every_trace_type_the_code_makes() -> None:
    """The template keeps the defaults of :data:`cx.charts.theme.TRACE_TYPES` only: every
    trace the code makes (``go.Bar``, ``type="scatter"``, ...) is of one of them, and the
    template keeps plotly_white's defaults of each (those it has) as they were."""
    from pathlib import Path

    import plotly.io as pio

    from cx.charts import theme

    root = Path(__file__).resolve().parents[2]
    made = set()
    for path in (*root.joinpath("cx").rglob("*.py"), *root.joinpath("components").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        # go.Bar(...) and trace(go.Bar, ...)
        made |= {m.lower() for m in re.findall(r"\bgo\.([A-Z][a-z]+)\s*[(,]", text)}
        made |= set(re.findall(r"""["']type["']\s*:\s*["']([a-z]+)["']""", text))
    traces = {t for t in made if t in pio.templates["plotly_white"].data._props or t in (
        "box", "waterfall")}  # fmt: skip
    assert {"bar", "scatter", "heatmap", "box", "waterfall"} <= traces  # the regex sees them all
    assert traces <= theme.TRACE_TYPES, traces - theme.TRACE_TYPES
    white = pio.templates["plotly_white"].to_plotly_json()["data"]
    kept = pio.templates["cxbench"].to_plotly_json()["data"]
    assert kept == {k: v for k, v in white.items() if k in theme.TRACE_TYPES}


def test_quadrant_labels_are_placed_on_the_plot_as_drawn() -> None:
    """The review: in Russian "Выбор" sat on the "Покупка" point. Labels were placed on the
    points' own ranges stretched to 560 x 380 px; the plot is drawn with padded axes in a
    half-width card, so the points stood closer than estimated. Placed on the plot as drawn,
    no label's box covers another point or label there."""
    import polars as pl

    from cx.core.display import width

    labels = ["Осведомлённость", "Изучение", "Выбор", "Покупка", "Получение (выдача)",
              "Использование", "Обслуживание (сервис)"]  # fmt: skip
    xs = [9.8, 10.6, 12.4, 14.8, 12.3, 21.7, 18.4]
    ys = [65.7, 60.6, 51.8, 53.3, 57.6, 67.9, 33.0]
    df = pl.DataFrame({"label": labels, "x": xs, "y": ys,
                       "lo": [x - 0.4 for x in xs], "hi": [x + 0.5 for x in xs]})  # fmt: skip
    fig = quadrant.quadrant(df, "x", "y", "label", "t", "s", "x", "y", "lo", "hi")
    (x0, x1), (y0, y1) = fig.layout.xaxis.range, fig.layout.yaxis.range
    wide, tall = quadrant.QUADRANT_PLOT
    at = [
        ((x - x0) / (x1 - x0) * wide, (y - y0) / (y1 - y0) * tall)
        for x, y in zip(xs, ys, strict=True)
    ]
    boxes = []
    for (px, py), text, side in zip(at, labels, fig.data[0].textposition, strict=True):
        v, h = side.split(" ")
        w = 7.0 * width(text) + 4
        cx = px + {"left": -1, "right": 1, "center": 0}[h] * (w / 2 + 8)
        cy = py + {"top": 1, "bottom": -1, "middle": 0}[v] * (8 + 8)
        boxes.append((cx - w / 2, cy - 8, cx + w / 2, cy + 8))

    def hit(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
        return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])

    for i, box in enumerate(boxes):
        for j, (px, py) in enumerate(at):
            assert j == i or not hit(box, (px - 7, py - 7, px + 7, py + 7)), (labels[i], labels[j])
        for j in range(i + 1, len(boxes)):
            assert not hit(box, boxes[j]), (labels[i], labels[j])


def test_grouped_bar_labels_share_the_width_among_the_clusters() -> None:
    """The review: the Russian funnel's five steps, wrapped at 14 columns each, ran into each
    other in a half-width card ("Тест-драйв →Заказ → выдача"). Each label's lines now take a
    share of the width, so five clusters' labels fit side by side; few clusters keep 14."""
    import polars as pl

    from cx.charts import figures
    from cx.core.display import width

    steps = ["Лид → тест-драйв", "Тест-драйв → заказ", "Заказ → выдача",
             "Выдача → удержание в сервисе", "Выдача → рекомендация"]  # fmt: skip
    df = pl.DataFrame({"step": steps * 2, "channel": ["a"] * 5 + ["b"] * 5, "pct": [1.0] * 10})
    fig = figures.grouped_bars(df, "step", "channel", "pct", "t", "s")
    lines = [line for label in fig.data[0].x for line in label.split("<br>")]
    assert max(width(line) for line in lines) * len(steps) <= figures.CATEGORY_COLUMNS
    two = figures.grouped_bars(df.filter(pl.col("step").is_in(steps[:2])), "step", "channel",
                               "pct", "t", "s")  # fmt: skip
    assert list(two.data[0].x) == [figures.wrap(s, 14) for s in steps[:2]]


def test_grouped_bars_let_long_unbreakable_labels_turn() -> None:
    """The review: at 1366 in Russian the outlet-stage chart's "Обслуживание (сервис)" ran into
    "Прозрачность цен": a word as wide as a cluster's share of the card cannot be broken, and
    the labels were held level. Such labels are left to Plotly, which turns them only when
    they would collide; short ones stay level."""
    stages = ["Выбор", "Покупка", "Получение (выдача)", "Обслуживание (сервис)", "Прозрачность цен"]
    short = ["Shop", "Buy", "Get", "Use"]

    def axis(labels: list[str]) -> object:
        df = pl.DataFrame(
            {
                "c": labels * 2,
                "s": ["a"] * len(labels) + ["b"] * len(labels),
                "v": [50.0] * (2 * len(labels)),
            }
        )
        return figures.grouped_bars(df, "c", "s", "v", "t", "s").layout.xaxis.tickangle

    assert axis(stages) is None
    assert axis(short) == 0


def test_a_card_keeps_room_for_the_last_tick_label_and_ranks_stay_clear_of_the_rules() -> None:
    """The review at 1366: the positions chart's "rank 12 of 20" beside short bars ran across
    the dotted quartile rules, and drawn with Streamlit's theme a card's plot reached the
    figure's right edge, where Plotly hid the "100" that ends a percentile scale."""
    import plotly.graph_objects as go

    from cx.charts import market as market_figures

    rows = pl.DataFrame(
        {
            "label": ["ACSI Automobile 2025", "J.D. Power U.S. CSI 2019"],
            "percentile": [71.4, 40.0],
            "text": ["rank 2 of 7", "rank 12 of 20"],
            "hover": ["a", "b"],
            "url": ["https://a.example", "https://b.example"],
        }
    )
    fig = market_figures.positions(rows, "t", "s")
    bars = fig.data[0]
    assert bars.textposition == "none" and not [s for s in fig.layout.shapes if s.x0 > 100]
    assert all(t in label for t, label in zip(rows["text"], bars.y, strict=True))
    assert figures.screen(fig).layout.margin.r == theme.MARGIN["r"]
    kept = go.Figure(layout={"margin": {"r": 60}})
    assert figures.screen(kept).layout.margin.r == 60


def test_quarterly_waves_are_written_level_with_the_year_where_it_changes() -> None:
    """Seen at 1366: the Brands trend's eight waves "2023Q1" ... "2024Q4", tilted in a
    half-width card, ran into each other. Quarters are written level on two lines, the year
    once per year; a wave named otherwise is left as it is."""
    from cx.charts.labels import wave_ticks

    waves = ["2023Q3", "2023Q4", "2024Q1", "2024Q2"]
    assert wave_ticks(waves) == ["Q3<br>2023", "Q4", "Q1<br>2024", "Q2"]
    assert wave_ticks(["2024Q1", "Wave 5"]) is None and wave_ticks([]) is None
    df = pl.DataFrame(
        {"wave": waves * 2, "brand": ["A"] * 4 + ["B"] * 4, "nps": [1.0] * 8,
         "ci_low": [0.0] * 8, "ci_high": [2.0] * 8}
    )  # fmt: skip
    axis = figures.trend(df, "wave", "brand", "t", "s", "95%").layout.xaxis
    assert list(axis.tickvals) == waves and list(axis.ticktext) == wave_ticks(waves)
    assert axis.tickangle == 0
    named = figures.trend(
        df.with_columns(wave=pl.col("wave") + " wave"), "wave", "brand", "t", "s", "95%"
    )
    assert named.layout.xaxis.ticktext is None


def _charts_of(con: duckdb.DuckDBPyConnection, key: str, sel: Selection, **picks: object) -> dict:
    report = BY_KEY[key]
    run = run_on(con)
    result = report.compute(run, sel, Options(), **picks)
    return {c.key: c for c in report.charts(result, dataset_source(run, "demo").of(sel))}


def test_map_circles_are_sized_by_n_alone_in_pixels() -> None:
    """The screen's map drew circles in metres, √n × 9000 capped at 600 km: every country
    reached the cap and the projection then grew them with latitude (Sweden twice India at
    equal n). Sizes are pixels from n alone, area growing with n; too few answers is small."""
    from cx.charts import maps

    sizes = maps.circle_sizes([18_000, 18_000, 4_500, 0], [False, False, False, False])
    assert sizes[0] == sizes[1] == maps.CIRCLE_PX[1] and sizes[3] == maps.CIRCLE_PX[0]
    low = maps.CIRCLE_PX[0]
    assert abs((sizes[2] - low) / (sizes[0] - low) - 0.5) < 1e-12  # area ∝ n above the least
    assert maps.circle_sizes([50, 20_000], [False, True]) == [maps.CIRCLE_PX[1], maps.TOO_SMALL_PX]
    assert "white: +15, all countries together" in maps.map_key(15.2)


def test_every_survey_chart_of_these_pages_says_its_n(con: duckdb.DuckDBPyConnection) -> None:
    """A review found no n under Dealer vs direct's three charts, a brand ranked across
    countries ("Novaro does best in United Kingdom" on 43 answers) and the brands' trend."""
    wanted = {
        "channels": ("channel_nps", "channel_stages", "channel_switching"),
        "countries": ("brand_by_country",),
        "brands": ("brand_trend",),
    }
    for key, charts in wanted.items():
        made = _charts_of(con, key, Selection())
        for chart in charts:
            assert chart in made, (key, sorted(made))
            assert re.search(r"n = \d", made[chart].subtitle), (chart, made[chart].subtitle)


def test_the_default_trend_shows_brands_with_a_line(con: duckdb.DuckDBPyConnection) -> None:
    """In Japan the top three brands included one with too few answers in every wave: a name
    in the legend and no line. The default picks the highest ranked with two waves to show,
    else the top ones as ranked."""
    from cx.reports import brands

    result = brands.compute(run_on(con), Selection(), Options())
    lines = dict(result.trend.filter(~pl.col("suppressed")).group_by("brand").len().iter_rows())
    assert result.focus and all(lines.get(b, 0) >= 2 for b in result.focus), lines
    waves = pl.DataFrame(
        {"brand": ["A", "A", "B", "B", "C", "C", "D", "D"],
         "suppressed": [False, False, True, True, False, True, False, False]}
    )  # fmt: skip
    assert brands.trended(("A", "B", "C", "D"), waves, 2) == ("A", "D")
    assert brands.trended(("B", "C"), waves) == ("B", "C")  # none has a line: as ranked
    assert brands.trended(("A", "B"), pl.DataFrame()) == ("A", "B")


def test_the_terms_chart_says_the_filters_do_not_apply(con: duckdb.DuckDBPyConnection) -> None:
    """The distinguishing terms are the whole dataset's; their footnote opened with
    "countries: Japan · 6,059 respondents who commented" over the same bars as every other
    selection's."""
    made = _charts_of(con, "voice", Selection(countries=("JP",)))
    for key in ("distinguishing_terms", "candidate_topics"):
        assert key in made, sorted(made)
        subtitle = made[key].subtitle
        assert "Japan" not in subtitle and "filters do not apply" in subtitle, subtitle


def test_a_weighted_group_too_small_says_its_effective_n() -> None:
    """China's 32 answers read "n too small" under a minimum of 30 with nothing saying the
    minimum is on the effective n of weighted answers; its hover says both."""
    rows = pl.DataFrame(
        {"brand": ["A", "B"], "nps": [None, 10.0], "ci_low": [None, 5.0], "ci_high": [None, 15.0],
         "n": [32, 400], "n_effective": [24.6, 390.0], "suppressed": [True, False]}
    )  # fmt: skip
    hover = figures._nps_hover(rows, ["A", "B"], [0.0, 10.0], [True, False])
    assert "n = 32, effective n = 25: too small to report" in hover[0]
    assert "effective" not in hover[1]
    same = rows.with_columns(n_effective=pl.col("n").cast(pl.Float64))
    assert "effective" not in figures._nps_hover(same, ["A", "B"], [0.0, 10.0], [True, False])[0]


def test_a_region_s_countries_fill_the_maps() -> None:
    """An upload of Germany, Austria and Switzerland drew three circles on one spot of a world
    map, their labels over each other (screen and export). The maps now show the countries'
    part of the world, with a margin; the demo's countries, spread over the world, keep the
    world view."""
    import math

    import polars as pl

    from cx.charts import maps

    countries = pl.read_csv("data/world_countries.csv").filter(
        pl.col("country").is_in(["DE", "AT", "CH"])
    )
    lons, lats = countries["longitude"].to_list(), countries["latitude"].to_list()
    assert len(lons) == 3
    (west, east), (south, north) = maps.extent(lons, lats)
    assert west < min(lons) and max(lons) < east and south < min(lats) and max(lats) < north
    assert maps.NARROWEST <= east - west < 60 and north - south < 40  # a region, not the world
    latitude, longitude, zoom = maps.deck_view(((west, east), (south, north)))
    # the screen's map at that zoom shows the whole extent (deck.gl: 512 px for the world)
    width, height = maps.SCREEN_MAP_PX
    world_px = 512 * 2**zoom
    assert (east - west) / 360 * world_px <= width + 1e-6
    y = maps._mercator  # the projection the view is fitted with
    assert (y(north) - y(south)) / (2 * math.pi) * world_px <= height + 1e-6
    assert south < latitude < north and west < longitude < east and zoom > 3
    figure = maps.static_map(
        countries.with_columns(n=pl.lit(500), nps=pl.lit(20.0), suppressed=pl.lit(False)), "t", "s"
    )
    assert tuple(figure.layout.xaxis.range) == (west, east)
    # the demo's countries span the world: the view every earlier screenshot shows
    every = pl.read_csv("data/countries.csv")
    world = maps.extent(every["longitude"].to_list(), every["latitude"].to_list())
    assert world == maps.WORLD and maps.deck_view(world) == (25.0, 15.0, 0.35)
    # the map draws radii that double with each zoom step in: circles sized for the world view
    # filled a map of three European countries until scaled back
    assert maps.radius_scale(0.35) == 1.0 and maps.radius_scale(zoom) == 2 ** (0.35 - zoom)
    assert maps.extent([], []) == maps.WORLD


def test_the_switching_chart_counts_respondents_as_its_table_does(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Sweden: "n = 20-147" under switching bars of 92 to 672 respondents (the sum of survey
    weights of those answering); the default view's "n = 9,171-54,160" over 9,845-55,189. The
    subtitle counts respondents, as the table's n and the suppression do."""
    for selection in (Selection(), Selection(countries=("SE",)), Selection(countries=("JP",))):
        chart = _charts_of(con, "channels", selection)["channel_switching"]
        ns = [int(v) for v in chart.table[display.COLUMN_NAMES["n"]].to_list()]
        low, high = display.count(min(ns)), display.count(max(ns))
        said = f"n = {low}" if low == high else f"n = {low}-{high}"
        assert chart.subtitle.endswith(said), (chart.subtitle, ns)


def test_a_trend_of_one_wave_says_one_wave_not_too_few_answers(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Japan, 2024Q4: the brands' trend said "Too few responses per wave to show a trend" over
    a subtitle of 33 to 293 answers a brand and wave: one wave was chosen."""
    one = _charts_of(con, "brands", Selection(countries=("JP",), waves=("2024Q4",)))
    assert one["brand_trend"].title == "One wave in this selection: no trend to show"
    every = _charts_of(con, "brands", Selection(countries=("JP",)))
    assert "One wave" not in every["brand_trend"].title


def test_the_funnel_s_and_the_published_figures_tables_are_in_the_language_shown(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """In Chinese and Russian the funnel's columns read "Lead → test drive %" (a name made of a
    step's label and " %", never translated whole) and the published figures' Role column
    "Brand", "Manufacturer or group" (values marked, never translated)."""
    from cx.core import i18n
    from cx.models import market as market_model

    english_roles = set(market_model.ROLE_NAMES.values())
    for lang in ("zh", "ru"):
        with i18n.use(lang):
            funnel = _charts_of(con, "channels", Selection())["channel_funnel"]
            shown = display.headers(funnel.table.columns)
            assert not [h for h in shown if "→" in h and h.isascii()], shown
            ranking = _charts_of(con, "market", Selection())["market_ranking"]
            role = display.COLUMN_NAMES["role_name"]
            roles = set(ranking.table[role].drop_nulls().to_list())
            assert roles and not roles & english_roles, (lang, roles)
            # the publishers' averages are category words: "Industry average" said in the language
            entities = set(ranking.table[display.COLUMN_NAMES["entity"]].to_list())
            assert not entities & set(market_model.AVERAGE_NAMES), (lang, entities)


def test_what_is_left_out_is_said_as_the_suppression_counts_it(
    default_con: duckdb.DuckDBPyConnection,
) -> None:
    """Suppression is on n or effective n (weights count answers down): "brands under n = 30
    omitted" stood over two brands of n = 32 left out, and Japan's "n = none per country"
    over a table of n = 30 (effective n 27.9)."""
    sel = Selection(countries=("JP",), waves=("2024Q4",))
    con = default_con  # the demo of the review
    split = _charts_of(con, "brands", sel)["brand_nps_split"]
    assert "brands under n or effective n = 30 omitted" in split.subtitle
    by_country = _charts_of(con, "countries", sel, brand="Voltara")["brand_by_country"]
    assert "n = none" not in by_country.subtitle
    assert "n under the minimum: at most 30 per country" in by_country.subtitle


def test_the_stages_by_channel_mark_the_gaps_their_subtitle_calls_significant(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The subtitle named a test of each channel against dealer sales, six of eight gaps were
    significant in the table, and no bar showed which (screen or slide). A significant gap's
    label carries ▲/▼, on the screen and on the slide, and only there."""
    chart = _charts_of(con, "channels", Selection())["channel_stages"]
    table = chart.table
    flagged = {
        (r["Stage"], r["Channel"]): r["Gap to dealer (points)"] > 0
        for r in table.iter_rows(named=True)
        if r["Significant vs dealer"]
    }
    assert flagged and "▲▼ gap to dealer sales" in chart.subtitle
    # on the screen each mark stands above its bar's whisker, at the bar's value or higher
    names = [t.name for t in chart.figure.data]
    width = (1 - figures.BARGAP) / len(names)
    stages = [str(x).replace("<br>", " ") for x in chart.figure.data[0].x]
    marked = {}
    for note in chart.figure.layout.annotations:
        if note.text in ("▲", "▼"):
            j = round(note.x)
            i = round((note.x - j + (1 - figures.BARGAP) / 2) / width - 0.5)
            marked[(stages[j], names[i])] = note.text == "▲"
    assert marked == flagged, (marked, flagged)
    assert chart.native is not None and chart.native.point_texts is not None
    on_slide = {
        (chart.native.categories[j], chart.native.series[i][0]): text.endswith("▲")
        for i, texts in enumerate(chart.native.point_texts)
        for j, text in enumerate(texts)
        if text
    }
    assert on_slide == flagged


def test_bar_labels_write_a_percentage_as_the_language_does(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Russian chart labels wrote "66%" beside tiles and tables of "66 %"."""
    from cx.core import i18n

    with i18n.use("ru"):
        chart = _charts_of(con, "channels", Selection())["channel_stages"]
        labels = [t for trace in chart.figure.data for t in trace.text if t]
        assert labels and all("\u00a0%" in t for t in labels), labels
    with i18n.use("en"):
        chart = _charts_of(con, "channels", Selection())["channel_stages"]
        assert all(
            t.split()[0].endswith("%") for trace in chart.figure.data for t in trace.text if t
        )


def test_the_switching_and_funnel_slides_say_what_their_screen_charts_say(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The switching slide listed Dealer at the top and the screen Direct (bars drawn bottom-up
    on the screen); its labels read "12" where the screen reads "12%", and the funnel's slide
    "38.0%" where the screen reads "38%"."""
    from cx.reports.common import PCT_FORMAT

    charts = _charts_of(con, "channels", Selection())
    switching = charts["channel_switching"]
    assert switching.native is not None and switching.native.number_format == PCT_FORMAT
    on_screen = [str(y) for y in switching.figure.data[0].y]
    assert on_screen[::-1] == switching.native.categories  # the screen's top row is the slide's
    assert charts["channel_funnel"].native.number_format == PCT_FORMAT  # type: ignore[union-attr]


def test_the_funnel_s_column_names_are_its_steps_labels() -> None:
    """The funnel's columns are marked whole (a composed name stayed English in Chinese and
    Russian), so they are each step's label and " %": held to the steps' labels here."""
    from cx.metrics import measures
    from cx.reports.channels import FUNNEL_NAMES

    assert {c: f"{label} %" for c, label in measures.FUNNEL_STEPS}.items() <= FUNNEL_NAMES.items()
