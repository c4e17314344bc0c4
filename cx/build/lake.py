"""Summary cells built from a lake of respondent rows, by DuckDB on this machine or by Spark.

:func:`build` reads ``<lake>/respondents/dataset=<d>/wave=<w>/*.parquet`` (as ``python -m cx
publish --respondents`` writes it), runs every cells file of :mod:`cx.build.cells` on the chosen
engine, and writes the cells in the layout ``CX_DATA=parquet:<out>`` serves.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from cx.build import cells, reference
from cx.build.cells import BuildReport, CellQuery, CellsError
from cx.data import connect, publishing, sql


def respondents_path(lake: str) -> str:
    """The hive-partitioned respondent rows of a lake."""
    return f"{lake}/respondents"


def check_lake(lake: str) -> None:
    """Raise a one-line error when a local lake has no respondent rows."""
    if not publishing.is_remote(lake) and not any(
        Path(respondents_path(lake)).glob("**/*.parquet")
    ):
        raise CellsError(
            f"no respondent rows in {lake}: expected respondents/dataset=<d>/wave=<w>/*.parquet "
            "(python -m cx publish --out DIR --respondents writes them)"
        )


def lake_path(lake: str, table: str) -> str | None:
    """Where a table is in a lake (or a served folder): a table of :data:`cx.data.connect.PARTITIONED`
    (respondent-level rows such as ``comments``) in its hive-partitioned folder, else (or when
    that folder is absent, as for an empty one) its ``<table>.parquet``; None when a local lake
    has neither (on object storage the table is assumed to be there)."""
    folder, file = f"{lake}/{table}", f"{lake}/{table}.parquet"
    if publishing.is_remote(lake):
        return folder if table in connect.PARTITIONED else file
    if table in connect.PARTITIONED and any(Path(folder).glob("**/*.parquet")):
        return folder
    return file if Path(file).is_file() else None


def _read_table(con: duckdb.DuckDBPyConnection, table: str, path: str) -> None:
    """A view ``table`` over a Parquet file or a hive-partitioned folder."""
    if path.endswith(".parquet"):
        name, params = "build/parquet_file", {"path": path}
    else:
        name, params = "build/parquet_partitioned", {"path": f"{path}/**/*.parquet"}
    rel = sql.relation(con, name, params)
    if rel is None:
        raise CellsError(f"{name} returns no rows to serve as {table}")
    rel.create_view(table)


def copy_reference(
    con: duckdb.DuckDBPyConnection, lake: str, out: str, tables: tuple[str, ...]
) -> tuple[dict[str, int], list[str]]:
    """Copy the reference tables from the lake to ``out`` (partitioned ones such as
    ``comments`` too: the cells files read them and the dashboard serves them); a table the lake
    lacks comes from ``data/`` (brands, countries, industries, published figures) or starts
    empty (its ``create table``), except ``datasets``, which :func:`derive_datasets` makes
    afterwards.

    Returns:
        Rows per table written, and one note per table that was not in the lake.
    """
    fallback: duckdb.DuckDBPyConnection | None = None
    rows, notes = {}, []
    for table in tables:
        source = lake_path(lake, table)
        if source is not None:
            _read_table(con, table, source)
            rows[table] = publishing.write_table(con, table, out)
            continue
        if table == "datasets":
            continue
        if fallback is None:
            fallback = duckdb.connect(":memory:")
            sql.run_script(fallback, "build/create_tables")
            reference.load_reference(fallback)
        con.register(table, fallback.table(table).pl())
        rows[table] = publishing.write_table(con, table, out)
        notes.append(f"{table}: not in the lake, " + ("from data/" if rows[table] else "empty"))
    if fallback is not None:
        fallback.close()
    return rows, notes


def derive_datasets(con: duckdb.DuckDBPyConnection, out: str) -> int:
    """A ``datasets`` table for a lake without one: one row per dataset of the built NPS
    cells, labelled by its name (``queries/build/insert_lake_datasets.sql``)."""
    _read_table(con, "nps_cells", f"{out}/nps_cells")
    con.execute(cells.create_statements()["datasets"].sql(dialect="duckdb"))
    sql.run(con, "build/insert_lake_datasets")
    return publishing.write_table(con, "datasets", out)


def inputs(lake: str, out: str, references: dict[str, int]) -> dict[str, str]:
    """What the cells files read, by table: the lake's respondents and the reference tables
    already written to ``out`` (``references``: rows per table; an empty partitioned table is
    written as one file, see :func:`cx.data.publishing.write_table`)."""
    found = {"respondents": respondents_path(lake)}
    for table, rows in references.items():
        partitioned = table in connect.PARTITIONED and rows > 0
        found[table] = f"{out}/{table}" if partitioned else f"{out}/{table}.parquet"
    return found


def _duckdb_cells(
    lake: str, out: str, queries: tuple[CellQuery, ...], sources: dict[str, str]
) -> tuple[tuple[str, ...], dict[str, int]]:
    """Run every cells file unchanged on DuckDB over ``sources`` (:func:`inputs`); write each
    cells table to ``out``."""
    con = publishing.connect_paths(lake, out)
    try:
        for table, path in sources.items():
            _read_table(con, table, path)
        datasets = tuple(sql.run(con, "build/lake_datasets")["dataset"].to_list())
        rows = {}
        for query in queries:
            con.execute(cells.create_statements()[query.table].sql(dialect="duckdb"))
            for dataset in datasets:
                sql.run(con, query.name, {"dataset": dataset})
            rows[query.table] = publishing.write_table(con, query.table, out)
        return datasets, rows
    finally:
        con.close()


def build(
    engine: str,
    lake: str,
    out: str,
    master: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> BuildReport:
    """Build every cells table from a lake of respondent rows into a servable folder.

    Args:
        engine: ``duckdb`` (this machine) or ``spark`` (``master``: ``local[2]``, ``yarn``,
            ``spark://...``; none: as ``spark-submit`` or the platform configured it).
        lake: folder or URL holding ``respondents/`` and, optionally, the reference tables.
        out: folder or URL to write: a new version of it (:func:`cx.data.publishing.publication`),
            switched to by its ``manifest.json``, written last.
        progress: optional callback receiving one-line status messages.

    Returns:
        What was built and how long it took.
    """
    if engine not in cells.ENGINES:
        raise CellsError(f"unknown engine {engine!r}; choose {' or '.join(cells.ENGINES)}")
    say = progress or (lambda _m: None)
    # a lake written by ``publish --respondents`` is read at the version its manifest names
    lake = connect.served_root(lake, connect.read_manifest(lake.rstrip("/")))
    check_lake(lake)
    started = time.perf_counter()
    queries = cells.cell_queries()
    references = cells.reference_tables()
    with publishing.publication(out) as pub:
        root = pub.root  # the new version's folder: nothing reads it before the manifest
        con = publishing.connect_paths(lake, root)
        try:
            rows, notes = copy_reference(con, lake, root, references)
            say(f"reference tables: {', '.join(rows)}")
            cells_started = time.perf_counter()
            sources = inputs(lake, root, rows)
            if engine == "spark":
                from cx.build import spark

                datasets, cell_rows = spark.build_cells(root, queries, sources, master)
            else:
                datasets, cell_rows = _duckdb_cells(lake, root, queries, sources)
            cells_seconds = time.perf_counter() - cells_started
            say(f"cells ({engine}, {cells_seconds:.1f} s): {cell_rows}")
            rows.update(cell_rows)
            if "datasets" in references and "datasets" not in rows:
                rows["datasets"] = derive_datasets(con, root)
                notes.append("datasets: not in the lake, one per dataset of the respondents")
        finally:
            con.close()
        pub.commit(f"cells --engine {engine}", rows)
    return BuildReport(
        engine,
        datasets,
        rows,
        round(time.perf_counter() - started, 2),
        round(cells_seconds, 2),
        tuple(notes),
    )
