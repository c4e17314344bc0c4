"""Summary cells built where the data lives: DuckDB on one machine, Apache Spark on a cluster.

There is one definition of every cells table: its ``queries/build/insert_<table>.sql`` file
(every file matching ``insert_*_cells.sql``, found by glob, so a new cells file is built here
without being listed) and its ``create table`` in ``queries/build/create_tables.sql``.
:func:`cx.db.rebuild_cells` runs those files inside a DuckDB database; :func:`build` runs the
same files over a *lake* of respondent rows (``<lake>/respondents/dataset=<d>/wave=<w>/*.parquet``,
as ``python -m cx publish --respondents`` writes it) and writes the cells in the layout that
``CX_DATA=parquet:<out>`` serves (``<table>/dataset=<d>/wave=<w>/*.parquet``):

- ``duckdb``: each file runs unchanged, per dataset, into the empty table its ``create table``
  makes, over views of the lake;
- ``spark``: sqlglot transpiles each file's query from DuckDB's dialect to Spark SQL
  (:func:`spark_sql`, with one documented rewrite), Spark runs it per dataset with the same bound
  parameters, and the result gets the ``create table``'s column names and types (the DuckDB
  insert is positional, so is this). See :mod:`cx.spark`.

Reference tables (brands, countries, datasets, ...) are small: DuckDB on the driver copies them
from the lake, or from the CSVs in ``data/`` when the lake has none, before the cells are built
(the cell files join them). Other respondent-level tables the dashboard serves and the cells
files read (``comments``, partitioned like the respondents) are copied the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from cx import db, publishing

ENGINES = ("duckdb", "spark")
#: The build files this module runs: every cells table, by glob.
CELL_GLOB = "insert_*_cells.sql"
#: Hive partition columns of every cells table.
PARTITION_BY = publishing.PARTITION_BY


class CellsError(ValueError):
    """A lake, an output folder or a cells file that cannot be built from."""


@dataclass(frozen=True)
class CellQuery:
    """One cells table and the build file that fills it.

    Attributes:
        name: the query name, e.g. ``build/insert_nps_cells`` (see :func:`cx.db.load_sql`).
        table: the table the file inserts into, e.g. ``nps_cells``.
    """

    name: str
    table: str


@dataclass(frozen=True)
class BuildReport:
    """What :func:`build` did.

    Attributes:
        engine: ``duckdb`` or ``spark``.
        datasets: the datasets found in the lake's respondents.
        rows: rows written per table (cells and reference tables).
        seconds: wall time of the whole build; cells_seconds: of the cells alone.
        notes: one line per reference table that was not in the lake (and where it came from).
    """

    engine: str
    datasets: tuple[str, ...]
    rows: dict[str, int]
    seconds: float
    cells_seconds: float
    notes: tuple[str, ...] = field(default=())


def _parse(name: str) -> exp.Expr:
    """The parsed (DuckDB dialect) statement of a one-statement build file."""
    statements = [s for s in sqlglot.parse(db.load_sql(name), read="duckdb") if s is not None]
    if len(statements) != 1:
        raise CellsError(f"{name} must hold exactly one statement")
    return statements[0]


@cache
def create_statements() -> dict[str, exp.Create]:
    """Every ``create table`` of ``create_tables.sql``, by table name."""
    out = {}
    for statement in sqlglot.parse(db.load_sql("build/create_tables"), read="duckdb"):
        if isinstance(statement, exp.Create) and statement.find(exp.Table) is not None:
            out[statement.find(exp.Table).name] = statement  # type: ignore[union-attr]
    return out


def columns(table: str) -> tuple[tuple[str, exp.DataType], ...]:
    """Column names and types of a table as ``create_tables.sql`` declares them, in order."""
    schema = create_statements()[table].this
    return tuple(
        (c.name, c.args["kind"]) for c in schema.expressions if isinstance(c, exp.ColumnDef)
    )


def cell_queries() -> tuple[CellQuery, ...]:
    """Every ``queries/build/insert_*_cells.sql`` file and its target table, sorted by name.

    Raises:
        CellsError: a file is not an ``insert``, or its table has no ``create table``.
    """
    found = []
    for path in sorted((db.QUERIES_DIR / "build").glob(CELL_GLOB)):
        name = f"build/{path.stem}"
        statement = _parse(name)
        target = statement.find(exp.Table)
        if not isinstance(statement, exp.Insert) or target is None:
            raise CellsError(f"{name} is not an insert into a table")
        if target.name not in create_statements():
            raise CellsError(f"{name} inserts into {target.name}, which create_tables lacks")
        found.append(CellQuery(name, target.name))
    return tuple(found)


def cell_tables() -> tuple[str, ...]:
    """The cells tables, in build order."""
    return tuple(q.table for q in cell_queries())


def reference_tables() -> tuple[str, ...]:
    """What the dashboard reads besides the cells (:data:`cx.db.SERVED_TABLES` less cells)."""
    cells = set(cell_tables())
    return tuple(t for t in db.SERVED_TABLES if t not in cells)


def _standard_unpivot(node: exp.Expr) -> exp.Expr:
    """The one rewrite Spark needs: DuckDB's simplified ``unpivot t on a, b into name k value
    v`` becomes the SQL-standard ``select * from t unpivot (v for k in (a, b))``. Both drop
    rows whose value is null unless ``include nulls`` is given, which is carried over."""
    if not (isinstance(node, exp.Pivot) and node.args.get("unpivot") and node.args.get("into")):
        return node
    into = node.args["into"]
    if not isinstance(node.this, exp.Table) or len(into.expressions) != 1:
        raise CellsError("unpivot: name one table and one value column for Spark")
    if not all(isinstance(c, exp.Column) for c in node.expressions):
        raise CellsError("unpivot: list the unpivoted columns by name for Spark")
    table = node.this.copy()
    table.set(
        "pivots",
        [
            exp.Pivot(
                expressions=[exp.to_identifier(into.expressions[0].name)],
                fields=[
                    exp.In(
                        this=exp.to_identifier(into.this.name),
                        expressions=[c.copy() for c in node.expressions],
                    )
                ],
                unpivot=True,
                include_nulls=node.args.get("include_nulls"),
            )
        ],
    )
    return exp.select("*").from_(table)


@cache
def spark_sql(name: str) -> str:
    """A one-statement query file in Spark SQL; for an ``insert``, its query alone.

    sqlglot reads DuckDB's dialect and writes Spark's: ``::`` casts, ``$name`` parameters as
    ``:name`` markers (bound by ``spark.sql(text, args=...)``), ``group by all`` and
    ``filter (where ...)`` (both native in Spark 3.4+) come out as Spark reads them;
    :func:`_standard_unpivot` is the one rewrite sqlglot does not do by itself.
    """
    statement = _parse(name)
    query = statement.expression if isinstance(statement, exp.Insert) else statement
    return query.transform(_standard_unpivot).sql(dialect="spark")


# ---------------------------------------------------------------------------------------------
# The lake and DuckDB on the driver (writing a served folder: cx.publishing.write_table)


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
    """Where a table is in a lake (or a served folder): a table of :data:`cx.db.PARTITIONED`
    (respondent-level rows such as ``comments``) in its hive-partitioned folder, else (or when
    that folder is absent, as for an empty one) its ``<table>.parquet``; None when a local lake
    has neither (on object storage the table is assumed to be there)."""
    folder, file = f"{lake}/{table}", f"{lake}/{table}.parquet"
    if publishing.is_remote(lake):
        return folder if table in db.PARTITIONED else file
    if table in db.PARTITIONED and any(Path(folder).glob("**/*.parquet")):
        return folder
    return file if Path(file).is_file() else None


def _read_table(con: duckdb.DuckDBPyConnection, table: str, path: str) -> None:
    """A view ``table`` over a Parquet file or a hive-partitioned folder."""
    if path.endswith(".parquet"):
        name, params = "build/parquet_file", {"path": path}
    else:
        name, params = "build/parquet_partitioned", {"path": f"{path}/**/*.parquet"}
    rel = db.relation(con, name, params)
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
            db.run_script(fallback, "build/create_tables")
            db.load_reference(fallback)
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
    con.execute(create_statements()["datasets"].sql(dialect="duckdb"))
    db.execute(con, "build/insert_lake_datasets")
    return publishing.write_table(con, "datasets", out)


def inputs(lake: str, out: str, references: dict[str, int]) -> dict[str, str]:
    """What the cells files read, by table: the lake's respondents and the reference tables
    already written to ``out`` (``references``: rows per table; an empty partitioned table is
    written as one file, see :func:`cx.publishing.write_table`)."""
    found = {"respondents": respondents_path(lake)}
    for table, rows in references.items():
        partitioned = table in db.PARTITIONED and rows > 0
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
        datasets = tuple(db.execute(con, "build/lake_datasets")["dataset"].to_list())
        rows = {}
        for query in queries:
            con.execute(create_statements()[query.table].sql(dialect="duckdb"))
            for dataset in datasets:
                db.execute(con, query.name, {"dataset": dataset})
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
        out: folder or URL to write; a ``manifest.json`` written last tells replicas serving
            it that the data changed.
        progress: optional callback receiving one-line status messages.

    Returns:
        What was built and how long it took.
    """
    if engine not in ENGINES:
        raise CellsError(f"unknown engine {engine!r}; choose {' or '.join(ENGINES)}")
    say = progress or (lambda _m: None)
    lake, out = lake.rstrip("/"), out.rstrip("/")
    check_lake(lake)
    if not publishing.is_remote(out):
        Path(out).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    queries = cell_queries()
    references = reference_tables()
    con = publishing.connect_paths(lake, out)
    try:
        rows, notes = copy_reference(con, lake, out, references)
        say(f"reference tables: {', '.join(rows)}")
        cells_started = time.perf_counter()
        if engine == "spark":
            from cx import spark

            datasets, cell_rows = spark.build_cells(out, queries, inputs(lake, out, rows), master)
        else:
            datasets, cell_rows = _duckdb_cells(lake, out, queries, inputs(lake, out, rows))
        cells_seconds = time.perf_counter() - cells_started
        say(f"cells ({engine}, {cells_seconds:.1f} s): {cell_rows}")
        rows.update(cell_rows)
        if "datasets" in references and "datasets" not in rows:
            rows["datasets"] = derive_datasets(con, out)
            notes.append("datasets: not in the lake, one per dataset of the respondents")
    finally:
        con.close()
    publishing.write_manifest(out, f"cells --engine {engine}", rows)
    return BuildReport(
        engine,
        datasets,
        rows,
        round(time.perf_counter() - started, 2),
        round(cells_seconds, 2),
        tuple(notes),
    )
