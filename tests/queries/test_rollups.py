"""Rollups (``cx.data.rollups``): a read from a rollup is the read from its cells, a rollup is
read only where it gives the cells' own sums, and every way a dataset's cells change (a build,
an upload, a deletion, a database built before rollups, a Parquet folder) leaves its rollups
summing them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal

from cx.core.schema import GROUP_DIMENSIONS
from cx.core.selection import Selection
from cx.data import rollups, sql
from cx.data.database import Database, OutdatedSourceError

#: The reads that go through ``selected_cells``: their cells and their rollup.
READS = {
    "stage_by_group": ("stage_cells", "stage_rollup"),
    "stage_by_group_pair": ("stage_cells", "stage_rollup"),
    "driver_moments_by_group": ("driver_cells", "driver_rollup"),
    "topic_by_groupings": ("topic_cells", "topic_rollup"),
}
#: The grouping dimensions of the cells (the outlet ones have cells of their own).
BYS = [d for d in GROUP_DIMENSIONS if d not in ("dealer", "dealer_group")] + ["all"]
SELECTIONS = {
    "all": Selection(),
    "filtered": Selection(
        waves=("2024Q3", "2024Q4"), countries=("US", "DE", "CN"), industries=("Automakers",)
    ),
    "a channel": Selection(channels=("dealer",)),
    "a segment": Selection(segments=("premium",)),
    "a powertrain": Selection(powertrains=("BEV",)),
}
FILTER_ARGS = (
    "p_dataset, p_waves, p_countries, p_industries, p_channels, p_segments, p_sales_models, "
    "p_powertrains"
)


def _cells_only(con: duckdb.DuckDBPyConnection) -> None:
    """A temporary macro that reads a family's cells alone, as the selection macros did before
    rollups: the reference every read from a rollup is held to."""
    con.execute(
        f"create or replace temp macro cells_only(p_family, {FILTER_ARGS}, p_bys) as table "  # noqa: S608
        "select * from query_table(p_family || '_cells') where in_selection(dataset, wave, "
        f"country, industry, channel, segment, sales_model, powertrain, {FILTER_ARGS})"
    )


def _read(
    con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any], cells_only: bool
) -> pl.DataFrame:
    text = sql.load_sql(name)
    if cells_only:
        text = text.replace("selected_cells(", "cells_only(")
    cursor = con.execute(text, sql.bind(name, params))
    frame = pl.from_arrow(cursor.to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    return frame


def _params(name: str, sel: Selection, by: str) -> dict[str, Any]:
    if name == "topic_by_groupings":
        return sel.params(bys=["language", by, "wave"], language=None)
    return sel.params(by=by, by2="wave")


def _plan(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any]) -> str:
    text = "explain " + sql.load_sql(name)
    return "\n".join(str(r[1]) for r in con.execute(text, sql.bind(name, params)).fetchall())


@pytest.mark.parametrize("name", list(READS))
def test_a_read_from_a_rollup_is_the_read_from_its_cells(
    con: duckdb.DuckDBPyConnection, name: str
) -> None:
    cells, rollup = READS[name]
    _cells_only(con)
    served = 0
    for label, sel in SELECTIONS.items():
        for by in BYS:
            params = _params(name, sel, by)
            got = _read(con, name, params, cells_only=False)
            expected = _read(con, name, params, cells_only=True)
            try:
                assert_frame_equal(got, expected, check_exact=False, rel_tol=1e-9, abs_tol=1e-6)
            except AssertionError as failed:
                raise AssertionError(f"{name}, {label}, by {by}") from failed
            plan = _plan(con, name, params)
            reads = {t for t in (cells, rollup) if re.search(rf"\b{t}\b", plan)}
            assert len(reads) == 1, (label, by, reads)  # one table planned, never both
            served += rollup in reads
    assert served > 0  # some reads are served by the rollup ...
    assert served < len(SELECTIONS) * len(BYS)  # ... and some are not


def test_the_rollups_serve_the_pages_default_reads(con: duckdb.DuckDBPyConnection) -> None:
    """The reads the pages make on an unfiltered or wave/country/industry view plan the
    rollup; a segment, sales-model or powertrain filter, or grouping by one, plans the cells."""
    for sel in (SELECTIONS["all"], SELECTIONS["filtered"]):
        assert "stage_rollup" in _plan(con, "stage_by_group", sel.params(by="brand"))
        assert "driver_rollup" in _plan(con, "driver_moments_by_group", sel.params(by="all"))
        topics = sel.params(bys=["language", "brand", "wave"], language=None)
        assert "topic_rollup" in _plan(con, "topic_by_groupings", topics)
    assert "stage_cells" in _plan(con, "stage_by_group", Selection().params(by="segment"))
    assert "driver_cells" in _plan(
        con, "driver_moments_by_group", SELECTIONS["a channel"].params(by="all")
    )
    assert "stage_cells" in _plan(
        con, "stage_by_group", SELECTIONS["a powertrain"].params(by="brand")
    )


def _totals(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, float]:
    columns = [
        c
        for c, kind in con.execute(
            f"select column_name, column_type from (describe {table})"  # noqa: S608
        ).fetchall()
        if kind in ("BIGINT", "DOUBLE") and c != "stage_mask"
    ]
    sums = ", ".join(f"sum({c})::double" for c in columns)
    row = con.execute(f"select {sums} from {table}").fetchone()  # noqa: S608
    assert row is not None
    return dict(zip(columns, row, strict=True))


def _assert_rollups_sum_cells(con: duckdb.DuckDBPyConnection) -> None:
    for rollup in rollups.ROLLUP_TABLES:
        cells = rollup.replace("_rollup", "_cells")
        assert _totals(con, rollup) == pytest.approx(_totals(con, cells), rel=1e-12), rollup


def test_each_rollup_keeps_what_rollup_keeps_says(con: duckdb.DuckDBPyConnection) -> None:
    """``rollup_keeps`` (the macros' list) and ``insert_<rollup>.sql`` (what is summed over)
    say the same: a kept dimension has values in the rollup, a summed-over one is null."""
    _assert_rollups_sum_cells(con)
    for rollup in rollups.ROLLUP_TABLES:
        kept = set(con.execute(f"select rollup_keeps('{rollup}')").fetchone()[0]) - {"all"}  # type: ignore[index]
        for dimension in (d for d in BYS if d != "all"):
            values = con.execute(f"select count({dimension}) from {rollup}").fetchone()[0]  # type: ignore[index]  # noqa: S608
            assert (values > 0) == (dimension in kept), (rollup, dimension)


def test_a_database_built_before_rollups_gets_them_when_opened_writable(
    fixture_db: Path, tmp_path: Path
) -> None:
    """A database built before rollups (no rollup tables, the selection macros of eight
    arguments) is refused read-only with a clear message, and brought up to date when opened
    writable (tables, macros and rollups)."""
    path = tmp_path / "old.duckdb"
    shutil.copy(fixture_db, path)
    old = duckdb.connect(str(path))
    for rollup in rollups.ROLLUP_TABLES:
        old.execute(f"drop table {rollup}")
    old.execute("drop macro rollup_serves")
    old.execute("drop macro table selected_cells")
    for family in ("stage", "driver"):  # as the older scripts made them
        older = (
            f"create or replace macro selected_{family}_cells({FILTER_ARGS}) as table "  # noqa: S608
            f"select * from {family}_cells where in_selection(dataset, wave, country, industry, "
            f"channel, segment, sales_model, powertrain, {FILTER_ARGS})"
        )
        old.execute(older)
    old.close()
    with pytest.raises(OutdatedSourceError, match="older version of cxbench"):
        Database(str(path), read_only=True)
    with Database(str(path), read_only=False) as database:
        assert database.run("build/datasets_without_rollups").is_empty()
    con = duckdb.connect(str(path), read_only=True)
    try:
        _assert_rollups_sum_cells(con)
        sel = Selection().params(by="brand")
        assert not sql.run(con, "stage_by_group", sel).is_empty()
    finally:
        con.close()


def test_fill_makes_only_what_is_missing(fixture_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "cx.duckdb"
    shutil.copy(fixture_db, path)
    con = duckdb.connect(str(path))
    try:
        assert rollups.fill(con) == []
        con.execute("delete from topic_rollup")
        assert rollups.fill(con) == ["demo"]
        _assert_rollups_sum_cells(con)
        con.execute("delete from stage_rollup where dataset = 'demo'")
        sql.run_script(con, "build/create_tables")  # idempotent: an empty rollup stays empty
        assert rollups.fill(con) == ["demo"]
        _assert_rollups_sum_cells(con)
    finally:
        con.close()


def test_deleting_a_dataset_deletes_its_rollups(fixture_db: Path, tmp_path: Path) -> None:
    from cx.ingest.store import delete_rows

    path = tmp_path / "cx.duckdb"
    shutil.copy(fixture_db, path)
    con = duckdb.connect(str(path))
    try:
        delete_rows(con, "demo")
        for rollup in rollups.ROLLUP_TABLES:
            assert con.execute(f"select count(*) from {rollup}").fetchone() == (0,)  # noqa: S608
    finally:
        con.close()


def test_a_parquet_folder_whose_cells_cannot_make_a_rollup_still_opens(
    fixture_db: Path, tmp_path: Path
) -> None:
    """A folder published before the driver cells had ``stage_mask`` opens: its other pages
    read as before, and the driver reads fail, as they did before rollups (never an empty
    rollup read as no answers)."""
    from cx.data import connect, publishing

    out = tmp_path / "published"
    con = connect.connect(fixture_db)
    try:
        publishing.export_parquet(con, out)
    finally:
        con.close()
    manifest = out / "manifest.json"  # a folder published by hand has none
    root = out / json.loads(manifest.read_text())["root"] if manifest.exists() else out
    cells = root / "driver_cells"
    older = tmp_path / "older"
    duckdb.execute(
        f"copy (select * exclude (stage_mask) from read_parquet('{cells}/**/*.parquet', "  # noqa: S608
        f"hive_partitioning = true)) to '{older}' (format parquet, partition_by (dataset, wave))"
    )
    shutil.rmtree(cells)
    shutil.move(older, cells)
    with Database(f"parquet:{out}") as database:
        assert not database.run("stage_by_group", Selection().params(by="brand")).is_empty()
        with pytest.raises(duckdb.Error):
            database.run("driver_moments_by_group", Selection().params(by="all"))
