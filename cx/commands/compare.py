"""``compare``: every group's NPS against a benchmark, as the Brands page draws it.

Each group is tested against the rest of its population (or one chosen group); the groups are
one family, whose false discovery rate is controlled (Benjamini-Hochberg q-values). The page and
this command call one function, :func:`cx.metrics.measures.compare`.
"""

from __future__ import annotations

import argparse
from typing import Any

import polars as pl

from cx.commands.common import (
    CliError,
    add_filter_arguments,
    open_database,
    options,
    print_table,
    selection,
)
from cx.core.schema import GROUP_DIMENSIONS
from cx.metrics import measures


def add_parsers(sub: Any) -> None:
    """Register ``compare``."""
    p = sub.add_parser(
        "compare",
        help="each group's NPS against the rest (or one group), false discovery rate controlled",
        description=(
            "NPS per group of --by with its interval, tested against the rest of its "
            "population (--within: the rest within the same value of that column) or against "
            "one group (--versus VALUE). The groups are one family: q-values control the false "
            "discovery rate and 'significant' means q below 1 - confidence."
        ),
    )
    add_filter_arguments(p)
    p.add_argument("--by", required=True, metavar="COL", help="the groups compared")
    p.add_argument("--within", metavar="COL", help="compare within each value of this column")
    p.add_argument("--versus", default="rest", metavar="rest|VALUE", help="the benchmark")
    p.add_argument("--format", choices=("json", "csv", "table"), default="table")
    p.set_defaults(func=cmd_compare)


def cmd_compare(args: argparse.Namespace) -> int:
    """Print the comparison table."""
    for flag, column in (("--by", args.by), ("--within", args.within)):
        if column is not None and column not in GROUP_DIMENSIONS:
            raise CliError(f"{flag} {column!r}: choose from {', '.join(GROUP_DIMENSIONS)}")
    if args.within is not None and args.within == args.by:
        raise CliError("--within must differ from --by")
    opts = options(args)
    with open_database(args.db) as database:
        sel = selection(database, args)
        try:
            table = measures.compare(
                database.run, sel, args.by, opts, within=args.within, versus=args.versus
            )
        except ValueError as exc:
            raise CliError(str(exc)) from exc
    keys = [args.by, *([args.within] if args.within else [])]
    if table.is_empty():
        table = pl.DataFrame(schema=dict.fromkeys(keys, pl.String))
    else:
        table = table.select(*keys, *measures.COMPARE_COLUMNS).sort(
            "nps", descending=True, nulls_last=True
        )
        floats = [c for c in table.columns if table.schema[c] == pl.Float64 and c not in keys]
        table = table.with_columns(
            pl.col([c for c in floats if c not in ("p_value", "q_value", "n")]).round(2),
            pl.col(["p_value", "q_value"]).round(6),
            pl.col("n").cast(pl.Int64),
        )
    payload = {
        "by": args.by,
        "within": args.within,
        "versus": args.versus,
        "confidence": opts.confidence,
        "min_n": opts.min_n,
        "multiple_comparisons": "Benjamini-Hochberg false discovery rate over the groups",
    }
    print_table(table, args.format, payload, key="groups")
    return 0
