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
from cx.commands.common import CliError, add_language_argument
from cx.core import i18n
from cx.core.i18n import _
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
    for command in sub.choices.values():  # every command takes --lang, in one place
        add_language_argument(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code. The command runs in the language of
    ``--lang`` (its exports, the prose it prints and its one-line errors)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    with i18n.use(getattr(args, "lang", None)):
        try:
            result: int = args.func(args)
            return result
        except (CliError, IngestError) as exc:
            print(_error(args.command, str(exc)), file=sys.stderr)
            return 2
        except (
            sql.QueryError, ValueError, OSError, pl.exceptions.PolarsError, duckdb.Error,
        ) as exc:  # fmt: skip
            message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            print(_error(args.command, message), file=sys.stderr)
            return 2


def _error(command: str, message: str) -> str:
    """The one line an error prints (``cx export: error: ...``)."""
    return _("cx {command}: error: {message}").format(command=command, message=message)


__all__ = ["CliError", "build_parser", "main"]
