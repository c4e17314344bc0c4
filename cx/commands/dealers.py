"""``dealers``: the outlet league (NPS shrunk towards the brand, rank, quartile) and, with
``--decks``, one PowerPoint scorecard per outlet."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import Any

import polars as pl

from cx.charts.theme import localised
from cx.commands.common import (
    CliError,
    check_dataset,
    open_database,
    options,
    print_table,
    write_atomic,
)
from cx.core import display
from cx.core.i18n import _
from cx.core.options import DEFAULT_CONFIDENCE, DEFAULT_MIN_N
from cx.core.selection import Selection
from cx.metrics import shrinkage
from cx.reports import dealers as report
from cx.reports.base import dataset_source
from cx.reports.dealer_scores import ALL

#: The league's columns on the command line, in order (``rank`` is null under the minimum n).
FIELDS = (
    "dealer_id",
    "dealer_name",
    "brand",
    "channel",
    "n",
    "nps",
    "ci_low",
    "ci_high",
    "shrunk_nps",
    "rank",
    "quartile",
    "shrunk_low",
    "shrunk_high",
    "dealer_group",
    "country",
    "gap",
    "q_value",
    "significant",
    "pool_mean",
    "pool_tau",
    "pool_alone",
)


def add_parsers(sub: Any) -> None:
    """Register ``dealers``."""
    p = sub.add_parser(
        "dealers",
        help="outlet league: NPS shrunk towards the brand, rank and quartile",
        description=(
            "The dealer scorecards' league: every outlet (dealer, agency outlet, direct store) "
            "with its raw NPS and interval, its NPS shrunk towards its brand's (empirical "
            "Bayes), its rank in the league and its quartile within the brand. Outlets under "
            "--min-n responses are listed with rank null. Without --country all countries are "
            "pooled. --decks writes one PowerPoint scorecard per outlet into a folder."
        ),
    )
    p.add_argument("--dataset", required=True, help="a dataset in the database (demo = embedded)")
    p.add_argument("--db", type=Path, default=None)
    p.add_argument("--brand", help="only this brand's outlets")
    p.add_argument("--country", metavar="CC", help="only outlets in this country (ISO code)")
    p.add_argument("--channel", help="only this channel's outlets (dealer, direct, agency)")
    p.add_argument("--group", help="only this dealer group's outlets")
    p.add_argument("--confidence", type=float, default=DEFAULT_CONFIDENCE)
    p.add_argument("--min-n", type=int, default=DEFAULT_MIN_N)
    p.add_argument("--format", choices=("json", "csv", "table"), default="json")
    p.add_argument("--decks", type=Path, metavar="DIR", help="write <outlet id>.pptx per outlet")
    p.set_defaults(func=cmd_dealers)


def _picks(result: report.DealersResult, args: argparse.Namespace) -> None:
    """Each pick given must be one the data has (the report falls back silently)."""
    for name in ("brand", "country", "channel", "group"):
        wanted = getattr(args, name)
        choice = result.choices.get(name)
        if wanted and choice is not None and choice.value != wanted:
            known = ", ".join(o for o in choice.options if o != ALL) or "none"
            raise CliError(f"unknown {name} {wanted!r} for these outlets; choose from {known}")


def league_rows(league: pl.DataFrame) -> pl.DataFrame:
    """The league's command-line columns, scores to two decimals."""
    if league.is_empty():
        return pl.DataFrame(schema=dict.fromkeys(FIELDS, pl.String))
    frame = league.select([c for c in FIELDS if c in league.columns])
    return frame.with_columns(
        pl.col(c).round(2)
        for c, t in frame.schema.items()
        if t == pl.Float64 and c not in ("n", "q_value")
    ).with_columns(pl.col("n").cast(pl.Int64))


def cmd_dealers(args: argparse.Namespace) -> int:
    """Print the outlet league (and write the outlets' decks)."""
    opts = options(args)
    picks = {
        "brand": args.brand,
        "country": args.country or ALL,
        "channel": args.channel,
        "group": args.group,
    }
    with open_database(args.db) as database:
        check_dataset(database, args.dataset)
        sel = Selection(dataset=args.dataset)
        result = report.compute(database.run, sel, opts, **picks)
        _picks(result, args)
        written = _decks(database.run, sel, opts, picks, result, args) if args.decks else []
    payload = {
        "dataset": args.dataset,
        "confidence": opts.confidence,
        "min_n": opts.min_n,
        "between_outlet_sd": round(result.tau, 2),
    }
    print_table(league_rows(result.league), args.format, payload, key="dealers")
    if args.format == "table":
        line = _(
            "pooled between-outlet SD {sd} NPS points (brands of fewer than {units} ranked "
            "outlets; the others: pool_tau; a brand's only ranked outlet, pool_alone: towards "
            "every outlet's mean with their SD); confidence {confidence}; significant: false "
            "discovery rate controlled across the outlets tested (Benjamini-Yekutieli)"
        )
        print(
            line.format(
                sd=localised(f"{result.tau:.1f}"),
                units=shrinkage.MIN_UNITS,
                confidence=localised(str(opts.confidence)),
            )
        )
    for path in written:
        print(_("wrote {path}").format(path=path), file=sys.stderr)
    return 0


def _decks(
    run: Any,
    sel: Selection,
    opts: Any,
    picks: dict[str, Any],
    result: report.DealersResult,
    args: argparse.Namespace,
) -> list[Path]:
    """One scorecard deck per outlet of the league, named by its id."""
    folder: Path = args.decks
    if not folder.is_dir():
        raise CliError(_("no such folder: {folder}").format(folder=folder))
    source = dataset_source(run, args.dataset)
    written = []
    for key in result.choices["outlet"].options:
        one = report.compute(run, sel, opts, **picks, outlet=key)
        deck = report.outlet_deck(
            one, report.charts(one, source), display.dataset_label(source.dataset, source.label)
        )
        path = folder / f"{re.sub(r'[^A-Za-z0-9._-]+', '_', key)[:80]}.pptx"
        write_atomic(path, deck)
        written.append(path)
    return written
