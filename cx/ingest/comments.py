"""Open answers of an upload as comments: one row per respondent and question, masked.

A named step after validation (:func:`cx.ingest.normalise.normalise` calls
:func:`comment_rows`): only accepted respondents' answers are kept; empty, blank and "n/a"
answers are not comments; personal data (e-mail addresses, phone numbers, card and ID
numbers) is masked here, before anything is shown or stored (:mod:`cx.text.mask`). The
language, terms and topics are added when the dataset is stored (:mod:`cx.text.pipeline`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from cx.core.i18n import _
from cx.core.schema import NOT_ANSWERED
from cx.ingest.model import IngestError
from cx.text import pipeline


def check_columns(
    columns: Sequence[str], available: Sequence[str], mapped: Sequence[str]
) -> list[str]:
    """The comment columns, each an existing column that feeds no canonical field.

    Raises:
        IngestError: a column the file lacks, or one already mapped to a field.
    """
    out = list(dict.fromkeys(c for c in columns if c))
    missing = [c for c in out if c not in available]
    if missing:
        raise IngestError(
            _("comments: the file has no column '{column}'").format(column=missing[0])
        )
    doubles = [c for c in out if c in mapped]
    if doubles:
        raise IngestError(
            _("comments: column '{column}' already feeds a field of the mapping").format(
                column=doubles[0]
            )
        )
    return out


def comment_rows(
    frame: pl.DataFrame,
    respondent_id: pl.Expr,
    columns: Sequence[str],
    questions: Mapping[str, str],
) -> pl.DataFrame:
    """Comments of the accepted rows of a validated frame.

    Args:
        frame: the validation frame (raw cells and helper columns; ``_reason`` empty or null
            on accepted rows).
        respondent_id: the expression giving each row's respondent id.
        columns: open-text columns.
        questions: question wording per column (Qualtrics and SurveyMonkey headers).

    Returns:
        ``respondent_id``, ``question`` (the column), ``question_text`` and ``text``
        (masked), only non-empty answers.
    """
    if not columns:
        return pl.DataFrame(schema=dict.fromkeys(pipeline.COMMENT_COLUMNS, pl.String))
    accepted = frame.filter(pl.col("_reason").is_null() | (pl.col("_reason") == ""))
    long = accepted.select(respondent_id.alias("respondent_id"), *columns).unpivot(
        index="respondent_id", on=list(columns), variable_name="question", value_name="text"
    )
    long = long.with_columns(
        pl.col("question")
        .replace_strict(dict(questions), default=pl.col("question"), return_dtype=pl.String)
        .alias("question_text")
    )
    return pipeline.prepare(long, NOT_ANSWERED)
