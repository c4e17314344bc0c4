"""``bench``: page latency at a chosen number of respondents, or the ingest of a large file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from cx import db
from cx.commands.common import positive_int


def add_parsers(sub: Any) -> None:
    """Register ``bench``."""
    p = sub.add_parser("bench", help="latency of every query and page, and of a slider move")
    p.add_argument("--rows", type=positive_int, default=1_000_000)
    p.add_argument("--seed", type=int, default=db.DEFAULT_SEED)
    p.add_argument("--repeat", type=positive_int, default=20)
    p.add_argument("--db", type=Path, default=None, help="reuse this database instead")
    p.add_argument("--format", choices=("json", "table"), default="table")
    p.add_argument(
        "--ingest", action="store_true", help="time ingesting a Qualtrics-style CSV of --rows rows"
    )
    p.set_defaults(func=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    """Run the page benchmark and print its report."""
    from cx import bench

    if args.ingest:
        print(json.dumps(bench.run_ingest_benchmark(args.rows, args.seed), indent=2))
        return 0
    report = bench.run_benchmark(
        rows=args.rows, seed=args.seed, repeat=args.repeat, db_path=args.db
    )
    print(json.dumps(report, indent=2) if args.format == "json" else bench.format_report(report))
    return 0
