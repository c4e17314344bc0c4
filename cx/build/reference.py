"""Reference tables from ``data/``: brands, countries, industries, published figures and the
published market benchmarks (validated by :mod:`cx.models.market`)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from cx.core.paths import DATA_DIR
from cx.data.sql import run
from cx.models import market


def load_reference(con: duckdb.DuckDBPyConnection, data_dir: Path = DATA_DIR) -> None:
    """Load brands, countries, industries, published figures and published benchmarks (validated)
    from the CSVs in ``data/``."""
    for table in ("brands", "countries", "industries", "published_figures"):
        frame = pl.read_csv(data_dir / f"{table}.csv", infer_schema_length=None)
        if table == "brands":
            frame = frame.drop("bev_share", "phev_share", "demo_quality")
        con.register(f"{table}_source", frame)
        run(con, f"build/insert_{table}")
        con.unregister(f"{table}_source")
    insert_benchmarks(con, market.load_reference(data_dir / "published_benchmarks.csv"))


def insert_benchmarks(con: duckdb.DuckDBPyConnection, figures: pl.DataFrame) -> int:
    """Store validated published benchmarks (see :func:`cx.models.market.check`); returns how
    many rows were added."""
    con.register("published_benchmarks_source", figures.select(market.COLUMNS))
    try:
        run(con, "build/insert_published_benchmarks")
    finally:
        con.unregister("published_benchmarks_source")
    return figures.height
