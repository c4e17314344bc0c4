"""Claims about changes between two waves: a cell that moved (:class:`Shift`), how many cells
of a family carry a flag (:class:`Flagged`) and a control chart's point against its limits
(:class:`Control`); the What changed page and the digest word them. See :mod:`cx.claims.model`
for the other kinds and what every claim has."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from cx.claims.figure import Figure, Unit
from cx.claims.model import Claim, _missing
from cx.core import display


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
class Flagged(Claim):
    """How many rows of a table carry a flag (changed significantly, beyond control limits), of
    the rows tested; ``phrase`` picks the wording (:data:`cx.claims.wording.FLAGGED`).

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
    label, before_column, after_column, flag = (
        display.column_in(table.columns, c) for c in (label, before_column, after_column, flag)
    )
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


def flagged(
    table: pl.DataFrame,
    label: str,
    flag: str,
    noun: str,
    singular: str,
    start: str,
    end: str,
    phrase: str = "changed",
) -> Flagged:
    """How many rows of ``table`` (rows shown, not suppressed) carry ``flag``."""
    label, flag = display.column_in(table.columns, label), display.column_in(table.columns, flag)
    hidden = display.column_in(table.columns, display.TOO_SMALL)
    rows = table.filter(~pl.col(hidden).fill_null(False)) if hidden in table.columns else table
    count_ = int(rows[flag].fill_null(False).sum()) if rows.height else 0
    return Flagged(label, flag, count_, rows.height, noun, singular, start, end, phrase)
