"""Comments from answers to analysed rows, once, when they are stored.

:func:`prepare` turns open answers into comments (empty answers and non-answers such as
"n/a", "Nothing.", "keine Angabe", "无", "нет" are not comments, :mod:`cx.text.nonanswers`;
personal data is masked); :func:`analyse` adds the language, terms, topics and stages. Each
distinct text is analysed once, so the many identical short answers of a large survey
("nothing", "all good") cost one detection each.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl
import pyarrow as pa

from cx.text import language, mask, nonanswers, tokens, topics

#: Columns of prepared comments (the ingest and the demo both produce them).
COMMENT_COLUMNS = ("respondent_id", "question", "question_text", "text")
#: Columns :func:`analyse` adds.
ANALYSIS_COLUMNS = ("chars", "language", "tokens", "topics", "stages")


def string_lists(name: str, values: list[list[str]]) -> pl.Series:
    """A list-of-strings column (through Arrow: much faster than from Python lists)."""
    return pl.Series(name, pa.array(values, type=pa.large_list(pa.large_string())))


def prepare(frame: pl.DataFrame, not_answered: Collection[str] = ()) -> pl.DataFrame:
    """Comments as they may be stored: trimmed, without empty answers or non-answers
    (:func:`cx.text.nonanswers.is_non_answer`, in every language), masked.

    Args:
        frame: ``respondent_id``, ``question`` (source column), ``question_text`` and
            ``text`` (the answer as written, may be null).
        not_answered: more lowercased answers that mean "no answer" for this source.

    Returns:
        The comments with text (one row per respondent and question), personal data masked
        (:func:`cx.text.mask.mask`).
    """
    text = pl.col("text").str.strip_chars()
    kept = frame.with_columns(text.alias("text")).filter(
        pl.col("text").is_not_null()
        & (pl.col("text") != "")
        & ~pl.col("text").str.to_lowercase().is_in(list(not_answered))
        & ~nonanswers.is_non_answer(pl.col("text"))
    )
    return kept.with_columns(mask.mask_series(kept["text"]).alias("text")).select(COMMENT_COLUMNS)


def analyse(comments: pl.DataFrame) -> pl.DataFrame:
    """Language, terms, topics and stages of each comment (distinct texts analysed once).

    Args:
        comments: prepared comments (:func:`prepare`).

    Returns:
        ``comments`` with ``chars`` (length), ``language`` (ISO 639-1 or null), ``tokens``,
        ``topics`` and ``stages`` (lists of strings).
    """
    distinct = comments.select("text").unique(maintain_order=True)
    texts = distinct["text"].to_list()
    languages = language.detect_many(texts)
    found, stages = topics.match_topics(distinct["text"], pl.Series(languages, dtype=pl.String))
    analysed = distinct.with_columns(
        pl.Series("language", languages, dtype=pl.String),
        string_lists("tokens", tokens.tokenize_many(texts, languages)),
        found,
        stages,
    )
    return (
        comments.join(analysed, on="text", how="left", maintain_order="left")
        .with_columns(pl.col("text").str.len_chars().alias("chars"))
        .select(*COMMENT_COLUMNS, *ANALYSIS_COLUMNS)
    )
