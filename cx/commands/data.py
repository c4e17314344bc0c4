"""``demo``, ``ingest`` and ``publish``: build, add to and publish the database."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cx.build import databases
from cx.commands.common import CliError, assignments, open_database, positive_int, write_atomic
from cx.data import connect
from cx.ingest import categories, dates
from cx.ingest.files import ingest_file, prepare_file
from cx.ingest.model import Choices, IngestError
from cx.ingest.normalise import problem_rows
from cx.ingest.read import ENCODINGS


def add_parsers(sub: Any) -> None:
    """Register the data commands."""
    p = sub.add_parser("demo", help="build the database with the synthetic demo dataset")
    p.add_argument("--rows", type=positive_int, default=databases.DEFAULT_DEMO_ROWS)
    p.add_argument("--seed", type=int, default=databases.DEFAULT_SEED)
    p.add_argument("--db", type=Path, default=None, help="database file (default data/cx.duckdb)")
    p.add_argument("--quiet", action="store_true")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "ingest",
        help="add a survey export (CSV/TSV, Excel, Parquet; Qualtrics, SurveyMonkey) as a dataset",
        description=(
            "Read a survey file, map its columns to cxbench's canonical columns (detected from "
            "headers, question wording and values; override with --map), validate every row and "
            "store the accepted rows as a dataset in one transaction. Prints the validation "
            "report as JSON; --rejected writes the rejected rows with row number and reason as "
            "CSV. A --db file that does not exist yet is created (schema and reference tables, "
            "no demo rows)."
        ),
    )
    p.add_argument("path", type=Path)
    p.add_argument("--dataset", required=True, help="name: lowercase letters, digits, - or _")
    p.add_argument("--label", help="display name (default: the dataset name)")
    p.add_argument("--db", type=Path, default=None)
    p.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="CANONICAL=SOURCE",
        help="map a canonical column to a source column (empty SOURCE: not mapped); repeatable",
    )
    p.add_argument(
        "--comments",
        metavar="COL,COL",
        help="open-text columns stored as comments, personal data masked (default: detected; "
        "an empty value stores none)",
    )
    p.add_argument(
        "--map-values",
        action="append",
        default=[],
        metavar="FIELD:ANSWER=CODE",
        help="read an answer of a categorical field as a code, e.g. "
        "'switch_intent:When my lease ends=6_18m' (an empty CODE leaves it empty); fields: "
        f"{', '.join(categories.CODES)}; repeatable",
    )
    p.add_argument(
        "--encoding",
        choices=["utf-8", *ENCODINGS],
        help="the text file's encoding (default: detected; a file whose encoding cannot be "
        "told is refused)",
    )
    p.add_argument(
        "--date-order",
        choices=("dmy", "mdy"),
        help="day or month first, for a date column no date settles (all days 12 or less)",
    )
    p.add_argument(
        "--wave-period",
        choices=tuple(dates.PERIODS),
        default=None,
        help="the waves dates give (default: quarter)",
    )
    p.add_argument(
        "--industry",
        help="the industry of every respondent of a file without an industry column "
        "(default: none; never invented)",
    )
    p.add_argument("--replace", action="store_true", help="replace an existing dataset")
    p.add_argument("--rejected", type=Path, help="write rejected rows to this CSV file")
    p.add_argument(
        "--problems",
        type=Path,
        help="write every row rejected or kept with a field left empty (with why) to this CSV",
    )
    p.add_argument("--dry-run", action="store_true", help="validate and report; store nothing")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser(
        "publish",
        help="write the database as Parquet (hive-partitioned by dataset and wave) to serve it",
        description=(
            "Write the tables the dashboard reads as Parquet into a new version of --out "
            "(versions/<id>/): summary tables (and, with --respondents, respondent rows) as "
            "<table>/dataset=<name>/wave=<wave>/*.parquet, reference tables as <table>.parquet; "
            "then manifest.json, which names that version: readers follow only the manifest, "
            "so a publish stopped half-way changes nothing they read, and replicas serving the "
            "folder reload when it changes. Serve it with CX_DATA=parquet:<folder> (or an "
            "s3:// URL)."
        ),
    )
    p.add_argument("--out", required=True, type=Path)
    p.add_argument("--db", type=Path, default=None)
    p.add_argument(
        "--respondents",
        action="store_true",
        help="also write the respondent rows (respondents/dataset=<d>/wave=<w>/*.parquet): "
        "the lake `python -m cx cells` builds summary cells from",
    )
    p.set_defaults(func=cmd_publish)


def cmd_demo(args: argparse.Namespace) -> int:
    """Build the demo database."""
    say = (lambda _m: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
    databases.build_database(args.db, rows=args.rows, seed=args.seed, progress=say)
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    """Export the served tables (and the respondent lake) to a Parquet folder, manifest last."""
    from cx.data import publishing

    with open_database(args.db) as database:
        for path in publishing.publish(database, args.out, respondents=args.respondents):
            print(path)
    return 0


def value_maps(items: list[str]) -> dict[str, dict[str, str]]:
    """``--map-values FIELD:ANSWER=CODE`` arguments, checked against the field's codes."""
    out: dict[str, dict[str, str]] = {}
    for item in items:
        field, sep, rest = item.partition(":")
        answer, eq, code = rest.rpartition("=")
        if not sep or not eq or not answer.strip():
            raise CliError(f"--map-values expects FIELD:ANSWER=CODE, got {item!r}")
        out.setdefault(field.strip(), {})[answer.strip()] = code.strip()
    for field, chosen in out.items():
        try:
            categories.check_codes(field, chosen)
        except ValueError as exc:
            raise CliError(f"--map-values {exc}") from exc
    return out


def cmd_ingest(args: argparse.Namespace) -> int:
    """Ingest one survey file as a dataset and print the validation report."""
    from cx.exports.safety import safe_csv

    overrides = assignments(args.map, "--map")
    path = Path(args.db) if args.db else connect.default_db_path()
    comments = (
        None
        if args.comments is None
        else [c.strip() for c in args.comments.split(",") if c.strip()]
    )
    choices = Choices(
        values=value_maps(args.map_values),
        period=args.wave_period or dates.DEFAULT_PERIOD,
        date_order=args.date_order,
        industry=args.industry,
    )
    try:
        if args.dry_run:
            _, result = prepare_file(
                args.path, args.dataset, overrides, comments, choices, args.encoding, path
            )
            status = "validated (dry run)"
        else:
            if args.db is None and not path.exists():
                databases.ensure_database(path)
            status, result = ingest_file(
                args.path,
                args.dataset,
                path,
                overrides,
                replace=args.replace,
                label=args.label,
                progress=lambda m: print(m, file=sys.stderr),
                comment_columns=comments,
                choices=choices,
                encoding=args.encoding,
            )
    except IngestError as exc:
        raise CliError(str(exc)) from exc
    if args.rejected is not None:
        write_atomic(args.rejected, safe_csv(result.rejected))
    if args.problems is not None:
        write_atomic(args.problems, safe_csv(problem_rows(result)))
    print(
        json.dumps(
            {"status": status, "dataset": args.dataset, **result.report},
            indent=2,
            ensure_ascii=False,
        )
    )
    return 0
