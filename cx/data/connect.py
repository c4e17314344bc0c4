"""Connections to a data source: a DuckDB file, a Parquet folder (local or on object storage)
or MotherDuck, each with the same tables and macros."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from cx.core.paths import DEFAULT_DB
from cx.data.sql import run_script


def default_db_path() -> Path:
    """The database file: ``$CX_DB`` if set, else ``data/cx.duckdb``."""
    return Path(os.environ.get("CX_DB", DEFAULT_DB))


#: Tables the page queries read; a Parquet source provides one folder (or file) per table.
SERVED_TABLES = (
    "nps_cells",
    "stage_cells",
    "driver_cells",
    "datasets",
    "countries",
    "brands",
    "industries",
    "published_figures",
    "funnel",
    "comments",
    "topic_cells",
    "term_cells",
    "topic_candidates",
    "published_benchmarks",
    "dealer_cells",
)
#: Tables written partitioned by dataset and wave (hive layout: table/dataset=x/wave=y/*.parquet).
PARTITIONED = {
    "nps_cells",
    "stage_cells",
    "driver_cells",
    "respondents",
    "comments",
    "topic_cells",
    "dealer_cells",
}


def data_source() -> str:
    """Where survey data lives: ``$CX_DATA`` (``parquet:<folder or URL>``, ``md:<database>``,
    or a file), else the DuckDB file of :func:`default_db_path`."""
    return os.environ.get("CX_DATA") or str(default_db_path())


def source_kind(spec: str) -> str:
    """``parquet``, ``motherduck`` or ``file``."""
    if spec.startswith("parquet:"):
        return "parquet"
    if spec.startswith("md:"):
        return "motherduck"
    return "file"


def _literal(text: str) -> str:
    """A SQL string literal for an operator-configured path (never user input)."""
    return "'" + text.replace("'", "''") + "'"


def connect_source(spec: str | None = None, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the configured data source with the same tables and macros for every kind.

    - a DuckDB file (default): opened directly (writable when ``read_only`` is False);
    - ``parquet:<root>``: an in-memory database whose tables are views over
      ``<root>/<table>/**/*.parquet`` (hive partitions) or ``<root>/<table>.parquet``; a root
      on object storage (``s3://``, ``gs://``, ``https://``) loads DuckDB's httpfs;
    - ``md:<database>``: a MotherDuck database built from the same scripts (read-only here).
    """
    spec = spec or data_source()
    kind = source_kind(spec)
    if kind == "file":
        return connect(spec, read_only=read_only)
    if kind == "motherduck":
        return duckdb.connect(spec, read_only=True)
    root = spec[len("parquet:") :].rstrip("/")
    con = duckdb.connect(":memory:")
    if root.split("://", 1)[0] in ("s3", "gs", "gcs", "r2", "az", "https", "http"):
        con.execute("install httpfs")
        con.execute("load httpfs")
    local = "://" not in root
    # a table without files (published before it existed, or with no rows) is served empty
    missing = {
        t
        for t in SERVED_TABLES
        if local
        and not Path(root, f"{t}.parquet").exists()
        and not any(Path(root, t).glob("**/*.parquet"))
    }
    run_script(con, "build/create_tables")  # empty tables: what an older folder lacks stays empty
    for table in SERVED_TABLES:
        if table in missing:
            continue
        con.execute(f"drop table if exists {table}")  # table name from SERVED_TABLES
        if table not in PARTITIONED or (local and Path(root, f"{table}.parquet").exists()):
            source = f"read_parquet({_literal(f'{root}/{table}.parquet')})"
        else:
            source = (
                f"read_parquet({_literal(f'{root}/{table}/**/*.parquet')}, "
                "hive_partitioning = true, hive_types_autocast = false)"
            )
        # DDL cannot take bound parameters: the table name is from SERVED_TABLES and the path
        # is the operator's configuration, quoted by _literal; no user input reaches this text.
        con.execute(f"create view {table} as select * from {source}")  # noqa: S608
    run_script(con, "build/create_macros")
    return con


def connect(path: Path | str | None = None, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database; the app opens it read-only."""
    return duckdb.connect(str(path or default_db_path()), read_only=read_only)
