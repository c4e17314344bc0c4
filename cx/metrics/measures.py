"""Measures computed from the query layer: NPS, satisfaction, switching, drivers, funnels.

Every function takes a ``run(query_name, params) -> DataFrame`` callable (see
:mod:`cx.reports.base`) and the statistical :class:`~cx.core.options.Options`, so the app, the
command line and the benchmark compute exactly the same thing. Pages read summary cells of
decomposable sums, so nothing here grows with the number of respondents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import polars as pl

from cx.core import display
from cx.core.i18n import N_
from cx.core.options import Options
from cx.core.schema import DEALER_DIMENSIONS, ITEM_LABELS, SWITCH_INTENTS
from cx.core.selection import Selection
from cx.data.sql import Read, Runner
from cx.metrics import frames, stats

NPS_SUMS = ("n", "sw", "sw2", "swp", "swd")
TOP2_SUMS = ("n", "sw", "sw2", "swt", "sws", "sws2")
DEFAULT = Options()


def nps_query(*keys: str) -> str:
    """The NPS query for these grouping keys: the outlet cells' when any key is an outlet
    dimension (:data:`cx.core.schema.DEALER_DIMENSIONS`), else the NPS cells' (a pair of
    dimensions of the NPS cells is a :func:`breakdowns` query). Two tables' queries rather
    than one ``union`` of both tables: a prepared statement cannot prune the branch its
    parameters rule out, and reading both cost every page about a third of its query time."""
    outlet = any(k in DEALER_DIMENSIONS for k in keys)
    if len(keys) == 2:
        return "dealer_nps_by_group_pair" if outlet else "nps_by_groupings"
    return ("dealer_" if outlet else "") + "nps_by_group"


def nps_read(sel: Selection, by: str, **extra: Any) -> Read:
    """The query :func:`nps_sums` reads."""
    return nps_query(by), sel.params(by=by, **extra)


def nps_sums(run: Runner, sel: Selection, by: str, **extra: Any) -> pl.DataFrame:
    """Sufficient NPS statistics per value of ``by`` (column named ``by``)."""
    return run(*nps_read(sel, by, **extra)).rename({"grp": by})


def nps_by(run: Runner, sel: Selection, by: str, opts: Options = DEFAULT) -> pl.DataFrame:
    """NPS with interval, shares and suppression per value of ``by``, best first."""
    return nps_ranked(nps_sums(run, sel, by), opts)


def nps_ranked(sums: pl.DataFrame, opts: Options = DEFAULT) -> pl.DataFrame:
    """:func:`nps_by` of sums already read (one breakdown of :func:`breakdowns`)."""
    table = stats.nps_table(sums, opts.confidence, opts.min_n)
    return table.sort("nps", descending=True, nulls_last=True)


#: A breakdown of the selection: one dimension (``("wave",)``) or a pair (``("brand", "wave")``).
Breakdown = tuple[str, ...]
#: The breakdowns of the summary pages (Overview, CX programme), read in one query both share.
SUMMARY_BREAKDOWNS: tuple[Breakdown, ...] = (("wave",), ("all",), ("industry",))


@dataclass(frozen=True)
class Breakdowns:
    """Sums of several breakdowns of one selection, read in one query (:func:`breakdowns`).

    Attributes:
        frames: per breakdown, its rows with the breakdown's dimensions as columns (named
            after them), the NPS sums (:data:`NPS_SUMS`) and the switching-intent sums.
    """

    frames: dict[Breakdown, pl.DataFrame]

    def nps(self, *breakdown: str) -> pl.DataFrame:
        """NPS sums of one breakdown, as :func:`nps_sums` / :func:`nps_pair_sums` give them."""
        return frames.columns(self.frames[breakdown], (*breakdown, *NPS_SUMS))

    def switch(self, by: str) -> pl.DataFrame:
        """Switching-intent sums of a one-dimension breakdown, as the switching query gives them
        (the input of :func:`switch_table`)."""
        return frames.columns(self.frames[(by,)], (by, "n", *SWITCH_INTENTS, "answered"))


def breakdowns_read(sel: Selection, *wanted: Breakdown) -> Read:
    """The query :func:`breakdowns` reads (for :func:`cx.data.sql.prefetch`).

    Raises:
        ValueError: as :func:`breakdowns`.
    """
    pairs = []
    for b in wanted:
        if not 1 <= len(b) <= 2 or any(d in DEALER_DIMENSIONS for d in b):
            raise ValueError(f"not a breakdown of the NPS cells: {b!r}")
        pairs.append([b[0], b[1] if len(b) == 2 else "all"])
    return "nps_by_groupings", sel.params(groupings=pairs)


def breakdowns(run: Runner, sel: Selection, *wanted: Breakdown) -> Breakdowns:
    """NPS and switching sums of several breakdowns of the selection in one query.

    A page that shows NPS by wave, by industry and overall reads the cells once
    (``queries/nps_by_groupings.sql``) rather than once per breakdown; each breakdown's rows
    are what :func:`nps_sums` (or :func:`nps_pair_sums`) would have read.

    Raises:
        ValueError: a breakdown is empty, has more than two dimensions or an outlet dimension
            (outlets have their own cells: :func:`nps_sums`).
    """
    raw = run(*breakdowns_read(sel, *wanted))
    pairs = [[b[0], b[1] if len(b) == 2 else "all"] for b in wanted]
    parts = frames.runs(raw, ["dimension", "dimension2"])  # the query orders by them
    sums = [c for c in raw.columns if c not in ("dimension", "dimension2", "grp", "grp2")]
    out: dict[Breakdown, pl.DataFrame] = {}
    for b, (first, second) in zip(wanted, pairs, strict=True):
        part = parts.get((first, second), raw.clear())
        names = {"grp": b[0], **({"grp2": b[1]} if len(b) == 2 else {})}
        out[b] = frames.columns(part, names | {c: c for c in sums})
    return Breakdowns(out)


def nps_pair_sums(run: Runner, sel: Selection, by: str, by2: str) -> pl.DataFrame:
    """Sufficient NPS statistics per pair of dimensions (columns named ``by`` and ``by2``)."""
    if by in DEALER_DIMENSIONS or by2 in DEALER_DIMENSIONS:
        raw = run("dealer_nps_by_group_pair", sel.params(by=by, by2=by2))
        return raw.rename({"grp": by, "grp2": by2})
    return breakdowns(run, sel, (by, by2)).nps(by, by2)


def nps_by_pair(
    run: Runner, sel: Selection, by: str, by2: str, opts: Options = DEFAULT
) -> pl.DataFrame:
    """NPS per pair of dimensions (columns named ``by`` and ``by2``)."""
    return nps_of(nps_pair_sums(run, sel, by, by2), opts)


def nps_of(sums: pl.DataFrame, opts: Options = DEFAULT) -> pl.DataFrame:
    """NPS with interval, shares and suppression of each row of sums, in their order."""
    return stats.nps_table(sums, opts.confidence, opts.min_n)


def overall_nps(sums: pl.DataFrame, opts: Options = DEFAULT) -> dict[str, Any] | None:
    """NPS of the whole selection from per-group sums (groups must partition the selection)."""
    if sums.is_empty():
        return None
    total = sums.select(pl.col(list(NPS_SUMS)).sum())
    row: dict[str, Any] = stats.nps_table(total, opts.confidence, opts.min_n).row(0, named=True)
    return row


def _test_columns(
    mine: pl.DataFrame,
    other: pl.DataFrame,
    opts: Options,
    value: str = "nps",
    se: str = "se",
    centre: str = "centre",
) -> pl.DataFrame:
    """Each row tested against its counterpart in ``other``; the rows are one family.

    The test compares the adjusted centres with their SEs (the estimator the intervals use);
    ``gap`` is the difference of the reported values. ``significant`` means the family's false
    discovery rate is controlled at 1 - confidence (Benjamini-Hochberg ``q_value`` below it),
    and the gap has the sign the test found.
    """
    z, p, _significant = stats.difference_test(
        frames.numbers(mine[centre]),
        frames.numbers(mine[se]),
        frames.numbers(other[centre]),
        frames.numbers(other[se]),
        opts.confidence,
    )
    tested = frames.appended(
        mine,
        [
            other[value].alias("rest_value"),
            other["n"].alias("rest_n"),
            (mine[value] - other[value]).alias("gap"),
            pl.Series("z", np.atleast_1d(z), nan_to_null=True),
            pl.Series("p_value", np.atleast_1d(p), nan_to_null=True),
        ],
    )
    return controlled(tested, opts)


def controlled(
    table: pl.DataFrame, opts: Options, method: Literal["bh", "by"] = "bh"
) -> pl.DataFrame:
    """``q_value`` and ``significant`` for a table whose rows are one family of tests (from its
    ``p_value``, ``z`` and ``gap``): the false discovery rate is controlled at 1 - confidence."""
    q, significant = stats.discoveries(frames.numbers(table["p_value"]), opts.confidence, method)
    found = np.asarray(significant, dtype=bool)
    if "z" in table.columns:  # and the gap has the sign the test found (no sign: not found)
        found &= np.sign(frames.numbers(table["gap"])) == np.sign(frames.numbers(table["z"]))
    return frames.appended(
        table,
        [
            pl.Series("q_value", np.atleast_1d(q), nan_to_null=True),
            pl.Series("significant", found, dtype=pl.Boolean),
        ],
    )


def _rest(sums: pl.DataFrame, columns: tuple[str, ...], within: list[str]) -> pl.DataFrame:
    """Each row's complement: the total of its population (``within``) minus the row."""
    if within:
        totals = sums.group_by(within).agg(pl.col(list(columns)).sum())
        # answers of no industry (an upload that gave none) are one population, not none: the
        # Brands page tested "across the 0 brands" on such a file
        joined = sums.join(
            totals, on=within, suffix="_total", how="left", maintain_order="left", nulls_equal=True
        )
    else:
        joined = frames.appended(
            sums,
            [
                pl.Series(f"{c}_total", [sums[c].sum()] * sums.height, dtype=sums[c].dtype)
                for c in columns
            ],
        )
    return joined


def versus_rest(
    sums: pl.DataFrame, key: str, within: str | None = None, opts: Options = DEFAULT
) -> pl.DataFrame:
    """NPS of each group against the rest of its population (everyone else in the selection).

    A group is part of its benchmark, so testing it against the whole would not compare
    independent samples; the complement is computed from sums (total minus group). With
    ``within`` (e.g. industry), the rest is taken within the same value of that column.

    Returns:
        One row per group: its NPS statistics, ``rest_nps``, ``rest_n``, ``gap`` (NPS
        points), ``z``, ``p_value`` and ``significant`` at the chosen level (False where
        either side is suppressed).
    """
    parts = [within] if within else []
    joined = _rest(sums, NPS_SUMS, parts)
    rest = pl.DataFrame([(joined[f"{c}_total"] - joined[c]).alias(c) for c in NPS_SUMS])
    mine = stats.nps_table(
        frames.columns(joined, [key, *parts, *NPS_SUMS]), opts.confidence, opts.min_n
    )
    other = stats.nps_table(rest, opts.confidence, opts.min_n)
    return _test_columns(mine, other, opts).rename({"rest_value": "rest_nps"})


def versus_one(table: pl.DataFrame, key: str, benchmark: str, opts: Options) -> pl.DataFrame:
    """An NPS table (from :func:`versus_rest`) re-tested against one of its own groups; the
    other groups are the family (the benchmark itself is not tested)."""
    ref = table.filter(pl.col(key) == benchmark).row(0, named=True)
    missing = float("nan")
    z, p, _significant = stats.difference_test(
        table["centre"].fill_null(missing).to_numpy(),
        table["se"].fill_null(missing).to_numpy(),
        ref["centre"] if ref["centre"] is not None else missing,
        ref["se"] if ref["se"] is not None else missing,
        opts.confidence,
    )
    tested = table.with_columns(
        rest_nps=pl.lit(ref["nps"]),
        gap=pl.col("nps") - ref["nps"],
        z=pl.Series(np.atleast_1d(z)).fill_nan(None),
        p_value=pl.when(pl.col(key) == benchmark)
        .then(None)
        .otherwise(pl.Series(np.atleast_1d(p)).fill_nan(None)),
    )
    return controlled(tested, opts)


#: The columns of a comparison, in the order the command line and the tables give them.
COMPARE_COLUMNS = (
    "nps", "ci_low", "ci_high", "n", "n_effective", "suppressed", "rest_nps", "gap", "p_value",
    "q_value", "significant",
)  # fmt: skip


def compare_sums(
    sums: pl.DataFrame,
    by: str,
    opts: Options = DEFAULT,
    within: str | None = None,
    versus: str = "rest",
) -> pl.DataFrame:
    """Every group of ``by`` against a benchmark, the groups one family of tests.

    Args:
        sums: NPS sums per ``by`` (and ``within``): :func:`nps_sums` or :func:`nps_pair_sums`.
        by: the groups compared (``brand``).
        opts: confidence level (intervals, tests, false-discovery control) and minimum n.
        within: compare each group with the rest of its value of this column (``industry``).
        versus: ``rest`` (each group against everyone else in its population) or one group's
            value (every other group against it).

    Returns:
        Per group: the NPS statistics and :data:`COMPARE_COLUMNS`.

    Raises:
        ValueError: ``versus`` names no group.
    """
    if sums.is_empty():
        return sums
    table = versus_rest(sums, by, within=within, opts=opts)
    if versus != "rest":
        if versus not in table[by].cast(pl.String).to_list():
            raise ValueError(f"no group {versus!r} of {by} to compare with")
        table = versus_one(table, by, versus, opts)
    return table


def compare(
    run: Runner,
    sel: Selection,
    by: str,
    opts: Options = DEFAULT,
    within: str | None = None,
    versus: str = "rest",
) -> pl.DataFrame:
    """:func:`compare_sums` of the selection's sums: what the Brands page draws and
    ``python -m cx compare`` prints."""
    sums = nps_pair_sums(run, sel, by, within) if within else nps_sums(run, sel, by)
    return compare_sums(sums, by, opts, within, versus)


def stage_read(sel: Selection, by: str) -> Read:
    """The query :func:`stage_sums` reads."""
    return "stage_by_group", sel.params(by=by)


def stage_sums(run: Runner, sel: Selection, by: str) -> pl.DataFrame:
    """Satisfaction sums per value of ``by`` and item (column named ``by``)."""
    return run(*stage_read(sel, by)).rename({"grp": by})


def _stage_columns(table: pl.DataFrame, raw: pl.DataFrame) -> pl.DataFrame:
    """``dissatisfied_pct``, ``switch_if_dissatisfied_pct`` (null where suppressed or not
    estimable), the item's ``label`` and its journey ``order``, put together from the columns
    (:mod:`cx.metrics.frames`; ``tests/unit/test_frames.py`` holds it to the expressions)."""
    hide = frames.true(table.get_column("suppressed"))
    known = frames.numbers(table.get_column("swb_switch_known"))
    with np.errstate(divide="ignore", invalid="ignore"):
        dissatisfied = frames.numbers(table.get_column("swb")) / frames.numbers(raw["sw"]) * 100.0
        switching = frames.numbers(table.get_column("swb_switch")) / known * 100.0
    items = table.get_column("item").to_list()
    names = display.names_of("item")
    order = {s: i for i, s in enumerate(ITEM_LABELS)}
    return frames.appended(
        table,
        [
            _nullable("dissatisfied_pct", np.where(hide, np.nan, dissatisfied)),
            _nullable(
                "switch_if_dissatisfied_pct", np.where(hide | ~(known > 0), np.nan, switching)
            ),
            pl.Series("label", [names.get(i, i) for i in items], dtype=pl.String),
            pl.Series("order", [order.get(i, 99) for i in items], dtype=pl.Int32),
        ],
    )


def _nullable(name: str, values: np.ndarray) -> pl.Series:
    """A float column whose NaN (left out, or not estimable) is null."""
    return pl.Series(name, values, dtype=pl.Float64, nan_to_null=True)


def stage_table(raw: pl.DataFrame, by: str, opts: Options = DEFAULT) -> pl.DataFrame:
    """Top-2-box, mean and dissatisfaction per group and item from :func:`stage_sums`.

    Adds ``dissatisfied_pct`` (1-2 of 5), ``switch_if_dissatisfied_pct`` (share of the
    dissatisfied who intend to switch within 18 months), ``label`` and ``order`` of the item.
    """
    if raw.is_empty():
        return raw
    table = stats.top2box_table(raw, opts.confidence, opts.min_n)
    return _stage_columns(table, raw).sort([by, "order"])


def stage_by(run: Runner, sel: Selection, by: str, opts: Options = DEFAULT) -> pl.DataFrame:
    """:func:`stage_table` of :func:`stage_sums`."""
    return stage_table(stage_sums(run, sel, by), by, opts)


def _all_industries(sel: Selection) -> Selection:
    return sel.with_filter("industries", [])


def stage_of_industries_read(sel: Selection) -> Read:
    """The query :func:`stage_of_industries` reads."""
    return stage_read(_all_industries(sel), "industry")


def stage_of_industries(run: Runner, sel: Selection) -> pl.DataFrame:
    """The satisfaction sums (``by='all'``) of the selection, read as sums per industry of the
    selection without its industry filter, then narrowed to its industries: a page that shows
    everyone and models some industries (the Overview and its revenue tile) reads once, and
    every page that models them reads the same sums the same way, so their figures agree to
    the last digit."""
    raw = stage_sums(run, _all_industries(sel), "industry")
    if sel.industries and not raw.is_empty():
        raw = raw.filter(pl.col("industry").is_in(list(sel.industries)))
    return stage_total(raw, "industry")


def stage_total(raw: pl.DataFrame, by: str) -> pl.DataFrame:
    """The satisfaction sums of the whole selection (``stage_sums(run, sel, "all")``) from
    sums per value of ``by``, whose groups partition it: one query for a page that shows
    both. Summed per item from the columns (``raw.group_by("item").agg(sums)``, sorted by
    item; :mod:`cx.metrics.frames`)."""
    if raw.is_empty():
        return raw.drop(by).select(pl.lit("All").alias("all"), pl.all())
    sums = [c for c in raw.columns if c not in (by, "item")]
    items = raw.get_column("item")
    if items.null_count():  # a group of no item: the frame operation says what it is
        return (
            raw.group_by("item")
            .agg(pl.col(sums).sum())
            .select(pl.lit("All").alias("all"), "item", *sums)
            .with_columns(pl.col("n").cast(raw.schema["n"]))
            .sort("item")
        )
    keys, codes = np.unique(np.asarray(items.to_list(), dtype=object), return_inverse=True)
    totals = [
        pl.Series(
            c,
            np.bincount(codes, weights=np.nan_to_num(frames.numbers(raw[c])), minlength=len(keys)),
        ).cast(raw.schema[c])
        for c in sums
    ]
    return pl.DataFrame(
        [
            pl.Series("all", ["All"] * len(keys), pl.String),
            pl.Series("item", keys, pl.String),
            *totals,
        ]
    )


def stage_versus_rest(raw: pl.DataFrame, key: str, opts: Options = DEFAULT) -> pl.DataFrame:
    """Top-2-box of each group and item against the rest of the groups on the same item.

    Returns:
        :func:`stage_table` columns plus ``rest_value`` (the others' top-2-box), ``gap``
        (percentage points), ``z``, ``p_value`` and ``significant`` at the chosen level.
    """
    if raw.is_empty():
        return raw
    joined = _rest(raw, TOP2_SUMS, ["item"])
    rest = joined.select([(pl.col(f"{c}_total") - pl.col(c)).alias(c) for c in TOP2_SUMS])
    mine = _stage_columns(stats.top2box_table(raw, opts.confidence, opts.min_n), raw)
    other = stats.top2box_table(rest, opts.confidence, opts.min_n)
    return _test_columns(mine, other, opts, "top2_pct", "top2_se", "top2_centre").sort(
        [key, "order"]
    )


def stage_versus_one(table: pl.DataFrame, key: str, benchmark: str, opts: Options) -> pl.DataFrame:
    """A :func:`stage_table` re-tested against one of its own groups item by item (e.g. each
    channel against dealer sales on each stage); every other group's items are one family.

    Returns:
        The table plus ``gap`` (points to the benchmark on the same item), ``z``, ``p_value``,
        ``q_value`` and ``significant`` (false discovery rate controlled across the family); the
        benchmark's own rows are not tested.
    """
    if table.is_empty() or benchmark not in set(table[key].to_list()):
        return table.with_columns(
            gap=pl.lit(None, pl.Float64), z=pl.lit(None, pl.Float64),
            p_value=pl.lit(None, pl.Float64), q_value=pl.lit(None, pl.Float64),
            significant=pl.lit(False),
        )  # fmt: skip
    ref = table.filter(pl.col(key) == benchmark).select(
        "item",
        ref_value=pl.col("top2_pct"),
        ref_centre=pl.col("top2_centre"),
        ref_se=pl.col("top2_se"),
    )
    joined = table.join(ref, on="item", how="left", maintain_order="left")
    z, p, _significant = stats.difference_test(
        joined["top2_centre"].fill_null(np.nan).to_numpy(),
        joined["top2_se"].fill_null(np.nan).to_numpy(),
        joined["ref_centre"].fill_null(np.nan).to_numpy(),
        joined["ref_se"].fill_null(np.nan).to_numpy(),
        opts.confidence,
    )
    mine = pl.col(key) == benchmark
    tested = joined.with_columns(
        gap=pl.when(mine).then(None).otherwise(pl.col("top2_pct") - pl.col("ref_value")),
        z=pl.Series(np.atleast_1d(z)).fill_nan(None),
        p_value=pl.when(mine).then(None).otherwise(pl.Series(np.atleast_1d(p)).fill_nan(None)),
    ).drop("ref_value", "ref_centre", "ref_se")
    return controlled(tested, opts)


def switch_by(run: Runner, sel: Selection, by: str, opts: Options = DEFAULT) -> pl.DataFrame:
    """Share of each switching-intent answer per value of ``by`` (percent of those answering)."""
    return switch_table(breakdowns(run, sel, (by,)).switch(by), opts)


def switch_table(raw: pl.DataFrame, opts: Options = DEFAULT) -> pl.DataFrame:
    """:func:`switch_by` of sums already read (:meth:`Breakdowns.switch`)."""
    if raw.is_empty():
        return raw
    small = pl.col("n") < opts.min_n
    return raw.with_columns(
        [
            pl.when(small | (pl.col("answered") <= 0))
            .then(None)
            .otherwise(pl.col(code) / pl.col("answered") * 100.0)
            .alias(f"{code}_pct")
            for code in SWITCH_INTENTS
        ]
    ).with_columns(switch_18m_pct=pl.col("within_6m_pct") + pl.col("6_18m_pct"), suppressed=small)


FUNNEL_STEPS: tuple[tuple[str, str], ...] = (
    ("lead_to_test_drive_pct", N_("Lead → test drive")),
    ("test_drive_to_order_pct", N_("Test drive → order")),
    ("order_to_delivery_pct", N_("Order → delivery")),
    ("service_retention_pct", N_("Delivery → service retained")),
    ("referral_rate_pct", N_("Delivery → referral")),
)


def funnel_read(sel: Selection, by: str = "channel") -> Read:
    """The query :func:`funnel_by` reads."""
    return "funnel_by_group", sel.params(by=by)


def funnel_by(run: Runner, sel: Selection, by: str = "channel") -> pl.DataFrame:
    """Funnel totals per value of ``by`` with stage-to-stage conversion rates (percent)."""
    raw = run(*funnel_read(sel, by)).rename({"grp": by})
    if raw.is_empty():
        return raw
    return raw.with_columns(
        lead_to_test_drive_pct=pl.col("test_drives") / pl.col("leads") * 100,
        test_drive_to_order_pct=pl.col("orders") / pl.col("test_drives") * 100,
        lead_to_order_pct=pl.col("orders") / pl.col("leads") * 100,
        order_to_delivery_pct=pl.col("deliveries") / pl.col("orders") * 100,
        service_retention_pct=pl.col("service_retained") / pl.col("deliveries") * 100,
        referral_rate_pct=pl.col("referrals") / pl.col("deliveries") * 100,
    )


@dataclass(frozen=True)
class WaveChange:
    """The latest wave against the one before, with a z test at the chosen level."""

    wave: str
    previous_wave: str
    nps: float
    ci_low: float
    ci_high: float
    n: float
    previous_nps: float
    change: float
    z: float
    p_value: float
    significant: bool


def wave_changes(by_wave: pl.DataFrame, key: str, opts: Options = DEFAULT) -> pl.DataFrame:
    """Each series' first reportable wave against its last, the series one family.

    Args:
        by_wave: an NPS table per ``key`` and ``wave`` (:func:`nps_by_pair`).
        key: the series column (``brand``).

    Returns:
        Per series with two or more reportable waves: ``start``, ``end``, ``before``, ``after``,
        ``gap`` (after - before, points), ``z``, ``p_value``, ``q_value`` and ``significant``
        (false discovery rate controlled across the series).
    """
    rows = by_wave.filter(~pl.col("suppressed")).sort(key, "wave")
    first = rows.group_by(key, maintain_order=True).first()
    last = rows.group_by(key, maintain_order=True).last()
    both = first.join(last, on=key, suffix="_last").filter(pl.col("wave") != pl.col("wave_last"))
    if both.is_empty():
        return pl.DataFrame(
            schema={key: pl.String, "start": pl.String, "end": pl.String, "before": pl.Float64,
                    "after": pl.Float64, "gap": pl.Float64, "z": pl.Float64,
                    "p_value": pl.Float64, "q_value": pl.Float64, "significant": pl.Boolean}
        )  # fmt: skip
    z, p, _significant = stats.difference_test(
        both["centre_last"].to_numpy(), both["se_last"].to_numpy(),
        both["centre"].to_numpy(), both["se"].to_numpy(), opts.confidence,
    )  # fmt: skip
    tested = both.select(
        key,
        start=pl.col("wave").cast(pl.String),
        end=pl.col("wave_last").cast(pl.String),
        before=pl.col("nps"),
        after=pl.col("nps_last"),
        gap=pl.col("nps_last") - pl.col("nps"),
        z=pl.Series(np.atleast_1d(z)),
        p_value=pl.Series(np.atleast_1d(p)),
    )
    return controlled(tested, opts)


def latest_wave(by_wave: pl.DataFrame) -> dict[str, Any] | None:
    """The latest wave's row of an ``nps_by(..., "wave")`` table (None if suppressed/empty)."""
    rows = by_wave.filter(~pl.col("suppressed")).sort("wave")
    return rows.row(-1, named=True) if rows.height else None


def wave_change(by_wave: pl.DataFrame, opts: Options = DEFAULT) -> WaveChange | None:
    """Latest wave vs the previous one from an ``nps_by(..., "wave")`` table."""
    rows = by_wave.filter(~pl.col("suppressed")).sort("wave")
    if rows.height < 2:
        return None
    last, prev = rows.row(-1, named=True), rows.row(-2, named=True)
    z, p, sig = stats.difference_test(
        last["centre"], last["se"], prev["centre"], prev["se"], opts.confidence
    )
    return WaveChange(
        wave=str(last["wave"]),
        previous_wave=str(prev["wave"]),
        nps=float(last["nps"]),
        ci_low=float(last["ci_low"]),
        ci_high=float(last["ci_high"]),
        n=float(last["n"]),
        previous_nps=float(prev["nps"]),
        change=float(last["nps"] - prev["nps"]),
        z=float(z),
        p_value=float(p),
        significant=bool(sig),
    )
