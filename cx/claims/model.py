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
from typing import Any

import polars as pl

from cx.claims import wording
from cx.claims.figure import Figure, Unit, rounded, told_apart
from cx.claims.kinds import (
    Change as Change,
)
from cx.claims.kinds import (  # the kinds, made here from tables
    Claim as Claim,
)
from cx.claims.kinds import (
    Distinct as Distinct,
)
from cx.claims.kinds import (
    Gap as Gap,
)
from cx.claims.kinds import (
    Range as Range,
)
from cx.claims.kinds import (
    Rank as Rank,
)
from cx.claims.kinds import (
    Spread as Spread,
)
from cx.claims.kinds import (
    Statement as Statement,
)
from cx.claims.kinds import (
    Steady as Steady,
)
from cx.claims.kinds import (
    Tally as Tally,
)
from cx.claims.kinds import (
    Top as Top,
)
from cx.claims.kinds import (
    Total as Total,
)
from cx.claims.kinds import (
    Value as Value,
)
from cx.claims.kinds import (
    Versus as Versus,
)
from cx.core import display
from cx.metrics import frames

#: The trend tables' column of a significant change (since the first wave, or between halves),
#: in English: :func:`header` finds the table's name for it in the language.
CHANGED = display.COLUMN_NAMES["wave_change_significant"]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


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


def _within(
    rows: pl.DataFrame, label: str, column: str, unit: Unit, lowest: bool, margin: tuple[str, str]
) -> tuple[float, tuple[str, ...], float]:
    """The extreme value of ``column``, the rows it cannot be told apart from (reading the same
    once rounded, or not told apart by the two rows' whiskers), the extreme first, and the other end
    of their values."""
    values = rows[column].to_list()
    low, high = rows[margin[0]].to_list(), rows[margin[1]].to_list()
    at = values.index(min(values) if lowest else max(values))
    best, shown = values[at], rounded(values[at], unit)

    def close(i: int) -> bool:
        return not told_apart(values[i], low[i], high[i], best, low[at], high[at])

    named = [i for i in range(len(values)) if rounded(values[i], unit) == shown or close(i)]
    # the extreme first, rows reading the same in the table's order (a journey's)
    named.sort(key=lambda i: (rounded(values[i], unit) * (1 if lowest else -1), i))
    labels = rows[label].to_list()
    other = values[named[-1]]
    return best, tuple(str(labels[i]) for i in named), other


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
    margin: tuple[str, str] | None = None,
) -> Top | None:
    """The top (or bottom) row(s) of ``column`` (among the rows ``where`` picks); None when no
    row shows a value. With ``margin`` (interval columns), the rows the top row's interval
    cannot tell from it are named with it (:class:`Top`)."""
    label, column = header(table, label), header(table, column)
    rows = reportable(narrowed(table, where), column)
    if rows.is_empty():
        return None
    upto = None
    if margin is not None:
        margin = (header(table, margin[0]), header(table, margin[1]))
        margin = margin if all(m in table.columns for m in margin) else None  # none drawn
    if margin is not None:
        best, subjects, other = _within(rows, label, column, unit, lowest, margin)
        upto = Figure(other, unit) if rounded(other, unit) != rounded(best, unit) else None
    else:
        best, subjects = _tied(rows, label, column, unit, lowest)
    if rows.height == 1:  # one row leads nothing: it is said as the one there is
        phrase = wording.ALONE.get(phrase, phrase)
    elif margin is not None and len(subjects) == rows.height:  # none told from the top
        phrase = wording.NONE_CLEAR.get(phrase, phrase)
    return Top(
        label, column, subjects, Figure(best, unit), lowest, phrase, noun, scope, margin, upto,
        where=dict(where or {}),
    )  # fmt: skip


def shared(top_claim: Top | None, bottom: Top | None) -> bool:
    """Whether a top and a bottom claim name a row in common: their whiskers tell the row from
    neither end, so a chart says the one end only (a stage close to both ends was named the
    weakest and the strongest; an industry the highest and the lowest)."""
    if top_claim is None or bottom is None:
        return False
    return bool(set(top_claim.subjects) & set(bottom.subjects))


def level(
    table: pl.DataFrame,
    label: str,
    column: str,
    unit: Unit,
    margin: tuple[str, str],
    *,
    noun: str = "",
    scope: str = "",
) -> Top | None:
    """Every row, when none is clearly the top or the bottom: the lowest and the highest rows'
    whiskers cannot tell them apart (:func:`cx.claims.figure.told_apart`). Phrase ``level``: the figures from the lowest to the highest.
    None when the two stand apart, or fewer than two rows show a value."""
    label, column = header(table, label), header(table, column)
    rows = reportable(table, column)
    if rows.height < 2:
        return None
    low, high = header(table, margin[0]), header(table, margin[1])
    values = rows[column].to_list()
    at_low, at_high = values.index(min(values)), values.index(max(values))
    first = (values[at_low], rows[low][at_low], rows[high][at_low])
    last = (values[at_high], rows[low][at_high], rows[high][at_high])
    if any(_missing(v) for v in (*first, *last)) or told_apart(*first, *last):
        return None
    lowest, highest = Figure(values[at_low], unit), Figure(values[at_high], unit)
    return Top(
        label, column, tuple(str(v) for v in rows[label].to_list()), lowest, True, "level",
        noun, scope, (low, high), highest if highest.shown != lowest.shown else None,
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
