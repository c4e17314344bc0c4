"""Query layer on the fixture database: results agree with respondent rows; inputs, hostile
ones included, are bound."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest
from support.hostile_values import HOSTILE

from cx.core import paths
from cx.core.schema import GROUP_DIMENSIONS
from cx.core.selection import Selection
from cx.data import connect, sql
from cx.metrics import measures, stats


def respondent_nps(
    con: duckdb.DuckDBPyConnection, by: str, where: pl.Expr | None = None
) -> pl.DataFrame:
    """NPS per group straight from respondent rows (the reference computation)."""
    rows = con.table("respondents").pl()
    if where is not None:
        rows = rows.filter(where)
    w = pl.col("weight")
    sums = rows.group_by(by).agg(
        n=pl.len(),
        sw=w.sum(),
        sw2=(w**2).sum(),
        swp=w.filter(pl.col("nps_score") >= 9).sum(),
        swd=w.filter(pl.col("nps_score") <= 6).sum(),
    )
    return stats.nps_table(sums.with_columns(pl.col("n").cast(pl.Float64))).sort(by)


@pytest.mark.parametrize("by", ["industry", "brand", "country", "wave", "channel", "powertrain"])
def test_summary_cells_give_the_same_nps_as_respondent_rows(
    con: duckdb.DuckDBPyConnection, by: str
) -> None:
    from_cells = measures.nps_by(lambda n, p: sql.run(con, n, p), Selection(), by).sort(by)
    direct = respondent_nps(con, by)
    assert from_cells[by].to_list() == direct[by].to_list()
    assert from_cells["n"].to_list() == direct["n"].to_list()
    for col in ("nps", "ci_low", "ci_high", "n_effective"):
        a = from_cells[col].fill_null(-999).to_numpy()
        b = direct[col].fill_null(-999).to_numpy()
        assert a == pytest.approx(b, abs=1e-6), col


def test_filters_are_applied_as_the_reference_says(con: duckdb.DuckDBPyConnection) -> None:
    sel = Selection(
        waves=("2024Q4",), countries=("DE", "JP"), industries=("Automakers",), channels=("direct",)
    )
    from_cells = measures.nps_by(lambda n, p: sql.run(con, n, p), sel, "brand").sort("brand")
    where = (
        (pl.col("wave") == "2024Q4")
        & pl.col("country").is_in(["DE", "JP"])
        & (pl.col("industry") == "Automakers")
        & (pl.col("channel") == "direct")
    )
    direct = respondent_nps(con, "brand", where)
    assert from_cells["brand"].to_list() == direct["brand"].to_list()
    assert from_cells["n"].to_list() == direct["n"].to_list()


def test_stage_cells_match_respondent_rows(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.table("respondents").pl().filter(pl.col("maintain").is_not_null())
    w = rows["weight"]
    expected = (w * (rows["maintain"] >= 4)).sum() / w.sum() * 100
    stages = measures.stage_by(lambda n, p: sql.run(con, n, p), Selection(), "all")
    got = stages.filter(pl.col("item") == "maintain")["top2_pct"][0]
    assert got == pytest.approx(expected)


def test_hostile_filter_values_are_data_not_sql(con: duckdb.DuckDBPyConnection) -> None:
    hostile = "DE'); drop table respondents; --"
    out = sql.run(con, "nps_by_group", Selection(countries=(hostile,)).params(by="country"))
    assert out.is_empty()
    assert sql.run(con, "nps_by_group", Selection().params(by="country")).height == 11


def test_unknown_dimension_maps_to_null_not_sql(con: duckdb.DuckDBPyConnection) -> None:
    out = sql.run(con, "nps_by_group", Selection().params(by="brand; drop table respondents"))
    assert out["grp"].to_list() == [None]


def test_every_group_dimension_is_known_to_sql(con: duckdb.DuckDBPyConnection) -> None:
    for by in GROUP_DIMENSIONS:
        out = sql.run(con, measures.nps_query(by), Selection().params(by=by))
        assert out["grp"].drop_nulls().len() > 0, by


def test_query_names_are_checked() -> None:
    with pytest.raises(sql.QueryError):
        sql.load_sql("../cx/db")
    with pytest.raises(sql.QueryError):
        sql.load_sql("no_such_query")


def test_missing_parameters_are_reported(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(sql.QueryError, match="needs parameters"):
        sql.run(con, "nps_by_group", {"dataset": "demo"})


def test_every_query_file_runs(con: duckdb.DuckDBPyConnection) -> None:
    params = Selection().params(
        by="brand", by2="wave", topics=None, figure_ids=None, owner="open", scenario_id="x",
        language=None, topic=None, nps_group=None, limit=5, max_chars=200, fingerprint="x",
        groupings=[["brand", "wave"], ["all", "all"]], bys=["language", "brand"],
        assessment_id="x", table_name="respondents",
    )  # fmt: skip
    params.update(study=None, entity=None, year=None, country=None)  # benchmarks: any
    for path in sorted(paths.QUERIES_DIR.glob("*.sql")):
        if path.stem.startswith(("scenario", "saved_mapping", "assessment")):
            sql.run(con, path.stem, params)  # runs; empty until something is saved
            continue
        out = sql.run(
            con, path.stem, {**params, "by": "channel"} if "funnel" in path.stem else params
        )
        assert out.height > 0, path.stem


def test_database_is_opened_read_only(fixture_db) -> None:
    con = connect.connect(fixture_db)
    with pytest.raises(duckdb.Error):
        sql.run(con, "build/delete_nps_cells", {"dataset": "demo"})
    con.close()


def test_versus_rest_uses_the_complement(con: duckdb.DuckDBPyConnection) -> None:
    sums = measures.nps_pair_sums(lambda n, p: sql.run(con, n, p), Selection(), "brand", "industry")
    table = measures.versus_rest(sums, "brand", within="industry")
    row = table.filter(pl.col("brand") == "Voltara").row(0, named=True)
    autos = sums.filter(pl.col("industry") == "Automakers")
    rest = autos.filter(pl.col("brand") != "Voltara").select(
        pl.col("n", "sw", "sw2", "swp", "swd").sum()
    )
    expected = stats.nps_table(rest)["nps"][0]
    assert row["rest_nps"] == pytest.approx(expected)
    assert row["significant"] == (abs(row["z"]) > 1.96)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_filter_values_are_bound_parameters(fixture_db: Path, value: str) -> None:
    con = connect.connect(fixture_db)
    try:
        run = lambda n, p: sql.run(con, n, p)  # noqa: E731
        sel = Selection(countries=(value,), industries=(value,))
        assert measures.nps_by(run, sel, "brand").is_empty()  # matched as a value, nothing found
        # a hostile grouping key is not an identifier either: it maps to no column
        odd = sql.run(con, "nps_by_group", Selection().params(by=value))
        assert (
            odd["n"].sum() == sql.run(con, "nps_by_group", Selection().params(by="all"))["n"].sum()
        )
        assert con.sql("select count(*) from respondents").fetchall()[0][0] > 0
    finally:
        con.close()


def same(a: pl.DataFrame, b: pl.DataFrame) -> bool:
    """Equal frames: the same columns, types, rows and order, sums to 1e-12 (DuckDB adds in
    parallel, so the last digits of a sum can differ between two runs of one query)."""
    from polars.testing import assert_frame_equal

    assert_frame_equal(a, b, check_exact=False, rel_tol=1e-12, abs_tol=1e-9)
    return True


SELECTIONS = (
    Selection(),
    Selection(waves=("2024Q3", "2024Q4"), countries=("US", "DE"), industries=("Automakers",)),
    Selection(countries=("ZZ",)),
)


@pytest.mark.parametrize("sel", SELECTIONS, ids=["all", "filtered", "empty"])
def test_a_page_reads_its_breakdowns_in_one_query_with_the_same_sums(
    con: duckdb.DuckDBPyConnection, sel: Selection
) -> None:
    """``breakdowns`` (one query) gives each breakdown the rows, types and order the one-at-a-time
    queries give: NPS sums, pairs and switching intent."""
    calls: list[str] = []

    def run(name: str, params: dict[str, object]) -> pl.DataFrame:
        calls.append(name)
        return sql.run(con, name, params)

    wanted = [
        ("wave",),
        ("industry",),
        ("all",),
        ("brand",),
        ("brand", "wave"),
        ("brand", "industry"),
    ]
    read = measures.breakdowns(run, sel, *wanted)
    assert calls == ["nps_by_groupings"]
    for (by,) in [b for b in wanted if len(b) == 1]:
        one = measures.nps_sums(run, sel, by)
        assert same(read.nps(by), one), by
    for by, by2 in [b for b in wanted if len(b) == 2]:
        pairs = read.nps(by, by2)
        for (value,) in read.nps(by).select(by).iter_rows():  # each pair's rows add up
            part = pairs.filter(pl.col(by).eq_missing(value)).select(list(measures.NPS_SUMS)).sum()
            whole = (
                read.nps(by).filter(pl.col(by).eq_missing(value)).select(list(measures.NPS_SUMS))
            )
            assert same(part.with_columns(pl.col("n").cast(pl.Int64)), whole), (by, by2, value)


def test_switching_sums_agree_with_respondent_rows(con: duckdb.DuckDBPyConnection) -> None:
    run = lambda n, p: sql.run(con, n, p)  # noqa: E731
    switch = measures.breakdowns(run, Selection(), ("channel",)).switch("channel")
    rows = con.table("respondents").pl()
    w = pl.col("weight")
    direct = rows.group_by("channel").agg(
        n=pl.len(),
        within_6m=w.filter(pl.col("switch_intent") == "within_6m").sum(),
        answered=w.filter(pl.col("switch_intent").is_not_null()).sum(),
    )
    got = switch.join(direct, on="channel", how="full", nulls_equal=True, suffix="_rows")
    for name in ("n", "within_6m", "answered"):
        assert got[name].to_numpy() == pytest.approx(got[f"{name}_rows"].to_numpy(), rel=1e-9)


def test_breakdowns_refuse_what_the_nps_cells_do_not_hold(con: duckdb.DuckDBPyConnection) -> None:
    def run(name: str, params: dict[str, object]) -> pl.DataFrame:
        return sql.run(con, name, params)

    for bad in [("dealer",), ("brand", "dealer_group"), (), ("brand", "wave", "country")]:
        with pytest.raises(ValueError):
            measures.breakdowns(run, Selection(), bad)


@pytest.mark.parametrize("by", ["brand", "channel", "wave"])
def test_stage_sums_of_the_whole_selection_add_up_from_a_breakdown(
    con: duckdb.DuckDBPyConnection, by: str
) -> None:
    for sel in SELECTIONS:
        whole = measures.stage_sums(lambda n, p: sql.run(con, n, p), sel, "all")
        parts = measures.stage_sums(lambda n, p: sql.run(con, n, p), sel, by)
        assert same(measures.stage_total(parts, by), whole)


def test_the_stages_of_some_industries_equal_reading_them_alone(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """``stage_of_industries`` reads the selection by industry without its industry filter and
    narrows it: the sums of reading the selection (industries and all) on its own."""
    run = lambda n, p: sql.run(con, n, p)  # noqa: E731
    for sel in [*SELECTIONS, Selection(industries=("Automakers", "Banking"), countries=("US",))]:
        assert same(measures.stage_of_industries(run, sel), measures.stage_sums(run, sel, "all"))


def test_overview_programme_and_revenue_share_their_reads(con: duckdb.DuckDBPyConnection) -> None:
    """A switch between the Overview, the CX programme and Revenue at risk reads nothing new
    (the app keeps a read for every page): two queries for the three pages, with an industry
    filter too, and the three show the same figures from them."""
    from cx.core.options import Options
    from cx.reports import overview, programme, revenue

    for sel in (Selection(), Selection(industries=("Automakers", "Banking"))):
        read: list[str] = []

        def run(name: str, params: dict[str, object], read: list[str] = read) -> pl.DataFrame:
            read.append(name)
            return sql.run(con, name, params)

        cached = sql.memo(run, only=sql.reads_selection)
        over = overview.compute(cached, sel, Options())
        prog = programme.compute(cached, sel, Options())
        risk = revenue.compute(cached, sel, Options())
        assert sorted(n for n in read if sql.reads_selection(n)) == [
            "nps_by_groupings",
            "stage_by_group",
        ]
        assert over.stages.equals(prog.stages) and risk.outputs == over.risk.outputs


@pytest.mark.parametrize("language", [None, "de", "xx"])
def test_topic_breakdowns_in_one_query_match_one_query_each(
    con: duckdb.DuckDBPyConnection, language: str | None
) -> None:
    """The Voice page's languages (all of them) and its brand and wave breakdowns (within the
    language shown) come from one query, equal to ``topic_sums`` of each."""
    from cx.text import summary

    def run(name: str, params: dict[str, object]) -> pl.DataFrame:
        return sql.run(con, name, params)

    for sel in SELECTIONS:
        read = summary.topic_breakdowns(run, sel, ("language", "brand", "wave"), language)
        assert same(read["language"], summary.topic_sums(run, sel, "language", None))
        for by in ("brand", "wave"):
            assert same(read[by], summary.topic_sums(run, sel, by, language)), by


def test_a_memo_reads_each_query_once_and_only_what_it_is_asked_to_keep(
    con: duckdb.DuckDBPyConnection,
) -> None:
    calls: list[str] = []

    def run(name: str, params: dict[str, object]) -> pl.DataFrame:
        calls.append(name)
        return sql.run(con, name, params)

    assert not sql.reads_selection("filter_options") and not sql.reads_selection("datasets")
    assert sql.reads_selection("nps_by_group")
    kept = sql.memo(run, only=lambda name: not sql.reads_selection(name))
    for _ in range(3):
        kept("filter_options", {"dataset": "demo", "unused": 1})
        kept("nps_by_group", Selection().params(by="brand"))
    assert calls.count("filter_options") == 1 and calls.count("nps_by_group") == 3
    every = sql.memo(run)
    every("nps_by_group", Selection(waves=("2024Q4",)).params(by="brand"))
    every("nps_by_group", Selection(waves=("2024Q4",)).params(by="brand"))
    every("nps_by_group", Selection(waves=("2024Q3",)).params(by="brand"))
    assert calls.count("nps_by_group") == 5
