"""Outlet measures of the dealer scorecards, from the outlet cells (never respondent rows).

An outlet is a dealer, an agency outlet or a direct store, identified by ``dealer_id`` within a
brand. Every outlet is compared with its *population*: the other outlets of its brand in the
view (of its sales channel when the data have no brand). The league table ranks outlets on
their NPS shrunk towards that population's mean (:mod:`cx.metrics.shrinkage`); each outlet is also
tested against the rest of its brand, gets its weakest stage (where it trails the rest of the
brand most) and its trend (later half of the waves against the earlier half).

Each of these is a family of tests whose false discovery rate is controlled
(:func:`cx.metrics.stats.discoveries`): the outlets against the rest of their brand with
Benjamini-Yekutieli (:data:`LEAGUE_FDR`: an outlet is part of every other outlet's "rest", so
the tests are dependent by construction), one outlet's stages against the rest of its brand
likewise (:data:`STAGE_FDR`: the same answers rate every stage), and the outlets' trends with
Benjamini-Hochberg (:data:`TREND_FDR`: each outlet's two halves are its own answers, so the
tests are independent).
"""

from __future__ import annotations

import math
from typing import Any, Final, Literal

import numpy as np
import polars as pl

from cx.core import display
from cx.core.options import Options
from cx.core.schema import ITEM_LABELS
from cx.core.selection import Selection
from cx.data.sql import Read, Runner
from cx.metrics import frames, measures, shrinkage, stats

NPS_SUMS = measures.NPS_SUMS
#: What identifies an outlet (an outlet selling two brands is two rows, one per brand).
KEYS = ("dealer_id", "brand")
#: Outlet attributes, taken from the outlet's largest cell where rows disagree.
ATTRIBUTES = ("dealer_name", "dealer_group", "country", "channel")
#: The population an outlet is compared with: its brand, else its channel, else all outlets.
POOL = pl.coalesce(pl.col("brand"), pl.col("channel"), pl.lit("All outlets")).alias("pool")
#: False-discovery control of each family (see the module docstring for why).
LEAGUE_FDR: Final[Literal["bh", "by"]] = "by"
STAGE_FDR: Final[Literal["bh", "by"]] = "by"
TREND_FDR: Final[Literal["bh", "by"]] = "bh"


def wave_sums(run: Runner, sel: Selection) -> pl.DataFrame:
    """NPS sums and top-2-box sums (``n_<item>``, ``sw_<item>``, ``sw2_<item>``,
    ``swt_<item>`` of the items an outlet delivers, :data:`cx.core.schema.OUTLET_ITEMS`) per outlet,
    brand, country, channel and wave in the selection."""
    return run(*wave_sums_read(sel))


def wave_sums_read(sel: Selection) -> Read:
    """The query :func:`wave_sums` reads."""
    return "dealer_nps_by_wave", sel.params()


def stage_sums(waves: pl.DataFrame) -> pl.DataFrame:
    """Top-2-box sums per outlet, brand and item (long: ``item``, n, sw, sw2, swt) from
    :func:`wave_sums` rows; items nobody answered are left out."""
    items = [c[2:] for c in waves.columns if c.startswith("n_")]
    if waves.is_empty() or not items:
        return pl.DataFrame()
    sums = ("n", "sw", "sw2", "swt")
    totals = waves.group_by(KEYS).agg(pl.col([f"{c}_{i}" for i in items for c in sums]).sum())
    long = pl.concat(
        [
            totals.select(*KEYS, item=pl.lit(i), **{c: pl.col(f"{c}_{i}") for c in sums})
            for i in items
        ]
    )
    return long.filter(pl.col("n") > 0)


def outlet_sums(waves: pl.DataFrame) -> pl.DataFrame:
    """One row per outlet (``KEYS``) with its attributes (:func:`attributes`) and NPS sums over
    the waves, and ``pool``: the population it is compared with (its brand, else its channel,
    else all)."""
    if waves.is_empty():
        return waves
    sums = waves.group_by(KEYS).agg(pl.col(list(NPS_SUMS)).sum())
    out = attributes(waves).join(sums, on=list(KEYS), how="left", nulls_equal=True)
    return out.with_columns(pool=POOL).sort(KEYS, nulls_last=True)


def attributes(waves: pl.DataFrame) -> pl.DataFrame:
    """One row per outlet (``KEYS``, in no set order) with its ``ATTRIBUTES``: those of its
    largest cell (most answers; ties go to the first attributes in order, then the earliest
    wave), whatever order the rows come in."""
    # only each outlet's rows of its largest n are sorted for the tie-breaks (3.4 -> 2.8 ms)
    largest = (
        waves.filter(pl.col("n") == pl.col("n").max().over(KEYS))
        .sort(
            ["n", *ATTRIBUTES, "wave"],
            descending=[True, False, False, False, False, False],
            nulls_last=True,
        )
        .group_by(KEYS, maintain_order=True)
    )
    return largest.agg([pl.col(c).first() for c in ATTRIBUTES])


def league(sums: pl.DataFrame, opts: Options) -> tuple[pl.DataFrame, float]:
    """Outlets with raw and shrunk NPS, the test against the rest of their population, and
    their rank and quartile within it.

    Each population's between-outlet variance and random-effects mean are estimated from its
    outlets with at least ``opts.min_n`` answers, and its outlets are shrunk towards that mean
    with Morris's allowance for the estimates' uncertainty
    (:func:`cx.metrics.shrinkage.shrink_populations`; a population of fewer than
    :data:`cx.metrics.shrinkage.MIN_UNITS` ranked outlets uses the pooled variance).

    Returns:
        (table, tau): one row per outlet, best shrunk estimate first, with ``n``, ``nps``,
        ``ci_low``, ``ci_high``, ``se`` (null under the minimum n), ``suppressed``,
        ``pool_nps`` and ``pool_n`` (its population), ``rest_nps``, ``gap``, ``p_value``,
        ``q_value`` and ``significant`` (against the rest of the population, the ranked
        outlets one family, :data:`LEAGUE_FDR`), ``tested`` (the family's size), ``pool_mean`` (the random-effects mean the
        outlet is shrunk towards), ``pool_tau`` (its population's between-outlet SD) and
        ``pool_own_tau`` (False: too few outlets, the pooled SD), ``pool_alone`` (its
        population's only ranked outlet, shrunk towards every ranked outlet's mean instead),
        ``shrunk_nps``, ``shrunk_low``, ``shrunk_high``, ``pull`` (share of the way to the
        mean), ``pool_rank`` and ``pool_ranked`` (rank among the ranked outlets of its
        population, and how many there are), ``quartile`` (1 = top quarter; null when not
        ranked); and tau, the pooled between-outlet standard deviation in NPS points (the
        one populations with too few outlets use).
    """
    if sums.is_empty():
        return sums, 0.0
    own = {c: sums[c].cast(pl.Float64).to_numpy() for c in NPS_SUMS}
    codes = _codes(sums["pool"])
    total = {c: np.bincount(codes, weights=own[c])[codes] for c in NPS_SUMS}
    rest = {c: total[c] - own[c] for c in NPS_SUMS}
    mine = _nps(own, opts, 0)
    ranked = (own["n"] >= opts.min_n) & np.isfinite(mine["se"])
    y, v = mine["nps"], mine["se"] ** 2
    tau2 = shrinkage.between_variance(y[ranked], v[ranked], codes[ranked])
    pool = _nps(total, opts, 0)
    est, pops, members = shrinkage.shrink_populations(
        np.where(ranked, y, np.nan), v, codes, opts.confidence
    )
    other = _nps(rest, opts, opts.min_n)
    z, p_value, _significant = stats.difference_test(
        mine["centre"], mine["se"], other["centre"], other["se"], opts.confidence
    )
    p_value = np.where(ranked, p_value, np.nan)
    q_value, found = stats.discoveries(p_value, opts.confidence, LEAGUE_FDR)
    agrees = np.sign(np.nan_to_num(np.asarray(z, dtype=float))) == np.sign(
        np.nan_to_num(mine["nps"] - other["nps"])
    )
    shown = {k: np.where(ranked, mine[k], np.nan) for k in ("nps", "ci_low", "ci_high", "se")}
    columns = {
        "n": own["n"],
        "n_effective": mine["n_effective"],
        **shown,
        "suppressed": ~ranked,
        "pool_nps": pool["nps"],
        "pool_n": total["n"],
        "rest_nps": other["nps"],
        "gap": shown["nps"] - other["nps"],
        "p_value": p_value,
        "q_value": q_value,
        "significant": found & agrees & ranked,
        "tested": np.full(len(p_value), int(np.isfinite(p_value).sum())),
        "shrunk_nps": np.where(ranked, est.estimate, np.nan),
        "shrunk_low": np.where(ranked, est.low, np.nan),
        "shrunk_high": np.where(ranked, est.high, np.nan),
        "pull": np.where(ranked, est.pull, np.nan),
        "pool_mean": np.array([pops[c].mean for c in members]),
        "pool_tau": np.sqrt([pops[c].tau2 for c in members]),
        "pool_alone": np.array([pops[c].alone for c in members], dtype=bool),
        "pool_own_tau": np.array([pops[c].own for c in members], dtype=bool),
    }
    table = sums.select(*KEYS, *ATTRIBUTES, "pool").hstack(_frame(columns))
    return rank(positions(table)), math.sqrt(tau2)


def positions(table: pl.DataFrame) -> pl.DataFrame:
    """``pool_rank``, ``pool_ranked`` and ``quartile``: each ranked outlet's place among the
    ranked outlets of its population in ``table`` (the outlets in view)."""
    order = pl.col("shrunk_nps").rank("ordinal", descending=True).over("pool").cast(pl.Int64)
    ranked = pl.col("shrunk_nps").count().over("pool").cast(pl.Int64)  # = the ranks given
    return table.with_columns(
        pool_rank=order,
        pool_ranked=ranked,
        quartile=((order - 1) * 4 // ranked + 1).cast(pl.Int64),
    )


def _frame(columns: dict[str, Any]) -> pl.DataFrame:
    """A frame of NumPy columns, NaN as null."""
    return pl.DataFrame([pl.Series(k, v, nan_to_null=True) for k, v in columns.items()])


def _codes(values: pl.Series) -> Any:
    """Integer codes of a column's values (nulls one code of their own)."""
    return values.cast(pl.String).fill_null("\0").rank("dense").to_numpy().astype(np.int64) - 1


def _nps(sums: dict[str, Any], opts: Options, min_n: int) -> dict[str, Any]:
    """:func:`cx.metrics.stats.nps_from_sums` on arrays of sums (NaN where suppressed)."""
    return stats.nps_from_sums(
        sums["n"], sums["sw"], sums["sw2"], sums["swp"], sums["swd"], opts.confidence, min_n
    )


def rank(table: pl.DataFrame) -> pl.DataFrame:
    """The table best shrunk estimate first (outlets under the minimum n last, by n), with
    ``rank``: the position among the ranked outlets of this table (null when not ranked)."""
    if table.is_empty():
        return table.with_columns(rank=pl.lit(None, dtype=pl.Int64))
    ordered = table.sort(
        ["suppressed", "shrunk_nps", "n", "dealer_id"],
        descending=[False, True, True, False],
        nulls_last=True,
    )
    position = pl.int_range(1, pl.len() + 1, dtype=pl.Int64)
    return ordered.with_columns(rank=pl.when(pl.col("suppressed")).then(None).otherwise(position))


def trends(waves: pl.DataFrame, opts: Options) -> tuple[pl.DataFrame, tuple[str, str] | None]:
    """Each outlet's NPS in the later half of the waves against the earlier half.

    Returns:
        (table, periods): per outlet (``KEYS``) ``early_n``, ``late_n``, ``early_nps``,
        ``late_nps``, ``change``,
        ``change_q`` and ``change_significant`` (null where either half is under the minimum
        n; the outlets tested one family, :data:`TREND_FDR`), ``change_tested`` (how many
        outlets that family has); periods names the two halves ("2023Q1-2023Q4", ...). With
        fewer than two waves, an empty table and None.
    """
    names = sorted(waves["wave"].unique().to_list()) if not waves.is_empty() else []
    if len(names) < 2:
        return pl.DataFrame(), None
    half = len(names) // 2
    early, late = names[:half], names[half:]
    later = pl.col("wave").is_in(late)
    sums = waves.group_by(KEYS).agg(
        *[pl.col(c).filter(~later).sum().alias(f"early_{c}") for c in NPS_SUMS],
        *[pl.col(c).filter(later).sum().alias(f"late_{c}") for c in NPS_SUMS],
    )
    first, last = (
        _nps(
            {c: sums[f"{part}_{c}"].cast(pl.Float64).to_numpy() for c in NPS_SUMS}, opts, opts.min_n
        )
        for part in ("early", "late")
    )
    z, p, _significant = stats.difference_test(
        last["centre"], last["se"], first["centre"], first["se"], opts.confidence
    )
    change = last["nps"] - first["nps"]
    q, found = stats.discoveries(p, opts.confidence, TREND_FDR)
    agrees = np.sign(np.nan_to_num(np.atleast_1d(z))) == np.sign(np.nan_to_num(change))
    out = sums.select(KEYS).hstack(
        _frame(
            {
                "early_n": sums["early_n"].cast(pl.Float64).to_numpy(),
                "late_n": sums["late_n"].cast(pl.Float64).to_numpy(),
                "early_nps": first["nps"],
                "late_nps": last["nps"],
                "change": change,
                "change_q": q,
                "change_significant": found & agrees,
                "change_tested": np.full(q.shape, int(np.isfinite(q).sum())),
            }
        )
    )
    return out, (_period(early), _period(late))


def _period(waves: list[str]) -> str:
    return waves[0] if len(waves) == 1 else f"{waves[0]}-{waves[-1]}"


def stage_table(stage: pl.DataFrame, pools: pl.DataFrame, opts: Options) -> pl.DataFrame:
    """Top-2-box per outlet and item it delivers (:data:`cx.core.schema.OUTLET_ITEMS`) against the
    rest of its population on that item.

    Args:
        stage: :func:`stage_sums` rows.
        pools: ``KEYS`` and ``pool`` of the outlets to keep (the league).
        opts: statistical options.

    Returns:
        Per outlet and item: ``n``, ``top2_pct``, ``top2_low``, ``top2_high``, ``top2_se``,
        ``suppressed``, ``rest_top2``, ``gap`` (points), ``p_value``, ``q_value`` and
        ``significant`` (each outlet's stages one family, :data:`STAGE_FDR`), ``label``,
        ``order``.
    """
    if stage.is_empty() or pools.is_empty():
        return pl.DataFrame()
    rows = stage.join(pools.select(*KEYS, "pool"), on=list(KEYS), how="inner", nulls_equal=True)
    sums = ("n", "sw", "sw2", "swt")
    totals = rows.group_by("pool", "item").agg(pl.col(list(sums)).sum())
    rows = rows.join(totals, on=["pool", "item"], suffix="_all", how="left", nulls_equal=True)
    mine = top2(rows["n"], rows["sw"], rows["sw2"], rows["swt"], opts)
    left = {c: rows[f"{c}_all"] - rows[c] for c in sums}
    rest = top2(left["n"], left["sw"], left["sw2"], left["swt"], opts)
    _z, p, _significant = stats.difference_test(
        mine["top2_pct"].fill_null(np.nan).to_numpy(),
        mine["top2_se"].fill_null(np.nan).to_numpy(),
        rest["top2_pct"].fill_null(np.nan).to_numpy(),
        rest["top2_se"].fill_null(np.nan).to_numpy(),
        opts.confidence,
    )
    p = np.atleast_1d(np.asarray(p, dtype=float))
    q, sig = np.full(p.shape, np.nan), np.zeros(p.shape, dtype=bool)
    outlet = _codes(
        rows.select(pl.concat_str(*KEYS, separator="\0", ignore_nulls=True)).to_series()
    )
    for code in np.unique(outlet):
        member = outlet == code
        q[member], sig[member] = stats.discoveries(p[member], opts.confidence, STAGE_FDR)
    return (
        rows.select(*KEYS, "item", "n")
        .hstack(mine.drop("n"))
        .with_columns(
            rest_top2=rest["top2_pct"],
            rest_low=rest["top2_low"],
            rest_high=rest["top2_high"],
            rest_suppressed=rest["suppressed"],
            gap=mine["top2_pct"] - rest["top2_pct"],
            p_value=pl.Series(p).fill_nan(None),
            q_value=pl.Series(q).fill_nan(None),
            significant=pl.Series(sig).cast(pl.Boolean),
            label=pl.col("item").replace_strict(display.names_of("item"), default=pl.col("item")),
            order=pl.col("item").replace_strict(
                {s: i for i, s in enumerate(ITEM_LABELS)}, default=99, return_dtype=pl.Int32
            ),
        )
        .sort(*KEYS, "order", nulls_last=True)
    )


def top2(n: Any, sw: Any, sw2: Any, swt: Any, opts: Options) -> pl.DataFrame:
    """Top-2-box share with its (Agresti-Coull) interval from sums; null under the minimum n."""
    n_a, sw_a = np.asarray(n, dtype=float), np.asarray(sw, dtype=float)
    share = np.asarray(swt, dtype=float) / np.where(sw_a > 0, sw_a, 1.0)
    low, high, se = stats.proportion_interval(share, stats.effective_n(sw_a, sw2), opts.confidence)
    hidden = (n_a < opts.min_n) | (sw_a <= 0)
    shown = {
        "top2_pct": share * 100.0,
        "top2_low": low,
        "top2_high": high,
        "top2_se": se,
    }
    return _frame(
        {
            "n": n_a,
            **{k: np.where(hidden, np.nan, np.atleast_1d(v)) for k, v in shown.items()},
            "suppressed": hidden,
        }
    )


def weakest(stages: pl.DataFrame) -> pl.DataFrame:
    """Per outlet, the stage where it trails the rest of its population most (shown items only):
    ``weakest_item``, ``weakest_label``, ``weakest_top2``, ``weakest_rest`` (the rest of its
    population's), ``weakest_gap``,
    ``weakest_significant``."""
    if stages.is_empty():
        return pl.DataFrame(schema=dict.fromkeys(KEYS, pl.String))
    shown = stages.filter(pl.col("gap").is_not_null()).sort("gap")
    return (
        shown.group_by(KEYS, maintain_order=True)
        .first()
        .select(
            *KEYS,
            weakest_item="item",
            weakest_label="label",
            weakest_top2="top2_pct",
            weakest_rest="rest_top2",
            weakest_gap="gap",
            weakest_significant="significant",
        )
    )


def wave_table(waves: pl.DataFrame, key: dict[str, Any], opts: Options) -> pl.DataFrame:
    """One outlet's NPS over the waves beside its population's (``series``: outlet or
    population), in ``period`` order.

    A wave with an effective n under ``opts.min_n`` shows nothing, so when the outlet's typical
    wave is that small, consecutive waves are pooled in twos (then fours...) until it is not:
    ``period`` names the waves pooled ("2023Q1-2023Q2").

    Args:
        waves: :func:`wave_sums` rows with a ``pool`` column.
        key: the outlet's ``dealer_id``, ``brand`` and ``pool``.
        opts: statistical options.
    """
    wave = waves.get_column("wave").to_numpy()
    mine = (waves.get_column("dealer_id").to_numpy() == key["dealer_id"]) & np.array(
        [b == key["brand"] for b in waves.get_column("brand").to_list()], dtype=bool
    )  # None equals None: an outlet of no brand
    names = sorted(set(wave.tolist()))
    # the effective n, which a wave is suppressed under (weights make it less than the answers)
    sums_of = {c: np.nan_to_num(frames.numbers(waves[c])) for c in NPS_SUMS}  # null adds 0
    sw, sw2 = sums_of["sw"], sums_of["sw2"]
    index = {w: i for i, w in enumerate(names)}
    at = np.array([index[w] for w in wave[mine]], dtype=np.int64)
    answered = np.unique(at)
    effective = np.asarray(
        stats.effective_n(
            np.bincount(at, sw[mine], len(names))[answered],
            np.bincount(at, sw2[mine], len(names))[answered],
        )
    )
    typical = float(np.median(effective)) if effective.size else 0.0
    size = 1
    while size < len(names) and typical * size < opts.min_n:
        size *= 2
    periods = [_period(names[i - i % size : i - i % size + size]) for i in range(len(names))]
    order = sorted(set(periods))
    period_of = np.array([order.index(p) for p in periods], dtype=np.int64)
    population = waves.get_column("pool").to_numpy() == key["pool"]
    parts = []
    for series, rows in (("outlet", mine), ("population", population)):
        at = period_of[[index[w] for w in wave[rows]]] if rows.any() else np.zeros(0, np.int64)
        shown = np.unique(at)
        sums = pl.DataFrame(
            [
                pl.Series("period", [order[i] for i in shown], dtype=pl.String),
                *(
                    pl.Series(c, np.bincount(at, sums_of[c][rows], len(order))[shown]).cast(
                        waves.schema[c]
                    )
                    for c in NPS_SUMS
                ),
            ]
        )
        parts.append(
            frames.appended(
                stats.nps_table(sums, opts.confidence, opts.min_n),
                [pl.Series("series", [series] * sums.height, dtype=pl.String)],
            )
        )
    return pl.concat(parts).sort("series", "period")
