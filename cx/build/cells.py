"""Summary cells built where the data lives: DuckDB on one machine, Apache Spark on a cluster.

There is one definition of every cells table: its ``queries/build/insert_<table>.sql`` file
(every file matching ``insert_*_cells.sql``, found by glob, so a new cells file is built here
without being listed) and its ``create table`` in ``queries/build/create_tables.sql``.
:func:`cx.build.cells.rebuild_cells` runs those files inside a DuckDB database; :func:`build` runs the
same files over a *lake* of respondent rows (``<lake>/respondents/dataset=<d>/wave=<w>/*.parquet``,
as ``python -m cx publish --respondents`` writes it) and writes the cells in the layout that
``CX_DATA=parquet:<out>`` serves (``<table>/dataset=<d>/wave=<w>/*.parquet``):

- ``duckdb``: each file runs unchanged, per dataset, into the empty table its ``create table``
  makes, over views of the lake;
- ``spark``: sqlglot transpiles each file's query from DuckDB's dialect to Spark SQL
  (:func:`spark_sql`, with one documented rewrite), Spark runs it per dataset with the same bound
  parameters, and the result gets the ``create table``'s column names and types (the DuckDB
  insert is positional, so is this). See :mod:`cx.build.spark`.

Reference tables (brands, countries, datasets, ...) are small: DuckDB on the driver copies them
from the lake, or from the CSVs in ``data/`` when the lake has none, before the cells are built
(the cell files join them). Other respondent-level tables the dashboard serves and the cells
files read (``comments``, partitioned like the respondents) are copied the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import duckdb
import sqlglot
from sqlglot import exp

from cx.core import paths
from cx.data import connect, publishing, rollups, sql

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
        name: the query name, e.g. ``build/insert_nps_cells`` (see :func:`cx.data.sql.load_sql`).
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
    statements = [s for s in sqlglot.parse(sql.load_sql(name), read="duckdb") if s is not None]
    if len(statements) != 1:
        raise CellsError(f"{name} must hold exactly one statement")
    return statements[0]


@cache
def create_statements() -> dict[str, exp.Create]:
    """Every ``create table`` of ``create_tables.sql``, by table name."""
    out = {}
    for statement in sqlglot.parse(sql.load_sql("build/create_tables"), read="duckdb"):
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
    for path in sorted((paths.QUERIES_DIR / "build").glob(CELL_GLOB)):
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
    """What the dashboard reads besides the cells (:data:`cx.data.connect.SERVED_TABLES` less cells)."""
    cells = set(cell_tables())
    return tuple(t for t in connect.SERVED_TABLES if t not in cells)


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


#: Summary tables rebuilt from respondent rows, per dataset.
CELL_TABLES = (
    "nps_cells",
    "stage_cells",
    "driver_cells",
    "topic_cells",
    "term_cells",
    "dealer_cells",
)


def rebuild_cells(con: duckdb.DuckDBPyConnection, dataset: str) -> None:
    """Recompute the summary tables of one dataset from its respondent rows, then its rollups
    (:func:`cx.data.rollups.rebuild`)."""
    for table in CELL_TABLES:
        sql.run(con, f"build/delete_{table}", {"dataset": dataset})
        sql.run(con, f"build/insert_{table}", {"dataset": dataset})
    rollups.rebuild(con, dataset)
