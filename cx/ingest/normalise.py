"""Step 3, normalising and validating: mapped columns to canonical respondent rows.

Nothing is dropped silently: each rejected row carries its file row number, every reason that
applies and its original cells. Values are never coerced into range: a score of 11 is
rejected, not clipped. :func:`normalise` runs one named step per canonical field
(:data:`STEPS`); each step adds the field's expression and the reasons a row fails it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cx.core.schema import NO_INDUSTRY, NOT_ANSWERED, RESPONDENT_COLUMNS, SATISFACTION_ITEMS
from cx.ingest.comments import check_columns, comment_rows
from cx.ingest.model import CANONICAL, NO_WAVE, IngestError, IngestResult, RawSurvey
from cx.ingest.read import delimiter_name
from cx.ingest.values import (
    CHANNEL_LABELS,
    SWITCH_LABELS,
    blank,
    clean,
    country_code,
    fractional,
    map_values,
    number,
    parse_dates,
    parse_nps,
    scale_of,
    scale_values,
    to_five_point,
    wave_year,
    year_range,
)

#: Plain text dimensions kept as data (escaped wherever they are shown or exported).
TEXT_DIMENSIONS = ("industry", "brand", "segment", "ownership", "powertrain")


@dataclass
class Work:
    """What the steps build: the frame with helper columns, canonical expressions, reasons."""

    frame: pl.DataFrame
    src: Mapping[str, str]
    exprs: dict[str, pl.Expr] = field(default_factory=dict)
    reasons: list[pl.Expr] = field(default_factory=list)
    scales: dict[str, str] = field(default_factory=dict)

    def reason(self, cond: pl.Expr, text: pl.Expr | str) -> None:
        """Reject rows where ``cond`` holds, saying ``text``."""
        self.reasons.append(pl.when(cond).then(text if isinstance(text, pl.Expr) else pl.lit(text)))

    def add(self, name: str, expr: pl.Expr) -> pl.Expr:
        """Add a helper column; returns a reference to it."""
        self.frame = self.frame.with_columns(expr.alias(name))
        return pl.col(name)


def _quoted(col: str) -> pl.Expr:
    return clean(col).str.slice(0, 40)


def score_step(w: Work) -> None:
    """The 0-10 likelihood to recommend (required)."""
    c = w.src["nps_score"]
    nps = w.add("_nps", pl.lit(parse_nps(w.frame, c)))
    w.reason(blank(c), "missing likelihood-to-recommend score")
    w.reason(
        ~blank(c) & nps.is_null(),
        pl.format("likelihood to recommend '{}' is not a whole number from 0 to 10", _quoted(c)),
    )
    w.exprs["nps_score"] = nps.cast(pl.Int8)


def respondent_step(w: Work) -> None:
    """Respondent ids: present and unique (row numbers when the file has none)."""
    if "respondent_id" not in w.src:
        w.exprs["respondent_id"] = pl.format("row-{}", pl.col("_row"))
        return
    c = w.src["respondent_id"]
    rid = w.add("_rid", clean(c))
    w.reason(blank(c), "missing respondent id")
    first_seen = pl.col("_row").min().over("_rid")
    w.reason(
        ~blank(c) & (pl.col("_row") != first_seen),
        pl.format(
            "duplicate respondent id '{}' (first in row {})", rid.str.slice(0, 40), first_seen
        ),
    )
    w.exprs["respondent_id"] = rid


def wave_step(w: Work) -> None:
    """The wave: given, or the quarter of the response date."""
    first, last = year_range()
    if "wave" in w.src:
        c = w.src["wave"]
        year = wave_year(c)
        w.reason(
            ~year.is_between(first, last),
            pl.format("wave '{}' is outside the years {}-{}", _quoted(c), first, last),
        )
        w.exprs["wave"] = pl.when(blank(c)).then(pl.lit(NO_WAVE)).otherwise(clean(c))
    elif "date" in w.src:
        c = w.src["date"]
        text = w.add("_date_text", clean(c))  # once: each format below reads it
        date = w.add("_date", parse_dates("_date_text"))
        del text
        w.reason(~blank(c) & date.is_null(), pl.format("date '{}' is not a date", _quoted(c)))
        w.reason(
            ~date.dt.year().is_between(first, last),
            pl.format("date '{}' is outside the years {}-{}", _quoted(c), first, last),
        )
        w.exprs["wave"] = (
            pl.when(date.is_null())
            .then(pl.lit(NO_WAVE))
            .otherwise(pl.format("{}Q{}", date.dt.year(), date.dt.quarter()))
        )
    else:
        w.exprs["wave"] = pl.lit(NO_WAVE)


def country_step(w: Work) -> None:
    """Country names or codes to ISO 3166 alpha-2."""
    if "country" not in w.src:
        return
    c = w.src["country"]
    values = w.frame[c].str.strip_chars().unique().to_list()
    codes = {v: country_code(v) for v in values if v and v.lower() not in NOT_ANSWERED}
    code = w.add("_cty", clean(c).replace_strict(codes, default=None, return_dtype=pl.String))
    w.reason(~blank(c) & code.is_null(), pl.format("unknown country '{}'", _quoted(c)))
    w.exprs["country"] = code


def text_step(w: Work) -> None:
    """Industry, brand, segment, ownership, powertrain as given (clipped)."""
    for name in TEXT_DIMENSIONS:
        if name in w.src:
            c = w.src[name]
            w.exprs[name] = pl.when(blank(c)).then(None).otherwise(clean(c).str.slice(0, 200))
    w.exprs.setdefault("industry", pl.lit(NO_INDUSTRY))


def channel_step(w: Work) -> None:
    """Sales channel: recognised labels to codes, anything else kept in lower case."""
    if "channel" not in w.src:
        return
    c = w.src["channel"]
    w.exprs["channel"] = (
        pl.when(blank(c))
        .then(None)
        .otherwise(
            pl.coalesce(map_values(c, CHANNEL_LABELS), clean(c).str.to_lowercase().str.slice(0, 60))
        )
    )


def weight_step(w: Work) -> None:
    """Survey weights: positive numbers (1 when the file has none)."""
    if "weight" not in w.src:
        w.exprs["weight"] = pl.lit(1.0)
        return
    c = w.src["weight"]
    weight = w.add("_w", number(c))
    w.reason(blank(c), "missing weight")
    w.reason(
        ~blank(c) & (weight.is_null() | (weight <= 0)),
        pl.format("weight '{}' is not a positive number", _quoted(c)),
    )
    w.exprs["weight"] = weight


def switch_step(w: Work) -> None:
    """Switching intent answers to their codes."""
    if "switch_intent" not in w.src:
        return
    c = w.src["switch_intent"]
    code = w.add("_sw", map_values(c, SWITCH_LABELS))
    w.reason(
        ~blank(c) & code.is_null(),
        pl.format("switching answer '{}' is not recognised", _quoted(c)),
    )
    w.exprs["switch_intent"] = code


def satisfaction_step(w: Work) -> None:
    """Satisfaction items: the scale is found per item and stored on 1-5 (top/bottom boxes kept)."""
    for item in SATISFACTION_ITEMS:
        if item not in w.src:
            continue
        c = w.src[item]
        scored = scale_values(w.frame, c)
        v = w.add(f"_s_{item}", pl.lit(scored))
        whole = scored.filter(
            scored.is_not_null() & (scored == scored.round(0)) & scored.is_between(0, 10)
        )
        scale = scale_of(whole) or (1, 5)
        w.scales[item] = f"{scale[0]}-{scale[1]}"
        w.reason(
            ~blank(c)
            & (v.is_null() | fractional(c) | (v != v.round(0)) | ~v.is_between(scale[0], scale[1])),
            pl.format(
                "{} answer '{}' is not on the {}-{} scale",
                pl.lit(item.replace("_", " ")),
                _quoted(c),
                pl.lit(scale[0]),
                pl.lit(scale[1]),
            ),
        )
        w.exprs[item] = to_five_point(v, scale).cast(pl.Int8)


def outlet_step(w: Work) -> None:
    """The outlet (dealer, agency outlet or direct store) and its dealer group, as given.

    A file with only an outlet code or only a name uses it as both; rows without an outlet
    are kept (their answers count everywhere but in the dealer scorecards).
    """
    if "dealer_group" in w.src:
        w.exprs["dealer_group"] = _text(w.src["dealer_group"], 120)
    ident = [_text(w.src["dealer_id"], 60)] if "dealer_id" in w.src else []
    name = [_text(w.src["dealer_name"], 120)] if "dealer_name" in w.src else []
    if ident or name:
        w.exprs["dealer_id"] = pl.coalesce([*ident, *name])
        w.exprs["dealer_name"] = pl.coalesce([*name, *ident])


def _text(col: str, limit: int) -> pl.Expr:
    """A text answer as given (trimmed, clipped to ``limit``), null when not answered."""
    return pl.when(blank(col)).then(None).otherwise(clean(col).str.slice(0, limit))


#: The steps, in order; each reads the mapping and adds expressions and reasons.
STEPS: tuple[Callable[[Work], None], ...] = (
    score_step,
    respondent_step,
    wave_step,
    country_step,
    text_step,
    channel_step,
    weight_step,
    switch_step,
    satisfaction_step,
    outlet_step,
)


def check_mapping(raw: RawSurvey, mapping: Mapping[str, str]) -> None:
    """The mapping names known canonical columns and existing source columns, with a score."""
    bad = [
        f"{k}={v}" for k, v in mapping.items() if k not in CANONICAL or v not in raw.frame.columns
    ]
    if bad:
        raise IngestError(f"mapping names unknown columns: {', '.join(bad[:3])}")
    if "nps_score" not in mapping:
        raise IngestError(
            "no likelihood-to-recommend (0-10) column was found; map one as nps_score"
        )


def split_rows(w: Work, raw: RawSurvey, dataset: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Accepted canonical rows and rejected rows (row number, reasons, original cells)."""
    reason = (
        pl.concat_str(w.reasons, separator="; ", ignore_nulls=True)
        if w.reasons
        else pl.lit(None, dtype=pl.String)
    )
    col = w.add("_reason", reason)
    done = w.frame.with_columns(pl.when(col == "").then(None).otherwise(col).alias("_reason"))
    # lazily, so that only the columns each result needs are filtered (not every raw column)
    accepted = (
        done.lazy()
        .filter(pl.col("_reason").is_null())
        .select(
            [
                pl.lit(dataset).alias(c)
                if c == "dataset"
                else (w.exprs[c] if c in w.exprs else pl.lit(None)).cast(POLARS_TYPES[t]).alias(c)
                for c, t in RESPONDENT_COLUMNS.items()
            ]
        )
        .collect()
    )
    rejected = (
        done.lazy()
        .filter(pl.col("_reason").is_not_null())
        .select(
            pl.col("_row").alias("row"),
            pl.col("_reason").alias("reason"),
            *[pl.col(c) for c in raw.frame.columns],
        )
        .collect()
    )
    return accepted, rejected


def reason_counts(rejected: pl.DataFrame) -> list[dict[str, Any]]:
    """How many rows each kind of reason rejected (values replaced by an ellipsis)."""
    if not rejected.height:
        return []
    counts = (
        rejected.select(
            pl.col("reason")
            .str.split("; ")
            .explode()
            .str.replace_all(r"'[^']*'", "…")
            .str.replace(r" \(first in row \d+\)", "")
            .alias("reason")
        )
        .group_by("reason")
        .len()
        .sort("len", "reason", descending=[True, False])
    )
    return [{"reason": r, "rows": int(n)} for r, n in counts.iter_rows()]


POLARS_TYPES: dict[str, Any] = {"varchar": pl.String, "tinyint": pl.Int8, "double": pl.Float64}


def normalise(
    raw: RawSurvey, mapping: Mapping[str, str], dataset: str, comments: Sequence[str] = ()
) -> IngestResult:
    """Canonical respondent rows from a raw survey; rows that fail a check are rejected.

    ``comments`` names open-text columns: their non-empty answers of accepted rows become
    the result's comments, masked (:func:`cx.ingest.comments.comment_rows`).
    """
    check_mapping(raw, mapping)
    comments = check_columns(comments, raw.frame.columns, list(mapping.values()))
    frame = raw.frame.with_row_index("_i").with_columns(
        (pl.col("_i") + raw.first_row).alias("_row")
    )
    work = Work(frame=frame, src=dict(mapping))
    if raw.row_problems:  # found while reading (e.g. a line in another encoding)
        problems = {str(k): v for k, v in raw.row_problems.items()}
        work.reason(
            pl.col("_row").cast(pl.String).is_in(list(problems)),
            pl.col("_row").cast(pl.String).replace_strict(problems, default=None),
        )
    for step in STEPS:
        step(work)
    accepted, rejected = split_rows(work, raw, dataset)
    texts = comment_rows(work.frame, work.exprs["respondent_id"], comments, raw.questions)
    report = {
        "file": raw.filename,
        "format": raw.format,
        "layout": raw.layout,
        "encoding": raw.encoding,
        "delimiter": delimiter_name(raw.delimiter) if raw.delimiter else None,
        "rows_read": raw.rows,
        "rows_accepted": accepted.height,
        "rows_rejected": rejected.height,
        "reasons": reason_counts(rejected),
        "mapping": dict(mapping),
        "scales": work.scales,
        "fields": [c for c in CANONICAL if c in mapping] + (["comments"] if texts.height else []),
        "comment_columns": list(comments),
        "comments": texts.height,
        "unmapped_columns": [
            c for c in raw.frame.columns if c not in mapping.values() and c not in comments
        ],
        "sha256": raw.sha256,
    }
    return IngestResult(accepted, rejected, report, texts)
