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
        assessment_id="x",
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
