"""``revenue``: the revenue-at-risk model for a preset, with survey inputs where it uses them."""

from __future__ import annotations

import argparse
import json
from typing import Any

import polars as pl

from cx.charts.theme import localised
from cx.commands.common import (
    CliError,
    add_filter_arguments,
    assignments,
    open_database,
    options,
    selection,
)
from cx.core.i18n import _
from cx.core.selection import Selection
from cx.models import revenue
from cx.reports import revenue as report


def add_parsers(sub: Any) -> None:
    """Register ``revenue``."""
    p = sub.add_parser(
        "revenue",
        help="revenue at risk from switching (what-if model)",
        description=(
            "The model of the Revenue at risk page. Presets: "
            + "; ".join(f"{k}: {v.label}" for k, v in revenue.PRESETS.items())
            + ". The survey-based presets read the dataset and filters given."
        ),
    )
    p.add_argument(
        "--preset", default=revenue.DEFAULT_PRESET, help=f"one of: {', '.join(revenue.PRESETS)}"
    )
    p.add_argument("--brand", help="for --preset from-data: the brand")
    p.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="set an input; repeatable"
    )
    p.add_argument("--format", choices=("json", "table"), default="json")
    add_filter_arguments(p)
    p.set_defaults(func=cmd_revenue)


def _no_data(name: str, params: dict[str, Any]) -> pl.DataFrame:
    raise CliError("this preset reads no survey data")  # never called for the calibration


def cmd_revenue(args: argparse.Namespace) -> int:
    """Print the model's result for a preset with changed inputs."""
    try:
        changes = revenue.validate(assignments(args.set, "--set"))
    except revenue.RevenueInputError as exc:
        raise CliError(str(exc)) from exc
    opts = options(args)
    if args.preset not in revenue.PRESETS:
        raise CliError(f"unknown preset {args.preset!r}; presets: {', '.join(revenue.PRESETS)}")
    if revenue.PRESETS[args.preset].survey is None:  # the calibration reads no data
        result = report.compute(_no_data, Selection(), opts, args.preset, None, **changes)
    else:
        with open_database(args.db) as database:
            sel = selection(database, args)
            result = report.compute(
                database.run, sel, opts, preset=args.preset, brand=args.brand, **changes
            )
    if result.outputs is None:
        raise CliError(f"no figure for preset {args.preset}: " + "; ".join(result.missing))
    payload = {
        "preset": result.preset,
        "brand": result.brand,
        **{k: round(result.outputs[k], 2) for k in revenue.OUTPUTS},
        "inputs": [
            {"name": s.name, "label": s.label, "value": result.inputs[s.name], "unit": s.unit,
             "source": result.sources[s.name], "source_id": s.source}
            for s in revenue.INPUTS
        ],
    }  # fmt: skip
    if args.format == "json":
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for k in revenue.OUTPUTS:
            # labels are marked messages of the model (shown here in the current language)
            amount = _("{value} M USD").format(value=localised(f"{result.outputs[k] / 1e6:,.1f}"))
            print(f"{_(revenue.OUTPUT_LABELS[k]):<24} {amount:>18}")
        print()
        for s in revenue.INPUTS:
            shown = s.show(result.inputs[s.name])
            print(f"{_(s.label):<44} {shown:>22}  {result.sources[s.name]}")
    return 0
