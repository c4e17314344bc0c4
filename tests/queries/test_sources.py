"""Data sources: the DuckDB file and a hive-partitioned Parquet folder give the same numbers
through the same queries, and the app serves a Parquet source read-only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest
from support.apptest import open_app
from support.compare import SELECTIONS, assert_same

from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import connect, publishing, sql
from cx.reports.registry import REPORTS

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def parquet_root(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet") / "cx"
    con = connect.connect(fixture_db)
    try:
        publishing.export_parquet(con, out)
    finally:
        con.close()
    return out


@pytest.fixture(scope="module")
def both(fixture_db: Path, parquet_root: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, ...]]:
    file_con = connect.connect_source(str(fixture_db))
    parquet_con = connect.connect_source(f"parquet:{parquet_root}")
    yield file_con, parquet_con
    file_con.close()
    parquet_con.close()


def test_the_parquet_folder_is_hive_partitioned_by_dataset_and_wave(parquet_root: Path) -> None:
    waves = sorted(p.name for p in (parquet_root / "nps_cells" / "dataset=demo").iterdir())
    assert waves[0] == "wave=2023Q1" and len(waves) == 8
    assert (parquet_root / "published_figures.parquet").is_file()


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    keys = [c for c, t in frame.schema.items() if t == pl.String][:4] or frame.columns[:1]
    return frame.sort(keys, nulls_last=True)


@pytest.mark.parametrize("sel", SELECTIONS, ids=["all", "automakers-de-us", "q4-direct"])
@pytest.mark.parametrize("report", REPORTS, ids=[r.key for r in REPORTS])
def test_every_page_view_is_the_same_from_both_sources(
    both: tuple[duckdb.DuckDBPyConnection, ...], report: object, sel: Selection
) -> None:
    file_con, parquet_con = both
    from_file = report.compute(lambda n, p: sql.run(file_con, n, p), sel, Options())  # type: ignore[attr-defined]
    from_parquet = report.compute(lambda n, p: sql.run(parquet_con, n, p), sel, Options())  # type: ignore[attr-defined]
    assert_same(from_file, from_parquet)


def test_the_app_serves_a_parquet_source_read_only(
    parquet_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from components import data

    monkeypatch.setenv("CX_DATA", f"parquet:{parquet_root}")
    monkeypatch.chdir(ROOT)
    data.database.clear()
    data.data_changed()
    try:
        at = open_app(timeout=60)
        assert not at.exception, [e.value for e in at.exception]
        assert at.metric[0].label.startswith("NPS, ")
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("pages/upload.py")  # nothing can be written to a Parquet source
    finally:
        data.database.clear()
        data.data_changed()


def test_a_folder_published_before_a_table_existed_still_opens(
    parquet_root: Path, tmp_path: Path
) -> None:
    """Tables added since a folder was published are served empty, not as an error."""
    import shutil

    older = tmp_path / "older"
    shutil.copytree(parquet_root, older)
    (older / "published_benchmarks.parquet").unlink()
    con = connect.connect_source(f"parquet:{older}")
    try:
        assert con.sql("select count(*) from published_benchmarks").fetchall() == [(0,)]
        assert con.sql("select count(*) from nps_cells").fetchall()[0][0] > 0
    finally:
        con.close()


def test_a_parquet_source_serves_the_version_its_manifest_names_and_nothing_else(
    parquet_root: Path, tmp_path: Path
) -> None:
    """Readers follow only the manifest: tables at the folder's top (an older layout, or a
    half-written publish of it) are not read once a manifest names a version; a manifest
    naming anything but ``versions/<hex>`` is not followed out of the folder."""
    import json
    import shutil

    folder = tmp_path / "served"
    version = "versions/" + "ab" * 16
    shutil.copytree(parquet_root, folder / version)
    pl.DataFrame({"dataset": ["top"]}).write_parquet(folder / "datasets.parquet")
    (folder / "manifest.json").write_text(json.dumps({"version": "ab" * 16, "root": version}))
    con = connect.connect_source(f"parquet:{folder}")
    try:
        assert con.sql("select dataset from datasets").fetchall() == [("demo",)]
    finally:
        con.close()
    for bad in ("../" + version, "/etc", version + "/..", "versions/x"):
        manifest = json.dumps({"root": bad})
        assert connect.served_root(str(folder), manifest) == str(folder)
    assert connect.served_root(str(folder), "not json") == str(folder)
    assert connect.served_root(str(folder), None) == str(folder)
