"""The one read path: every SQL file is run here, by name, with bound parameters.

Queries live in ``queries/*.sql`` (page queries) and ``queries/build/*.sql`` (schema and loads),
one statement per file unless the file is a parameter-free script. Parameters are DuckDB named
parameters (``$countries``); :func:`run` passes each query exactly the parameters it names.
Reports read through a :data:`Runner`, ``run(query_name, params) -> DataFrame``: the app's
cached reader, or :meth:`cx.data.database.Database.run` on the command line and in the benchmark.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

import duckdb
import polars as pl

from cx.core import paths
from cx.core.selection import FILTER_KEYS

# DuckDB warns that Arrow output of a DB-API result copies its rows: the rows of a page query
# are few (summary cells), and the copy is cheaper than describing the statement first.
warnings.filterwarnings("ignore", "Arrow output on a DB-API result", UserWarning)

_NAME = re.compile(r"^(build/)?[a-z][a-z0-9_]*$")
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


#: How reports read: ``run(query_name, params) -> DataFrame``.
Runner = Callable[[str, dict[str, Any]], pl.DataFrame]


class QueryError(ValueError):
    """A query name or its parameters are not acceptable."""


@cache
def load_sql(name: str) -> str:
    """Text of the query ``queries/<name>.sql`` (names are checked, never paths from input)."""
    if not _NAME.match(name):
        raise QueryError(f"invalid query name: {name!r}")
    path = paths.QUERIES_DIR / f"{name}.sql"
    if not path.is_file():
        raise QueryError(f"no such query: {name}")
    return path.read_text(encoding="utf-8")


@cache
def query_parameters(name: str) -> frozenset[str]:
    """Named parameters (``$name``) that the query uses, comments ignored."""
    return frozenset(_PARAM.findall(_COMMENT.sub("", load_sql(name))))


def bind(name: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The subset of ``params`` that query ``name`` uses; every one it uses must be given."""
    wanted = query_parameters(name)
    given = dict(params or {})
    missing = wanted - given.keys()
    if missing:
        raise QueryError(f"query {name} needs parameters: {', '.join(sorted(missing))}")
    return {k: given[k] for k in wanted}


def relation(
    con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
) -> duckdb.DuckDBPyRelation | None:
    """The named query with bound parameters as a DuckDB relation (None for statements that
    return nothing): for callers that write its result (a view, a CSV) rather than read it."""
    return con.sql(load_sql(name), params=bind(name, params) or None)


def run(
    con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
) -> pl.DataFrame:
    """Run the named query with bound parameters and return its result as a Polars frame.

    Args:
        con: an open DuckDB connection (or cursor).
        name: query file name without ``.sql``, e.g. ``"nps_by_group"``.
        params: values for the query's named parameters; extra keys are ignored.

    Returns:
        The result rows; an empty frame for statements that return nothing.
    """
    cursor = con.execute(load_sql(name), bind(name, params) or None)
    if cursor.description is None:  # a statement that returns nothing
        return pl.DataFrame()
    # the DB-API result, not a relation: a relation binds and describes the statement before
    # running it, which cost every page query about a millisecond more than the query itself
    frame = pl.from_arrow(cursor.to_arrow_table())
    assert isinstance(frame, pl.DataFrame)
    # sums of integer columns come back as DECIMAL(38,0): give callers plain numbers
    decimals = [c for c, t in frame.schema.items() if isinstance(t, pl.Decimal)]
    return frame.with_columns(pl.col(decimals).cast(pl.Float64)) if decimals else frame


def _frozen(value: Any) -> Any:
    """A hashable form of a parameter value (lists become tuples)."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def reads_selection(name: str) -> bool:
    """Whether a query's result depends on the sidebar's filters (it names one of them); one
    that does not depends on its dataset (and a page's pick, such as the language) only, and
    a page reads it from a cache shared by every selection (:func:`memo`)."""
    return bool(query_parameters(name) & set(FILTER_KEYS))


#: One query a page will read: its name and parameters, as a :data:`Runner` takes them.
Read = tuple[str, dict[str, Any]]

#: Threads that read a page's queries at once (DuckDB reads each on a cursor of its own and
#: plans it on one thread; most of a page query's time is planning).
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="cx-read")


def prefetch(run: Runner, reads: Sequence[Read]) -> None:
    """Tell the runner which queries a page is about to read, so that one that can
    (:func:`memo` with ``concurrent=True``, :func:`concurrent`) reads them all at once; the page
    then reads each as before and gets it from memory. Any other runner ignores this: what
    the page reads never depends on it, only how soon."""
    ahead = getattr(run, "prefetch", None)
    if ahead is not None and len(reads) > 1:
        ahead(reads)


def _read_together(run: Runner, reads: Sequence[Read]) -> None:
    """Read the queries on the pool, wait for them all, and raise the first failure."""
    for future in [_POOL.submit(run, name, params) for name, params in reads]:
        future.result()


class _Memo:
    """:func:`memo`'s runner."""

    def __init__(
        self, run: Runner, only: Callable[[str], bool] | None, concurrent: bool = False
    ) -> None:
        self._run, self._only, self._concurrent = run, only, concurrent
        self._kept: dict[tuple[str, Any], pl.DataFrame] = {}

    def _key(self, name: str, params: dict[str, Any]) -> tuple[str, Any]:
        return name, tuple(sorted((k, _frozen(v)) for k, v in bind(name, params).items()))

    def __call__(self, name: str, params: dict[str, Any]) -> pl.DataFrame:
        if self._only is not None and not self._only(name):
            return self._run(name, params)
        key = self._key(name, params)
        if key not in self._kept:
            self._kept[key] = self._run(name, params)
        return self._kept[key]

    def prefetch(self, reads: Sequence[Read]) -> None:
        """Read the queries not in memory yet at once (concurrent runners only)."""
        if not self._concurrent:
            return
        wanted = {self._key(n, p): (n, p) for n, p in reads if self._only is None or self._only(n)}
        missing = [read for key, read in wanted.items() if key not in self._kept]
        if len(missing) > 1:
            _read_together(self, missing)


def memo(
    run: Runner, only: Callable[[str], bool] | None = None, concurrent: bool = False
) -> Runner:
    """A runner that reads each query with the same parameters once and serves repeats from
    memory, as the app's cached runner does: the benchmark times a page with it.

    Args:
        run: the runner that reads.
        only: memoise only the queries this accepts (e.g. those that do not
            :func:`reads_selection`); the others are read every time.
        concurrent: read the queries a page announces (:func:`prefetch`) at once; ``run``
            must then be safe to call from several threads (a cursor per read).
    """
    return _Memo(run, only, concurrent)


class _Concurrent:
    """:func:`concurrent`'s runner."""

    def __init__(self, run: Runner) -> None:
        self._run = run

    def __call__(self, name: str, params: dict[str, Any]) -> pl.DataFrame:
        return self._run(name, params)

    def prefetch(self, reads: Sequence[Read]) -> None:
        _read_together(self._run, reads)


def concurrent(run: Runner) -> Runner:
    """``run`` (a runner that keeps what it reads, such as the app's shared query cache, and is
    safe to call from several threads) that reads the queries a page announces
    (:func:`prefetch`) at once."""
    return _Concurrent(run)


def run_script(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Run a parameter-free multi-statement script such as ``build/create_tables``."""
    for statement in con.extract_statements(load_sql(name)):
        con.execute(statement).fetchall()
