"""Data access: the one helper that runs every SQL file, and the database builder.

Queries live in ``queries/*.sql`` (page queries) and ``queries/build/*.sql`` (schema and loads),
one statement per file unless the file is a parameter-free script. Parameters are DuckDB named
parameters (``$countries``); :func:`execute` passes each query exactly the parameters it names.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from cx import benchmarks, demo
from cx.schema import DEMO_DATASET

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
DATA_DIR = ROOT / "data"
DEFAULT_DB = DATA_DIR / "cx.duckdb"
DEFAULT_DEMO_ROWS = 200_000
DEFAULT_SEED = 42

_NAME = re.compile(r"^(build/)?[a-z][a-z0-9_]*$")
_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")
_COMMENT = re.compile(r"--[^\n]*")


class QueryError(ValueError):
    """A query name or its parameters are not acceptable."""


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
#: Summary tables rebuilt from respondent rows, per dataset.
CELL_TABLES = (
    "nps_cells",
    "stage_cells",
    "driver_cells",
    "topic_cells",
    "term_cells",
    "dealer_cells",
)


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


def export_parquet(
    con: duckdb.DuckDBPyConnection, out_dir: Path, respondents: bool = True
) -> list[Path]:
    """Write the served tables (and, with ``respondents``, the respondent rows: the lake that
    ``python -m cx cells`` reads) as Parquet: cells and respondents partitioned by dataset and
    wave, reference tables as single files. Each table is written beside its place and moved
    in whole (:func:`cx.publishing.write_table`), so a server reading the folder never sees
    half a table. Returns what was written."""
    from cx import publishing  # it builds on this module

    rows = publishing.export(con, out_dir, respondents)
    return [publishing.served_path(out_dir, table) for table in rows]


@cache
def load_sql(name: str) -> str:
    """Text of the query ``queries/<name>.sql`` (names are checked, never paths from input)."""
    if not _NAME.match(name):
        raise QueryError(f"invalid query name: {name!r}")
    path = QUERIES_DIR / f"{name}.sql"
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


def execute(
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
    rel = relation(con, name, params)
    if rel is None:
        return pl.DataFrame()
    frame = rel.pl()
    # sums of integer columns come back as DECIMAL(38,0): give callers plain numbers
    decimals = [c for c, t in frame.schema.items() if isinstance(t, pl.Decimal)]
    return frame.with_columns(pl.col(decimals).cast(pl.Float64)) if decimals else frame


def run_script(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Run a parameter-free multi-statement script such as ``build/create_tables``."""
    for statement in con.extract_statements(load_sql(name)):
        con.execute(statement).fetchall()


def connect(path: Path | str | None = None, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the database; the app opens it read-only."""
    return duckdb.connect(str(path or default_db_path()), read_only=read_only)


def rebuild_cells(con: duckdb.DuckDBPyConnection, dataset: str) -> None:
    """Recompute the summary tables of one dataset from its respondent rows."""
    for table in CELL_TABLES:
        execute(con, f"build/delete_{table}", {"dataset": dataset})
        execute(con, f"build/insert_{table}", {"dataset": dataset})


def load_reference(con: duckdb.DuckDBPyConnection, data_dir: Path = DATA_DIR) -> None:
    """Load brands, countries, industries, published figures and published benchmarks (validated)
    from the CSVs in ``data/``."""
    for table in ("brands", "countries", "industries", "published_figures"):
        frame = pl.read_csv(data_dir / f"{table}.csv", infer_schema_length=None)
        if table == "brands":
            frame = frame.drop("bev_share", "phev_share", "demo_quality")
        con.register(f"{table}_source", frame)
        execute(con, f"build/insert_{table}")
        con.unregister(f"{table}_source")
    insert_benchmarks(con, benchmarks.load_reference(data_dir / "published_benchmarks.csv"))


def insert_benchmarks(con: duckdb.DuckDBPyConnection, figures: pl.DataFrame) -> int:
    """Store validated published benchmarks (see :func:`cx.benchmarks.check`); returns how
    many rows were added."""
    con.register("published_benchmarks_source", figures.select(benchmarks.COLUMNS))
    try:
        execute(con, "build/insert_published_benchmarks")
    finally:
        con.unregister("published_benchmarks_source")
    return figures.height


def append_respondents(con: duckdb.DuckDBPyConnection, frames: Iterable[pl.DataFrame]) -> int:
    """Insert respondent frames (canonical columns) and return the number of rows added."""
    total = 0
    for frame in frames:
        con.register("respondents_chunk", frame)
        execute(con, "build/insert_respondents")
        con.unregister("respondents_chunk")
        total += frame.height
    return total


def _build_atomically(target: Path, fill: Callable[[duckdb.DuckDBPyConnection], None]) -> Path:
    """Create a database beside ``target`` under a temporary name, fill it, rename it into
    place: a reader never sees a half-built file and a failed build changes nothing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".building-", suffix=".duckdb", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        con = duckdb.connect(str(tmp))
        try:
            run_script(con, "build/create_tables")
            run_script(con, "build/create_macros")
            load_reference(con)
            fill(con)
            con.checkpoint()
        finally:
            con.close()
        tmp.replace(target)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return target


def create_database(path: Path | str) -> Path:
    """An empty database: schema, macros and reference tables, no survey rows."""
    return _build_atomically(Path(path), lambda _con: None)


def build_database(
    path: Path | str | None = None,
    rows: int = DEFAULT_DEMO_ROWS,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Build a database holding the reference tables and the demo dataset, atomically.

    Args:
        path: target database file (default :func:`default_db_path`).
        rows: demo respondents; seed: generator seed.
        progress: optional callback receiving one-line status messages.

    Returns:
        The path of the database.
    """
    target = Path(path or default_db_path())
    say = progress or (lambda _msg: None)

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        from cx import demo_text

        catalog = demo.load_catalog()
        added = 0
        answers = []
        for frame in demo.generate(rows, seed, catalog=catalog):
            added += append_respondents(con, [frame])
            answers.append(demo_text.answers(frame, seed))
            say(f"generated {added:,} of {rows:,} respondents")
        say(f"analysed {demo_text.store(con, pl.concat(answers)):,} comments")
        funnel = demo.generate_funnel(seed, catalog)
        con.register("funnel_source", funnel)
        execute(con, "build/insert_funnel")
        con.unregister("funnel_source")
        say("building summary tables")
        rebuild_cells(con, DEMO_DATASET)
        execute(
            con,
            "build/insert_dataset",
            {
                "dataset": DEMO_DATASET,
                "label": f"Demo: synthetic survey ({rows:,} respondents, seed {seed})",
                "kind": "demo",
                "rows": rows,
                "source_file": None,
            },
        )

    _build_atomically(target, fill)
    say(f"database ready: {target}")
    return target


def ensure_database(path: Path | str | None = None) -> Path:
    """Return the database path, building the default demo database first if it is missing."""
    target = Path(path or default_db_path())
    if not target.exists():
        build_database(target)
    return target
