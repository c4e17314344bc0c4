"""Rollups: cells tables summed over the dimensions few views filter or group by.

The stage and topic cells are kept per wave, country, region, industry, brand and channel
(and language, for topics), the driver cells per wave, country, region and industry; sales
model, segment, ownership and powertrain (and for drivers brand and channel) are summed over.
A rollup has a tenth to a third of its cells' rows, and a page's read of it takes 2-6 ms less
at 10M respondents. The selection macro (``queries/build/create_macros.sql``:
``selected_cells``, ``rollup_serves``) read a rollup only where it gives the cells' own sums: no filter on a
dimension it sums over and every grouping of the read one it keeps; any other read plans the
cells.

A rollup is never written on its own: it is made from its dataset's cells whenever they are
rebuilt (:func:`cx.build.cells.rebuild_cells`), removed with them, and made for datasets that
lack one when a database is opened writable or a Parquet folder is served
(:func:`fill`, :func:`fill_served`), so it always sums the cells it is read beside. A database
built before rollups and opened read-only is refused with a clear message (:func:`ready`): its
macros are the older ones, which the queries no longer call.
"""

from __future__ import annotations

import duckdb

from cx.data import sql

#: The rollup tables (``create_tables.sql``), each made by ``build/insert_<table>.sql``.
ROLLUP_TABLES = ("stage_rollup", "driver_rollup", "topic_rollup")


def rebuild(con: duckdb.DuckDBPyConnection, dataset: str) -> None:
    """Make one dataset's rollups again from its cells."""
    for table in ROLLUP_TABLES:
        _make(con, table, dataset)


def _make(con: duckdb.DuckDBPyConnection, table: str, dataset: str) -> None:
    """Make one rollup of one dataset again from its cells."""
    sql.run(con, f"build/delete_{table}", {"dataset": dataset})
    sql.run(con, f"build/insert_{table}", {"dataset": dataset})


def fill(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Make the rollups of every dataset that has cells but no rollups: a database built before
    rollups, or a Parquet folder (whose cells another tool may have written: rollups are never
    published, always made from the cells served). Returns those datasets."""
    missing = sql.run(con, "build/datasets_without_rollups")["dataset"].to_list()
    for dataset in missing:
        rebuild(con, dataset)
    return missing


def fill_served(con: duckdb.DuckDBPyConnection) -> list[str]:
    """:func:`fill` for a source served as it was published (a Parquet folder): a rollup its
    cells cannot make (cells published before a column the rollup sums, such as the driver
    cells' ``stage_mask``) is dropped, so that the reads of those cells fail, as they did
    before rollups, rather than read an empty rollup as no answers; the other pages open.
    Returns the rollups dropped."""
    missing = sql.run(con, "build/datasets_without_rollups")["dataset"].to_list()
    dropped = []
    for table in ROLLUP_TABLES:
        try:
            for dataset in missing:
                _make(con, table, dataset)
        except duckdb.Error:
            sql.run(con, f"build/drop_{table}")
            dropped.append(table)
    return dropped


def ready(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database's reads can run: it has the rollups' tables and macros, or no cells
    at all (an empty file). One built before rollups has cells but neither until it is opened
    writable."""
    return bool(sql.run(con, "build/rollups_ready")["ready"][0])
