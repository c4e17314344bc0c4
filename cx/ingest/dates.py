"""Response dates: the format of a date column, decided once from all its values, and waves.

A file writes its dates one way. Whether ``03/04/2024`` is 3 April or 4 March is decided for
the whole column, never row by row: a first part above 12 (``13/04/2024``) settles day-first,
a second part above 12 settles month-first; when no value settles it the column is
*ambiguous* and the person is asked (the upload step's choice, ``--date-order`` on the command
line). Year-first dates (``2024-04-03``, ``2024/4/3``, ``2024年4月3日``) are never ambiguous.
Times after the date are ignored: a wave needs the day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from cx.core import i18n
from cx.core.i18n import N_, _, ngettext

#: Orders a date column can have: year-month-day, day-month-year, month-day-year.
ORDERS = {"ymd": N_("year first"), "dmy": N_("day first"), "mdy": N_("month first")}
#: Waves from dates: the period a wave spans, with how its label reads.
PERIODS = {
    "quarter": N_("quarters (2024Q1)"),
    "month": N_("months (2024-01)"),
    "half": N_("half-years (2024H1)"),
    "year": N_("years (2024)"),
}
DEFAULT_PERIOD = "quarter"

#: Year first: 2024-04-03, 2024/4/3, 2024.04.03, 2024年4月3日 (anything may follow: a time).
YEAR_FIRST = r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\D|$)"
#: Year last: 03/04/2024, 3.4.2024, 03-04-24 (day or month first: decided per column).
YEAR_LAST = r"^\s*(\d{1,2})\s*([-/.])\s*(\d{1,2})\s*[-/.]\s*(\d{4}|\d{2})(?:\D|$)"
#: Share of a column's answered cells that must read as dates for it to be taken as dates.
MIN_DATE_SHARE = 0.9


@dataclass(frozen=True)
class DateFormat:
    """How one column writes its dates.

    Attributes:
        order: ``ymd``, ``dmy`` or ``mdy``; None when the column is ambiguous and no one chose.
        how: the decision in words, for the report ("day first: '13/02/2024' has a day
            above 12"; "ambiguous: every first and second part is 12 or less").
        ambiguous: no value settled day-first against month-first.
        share: share of answered cells that read as dates in this format.
    """

    order: str | None
    how: str
    ambiguous: bool
    share: float

    def describe(self) -> str:
        """The format as the report states it."""
        return self.how


def _parts(values: pl.Series) -> pl.DataFrame:
    """The numeric parts of each value: ``first``/``second``/``year`` (year last) and
    ``y``/``m``/``d`` (year first); nulls where the shape does not match."""
    frame = values.to_frame("v")
    last = pl.col("v").str.extract_groups(YEAR_LAST)
    first = pl.col("v").str.extract_groups(YEAR_FIRST)
    return frame.select(
        pl.col("v"),
        last.struct.field("1").cast(pl.Int32, strict=False).alias("first"),
        last.struct.field("2").alias("sep"),
        last.struct.field("3").cast(pl.Int32, strict=False).alias("second"),
        last.struct.field("4").alias("year"),
        first.struct.field("1").cast(pl.Int32, strict=False).alias("y"),
    )


def decide(
    values: pl.Series, order: str | None = None, min_share: float = MIN_DATE_SHARE
) -> DateFormat | None:
    """The date format of a column, from all its distinct answered values.

    Args:
        values: the column's cells (text).
        order: the person's answer for an ambiguous column (``dmy`` or ``mdy``), used only
            when the values do not settle it.

        min_share: the share of answered values that must look like dates (a column mapped as
            the date by name or by hand needs only one; the others are left empty).

    Returns:
        The format, or None when fewer than ``min_share`` of the answered cells (or none)
        look like dates.
    """
    answered = values.drop_nulls().str.strip_chars()
    answered = answered.filter(answered != "").unique(maintain_order=True)
    if answered.is_empty():
        return None
    parts = _parts(answered)
    total = parts.height
    year_first = int(parts["y"].is_not_null().sum())
    year_last = parts.filter(pl.col("first").is_not_null())
    if year_first == year_last.height == 0:
        return None
    if year_first >= year_last.height:
        share = year_first / total
        if share < min_share:
            return None
        example = parts.filter(pl.col("y").is_not_null())["v"][0]
        return DateFormat(
            "ymd", _("year first ('{example}')").format(example=example), False, share
        )
    share = year_last.height / total
    if share < min_share:
        return None
    day_first = year_last.filter(pl.col("first") > 12)
    month_first = year_last.filter(pl.col("second") > 12)
    if day_first.height and not month_first.height:
        how = _("day first: '{example}' has a day above 12").format(example=day_first["v"][0])
        return DateFormat("dmy", how, False, share)
    if month_first.height and not day_first.height:
        how = _("month first: '{example}' has a day above 12").format(example=month_first["v"][0])
        return DateFormat("mdy", how, False, share)
    if day_first.height and month_first.height:
        # both settle: the column mixes formats; the one more values follow is the column's,
        # the others are left empty and counted
        dmy = day_first.height >= month_first.height
        example = (day_first if dmy else month_first)["v"][0]
        wrong = (month_first if dmy else day_first).height
        mixed = (  # English says "values" for one too, as it always has
            ngettext(
                "day first ('{example}'); {n} values are written the other way and are left empty",
                "day first ('{example}'); {n} values are written the other way and are left empty",
                wrong,
            )
            if dmy
            else ngettext(
                "month first ('{example}'); {n} values are written the other way and are left "
                "empty",
                "month first ('{example}'); {n} values are written the other way and are left "
                "empty",
                wrong,
            )
        )
        how = mixed.format(example=example, n=i18n.number(wrong))
        return DateFormat("dmy" if dmy else "mdy", how, False, share)
    if order in ("dmy", "mdy"):
        how = _("{order}, as chosen (no day above 12 settles it)").format(order=_(ORDERS[order]))
        return DateFormat(order, how, True, share)
    if year_last["sep"].eq(".").all():  # 03.04.2024 is written day first wherever dots are used
        return DateFormat(
            "dmy", _("day first: dates with dots are written day.month.year"), False, share
        )
    return DateFormat(
        None,
        _(
            "ambiguous: no value has a part above 12 ('{example}' could be either); say "
            "whether days or months come first"
        ).format(example=year_last["v"][0]),
        True,
        share,
    )


def looks_like_dates(values: pl.Series) -> bool:
    """Whether a column's answers are dates (of any order)."""
    sample = values.head(2000)
    return decide(sample) is not None


def _two_digit(year: pl.Expr) -> pl.Expr:
    """A year as written: two digits are 20xx up to next year, else 19xx."""
    y = year.cast(pl.Int32, strict=False)
    cutoff = dt.date.today().year % 100 + 1
    return (
        pl.when(year.str.len_chars() == 2)
        .then(pl.when(y <= cutoff).then(2000 + y).otherwise(1900 + y))
        .otherwise(y)
    )


def parse(text: pl.Expr, fmt: DateFormat) -> pl.Expr:
    """Dates of a column in its decided format (null for a cell not written that way)."""
    if fmt.order is None:
        return pl.lit(None, dtype=pl.Date)
    if fmt.order == "ymd":
        groups = text.str.extract_groups(YEAR_FIRST)
        y = groups.struct.field("1").cast(pl.Int32, strict=False)
        m = groups.struct.field("2").cast(pl.Int32, strict=False)
        d = groups.struct.field("3").cast(pl.Int32, strict=False)
    else:
        groups = text.str.extract_groups(YEAR_LAST)
        a = groups.struct.field("1").cast(pl.Int32, strict=False)
        b = groups.struct.field("3").cast(pl.Int32, strict=False)
        y = _two_digit(groups.struct.field("4"))
        d, m = (a, b) if fmt.order == "dmy" else (b, a)
    iso = pl.format("{}-{}-{}", y, m.cast(pl.String).str.zfill(2), d.cast(pl.String).str.zfill(2))
    return iso.str.strptime(pl.Date, "%Y-%m-%d", strict=False)


def wave(date: pl.Expr, period: str = DEFAULT_PERIOD) -> pl.Expr:
    """The wave of a date: its quarter (``2024Q1``), month, half-year or year."""
    year = date.dt.year()
    if period == "month":
        return pl.format("{}-{}", year, date.dt.month().cast(pl.String).str.zfill(2))
    if period == "half":
        return pl.format("{}H{}", year, ((date.dt.month() - 1) // 6 + 1))
    if period == "year":
        return year.cast(pl.String)
    return pl.format("{}Q{}", year, date.dt.quarter())
