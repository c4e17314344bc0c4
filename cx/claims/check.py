"""Is a claim true of its chart's table? Each check reads the table people see (its human
columns) and says what is wrong, in words; an empty list means the claim holds.

The checks do not reuse the constructors of :mod:`cx.claims.model`: they read the rows
afresh, so a claim built from the wrong rows, the wrong sign, an unsupported significance or a
number rounded differently from the labels fails.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import polars as pl

from cx.claims import wording
from cx.claims.changes import Control, Flagged, Shift
from cx.claims.contrasts import Contrast, Count, Sides, Strongest
from cx.claims.figure import Figure, rounded, told_apart
from cx.claims.model import (
    CHANGED,
    Change,
    Claim,
    Distinct,
    Gap,
    Range,
    Rank,
    Spread,
    Statement,
    Steady,
    Tally,
    Top,
    Total,
    Value,
    Versus,
)
from cx.core import display

#: The column of suppressed rows and the wave column of a trend table, in English: a table
#: made in another language names them in it (:func:`_named`).
HIDDEN = display.TOO_SMALL
WAVE = display.COLUMN_NAMES["wave"]


def _named(table: pl.DataFrame, column: str) -> str:
    """The table's name for one of the columns above (or :data:`CHANGED`)."""
    return display.column_in(table.columns, column)


def _rows(table: pl.DataFrame, column: str) -> list[dict[str, Any]]:
    """The rows that show a value of ``column``."""
    if column not in table.columns:
        return []
    hidden = _named(table, HIDDEN)
    out = []
    for row in table.iter_rows(named=True):
        value = row[column]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if row.get(hidden):
            continue
        out.append(row)
    return out


def _narrowed(table: pl.DataFrame, where: Mapping[str, str]) -> pl.DataFrame:
    """The rows whose ``where`` columns read the given values, read afresh (``str`` of each
    cell, as the claims name them)."""
    if not where or table.is_empty():
        return table
    keep = [all(str(r[k]) == v for k, v in where.items()) for r in table.iter_rows(named=True)]
    return table.filter(pl.Series(keep, dtype=pl.Boolean))


def _value_of(
    table: pl.DataFrame, label: str, subject: str, column: str, extra: dict[str, str] | None = None
) -> float | None:
    """The value of ``subject``'s row (``label`` "": the table is one series) where the
    ``extra`` columns hold the given values."""
    for row in _rows(table, column):
        if (not label or str(row[label]) == subject) and all(
            str(row.get(k)) == v for k, v in (extra or {}).items()
        ):
            return float(row[column])
    return None


def _same(figure: Figure, value: float | None, what: str) -> list[str]:
    if value is None:
        return [f"{what}: not in the table"]
    if rounded(value, figure.unit) != figure.shown:
        return [f"{what}: the claim shows {figure.shown}, the table {rounded(value, figure.unit)}"]
    return []


def _apart(rows: list[dict[str, Any]], c: Top, lowest: bool) -> list[dict[str, Any]]:
    """The rows the extreme row's interval (``c.margin``) cannot tell from it: an interval
    over its own, or the same figure once rounded."""
    low, high = c.margin or ("", "")
    unit = c.figure.unit
    value = lambda r: float(r[c.column])  # noqa: E731
    extreme = min(rows, key=value) if lowest else max(rows, key=value)  # the first of equals
    at = rounded(float(extreme[c.column]), unit)

    def close(r: dict[str, Any]) -> bool:
        mine, theirs = (
            (r[c.column], r.get(low), r.get(high)),
            (extreme[c.column], extreme.get(low), extreme.get(high)),
        )
        return not told_apart(*mine, *theirs)

    return [r for r in rows if rounded(float(r[c.column]), unit) == at or close(r)]


def _level(c: Top, rows: list[dict[str, Any]]) -> list[str]:
    """No row clearly the top or the bottom: the top row is within the bottom row's interval
    (:func:`_apart`): their whiskers cannot tell them apart."""
    highest = max(rows, key=lambda r: float(r[c.column]))  # the first of equals, as made
    top = {id(r) for r in _apart(rows, c, True)}
    problems = [] if id(highest) in top else ["the top and the bottom rows' whiskers stand apart"]
    if sorted(c.subjects) != sorted(str(r[c.label]) for r in rows):
        problems.append(f"the claim names {sorted(c.subjects)}, not every row")
    return problems


def _top(c: Top, table: pl.DataFrame) -> list[str]:
    rows = _rows(table, c.column)
    if not rows:
        return ["a top row is claimed but no row shows a value"]
    if c.margin is not None and any(m not in table.columns for m in c.margin):
        return [f"the table has no {list(c.margin)} columns to support the claim"]
    shown = [rounded(float(r[c.column]), c.figure.unit) for r in rows]
    best = min(shown) if c.lowest else max(shown)
    expected = sorted(str(r[c.label]) for r, s in zip(rows, shown, strict=True) if s == best)
    problems = _level(c, rows) if c.phrase == "level" else []
    if c.margin is not None:
        named = _apart(rows, c, c.lowest)
        if c.phrase != "level":
            expected = sorted(str(r[c.label]) for r in named)
        else:
            named, expected = rows, sorted(c.subjects)
        if c.phrase in wording.NONE_CLEAR and len(named) == len(rows) > 1:
            problems.append("every row is named: the whiskers tell none from the top")
        ends = [rounded(float(r[c.column]), c.figure.unit) for r in named]
        other = max(ends) if c.lowest else min(ends)
        claimed = c.upto.shown if c.upto is not None else best
        if other != claimed:
            problems.append(f"the rows named reach {other}, the claim says {claimed}")
    if c.phrase in wording.ONE_ROW:  # "the only brand with enough responses" of one row only
        if len(rows) != 1:
            problems.append(f"the only row is claimed of {len(rows)} rows")
    elif len(rows) < 2 and c.phrase not in wording.ANY_ROWS:  # "X leads" of one row
        problems.append(f"a top of {len(rows)} row: there is nothing to lead")
    if sorted(c.subjects) != expected:
        problems.append(f"top rows are {expected}, the claim names {sorted(c.subjects)}")
    if c.figure.shown != best:
        problems.append(f"top value is {best}, the claim shows {c.figure.shown}")
    return problems


def _count(c: Count, table: pl.DataFrame) -> list[str]:
    problems = []
    for column in (c.flag, c.column):
        if column not in table.columns:
            problems.append(f"the table has no {column!r} column to support the count")
    if problems:
        return problems
    hidden = _named(table, HIDDEN)
    rows = [r for r in table.iter_rows(named=True) if not r.get(hidden) and r[c.column] is not None]
    sides = {
        "above": lambda v: v > 0,
        "below": lambda v: v < 0,
        "different": lambda v: v != 0,
    }
    hits = [r for r in rows if r[c.flag] and sides[c.side](r[c.column] or 0)]
    if len(hits) != c.count:
        problems.append(f"{len(hits)} rows are significantly {c.side}, the claim says {c.count}")
    if c.subjects and sorted(str(r[c.label]) for r in hits) != sorted(c.subjects):
        problems.append(f"the rows significantly {c.side} are not {list(c.subjects)}")
    if c.count and c.total < c.count:
        problems.append(f"the claim counts {c.count} of {c.total}")
    return problems


def _change(c: Change, table: pl.DataFrame) -> list[str]:
    before = _value_of(table, c.label, c.subject, c.column, {c.wave: c.start})
    after = _value_of(table, c.label, c.subject, c.column, {c.wave: c.end})
    problems = _same(c.before, before, f"{c.subject} in {c.start}") + _same(
        c.after, after, f"{c.subject} in {c.end}"
    )
    if (
        before is not None
        and after is not None
        and not problems
        and c.change.shown
        != rounded(rounded(after, c.after.unit) - rounded(before, c.before.unit), c.change.unit)
    ):
        problems.append("the change is not the difference of the labels")
    return problems + _change_flag(c, table)


def _change_flag(c: Change, table: pl.DataFrame) -> list[str]:
    """The significance claimed against the table's flag on the ``end`` row: the claim's
    ``flag``, else the table's significant-change column; a change claimed significant needs
    one, a change claimed without a test (None) is not read against it."""
    if c.significant is None:
        return []
    changed = _named(table, CHANGED)
    flag = c.flag or (changed if changed in table.columns else "")
    if not flag:
        return ["a significant change is claimed without the table's flag"] if c.significant else []
    ends = [
        bool(r[flag])
        for r in table.iter_rows(named=True)
        if flag in r
        and str(r.get(c.wave)) == c.end
        and (not c.label or str(r.get(c.label)) == c.subject)
    ]
    if not ends:
        return [f"no {flag!r} of {c.subject} in {c.end} to support the claim"]
    if ends[0] != c.significant:
        return [f"the table says significant={ends[0]} for {c.subject}, the claim {c.significant}"]
    return []


def _steady(c: Steady, table: pl.DataFrame) -> list[str]:
    problems = []
    wave, changed = _named(table, WAVE), _named(table, CHANGED)
    if wave in table.columns and c.column in table.columns:
        # each subject shows a figure in both waves the claim names
        for subject in c.subjects:
            shown = {str(r[wave]) for r in _rows(table, c.column) if str(r[c.label]) == subject}
            if not {c.start, c.end} <= shown:
                problems.append(f"{subject} shows no figure in {c.start} or {c.end}")
    if changed not in table.columns:
        return problems
    moved = {str(r[c.label]) for r in table.iter_rows(named=True) if r.get(changed)}
    wrong = sorted(moved & set(c.subjects))
    return problems + ([f"{wrong} changed significantly"] if wrong else [])


def _gap(c: Gap, table: pl.DataFrame) -> list[str]:
    a = _value_of(table, c.label, c.first, c.column)
    b = _value_of(table, c.label, c.second, c.column)
    problems = _same(c.first_figure, a, c.first) + _same(c.second_figure, b, c.second)
    if c.flag:
        flagged = [bool(r[c.flag]) for r in _rows(table, c.column) if str(r[c.label]) == c.first]
        if flagged != [bool(c.significant)]:
            problems.append(f"the table's {c.flag!r} says {flagged}, the claim {c.significant}")
    if (
        a is not None
        and b is not None
        and not problems
        and rounded(a, c.first_figure.unit) - rounded(b, c.second_figure.unit) != c.gap
    ):
        problems.append("the gap is not the difference of the labels")
    return problems


def _total(c: Total, table: pl.DataFrame) -> list[str]:
    problems: list[str] = []
    for part, fig in c.parts:
        if c.row:  # the parts are columns of one row
            problems += _same(fig, _value_of(table, c.label, c.row, part), f"{c.row}: {part}")
        else:
            problems += _same(fig, _value_of(table, c.label, part, c.column), part)
    return problems


def _versus(c: Versus, table: pl.DataFrame) -> list[str]:
    a = _value_of(table, c.label, c.first, c.column)
    b = _value_of(table, c.label, c.second, c.column)
    return _same(c.first_figure, a, c.first) + _same(c.second_figure, b, c.second)


def _rank(c: Rank, table: pl.DataFrame) -> list[str]:
    rows = _rows(table, c.column)
    mine = _value_of(table, c.label, c.subject, c.column)
    if mine is None:
        return [f"{c.subject} is not ranked in the table"]
    values = [float(r[c.column]) for r in rows]
    problems = []
    if c.figure is not None:  # ranked as the labels show the values
        problems += _same(c.figure, mine, c.subject)
        values = [rounded(v, c.figure.unit) for v in values]
        mine = rounded(mine, c.figure.unit)
    above = sum(1 for v in values if v > mine)
    level = sum(1 for v in values if v == mine)
    if above + 1 != c.rank:
        problems.append(f"{c.subject} is placed {above + 1}, the claim says {c.rank}")
    if (level > 1) != c.tied:
        problems.append("the tie is not as claimed")
    if len(rows) != c.total:
        problems.append(f"{len(rows)} rows are ranked, the claim says {c.total}")
    return problems


def _value(c: Value, table: pl.DataFrame) -> list[str]:
    return _same(c.figure, _value_of(table, c.label, c.subject, c.column), c.subject)


def _spread(c: Spread, table: pl.DataFrame) -> list[str]:
    unit = c.high_figure.unit
    groups: dict[str, list[tuple[str, float]]] = {}
    for r in _rows(table, c.column):
        groups.setdefault(str(r[c.by]), []).append((str(r[c.label]), rounded(r[c.column], unit)))
    widths = {
        g: max(v for _, v in rs) - min(v for _, v in rs) for g, rs in groups.items() if len(rs) > 1
    }
    if not widths or not c.groups:
        return ["a spread is claimed but no group has two rows"]
    widest = max(widths.values())
    problems = []
    expected = sorted(g for g, w in widths.items() if w == widest)
    if sorted(c.groups) != expected:
        problems.append(f"rows lie furthest apart in {expected}, the claim names {list(c.groups)}")
    rows = groups.get(c.groups[0], [])
    if rows:
        hi = max(v for _, v in rows)
        lo = min(v for _, v in rows)
        if sorted(c.high) != sorted(n for n, v in rows if v == hi) or c.high_figure.shown != hi:
            problems.append(f"the highest row of {c.groups[0]} is not as claimed")
        if sorted(c.low) != sorted(n for n, v in rows if v == lo) or c.low_figure.shown != lo:
            problems.append(f"the lowest row of {c.groups[0]} is not as claimed")
    return problems


def _range(c: Range, table: pl.DataFrame) -> list[str]:
    problems: list[str] = []
    for subject in c.subjects:
        problems += _same(c.low_figure, _value_of(table, c.label, subject, c.column), subject)
        problems += _same(c.high_figure, _value_of(table, c.label, subject, c.high), subject)
    return problems or ([] if c.subjects else ["a range of no row"])


def _tally(c: Tally, table: pl.DataFrame) -> list[str]:
    if c.column not in table.columns or c.label not in table.columns:
        return [f"the table has no {c.column!r} column to tally"]
    rows = list(table.iter_rows(named=True))
    shown = [r for r in rows if r[c.column] is not None]
    hits = [str(r[c.label]) for r in shown if str(r[c.column]) == c.value]
    problems = []
    if len(hits) != c.count:
        problems.append(f"{len(hits)} rows read {c.value!r}, the claim says {c.count}")
    if len(shown) != c.total:
        problems.append(f"{len(shown)} rows show a value, the claim says {c.total}")
    if len(rows) - len(shown) != c.unshown:
        problems.append(f"{len(rows) - len(shown)} rows show none, the claim says {c.unshown}")
    if c.subjects and sorted(hits) != sorted(c.subjects):
        problems.append(f"the rows reading {c.value!r} are {sorted(hits)}, not {list(c.subjects)}")
    return problems


def _distinct(c: Distinct, table: pl.DataFrame) -> list[str]:
    found = {str(r[c.column]) for r in _rows(table, c.column)}
    if len(found) != c.count:
        return [f"{len(found)} distinct values of {c.column!r}, the claim says {c.count}"]
    return []


def _statement(c: Statement, table: pl.DataFrame) -> list[str]:
    return []


_CHECKS = {
    Top: _top,
    Count: _count,
    Change: _change,
    Steady: _steady,
    Gap: _gap,
    Total: _total,
    Versus: _versus,
    Rank: _rank,
    Value: _value,
    Spread: _spread,
    Range: _range,
    Tally: _tally,
    Distinct: _distinct,
    Statement: _statement,
}


def problems(claim: Claim, table: pl.DataFrame) -> list[str]:
    """What is wrong with ``claim`` as a statement about ``table`` (empty: it holds); a claim
    about part of the table (``where``) is checked on those rows."""
    where = {_named(table, column): value for column, value in claim.where.items()}
    missing = [column for column in where if column not in table.columns]
    if missing:
        return [f"the table has no {missing[0]!r} column the claim is about"]
    check = _CHECKS[type(claim)]
    return check(claim, _narrowed(table, where))  # type: ignore[operator]


# ---- changes between two waves ----------------------------------------------------------------


def _row(table: pl.DataFrame, label: str, subject: str) -> dict[str, Any] | None:
    if label not in table.columns:
        return None
    hidden = _named(table, HIDDEN)
    for row in table.iter_rows(named=True):
        if str(row[label]) == subject and not row.get(hidden):
            return row
    return None


def _figure_of(row: dict[str, Any] | None, column: str) -> float | None:
    if row is None or column not in row:
        return None
    value = row[column]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def _shift(c: Shift, table: pl.DataFrame) -> list[str]:
    row = _row(table, c.label, c.subject)
    if row is None:
        return [f"{c.subject}: not in the table"]
    problems = _same(c.before, _figure_of(row, c.before_column), f"{c.subject} in {c.start}")
    problems += _same(c.after, _figure_of(row, c.after_column), f"{c.subject} in {c.end}")
    if bool(row.get(c.flag)) != c.significant:
        problems.append(f"{c.subject}: the table's {c.flag!r} is {bool(row.get(c.flag))}")
    return problems


def _flagged(c: Flagged, table: pl.DataFrame) -> list[str]:
    if c.column not in table.columns:
        return [f"the table has no {c.column!r} column to support the tally"]
    hidden = _named(table, HIDDEN)
    rows = [r for r in table.iter_rows(named=True) if not r.get(hidden)]
    flagged = sum(1 for r in rows if r[c.column])
    problems = []
    if flagged != c.count:
        problems.append(f"{flagged} rows are flagged {c.column!r}, the claim says {c.count}")
    if len(rows) != c.total:
        problems.append(f"{len(rows)} rows are tested, the claim says {c.total}")
    return problems


def _control(c: Control, table: pl.DataFrame) -> list[str]:
    row = _row(table, c.label, c.wave)
    if row is None:
        return [f"no row for {c.wave}"]
    problems = _same(c.figure, _figure_of(row, c.column), f"{c.subject} in {c.wave}")
    problems += _same(c.baseline, _figure_of(row, c.baseline_column), "the baseline")
    if bool(row.get(c.flag)) != c.beyond:
        problems.append(f"the table's {c.flag!r} is {bool(row.get(c.flag))}")
    return problems


_CHECKS.update({Shift: _shift, Flagged: _flagged, Control: _control})


# ---- differences a table tests (cx.claims.contrasts) -----------------------------------------


def _contrast(c: Contrast, table: pl.DataFrame) -> list[str]:
    rows = [r for r in _rows(table, c.column) if str(r[c.label]) == c.subject]
    if not rows:
        return [f"{c.subject} shows no {c.column!r} in the table"]
    row = rows[0]
    problems = _same(c.difference, float(row[c.column]), f"{c.subject}'s {c.column}")
    if c.significant is not None:
        if c.flag not in table.columns:
            problems.append(f"the table has no {c.flag!r} column to support the claim")
        elif bool(row[c.flag]) != c.significant:
            problems.append(f"the table says significant={bool(row[c.flag])} for {c.subject}")
    for quote in c.quotes:
        problems += _same(
            quote.figure, _value_of(table, c.label, quote.row, quote.column), quote.row
        )
    if c.extreme:
        shown = [rounded(float(r[c.column]), c.difference.unit) for r in _rows(table, c.column)]
        edge = min(shown) if c.extreme == "lowest" else max(shown)
        if c.difference.shown != edge:
            problems.append(f"the {c.extreme} {c.column} is {edge}, not {c.subject}'s")
    return problems


def _marked(table: pl.DataFrame, column: str, flag: str) -> list[dict[str, Any]]:
    """The rows showing ``column`` that the table flags significant."""
    return [r for r in _rows(table, column) if r.get(flag)]


def _sides(c: Sides, table: pl.DataFrame) -> list[str]:
    missing = [x for x in (c.flag, c.column, c.base or c.column) if x not in table.columns]
    if missing:
        return [f"the table has no {missing[0]!r} column to support the count"]
    total = len(_rows(table, c.base or c.column))
    hits = [r for r in _marked(table, c.base or c.column, c.flag) if r[c.column] is not None]
    above = sum(1 for r in hits if float(r[c.column]) > 0)
    below = sum(1 for r in hits if float(r[c.column]) < 0)
    problems = []
    if (above, below) != (c.above, c.below):
        problems.append(
            f"{above} rows are significantly above and {below} below, the claim says "
            f"{c.above} and {c.below}"
        )
    if total != c.total:
        problems.append(f"{total} rows show a value, the claim says {c.total}")
    return problems


def _strongest(c: Strongest, table: pl.DataFrame) -> list[str]:
    if c.flag not in table.columns:
        return [f"the table has no {c.flag!r} column to support the claim"]
    rows = _marked(table, c.column, c.flag)
    if not c.subjects:
        return [f"{len(rows)} rows are flagged, the claim says none"] if rows else []
    named = [r for r in rows if str(r[c.label]) in c.subjects]
    if {str(r[c.label]) for r in named} != set(c.subjects):
        return [f"not every one of {list(c.subjects)} is flagged significant"]
    weakest = min(abs(float(r[c.column])) for r in named)
    beyond = [
        str(r[c.label])
        for r in rows
        if str(r[c.label]) not in c.subjects and abs(float(r[c.column])) > weakest
    ]
    return [f"{beyond} are stronger than the rows named"] if beyond else []


_CHECKS.update({Contrast: _contrast, Sides: _sides, Strongest: _strongest})
