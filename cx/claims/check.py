"""Is a claim true of its chart's table? Each check reads the table people see (its human
columns) and says what is wrong, in words; an empty list means the claim holds.

The checks do not reuse the constructors of :mod:`cx.claims.model`: they read the rows
afresh, so a claim built from the wrong rows, the wrong sign, an unsupported significance or a
number rounded differently from the labels fails.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from cx.claims.model import (
    Change,
    Claim,
    Contrast,
    Count,
    Distinct,
    Figure,
    Gap,
    Matches,
    Rank,
    Statement,
    Steady,
    Strongest,
    Tally,
    Top,
    Total,
    Versus,
    rounded,
    within,
)

HIDDEN = "n too small"


def _rows(table: pl.DataFrame, column: str) -> list[dict[str, Any]]:
    """The rows that show a value of ``column``."""
    if column not in table.columns:
        return []
    out = []
    for row in table.iter_rows(named=True):
        value = row[column]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if row.get(HIDDEN):
            continue
        out.append(row)
    return out


def _value_of(
    table: pl.DataFrame, label: str, subject: str, column: str, extra: dict[str, str] | None = None
) -> float | None:
    for row in _rows(table, column):
        if str(row[label]) == subject and all(
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


def _top(c: Top, table: pl.DataFrame) -> list[str]:
    rows = _rows(table, c.column)
    if not rows:
        return ["a top row is claimed but no row shows a value"]
    shown = [rounded(float(r[c.column]), c.figure.unit) for r in rows]
    best = min(shown) if c.lowest else max(shown)
    expected = sorted(str(r[c.label]) for r, s in zip(rows, shown, strict=True) if s == best)
    problems = []
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
    rows = [r for r in table.iter_rows(named=True) if not r.get(HIDDEN) and r[c.column] is not None]
    hits = [
        r
        for r in rows
        if r[c.flag] and ((r[c.column] or 0) > 0 if c.side == "above" else (r[c.column] or 0) < 0)
    ]
    if len(hits) != c.count:
        problems.append(f"{len(hits)} rows are significantly {c.side}, the claim says {c.count}")
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
    if c.flag:
        ends = [
            r
            for r in table.iter_rows(named=True)
            if str(r.get(c.label)) == c.subject and str(r.get(c.wave)) == c.end
        ]
        if c.flag not in table.columns or not ends:
            problems.append(f"no {c.flag!r} of {c.subject} in {c.end} to support the claim")
        elif bool(ends[0][c.flag]) != bool(c.significant):
            problems.append(f"the table says significant={bool(ends[0][c.flag])} for {c.subject}")
    elif c.significant:
        problems.append("a significant change is claimed without the table's flag")
    return problems


def _steady(c: Steady, table: pl.DataFrame) -> list[str]:
    if "Significant change" not in table.columns:
        return []
    moved = {str(r[c.label]) for r in table.iter_rows(named=True) if r.get("Significant change")}
    wrong = sorted(moved & set(c.subjects))
    return [f"{wrong} changed significantly"] if wrong else []


def _gap(c: Gap, table: pl.DataFrame) -> list[str]:
    a = _value_of(table, c.label, c.first, c.column)
    b = _value_of(table, c.label, c.second, c.column)
    problems = _same(c.first_figure, a, c.first) + _same(c.second_figure, b, c.second)
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
    above = sum(1 for r in rows if float(r[c.column]) > mine)
    level = sum(1 for r in rows if float(r[c.column]) == mine)
    problems = []
    if above + 1 != c.rank:
        problems.append(f"{c.subject} is placed {above + 1}, the claim says {c.rank}")
    if (level > 1) != c.tied:
        problems.append("the tie is not as claimed")
    if len(rows) != c.total:
        problems.append(f"{len(rows)} rows are ranked, the claim says {c.total}")
    return problems


def _statement(c: Statement, table: pl.DataFrame) -> list[str]:
    return []


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


def _flagged(table: pl.DataFrame, column: str, flag: str) -> list[dict[str, Any]]:
    return [r for r in _rows(table, column) if r.get(flag)]


def _tally(c: Tally, table: pl.DataFrame) -> list[str]:
    missing = [x for x in (c.flag, c.column, c.base or c.column) if x not in table.columns]
    if missing:
        return [f"the table has no {missing[0]!r} column to support the tally"]
    total = len(_rows(table, c.base or c.column))
    hits = [r for r in _flagged(table, c.base or c.column, c.flag) if r[c.column] is not None]
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
    rows = _flagged(table, c.column, c.flag)
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


def _matches(c: Matches, table: pl.DataFrame) -> list[str]:
    rows = [r for r in table.iter_rows(named=True) if r.get(c.column) is not None]
    hits = sum(1 for r in rows if str(r[c.column]) == c.value)
    problems = []
    if hits != c.count:
        problems.append(f"{hits} rows have {c.value!r}, the claim says {c.count}")
    if len(rows) != c.total:
        problems.append(f"{len(rows)} rows show {c.column!r}, the claim says {c.total}")
    return problems


def _distinct(c: Distinct, table: pl.DataFrame) -> list[str]:
    found = {str(r[c.column]) for r in table.iter_rows(named=True) if r.get(c.column) is not None}
    return (
        [] if len(found) == c.count else [f"{len(found)} distinct values, the claim says {c.count}"]
    )


_CHECKS = {
    Top: _top,
    Count: _count,
    Change: _change,
    Steady: _steady,
    Gap: _gap,
    Total: _total,
    Versus: _versus,
    Rank: _rank,
    Statement: _statement,
    Contrast: _contrast,
    Tally: _tally,
    Strongest: _strongest,
    Matches: _matches,
    Distinct: _distinct,
}


def problems(claim: Claim, table: pl.DataFrame) -> list[str]:
    """What is wrong with ``claim`` as a statement about ``table`` (empty: it holds); a claim
    with ``where`` is checked on those rows."""
    missing = [column for column, _ in claim.where if column not in table.columns]
    if missing:
        return [f"the table has no {missing[0]!r} column the claim is about"]
    check = _CHECKS[type(claim)]
    return check(claim, within(table, claim.where))  # type: ignore[operator]
