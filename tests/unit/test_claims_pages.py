"""The issue "Claims you can check" (#21), page by page: each numbered defect with a test that
fails without its fix (2: labels under whiskers; 5: titles rounding unlike their labels; 6: the
automotive story mixing industries; 7: scopes a headline or tile misstates), and the families of
comparisons under false-discovery control."""

from __future__ import annotations

import dataclasses
import io
import re
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pytest
from pptx import Presentation
from scipy import stats as scipy_stats
from support.apptest import open_app

from cx.charts import figures, maps, theme
from cx.claims.check import problems
from cx.claims.render import headline
from cx.core.options import Options
from cx.core.schema import AUTOMAKERS, STAGES
from cx.core.selection import Selection
from cx.data import sql
from cx.exports.chart import Chart, DeckMeta
from cx.exports.slides import pptx_deck
from cx.metrics import measures
from cx.models import revenue
from cx.reports import channels as channels_report
from cx.reports import overview as overview_report
from cx.reports import revenue as revenue_report
from cx.reports.base import dataset_source, filter_values
from cx.reports.registry import BY_KEY


def run_on(con: duckdb.DuckDBPyConnection) -> Any:
    return lambda n, p: sql.run(con, n, p)


def charts_of(
    con: duckdb.DuckDBPyConnection, key: str, sel: Selection | None = None, **opts: Any
) -> dict[str, Chart]:
    report = BY_KEY[key]
    result = report.compute(run_on(con), sel or Selection(), Options(**opts))
    return {c.key: c for c in report.charts(result, dataset_source(run_on(con), "demo"))}


# 2. Value labels never under a whisker, minus signs kept --------------------------------------


def _whisker_ends(fig: Any) -> list[float]:
    bar = fig.data[0]
    plus = bar.error_x.array
    return [x + (p or 0.0) for x, p in zip(bar.x, plus, strict=True)] + [max(bar.x), 0.0]


def _value_trace(fig: Any) -> Any:
    return next(t for t in fig.data if t.name == figures.VALUE_COLUMN)


def test_value_labels_stand_right_of_every_whisker_and_keep_their_minus() -> None:
    """France -10 with its interval reaching -2 read "+10"-ish: the label sat on the whisker's
    end, whose line ran into the minus sign. Labels now stand in a column right of every
    whisker end, and a negative value's label starts with a minus."""
    frame = pl.DataFrame(
        {
            "country": ["France", "Japan", "Brazil", "Spain"],
            "nps": [-10.2, -1.4, 26.0, 0.3],
            "ci_low": [-18.0, -9.0, 20.0, -7.0],
            "ci_high": [-2.0, 6.5, 32.0, 7.5],
            "n": [400.0, 380.0, 500.0, 300.0],
            "suppressed": [False] * 4,
        }
    )
    fig = figures.nps_ranking(frame, "country", "t", "s", "95%", colour="plain")
    values = _value_trace(fig)
    ends = _whisker_ends(fig)
    for x, text, name in zip(values.x, values.text, values.y, strict=True):
        assert x > max(ends), (name, x, max(ends))
        value = frame.filter(pl.col("country") == name)["nps"][0]
        if round(value) < 0:
            assert text.startswith(("-", "−")), (name, text)
    # and the axis leaves room for the column
    assert fig.layout.xaxis.range[1] > values.x[0]


def test_topic_gap_labels_stand_clear_of_their_whiskers(con: duckdb.DuckDBPyConnection) -> None:
    """Voice's NPS impact of topics put each label on its whisker's end, whose cap ran into it
    ("+50" read "++50"); each label now stands past its interval's outer end, on its side."""
    fig = charts_of(con, "voice")["topic_nps_impact"].figure
    bar = fig.data[0]
    span = fig.layout.xaxis.range[1] - fig.layout.xaxis.range[0]
    ends = {}
    for y, x, plus, minus in zip(
        bar.y, bar.x, bar.error_x.array, bar.error_x.arrayminus, strict=True
    ):
        ends[y] = (x - (minus or 0.0), x + (plus or 0.0))
    placed = 0
    for trace in fig.data[1:]:
        right = trace.textposition == "middle right"
        for y, x, text in zip(trace.y, trace.x, trace.text, strict=True):
            low, high = ends[y]
            clear = x - high if right else low - x
            assert clear > 0.01 * span, (y, text, clear)
            assert text.startswith(("+", "-", "−", "0")) or "too small" in text, text
            placed += 1
    assert placed == len(bar.y)


@pytest.mark.parametrize(
    ("key", "charts"),
    [
        ("brands", ("brand_nps_ranking",)),
        ("countries", ("country_nps", "brand_by_country")),
        ("channels", ("channel_nps",)),
    ],
)
def test_every_nps_ranking_keeps_labels_clear_on_screen_png_and_slide(
    con: duckdb.DuckDBPyConnection, key: str, charts: tuple[str, ...]
) -> None:
    """The same figure is drawn on screen (its title dropped) and rendered to PNG; the slide's
    native chart carries the values beside the names, never as labels on error bars."""
    from components.cards import screen_figure

    found = charts_of(con, key)
    for chart_key in charts:
        chart = found[chart_key]
        for fig in (chart.figure, screen_figure(chart)):
            values = _value_trace(fig)
            assert min(values.x) > max(_whisker_ends(fig)), chart_key
        native = chart.native
        assert native is not None and native.value_labels is False and native.errors
        rows = chart.table.sort("NPS", descending=True, nulls_last=True)
        for category, row in zip(native.categories, rows.iter_rows(named=True), strict=True):
            if row["n too small"]:
                assert category.endswith("n too small")
            elif round(row["NPS"]) < 0:
                assert re.search(r"  -\d+( [▲▼])?$", category), category
        meta = DeckMeta(page=key, filters="all respondents", dataset="demo")
        deck = Presentation(io.BytesIO(pptx_deck([chart], meta)))
        plot = next(s for s in list(deck.slides)[1].shapes if s.has_chart).chart.plots[0]
        assert not plot.has_data_labels, chart_key


# 5. Titles round as their own labels do -------------------------------------------------------


def _channels_with(
    con: duckdb.DuckDBPyConnection,
    purchase: dict[str, float],
    switch: dict[str, dict[str, float]],
) -> dict[str, Chart]:
    """The Channels page's charts over the fixture, with the purchase satisfaction and the
    switching answers (per channel) set to values whose exact sums round unlike their labels."""
    result = channels_report.compute(run_on(con), Selection(), Options())
    stages = result.stages.with_columns(
        top2_pct=pl.when(pl.col("item") == "purchase")
        .then(pl.col("channel").replace_strict(purchase, default=None, return_dtype=pl.Float64))
        .otherwise(pl.col("top2_pct"))
    )
    sw = result.switch
    for channel, answers in switch.items():
        sw = sw.with_columns(
            pl.when(pl.col("channel") == channel).then(v).otherwise(pl.col(c)).alias(c)
            for c, v in answers.items()
        )
    sw = sw.with_columns(switch_18m_pct=pl.col("within_6m_pct") + pl.col("6_18m_pct"))
    changed = dataclasses.replace(result, stages=stages, switch=sw)
    source = dataset_source(run_on(con), "demo")
    return {c.key: c for c in channels_report.charts(changed, source)}


def test_channel_titles_add_up_with_the_labels_on_their_bars(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Bars of 70% and 47% (69.6 and 47.4) said "22 points more satisfied"; labels of 12% and
    19% (12.4 and 19.4) said "32% intend to switch". Titles now say what the labels add up to."""
    found = _channels_with(
        con,
        {"direct": 69.6, "dealer": 47.4, "agency": 55.0},
        {
            "dealer": {"within_6m_pct": 12.4, "6_18m_pct": 19.4, "later_pct": 30, "no_pct": 38.2},
            "direct": {"within_6m_pct": 5.0, "6_18m_pct": 10.0, "later_pct": 30, "no_pct": 55.0},
            "agency": {"within_6m_pct": 6.0, "6_18m_pct": 11.0, "later_pct": 30, "no_pct": 53.0},
        },
    )
    stages = found["channel_stages"]
    labels = {
        t.name: dict(zip(t.x, t.text, strict=True)) for t in stages.figure.data
    }  # legend name -> category -> label
    direct, dealer = labels["Direct"]["Purchase"], labels["Dealer"]["Purchase"]
    assert (direct, dealer) == ("70%", "47%")
    assert "are 23 points more satisfied with the purchase" in stages.title, stages.title
    switching = found["channel_switching"]
    bars = {t.name: t for t in switching.figure.data}
    row = list(bars["Within 6 months"].y).index("Dealer")
    shown = [bars[n].text[row] for n in ("Within 6 months", "In 6-18 months")]
    assert shown == ["12%", "19%"]
    assert switching.title.startswith("31% of dealer customers intend to switch"), switching.title
    for chart in (stages, switching):
        for claim in chart.claims:
            assert problems(claim, chart.table) == [], chart.title


# 6. The automotive model reads automotive answers; the Overview says its scope --------------


def test_the_revenue_tile_reads_automakers_answers_unless_the_sidebar_leaves_them_out(
    con: duckdb.DuckDBPyConnection,
) -> None:
    run = run_on(con)
    over = overview_report.compute(run, Selection(), Options())
    autos = revenue_report.compute(
        run, Selection(industries=(AUTOMAKERS,)), Options(), preset=revenue.DEFAULT_PRESET
    )
    everyone = measures.stage_by(run, Selection(), "all", Options())
    mixed = everyone.filter(pl.col("item") == "maintain")["dissatisfied_pct"][0] / 100
    assert over.risk.inputs["dissatisfied_share"] == pytest.approx(
        autos.inputs["dissatisfied_share"]
    )
    assert over.risk.inputs["dissatisfied_share"] != pytest.approx(mixed)
    tile = next(k for k in overview_report.kpis(over) if k.label == "Revenue at risk")
    assert tile.value == revenue_report.kpis(autos)[0].value
    assert "Automakers customers" in tile.note
    page = revenue_report.compute(run, Selection(), Options())
    assert page.outputs == over.risk.outputs and "Automakers customers" in page.reads
    # the sidebar leaves automakers out: the model reads exactly the industries chosen
    banks = Selection(industries=("Banking", "Insurance"))
    narrowed = revenue_report.compute(run, banks, Options())
    assert "Banking and Insurance customers" in narrowed.reads
    assert "Banking and Insurance" in revenue_report.kpis(narrowed)[0].note


def test_the_overview_states_which_industries_its_figures_cover(
    con: duckdb.DuckDBPyConnection,
) -> None:
    run = run_on(con)
    count = len(filter_values(run, "demo")["industries"])
    over = overview_report.compute(run, Selection(), Options())
    line = overview_report.scope_line(over)
    assert f"Figures cover all {count} industries" in line and "Automakers customers" in line
    tiles = {k.label.split(",")[0]: k for k in overview_report.kpis(over)}
    assert f"all {count} industries" in tiles["NPS"].note
    charts = {c.key: c for c in overview_report.charts(over, dataset_source(run, "demo"))}
    assert all(f"all {count} industries" in c.subtitle for c in charts.values())
    one = overview_report.compute(run, Selection(industries=("Banking",)), Options())
    assert overview_report.scope_line(one).startswith("Figures cover Banking;")
    # the review: "Maintain is the weakest stage (41% satisfied); 47% ... intend to switch"
    # beside Journey's and the revenue model's automakers (33%, 57%): the finding says whose
    for result, scope in ((over, f"all {count} industries"), (one, "Banking")):
        stage = next(f for f in result.findings if f.label == "Satisfaction by stage")
        said = headline(stage.claims)  # one stage, or those its whiskers cannot tell from it
        assert re.search(rf"the weakest stages? among customers of {scope} \(", said), said


@pytest.mark.usefixtures("app_env")
def test_the_overview_page_says_its_scope_above_the_tiles() -> None:
    at = open_app("pages/overview.py", timeout=60)
    assert not at.exception
    assert any(m.value.startswith("Figures cover all ") for m in at.markdown)


# 7. Scopes said as they are ------------------------------------------------------------------


def test_one_industry_chosen_in_the_filters_is_not_called_the_dataset(
    con: duckdb.DuckDBPyConnection,
) -> None:
    chart = charts_of(con, "industries", Selection(industries=("Banking",)))["industry_nps"]
    assert "chosen in the filters" in chart.title and "in this dataset" not in chart.title


def test_the_overview_tiles_are_one_wave_and_one_scope(con: duckdb.DuckDBPyConnection) -> None:
    """A detractors tile for all waves stood beside an NPS tile for the latest wave."""
    run = run_on(con)
    over = overview_report.compute(run, Selection(), Options())
    by_wave = measures.nps_by(run, Selection(), "wave").sort("wave")
    last = by_wave.row(-1, named=True)
    tiles = {k.label: k for k in overview_report.kpis(over)}
    detractors = tiles[f"Detractors, {last['wave']}"]
    assert detractors.value == f"{last['detractors_pct']:.0f}%"
    assert f"NPS, {last['wave']}" in tiles
    assert over.scope in detractors.note and over.scope in tiles[f"NPS, {last['wave']}"].note


def test_the_overview_revenue_tile_says_it_is_a_model_estimate(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The review: the Overview's "Revenue at risk $532M" stood among survey tiles, and on the
    deck's key figures, with nothing saying it is a model's (only the Revenue page says so)."""
    over = overview_report.compute(run_on(con), Selection(), Options())
    tile = {k.label: k for k in overview_report.kpis(over)}["Revenue at risk"]
    assert tile.note.startswith("Model estimate · ")
    meta = DeckMeta("overview", "all respondents", "demo", kpis=overview_report.kpis(over))
    prs = Presentation(io.BytesIO(pptx_deck([], meta)))
    text = " ".join(
        sh.text_frame.text for sl in prs.slides for sh in sl.shapes if sh.has_text_frame
    )
    assert "Model estimate · " in text
    # and on the model's own page: its key figures slide has no badge (a strategist's review)
    page = revenue_report.kpis(revenue_report.compute(run_on(con), Selection(), Options()))
    assert page[0].note.startswith("Model estimate · ")


def test_answer_counts_in_captions_count_only_the_cells_shown(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """With minimum n 100 the heatmap said "n = 81-1,531": the 81 was a suppressed cell."""
    report = BY_KEY["journey"]
    opts = Options(min_n=100)
    result = report.compute(run_on(con), Selection(), opts)
    cells = result.by_brand.filter(pl.col("item").is_in(list(STAGES)))
    assert cells.filter(pl.col("suppressed")).height > 0, "the fixture should hide some cells"
    shown = cells.filter(~pl.col("suppressed"))
    heat = {c.key: c for c in report.charts(result, dataset_source(run_on(con), "demo"))}[
        "brand_stage_heatmap"
    ]
    low = re.search(r"n = ([\d,]+)-", heat.subtitle)
    assert low is not None
    assert float(low.group(1).replace(",", "")) == shown["n"].min() >= 100


def test_the_map_says_what_it_shows_and_has_a_legend_on_screen_and_in_exports(
    con: duckdb.DuckDBPyConnection,
) -> None:
    found = charts_of(con, "countries")
    world = found["country_map"]
    assert "region" not in world.title.lower(), world.title
    assert world.claims and all(problems(c, world.table) == [] for c in world.claims)
    assert "Region" not in {getattr(c, "label", "") for c in world.claims}
    bar = world.figure.data[1].marker
    assert bar.colorbar.title.text == "NPS" and bar.colorscale is not None
    assert [[float(a), b] for a, b in bar.colorscale] == [[float(a), b] for a, b in theme.MAP_SCALE]
    legend = maps.map_legend(-5.0, 26.0)
    assert list(legend.layout.xaxis.ticktext) == ["-5", "+10", "+26"]
    # the screen's circles are coloured on the legend's scale (what Plotly draws)
    assert theme.scale_rgb(theme.MAP_SCALE, 0.0) == theme.rgb("#B35806")
    assert theme.scale_rgb(theme.MAP_SCALE, 0.5) == theme.rgb("#F7F7F7")
    assert theme.scale_rgb(theme.MAP_SCALE, 1.0) == theme.rgb("#542788")


def test_one_country_chosen_is_said_so_not_called_short_of_responses(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """With the sidebar on Germany alone, the page said "the one country with enough
    responses", "too few countries with enough responses to compare", "controlled across the 0
    countries" and, over a bar of Germany, "too few responses per country to rank"; the map's
    colours ran from -40 to +40 with Germany beyond them."""
    report = BY_KEY["countries"]
    result = report.compute(run_on(con), Selection(countries=("DE",)), Options())
    found = {c.key: c for c in report.charts(result, dataset_source(run_on(con), "demo"))}
    assert "the only country in this selection" in found["country_map"].title
    one = "One country in this selection: choose more in the sidebar to compare"
    assert found["country_nps"].title == one and found["brand_by_country"].title == one
    assert (
        " 0 " not in found["country_nps"].subtitle
        and "controlled" not in found["country_nps"].subtitle
    )
    nps = float(result.by_country["nps"][0])
    low, high = result.colour_range
    assert low < nps < high and (low + high) / 2 == pytest.approx(result.sample_nps)
    for chart in found.values():
        assert all(problems(c, chart.table) == [] for c in chart.claims), chart.key
    # two countries: as before
    two = report.compute(run_on(con), Selection(countries=("DE", "US")), Options())
    titles = [c.title for c in report.charts(two, dataset_source(run_on(con), "demo"))]
    assert one not in titles


def test_countries_a_few_points_apart_are_pale_on_the_map() -> None:
    """Countries within 5 points of each other, none significantly apart, were painted from
    white to full orange: the colours reach at least 10 points either side of the sample."""
    from cx.reports import countries

    frame = pl.DataFrame(
        {"country": ["DE", "FR", "AT"], "nps": [46.0, 51.0, 48.0], "suppressed": [False] * 3}
    )
    r = countries.CountriesResult(Options(), frame, None, pl.DataFrame(), sample_nps=48.5)
    low, high = r.colour_range
    assert (low, high) == (38.5, 58.5)
    strongest = max(abs(v - 48.5) / (high - low) * 2 for v in frame["nps"].to_list())
    assert strongest <= 0.25  # a quarter of the way to full colour at most


@pytest.mark.usefixtures("app_env")
def test_the_countries_page_draws_the_map_legend() -> None:
    at = open_app("pages/countries.py", timeout=60)
    assert not at.exception
    specs = [str(p.proto.spec) for p in at.get("plotly_chart")]
    assert any("NPS (colour)" in s and "heatmap" in s for s in specs)


# Families of comparisons under false-discovery control -------------------------------------


@pytest.mark.parametrize(
    ("key", "chart", "noun"),
    [
        ("countries", "country_nps", "countries"),
        ("channels", "channel_nps", "channels"),
        ("channels", "channel_stages", "comparisons with dealer sales"),
        ("journey", "brand_stage_heatmap", "brand-stage cells"),
        ("brands", "brand_nps_ranking", "brands"),
    ],
)
def test_every_family_a_chart_marks_is_controlled_and_says_so(
    con: duckdb.DuckDBPyConnection, key: str, chart: str, noun: str
) -> None:
    found = charts_of(con, key)[chart]
    assert "q-value (false discovery rate)" in found.table.columns, found.table.columns
    tested = found.table.filter(pl.col("p-value").is_not_null()).height
    assert Options().controlled(tested, noun) in found.subtitle, found.subtitle


def test_channels_against_dealer_sales_match_a_z_test_and_benjamini_hochberg(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Each channel against dealer sales on each stage: scipy's normal test of the adjusted
    centres and scipy's Benjamini-Hochberg give the same p- and q-values."""
    opts = Options()
    stages = measures.stage_by(run_on(con), Selection(industries=(AUTOMAKERS,)), "channel", opts)
    tested = measures.stage_versus_one(stages, "channel", "dealer", opts)
    ref = tested.filter(pl.col("channel") == "dealer").select(
        "item", rc=pl.col("top2_centre"), rs=pl.col("top2_se")
    )
    rows = tested.join(ref, on="item").filter(
        (pl.col("channel") != "dealer") & pl.col("p_value").is_not_null()
    )
    z = (rows["top2_centre"] - rows["rc"]) / (rows["top2_se"] ** 2 + rows["rs"] ** 2).sqrt()
    p = 2 * scipy_stats.norm.sf(np.abs(z.to_numpy()))
    assert np.allclose(rows["p_value"].to_numpy(), p)
    q = scipy_stats.false_discovery_control(p, method="bh")
    assert np.allclose(rows["q_value"].to_numpy(), q)
    assert rows["significant"].to_list() == list(q < 1 - opts.confidence)


def test_the_top_term_has_room_above_it_for_its_label(con: duckdb.DuckDBPyConnection) -> None:
    """Voice's distinguishing terms: the legend above the plot ran over the top bar's value
    label ("+47.3"). The category axis keeps a category's room above the top bar."""
    chart = next(c for c in charts_of(con, "voice").values() if c.key == "distinguishing_terms")
    bars = [t for t in chart.figure.data if t.type == "bar"]
    names = {y for t in bars for y in t.y}
    low, high = chart.figure.layout.yaxis.range
    assert high >= len(names) - 0.5 + 0.8 and low <= -0.5


@pytest.mark.parametrize("sel", [Selection(), Selection(industries=("Banking",))])
def test_the_maps_colours_say_above_or_below_as_the_ranking_does(
    con: duckdb.DuckDBPyConnection, sel: Selection
) -> None:
    """The review: the map's white middle was the middle of the countries' range (+10) while
    the sample stood at +14, so Canada (+14) was purple on the map and orange, significantly
    below the rest of the sample, in the ranking beside it. The scale's middle is now the
    sample's NPS, and every country the ranking calls above or below is coloured so."""
    from cx.reports import countries

    run = run_on(con)
    r = countries.compute(run, sel, Options())
    lo, hi = r.colour_range
    whole = sql.run(con, "nps_by_group", sel.params(by="all"))
    sample = 100 * float(whole["swp"][0] - whole["swd"][0]) / float(whole["sw"][0])
    assert r.sample_nps == pytest.approx(sample)  # every demo answer has a country
    assert (lo + hi) / 2 == pytest.approx(sample)
    assert maps.legend_ticks(lo, hi)[1] == pytest.approx(sample)
    shown = r.by_country.filter(~pl.col("suppressed"))
    assert lo <= shown["nps"].min() and shown["nps"].max() <= hi
    white = theme.scale_rgb(theme.MAP_SCALE, 0.5)
    for row in shown.filter(pl.col("significant")).iter_rows(named=True):
        colour = theme.map_rgba(row["nps"], lo, hi)[:3]
        purple = colour[2] - colour[0] > 0  # the scale runs orange (red-heavy) to purple
        assert colour != list(white) and purple == (row["gap"] > 0), row["country"]


@pytest.mark.parametrize("language", ["en", "zh", "ru"])
def test_the_funnels_headline_figure_is_on_its_chart(
    con: duckdb.DuckDBPyConnection, language: str
) -> None:
    """The review: "Dealer converts 10.3% of leads into orders" stood over bars of single steps
    (dealers' test drive → order the lowest), the 10.3% on none of them. Each channel's legend
    name, on screen and in the deck, now carries its leads that became orders."""
    from cx.claims.render import shown
    from cx.core import i18n

    run = run_on(con)
    with i18n.use(language):
        result = channels_report.compute(run, Selection(), Options())
        drawn = {c.key: c for c in channels_report.charts(result, dataset_source(run, "demo"))}
        funnel = drawn["channel_funnel"]
        (claim,) = funnel.claims
        figure = shown(claim.figure)  # as the language writes it (10,3 % in Russian)
    assert problems(claim, funnel.table) == []
    legend = [t.name for t in funnel.figure.data]
    assert figure in funnel.title
    assert sum(figure in name for name in legend) >= 1
    assert funnel.native is not None and [s[0] for s in funnel.native.series] == legend


@pytest.mark.parametrize("language", ["en", "zh", "ru"])
def test_the_funnel_says_it_shows_crm_records_not_the_survey(
    con: duckdb.DuckDBPyConnection, language: str
) -> None:
    """The review: the funnel's numbers are the dataset's dealer-CRM records, but the chart was
    typed as survey, so its badge, its slide's kicker and its footnote read "Survey sample ·
    Dealer-CRM records …, not survey answers". It is its own kind now, named once in the
    subtitle's own words."""
    from cx.core import i18n
    from cx.exports.slides import footnote

    run = run_on(con)
    with i18n.use(language):
        result = channels_report.compute(run, Selection(), Options())
        drawn = {c.key: c for c in channels_report.charts(result, dataset_source(run, "demo"))}
        funnel = drawn["channel_funnel"]
        records = i18n._(theme.PROVENANCE["records"].label)
        survey = i18n._(theme.PROVENANCE["survey"].label)
        line = theme.provenance_line(funnel.kind, funnel.subtitle)
        note = footnote(
            funnel, DeckMeta(page="channels", filters="all respondents", dataset="demo")
        )
    assert funnel.kind == "records"
    assert line == funnel.subtitle and line.startswith(records), line
    assert survey not in line and survey not in note
    assert line.count(records) == 1
    # the review: the funnel slide's axis of rates ran to 120%
    assert funnel.native is not None and funnel.native.value_range == (0.0, 100.0)
    rates = [v for _name, values in funnel.native.series for v in values if v is not None]
    assert min(rates) >= 0 and max(rates) <= 100


def test_the_brand_ranking_counts_the_brands_below_as_well_as_above(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """An upload's Brands title read "3 of 5 brands are significantly above the rest of their
    industry (BMW, Toyota and Škoda)" over Renault drawn significantly below: the weakest
    finding of the chart was missing from its title. Both sides are counted, against the rest
    of the industry and against a benchmark brand, and each count is the chart's own."""
    from cx.claims.contrasts import Count

    run = run_on(con)
    report = BY_KEY["brands"]
    sel = Selection(industries=(AUTOMAKERS,))
    seen_below = 0
    for picks in ({}, {"compare": "brand"}):
        r = report.compute(run, sel, Options(), **picks)
        chart = next(
            c for c in report.charts(r, dataset_source(run, "demo")) if c.key == "brand_nps_ranking"
        )
        counts = {c.side: c for c in chart.claims if isinstance(c, Count)}
        assert set(counts) == {"above", "below"}, chart.title
        table = chart.table.filter(pl.col("Significant").fill_null(False))
        for side, sign in (("above", 1), ("below", -1)):
            marked = table.filter(pl.col("Gap (points)") * sign > 0).height
            assert counts[side].count == marked, (picks, side, chart.title)
        below = counts["below"].count
        assert below and f"{below} below" in chart.title, chart.title
        assert all(problems(c, chart.table) == [] for c in chart.claims)
        seen_below += below
    assert seen_below


def test_a_family_with_nothing_tested_is_not_called_not_significant(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """A 40-respondent upload's Voice title read "No topic is mentioned significantly more or
    less often by detractors than by promoters" over bars all "n too small", its subtitle
    "controlled across the 0 topics"; What changed said "No significant change in any of the 0
    cells". Nothing was tested, and titles and subtitles say so: Swedish carmakers' customers of
    one wave (87 respondents, 50 who commented) and a single wave of the whole sample."""
    from cx.claims.contrasts import Count, Sides
    from cx.claims.render import untested as untested_

    run = run_on(con)
    source = dataset_source(run, "demo")
    untested: set[str] = set()
    for sel in (
        Selection(countries=("SE",), industries=(AUTOMAKERS,), waves=("2024Q4",)),
        Selection(countries=("SE",), industries=("Banking",), waves=("2024Q3", "2024Q4")),
    ):
        for report in BY_KEY.values():
            for chart in report.charts(report.compute(run, sel, Options()), source):
                assert "across the 0 " not in chart.subtitle, (report.key, chart.subtitle)
                assert " 0 cells" not in chart.title, chart.title
                empty = [c for c in chart.claims if isinstance(c, Count | Sides) and untested_(c)]
                if empty:
                    said = chart.title.lower()
                    assert "too few answers to test" in said or "could be tested" in said, said
                    assert "significant" not in chart.title, chart.title
                    untested.add(chart.key)
    assert {"topic_nps_groups", "topic_nps_impact", "stage_mentions"} <= untested
    changed = BY_KEY["changes"]
    sel = Selection(countries=("SE",), industries=("Banking",), waves=("2024Q3", "2024Q4"))
    made = changed.charts(changed.compute(run, sel, Options()), source)
    assert [c.title for c in made] == ["Too few answers to test a change from 2024Q3 to 2024Q4"]
    assert Options().controlled(0, "topics") == "(none tested)"
    # the review: "controlled across the 1 brands" (a brand opened from What changed's link)
    assert Options().controlled(1, "brands") == "significant at the 95% level (one test)"


def test_an_upload_without_industries_is_all_respondents_not_customers_of_them(
    fixture_db: Any, tmp_path: Any
) -> None:
    """An upload without industries read "the weakest stage among customers of all
    respondents"."""
    from support import survey_files as sf

    from cx.data import connect

    path = sf.stored_copy(fixture_db, tmp_path / "plain.duckdb", "plain", sf.plain(sf.answers(300)))
    con = connect.connect(path)
    try:
        run = run_on(con)
        r = overview_report.compute(run, Selection(dataset="plain"), Options())
        findings = BY_KEY["overview"].summary(r).findings  # type: ignore[misc]
        # the weakest stage, or none clearly weaker or stronger on 300 answers
        stages = [f for f in findings if "weakest stage" in f or "satisfying than" in f]
        assert stages and all("among all respondents" in f for f in stages), findings
        assert not any("customers of all respondents" in f for f in findings)
    finally:
        con.close()


def test_brands_without_an_industry_are_compared_with_the_rest_of_the_sample(
    fixture_db: Any, tmp_path: Any
) -> None:
    """An upload without industries read "3 of 5 brands are significantly above the rest of
    their industry": they have none, and are compared with the rest of the sample."""
    from support import survey_files as sf

    from cx.data import connect

    path = sf.stored_copy(fixture_db, tmp_path / "plain.duckdb", "plain", sf.plain(sf.answers(900)))
    con = connect.connect(path)
    try:
        run = run_on(con)
        report = BY_KEY["brands"]
        r = report.compute(run, Selection(dataset="plain"), Options())
        assert r.industryless
        chart = report.charts(r, dataset_source(run, "plain"))[0]
        assert "industry" not in chart.title and "industry" not in chart.subtitle, chart.title
        assert (
            "the rest of the sample" in chart.title and "the rest of the sample" in chart.subtitle
        )
    finally:
        con.close()
    demo = BY_KEY["brands"].compute(run_on(connect.connect(fixture_db)), Selection(), Options())
    assert not demo.industryless and demo.benchmark_name == "the rest of its industry"


def test_what_changed_counts_small_outlet_waves_as_waves_not_outlets(
    default_con: duckdb.DuckDBPyConnection,
) -> None:
    """ "2,497 outlets under n = 30 left out" of some 550 outlets: the count is of outlets'
    waves, and says so beside the outlet waves tested."""
    from cx.core import display

    run = run_on(default_con)
    report = BY_KEY["changes"]
    r = report.compute(run, Selection(), Options())
    chart = next(
        c for c in report.charts(r, dataset_source(run, "demo")) if c.key == "outlet_flags"
    )
    left_out = r.control.suppressed
    assert left_out > 1
    assert (
        f"{display.count(left_out)} outlet waves under n or effective n = 30 left out"
        in chart.subtitle
    )
    assert "outlet waves tested" in chart.subtitle


def test_voice_says_the_share_commented_is_of_the_language_chosen(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """With Russian chosen, the tile read "Commented 1% of 200,000 respondents", as if the
    Russian comments were all of them."""
    run = run_on(con)
    voice = BY_KEY["voice"]
    every = voice.summary(voice.compute(run, Selection(), Options())).kpis  # type: ignore[misc]
    russian = voice.summary(voice.compute(run, Selection(), Options(), language="ru")).kpis  # type: ignore[misc]
    assert every[1].label == "Commented"
    assert russian[1].label == "Commented in Russian"
    assert float(russian[1].value.rstrip("%")) < float(every[1].value.rstrip("%"))


def test_a_brand_with_no_rest_to_test_against_is_not_called_not_significant(
    fixture_db: Any, tmp_path: Any
) -> None:
    """A one-brand upload read "Norvik leads with an NPS of 0; no brand is significantly above
    the rest of the sample, none below" over a brand with no p-value: it had no rest to be
    tested against. Reportable but untested rows are no test either."""
    from support import survey_files as sf

    from cx.claims.contrasts import Count
    from cx.data import connect

    rows = sf.answers(600)
    for row in rows:
        row["brand"] = "Norvik"
    path = sf.stored_copy(fixture_db, tmp_path / "one.duckdb", "one", sf.plain(rows))
    con = connect.connect(path)
    try:
        run = run_on(con)
        report = BY_KEY["brands"]
        chart = report.charts(
            report.compute(run, Selection(dataset="one"), Options()), dataset_source(run, "one")
        )[0]
    finally:
        con.close()
    counts = [c for c in chart.claims if isinstance(c, Count)]
    assert counts and all(c.total == 1 and c.tested == 0 for c in counts)
    assert chart.title == (  # one brand leads nothing (it read "Norvik leads with an NPS of 0")
        "Norvik is the only brand with enough responses: NPS 0; none of the brands could be tested"
    )
    assert "significant" not in chart.subtitle and "none tested" not in chart.subtitle
    assert "no gap to the rest of the sample tested" in chart.subtitle


def test_stages_all_alike_are_said_alike_on_the_chart_in_the_finding_and_the_tiles(
    fixture_db: Any, tmp_path: Any
) -> None:
    """An upload whose stages all read 38%: the chart said "equally satisfying" while the
    Overview's finding called all eight "the weakest stages", and the Best stage and Weakest
    stage tiles named the same eight."""
    from support import survey_files as sf

    from cx.data import connect

    rows = sf.answers(300)
    stages = list(sf.STAGE_WORDING)
    for row in rows:
        for stage in stages:
            row[stage] = row[stages[0]]
    path = sf.stored_copy(fixture_db, tmp_path / "tie.duckdb", "tie", sf.plain(rows))
    con = connect.connect(path)
    try:
        run = run_on(con)
        report = BY_KEY["overview"]
        r = report.compute(run, Selection(dataset="tie"), Options())
        chart = next(
            c for c in report.charts(r, dataset_source(run, "tie")) if c.key == "stage_top2"
        )
        summary = report.summary(r)  # type: ignore[misc]
    finally:
        con.close()
    assert "equally satisfying" in chart.title
    stage_findings = [f for f in summary.findings if "satisf" in f]
    assert stage_findings and all("weakest" not in f for f in stage_findings), summary.findings
    assert any("equally satisfying among all respondents" in f for f in stage_findings)
    labels = [k.label for k in summary.kpis]
    assert "Best stage" not in labels and "Weakest stage" not in labels
    assert "Stage satisfaction" in labels


@pytest.mark.parametrize("industries", [(AUTOMAKERS,), ()])
def test_the_programme_names_the_industry_of_its_stages_as_the_overview_does(
    con: duckdb.DuckDBPyConnection, industries: tuple[str, ...]
) -> None:
    """The review: with Automakers chosen, the Overview said "Maintain (after-sales) is the
    weakest stage for Automakers (33% satisfied)" and the CX programme page, over the same
    table, "… is the weakest stage (33% satisfied)". Both name the one industry shown, and
    neither names one when several are."""
    sel = Selection(industries=industries)
    overview = charts_of(con, "overview", sel)["stage_top2"]
    programme = charts_of(con, "programme", sel)["stage_top2"]
    assert programme.title == overview.title
    assert (AUTOMAKERS in overview.title) == bool(industries), overview.title


@pytest.mark.parametrize("key", ["brands", "countries", "voice", "channels", "changes"])
def test_every_survey_chart_names_the_industries_it_shows(
    con: duckdb.DuckDBPyConnection, key: str
) -> None:
    """The review: "Voltara leads with an NPS of +26" ranked the 24 Automakers brands of 63,
    and the map with Automakers chosen said "NPS is highest in Brazil (+14)", with nothing on
    either chart saying so; exported alone, both read as the whole sample. The charts of the
    pages that do not name their industries as their scope name them in their source, as they
    name a country chosen."""
    sel = Selection(industries=(AUTOMAKERS,))
    report = BY_KEY[key]
    result = report.compute(run_on(con), sel, Options())
    source = dataset_source(run_on(con), "demo").of(sel)
    charts = [c for c in report.charts(result, source) if c.kind == "survey"]
    assert charts
    for chart in charts:
        if "the filters do not apply" in chart.subtitle:  # Voice's terms: the whole dataset's
            assert AUTOMAKERS not in chart.subtitle, (chart.key, chart.subtitle)
            continue
        assert AUTOMAKERS in chart.subtitle, (chart.key, chart.subtitle)
    if key == "brands":  # the page's own industry, with nothing chosen in the sidebar
        result = report.compute(run_on(con), Selection(), Options())
        source = dataset_source(run_on(con), "demo").of(Selection())
        ranking = next(c for c in report.charts(result, source) if c.key == "brand_nps_ranking")
        assert f": {result.selection.industries[0]}" in ranking.subtitle, ranking.subtitle


def test_the_channel_nps_title_counts_the_channels_below_as_well_as_above(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The review: "Direct sales lead on NPS (+14); 1 of 3 channels is significantly above the
    other channels (Direct)" over Dealer drawn "-2 ▼", significantly below. Both sides are
    counted, each the chart's own."""
    from cx.claims.contrasts import Count

    chart = charts_of(con, "channels")["channel_nps"]
    counts = {c.side: c for c in chart.claims if isinstance(c, Count)}
    assert set(counts) == {"above", "below"}, chart.title
    for claim in counts.values():
        assert problems(claim, chart.table) == []


def test_published_key_figures_and_inputs_say_they_are_published(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The review: the Dealer vs direct deck's key figures (NeoCRM, McKinsey) carried no
    "Published" mark though the screen badges them, and the revenue model's published inputs
    read "Kelley Blue Book, 2024" beside "Survey sample: …" and "Assumption (not a published
    figure)". Both say so now."""
    from cx.models import revenue

    published = theme.PROVENANCE["published"].label
    tiles = channels_report.summary(
        channels_report.compute(run_on(con), Selection(), Options())
    ).kpis
    assert tiles and all(t.note.startswith(f"{published} · ") for t in tiles), tiles
    result = revenue_report.compute(run_on(con), Selection(), Options())
    for spec in revenue.INPUTS:
        source = result.sources[spec.name]
        if spec.source not in ("assumption",) and spec.name not in result.sampled:
            assert source.startswith(f"{published}: "), (spec.name, source)


def test_a_chinese_title_has_no_space_before_its_scope(con: duckdb.DuckDBPyConnection) -> None:
    """The review: "维护（售后）是满意度最低的阶段 （Automakers）（满意率 33%）": the scope was put
    after a space, as English puts "for Automakers"."""
    from cx.core import i18n

    with i18n.use("zh"):
        stages = charts_of(con, "overview", Selection(industries=(AUTOMAKERS,)))["stage_top2"]
    # an executive's review: "维护（售后）是满意度最低的阶段（Automakers）（满意率 33%）", two
    # brackets in a row; the scope now stands before what it scopes
    assert f"是{AUTOMAKERS}中满意度最低的阶段（" in stages.title, stages.title
    assert " （" not in stages.title and "）（" not in stages.title, stages.title
    with i18n.use("zh"):
        found = overview_report.compute(run_on(con), Selection(industries=(AUTOMAKERS,)), Options())
    first = found.findings[0].text if hasattr(found.findings[0], "text") else str(found.findings[0])
    assert "）（" not in first, first
    # the review: "直销购车者 在购买环节" (a space between two Chinese words), on any page
    between = re.compile(r"[\u4e00-\u9fff（）] [\u4e00-\u9fff（）]")
    with i18n.use("zh"):
        titles = [c.title for key in BY_KEY for c in charts_of(con, key).values()]
    assert not [t for t in titles if between.search(t)]
    assert not [t for t in titles if "）（" in t]


def test_one_industry_shown_beside_others_too_small_is_not_called_the_only_one() -> None:
    """The review: Japan, PHEV, 2024Q4 left Automakers (n = 132) and Car dealers (n = 13,
    under n = 30); the title said "NPS of Automakers: +6 (the one industry in this dataset)"
    over a dataset of 13 industries and a table of two."""
    from cx.reports import industries

    def table(rows: list[tuple[str, float, bool]]) -> pl.DataFrame:
        frame = pl.DataFrame(
            {
                "industry": [r[0] for r in rows],
                "n": [r[1] for r in rows],
                "nps": [None if r[2] else 6.3 for r in rows],
                "suppressed": [r[2] for r in rows],
            }
        )
        return industries.nps_table(frame, ["industry"])

    result = industries.IndustriesResult(
        Options(), pl.DataFrame(), pl.DataFrame(), pl.DataFrame(), industries=13
    )
    two = table([(AUTOMAKERS, 132.0, False), ("Car dealers", 13.0, True)])
    said = headline(industries.nps_claims(two, result))
    assert said == "NPS of Automakers: +6 (the only one with enough answers: 1 more has too few)"
    one = headline(industries.nps_claims(table([(AUTOMAKERS, 132.0, False)]), result))
    assert one.endswith("(the one industry in this selection)")
    alone = dataclasses.replace(result, industries=1)
    assert headline(industries.nps_claims(table([(AUTOMAKERS, 132.0, False)]), alone)).endswith(
        "(the one industry in this dataset)"
    )
    chosen = dataclasses.replace(result, narrowed=True)
    assert "1 more has too few" in headline(industries.nps_claims(two, chosen))


def test_one_channel_shown_beside_others_too_small_leads_nothing(
    default_con: duckdb.DuckDBPyConnection,
) -> None:
    """The review: on Japan, PHEV, 2024Q4 the dealer channel alone had enough answers (Direct
    24, Agency 7); the title said "Dealer sales lead on NPS (+3); none of the channels could be
    tested". It now says it is the only one shown, and why; the Industries page says the same
    of Automakers beside 13 car-dealer customers."""
    narrow = Selection(waves=("2024Q4",), countries=("JP",), powertrains=("PHEV",))
    channel = charts_of(default_con, "channels", narrow)["channel_nps"]
    assert "lead" not in channel.title
    assert channel.title.endswith("(the only one with enough answers: 2 more have too few)")
    assert all(problems(c, channel.table) == [] for c in channel.claims)
    industry = charts_of(default_con, "industries", narrow)["industry_nps"]
    assert industry.title.endswith("(the only one with enough answers: 1 more has too few)")
    wide = charts_of(default_con, "channels")["channel_nps"]  # all channels shown: as before
    assert "lead on NPS" in wide.title


def test_the_industries_page_says_agree_by_construction_only_of_the_whole_demo(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The review: with Japan and 2024Q4 chosen the page still said the survey and published
    NPS "agree by construction"; and the published figures' table printed "None" as a note."""
    from cx.reports import industries

    assert "agree by construction" in industries.calibration_note("demo", Selection())
    filtered = industries.calibration_note("demo", Selection(countries=("JP",)))
    assert "agree by construction" not in filtered and "need not agree" in filtered
    assert industries.calibration_note("upload", Selection()) == ""
    # the diff review: an industry's NPS is the same whichever industries are chosen with it
    chosen = industries.calibration_note("demo", Selection(industries=("Banking",)))
    assert "agree by construction" in chosen
    result = industries.compute(run_on(con), Selection(), Options())
    assert result.nps_figures["note"].null_count() == 0


def test_the_revenue_footnote_names_whose_answers_before_the_changes(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The review: "Mid-size brand with this sample's after-sales answers, 4 inputs changed:
    Automakers customers" (the customers after the changes, as if the changes were theirs)."""
    result = revenue_report.compute(
        run_on(con),
        Selection(),
        Options(),
        vehicles_per_year=750000,
        average_transaction_price_usd=40000,
    )
    assert result.who and len(result.changed) == 2
    waterfall = next(
        c for c in revenue_report.charts(result, dataset_source(run_on(con), "demo"))
        if c.key == "revenue_waterfall"
    )  # fmt: skip
    assert f": {result.who}, 2 inputs changed · profit at risk " in waterfall.subtitle
    from cx.core import i18n

    with i18n.use("zh"):  # the preset and its customers joined as Chinese joins them
        chinese = revenue_report.compute(
            run_on(con), Selection(), Options(), vehicles_per_year=750000
        ).whose_label
    assert "：" in chinese and ": " not in chinese


def test_one_stage_and_one_survey_brand_are_said_as_the_only_ones(
    default_con: duckdb.DuckDBPyConnection,
) -> None:
    """The diff review: the market's survey panel said "Your survey: Tsubame leads Automakers
    with NPS +3" over the one brand with enough answers (Japan, 2024Q4, n of 100), and the
    checker called "the only stage with enough answers" of one stage a top of one row."""
    from cx.reports import common
    from cx.reports import market as market_report

    run = run_on(default_con)
    narrow = Selection(waves=("2024Q4",), countries=("JP",))
    result = market_report.compute(
        run, narrow, Options(min_n=100),
        study="Temkin Group Net Promoter Score Benchmark Study", industry=AUTOMAKERS,
    )  # fmt: skip
    panel = {c.key: c for c in market_report.charts(result, dataset_source(run, "demo"))}
    survey = panel["market_own_data"]
    assert "leads" not in survey.title and "is the only brand of" in survey.title, survey.title
    assert all(problems(c, survey.table) == [] for c in survey.claims)
    stages = charts_of(default_con, "journey")["stage_top2"].table.head(1)
    said = common.stage_claims(stages)
    assert "only stage with enough answers" in headline(said)
    assert all(problems(c, stages) == [] for c in said)
