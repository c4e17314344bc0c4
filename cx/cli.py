"""Command line: ``python -m cx demo|nps|bench|revenue|export|ingest|publish ...``.

Commands live in :mod:`cx.commands` (one module per family). Errors are reported as one line
on stderr with exit code 2; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

import duckdb
import polars as pl

from cx.commands import (
    bench,
    cells,
    compare,
    data,
    dealers,
    digest,
    drivers,
    export,
    market,
    maturity,
    nps,
    revenue,
    text,
)
from cx.commands.common import CliError
from cx.data import sql
from cx.ingest.model import IngestError

#: Every command family, in the order ``--help`` lists them; adding a command is a module in
#: :mod:`cx.commands` plus one entry here.
MODULES = (
    data,
    nps,
    compare,
    drivers,
    export,
    digest,
    revenue,
    text,
    market,
    dealers,
    maturity,
    cells,
    bench,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command."""
    parser = argparse.ArgumentParser(prog="python -m cx", description="cxbench command line")
    sub = parser.add_subparsers(dest="command", required=True)
    for module in MODULES:
        module.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        result: int = args.func(args)
        return result
    except (CliError, IngestError) as exc:
        print(f"cx {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except (sql.QueryError, ValueError, OSError, pl.exceptions.PolarsError, duckdb.Error) as exc:
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"cx {args.command}: error: {message}", file=sys.stderr)
        return 2


__all__ = ["CliError", "build_parser", "main"]
