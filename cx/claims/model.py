"""Claims: what a chart's headline says, as data computed from the chart's own table.

A headline is a tuple of claims. Each claim is made by a constructor below from the very table
the chart draws (its human columns: what "Show data", CSV and Excel carry), holds its numbers as
:class:`Figure` (a value and the unit the chart's labels show it in) and names the columns it
was read from, so :mod:`cx.claims.check` can verify it against that table and
:mod:`cx.claims.render` can word it, rounding every number exactly as the chart's labels do.

Kinds:

- :class:`Top`: the highest (or lowest) row of a measure, ties named together.
- :class:`Count`: how many rows differ significantly from a benchmark, and in which direction.
- :class:`Change`: one row's move between two waves; :class:`Steady` when none moved.
- :class:`Gap`: two rows compared (the difference of the figures as shown).
- :class:`Total`: a sum of parts (the sum of the parts as shown).
- :class:`Versus`: one figure against another (reaches / does not reach / above / below).
- :class:`Rank`: a row's place in a ranking, with ties ("joint 2nd").
- :class:`Statement`: a sentence without numbers (too few responses, nothing to show).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

from cx.core import display

Unit = Literal["nps", "pct", "points", "pct_points", "count", "usd_m", "score", "published"]
#: Decimals each unit is shown with, on labels and in headlines alike.
DIGITS: dict[str, int] = {
    "nps": 0,
    "pct": 0,
    "points": 0,
    "pct_points": 0,
    "count": 0,
    "usd_m": 0,
    "score": 1,
    "published": 1,
}


def rounded(value: float, unit: Unit) -> float:
    """The value as its label shows it (same rounding as the formatter)."""
    if unit == "usd_m":
        return float(f"{value / 1e6:.{DIGITS[unit]}f}") * 1e6
    return float(f"{value:.{DIGITS[unit]}f}")


@dataclass(frozen=True)
class Figure:
    """A number as a chart shows it.

    Attributes:
        value: the exact value (points, percent, USD).
        unit: how labels show it (sign, percent sign, decimals).
    """

    value: float
    unit: Unit

    @property
    def shown(self) -> float:
        """The value rounded as its label shows it."""
        return rounded(self.value, self.unit)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class Claim:
    """What every claim has: the table columns it was read from.

    Attributes:
        label: the column naming the rows (``Brand``).
        column: the column of the measure (``NPS``).
        scope: who the claim is about when the chart shows a part of the data
            ("for Automakers"), said in the headline.
    """

    label: str
    column: str

    @property
    def kind(self) -> str:
        """The claim's kind (its class name in lower case)."""
        return type(self).__name__.lower()


@dataclass(frozen=True)
class Top(Claim):
    """The row(s) at the top (or bottom) of a measure; rows showing the same value once rounded
    are named together.

    ``phrase`` picks the wording: ``leads`` (an NPS leader), ``largest``/``smallest`` (a share),
    ``weakest``/``strongest`` (a journey stage), ``most``/``least`` (mentions).
    """

    subjects: tuple[str, ...] = ()
    figure: Figure = Figure(0.0, "nps")
    lowest: bool = False
    phrase: str = "leads"
    noun: str = ""
    scope: str = ""


@dataclass(frozen=True)
class Count(Claim):
    """How many of ``total`` rows are significantly above (or below) their benchmark after the
    family's false-discovery control.

    Attributes:
        count: rows significantly on ``side`` of the benchmark.
        total: rows tested (not suppressed).
        side: ``above`` or ``below``.
        noun: the rows in words, plural (``brands``).
        benchmark: what they are compared with (``the rest of their industry``).
        flag: the table column that says significant.
    """

    count: int = 0
    total: int = 0
    side: Literal["above", "below"] = "above"
    noun: str = ""
    singular: str = ""
    benchmark: str = ""
    flag: str = "Significant"


@dataclass(frozen=True)
class Change(Claim):
    """A row's move from one wave to another, significant after control (or the largest
    significant of several). ``label`` "" means the table is one series (rows are waves).

    ``phrase`` picks the wording: ``moved`` ("Brand X moved +5 points from Q1 to Q4, a
    significant change") or ``level`` ("NPS +14 in Q4, +2 points vs Q3 (not significant)")."""

    subject: str = ""
    before: Figure = Figure(0.0, "nps")
    after: Figure = Figure(0.0, "nps")
    start: str = ""
    end: str = ""
    significant: bool = False
    wave: str = "Wave"
    phrase: str = "moved"

    @property
    def change(self) -> Figure:
        """The change as the two labels show it (their difference once rounded)."""
        unit: Unit = "points" if self.after.unit == "nps" else "pct_points"
        return Figure(self.after.shown - self.before.shown, unit)


@dataclass(frozen=True)
class Steady(Claim):
    """None of ``subjects`` changed significantly between two waves."""

    subjects: tuple[str, ...] = ()
    start: str = ""
    end: str = ""


@dataclass(frozen=True)
class Gap(Claim):
    """Row ``first`` against row ``second`` on one measure; the gap is the difference of the two
    figures as shown, so it adds up with the labels."""

    first: str = ""
    second: str = ""
    first_figure: Figure = Figure(0.0, "pct")
    second_figure: Figure = Figure(0.0, "pct")
    significant: bool | None = None
    more: str = "more satisfied"
    less: str = "less satisfied"

    @property
    def gap(self) -> float:
        """The difference as shown."""
        return self.first_figure.shown - self.second_figure.shown


@dataclass(frozen=True)
class Total(Claim):
    """The sum of parts (e.g. switching within 6 and within 18 months), as shown: the sum of
    the parts' labels."""

    parts: tuple[tuple[str, Figure], ...] = ()
    subject: str = ""
    predicate: str = ""

    @property
    def figure(self) -> Figure:
        """The total as the parts' labels add up."""
        unit = self.parts[0][1].unit if self.parts else "pct"
        return Figure(sum(f.shown for _, f in self.parts), unit)


@dataclass(frozen=True)
class Versus(Claim):
    """One figure against another (e.g. the best quarter of dealer outlets against the average
    direct store); the relation is read off the two figures as shown."""

    first: str = ""
    second: str = ""
    first_figure: Figure = Figure(0.0, "nps")
    second_figure: Figure = Figure(0.0, "nps")

    @property
    def reaches(self) -> bool:
        """Whether the first figure, as shown, is at least the second."""
        return self.first_figure.shown >= self.second_figure.shown


@dataclass(frozen=True)
class Rank(Claim):
    """A row's place among ``total`` ranked rows (ties share a place)."""

    subject: str = ""
    rank: int = 0
    total: int = 0
    tied: bool = False
    noun: str = ""


@dataclass(frozen=True)
class Statement(Claim):
    """A sentence without numbers ("Too few responses to rate the journey stages").

    ``key`` names it (the renderer's wording, one per key); ``values`` fills its blanks.
    """

    key: str = ""
    values: Mapping[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Constructors: claims computed from a chart's table
# --------------------------------------------------------------------------------------------


def header(table: pl.DataFrame, column: str) -> str:
    """The table's name for a column: ``column`` itself when the table has it, else its human
    name (:data:`cx.core.display.COLUMN_NAMES`), so constructors take machine names."""
    if column in table.columns:
        return column
    return display.COLUMN_NAMES.get(column, column)


def reportable(table: pl.DataFrame, column: str, hidden: str = display.TOO_SMALL) -> pl.DataFrame:
    """The rows of a human table that show a value (not suppressed, value present)."""
    column = header(table, column)
    if table.is_empty() or column not in table.columns:
        return table.clear()
    rows = table.filter(pl.col(column).is_not_null() & pl.col(column).is_not_nan())
    if hidden in rows.columns:
        rows = rows.filter(~pl.col(hidden).fill_null(False))
    return rows


def top(
    table: pl.DataFrame,
    label: str,
    column: str,
    unit: Unit,
    *,
    lowest: bool = False,
    phrase: str = "leads",
    noun: str = "",
    scope: str = "",
) -> Top | None:
    """The top (or bottom) row(s) of ``column``; None when no row shows a value."""
    label, column = header(table, label), header(table, column)
    rows = reportable(table, column)
    if rows.is_empty():
        return None
    values = rows[column].to_list()
    best = min(values) if lowest else max(values)
    shown = rounded(best, unit)
    subjects = tuple(
        str(r[label]) for r in rows.iter_rows(named=True) if rounded(r[column], unit) == shown
    )
    return Top(label, column, subjects, Figure(best, unit), lowest, phrase, noun, scope)


def count(
    table: pl.DataFrame,
    label: str,
    gap: str,
    side: Literal["above", "below"],
    noun: str,
    singular: str,
    benchmark: str,
    *,
    flag: str = "significant",
    value: str = "nps",
    exclude: Sequence[str] = (),
) -> Count:
    """How many reportable rows are significantly on ``side`` of their benchmark."""
    label, gap, flag = header(table, label), header(table, gap), header(table, flag)
    rows = reportable(table, value).filter(~pl.col(label).is_in(list(exclude)))
    hits = rows.filter(
        pl.col(flag).fill_null(False)
        & ((pl.col(gap) > 0) if side == "above" else (pl.col(gap) < 0))
    )
    return Count(label, gap, hits.height, rows.height, side, noun, singular, benchmark, flag)


def figure(table: pl.DataFrame, label: str, subject: str, column: str, unit: Unit) -> Figure | None:
    """The figure of one row (None when it shows none)."""
    label, column = header(table, label), header(table, column)
    rows = reportable(table, column).filter(pl.col(label).cast(pl.String) == subject)
    if rows.is_empty():
        return None
    return Figure(float(rows[column][0]), unit)


def gap(
    table: pl.DataFrame,
    label: str,
    column: str,
    unit: Unit,
    first: str,
    second: str,
    *,
    significant: bool | None = None,
    more: str = "more satisfied",
    less: str = "less satisfied",
) -> Gap | None:
    """Row ``first`` against row ``second``; None when either shows no value."""
    label, column = header(table, label), header(table, column)
    a = figure(table, label, first, column, unit)
    b = figure(table, label, second, column, unit)
    if a is None or b is None:
        return None
    return Gap(label, column, first, second, a, b, significant, more, less)


def total(
    table: pl.DataFrame,
    label: str,
    column: str,
    unit: Unit,
    parts: Sequence[str],
    subject: str,
    predicate: str,
) -> Total | None:
    """The sum of the rows ``parts`` (None when any shows no value)."""
    label, column = header(table, label), header(table, column)
    found = [(p, figure(table, label, p, column, unit)) for p in parts]
    if any(f is None for _, f in found):
        return None
    return Total(
        label, column, tuple((p, f) for p, f in found if f is not None), subject, predicate
    )


def change(
    table: pl.DataFrame,
    label: str,
    column: str,
    unit: Unit,
    subject: str,
    start: str,
    end: str,
    *,
    significant: bool = True,
    wave: str = "wave",
    phrase: str = "moved",
) -> Change | None:
    """``subject``'s move from wave ``start`` to ``end`` as the table shows it (None when either
    wave shows no value). With ``label`` "" the table is one series: ``subject`` names it."""
    column, wave = header(table, column), header(table, wave)
    label = header(table, label) if label else ""

    def at(name: str) -> Figure | None:
        rows = reportable(table.filter(pl.col(wave).cast(pl.String) == name), column)
        if label:
            rows = rows.filter(pl.col(label).cast(pl.String) == subject)
        return Figure(float(rows[column][0]), unit) if rows.height else None

    before, after = at(start), at(end)
    if before is None or after is None:
        return None
    return Change(label, column, subject, before, after, start, end, significant, wave, phrase)


def steady(
    table: pl.DataFrame, label: str, column: str, subjects: Sequence[str], start: str, end: str
) -> Steady:
    """None of ``subjects`` changed significantly from ``start`` to ``end``."""
    return Steady(header(table, label), header(table, column), tuple(subjects), start, end)


def statement(key: str, **values: str) -> Statement:
    """A sentence without numbers, by its key."""
    return Statement("", "", key, dict(values))


# --------------------------------------------------------------------------------------------
# Changes between two waves (the What changed page and the digest)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shift(Claim):
    """One row of a changes table: a cell that moved from one wave to another, read from the
    row's ``before`` and ``after`` columns (one row per cell, both waves side by side).

    Attributes:
        subject: the row (the value of ``label``: "NPS of Voltara").
        before, after: the figures in the earlier and the later wave.
        start, end: the waves.
        before_column, after_column: the table's columns of the two figures.
        flag: the column saying the change is significant after the family's control.
        significant: what the claim says of it.
    """

    subject: str = ""
    before: Figure = Figure(0.0, "nps")
    after: Figure = Figure(0.0, "nps")
    start: str = ""
    end: str = ""
    before_column: str = "From"
    after_column: str = "To"
    flag: str = "Significant change"
    significant: bool = True

    @property
    def change(self) -> Figure:
        """The change as the two labels show it (their difference once rounded)."""
        unit: Unit = "points" if self.after.unit == "nps" else "pct_points"
        return Figure(self.after.shown - self.before.shown, unit)


@dataclass(frozen=True)
class Tally(Claim):
    """How many rows of a table carry a flag (changed significantly, beyond control limits), of
    the rows tested; ``phrase`` picks the wording (:data:`cx.claims.render.TALLIES`).

    Attributes:
        count: flagged rows; total: rows tested (not suppressed).
        noun: the rows in words, plural; singular: one of them.
        start, end: the waves (``start`` empty when the claim is about one wave).
    """

    count: int = 0
    total: int = 0
    noun: str = "cells"
    singular: str = "cell"
    start: str = ""
    end: str = ""
    phrase: str = "changed"


@dataclass(frozen=True)
class Control(Claim):
    """A control chart's point in one wave against its limits: beyond them (the move survives
    the family's false-discovery control) or within, and the baseline it is compared with.

    ``label`` is the wave column, ``column`` the charted share; the row of ``wave`` holds the
    point, ``baseline_column`` the centre line and ``flag`` whether it is beyond the limits.
    """

    subject: str = ""
    wave: str = ""
    figure: Figure = Figure(0.0, "pct")
    baseline: Figure = Figure(0.0, "pct")
    beyond: bool = False
    baseline_column: str = "Baseline %"
    flag: str = "Beyond limits"
    measure: str = "detractor share"


def shift(
    table: pl.DataFrame,
    label: str,
    subject: str,
    unit: Unit,
    start: str,
    end: str,
    *,
    before_column: str = "From",
    after_column: str = "To",
    flag: str = "Significant change",
) -> Shift | None:
    """The claim that row ``subject`` moved, read from its two columns; None when it shows no
    value in either."""
    rows = table.filter(pl.col(label).cast(pl.String) == subject)
    if rows.is_empty() or _missing(rows[before_column][0]) or _missing(rows[after_column][0]):
        return None
    row = rows.row(0, named=True)
    return Shift(
        label,
        after_column,
        subject,
        Figure(float(row[before_column]), unit),
        Figure(float(row[after_column]), unit),
        start,
        end,
        before_column,
        after_column,
        flag,
        bool(row.get(flag)),
    )


def tally(
    table: pl.DataFrame,
    label: str,
    flag: str,
    noun: str,
    singular: str,
    start: str,
    end: str,
    phrase: str = "changed",
) -> Tally:
    """How many rows of ``table`` (rows shown, not suppressed) carry ``flag``."""
    rows = (
        table.filter(~pl.col("n too small").fill_null(False))
        if "n too small" in table.columns
        else table
    )
    count_ = int(rows[flag].fill_null(False).sum()) if rows.height else 0
    return Tally(label, flag, count_, rows.height, noun, singular, start, end, phrase)
