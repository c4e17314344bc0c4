"""Compare results across sources and engines: report results field by field (frames and
numbers to 1e-9, the rest equal), served tables row by row, over the same selections."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path
from typing import Any

import polars as pl
from polars.testing import assert_frame_equal

from cx.core.selection import Selection
from cx.data import connect

#: The page views compared between sources (a DuckDB file, a Parquet folder, Spark's cells).
SELECTIONS = [
    Selection(),
    Selection(countries=("DE", "US"), industries=("Automakers",)),
    Selection(waves=("2024Q4",), channels=("direct",)),
]


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    keys = [c for c, t in frame.schema.items() if t == pl.String][:4] or frame.columns[:1]
    return frame.sort(keys, nulls_last=True) if keys else frame


def assert_same(a: Any, b: Any, path: str = "result") -> None:
    """Raise AssertionError naming the first field where ``a`` and ``b`` differ."""
    if isinstance(a, pl.DataFrame):
        assert isinstance(b, pl.DataFrame), path
        assert set(a.columns) == set(b.columns), path
        if a.width:
            assert_frame_equal(
                _sorted(b.select(a.columns)),
                _sorted(a),
                check_exact=False,
                rel_tol=1e-9,
                abs_tol=1e-9,
            )
        else:
            assert b.height == a.height, path
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        for field in dataclasses.fields(a):
            assert_same(getattr(a, field.name), getattr(b, field.name), f"{path}.{field.name}")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            assert_same(a[key], b[key], f"{path}[{key!r}]")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and not isinstance(a, bool):
        assert isinstance(b, float | int), path
        assert (math.isnan(a) and math.isnan(b)) or math.isclose(
            a, b, rel_tol=1e-9, abs_tol=1e-9
        ), (path, a, b)
    else:
        assert a == b, (path, a, b)


def served(folder: Path) -> Path:
    """The version folder a published folder serves (the one its manifest names)."""
    return Path(connect.served_root(str(folder), connect.read_manifest(str(folder))))


def read_table(root: Path, table: str) -> pl.DataFrame:
    """A served table of a Parquet folder, as the dashboard reads it."""
    con = connect.connect_source(f"parquet:{root}")
    try:
        return con.sql(f"select * from {table}").pl()  # noqa: S608
    finally:
        con.close()


def assert_same_table(a: pl.DataFrame, b: pl.DataFrame) -> None:
    """Same columns and types, same rows in any order, numbers to 1e-9."""
    assert a.schema == b.select(a.columns).schema
    assert set(a.columns) == set(b.columns)
    # exact columns (text, dates, integers such as the driver cells' stage_mask) order the rows
    keys = [c for c, t in a.schema.items() if t in (pl.String, pl.Datetime) or t.is_integer()]
    keys = keys or a.columns
    assert_frame_equal(
        a.sort(keys, nulls_last=True),
        b.select(a.columns).sort(keys, nulls_last=True),
        check_exact=False,
        rel_tol=1e-9,
        abs_tol=1e-9,
    )


def close(a: Any, b: Any) -> bool:
    """Equal JSON-like values (figures as ``to_json`` gives them), floats to 1e-12 relative: a
    sum DuckDB or Polars adds on several threads may differ in its last digit."""
    if isinstance(a, float) or isinstance(b, float):
        return (
            isinstance(a, int | float)
            and isinstance(b, int | float)
            and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)
        )
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(close, a, b))
    return bool(a == b)
