"""Data sources: the DuckDB file and a hive-partitioned Parquet folder give the same numbers
through the same queries, and the app serves a Parquet source read-only."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from streamlit.testing.v1 import AppTest

from cx import db, views
from cx.selection import Selection

ROOT = Path(__file__).resolve().parent.parent
SELECTIONS = [
    Selection(),
    Selection(countries=("DE", "US"), industries=("Automakers",)),
    Selection(waves=("2024Q4",), channels=("direct",)),
]


@pytest.fixture(scope="module")
def parquet_root(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet") / "cx"
    con = db.connect(fixture_db)
    try:
        db.export_parquet(con, out)
    finally:
        con.close()
    return out


@pytest.fixture(scope="module")
def both(fixture_db: Path, parquet_root: Path) -> Iterator[tuple[duckdb.DuckDBPyConnection, ...]]:
    file_con = db.connect_source(str(fixture_db))
    parquet_con = db.connect_source(f"parquet:{parquet_root}")
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
@pytest.mark.parametrize("page", list(views.PAGES))
def test_every_page_view_is_the_same_from_both_sources(
    both: tuple[duckdb.DuckDBPyConnection, ...], page: str, sel: Selection
) -> None:
    file_con, parquet_con = both
    from_file = views.PAGES[page](lambda n, p: db.execute(file_con, n, p), sel)
    from_parquet = views.PAGES[page](lambda n, p: db.execute(parquet_con, n, p), sel)
    assert from_file.keys() == from_parquet.keys()
    for key, frame in from_file.items():
        other = from_parquet[key]
        assert isinstance(frame, pl.DataFrame)
        assert_frame_equal(
            _sorted(other.select(frame.columns)),
            _sorted(frame),
            check_exact=False,
            rel_tol=1e-9,
            abs_tol=1e-9,
        )


def test_the_app_serves_a_parquet_source_read_only(
    parquet_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from components import shell

    monkeypatch.setenv("CX_DATA", f"parquet:{parquet_root}")
    monkeypatch.chdir(ROOT)
    shell.connection.clear()
    shell.run_query.clear()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.metric[0].label == "NPS"
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("pages/upload.py")  # nothing can be written to a Parquet source
    finally:
        shell.connection.clear()
        shell.run_query.clear()
