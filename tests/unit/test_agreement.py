"""Figures two pages show of the same thing say the same."""

from __future__ import annotations

import duckdb
import polars as pl
import pytest
from support.reports import run_on

from cx.core.options import Options
from cx.core.selection import Selection
from cx.reports import overview, programme, revenue
from cx.reports.base import dataset_source
from cx.reports.common import nps_trend_chart

SELECTIONS = [
    Selection(),
    Selection(countries=("US", "DE")),
    Selection(waves=("2024Q2", "2024Q3")),
]


@pytest.mark.parametrize("sel", SELECTIONS, ids=["all", "two countries", "two waves"])
def test_the_programme_page_gives_the_overview_s_nps(
    con: duckdb.DuckDBPyConnection, sel: Selection
) -> None:
    """The CX programme's NPS tile read +15 (every wave pooled) beside the Overview's +14 and
    its own trend's "+14 in 2024Q4": it now reads the latest wave, and names it."""
    run = run_on(con)
    first = overview.kpis(overview.compute(run, sel, Options()))[0]
    ours = programme.customer_kpis(programme.compute(run, sel, Options()))[1]
    assert ours.value == first.value
    wave = first.label.split(", ")[-1]
    assert ours.label.endswith(wave) and first.label == f"NPS, {wave}"


@pytest.mark.parametrize(
    "sel",
    [*SELECTIONS, Selection(industries=("Automakers", "Banking"))],
    ids=["all", "two countries", "two waves", "two industries"],
)
def test_the_programme_s_customer_charts_name_whose_figures_as_the_overview_does(
    con: duckdb.DuckDBPyConnection, sel: Selection
) -> None:
    """The CX programme's customers' charts said "the industries in the filters" under a
    section line of "all respondents", where the Overview's same charts say "all 13
    industries": they now say whose figures they are as the Overview says it."""
    run = run_on(con)
    source = dataset_source(run, "demo")
    ours = programme.compute(run, sel, Options())
    theirs = overview.compute(run, sel, Options())
    assert ours.scope == theirs.scope
    charts = {c.key: c for c in programme.customer_charts(ours, source)}
    assert charts and all(theirs.scope in c.subtitle for c in charts.values()), [
        c.subtitle for c in charts.values()
    ]


def _millions(text: str) -> int:
    """A tile's or label's whole millions ($364M)."""
    return int(text.removeprefix("$").removesuffix("M").replace(",", ""))


@pytest.mark.parametrize("step", range(8))
def test_revenue_tiles_add_up_and_say_what_the_waterfall_labels_say(
    con: duckdb.DuckDBPyConnection, step: int
) -> None:
    """$364M + $165M sat under a $528M total, beside waterfall labels of $62M + $102M for the
    $165M tile: the tiles and the labels are now one set of whole millions that add up, as
    the sliders move."""
    run = run_on(con)
    result = revenue.compute(
        run, Selection(), Options(), switch_probability=0.3 + step * 0.07,
        vehicles_per_year=137_000 + step * 91_357,
    )  # fmt: skip
    tiles = {k.label: k.value for k in revenue.kpis(result)}
    total, lost, after = (
        _millions(tiles[label])
        for label in ("Total revenue at risk", "Lost repurchases", "After-sales + referrals")
    )
    assert lost + after == total
    chart = next(
        c
        for c in revenue.charts(result, dataset_source(run, "demo"))
        if c.key == "revenue_waterfall"
    )
    labels = [_millions(t) for t in chart.figure.data[0].text]
    assert labels[0] == lost and labels[1] + labels[2] == after and labels[-1] == total


def test_revenue_says_when_its_inputs_are_no_longer_the_sample_s(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """After a slider moved the switching intent from the sample's 57% to 67%, the tiles and the
    chart still said the figure was the preset's, read from the survey: they now say how many
    inputs were changed, and stop saying the figure follows the filters once no input is the
    sample's any more."""
    run = run_on(con)
    first = revenue.compute(run, Selection(), Options())
    assert first.sampled and first.follows_filters and "changed" not in first.label
    moved = {first.sampled[0]: first.inputs[first.sampled[0]] * 0.9}
    one = revenue.compute(run, Selection(), Options(), **moved)
    tile = revenue.kpis(one)[0]
    assert "1 input changed" in tile.note and revenue.FOLLOWS_FILTERS in tile.note
    chart = next(
        c for c in revenue.charts(one, dataset_source(run, "demo")) if c.key == "revenue_waterfall"
    )
    assert "1 input changed" in chart.subtitle
    every = {k: first.inputs[k] * 0.9 for k in first.sampled}
    none = revenue.compute(run, Selection(), Options(), **every)
    assert not none.follows_filters
    assert revenue.FOLLOWS_FILTERS not in revenue.kpis(none)[0].note


def test_the_trend_says_gaps_only_where_a_wave_is_left_out(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The Overview's trend said "gaps: n too small" over eight waves, none missing."""
    from cx.core.display import TOO_SMALL

    run = run_on(con)
    source = dataset_source(run, "demo")
    chart = next(
        c
        for c in overview.REPORT.charts(overview.compute(run, Selection(), Options()), source)
        if c.key == "overview_trend"
    )
    assert "gaps" not in chart.subtitle and chart.table.height >= 2
    r = overview.compute(run, Selection(), Options())
    first = r.by_wave["wave"][0]  # the first wave left out for its n: the chart says so
    gap = r.by_wave.with_columns(suppressed=pl.col("wave") == first)
    chart = nps_trend_chart("t", gap, r.latest, r.change, source, r.options, r.scope)
    assert chart is not None and chart.subtitle.endswith(f"gaps: {TOO_SMALL}")


def test_every_revenue_input_names_its_unit_in_the_language() -> None:
    """Chinese read "平均成交价 (USD)" beside inputs in 美元: every unit shown is translated."""
    from cx.core import i18n
    from cx.models import revenue as model

    with i18n.use("zh"):
        shown = [s.shown_unit for s in model.INPUTS]
    assert not [u for u in shown if any("A" <= ch <= "Z" for ch in u)], shown


def test_the_brand_topic_heatmap_says_which_brands_it_shows(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Twenty of the brands were shown with no word of which, or of how many."""
    from cx.reports import voice

    run = run_on(con)
    r = voice.compute(run, Selection(), Options())
    chart = next(
        c for c in voice.REPORT.charts(r, dataset_source(run, "demo")) if c.key == "topic_brands"
    )
    shown = r.by_brand["grp"].n_unique()
    assert shown == min(voice.MAX_BRANDS, r.brands_answering)
    if shown < r.brands_answering:
        assert f"the {shown} brands with most commenters, of {r.brands_answering}" in chart.subtitle
    else:
        assert "brands with most commenters" not in chart.subtitle
