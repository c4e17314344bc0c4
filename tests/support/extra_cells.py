"""One more cells table, as another branch would add one: a copy of ``queries/`` with
``insert_powertrain_cells.sql`` and its ``create table``, served partitioned like the others."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from cx.build import cells
from cx.core import paths
from cx.data import connect, sql

TABLE = "powertrain_cells"


def _clear_caches() -> None:
    for cached in (sql.load_sql, sql.query_parameters, cells.create_statements, cells.spark_sql):
        cached.cache_clear()


@contextlib.contextmanager
def queries_with_extra_cells(tmp: Path) -> Iterator[None]:
    """While active, the queries (and the served, partitioned tables) include ``TABLE``."""
    queries = tmp / "queries-extra"
    shutil.copytree(paths.QUERIES_DIR, queries)
    with (queries / "build" / "create_tables.sql").open("a") as f:
        f.write(f"\ncreate table if not exists {TABLE} (\n")
        f.write("    dataset varchar, wave varchar, powertrain varchar, n bigint, sw double\n);\n")
    (queries / "build" / f"insert_{TABLE}.sql").write_text(
        f"-- Respondents per powertrain.\ninsert into {TABLE}\n"
        "select dataset, wave, powertrain, count(*) as n, sum(weight) as sw\n"
        "from respondents where dataset = $dataset group by all\n"
    )
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(paths, "QUERIES_DIR", queries)
            patch.setattr(connect, "SERVED_TABLES", (*connect.SERVED_TABLES, TABLE))
            patch.setattr(connect, "PARTITIONED", connect.PARTITIONED | {TABLE})
            _clear_caches()
            yield
    finally:
        _clear_caches()
