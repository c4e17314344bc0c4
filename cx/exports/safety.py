"""The one formula neutraliser every export path goes through (CSV, Excel, the workbooks
embedded in PowerPoint charts, the command line's CSV).

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return would be run
as a formula by a spreadsheet (``=cmd|' /C calc'!A0``, ``=HYPERLINK(...)``); such text gets a
leading apostrophe, which spreadsheets show as text; a workbook written here stores such text as
text with Excel's quote prefix instead (the apostrophe shown as a character in every key figure
with a minus sign). Numbers stay numbers.
"""

from __future__ import annotations

from typing import Any

import polars as pl

#: First characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def formula_like(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` typed into a cell for a formula."""
    return text.startswith(FORMULA_PREFIXES)


def cell_text(value: Any) -> str:
    """A text cell that no spreadsheet runs as a formula (a leading apostrophe: what a CSV can
    carry; a workbook of our own marks the cell as text instead, :mod:`cx.exports.workbook`)."""
    text = "" if value is None else str(value)
    return "'" + text if formula_like(text) else text


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells that a spreadsheet would run as formulas with an apostrophe.

    Only text columns change (categorical ones become plain text); numbers (including
    negative ones) stay numbers. Column names are neutralised too (they become the header row).
    """
    text_cols = [
        c
        for c, t in frame.schema.items()
        if t == pl.String or isinstance(t, pl.Categorical | pl.Enum)
    ]
    out = frame.with_columns(
        pl.col(c).cast(pl.String) for c in text_cols if frame[c].dtype != pl.String
    )
    if text_cols:
        out = out.with_columns(
            pl.when(pl.any_horizontal(pl.col(c).str.starts_with(p) for p in FORMULA_PREFIXES))
            .then(pl.lit("'") + pl.col(c))
            .otherwise(pl.col(c))
            .alias(c)
            for c in text_cols
        )
    renames = {c: cell_text(c) for c in out.columns if cell_text(c) != c}
    return out.rename(renames) if renames else out


def safe_csv(frame: pl.DataFrame) -> bytes:
    """CSV bytes (UTF-8 with BOM so Excel reads accents) with formulas neutralised."""
    return b"\xef\xbb\xbf" + neutralise_formulas(frame).write_csv().encode("utf-8")


def safe_csv_text(frame: pl.DataFrame) -> str:
    """CSV text without a BOM (the command line's standard output), formulas neutralised."""
    return neutralise_formulas(frame).write_csv()
