"""Reshaping the small tables of a page without planning a query.

A Polars frame operation (``filter``, ``with_columns``, ``drop``, ``join``) plans and runs a
query, which costs 0.05-0.4 ms however few its rows; a page of sums makes dozens of them on
tables of tens or hundreds of rows, and they were most of a page's time after its reads. The
helpers here put frames together from their columns (``pl.DataFrame`` of ``pl.Series``,
``slice``), which costs a tenth of that. Use them where a page's table is reshaped in a loop;
anything else reads better as the plain frame operation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt
import polars as pl


def appended(
    frame: pl.DataFrame, added: Iterable[pl.Series], dropped: Iterable[str] = ()
) -> pl.DataFrame:
    """``frame`` without the ``dropped`` columns and with ``added``, as
    ``frame.drop(dropped).with_columns(added)`` gives it: a column of the same name is replaced
    where it stands, the others go at the end in their order."""
    new = {s.name: s for s in added}
    gone = set(dropped)
    kept = [new.pop(c.name, c) for c in frame.get_columns() if c.name not in gone]
    if not kept and not new:  # no column left: a frame of its height (rows of nothing)
        return frame.drop(list(gone))
    return pl.DataFrame([*kept, *new.values()])


def columns(frame: pl.DataFrame, names: Mapping[str, str] | Iterable[str]) -> pl.DataFrame:
    """The columns ``names`` of ``frame`` in that order (``frame.select(names)``); a mapping
    renames each to its value (``frame.select(pl.col(k).alias(v) for k, v in names.items())``)."""
    pairs = names.items() if isinstance(names, Mapping) else ((k, k) for k in names)
    return pl.DataFrame([frame.get_column(k).alias(v) for k, v in pairs])


def kept(frame: pl.DataFrame, mask: npt.ArrayLike) -> pl.DataFrame:
    """The rows of ``frame`` where the boolean ``mask`` is true (``frame.filter(mask)``)."""
    rows = pl.Series(np.asarray(mask, dtype=bool))
    return pl.DataFrame([c.filter(rows) for c in frame.get_columns()], schema=frame.schema)


def present(column: pl.Series) -> npt.NDArray[np.bool_]:
    """Where ``column`` has a value: not null, and not NaN (``is_not_null() & is_not_nan()``)."""
    values = column.to_numpy()
    if values.dtype.kind == "f":  # nulls come out as NaN
        return ~np.isnan(values)
    if values.dtype.kind == "O":
        return np.fromiter((v is not None for v in values), bool, len(values))
    return np.ones(len(values), dtype=bool)


def numbers(column: pl.Series) -> npt.NDArray[np.float64]:
    """A numeric column as floats, null as NaN (``cast(Float64).fill_null(nan).to_numpy()``)."""
    values = column if column.dtype == pl.Float64 else column.cast(pl.Float64)
    return np.asarray(values.to_numpy(), dtype=np.float64)


def true(column: pl.Series) -> npt.NDArray[np.bool_]:
    """Where a boolean ``column`` is true; null is not (``fill_null(False)``)."""
    values = column.to_numpy()
    if values.dtype.kind == "O":  # a boolean column with nulls
        return np.fromiter((v is True for v in values), bool, len(values))
    return values.astype(bool)


def runs(frame: pl.DataFrame, keys: list[str]) -> dict[tuple[object, ...], pl.DataFrame]:
    """The rows of ``frame`` per value of ``keys``, for a frame sorted (or grouped) by them:
    each value's rows are one run, returned as a slice of ``frame`` in order, as
    ``frame.filter(key == value)`` would give them.

    Raises:
        ValueError: a value of the keys comes in two runs (the frame is not grouped by them).
    """
    values = list(zip(*(frame.get_column(k).to_list() for k in keys), strict=True))
    out: dict[tuple[object, ...], pl.DataFrame] = {}
    start = 0
    for i in range(1, len(values) + 1):
        if i == len(values) or values[i] != values[start]:
            if values[start] in out:
                raise ValueError(f"rows of {values[start]!r} are not together")
            out[values[start]] = frame.slice(start, i - start)
            start = i
    return out
