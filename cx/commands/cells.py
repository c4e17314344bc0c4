"""``cells``: build the summary cells from a lake of respondent rows, on DuckDB or Spark."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from typing import Any

from cx.commands.common import CliError


def add_parsers(sub: Any) -> None:
    """Register the cells command."""
    p = sub.add_parser(
        "cells",
        help="build the summary cells from a Parquet lake of respondents (DuckDB or Spark)",
        description=(
            "Run every queries/build/insert_*_cells.sql over the respondent rows of a lake "
            "(respondents/dataset=<d>/wave=<w>/*.parquet, as `publish --respondents` writes "
            "it) and write the cells, with the reference tables, where CX_DATA=parquet:<output> "
            "serves them. --engine spark transpiles the same files to Spark SQL (sqlglot) and "
            "runs them on --master (local[2], yarn, spark://...), or on what spark-submit or "
            "the platform configured. Prints what was built as JSON."
        ),
    )
    p.add_argument("--engine", default="duckdb", help="duckdb (default, this machine) or spark")
    p.add_argument("--input", required=True, metavar="LAKE", help="folder or URL of the lake")
    p.add_argument("--output", required=True, metavar="DIR", help="folder or URL to serve")
    p.add_argument("--master", help="Spark master (default: as configured, else local[*])")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_cells)


def cmd_cells(args: argparse.Namespace) -> int:
    """Build the cells and print the build report (sqlglot and PySpark are imported here:
    the rest of the command line and the dashboard do not need them)."""
    try:
        from cx.build import lake
    except ImportError as exc:
        raise CliError(f"{exc.name} is missing: pip install -r requirements-dev.txt") from exc
    if args.engine == "spark":
        from cx.build import spark

        missing = spark.available()
        if missing:
            raise CliError(f"--engine spark: {missing}")
    say = (lambda _m: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
    try:
        report = lake.build(args.engine, args.input, args.output, args.master, progress=say)
    except lake.CellsError as exc:
        raise CliError(str(exc)) from exc
    except Exception as exc:  # Spark's errors (analysis, Py4J) as one line, not a JVM trace
        if type(exc).__module__.split(".")[0] not in ("pyspark", "py4j"):
            raise
        raise CliError(f"spark: {str(exc).strip().splitlines()[0]}") from exc
    print(json.dumps(dataclasses.asdict(report), indent=2))
    return 0
