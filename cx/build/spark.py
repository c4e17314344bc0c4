"""The cells on Apache Spark: the session and the build (see :mod:`cx.build.cells`).

Only the driver runs Python: every cell is computed by Spark SQL from the transpiled build
files, so executors need nothing but Spark (no Python packages, no UDFs). PySpark is a
development and operations dependency (``requirements-dev.txt``); the dashboard never imports
this module.
"""

from __future__ import annotations

import os
import shutil
import warnings
from functools import reduce
from pathlib import Path
from typing import TYPE_CHECKING

from cx.build import cells
from cx.data import connect, publishing, sql

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

#: Settings for ``local[...]`` masters: small memory, no web UI, loopback only, few shuffle
#: partitions (a cluster keeps its own configuration).
LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.memory": "1g",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.driver.host": "127.0.0.1",
    "spark.sql.shuffle.partitions": "4",
}
#: Settings for every master: partition values stay strings (a dataset named ``2024`` is not a
#: number), times in UTC, and no ``_SUCCESS`` marker files in the served folder.
CONF = {
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.hadoop.mapreduce.fileoutputcommitter.marksuccessfuljobs": "false",
}


def available() -> str | None:
    """None when Spark can run here, else why not (no ``pyspark`` or no ``java``)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (pip install -r requirements-dev.txt)"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "no Java runtime (apt-get install default-jre-headless)"
    return None


def session(master: str | None = None) -> SparkSession:
    """The Spark session the cells are built in.

    Args:
        master: ``local[2]``, ``yarn``, ``spark://host:7077``, ...; None keeps what
            ``spark-submit``, the platform (Databricks, EMR, Dataproc) or ``spark-defaults.conf``
            configured (PySpark's own default is ``local[*]``). A ``local`` master also gets
            :data:`LOCAL_CONF`.
    """
    # PySpark warns about pandas 3 when it loads its pandas helpers; the cells never use pandas
    warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("cxbench-cells")
    if master is not None:
        builder = builder.master(master)
    settings = {**CONF, **(LOCAL_CONF if master and master.startswith("local") else {})}
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def conform(frame: DataFrame, table: str) -> DataFrame:
    """Give a query's result the target table's column names and types, by position (as the
    DuckDB ``insert into <table> <query>`` does)."""
    from pyspark.sql import functions as F  # noqa: N812

    target = cells.columns(table)
    if len(frame.columns) != len(target):
        raise cells.CellsError(
            f"{table}: the query gives {len(frame.columns)} columns, the table has {len(target)}"
        )
    return frame.select(
        *[
            F.col(f"`{source}`").cast(kind.sql(dialect="spark")).alias(name)
            for source, (name, kind) in zip(frame.columns, target, strict=True)
        ]
    )


def _write_on_driver(table: str, out: str, frame: DataFrame | None = None) -> int:
    """Write a cells table through DuckDB on the driver: an empty one (a folder of no files
    cannot be read) or one the dashboard reads as a single ``<table>.parquet`` (not in
    :data:`cx.data.connect.PARTITIONED`; cells are small by design). Returns the rows written."""
    con = publishing.connect_paths(out)
    try:
        con.execute(cells.create_statements()[table].sql(dialect="duckdb"))
        if frame is not None:
            con.from_arrow(frame.toArrow()).insert_into(table)
        return publishing.write_table(con, table, out)
    finally:
        con.close()


def build_cells(
    out: str,
    queries: tuple[cells.CellQuery, ...],
    sources: dict[str, str],
    master: str | None = None,
) -> tuple[tuple[str, ...], dict[str, int]]:
    """Run every cells file on Spark over ``sources`` and write each table to ``out``.

    Args:
        out: where the cells go.
        queries: the cells files (:func:`cx.build.cells.cell_queries`).
        sources: the tables the files read (:func:`cx.build.lake.inputs`): the lake's respondents
            and the reference tables already in ``out``, each a ``.parquet`` file or a
            hive-partitioned folder.
        master: see :func:`session`.

    Returns:
        The datasets found and the rows written per cells table.
    """
    spark = session(master)
    for table, path in sources.items():
        reader = spark.read if path.endswith(".parquet") else spark.read.option("basePath", path)
        reader.parquet(path).createOrReplaceTempView(table)
    listed = spark.sql(cells.spark_sql("build/lake_datasets")).collect()
    datasets = tuple(str(row[0]) for row in listed)
    rows = {}
    for query in queries:
        text = cells.spark_sql(query.name)
        frames = [spark.sql(text, args=sql.bind(query.name, {"dataset": d})) for d in datasets]
        if not frames:
            rows[query.table] = _write_on_driver(query.table, out)
            continue
        result = conform(reduce(lambda a, b: a.union(b), frames), query.table)
        if query.table not in connect.PARTITIONED:
            rows[query.table] = _write_on_driver(query.table, out, result)
            continue
        rows[query.table] = _write_partitioned(spark, result, query.table, out)
    return datasets, rows


def _write_partitioned(spark: SparkSession, result: DataFrame, table: str, out: str) -> int:
    """Write a cells table partitioned by dataset and wave, one file per partition; a local
    output gets it staged and moved in place (:func:`cx.data.publishing.replace_local`). Returns rows."""
    local = not publishing.is_remote(out)
    target = str(publishing.staging(out, table)) if local else f"{out}/{table}"
    # one task, so one file, per (dataset, wave): few small files for the dashboard to read
    result = result.repartition(*cells.PARTITION_BY)
    result.write.mode("overwrite").partitionBy(*cells.PARTITION_BY).parquet(target)
    rows = spark.read.parquet(target).count()
    if local:
        for crc in Path(target).glob("**/.*.crc"):  # Hadoop's checksums: not data
            crc.unlink()
        if rows:
            publishing.replace_local(out, table, Path(target))
        else:
            shutil.rmtree(target, ignore_errors=True)
    return rows or _write_on_driver(table, out)
