"""Step 3, normalising and validating: mapped columns to canonical respondent rows.

Nothing is dropped or coerced silently. A row is *rejected* only when it cannot be a
respondent of the analysis: no readable 0-10 score, an id seen before, a weight that cannot be
read, a line in another encoding. An optional field that cannot be read (a switching answer
not recognised, an unknown country, a stage answer off its scale, a date that is not one)
never costs a respondent: the row is kept with that field *left empty*, and the report counts
it per reason. Both kinds keep their file row number, the reasons and the original cells for
the download. Values are never coerced into range: a score of 11 is rejected, not clipped.
:func:`normalise` runs one named step per canonical field (:data:`STEPS`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cx.core import i18n
from cx.core.i18n import _, ngettext
from cx.core.schema import AUTOMAKERS, NOT_ANSWERED, RESPONDENT_COLUMNS, SATISFACTION_ITEMS
from cx.ingest import categories, dates
from cx.ingest.comments import check_columns, comment_rows
from cx.ingest.mapping import asks_repurchase, mapping_warnings
from cx.ingest.model import (
    CANONICAL,
    NO_WAVE,
    Choices,
    IngestError,
    IngestResult,
    RawSurvey,
    field_label,
    field_words,
)
from cx.ingest.read import delimiter_name
from cx.ingest.values import (
    blank,
    clean,
    cleaned,
    fractional,
    number,
    other_scale,
    parse_nps,
    scale_of,
    scale_values,
    to_five_point,
    wave_year,
    year_range,
)
from cx.ingest.wording import AUTOMOTIVE_INDUSTRY

#: Plain text dimensions kept as data (escaped wherever they are shown or exported).
TEXT_DIMENSIONS = ("industry", "brand")


@dataclass
class Work:
    """What the steps build: the frame with helper columns, canonical expressions, the reasons
    a row is rejected and the notes of fields left empty on kept rows."""

    frame: pl.DataFrame
    src: Mapping[str, str]
    choices: Choices = field(default_factory=Choices)
    exprs: dict[str, pl.Expr] = field(default_factory=dict)
    reasons: list[pl.Expr] = field(default_factory=list)
    empties: list[pl.Expr] = field(default_factory=list)
    scales: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    questions: Mapping[str, str] = field(default_factory=dict)

    def reason(self, cond: pl.Expr, text: pl.Expr | str) -> None:
        """Reject rows where ``cond`` holds, saying ``text``."""
        self.reasons.append(pl.when(cond).then(text if isinstance(text, pl.Expr) else pl.lit(text)))

    def empty(self, cond: pl.Expr, text: pl.Expr | str) -> None:
        """Keep rows where ``cond`` holds but leave a field empty, saying ``text``."""
        self.empties.append(pl.when(cond).then(text if isinstance(text, pl.Expr) else pl.lit(text)))

    def add(self, name: str, expr: pl.Expr) -> pl.Expr:
        """Add a helper column; returns a reference to it."""
        self.frame = self.frame.with_columns(expr.alias(name))
        return pl.col(name)


def _quoted(col: str) -> pl.Expr:
    return clean(col).str.slice(0, 40)


def worded(message: str, **parts: pl.Expr | str | int) -> pl.Expr:
    """A message (in the current language) per row: its ``{name}`` placeholders filled with
    expressions or values, wherever the language puts them (null when a part is null)."""
    pieces = re.split(r"\{(\w+)\}", message)
    exprs = [
        (parts[p] if isinstance(parts[p], pl.Expr) else pl.lit(str(parts[p])))
        if i % 2
        else pl.lit(p)
        for i, p in enumerate(pieces)
        if i % 2 or p
    ]
    return pl.concat_str(exprs)


def _duplicate_id() -> str:
    """Why a repeated respondent is rejected (its grouped form: :func:`reason_counts`)."""
    return _("duplicate respondent id '{id}' (first in row {row})")


def score_step(w: Work) -> None:
    """The 0-10 likelihood to recommend (required: a row without one is rejected)."""
    c = w.src["nps_score"]
    nps = w.add("_nps", pl.lit(parse_nps(w.frame, c)))
    w.reason(blank(c), _("missing likelihood-to-recommend score"))
    w.reason(
        ~blank(c) & nps.is_null(),
        worded(
            _("likelihood to recommend '{value}' is not a whole number from 0 to 10"),
            value=_quoted(c),
        ),
    )
    w.exprs["nps_score"] = nps.cast(pl.Int8)


def respondent_step(w: Work) -> None:
    """Respondent ids as the file gives them (row numbers when it has none, or for a row
    without one); a repeated id is the same respondent again and is rejected."""
    row_id = pl.format("row-{}", pl.col("_row"))
    if "respondent_id" not in w.src:
        w.exprs["respondent_id"] = row_id
        return
    c = w.src["respondent_id"]
    rid = w.add("_rid", pl.when(blank(c)).then(row_id).otherwise(clean(c)))
    w.empty(blank(c), _("respondent id missing: the row number is its id"))
    first_seen = pl.col("_row").min().over("_rid")
    w.reason(
        ~blank(c) & (pl.col("_row") != first_seen),
        worded(_duplicate_id(), id=rid.str.slice(0, 40), row=first_seen.cast(pl.String)),
    )
    w.exprs["respondent_id"] = rid


def wave_step(w: Work) -> None:
    """The wave: given, or the period (quarter by default) of the response date; a date or
    wave that cannot be read, or lies outside the plausible years, leaves the wave empty."""
    first, last = year_range()
    if "wave" in w.src:
        c = w.src["wave"]
        year = wave_year(c)
        odd = ~year.is_between(first, last)
        w.empty(
            odd,
            worded(
                _("wave '{value}' is outside the years {first}-{last}"),
                value=_quoted(c),
                first=first,
                last=last,
            ),
        )
        w.exprs["wave"] = (
            pl.when(blank(c) | odd.fill_null(False)).then(pl.lit(NO_WAVE)).otherwise(clean(c))
        )
        return
    if "date" not in w.src:
        w.exprs["wave"] = pl.lit(NO_WAVE)
        return
    c = w.src["date"]
    fmt = dates.decide(w.frame[c], w.choices.date_order, min_share=0.0)
    if fmt is None:
        raise IngestError(
            _("the date column '{column}' does not hold dates; map another or none").format(
                column=c
            )
        )
    if fmt.order is None:
        raise IngestError(
            _(
                "dates in '{column}' could be day-first or month-first (no day above 12 settles "
                "it): choose the date order (--date-order dmy or mdy), or leave the column "
                "unmapped (--map date=)"
            ).format(column=c)
        )
    period = w.choices.period if w.choices.period in dates.PERIODS else dates.DEFAULT_PERIOD
    w.notes["dates"] = f"'{c}': {fmt.describe()}"
    w.notes["waves"] = _("{period} of '{column}'").format(period=_(dates.PERIODS[period]), column=c)
    date = w.add("_date", dates.parse(clean(c), fmt))
    unread = ~blank(c) & date.is_null()
    w.empty(
        unread,
        worded(
            _("date '{value}' is not a date written {order}"),
            value=_quoted(c),
            order=_(dates.ORDERS[fmt.order]),
        ),
    )
    odd = ~date.dt.year().is_between(first, last)
    w.empty(
        odd,
        worded(
            _("date '{value}' is outside the years {first}-{last}"),
            value=_quoted(c),
            first=first,
            last=last,
        ),
    )
    w.exprs["wave"] = (
        pl.when(date.is_null() | odd.fill_null(False))
        .then(pl.lit(NO_WAVE))
        .otherwise(dates.wave(date, period))
    )


def categorical(w: Work, name: str, repurchase: bool = False) -> None:
    """A categorical field: each distinct answer read once (the person's answer-value map,
    then the recognised wordings, :mod:`cx.ingest.categories`); what is not read is left
    empty and counted (switching intent, country) or kept as written (other fields).
    ``repurchase``: a buy-the-same-brand-again question, read only as the person maps it."""
    if name not in w.src:
        return
    c = w.src[name]
    chosen = w.choices.values.get(name, {})
    values = cleaned(w.frame[c]).unique().drop_nulls().to_list()  # as clean(c) reads them
    codes: dict[str, str | None] = {}
    for v in values:
        if not v or v.lower() in NOT_ANSWERED:
            continue
        found = categories.code_of(name, v, chosen, repurchase)
        if found is None and name not in categories.STRICT and v not in chosen:
            found = v.lower()[:60] if name == "channel" else v[:200]
        codes[v] = found
    code = w.add(
        f"_cat_{name}", clean(c).replace_strict(codes, default=None, return_dtype=pl.String)
    )
    unread = [v for v, k in codes.items() if k is None and v not in chosen]
    if unread:
        why = (
            _("{field} '{value}' is a repurchase answer, not read")
            if repurchase
            else _("{field} '{value}' is not recognised")
        )
        w.empty(
            ~blank(c) & code.is_null() & clean(c).is_in(unread),
            worded(why, field=field_words(name), value=_quoted(c)),
        )
    w.exprs[name] = code


def country_step(w: Work) -> None:
    """Country names or codes to ISO 3166 alpha-2 (unknown ones left empty and counted)."""
    categorical(w, "country")


def text_step(w: Work) -> None:
    """Industry and brand as given (clipped); segment, ownership, powertrain and channel as
    codes where recognised. A file without an industry column takes the industry the person
    gave, or none: an industry is never invented."""
    for name in TEXT_DIMENSIONS:
        if name in w.src:
            w.exprs[name] = _spelled(w, name)
    if "industry" in w.src:
        w.exprs["industry"] = _automakers(w, w.exprs["industry"])
    for name in ("channel", "segment", "ownership", "powertrain"):
        categorical(w, name)
    if "industry" not in w.src:
        given = " ".join((w.choices.industry or "").split())[:200]
        given = AUTOMAKERS if given and automotive(given) else given  # "Automotive", typed
        w.exprs["industry"] = pl.lit(given or None, dtype=pl.String)
        w.notes["industry"] = (
            _("'{industry}' for every respondent, as given").format(industry=given)
            if given
            else _("not in the file and not given: stored empty (give one to compare industries)")
        )


def automotive(industry: str) -> bool:
    """Whether an industry's name names carmakers' customers (:data:`AUTOMOTIVE_INDUSTRY`)."""
    return " ".join(industry.casefold().split()) in AUTOMOTIVE_INDUSTRY


def _automakers(w: Work, industry: pl.Expr) -> pl.Expr:
    """Industry answers that name carmakers' customers ("Automotive", "汽车") read as
    :data:`~cx.core.schema.AUTOMAKERS`, noted in the report (:data:`AUTOMOTIVE_INDUSTRY`)."""
    values = w.frame.select(industry.alias("v")).get_column("v").drop_nulls().unique()
    chosen = w.choices.values.get("industry", {})  # an answer read as written stays as it is
    named = {
        v: AUTOMAKERS
        for v in values.to_list()
        if v != AUTOMAKERS and chosen.get(v) != v and automotive(v)
    }
    if not named:
        return industry
    w.notes["industry_automakers"] = _(
        "{values} read as '{industry}', the industry the automotive pages show"
    ).format(values=", ".join(f"'{v}'" for v in sorted(named)), industry=AUTOMAKERS)
    return industry.replace(named)


def _spelled(w: Work, name: str) -> pl.Expr:
    """A brand or industry as given (trimmed, clipped), its spellings that differ only in
    case, spacing, hyphens or accents read as the most common of them ("TOYOTA", "toyota" as "Toyota"):
    a field team types one brand many ways, and each spelling was ranked, tested and alerted
    on as a brand of its own. What is merged is noted in the report."""
    text = _text(w.src[name], 200)
    chosen = w.choices.values.get(name, {})  # the person's readings ("VW" as "Volkswagen")
    if chosen:
        mapped = {a: (c or None) for a, c in chosen.items()}
        text = text.replace_strict(mapped, default=text, return_dtype=pl.String)
    counts = w.frame.select(text.alias("v")).get_column("v").drop_nulls().value_counts()
    merged = categories.merged_spellings(
        zip(counts["v"].to_list(), counts["count"].to_list(), strict=True)
    )
    # an answer the person read as written keeps its spelling
    merged = {k: v for k, v in merged.items() if chosen.get(k) != k}
    if not merged:
        return text
    shown = sorted(set(merged.values()))
    examples = "; ".join(
        _("{spellings} as '{name}'").format(
            spellings=", ".join(f"'{v}'" for v in sorted(k for k, c in merged.items() if c == one)),
            name=one,
        )
        for one in shown[:3]
    )
    w.notes[f"{name}_spellings"] = ngettext(
        "{n} spelling that differs only in case, spacing or accents read as one: {examples}",
        "{n} spellings that differ only in case, spacing or accents read as one: {examples}",
        len(merged),
    ).format(n=len(merged), examples=examples + ("; …" if len(shown) > 3 else ""))
    return text.replace(merged)


#: The largest weight read: survey weights are ratios of a population to a sample, and one of
#: a billion still squares (the effective n) far from overflow; one of 1e200 made every
#: estimate of its dataset infinite, and four pages failed.
MAX_WEIGHT = 1e9


def weight_step(w: Work) -> None:
    """Survey weights: positive numbers (1 when the file has none). A row whose weight cannot
    be read is rejected: counting it at any other weight would change every estimate."""
    if "weight" not in w.src:
        w.exprs["weight"] = pl.lit(1.0)
        return
    c = w.src["weight"]
    weight = w.add("_w", number(c))
    w.reason(blank(c), _("missing weight"))
    w.reason(
        ~blank(c) & (weight.is_null() | (weight <= 0)),
        worded(_("weight '{value}' is not a positive number"), value=_quoted(c)),
    )
    w.reason(  # a weight of 400 digits read as infinity, and 1e200 squared overflows
        ~blank(c) & (weight > MAX_WEIGHT),
        worded(
            _("weight '{value}' is over {most}, more than any survey weight"),
            value=_quoted(c),
            most=f"{MAX_WEIGHT:,.0f}",
        ),
    )
    w.exprs["weight"] = weight


def switch_step(w: Work) -> None:
    """Switching intent answers to their codes; unrecognised ones are left empty, counted,
    and can be mapped (the answer-value map). The answers of a question asking whether
    people will buy the same brand again are not read by themselves (only as mapped)."""
    c = w.src.get("switch_intent")
    repurchase = c is not None and asks_repurchase(c, w.questions.get(c, ""))
    categorical(w, "switch_intent", repurchase)


def _item_words(item: str) -> str:
    """A satisfaction item as a reason names it ("after sales" in English)."""
    return item.replace("_", " ") if i18n.language() == i18n.DEFAULT else field_label(item)


def satisfaction_step(w: Work) -> None:
    """Satisfaction items: the scale is found per item and stored on 1-5 (top/bottom boxes
    kept); an answer off that scale leaves the item empty for that row, counted."""
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
        off = ~blank(c) & (
            v.is_null() | fractional(c) | (v != v.round(0)) | ~v.is_between(scale[0], scale[1])
        )
        w.empty(
            off,
            worded(
                _("{item} answer '{value}' is not on the {low}-{high} scale"),
                item=_item_words(item),
                value=_quoted(c),
                low=scale[0],
                high=scale[1],
            ),
        )
        w.exprs[item] = pl.when(off).then(None).otherwise(to_five_point(v, scale)).cast(pl.Int8)


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
        raise IngestError(
            _("mapping names unknown columns: {columns}").format(columns=", ".join(bad[:3]))
        )
    if "nps_score" not in mapping:
        raise IngestError(
            _("no likelihood-to-recommend (0-10) column was found; map one as nps_score")
        )
    column = mapping["nps_score"]
    other = other_scale(raw.frame, column, raw.questions.get(column, ""))
    if other:
        raise IngestError(
            _(
                "'{column}' is not on the 0-10 scale NPS needs ({why}): its answers would all "
                "count as detractors. Map the 0-10 likelihood-to-recommend question as "
                "nps_score."
            ).format(column=column[:80], why=other)
        )


def _joined(parts: list[pl.Expr]) -> pl.Expr:
    """The non-null texts of ``parts`` joined by "; " (null when there are none)."""
    if not parts:
        return pl.lit(None, dtype=pl.String)
    text = pl.concat_str(parts, separator="; ", ignore_nulls=True)
    return pl.when(text == "").then(None).otherwise(text)


def split_rows(
    w: Work, raw: RawSurvey, dataset: str
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Accepted canonical rows, rejected rows and kept rows with a field left empty (the
    last two: row number, reasons, original cells)."""
    w.add("_reason", _joined(w.reasons))
    done = w.frame.with_columns(_joined(w.empties).alias("_empty"))
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
    cells = [pl.col(c) for c in raw.frame.columns]
    rejected = (
        done.lazy()
        .filter(pl.col("_reason").is_not_null())
        .select(pl.col("_row").alias("row"), pl.col("_reason").alias("reason"), *cells)
        .collect()
    )
    emptied = (
        done.lazy()
        .filter(pl.col("_reason").is_null() & pl.col("_empty").is_not_null())
        .select(pl.col("_row").alias("row"), pl.col("_empty").alias("reason"), *cells)
        .collect()
    )
    return accepted, rejected, emptied


#: A mapped field whose answers are left empty in more than this share of the kept rows is
#: named in the report (one line each).
UNREAD_SHARE = 0.2
#: Fields a read answer can never leave empty (the wave falls back to "all", ids to rows).
_ALWAYS_READ = ("respondent_id", "wave", "nps_score", "weight")


def unread_counts(w: Work) -> dict[str, dict[str, int]]:
    """Per mapped field, over the rows kept: answers given and answers left empty (not
    read, off the scale, unknown); only fields with some left empty. Call after
    :func:`split_rows` (it adds the rows' outcome)."""
    fields = [f for f in RESPONDENT_COLUMNS if f in w.src and f in w.exprs]
    fields = [f for f in fields if f not in _ALWAYS_READ]
    if not fields:
        return {}
    exprs = []
    for f in fields:
        given = ~blank(w.src[f]).fill_null(True)
        exprs += [
            given.sum().alias(f"{f}\x1fanswered"),
            (given & w.exprs[f].is_null()).sum().alias(f"{f}\x1funread"),
        ]
    counts = w.frame.lazy().filter(pl.col("_reason").is_null()).select(exprs).collect().row(0)
    out: dict[str, dict[str, int]] = {}
    for i, f in enumerate(fields):
        answered, unread = int(counts[2 * i] or 0), int(counts[2 * i + 1] or 0)
        if unread:
            out[f] = {"answered": answered, "unread": unread}
    return out


def unread_warnings(unread: Mapping[str, Mapping[str, int]]) -> list[str]:
    """One line per field whose answers were left empty in over :data:`UNREAD_SHARE`."""
    lines = []
    for f, n in unread.items():
        if n["answered"] and n["unread"] > UNREAD_SHARE * n["answered"]:
            share = 100 * n["unread"] / n["answered"]
            lines.append(
                _(
                    "{field}: {unread} of {answered} answers ({share}%) were not read and are "
                    "left empty."
                ).format(
                    field=field_label(f),
                    unread=i18n.number(n["unread"]),
                    answered=i18n.number(n["answered"]),
                    share=i18n.number(share),
                )
            )
    return lines


def _duplicate_pattern() -> str:
    """The duplicate-id reason with its id replaced by an ellipsis, as a pattern that finds it
    with any first row (those rows are then counted as one reason, without the row)."""
    worded_ = re.escape(_duplicate_id().replace("'{id}'", "…"))
    return worded_.replace(re.escape("{row}"), r"\d+")


def reason_counts(rows: pl.DataFrame) -> list[dict[str, Any]]:
    """How many rows each kind of reason applies to (values replaced by an ellipsis)."""
    if not rows.height:
        return []
    counts = (
        rows.select(
            pl.col("reason")
            .str.split("; ")
            .explode()
            .str.replace_all(r"'[^']*'", "…")
            .str.replace(_duplicate_pattern(), _("duplicate respondent id …"))
            .alias("reason")
        )
        .group_by("reason")
        .len()
        .sort("len", "reason", descending=[True, False])
    )
    return [{"reason": r, "rows": int(n)} for r, n in counts.iter_rows()]


POLARS_TYPES: dict[str, Any] = {"varchar": pl.String, "tinyint": pl.Int8, "double": pl.Float64}


def problem_rows(result: IngestResult) -> pl.DataFrame:
    """Every row rejected or kept with a field left empty, in file order: ``row``,
    ``outcome`` (rejected / kept, field left empty), ``reason`` and the original cells (the
    report's download)."""
    parts = [
        frame.select(
            "row", pl.lit(outcome).alias("outcome"), *[c for c in frame.columns if c != "row"]
        )
        for frame, outcome in (
            (result.rejected, _("rejected")),
            (result.emptied, _("kept, field left empty")),
        )
        if frame.height
    ]
    if not parts:
        return pl.DataFrame(schema={"row": pl.Int64, "outcome": pl.String, "reason": pl.String})
    return pl.concat(parts, how="diagonal_relaxed").sort("row")


def normalise(
    raw: RawSurvey,
    mapping: Mapping[str, str],
    dataset: str,
    comments: Sequence[str] = (),
    choices: Choices | None = None,
) -> IngestResult:
    """Canonical respondent rows from a raw survey; rows that fail a check are rejected, rows
    with an optional field that cannot be read are kept with that field empty.

    ``comments`` names open-text columns: their answers of accepted rows become the result's
    comments, masked, without non-answers (:func:`cx.ingest.comments.comment_rows`).
    ``choices`` holds the person's answer-value maps, wave period, date order and industry.

    Raises:
        IngestError: the mapping names unknown columns or has no score; the date column
            holds no dates or its order is ambiguous and was not chosen.
    """
    check_mapping(raw, mapping)
    comments = check_columns(comments, raw.frame.columns, list(mapping.values()))
    frame = raw.frame.with_row_index("_i").with_columns(
        (pl.col("_i") + raw.first_row).alias("_row")
    )
    work = Work(
        frame=frame, src=dict(mapping), choices=choices or Choices(), questions=raw.questions
    )
    if raw.row_problems:  # found while reading (e.g. a line in another encoding)
        problems = {str(k): v for k, v in raw.row_problems.items()}
        work.reason(
            pl.col("_row").cast(pl.String).is_in(list(problems)),
            pl.col("_row").cast(pl.String).replace_strict(problems, default=None),
        )
    for step in STEPS:
        step(work)
    accepted, rejected, emptied = split_rows(work, raw, dataset)
    unread = unread_counts(work)
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
        "rows_with_empty_fields": emptied.height,
        "emptied": reason_counts(emptied),
        "unread": unread,
        "unread_warnings": unread_warnings(unread),
        "mapping_warnings": mapping_warnings(mapping, raw.questions),
        "mapping": dict(mapping),
        "answer_values": {k: v for k, v in work.choices.values.items() if v and k in mapping},
        "scales": work.scales,
        "waves_found": sorted(
            w for w in accepted["wave"].drop_nulls().unique().to_list() if w != NO_WAVE
        ),
        **work.notes,
        "fields": [
            c for c in CANONICAL if c in mapping or (c == "industry" and work.choices.industry)
        ]
        + (["comments"] if texts.height else []),
        "comment_columns": list(comments),
        "comments": texts.height,
        "unmapped_columns": [
            c for c in raw.frame.columns if c not in mapping.values() and c not in comments
        ],
        "sha256": raw.sha256,
    }
    return IngestResult(accepted, rejected, report, texts, emptied)
