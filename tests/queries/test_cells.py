"""Cells built from a lake: every insert_*_cells.sql is found by glob, transpiled for Spark with
the one documented rewrite, and the DuckDB engine gives the database's own cells; publish writes
the lake and a manifest. (Spark itself runs in tests/test_spark.py.)"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import sqlglot
from support.cli import cx
from support.compare import assert_same_table, read_table, served

from cx.build import cells
from cx.build.lake import build as build_lake
from cx.core import paths
from cx.data import connect

BUILD = paths.QUERIES_DIR / "build"


@pytest.fixture(scope="module")
def lake(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lake") / "lake"
    cx("publish", "--db", str(fixture_db), "--out", str(out), "--respondents", in_process=True,
       check=True)  # fmt: skip
    return out


@pytest.fixture(scope="module")
def built(lake: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cells") / "duckdb"
    build_lake("duckdb", str(lake), str(out))
    return out


def test_every_cells_file_is_built_found_by_glob_not_by_a_list() -> None:
    files = sorted(p.stem.removeprefix("insert_") for p in BUILD.glob("insert_*_cells.sql"))
    assert sorted(cells.cell_tables()) == files
    # the in-database rebuild (an upload, the demo) rebuilds every cells table the lake builds
    assert sorted(cells.CELL_TABLES) == files
    assert {"nps_cells", "stage_cells", "driver_cells"} <= set(files)
    assert set(cells.reference_tables()).isdisjoint(files)
    assert "datasets" in cells.reference_tables() and "brands" in cells.reference_tables()


def test_spark_sql_keeps_the_duckdb_constructs_spark_reads_and_rewrites_unpivot() -> None:
    text = cells.spark_sql("build/insert_stage_cells")
    assert "INSERT" not in text.upper().split("WITH", 1)[0]
    assert "UNPIVOT(score FOR item IN (awareness, research, shop," in text
    assert "INTO NAME" not in text.upper() and "$dataset" not in text
    assert ":dataset" in text and "GROUP BY ALL" in text and "FILTER(WHERE" in text
    assert "CAST(r.nps_score AS DOUBLE)" in cells.spark_sql("build/insert_driver_cells")
    for query in cells.cell_queries():  # every file comes out as one query Spark's parser reads
        assert len(sqlglot.parse(cells.spark_sql(query.name), read="spark")) == 1


def test_unpivot_rewrite_refuses_what_it_cannot_carry_over_in_one_line() -> None:
    star = sqlglot.parse_one("unpivot t on columns(* exclude (a)) into name k value v", "duckdb")
    with pytest.raises(cells.CellsError, match="list the unpivoted columns"):
        star.transform(cells._standard_unpivot)


def test_the_target_columns_come_from_create_tables() -> None:
    names = [name for name, _ in cells.columns("nps_cells")]
    assert names[:2] == ["dataset", "wave"] and names[-1] == "sw_switch_known"
    assert {kind.sql("spark") for _, kind in cells.columns("stage_cells")} == {
        "STRING",
        "BIGINT",
        "DOUBLE",
    }


@pytest.mark.usefixtures("extra_cells")
def test_a_new_cells_file_is_built_and_transpiled_without_being_listed(
    lake: Path, tmp_path: Path
) -> None:
    assert "powertrain_cells" in cells.cell_tables()
    assert "GROUP BY ALL" in cells.spark_sql("build/insert_powertrain_cells")
    report = build_lake("duckdb", str(lake), str(tmp_path / "out"))
    assert report.rows["powertrain_cells"] > 0
    assert (served(tmp_path / "out") / "powertrain_cells" / "dataset=demo").is_dir()
    assert read_table(tmp_path / "out", "powertrain_cells")["n"].sum() == 20_000


def test_publish_writes_the_respondent_lake_only_when_asked_and_a_manifest_last(
    fixture_db: Path, lake: Path, tmp_path: Path
) -> None:
    waves = sorted(p.name for p in (served(lake) / "respondents" / "dataset=demo").iterdir())
    assert len(waves) == 8 and waves[0] == "wave=2023Q1"
    assert read_table(lake, "nps_cells").height > 0
    plain = tmp_path / "plain"
    cx("publish", "--db", str(fixture_db), "--out", str(plain), in_process=True, check=True)
    assert not (served(plain) / "respondents").exists()
    first = json.loads((plain / "manifest.json").read_text())
    assert first["origin"] == "publish" and first["tables"]["nps_cells"] > 0
    # a dataset deleted since the last publish: its partitions must not stay served
    gone = served(plain) / "nps_cells" / "dataset=gone" / "wave=2020Q1"
    gone.mkdir(parents=True)
    shutil.copy(next(gone.parent.parent.glob("dataset=demo/*/*.parquet")), gone / "d.parquet")
    cx("publish", "--db", str(fixture_db), "--out", str(plain), in_process=True, check=True)
    assert json.loads((plain / "manifest.json").read_text())["version"] != first["version"]
    assert not (served(plain) / "nps_cells" / "dataset=gone").exists()
    assert read_table(plain, "nps_cells")["dataset"].unique().to_list() == ["demo"]
    # no staged table or manifest left behind, only the lock that makes publishes take turns
    assert [p.name for p in plain.glob(".*")] == [".publish.lock"]
    assert not list(served(plain).glob(".*"))


@pytest.mark.parametrize("table", cells.cell_tables())
def test_duckdb_cells_from_the_lake_equal_the_database_cells(
    fixture_db: Path, built: Path, table: str
) -> None:
    con = connect.connect(fixture_db)
    try:
        expected = con.table(table).pl()
    finally:
        con.close()
    assert expected.height > 0  # the fixture fills every cells table: no vacuous equality
    assert_same_table(expected, read_table(built, table))


def test_the_built_folder_carries_the_reference_tables_and_a_manifest(
    lake: Path, built: Path
) -> None:
    for table in cells.reference_tables():
        assert_same_table(read_table(lake, table), read_table(built, table))
    manifest = json.loads((built / "manifest.json").read_text())
    assert manifest["origin"] == "cells --engine duckdb"
    assert set(manifest["tables"]) == set(cells.cell_tables()) | set(cells.reference_tables())


def test_a_lake_of_respondents_alone_gets_reference_tables_and_a_datasets_catalogue(
    lake: Path, tmp_path: Path
) -> None:
    bare = tmp_path / "bare"
    shutil.copytree(served(lake) / "respondents", bare / "respondents")
    out = tmp_path / "out"
    report = build_lake("duckdb", str(bare), str(out))
    assert any(n.startswith("brands: not in the lake, from data/") for n in report.notes)
    assert any(n.startswith("funnel: not in the lake, empty") for n in report.notes)
    catalogue = read_table(out, "datasets")
    assert catalogue.select("dataset", "label", "kind", "rows").rows() == [
        ("demo", "demo", "lake", 20_000)
    ]
    assert_same_table(read_table(lake, "brands"), read_table(out, "brands"))
    assert read_table(out, "funnel").height == 0


def test_cells_command_reports_json_and_bad_input_in_one_line(lake: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = cx("cells", "--input", str(lake), "--output", str(out), "--quiet", in_process=True,
              check=True)  # fmt: skip
    report = json.loads(proc.stdout)
    assert report["engine"] == "duckdb" and report["datasets"] == ["demo"]
    assert report["rows"]["nps_cells"] == read_table(out, "nps_cells").height
    proc = cx("cells", "--input", str(tmp_path / "none"), "--output", str(out), in_process=True)
    err = proc.stderr.strip()
    assert proc.returncode == 2 and err.startswith("cx cells: error: no respondent rows in")
    assert len(err.splitlines()) == 1
