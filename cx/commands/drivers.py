"""``drivers``: the key-driver model of the Journey page, on the command line."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

import polars as pl

from cx.charts.theme import localised
from cx.commands.common import add_filter_arguments, open_database, options, selection
from cx.core.i18n import _
from cx.metrics.drivers import key_drivers


def add_parsers(sub: Any) -> None:
    """Register ``drivers``."""
    p = sub.add_parser(
        "drivers",
        help="which journey stages drive NPS (the Journey page's key-driver model)",
        description=(
            "Johnson's relative weights of the journey stages for the 0-10 score, on the "
            "largest set of 3 or more stages the selection's respondents answered together, "
            "with bootstrap intervals at --confidence, R², adjusted R² and n. The same "
            "function as the Journey page, from the same summary cells."
        ),
    )
    add_filter_arguments(p)
    p.add_argument("--format", choices=("json", "table"), default="json")
    p.set_defaults(func=cmd_drivers)


def _number(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 4)


def cmd_drivers(args: argparse.Namespace) -> int:
    """Print the key-driver model of a dataset and filters (or why there is none)."""
    opts = options(args)
    with open_database(args.db) as database:
        sel = selection(database, args)
        found = key_drivers(database.run, sel, opts)
    model = found.model
    table = (
        model.table.select(
            "item", "label", "importance_pct", "importance_low", "importance_high",
            "raw_weight", "correlation",
        ).with_columns(pl.col(pl.Float64).round(4))
        if model is not None
        else pl.DataFrame()
    )  # fmt: skip
    summary: dict[str, Any] = {
        "dataset": sel.dataset,
        "filters": sel.describe(),
        "confidence": opts.confidence,
        "model": model is not None,
        "note": found.note,
        "stages": list(model.stages) if model else [],
        "left_out": list(model.left_out) if model else [],
        "present": list(found.present),
        "r2": _number(model.r2) if model else None,
        "adjusted_r2": _number(model.adjusted_r2) if model else None,
        "n": model.n if model else None,
        "n_effective": _number(model.n_effective) if model else None,
    }
    if args.format == "json":
        print(json.dumps({**summary, "drivers": table.to_dicts()}, indent=2, ensure_ascii=False))
        return 0
    print(f"{sel.dataset} · {summary['filters']}: {found.note}")  # note: the report's words
    if model is not None:
        with pl.Config(tbl_rows=-1, tbl_width_chars=160, tbl_hide_dataframe_shape=True):
            print(table)
        line = _(
            "R² {r2} · adjusted R² {adjusted} · n {n} complete answers (effective {effective}) · "
            "intervals at {level}"
        )
        print(
            line.format(
                r2=localised(f"{model.r2:.3f}"),
                adjusted=localised(f"{model.adjusted_r2:.3f}"),
                n=localised(f"{model.n:,.0f}"),
                effective=localised(f"{model.n_effective:,.0f}"),
                level=f"{opts.confidence:.0%}",
            )
        )
    return 0
