"""What changed: a two-wave survey with two true changes, ingested as an upload; the family of
tests (Benjamini-Hochberg against statsmodels), suppression, the control charts, the page's
claims and links, and one wave."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode, urlsplit

import duckdb
import numpy as np
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from statsmodels.stats.multitest import multipletests
from support import changes_scenario as scenario

from cx.claims.check import problems
from cx.claims.render import headline
from cx.core import display
from cx.core.options import Options
from cx.core.selection import Selection, from_query_params
from cx.data import sql
from cx.data.database import Database
from cx.metrics import changes, control, measures, stats
from cx.reports import changes as page
from cx.reports.base import dataset_source, filter_values
from cx.reports.registry import BY_KEY, REPORTS

SEL = Selection(dataset=scenario.DATASET)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    db = scenario.build(tmp_path_factory.mktemp("two_waves"))
    with Database(str(db)) as opened:
        yield opened


def _false(table: pl.DataFrame) -> list[str]:
    return [
        f"{r['metric']} {r['group']} {r['item'] or ''}"
        for r in table.filter(pl.col("significant")).iter_rows(named=True)
        if not scenario.truly_changed(r)
    ]


def test_the_two_true_changes_are_found_with_at_most_three_false_ones(
    database: Database,
) -> None:
    family = changes.compare_waves(database.run, SEL, *scenario.WAVES, Options())
    found = family.significant
    mover = found.filter((pl.col("metric") == "nps") & (pl.col("group") == scenario.MOVER))
    service = found.filter(
        (pl.col("metric") == "satisfied")
        & (pl.col("group") == scenario.SERVICE)
        & (pl.col("item") == "maintain")
    )
    assert mover.height == 1 and mover["change"][0] > 15
    assert service.height == 1 and service["change"][0] < -15
    assert len(_false(family.table)) <= 3, _false(family.table)
    # every kind of cell is in the family
    assert set(family.table["metric"]) == {"nps", "satisfied", "outlet_nps", "topic_share"}
    assert set(family.table.filter(pl.col("metric") == "nps")["dimension"]) == {
        "all", "brand", "country", "channel",
    }  # fmt: skip


def test_q_values_are_benjamini_hochberg_over_the_whole_family(database: Database) -> None:
    family = changes.compare_waves(database.run, SEL, *scenario.WAVES, Options())
    p = family.table["p_value"].to_numpy()
    reject, q, _, _ = multipletests(p, alpha=0.05, method="fdr_bh")
    assert family.table["q_value"].to_numpy() == pytest.approx(q, rel=1e-9)
    agrees = np.sign(family.table["change"].to_numpy()) == np.sign(family.table["z"].to_numpy())
    assert family.table["significant"].to_list() == list(reject & agrees)
    assert family.tested == len(p)


def test_significant_changes_come_first_largest_first_and_their_intervals_exclude_zero(
    database: Database,
) -> None:
    family = changes.compare_waves(database.run, SEL, *scenario.WAVES, Options())
    flags = family.table["significant"].to_list()
    assert flags == sorted(flags, reverse=True)
    sizes = family.significant["change"].abs().to_list()
    assert sizes == sorted(sizes, reverse=True)
    for row in family.table.iter_rows(named=True):
        assert row["ci_low"] <= row["change"] <= row["ci_high"]
        if row["significant"]:
            assert row["ci_low"] > 0 or row["ci_high"] < 0, row
    found = family.significant.height
    assert family.interval_level == pytest.approx(1 - max(found, 1) * 0.05 / family.tested)


def test_a_change_is_the_later_wave_minus_the_earlier_as_each_wave_alone_shows(
    database: Database,
) -> None:
    family = changes.compare_waves(database.run, SEL, *scenario.WAVES, Options())
    row = family.table.filter(
        (pl.col("metric") == "nps") & (pl.col("group") == scenario.MOVER)
    ).row(0, named=True)
    each = [
        stats.nps_table(
            database.run("nps_by_group", SEL.with_filter("waves", [w]).params(by="brand")),
        ).filter(pl.col("grp") == scenario.MOVER)["nps"][0]
        for w in scenario.WAVES
    ]
    assert row["before"] == pytest.approx(each[0]) and row["after"] == pytest.approx(each[1])
    assert row["change"] == pytest.approx(each[1] - each[0])


def test_the_stage_pair_query_agrees_with_respondent_rows(database: Database) -> None:
    sums = database.run("stage_by_group_pair", SEL.params(by="brand", by2="wave"))
    assert database.path is not None
    with duckdb.connect(str(database.path), read_only=True) as con:
        rows = con.sql("select * from respondents").pl()
    want = (
        rows.filter(pl.col("maintain").is_not_null())
        .group_by("brand", "wave")
        .agg(n=pl.len(), swt=(pl.col("maintain") >= 4).cast(pl.Float64).mul(pl.col("weight")).sum())
        .sort("brand", "wave")
    )
    got = sums.filter(pl.col("item") == "maintain").sort("grp", "grp2")
    assert got["n"].to_list() == want["n"].to_list()
    assert got["swt"].to_numpy() == pytest.approx(want["swt"].to_numpy())


def test_cells_under_the_minimum_effective_n_are_left_out_and_counted(
    database: Database,
) -> None:
    family = changes.compare_waves(database.run, SEL, *scenario.WAVES, Options(min_n=400))
    assert "outlet_nps" not in set(family.table["metric"])
    outlets_seen = database.run("dealer_nps_by_wave", SEL.params())
    per_outlet = outlets_seen.select("dealer_id", "brand").unique().height
    assert family.suppressed_by["outlet_nps"] == per_outlet
    assert family.suppressed >= per_outlet
    assert (
        family.tested + family.suppressed
        == changes.compare_waves(database.run, SEL, *scenario.WAVES, Options(min_n=0)).tested
    )


# ---- control charts ------------------------------------------------------------------------


def _waves(shares: list[float], n: int = 200) -> pl.DataFrame:
    """One outlet's sums per wave with the given detractor shares (weights 1)."""
    return pl.DataFrame(
        {
            "dealer_id": ["X"] * len(shares),
            "dealer_name": ["Outlet X"] * len(shares),
            "dealer_group": [None] * len(shares),
            "brand": ["B"] * len(shares),
            "country": ["DE"] * len(shares),
            "channel": ["dealer"] * len(shares),
            "wave": [f"2024Q{i + 1}" for i in range(len(shares))],
            "n": [n] * len(shares),
            "sw": [float(n)] * len(shares),
            "sw2": [float(n)] * len(shares),
            "swp": [n * 0.3] * len(shares),
            "swd": [n * s for s in shares],
        }
    )


def test_a_real_shift_cannot_widen_its_own_limits() -> None:
    """The baseline (centre line and limits) comes from the earlier waves only."""
    opts = Options()
    calm = control.detractor_charts(
        _waves([0.2, 0.2, 0.2, 0.21]), ["2024Q1", "2024Q2", "2024Q3"], ["2024Q4"], opts
    )
    shifted = control.detractor_charts(
        _waves([0.2, 0.2, 0.2, 0.45]), ["2024Q1", "2024Q2", "2024Q3"], ["2024Q4"], opts
    )
    for chart in (calm, shifted):
        assert chart.points["baseline_pct"].to_list() == pytest.approx([20.0] * 4)
    assert calm.points["upper_pct"].to_list() == pytest.approx(
        shifted.points["upper_pct"].to_list()
    )
    assert not calm.outlets["beyond"][0] and shifted.outlets["beyond"][0]
    latest = shifted.points.row(-1, named=True)
    assert latest["share_pct"] > latest["upper_pct"]


def test_limits_follow_each_waves_n_and_flags_are_the_families_discoveries(
    database: Database,
) -> None:
    waves = database.run("dealer_nps_by_wave", SEL.params())
    chart = control.detractor_charts(waves, ["2024Q1"], ["2024Q2"], Options())
    tested = chart.points.filter(pl.col("z").is_not_null())
    q, found = stats.discoveries(tested["p_value"].to_numpy(), 0.95)
    assert tested["q_value"].to_numpy() == pytest.approx(q)
    assert tested["beyond"].to_list() == list(found)
    outside = (tested["share_pct"] > tested["upper_pct"]) | (
        tested["share_pct"] < tested["lower_pct"]
    )
    assert tested["beyond"].to_list() == outside.to_list()  # the limits drawn are the control's
    # the limits at each wave's n: the baseline's spread over the wave's and the baseline's n
    base = (
        waves.filter(pl.col("wave") == "2024Q1")
        .group_by("dealer_id", "brand")
        .agg(pl.col("sw").sum().pow(2).truediv(pl.col("sw2").sum()).alias("n0"))
    )
    joined = tested.join(base, on=["dealer_id", "brand"])
    p0 = joined["baseline_pct"].to_numpy() / 100
    sigma = np.sqrt(
        p0 * (1 - p0) * (1 / joined["n_effective"].to_numpy() + 1 / joined["n0"].to_numpy())
    )
    upper = np.minimum(p0 + chart.critical_z * sigma, 1) * 100
    assert joined["upper_pct"].to_numpy() == pytest.approx(upper)
    assert chart.tested == tested.height


# ---- the page --------------------------------------------------------------------------------


def test_the_page_names_both_changes_and_its_claims_hold(database: Database) -> None:
    result = page.compute(database.run, SEL, Options())
    source = dataset_source(database.run, scenario.DATASET)
    charts = {c.key: c for c in page.charts(result, source)}
    assert {"what_changed", "outlet_flags", "outlet_control"} <= set(charts)
    for chart in charts.values():
        assert chart.title == headline(chart.claims)
        for claim in chart.claims:
            assert not problems(claim, chart.table), (chart.key, problems(claim, chart.table))
    table = charts["what_changed"].table
    named = table.filter(pl.col("Significant change"))["Change in"].to_list()
    assert f"NPS of {scenario.MOVER}" in named
    assert f"Maintain (after-sales) satisfaction at {scenario.SERVICE}" in named
    assert charts["what_changed"].title.startswith(f"{len(named)} of {table.height} cells changed")
    assert result.family is not None and table.height == result.family.tested
    # the verdict beside the size: at 1366 the table showed eight columns, and the significance
    # (ninth, after the interval and the q-value) was off-screen
    assert table.columns[:7] == [
        "Change in", "Shown on", "From", "To", "Change (points)", "Significant change",
        "q-value (false discovery rate)",
    ]  # fmt: skip


def test_every_row_links_to_a_page_whose_filters_and_picks_it_names(database: Database) -> None:
    result = page.compute(database.run, SEL, Options())
    allowed = filter_values(database.run, scenario.DATASET)
    assert any(link.startswith("./?") for link in result.table["link"].to_list())
    for link in result.table["link"].to_list():
        parts = urlsplit(link)
        # the home page (the first report) is the app's root: /overview is "page not found"
        report = REPORTS[0] if parts.path == "./" else BY_KEY[parts.path]
        assert parts.fragment == report.nav  # the name the table shows (the sidebar's)
        query = dict(parse_qsl(parts.query))
        picks = {p.name for p in report.picks}
        sel, notices = from_query_params(query, allowed, [scenario.DATASET], picks)
        assert not notices, (link, notices)
        assert sel.waves == scenario.WAVES and sel.dataset == scenario.DATASET


def test_links_encode_the_filters_once_and_say_what_encoding_each_whole_says() -> None:
    """Cells sharing a target share its link; the shared encoding is the whole one, also when
    a pick bears a filter's name (the pick wins, as in one dict)."""
    rows = [
        {"metric": "nps", "dimension": "brand", "industry": "Automakers", "group": "B & C"},
        {"metric": "nps", "dimension": "country", "industry": None, "group": "US"},
        {"metric": "satisfied", "dimension": "industry", "industry": "Automakers", "group": "x"},
        {"metric": "satisfied", "dimension": "industry", "industry": "Automakers", "group": "y"},
        {"metric": "topic_share", "dimension": "all", "industry": None, "group": "price"},
        {"metric": "nps", "dimension": "brand", "industry": "Autos+Co", "group": "Škoda=é/?#%"},
    ]
    for base in ({}, {"waves": "2024Q3,2024Q4", "countries": "US,DE"}, {"industry": "Banks"}):
        made = page.links(rows, base)
        for row, link in zip(rows, made, strict=True):
            key, named = page._target(row)
            query = urlencode({**base, **dict(named)})
            where = "./" if key == REPORTS[0].key else key
            name = page.LINKED[key].nav
            assert link == (f"{where}?{query}#{name}" if query else f"{where}#{name}")
        assert made[2] == made[3]


def test_a_brand_link_opens_the_brand_page_on_that_brand(database: Database) -> None:
    result = page.compute(database.run, SEL, Options())
    row = result.table.filter(
        (pl.col("metric") == "nps") & (pl.col("group") == scenario.MOVER)
    ).row(0, named=True)
    query = dict(parse_qsl(urlsplit(row["link"]).query))
    brands = BY_KEY["brands"]
    chosen = brands.compute(
        database.run, from_query_params(query, filter_values(database.run, scenario.DATASET), [scenario.DATASET], ["industry", "focus"])[0],
        Options(), **brands.parse_picks(query),
    )  # fmt: skip
    assert chosen.focus == (scenario.MOVER,)


def test_the_page_reads_each_thing_once_and_what_it_shares_equals_reading_it_apart(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The outlets' wave sums are read once (for the control charts, over the waves up to the
    later one) and the family's outlet cells come from them; the overall NPS by wave comes from
    the family's own read. Each equals what reading it apart gives."""
    read: list[str] = []

    def run(name: str, params: dict[str, object]) -> pl.DataFrame:
        read.append(name)
        return sql.run(con, name, params)

    result = page.compute(run, Selection(), Options())
    assert result.family is not None
    assert sorted(read) == sorted(set(read)), read  # no query twice
    start, end = result.family.start, result.family.end
    alone = changes.compare_waves(run, Selection(), start, end, Options())
    assert_frame_equal(alone.table, result.family.table)
    apart = measures.nps_by(run, Selection(waves=(start, end)), "wave", Options()).sort("wave")
    shared = measures.nps_ranked(result.family.by_wave, Options()).sort("wave")
    assert_frame_equal(apart, shared, check_exact=False, rel_tol=1e-12, abs_tol=1e-12)
    assert result.overall == measures.wave_change(shared, Options())


def test_one_wave_has_nothing_to_compare(database: Database) -> None:
    result = page.compute(database.run, SEL.with_filter("waves", ["2024Q1"]), Options())
    assert result.family is None and result.pair is None
    assert page.charts(result, dataset_source(database.run, scenario.DATASET)) == []


def test_the_user_picks_the_two_waves(con: duckdb.DuckDBPyConnection) -> None:
    run = lambda name, params: sql.run(con, name, params)  # noqa: E731
    result = page.compute(run, Selection(), Options(), wave="2024Q2", since="2023Q3")
    assert result.pair == ("2023Q3", "2024Q2")
    assert result.control is not None
    assert result.control.baseline == ("2023Q1", "2023Q2", "2023Q3")
    # the wave picked is the one tested: the waves between were tested too, and an outlet's
    # "latest" point, drawn under "… beyond their control limits in 2024Q2", was 2024Q1 or
    # 2023Q4 for a third of them (a strategist's review)
    assert result.control.watched == ("2024Q2",)  # the wave picked (the next test)
    # a wave that is not later than the other falls back to the one before
    fallback = page.compute(run, Selection(), Options(), wave="2024Q2", since="2024Q3")
    assert fallback.pair == ("2024Q1", "2024Q2")


def test_outlets_are_tested_in_the_wave_picked_only(default_con: duckdb.DuckDBPyConnection) -> None:
    """The strategist's review, on the demo: 2024Q2 against 2023Q2 drew 2024Q1, 2023Q4 or
    2023Q3 as the "latest" of 32 of 103 outlets under "… beyond their control limits in
    2024Q2"; the waves between were tested too."""
    run = lambda name, params: sql.run(default_con, name, params)  # noqa: E731
    result = page.compute(run, Selection(), Options(), wave="2024Q2", since="2023Q2")
    assert result.control is not None and result.control.watched == ("2024Q2",)
    tested = result.control.points.filter(pl.col("z").is_not_null())
    assert tested.height and set(tested["wave"]) == {"2024Q2"}
    table = page.outlets_table(result)
    assert table.height and set(table[display.COLUMN_NAMES["wave"]]) == {"2024Q2"}


def test_page_choices_take_the_selections_waves_only(database: Database) -> None:
    result = page.compute(database.run, SEL, Options())
    assert result.choices["wave"].options == ("2024Q2",)
    assert result.choices["since"].options == ("2024Q1",)


def test_a_change_shown_is_the_difference_of_its_two_figures_as_shown(database: Database) -> None:
    """+4 to -27 is a fall of 31 points on the chart and in the table, as in the headline (the
    exact difference, -30.2, would have labelled it -30)."""
    from cx.claims.model import rounded

    result = page.compute(database.run, SEL, Options())
    chart = page.charts(result, dataset_source(database.run, scenario.DATASET))[0]
    for row in chart.table.iter_rows(named=True):
        want = rounded(row["To"], "nps") - rounded(row["From"], "nps")
        assert row["Change (points)"] == want, row
    labels = chart.figure.data[0].text
    drawn = result.table.filter(pl.col("significant")).head(page.MAX_DRAWN).reverse()
    assert list(labels) == [f"{v:+.0f}" if v else "0" for v in drawn["shown"].to_list()]


def test_the_overall_change_is_the_overviews_sentence_beside_the_family(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The demo's Overview said "NPS fell 2 points ..., a significant change" while What changed
    said only "No significant change in any of the 654 cells": true of each family, read as a
    contradiction. What changed now states the overall change as the Overview tests it."""
    from cx.reports import overview

    run = lambda name, params: sql.run(con, name, params)  # noqa: E731
    home = overview.compute(run, Selection(), Options())
    said = [c for f in home.findings for c in f.claims if type(c).__name__ == "Change"]
    assert said, "the Overview states the wave change"
    result = page.compute(run, Selection(), Options())
    claim = page.overall_claim(result)
    assert claim is not None and not problems(claim, result.overall_table)
    assert headline((claim,)) == headline((said[0],))
    note = page.overall_note(result)
    assert note is not None and headline((claim,)) in note
    # the two waves' scores read as such, not as an interval: "(+16 to +14)" beside a tile's
    # "95% interval +12 to +15" was taken for one
    import re

    assert not re.search(r"\([+-]?\d+ to [+-]?\d+\)", note), note
    assert re.search(r"from [+-]?\d+ in \S+ to [+-]?\d+ in \S+", note), note
    # and the deck says it too, as the page does above its chart
    deck = page.summary(result)
    assert deck.findings == (f"{headline((claim,))}.",)
    assert not [p for f in deck.checked for c in f.claims for p in problems(c, f.table)]
    assert f"{result.family.tested:,} cells" in note if result.family else False


def test_a_link_shows_its_page_by_the_sidebars_name_in_the_language() -> None:
    """The table shows each row's page by the name the sidebar gives it, in the page's
    language (it showed the page's key, "dealers", in Chinese too)."""
    from cx.core import i18n

    for lang in i18n.LANGUAGES:
        with i18n.use(lang):
            for key, report in page.LINKED.items():
                link = page.href(key, "waves=2024Q4")
                assert urlsplit(link).fragment == i18n._(report.nav), (lang, key)
                assert re.search(r"#([^#]+)$", link).group(1) == i18n._(report.nav)  # type: ignore[union-attr]
    with i18n.use("zh"):
        assert urlsplit(page.href("dealers", "")).fragment != BY_KEY["dealers"].nav
