"""Connections to a data source: a DuckDB file, a Parquet folder (local or on object storage)
or MotherDuck, each with the same tables and macros."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import duckdb

from cx.core.i18n import _
from cx.core.paths import DEFAULT_DB
from cx.data import rollups
from cx.data.sql import run, run_script


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


#: A published folder's manifest, written last by every publish (:mod:`cx.data.publishing`).
MANIFEST = "manifest.json"
#: Where a publish writes its tables: one new folder per version, named in the manifest.
VERSION_ROOT = re.compile(r"versions/[0-9a-f]{32}")
#: Schemes of object storage that DuckDB reads through httpfs.
REMOTE_SCHEMES = ("s3", "gs", "gcs", "r2", "az", "https", "http")


def _memory(root: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that reads ``root`` (httpfs loaded for object storage)."""
    con = duckdb.connect(":memory:")
    if root.split("://", 1)[0] in REMOTE_SCHEMES:
        con.execute("install httpfs")
        con.execute("load httpfs")
    return con


def read_manifest(root: str, con: duckdb.DuckDBPyConnection | None = None) -> str | None:
    """The text of a published folder's ``manifest.json`` (None when it has none)."""
    root = root.rstrip("/")
    if "://" not in root:
        path = Path(root, MANIFEST)
        return path.read_text(encoding="utf-8") if path.is_file() else None
    reader = con or _memory(root)
    try:
        found = run(reader, "build/source_manifest", {"path": f"{root}/{MANIFEST}"})
    finally:
        if con is None:
            reader.close()
    return str(found["content"][0]) if found.height else None


def served_root(root: str, manifest: str | None) -> str:
    """The folder a published folder serves its tables from: the version folder its manifest
    names (``versions/<hex>``), else the folder itself (published by hand, or before versions).

    Readers follow only the manifest, so a publish killed half-way (a new version folder
    partly written, no new manifest yet) is never read."""
    root = root.rstrip("/")
    try:
        named = json.loads(manifest).get("root") if manifest else None
    except (ValueError, AttributeError):
        named = None
    if isinstance(named, str) and VERSION_ROOT.fullmatch(named):
        return f"{root}/{named}"
    return root


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


def parquet_folder(spec: str) -> str:
    """The folder (or URL) of a ``parquet:`` source."""
    return spec[len("parquet:") :].rstrip("/")


def connect_source(
    spec: str | None = None, read_only: bool = True, manifest: str | None = None
) -> duckdb.DuckDBPyConnection:
    """Open the configured data source with the same tables and macros for every kind.

    - a DuckDB file (default): opened directly (writable when ``read_only`` is False);
    - ``parquet:<folder>``: an in-memory database whose tables are views over the folder's
      current version (:func:`served_root`: the one its manifest names, read once here, or
      ``manifest`` when the caller read it): ``<root>/<table>/**/*.parquet`` (hive
      partitions) or ``<root>/<table>.parquet``; a folder on object storage (``s3://``,
      ``gs://``, ``https://``) loads DuckDB's httpfs;
    - ``md:<database>``: a MotherDuck database built from the same scripts (read-only here).
    """
    spec = spec or data_source()
    kind = source_kind(spec)
    if kind == "file":
        return connect(spec, read_only=read_only)
    if kind == "motherduck":
        return duckdb.connect(spec, read_only=True)
    folder = parquet_folder(spec)
    con = _memory(folder)
    root = served_root(folder, manifest if manifest is not None else read_manifest(folder, con))
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
    rollups.fill_served(con)  # made here from the cells served, never published
    return con


class DatabaseBusy(duckdb.IOException):
    """The database file is held by another process: DuckDB lets one process write a file
    (and none read it meanwhile), and the dashboard holds its database while it runs. A
    DuckDB error still, so what catches DuckDB's lock error catches this one."""


def connect(path: Path | str | None = None, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database; the app opens it read-only. A file another process holds (the
    running dashboard) raises :class:`DatabaseBusy` saying so and what to do, not DuckDB's
    "Could not set lock on file ... (PID 7495)"."""
    target = str(path or default_db_path())
    try:
        return duckdb.connect(target, read_only=read_only)
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        raise DatabaseBusy(
            _(
                "{path} is in use by another program (DuckDB lets one program hold a database "
                "file; a running dashboard holds its own): stop that program, or use a copy of "
                "the file"
            ).format(path=target)
        ) from exc
