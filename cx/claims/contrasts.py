"""Claims about differences a table tests, read from its difference column and its flag of
significance after the family's false-discovery control:

- :class:`Count`: how many rows are significantly on one side of their benchmark (above,
  below, or either), named when few; two counts of one family are said together ("3 of 12
  brands are significantly above the rest of their industry, 2 below").
- :class:`Sides`: how many rows are significantly above and how many below their benchmark, in
  one sentence whose wording names the benchmark and the total tested (outlets against the
  rest of their brand, topics mentioned by detractors against promoters).
- :class:`Contrast`: one row's difference from its benchmark: its direction the sign, its
  significance the table's flag, the figures it quotes checked.
- :class:`Strongest`: the rows flagged significant with the largest differences (terms).

See :mod:`cx.claims.model` for what every claim has (its columns and the rows ``where`` picks).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from cx.claims.figure import Figure, Unit
from cx.claims.model import Claim, _missing, figure, header, narrowed, reportable


@dataclass(frozen=True)
class Count(Claim):
    """How many of ``total`` rows are significantly above (or below, or either side of) their
    benchmark after the family's false-discovery control.

    Attributes:
        count: rows significantly on ``side`` of the benchmark.
        total: rows tested (not suppressed).
        side: ``above``, ``below`` or ``different`` (either side).
        noun: the rows in words, plural (``brands``).
        benchmark: what they are compared with (``the rest of their industry``).
        flag: the table column that says significant.
        subjects: the rows counted (named when there are few).
        tested: rows with a test (a p-value); None: every row counted in ``total``.
    """

    count: int = 0
    total: int = 0
    side: Literal["above", "below", "different"] = "above"
    noun: str = ""
    singular: str = ""
    benchmark: str = ""
    flag: str = "Significant"
    subjects: tuple[str, ...] = ()
    tested: int | None = None


@dataclass(frozen=True)
class Sides(Claim):
    """How many rows are significantly above (``above``) and how many below (``below``) their
    benchmark: the ``flag`` column after false-discovery control, the sign of ``column``, of
    ``total`` rows showing a value of ``base`` (default ``column``); ``phrase`` and ``values``
    pick the wording (:data:`cx.claims.wording.SIDES`)."""

    above: int = 0
    below: int = 0
    total: int = 0
    base: str = ""
    flag: str = "Significant"
    noun: str = ""
    phrase: str = "rest"
    values: Mapping[str, str] = field(default_factory=dict)
    tested: int | None = None  # rows with a test (a p-value); None: all ``total`` rows


@dataclass(frozen=True)
class Quote:
    """A figure a claim quotes: row ``row`` (of the claim's label column, within its
    ``where``), column ``column``."""

    row: str
    column: str
    figure: Figure


@dataclass(frozen=True)
class Contrast(Claim):
    """One row's difference from its benchmark, read from the table's difference column
    (``column``): its direction is the sign of the difference, its significance the table's
    ``flag`` of the row (None: no significance claimed).

    Attributes:
        subject: the row (its value in ``label``).
        difference: the row's value of ``column`` (points).
        significant: what the table's ``flag`` says of the row, or None.
        quotes: figures the sentence quotes (each checked against the table).
        extreme: ``lowest``/``highest``: the row's difference is the lowest (highest) of the
            rows in ``where``; "" claims no such thing.
        phrase: the renderer's wording; ``values`` fills names in it (an outlet, a topic).
    """

    subject: str = ""
    difference: Figure = Figure(0.0, "points")
    significant: bool | None = None
    flag: str = "Significant"
    quotes: tuple[Quote, ...] = ()
    extreme: Literal["", "lowest", "highest"] = ""
    phrase: str = ""
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Strongest(Claim):
    """The rows flagged significant with the largest absolute ``column`` (within ``where``),
    strongest first; none flagged when ``subjects`` is empty."""

    subjects: tuple[str, ...] = ()
    flag: str = "Significant"
    phrase: str = ""
    values: Mapping[str, str] = field(default_factory=dict)


def count(
    table: pl.DataFrame,
    label: str,
    gap: str,
    side: Literal["above", "below", "different"],
    noun: str,
    singular: str,
    benchmark: str,
    *,
    flag: str = "Significant",
    value: str = "NPS",
    exclude: Sequence[str] = (),
) -> Count:
    """How many reportable rows are significantly on ``side`` of their benchmark."""
    label, gap, flag = header(table, label), header(table, gap), header(table, flag)
    rows = reportable(table, value).filter(~pl.col(label).is_in(list(exclude)))
    direction = {
        "above": pl.col(gap) > 0,
        "below": pl.col(gap) < 0,
        "different": pl.col(gap) != 0,
    }[side]
    hits = rows.filter(pl.col(flag).fill_null(False) & direction)
    named = tuple(str(v) for v in hits[label].to_list())
    return Count(
        label, gap, hits.height, rows.height, side, noun, singular, benchmark, flag, named,
        tested=_tested(rows),
    )  # fmt: skip


def _tested(rows: pl.DataFrame) -> int | None:
    """How many rows carry a test (a p-value), or None when the table has no p-values: a row
    reportable but untested (one brand, no rest to test it against) is no evidence of "no
    significant difference"."""
    column = header(rows, "p_value")
    return rows.filter(pl.col(column).is_not_null()).height if column in rows.columns else None


def sides(
    table: pl.DataFrame,
    label: str,
    column: str,
    *,
    noun: str,
    base: str = "",
    flag: str = "Significant",
    phrase: str = "rest",
    where: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
) -> Sides:
    """How many rows (those ``where`` picks, showing ``base``) are flagged significant with a
    positive and with a negative ``column``."""
    label, column, flag = header(table, label), header(table, column), header(table, flag)
    base = header(table, base)
    rows = reportable(narrowed(table, where), base or column)
    marked = rows.filter(pl.col(flag).fill_null(False)) if flag in rows.columns else rows.clear()
    above = marked.filter(pl.col(column) > 0).height if column in marked.columns else 0
    below = marked.filter(pl.col(column) < 0).height if column in marked.columns else 0
    return Sides(
        label, column, above, below, rows.height, base, flag, noun, phrase, dict(values or {}),
        tested=_tested(rows), where=dict(where or {}),
    )  # fmt: skip


def _row(
    table: pl.DataFrame, label: str, subject: str, where: Mapping[str, str] | None
) -> dict[str, Any] | None:
    rows = narrowed(narrowed(table, where), {label: subject})
    return rows.row(0, named=True) if rows.height else None


def contrast(
    table: pl.DataFrame,
    label: str,
    subject: str,
    column: str,
    *,
    phrase: str,
    unit: Unit = "points",
    flag: str = "Significant",
    tested: bool = True,
    quotes: Sequence[tuple[str, str, Unit]] = (),
    extreme: Literal["", "lowest", "highest"] = "",
    where: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
) -> Contrast | None:
    """Row ``subject``'s difference in ``column`` with its significance (``tested``: read
    from ``flag``) and the quoted (row, column, unit) figures; None when any is missing."""
    label, column, flag = header(table, label), header(table, column), header(table, flag)
    row = _row(table, label, subject, where)
    if row is None or _missing(row.get(column)):
        return None
    said = []
    for who, col, qunit in quotes:
        quoted = figure(table, label, who, header(table, col), qunit, where)
        if quoted is None:
            return None
        said.append(Quote(who, header(table, col), quoted))
    significant = bool(row.get(flag)) if tested else None
    return Contrast(
        label, column, subject, Figure(float(row[column]), unit), significant, flag,
        tuple(said), extreme, phrase, dict(values or {}), where=dict(where or {}),
    )  # fmt: skip


def strongest(
    table: pl.DataFrame,
    label: str,
    column: str,
    limit: int,
    *,
    phrase: str,
    flag: str = "Significant",
    where: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
) -> Strongest:
    """The ``limit`` rows flagged significant with the largest absolute ``column``."""
    label, column, flag = header(table, label), header(table, column), header(table, flag)
    rows = reportable(narrowed(table, where), column)
    if flag in rows.columns:
        rows = rows.filter(pl.col(flag).fill_null(False))
    top_rows = rows.sort(pl.col(column).abs(), descending=True).head(limit)
    subjects = tuple(str(v) for v in top_rows[label].to_list()) if top_rows.height else ()
    return Strongest(
        label, column, subjects, flag, phrase, dict(values or {}), where=dict(where or {})
    )
