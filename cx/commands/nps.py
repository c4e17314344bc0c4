"""``nps``: NPS with intervals by group, from a file of respondent rows or a dataset."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from cx.charts.theme import localised
from cx.commands.common import CliError, check_dataset, open_database, options, print_table
from cx.core.i18n import _
from cx.core.options import DEFAULT_CONFIDENCE, DEFAULT_MIN_N
from cx.core.schema import DEALER_DIMENSIONS, GROUP_DIMENSIONS
from cx.core.selection import Selection
from cx.metrics import measures, stats


def add_parsers(sub: Any) -> None:
    """Register ``nps``."""
    p = sub.add_parser(
        "nps",
        help="NPS with confidence intervals by group",
        description=(
            "NPS with adjusted-Wald intervals per group of --by (at most two), or of the whole "
            "file or dataset as one group (named 'all') when --by is not given."
        ),
    )
    p.add_argument("source", nargs="?", type=Path, help="CSV or Parquet file of respondent rows")
    p.add_argument(
        "--dataset", help="a dataset in the database instead of a file (demo = embedded)"
    )
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--by", action="append", default=[], metavar="COL", help="group column (max 2)")
    p.add_argument("--weight", metavar="COL", help="weight column (file sources)")
    p.add_argument("--score", metavar="COL", default="nps_score", help="0-10 score column")
    p.add_argument("--confidence", type=float, default=DEFAULT_CONFIDENCE)
    p.add_argument("--min-n", type=int, default=DEFAULT_MIN_N)
    p.add_argument("--format", choices=("json", "csv", "table"), default="json")
    p.set_defaults(func=cmd_nps)


def read_respondent_file(path: Path) -> pl.DataFrame:
    """Read a CSV/TSV or Parquet file of respondent rows (all columns as read)."""
    if not path.is_file():
        raise CliError(f"no such file: {path}")
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            return pl.read_parquet(path)
        if suffix in (".csv", ".tsv", ".txt"):
            sep = "\t" if suffix == ".tsv" else ","
            return pl.read_csv(path, separator=sep, infer_schema_length=10_000)
    except pl.exceptions.PolarsError as exc:
        raise CliError(f"cannot read {path.name}: {str(exc).splitlines()[0]}") from exc
    raise CliError(f"unsupported file type {suffix or '(none)'}: use .csv, .tsv or .parquet")


def nps_sums_from_frame(
    frame: pl.DataFrame, by: Sequence[str], score: str, weight: str | None
) -> tuple[pl.DataFrame, int]:
    """Per-group NPS sums of a respondent frame; rows with an invalid score or weight are excluded.

    Returns:
        (sums with columns ``by`` + n, sw, sw2, swp, swd; number of excluded rows).
    """
    for col in [*by, score, *([weight] if weight else [])]:
        if col not in frame.columns:
            raise CliError(f"column not found: {col} (columns: {', '.join(frame.columns[:20])})")
    s = pl.col(score).cast(pl.Float64, strict=False)
    w = pl.col(weight).cast(pl.Float64, strict=False) if weight else pl.lit(1.0)
    valid = s.is_not_null() & s.is_between(0, 10) & (s == s.round(0)) & w.is_not_null() & (w > 0)
    data = frame.with_columns(_s=s, _w=w, _ok=valid, all=pl.lit("All"))
    excluded = int(data.height - data["_ok"].sum())
    good = data.filter(pl.col("_ok"))
    keys = list(by) or ["all"]
    sums = good.group_by(keys).agg(
        n=pl.len(),
        sw=pl.col("_w").sum(),
        sw2=(pl.col("_w") ** 2).sum(),
        swp=pl.col("_w").filter(pl.col("_s") >= 9).sum(),
        swd=pl.col("_w").filter(pl.col("_s") <= 6).sum(),
    )
    if sums.is_empty() and not by:
        sums = pl.DataFrame(
            {"all": ["All"], "n": [0], "sw": [0.0], "sw2": [0.0], "swp": [0.0], "swd": [0.0]}
        )
    return sums.sort(keys, nulls_last=True), excluded


def cmd_nps(args: argparse.Namespace) -> int:
    """NPS by group (or of everyone) from a file or a dataset in the database."""
    by: list[str] = args.by
    if len(by) > 2:
        raise CliError("at most two --by columns")
    opts = options(args)
    if (args.source is None) == (args.dataset is None):
        raise CliError("give either a SOURCE file or --dataset NAME")
    if args.source is not None:
        frame = read_respondent_file(args.source)
        sums, excluded = nps_sums_from_frame(frame, by, args.score, args.weight)
    else:
        if args.weight or args.score != "nps_score":
            raise CliError("--weight/--score apply to file sources; datasets use their own")
        bad = [b for b in by if b not in GROUP_DIMENSIONS]
        if bad:
            raise CliError(
                f"cannot group a dataset by {bad[0]}; choose from {', '.join(GROUP_DIMENSIONS)}"
            )
        outlet_side = [b for b in by if b in DEALER_DIMENSIONS]
        if outlet_side and any(b in ("ownership", "powertrain") for b in by):
            raise CliError(f"{outlet_side[0]} cannot be combined with ownership or powertrain")
        with open_database(args.db) as database:
            check_dataset(database, args.dataset)
            sel = Selection(dataset=args.dataset)
            if len(by) == 2:
                sums = measures.nps_pair_sums(database.run, sel, by[0], by[1])
            else:
                sums = measures.nps_sums(database.run, sel, by[0] if by else "all")
        excluded = 0
    table = stats.nps_table(sums, opts.confidence, opts.min_n).drop("se")
    keys = by or ["all"]
    rounded = table.with_columns(
        pl.col(c).round(2) for c in table.columns if table.schema[c] == pl.Float64 and c not in keys
    ).with_columns(pl.col("n").cast(pl.Int64))
    payload = {"excluded_rows": excluded, "confidence": opts.confidence, "min_n": opts.min_n}
    print_table(rounded, args.format, payload, key="groups")
    if args.format == "table":
        line = _("excluded rows: {excluded}; confidence {confidence}; min n {min_n}")
        print(
            line.format(
                excluded=excluded, confidence=localised(str(opts.confidence)), min_n=opts.min_n
            )
        )
    return 0
