"""Running reports on a test database the way the app does."""

from __future__ import annotations

from typing import Any

import duckdb

from cx.data import sql


def run_on(con: duckdb.DuckDBPyConnection) -> Any:
    """The query runner ``report.compute`` takes, on ``con`` (the one read path)."""
    return lambda n, p: sql.run(con, n, p)
