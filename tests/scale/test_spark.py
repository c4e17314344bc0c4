"""Cells on Apache Spark (local[2]) equal cells on DuckDB from the same lake, every column to
1e-9, and the dashboard shows the same numbers on Spark-built cells as on the DuckDB file.

Skipped, with the reason, where Java or pyspark is missing; CI installs both (``.ci/run``).
One Spark session serves the whole module (started by the first build, stopped at the end).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest
from support.appserver import needs_tool
from support.cli import cx
from support.compare import SELECTIONS, assert_same, assert_same_table, read_table, served
from support.extra_cells import TABLE, queries_with_extra_cells

from cx.build import cells, spark
from cx.build import lake as lakes
from cx.build.lake import build as build_lake
from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import connect, sql
from cx.reports.registry import REPORTS

pytestmark = [
    pytest.mark.slow,
    needs_tool(spark.available() and f"Spark: {spark.available()}"),
]
MASTER = "local[2]"


@pytest.fixture(scope="module")
def lake(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture database's lake plus a second dataset (two of its waves under another
    name, in every partitioned table the cells read: respondents, comments), so that the
    per-dataset runs are combined."""
    out = tmp_path_factory.mktemp("spark-lake") / "lake"
    cx("publish", "--db", str(fixture_db), "--out", str(out), "--respondents", in_process=True,
       check=True)  # fmt: skip
    for demo in served(out).glob("*/dataset=demo"):
        if demo.parent.name in connect.PARTITIONED - set(cells.cell_tables()):
            for wave in ("wave=2024Q3", "wave=2024Q4"):
                shutil.copytree(demo / wave, demo.parent / "dataset=copy" / wave)
    assert (served(out) / "comments" / "dataset=copy").is_dir()
    return out


@pytest.fixture(scope="module")
def built(lake: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The same lake built by both engines (Spark through the command line), with one more
    cells file than the repository has, as another branch would add."""
    root = tmp_path_factory.mktemp("spark-cells")
    with queries_with_extra_cells(root):
        build_lake("duckdb", str(lake), str(root / "duckdb"))
        args = ["cells", "--engine", "spark", "--master", MASTER, "--quiet"]
        cx(*args, "--input", str(lake), "--output", str(root / "spark"), in_process=True,
           check=True)  # fmt: skip
    yield {"duckdb": root / "duckdb", "spark": root / "spark"}
    spark.session(MASTER).stop()


def read_cells(root: Path, table: str) -> pl.DataFrame:
    """A cells table of a built folder (partitioned by dataset and wave, or one file)."""
    root = served(root)
    path = str(root / table) if (root / table).is_dir() else f"{root}/{table}.parquet"
    con = duckdb.connect()
    try:
        lakes._read_table(con, table, path)
        return con.table(table).pl()
    finally:
        con.close()


@pytest.mark.parametrize("table", [*cells.cell_tables(), TABLE])
def test_spark_cells_equal_duckdb_cells_every_column(built: dict[str, Path], table: str) -> None:
    from_duckdb, from_spark = (read_cells(built[k], table) for k in ("duckdb", "spark"))
    assert from_duckdb.height > 0
    assert set(from_duckdb["dataset"]) == {"demo", "copy"}
    assert_same_table(from_duckdb, from_spark)


def test_a_new_cells_file_runs_on_spark_without_being_listed(built: dict[str, Path]) -> None:
    served = read_cells(built["spark"], TABLE)
    assert served.filter(dataset="demo")["n"].sum() == 20_000
    copied = served.filter(dataset="demo").filter(pl.col("wave").is_in(["2024Q3", "2024Q4"]))
    assert served.filter(dataset="copy")["n"].sum() == copied["n"].sum()


def test_spark_output_is_served_as_published_with_reference_tables_and_manifest(
    built: dict[str, Path],
) -> None:
    out = built["spark"]
    names = sorted(p.name for p in (served(out) / "nps_cells").iterdir())
    assert names == ["dataset=copy", "dataset=demo"]
    assert not list(out.glob("**/_SUCCESS")) and not list(out.glob("**/.*.crc"))
    for table in cells.reference_tables():
        assert_same_table(read_table(built["duckdb"], table), read_table(out, table))
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["origin"] == "cells --engine spark"


@pytest.mark.parametrize("sel", SELECTIONS, ids=["all", "automakers-de-us", "q4-direct"])
@pytest.mark.parametrize("report", REPORTS, ids=[r.key for r in REPORTS])
def test_every_page_view_on_spark_cells_is_the_same_as_on_the_database(
    fixture_db: Path, built: dict[str, Path], report: object, sel: Selection
) -> None:
    file_con = connect.connect_source(str(fixture_db))
    spark_con = connect.connect_source(f"parquet:{built['spark']}")
    try:
        expected = report.compute(lambda n, p: sql.run(file_con, n, p), sel, Options())  # type: ignore[attr-defined]
        served = report.compute(lambda n, p: sql.run(spark_con, n, p), sel, Options())  # type: ignore[attr-defined]
    finally:
        file_con.close()
        spark_con.close()
    assert_same(expected, served)
