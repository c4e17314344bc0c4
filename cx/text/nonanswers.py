"""Answers to an open question that say nothing: "nothing", "Nothing.", "n/a", "keine Angabe",
"无", "нет", "-". They are no comment, in every language comments are analysed in
(:mod:`cx.text.language`: English, German, Chinese, Russian; and Japanese exports), so they are never stored,
counted or shown as what customers wrote.

An answer is compared whole, lower-cased, with surrounding spaces and punctuation removed
("Nothing." and " nothing! " are "nothing"); an answer that says more ("Nothing to complain
about, great car") is a comment.
"""

from __future__ import annotations

from typing import Final

import polars as pl

from cx.core.schema import NOT_ANSWERED

#: Whole answers that mean "no comment", per language (lower case, no end punctuation).
NON_ANSWERS: Final[dict[str, frozenset[str]]] = {
    "en": frozenset(
        {
            "nothing", "nothing else", "nothing to add", "nothing to say", "nothing more",
            "nothing further", "no comment", "no comments", "no", "none", "nope", "nil", "na",
            "n/a", "n.a", "not applicable", "no thanks", "no thank you", "all said",
            "nothing at this time", "no further comments", "not really", "x", "...", "—", "-",
            "--", ".", "?", "no answer", "don't know", "dont know", "idk",
        }
    ),
    "de": frozenset(
        {
            "nichts", "nichts weiter", "nichts hinzuzufügen", "nichts mehr", "kein kommentar",
            "keine kommentare", "keine angabe", "keine angaben", "k.a", "k. a", "ka", "nein",
            "keine", "keiner", "weiß nicht", "weiss nicht", "entfällt", "nix",
        }
    ),
    "zh": frozenset(
        {
            "无", "没有", "没有了", "暂无", "无意见", "无建议", "没", "没什么", "没什么了",
            "没有意见", "没有建议", "不知道", "无可奉告", "否", "不", "无其他", "没有其他",
        }
    ),
    "ru": frozenset(
        {
            "нет", "ничего", "добавить нечего", "нечего добавить", "без комментариев",
            "нет комментариев", "затрудняюсь ответить", "не знаю", "ничего не хочу добавить",
            "всё", "все", "нету", "н/д",
        }
    ),
    "ja": frozenset({"特になし", "なし", "特にない", "ありません", "特にありません", "無し"}),
}  # fmt: skip
#: Every non-answer, whatever the language, with the field-level ones of the schema.
ALL: Final[frozenset[str]] = frozenset().union(*NON_ANSWERS.values(), NOT_ANSWERED)
#: Punctuation and spaces around an answer that do not change what it says.
EDGES: Final = r"^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$"


def bare(text: pl.Expr) -> pl.Expr:
    """An answer lower-cased without surrounding spaces and punctuation ("Nothing." ->
    "nothing"); internal spaces collapsed."""
    lowered = text.str.to_lowercase().str.replace_all(r"\s+", " ")
    return lowered.str.replace_all(EDGES, "")


def is_non_answer(text: pl.Expr) -> pl.Expr:
    """Whether an answer says nothing: empty, only punctuation, or a known non-answer."""
    stripped = bare(text)
    lowered = text.str.to_lowercase().str.strip_chars()
    return (stripped == "") | stripped.is_in(list(ALL)) | lowered.is_in(list(ALL))
