"""Claims: what a chart's headline says, as data computed from the chart's own table.

A headline is a tuple of claims. Each claim is made by a constructor below from the very table
the chart draws (its human columns: what "Show data", CSV and Excel carry), holds its numbers as
:class:`Figure` (a value and the unit the chart's labels show it in) and names the columns it
was read from, so :mod:`cx.claims.check` can verify it against that table and
:mod:`cx.claims.render` can word it, rounding every number exactly as the chart's labels do.

Kinds:

- :class:`Top`: the highest (or lowest) row of a measure, ties named together.
- :class:`Change`: one row's move between two waves; :class:`Steady` when none moved.
- :class:`Gap`: two rows compared (the difference of the figures as shown).
- :class:`Total`: a sum of parts (the sum of the parts as shown).
- :class:`Versus`: one figure against another (reaches / does not reach / above / below).
- :class:`Rank`: a row's place in a ranking, with ties ("joint 2nd").
- :class:`Value`: one row's figure (a total at risk, a tile's value).
- :class:`Spread`: the group whose rows lie furthest apart (brands differ most on a stage).
- :class:`Range`: rows' figures in two columns, from one to the other (a total from an input
  lowered to it raised).
- :class:`Tally`: how many rows read a value in a column, of those that show one (practices
  an organisation does, competencies not scored, studies placing a brand in their top quartile).
- :class:`Distinct`: how many distinct values a column shows (studies publishing a brand).
- :class:`Statement`: a sentence without numbers (too few responses, nothing to show).

Claims about differences a table tests (how many rows are significantly on one side of their
benchmark or on each, a row against its benchmark, the strongest flagged rows) are in
:mod:`cx.claims.contrasts`; the What changed page's in :mod:`cx.claims.changes`.

Every claim may be about part of a table (one stage of a table of stages by channel, the
detractors' rows of a by-group table): ``where`` names the part, column -> value as a cell reads
(``str`` of the value: ``True``, ``2024Q4``); :func:`cx.claims.check.problems` checks the claim
on those rows only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cx.claims import wording
from cx.claims.figure import Figure, Unit, rounded
from cx.core import display
from cx.metrics import frames

#: The trend tables' column of a significant change (since the first wave, or between halves),
#: in English: :func:`header` finds the table's name for it in the language.
CHANGED = display.COLUMN_NAMES["wave_change_significant"]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


@dataclass(frozen=True)
class Claim:
    """What every claim has: the table columns it was read from, and the rows it is about.

    Attributes:
        label: the column naming the rows (``Brand``).
        column: the column of the measure (``NPS``).
        where: the rows the claim is about (column -> value as a cell reads); empty: every row.
    """

    label: str
    column: str
    where: Mapping[str, str] = field(default_factory=dict, kw_only=True)

    @property
    def kind(self) -> str:
        """The claim's kind (its class name in lower case)."""
        return type(self).__name__.lower()


@dataclass(frozen=True)
class Top(Claim):
    """The row(s) at the top (or bottom) of a measure; rows showing the same value once rounded
    are named together.

    ``phrase`` picks the wording: ``leads`` (an NPS leader), ``largest``/``smallest`` (a share),
    ``weakest``/``strongest`` (a journey stage), ``most``/``least`` (mentions); ``scope`` says
    who the claim is about when the chart shows a part of the data ("for Automakers").
    """

    subjects: tuple[str, ...] = ()
    figure: Figure = Figure(0.0, "nps")
    lowest: bool = False
    phrase: str = "leads"
    noun: str = ""
    scope: str = ""


@dataclass(frozen=True)
class Change(Claim):
    """A row's move from one wave to another, significant after control (or the largest
    significant of several).

    ``phrase`` picks the wording (``moved``: a series moved; ``nps``: the NPS of a wave and its
    change; ``vs``: the change alone; ``rose``: rose or fell; ``published``: two published
    figures); ``level`` names the confidence level where the wording says it; ``name`` is how
    the headline names the subject (default: as the table does).

    ``significant`` None claims no test (published figures). ``flag`` names the table's column
    saying whether the change is significant (read on the ``end`` wave's row); a change claimed
    significant must be flagged there.
    """

    subject: str = ""
    before: Figure = Figure(0.0, "nps")
    after: Figure = Figure(0.0, "nps")
    start: str = ""
    end: str = ""
    significant: bool | None = False
    wave: str = "Wave"
    phrase: str = "moved"
    level: str = ""
    flag: str = ""
    name: str = ""

    @property
    def change(self) -> Figure:
        """The change as the two labels show it (their difference once rounded): points of
        NPS, percentage points of a share, else in the figures' own unit (a score, a count, a
        published figure)."""
        unit: Unit = (
            "points" if self.after.unit == "nps"
            else self.after.unit if self.after.unit in ("score", "count", "published")
            else "pct_points"
        )  # fmt: skip
        return Figure(rounded(self.after.shown - self.before.shown, unit), unit)


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
    figures as shown, so it adds up with the labels.

    ``flag`` names the table column saying whether ``first``'s gap to ``second`` is significant
    (the claimed ``significant`` must be what it says); ``words`` says the two rows in a
    sentence ("Direct buyers", "dealer buyers"), ``context`` what is compared ("with the
    purchase").
    """

    first: str = ""
    second: str = ""
    first_figure: Figure = Figure(0.0, "pct")
    second_figure: Figure = Figure(0.0, "pct")
    significant: bool | None = None
    more: str = "more satisfied"
    less: str = "less satisfied"
    flag: str = ""
    words: tuple[str, ...] = ()
    context: str = ""

    @property
    def gap(self) -> float:
        """The difference as shown."""
        return self.first_figure.shown - self.second_figure.shown


@dataclass(frozen=True)
class Total(Claim):
    """The sum of parts (e.g. switching within 6 and within 18 months), as shown: the sum of
    the parts' labels.

    The parts are rows of ``column``; with ``row`` set they are columns of that row instead
    (a wide table: one row per channel, one column per answer).
    """

    parts: tuple[tuple[str, Figure], ...] = ()
    subject: str = ""
    predicate: str = ""
    row: str = ""
    phrase: str = "of"

    @property
    def figure(self) -> Figure:
        """The total as the parts' labels add up."""
        unit = self.parts[0][1].unit if self.parts else "pct"
        return Figure(sum(f.shown for _, f in self.parts), unit)


@dataclass(frozen=True)
class Versus(Claim):
    """One figure against another (e.g. the best quarter of dealer outlets against the average
    direct store); the relation is read off the two figures as shown, worded by ``phrase``
    (``reaches``: reaches or not; ``median``: above, below or level with)."""

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
    """A row's place among ``total`` ranked rows (ties share a place); with ``figure``, rows
    are ranked as their labels show them and the figure is said."""

    subject: str = ""
    rank: int = 0
    total: int = 0
    tied: bool = False
    noun: str = ""
    figure: Figure | None = None
    phrase: str = "ranks"


@dataclass(frozen=True)
class Value(Claim):
    """One row's figure (the row ``subject`` of ``label``, narrowed by ``where``), worded by the
    renderer's template ``phrase``; ``scope`` says whose figure it is where the wording does."""

    subject: str = ""
    figure: Figure = Figure(0.0, "nps")
    phrase: str = "value"
    scope: str = ""


@dataclass(frozen=True)
class Spread(Claim):
    """The group(s) of ``by`` whose rows lie furthest apart on ``column`` (as shown), with the
    highest and lowest rows of the first group; ``noun`` names the rows, plural ("brands")."""

    by: str = ""
    groups: tuple[str, ...] = ()
    high: tuple[str, ...] = ()
    low: tuple[str, ...] = ()
    high_figure: Figure = Figure(0.0, "pct")
    low_figure: Figure = Figure(0.0, "pct")
    noun: str = ""

    @property
    def spread(self) -> float:
        """Highest minus lowest, as shown."""
        return self.high_figure.shown - self.low_figure.shown


@dataclass(frozen=True)
class Statement(Claim):
    """A sentence without numbers ("Too few responses to rate the journey stages").

    ``key`` names it (the renderer's wording, one per key); ``values`` fills its blanks.
    """

    key: str = ""
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Range(Claim):
    """The rows ``subjects`` go from ``low_figure`` (in ``column``) to ``high_figure`` (in
    ``high``), each showing the same two figures; ``named`` says the row's name in the
    sentence (when it is not the row the claim before named)."""

    subjects: tuple[str, ...] = ()
    high: str = ""
    low_figure: Figure = Figure(0.0, "usd_m")
    high_figure: Figure = Figure(0.0, "usd_m")
    named: bool = False


@dataclass(frozen=True)
class Tally(Claim):
    """How many rows (those ``where`` picks) read ``value`` in ``column``: ``count`` of the
    ``total`` that show a value there; ``unshown`` rows show none (unanswered). ``subjects``
    names the rows counted where the wording names them; ``noun``, ``phrase`` and ``values``
    (names the wording fills in) pick the wording."""

    value: str = "True"
    count: int = 0
    total: int = 0
    unshown: int = 0
    subjects: tuple[str, ...] = ()
    noun: str = ""
    phrase: str = "tally"
    values: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Distinct(Claim):
    """``column`` shows ``count`` distinct values (within ``where``); ``phrase`` and ``values``
    pick the wording."""

    count: int = 0
    phrase: str = ""
    values: Mapping[str, str] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# Constructors: claims computed from a chart's table
# --------------------------------------------------------------------------------------------


def header(table: pl.DataFrame, column: str) -> str:
    """The table's name for a column: ``column`` itself when the table has it, else its human
    name (:data:`cx.core.display.COLUMN_NAMES`) in the language the table was made in, so
    constructors take machine names, and English human names, in every language."""
    return display.column_in(table.columns, column)


def narrowed(table: pl.DataFrame, where: Mapping[str, str] | None) -> pl.DataFrame:
    """The rows of ``table`` whose ``where`` columns show the given values."""
    for named, value in (where or {}).items():
        column = header(table, named)
        if column not in table.columns:
            return table.clear()
        # as the checks read a cell (str of the Python value: True, 2024Q4)
        keep = [str(v) == value for v in table[column].to_list()]
        table = frames.kept(table, keep)
    return table


def reportable(table: pl.DataFrame, column: str, hidden: str = display.TOO_SMALL) -> pl.DataFrame:
    """The rows of a human table that show a value (not suppressed, value present)."""
    column, hidden = header(table, column), header(table, hidden)
    if table.is_empty() or column not in table.columns:
        return table.clear()
    shown = frames.present(table[column])
    if hidden in table.columns:
        shown &= ~frames.true(table[hidden])
    return frames.kept(table, shown)


def _tied(rows: pl.DataFrame, label: str, column: str, unit: Unit, lowest: bool) -> Any:
    """The extreme value of ``column`` and the rows showing it once rounded."""
    values = rows[column].to_list()
    best = min(values) if lowest else max(values)
    shown = rounded(best, unit)
    subjects = tuple(
        str(r[label]) for r in rows.iter_rows(named=True) if rounded(r[column], unit) == shown
    )
    return best, subjects


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
    where: Mapping[str, str] | None = None,
) -> Top | None:
    """The top (or bottom) row(s) of ``column`` (among the rows ``where`` picks); None when no
    row shows a value."""
    label, column = header(table, label), header(table, column)
    rows = reportable(narrowed(table, where), column)
    if rows.is_empty():
        return None
    best, subjects = _tied(rows, label, column, unit, lowest)
    if rows.height == 1:  # one row leads nothing: it is said as the one there is
        phrase = wording.ALONE.get(phrase, phrase)
    return Top(
        label, column, subjects, Figure(best, unit), lowest, phrase, noun, scope,
        where=dict(where or {}),
    )  # fmt: skip


def cell(
    table: pl.DataFrame,
    label: str,
    subject: str,
    column: str,
    where: Mapping[str, str] | None = None,
) -> Any:
    """The value of ``column`` in the row ``subject`` (narrowed by ``where``), or None."""
    label, column = header(table, label), header(table, column)
    rows = reportable(narrowed(table, where), column)
    rows = narrowed(rows, {label: subject})
    return None if rows.is_empty() else rows[column][0]


def figure(
    table: pl.DataFrame,
    label: str,
    subject: str,
    column: str,
    unit: Unit,
    where: Mapping[str, str] | None = None,
) -> Figure | None:
    """The figure of one row (None when it shows none)."""
    value = cell(table, label, subject, column, where)
    return None if value is None else Figure(float(value), unit)


def value(
    table: pl.DataFrame,
    label: str,
    subject: str,
    column: str,
    unit: Unit,
    *,
    phrase: str = "value",
    where: Mapping[str, str] | None = None,
    scope: str = "",
) -> Value | None:
    """One row's figure as a claim (None when the row shows none)."""
    label, column = header(table, label), header(table, column)
    found = figure(table, label, subject, column, unit, where)
    if found is None:
        return None
    return Value(label, column, subject, found, phrase, scope, where=dict(where or {}))


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
    where: Mapping[str, str] | None = None,
    flag: str = "",
    words: tuple[str, ...] = (),
    context: str = "",
) -> Gap | None:
    """Row ``first`` against row ``second``; None when either shows no value. With ``flag``,
    the significance is read from that column of ``first``'s row."""
    label, column = header(table, label), header(table, column)
    a = figure(table, label, first, column, unit, where)
    b = figure(table, label, second, column, unit, where)
    if a is None or b is None:
        return None
    if flag:
        significant = bool(cell(table, label, first, flag, where))
    return Gap(
        label, column, first, second, a, b, significant, more, less, flag, words, context,
        where=dict(where or {}),
    )  # fmt: skip


def total(
    table: pl.DataFrame,
    label: str,
    column: str,
    unit: Unit,
    parts: Sequence[str],
    subject: str,
    predicate: str,
    *,
    phrase: str = "of",
) -> Total | None:
    """The sum of the rows ``parts`` (None when any shows no value)."""
    label, column = header(table, label), header(table, column)
    found = [(p, figure(table, label, p, column, unit)) for p in parts]
    if any(f is None for _, f in found):
        return None
    return Total(
        label, column, tuple((p, f) for p, f in found if f is not None), subject, predicate,
        phrase=phrase,
    )  # fmt: skip


def row_total(
    table: pl.DataFrame,
    label: str,
    row: str,
    columns: Sequence[str],
    unit: Unit,
    subject: str,
    predicate: str,
) -> Total | None:
    """The sum of ``columns`` in the row ``row`` of a wide table (None when any is empty)."""
    label = header(table, label)
    columns = [header(table, c) for c in columns]
    found = [(c, figure(table, label, row, c, unit)) for c in columns]
    if any(f is None for _, f in found):
        return None
    parts = tuple((c, f) for c, f in found if f is not None)
    return Total(label, columns[0], parts, subject, predicate, row)


def rank(
    table: pl.DataFrame,
    label: str,
    column: str,
    unit: Unit | None,
    subject: str,
    noun: str,
    phrase: str = "ranks",
    where: Mapping[str, str] | None = None,
) -> Rank | None:
    """``subject``'s place among the rows showing ``column`` (those ``where`` picks; 1 =
    highest, rows level with it share its place): ranked as their labels show them, the
    figure said, with a ``unit``; without one on their exact values, as a league's positions
    are (no figure said)."""
    label, column = header(table, label), header(table, column)
    rows = reportable(narrowed(table, where), column)
    mine = figure(rows, label, subject, column, unit or "score")
    if mine is None:
        return None
    values = rows[column].to_list()
    shown = [rounded(v, unit) for v in values] if unit else [float(v) for v in values]
    me = mine.shown if unit else mine.value
    above = sum(1 for v in shown if v > me)
    level = sum(1 for v in shown if v == me)
    return Rank(
        label, column, subject, above + 1, len(shown), level > 1, noun,
        mine if unit else None, phrase, where=dict(where or {}),
    )  # fmt: skip


def spread(
    table: pl.DataFrame, label: str, column: str, unit: Unit, by: str, noun: str
) -> Spread | None:
    """The group(s) of ``by`` whose rows lie furthest apart on ``column`` as shown (groups of
    two or more rows), with the first group's highest and lowest rows; None without one."""
    label, column, by = header(table, label), header(table, column), header(table, by)
    rows = reportable(table, column)
    if rows.is_empty():
        return None
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows.iter_rows(named=True):
        groups.setdefault(str(r[by]), []).append(r)
    widths = {
        g: max(rounded(r[column], unit) for r in rs) - min(rounded(r[column], unit) for r in rs)
        for g, rs in groups.items()
        if len(rs) >= 2
    }
    if not widths:
        return None
    widest = max(widths.values())
    named = tuple(g for g, w in widths.items() if w == widest)
    part = rows.filter(pl.col(by).cast(pl.String) == named[0])
    high_value, high = _tied(part, label, column, unit, lowest=False)
    low_value, low = _tied(part, label, column, unit, lowest=True)
    return Spread(
        label, column, by, named, high, low, Figure(high_value, unit), Figure(low_value, unit),
        noun,
    )  # fmt: skip


def span(
    table: pl.DataFrame,
    label: str,
    subjects: Sequence[str],
    low: str,
    high: str,
    unit: Unit,
) -> Range | None:
    """The first subject's figures in ``low`` and ``high``, and the other subjects that show
    the same two (None when the first shows none)."""
    label = header(table, label)
    low, high = header(table, low), header(table, high)
    first = [figure(table, label, subjects[0], c, unit) for c in (low, high)] if subjects else []
    if not first or first[0] is None or first[1] is None:
        return None
    a, b = first[0], first[1]
    same = tuple(
        s
        for s in subjects
        if (x := figure(table, label, s, low, unit)) is not None
        and (y := figure(table, label, s, high, unit)) is not None
        and (x.shown, y.shown) == (a.shown, b.shown)
    )
    return Range(label, low, same, high, a, b, len(same) < len(subjects))


def statement(key: str, **values: str) -> Statement:
    """A sentence without numbers, by its key."""
    return Statement("", "", key, dict(values))


def change(
    table: pl.DataFrame,
    label: str,
    column: str,
    unit: Unit,
    subject: str,
    start: str,
    end: str,
    *,
    significant: bool | None = True,
    wave: str = "wave",
    phrase: str = "moved",
    level: str = "",
    flag: str = "",
    name: str = "",
    where: Mapping[str, str] | None = None,
) -> Change | None:
    """``subject``'s move from wave ``start`` to ``end`` as the table shows it (among the rows
    ``where`` picks; None when either wave shows no value). The significance is checked on the
    table's ``flag`` column, by default its significant-change column when it has one."""
    label, column, wave = header(table, label), header(table, column), header(table, wave)
    changed = header(table, CHANGED)
    flag = header(table, flag) or (changed if changed in table.columns else "")
    part = narrowed(table, where)
    before = figure(part, label, subject, column, unit, {wave: start})
    after = figure(part, label, subject, column, unit, {wave: end})
    if before is None or after is None:
        return None
    return Change(
        label, column, subject, before, after, start, end, significant, wave, phrase, level,
        flag, name, where=dict(where or {}),
    )  # fmt: skip


def steady(
    table: pl.DataFrame,
    label: str,
    column: str,
    subjects: Sequence[str],
    start: str,
    end: str,
    noun: str = "",
) -> Steady:
    """None of ``subjects`` changed significantly from ``start`` to ``end`` (``noun``: counted
    as these rows, not named)."""
    return Steady(header(table, label), header(table, column), tuple(subjects), start, end, noun)


def tally(
    table: pl.DataFrame,
    label: str,
    column: str,
    value: str = "True",
    *,
    noun: str = "",
    phrase: str = "tally",
    where: Mapping[str, str] | None = None,
    named: bool = False,
    values: Mapping[str, str] | None = None,
) -> Tally:
    """How many rows (those ``where`` picks) read ``value`` in ``column`` (as a cell reads:
    ``True``, ``yes``, ``top quartile``), of those showing a value there; with ``named``,
    which."""
    label, column = header(table, label), header(table, column)
    rows = narrowed(table, where)
    shown = rows.filter(pl.col(column).is_not_null()) if column in rows.columns else rows.clear()
    hits = tuple(str(r[label]) for r in shown.iter_rows(named=True) if str(r[column]) == value)
    return Tally(
        label, column, value, len(hits), shown.height, rows.height - shown.height,
        hits if named else (), noun, phrase, dict(values or {}), where=dict(where or {}),
    )  # fmt: skip


def distinct(
    table: pl.DataFrame,
    column: str,
    *,
    phrase: str,
    where: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
) -> Distinct:
    """How many distinct values ``column`` shows (among the rows ``where`` picks)."""
    column = header(table, column)
    rows = reportable(narrowed(table, where), column)
    found = rows[column].n_unique() if rows.height else 0
    return Distinct(column, column, found, phrase, dict(values or {}), where=dict(where or {}))
