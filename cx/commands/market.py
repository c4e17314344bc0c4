"""``benchmarks``: list the published brand figures, or add a file of them.

``python -m cx benchmarks --entity Toyota`` prints Toyota's figures in every study that has it;
``--add FILE.csv`` validates a file with the same columns and stores it in one transaction.
Adding is all or nothing: if any row is bad, each bad row gets one line on stderr, nothing is
added and the exit code is 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import polars as pl

from cx.build import reference
from cx.commands.common import CliError, open_database, print_table
from cx.core import display
from cx.models import market


def add_parsers(sub: Any) -> None:
    """Register ``benchmarks``."""
    p = sub.add_parser(
        "benchmarks",
        help="list published brand benchmarks (ACSI, J.D. Power, Temkin, UKCSI) or add some",
        description=(
            "Print the published figures that match: --study matches part of a study's name, "
            "--entity a brand or average by its name as published, both in any case; --year "
            "and --country (ISO code) match exactly. JSON is a list of rows with figure_id, "
            "study, metric, scale, segment, entity, value, year, country, publisher and "
            "source_url. --add FILE.csv stores figures with the same columns after checking "
            "them (unique ids, numbers inside their scale, a plausible year, an http(s) link): "
            "all or nothing, one line per bad row on stderr, exit code 2."
        ),
    )
    p.add_argument("--study", metavar="TEXT", help="part of the study's name (any case)")
    p.add_argument("--entity", metavar="TEXT", help="brand or average as published (any case)")
    p.add_argument("--year", type=int, metavar="YEAR")
    p.add_argument("--country", metavar="CC", help="market, ISO 3166 alpha-2 (US, CN, GB)")
    p.add_argument("--format", choices=("json", "csv", "table"), default="json")
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--add", type=Path, metavar="FILE.csv", help="add the figures of a CSV file")
    p.set_defaults(func=cmd_benchmarks)


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    def text(value: str | None) -> str | None:
        return value.strip()[:200] if value and value.strip() else None

    return {
        "study": text(args.study),
        "entity": text(args.entity),
        "year": args.year,
        "country": text(args.country),
    }


def cmd_benchmarks(args: argparse.Namespace) -> int:
    """List the matching figures, or add a file of them."""
    if args.add is not None:
        if any(v is not None for v in _filters(args).values()):
            raise CliError("--add takes no --study, --entity, --year or --country")
        return _add(args)
    with open_database(args.db) as database:
        rows = database.run("benchmarks", _filters(args))
    if args.format == "table":  # text keeps each value as published (86, 65.6), not 86.0
        texts = [None if v is None else display.published(v) for v in rows["value"].to_list()]
        rows = rows.with_columns(pl.Series("value", texts, dtype=pl.String))
    print_table(rows, args.format)
    return 0


def _add(args: argparse.Namespace) -> int:
    """Validate a file of figures and store all of it, or none of it."""
    try:
        frame = market.read_file(args.add)
    except market.BenchmarkError as exc:
        raise CliError(exc.summary) from exc
    with open_database(args.db, read_only=False) as database:
        stored = database.run("benchmarks", dict.fromkeys(("study", "entity", "year", "country")))  # fmt: skip
        scales = dict(zip(stored["study"], stored["scale"], strict=True))
        try:
            checked = market.check(frame, stored["figure_id"].to_list(), scales)
        except market.BenchmarkError as exc:
            raise CliError(f"{args.add.name}: {exc.summary}") from exc
        if checked.errors:
            for line in checked.errors:
                print(f"cx benchmarks: {args.add.name}: {line}", file=sys.stderr)
            raise CliError(
                f"{len(checked.errors)} of {checked.rows} rows of {args.add.name} are invalid; "
                "nothing was added"
            )
        added = database.write(lambda con: reference.insert_benchmarks(con, checked.figures))
        total = database.run("benchmarks", dict.fromkeys(("study", "entity", "year", "country"))).height  # fmt: skip
    print(json.dumps({"added": added, "total": total, "file": args.add.name}, indent=2))
    return 0
