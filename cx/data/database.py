"""The one owner of a data source's connection: reads through cursors, writes through one lock.

Like datasette's ``Database``, a :class:`Database` holds the connection, runs every read
through :func:`cx.data.sql.run` on a cursor of its own (safe across threads) and serialises
every write through :meth:`Database.write`, which wraps the work in one transaction: a
failure rolls back and changes nothing. The app keeps one per process; the command line opens
one per command.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl

from cx.data import connect, rollups, sql

T = TypeVar("T")


class ReadOnlyError(RuntimeError):
    """A write was attempted on a read-only source (Parquet, MotherDuck or CX_READ_ONLY=1)."""


class OutdatedSourceError(RuntimeError):
    """A read-only source was built by an older version (without the rollups its queries read)."""


class Database:
    """A data source opened once: a DuckDB file, a Parquet folder or a MotherDuck database.

    Args:
        spec: ``parquet:<folder or URL>``, ``md:<database>`` or a DuckDB file path.
        read_only: open a file read-only (Parquet and MotherDuck sources always are).
    """

    def __init__(self, spec: str, read_only: bool = True) -> None:
        self.spec = spec
        self.kind = connect.source_kind(spec)
        self.read_only = read_only or self.kind != "file"
        self._write_lock = threading.Lock()
        #: The manifest text of the version a Parquet folder is served from (None otherwise,
        #: or when the folder has none): replicas compare it with the current one.
        self.manifest = (
            connect.read_manifest(connect.parquet_folder(spec)) if self.kind == "parquet" else None
        )
        self._con = connect.connect_source(spec, read_only=self.read_only, manifest=self.manifest)
        if not self.read_only:  # tables, columns and macros added since the file was built
            sql.run_script(self._con, "build/create_tables")
            sql.run_script(self._con, "build/migrate")
            sql.run_script(self._con, "build/create_macros")
            rollups.fill(self._con)
        elif self.kind != "parquet" and not rollups.ready(self._con):
            self._con.close()
            raise OutdatedSourceError(
                f"{spec} was built by an older version of cxbench and lacks the summary tables "
                "this one reads: open it once without CX_READ_ONLY (make run does; it is brought "
                "up to date then) or build it again (make db)"
            )

    @property
    def path(self) -> Path | None:
        """The DuckDB file (None for Parquet and MotherDuck sources)."""
        return Path(self.spec) if self.kind == "file" else None

    def run(self, name: str, params: Mapping[str, Any] | None = None) -> pl.DataFrame:
        """Run a named query on a cursor of its own (see :func:`cx.data.sql.run`): the
        :data:`cx.data.sql.Runner` that reports read through."""
        cursor = self._con.cursor()
        try:
            return sql.run(cursor, name, params)
        finally:
            cursor.close()

    def write(self, work: Callable[[duckdb.DuckDBPyConnection], T], checkpoint: bool = False) -> T:
        """Run ``work(cursor)`` as the only writer, in one transaction.

        Args:
            checkpoint: after the commit, move the write-ahead log into the database file
                (DuckDB's ``CHECKPOINT``), so that the file alone holds what was written
                (a copy of it without its ``.wal`` too). Once per stored or deleted dataset;
                a checkpoint DuckDB cannot take now is left to its next automatic one.

        Raises:
            ReadOnlyError: the source is read-only.
        """
        if self.read_only:
            raise ReadOnlyError("this data source is read-only")
        with self._write_lock:
            cursor = self._con.cursor()
            try:
                cursor.execute("begin transaction")
                try:
                    out = work(cursor)
                    cursor.execute("commit")
                except BaseException:
                    cursor.execute("rollback")
                    raise
                if checkpoint:
                    with contextlib.suppress(duckdb.Error):  # committed: never fail the write
                        cursor.execute("checkpoint")
                return out
            finally:
                cursor.close()

    def close(self) -> None:
        """Close the connection."""
        self._con.close()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
