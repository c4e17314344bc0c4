"""``text``: what comments say in a dataset: languages, topics by group, distinguishing terms."""

from __future__ import annotations

import argparse
import json
import math
import sys
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
from cx.core.i18n import _
from cx.core.paths import TOPICS_FILE
from cx.reports import voice
from cx.text import language as languages
from cx.text import summary, topics

BY = ("nps_group", "brand", "stage", "wave", "language")


def add_parsers(sub: Any) -> None:
    """Register ``text``."""
    p = sub.add_parser(
        "text",
        help="comments of a dataset: languages, topics by group, distinguishing terms",
        description=(
            "Summarise the comments (open answers) of a dataset as the Voice page does: how many "
            "there are and in which languages, each topic of data/topics.csv with its share of "
            "commenters by --by group and its significance, the NPS of those who mention it, and "
            "the terms over-represented among detractors and promoters (log-odds ratio with an "
            "informative Dirichlet prior, z-scores). json prints everything; csv and table print "
            "the topic shares by --by group."
        ),
    )
    add_filter_arguments(p)
    p.add_argument("--by", choices=BY, default="nps_group", help="group topic shares by this")
    p.add_argument("--language", choices=list(languages.LANGUAGES), help="one language only")
    p.add_argument("--terms", type=int, default=15, help="distinguishing terms per side")
    p.add_argument("--format", choices=("json", "csv", "table"), default="json")
    p.set_defaults(func=cmd_text)


def _number(value: Any, digits: int = 2) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, digits)
    return value


#: The columns of :func:`by_table` (``rest_pct``: the share among everyone else, for the
#: groups compared with the rest: brand, wave, language).
BY_COLUMNS: dict[str, pl.DataType] = {
    "topic": pl.String(), "label": pl.String(), "group": pl.String(), "n": pl.Int64(),
    "mentions": pl.Float64(), "share_pct": pl.Float64(), "share_low": pl.Float64(),
    "share_high": pl.Float64(), "rest_pct": pl.Float64(), "gap": pl.Float64(),
    "p_value": pl.Float64(), "significant": pl.Boolean(), "suppressed": pl.Boolean(),
}  # fmt: skip


def by_table(result: voice.VoiceResult, by: str, run: Any) -> pl.DataFrame:
    """Topic (or stage) shares per group of ``by``, with intervals and tests; no rows (with
    the same columns) when no comment mentions a topic."""
    columns = [c for c in BY_COLUMNS if c != "rest_pct" or by not in ("nps_group", "stage")]
    empty = pl.DataFrame(schema={c: BY_COLUMNS[c] for c in columns})
    if by in ("nps_group", "stage"):
        long = result.by_group if by == "nps_group" else result.by_stage
        if long.is_empty():
            return empty
        return long.select(
            pl.col("topic"), pl.col("label"), pl.col("nps_group").alias("group"), "n", "mentions",
            "share_pct", "share_low", "share_high", "gap", "p_value", "significant", "suppressed",
        )  # fmt: skip
    table = result.by_brand if by == "brand" else result.by_wave if by == "wave" else None
    if table is None:
        sums = summary.topic_sums(run, result.selection, "language", result.language)
        table = summary.shares_by(sums, result.options)
    if table.is_empty():
        return empty
    return table.select(
        "topic", "label", pl.col("grp").alias("group"), "n", "mentions", "share_pct",
        "share_low", "share_high", "rest_pct", "gap", "p_value", "significant", "suppressed",
    )  # fmt: skip


def payload(
    result: voice.VoiceResult, grouped: pl.DataFrame, by: str, terms: int
) -> dict[str, Any]:
    """The JSON document of ``text``."""
    langs = {str(code): int(n) for code, n in result.languages.iter_rows() if code is not None}
    undetermined = int(result.languages.filter(pl.col("language").is_null())["comments"].sum())
    shares: dict[str, dict[str, Any]] = {}
    for row in result.by_group.iter_rows(named=True) if not result.by_group.is_empty() else []:
        entry = shares.setdefault(row["topic"], {"shares": {}})
        entry["shares"][row["nps_group"]] = _number(row["share_pct"])
        entry.update(gap=_number(row["gap"]), p_value=_number(row["p_value"], 6),
                     significant=bool(row["significant"]))  # fmt: skip
    taxonomy = topics.taxonomy()
    rows = []
    for t in result.topics.iter_rows(named=True) if not result.topics.is_empty() else []:
        by_group = shares.get(t["topic"], {})
        rows.append(
            {
                "topic": t["topic"],
                "label": t["label"],
                "stage": t["stage"],
                "terms": taxonomy[t["topic"]].terms() if t["topic"] in taxonomy else [],
                "n": int(t["mentions"]),
                "share_pct": _number(t["share_pct"]),
                "shares_by_nps_group": by_group.get("shares", {}),
                "detractor_minus_promoter": by_group.get("gap"),
                "p_value": by_group.get("p_value"),
                "significant": by_group.get("significant", False),
                "nps_mentioning": _number(t["nps"]),
                "nps_not_mentioning": _number(t["rest_nps"]),
                "nps_gap": _number(t["gap"]),
                "nps_gap_p_value": _number(t["p_value"], 6),
                "nps_gap_significant": bool(t["significant"]),
            }
        )
    sides = {}
    for side in ("detractors", "promoters"):
        top = summary.top_terms(result.terms, side, terms)
        sides[side] = [
            {"term": r["term"], "language": r["language"], "z": _number(r["side_z"]),
             "significant": bool(r["significant"])}
            for r in top.iter_rows(named=True)
        ]  # fmt: skip
    return {
        "dataset": result.selection.dataset,
        "filters": result.selection.describe(),
        "language": result.language,
        "confidence": result.options.confidence,
        "min_n": result.options.min_n,
        "comments": result.comments,
        "commenters": result.commenters,
        "languages": langs,
        "undetermined_language": undetermined,
        "topics": rows,
        "by": by,
        "groups": [{k: _number(v) for k, v in r.items()} for r in grouped.to_dicts()],
        "distinguishing": sides,
        "candidates": result.candidates.to_dicts(),
    }


def cmd_text(args: argparse.Namespace) -> int:
    """Summarise a dataset's comments."""
    opts = options(args)
    if args.terms <= 0:
        raise CliError(_("--terms must be a positive number"))
    with open_database(args.db) as database:
        sel = selection(database, args)
        result = voice.compute(database.run, sel, opts, language=args.language)
        if result.comments == 0:
            raise CliError(
                _("dataset {dataset} has no comments in this selection").format(
                    dataset=repr(args.dataset)
                )
            )
        grouped = by_table(result, args.by, database.run)
    if args.format == "json":
        print(
            json.dumps(
                payload(result, grouped, args.by, args.terms),
                indent=2,
                ensure_ascii=False,
                default=str,
            )
        )
    else:
        if grouped.is_empty():  # the header still says what the columns would be
            line = _("cx text: no comment in this selection mentions a topic of {file}")
            print(line.format(file=TOPICS_FILE.name), file=sys.stderr)
        print_table(grouped.drop("topic"), args.format)
    return 0
