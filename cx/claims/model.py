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
- :class:`Contrast`: one row's difference from its benchmark (a column of the table), its
  direction from the sign, its significance from the table's flag, with figures quoted.
- :class:`Tally`: how many rows are significantly above and how many below their benchmark.
- :class:`Strongest`: the rows most strongly marked significant on one side (terms).
- :class:`Matches`: how many rows have one value in a column (studies in a top quartile).
- :class:`Distinct`: how many distinct values a column has (studies publishing a brand).

Every claim may name ``where``: the rows of the table it is about (``(("Topic", "Price"),)``:
the rows whose Topic is Price), so a claim about part of a long table is checked on that part.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import polars as pl

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
        where: the rows the claim is about, as (column, value) pairs (values compared as
            text); empty: every row.
    """

    label: str
    column: str
    where: tuple[tuple[str, str], ...] = field(default=(), kw_only=True)

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
    significant of several)."""

    subject: str = ""
    before: Figure = Figure(0.0, "nps")
    after: Figure = Figure(0.0, "nps")
    start: str = ""
    end: str = ""
    significant: bool | None = False
    wave: str = "Wave"
    flag: str = ""
    name: str = ""

    @property
    def change(self) -> Figure:
        """The change as the two labels show it (their difference once rounded).

        ``significant`` None: no test (published figures); ``flag`` names the table's column
        that says whether the change is significant (on the ``end`` row), checked when set;
        ``name`` is how the headline names the subject (default: as the table does).
        """
        units: dict[str, Unit] = {"nps": "points", "published": "published"}
        return Figure(
            self.after.shown - self.before.shown, units.get(self.after.unit, "pct_points")
        )


@dataclass(frozen=True)
class Steady(Claim):
    """None of ``subjects`` changed significantly between two waves (``noun``: the headline
    counts them, "the 5 most mentioned topics", instead of naming each)."""

    subjects: tuple[str, ...] = ()
    start: str = ""
    end: str = ""
    noun: str = ""


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
    phrase: str = "reaches"

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


def within(table: pl.DataFrame, where: Sequence[tuple[str, str]]) -> pl.DataFrame:
    """The rows of ``table`` a claim with ``where`` is about (values compared as text)."""
    for column, value in where:
        if column not in table.columns:
            return table.clear()
        table = table.filter(pl.col(column).cast(pl.String) == value)
    return table


def reportable(table: pl.DataFrame, column: str, hidden: str = "n too small") -> pl.DataFrame:
    """The rows of a human table that show a value (not suppressed, value present)."""
    if table.is_empty() or column not in table.columns:
        return table.clear()
    if not table.schema[column].is_numeric():
        return table.filter(pl.col(column).is_not_null())
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
    where: Sequence[tuple[str, str]] = (),
) -> Top | None:
    """The top (or bottom) row(s) of ``column``; None when no row shows a value."""
    rows = reportable(within(table, where), column)
    if rows.is_empty():
        return None
    values = rows[column].to_list()
    best = min(values) if lowest else max(values)
    shown = rounded(best, unit)
    subjects = tuple(
        str(r[label]) for r in rows.iter_rows(named=True) if rounded(r[column], unit) == shown
    )
    return Top(
        label, column, subjects, Figure(best, unit), lowest, phrase, noun, scope, where=tuple(where)
    )


def count(
    table: pl.DataFrame,
    label: str,
    gap: str,
    side: Literal["above", "below"],
    noun: str,
    singular: str,
    benchmark: str,
    *,
    flag: str = "Significant",
    value: str = "NPS",
    exclude: Sequence[str] = (),
) -> Count:
    """How many reportable rows are significantly on ``side`` of their benchmark."""
    rows = reportable(table, value).filter(~pl.col(label).is_in(list(exclude)))
    hits = rows.filter(
        pl.col(flag).fill_null(False)
        & ((pl.col(gap) > 0) if side == "above" else (pl.col(gap) < 0))
    )
    return Count(label, gap, hits.height, rows.height, side, noun, singular, benchmark, flag)


def figure(
    table: pl.DataFrame,
    label: str,
    subject: str,
    column: str,
    unit: Unit,
    where: Sequence[tuple[str, str]] = (),
) -> Figure | None:
    """The figure of one row (None when it shows none)."""
    rows = reportable(within(table, where), column).filter(pl.col(label).cast(pl.String) == subject)
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
    found = [(p, figure(table, label, p, column, unit)) for p in parts]
    if any(f is None for _, f in found):
        return None
    return Total(
        label, column, tuple((p, f) for p, f in found if f is not None), subject, predicate
    )


def statement(key: str, **values: str) -> Statement:
    """A sentence without numbers, by its key."""
    return Statement("", "", key, dict(values))


# --------------------------------------------------------------------------------------------
# Contrasts, tallies and lists: claims about differences a table tests
# --------------------------------------------------------------------------------------------


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
class Tally(Claim):
    """How many rows are significantly above and how many below their benchmark (the
    ``flag`` column after false-discovery control, the sign of ``column``), of ``total`` rows
    showing a value of ``base``."""

    above: int = 0
    below: int = 0
    total: int = 0
    base: str = ""
    flag: str = "Significant"
    noun: str = ""
    phrase: str = "rest"
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Strongest(Claim):
    """The rows flagged significant with the largest absolute ``column`` (within ``where``),
    strongest first; none flagged when ``subjects`` is empty."""

    subjects: tuple[str, ...] = ()
    flag: str = "Significant"
    phrase: str = ""
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Matches(Claim):
    """``count`` of the ``total`` rows showing a ``column`` have the value ``value``."""

    value: str = ""
    count: int = 0
    total: int = 0
    phrase: str = ""
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Distinct(Claim):
    """``column`` has ``count`` distinct values (within ``where``)."""

    count: int = 0
    phrase: str = ""
    values: Mapping[str, str] = field(default_factory=dict)


def _row(
    table: pl.DataFrame, label: str, subject: str, where: Sequence[tuple[str, str]]
) -> dict[str, Any] | None:
    rows = within(table, where).filter(pl.col(label).cast(pl.String) == subject)
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
    where: Sequence[tuple[str, str]] = (),
    values: Mapping[str, str] | None = None,
) -> Contrast | None:
    """Row ``subject``'s difference in ``column`` with its significance (``tested``: read
    from ``flag``) and the quoted (row, column, unit) figures; None when any is missing."""
    row = _row(table, label, subject, where)
    if row is None or _missing(row.get(column)):
        return None
    said = []
    for who, col, qunit in quotes:
        value = figure(table, label, who, col, qunit, where)
        if value is None:
            return None
        said.append(Quote(who, col, value))
    significant = bool(row.get(flag)) if tested else None
    return Contrast(
        label, column, subject, Figure(float(row[column]), unit), significant, flag,
        tuple(said), extreme, phrase, dict(values or {}), where=tuple(where),
    )  # fmt: skip


def tally(
    table: pl.DataFrame,
    label: str,
    column: str,
    *,
    noun: str,
    base: str = "",
    flag: str = "Significant",
    phrase: str = "rest",
    where: Sequence[tuple[str, str]] = (),
    values: Mapping[str, str] | None = None,
) -> Tally:
    """How many rows (within ``where``, showing ``base``) are flagged significant with a
    positive and with a negative ``column``."""
    rows = reportable(within(table, where), base or column)
    marked = rows.filter(pl.col(flag).fill_null(False)) if flag in rows.columns else rows.clear()
    above = marked.filter(pl.col(column) > 0).height if column in marked.columns else 0
    below = marked.filter(pl.col(column) < 0).height if column in marked.columns else 0
    return Tally(
        label, column, above, below, rows.height, base, flag, noun, phrase, dict(values or {}),
        where=tuple(where),
    )  # fmt: skip


def strongest(
    table: pl.DataFrame,
    label: str,
    column: str,
    limit: int,
    *,
    phrase: str,
    flag: str = "Significant",
    where: Sequence[tuple[str, str]] = (),
    values: Mapping[str, str] | None = None,
) -> Strongest:
    """The ``limit`` rows flagged significant with the largest absolute ``column``."""
    rows = reportable(within(table, where), column)
    if flag in rows.columns:
        rows = rows.filter(pl.col(flag).fill_null(False))
    top_rows = rows.sort(pl.col(column).abs(), descending=True).head(limit)
    subjects = tuple(str(v) for v in top_rows[label].to_list()) if top_rows.height else ()
    return Strongest(label, column, subjects, flag, phrase, dict(values or {}), where=tuple(where))


def matches(
    table: pl.DataFrame,
    label: str,
    column: str,
    value: str,
    *,
    phrase: str,
    where: Sequence[tuple[str, str]] = (),
    values: Mapping[str, str] | None = None,
) -> Matches:
    """How many of the rows showing ``column`` have ``value`` there."""
    rows = reportable(within(table, where), column)
    hits = rows.filter(pl.col(column).cast(pl.String) == value).height
    return Matches(
        label, column, value, hits, rows.height, phrase, dict(values or {}), where=tuple(where)
    )


def distinct(
    table: pl.DataFrame,
    column: str,
    *,
    phrase: str,
    where: Sequence[tuple[str, str]] = (),
    values: Mapping[str, str] | None = None,
) -> Distinct:
    """How many distinct values ``column`` shows (within ``where``)."""
    rows = reportable(within(table, where), column)
    return Distinct(
        column, column, rows[column].n_unique() if rows.height else 0, phrase,
        dict(values or {}), where=tuple(where),
    )  # fmt: skip


def rank(
    table: pl.DataFrame,
    label: str,
    subject: str,
    column: str,
    noun: str,
    where: Sequence[tuple[str, str]] = (),
) -> Rank | None:
    """Row ``subject``'s place among the rows showing ``column`` (1 = highest; rows level
    with it share its place); None when it shows no value."""
    rows = reportable(within(table, where), column)
    mine = rows.filter(pl.col(label).cast(pl.String) == subject)
    if mine.is_empty():
        return None
    value = mine[column][0]
    above = rows.filter(pl.col(column) > value).height
    level = rows.filter(pl.col(column) == value).height
    return Rank(label, column, subject, above + 1, rows.height, level > 1, noun, where=tuple(where))
