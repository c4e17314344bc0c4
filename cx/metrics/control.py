"""Control charts of outlets: a p-chart of each outlet's detractor share over the waves.

Each outlet's centre line is its detractor share over a *baseline* of earlier waves, fixed
before the waves it watches, so a real shift cannot widen its own limits. A watched wave's share
is tested against the baseline with the two-sample z test of a proportion (the baseline's own
uncertainty included): sigma_t = sqrt(p0 (1 - p0) (1 / n_t + 1 / n_0)), n the Kish effective n
of the wave and of the baseline. Every outlet's watched waves are one family: Benjamini-Hochberg
q-values, a point *beyond its limits* when q is below 1 - confidence.

The limits drawn are the ones a point must cross to survive that control: with R points beyond
among m tested, a point is beyond exactly when its p-value is at most max(R, 1) alpha / m, so
the limits are p0 +/- z* sigma_t with z* the matching critical value. They widen and narrow
with each wave's n.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy.stats import norm

from cx.core.options import Options
from cx.metrics import frames, kept, measures, outlets, stats

KEYS = list(outlets.KEYS)


@dataclass(frozen=True)
class ControlCharts:
    """The outlets' p-charts.

    Attributes:
        points: one row per outlet and wave: ``KEYS``, ``wave``, ``n``, ``n_effective``,
            ``share_pct`` (detractors, percent; null under the minimum n), ``baseline_pct``,
            ``lower_pct``/``upper_pct`` (the limits at that wave's n), ``watched`` (a wave the
            chart tests), ``z``, ``p_value``, ``q_value``, ``beyond``.
        outlets: one row per outlet with a baseline: ``KEYS``, ``dealer_name``, ``country``,
            ``baseline_pct``, ``baseline_n``, ``tested`` (watched waves tested), ``beyond``
            (any point beyond), ``latest_pct``, ``latest_z``, ``latest_q`` (its last watched
            wave), sorted beyond first, then by the size of the latest move.
        baseline: the baseline waves; watched: the waves tested.
        tested: points tested (the family); suppressed: watched points or baselines under the
            minimum effective n.
        critical_z: the limits' multiple of sigma.
    """

    points: pl.DataFrame
    outlets: pl.DataFrame
    baseline: tuple[str, ...]
    watched: tuple[str, ...]
    tested: int
    suppressed: int
    critical_z: float


def detractor_charts(
    waves: pl.DataFrame, baseline: Sequence[str], watched: Sequence[str], opts: Options
) -> ControlCharts:
    """p-charts of every outlet of :func:`cx.metrics.outlets.wave_sums` rows, kept by their
    content and the waves (another outlet picked on the same selection tests nothing again).

    Args:
        waves: outlet sums per wave (``dealer_nps_by_wave``), baseline and watched waves.
        baseline: the waves the centre line is fixed from; watched: the waves tested.
        opts: confidence level (the family's false-discovery control) and minimum n.
    """
    key = kept.fingerprint(waves, tuple(baseline), tuple(watched), opts)
    return _CHARTS.get(key, lambda: _detractor_charts(waves, baseline, watched, opts))


_CHARTS: kept.Kept[ControlCharts] = kept.Kept(32, per_selection=True)


def _detractor_charts(
    waves: pl.DataFrame,
    baseline: Sequence[str],
    watched: Sequence[str],
    opts: Options,
) -> ControlCharts:
    """:func:`detractor_charts` made."""
    if waves.is_empty() or not baseline or not watched:
        empty = pl.DataFrame(schema=dict.fromkeys(KEYS, pl.String))
        return ControlCharts(empty, empty, tuple(baseline), tuple(watched), 0, 0, 0.0)
    sums = list(measures.NPS_SUMS)
    per_wave = waves.group_by(*KEYS, "wave").agg(pl.col(sums).sum())
    base = (
        per_wave.filter(pl.col("wave").is_in(list(baseline)))
        .group_by(KEYS)
        .agg(pl.col(sums).sum())
        .with_columns(
            baseline_n=pl.col("n"),
            baseline_eff=pl.col("sw") ** 2 / pl.col("sw2"),
            p0=pl.col("swd") / pl.col("sw"),
        )
        .select(*KEYS, "baseline_n", "baseline_eff", "p0")
    )
    rows = per_wave.filter(pl.col("wave").is_in([*baseline, *watched])).join(
        base, on=KEYS, how="inner", nulls_equal=True
    )
    n_eff = pl.col("sw") ** 2 / pl.col("sw2")
    # a baseline of all-promoters (or all-detractors) would give no spread: half an answer off
    p0 = pl.col("p0").clip(0.5 / pl.col("baseline_eff"), 1 - 0.5 / pl.col("baseline_eff"))
    rows = rows.with_columns(
        n_effective=n_eff,
        share=pl.col("swd") / pl.col("sw"),
        sigma=(p0 * (1 - p0) * (1 / n_eff + 1 / pl.col("baseline_eff"))).sqrt(),
        watched=pl.col("wave").is_in(list(watched)),
        small=(pl.col("n") < opts.min_n)
        | (n_eff < opts.min_n)
        | (pl.col("baseline_n") < opts.min_n)
        | (pl.col("baseline_eff") < opts.min_n),
    ).with_columns(
        z=pl.when(pl.col("watched") & ~pl.col("small"))
        .then((pl.col("share") - pl.col("p0")) / pl.col("sigma"))
        .otherwise(None)
    )
    z = rows["z"].to_numpy()  # null (not tested) comes out as NaN
    p = np.where(np.isnan(z), np.nan, 2.0 * norm.sf(np.abs(np.nan_to_num(z))))
    q, beyond = stats.discoveries(p, opts.confidence)
    tested = int(np.isfinite(p).sum())
    found = int(beyond.sum())
    critical = stats.z_value(1.0 - max(found, 1) * (1.0 - opts.confidence) / max(tested, 1))
    points = rows.with_columns(
        p_value=pl.Series(p, nan_to_null=True),
        q_value=pl.Series(q, nan_to_null=True),
        beyond=pl.Series(beyond, dtype=pl.Boolean),
        share_pct=pl.when(pl.col("small")).then(None).otherwise(pl.col("share") * 100),
        baseline_pct=pl.col("p0") * 100,
        lower_pct=((pl.col("p0") - critical * pl.col("sigma")).clip(0, 1) * 100),
        upper_pct=((pl.col("p0") + critical * pl.col("sigma")).clip(0, 1) * 100),
    ).select(
        *KEYS, "wave", "n", "n_effective", "share_pct", "baseline_pct", "lower_pct",
        "upper_pct", "watched", "z", "p_value", "q_value", "beyond",
    ).sort(*KEYS, "wave", nulls_last=True)  # fmt: skip
    suppressed = int((frames.true(rows["watched"]) & frames.true(rows["small"])).sum())
    return ControlCharts(
        points,
        _outlets(points, waves),
        tuple(baseline),
        tuple(watched),
        tested,
        suppressed,
        critical,
    )


def _outlets(points: pl.DataFrame, waves: pl.DataFrame) -> pl.DataFrame:
    """One row per outlet with a tested point: its baseline, whether any point is beyond, its
    latest tested point."""
    tested = frames.kept(points, points["z"].is_not_null())
    if tested.is_empty():
        return pl.DataFrame(schema=dict.fromkeys(KEYS, pl.String))
    about = outlets.attributes(waves).select(*KEYS, "dealer_name", "country")
    latest = tested.sort("wave").group_by(KEYS, maintain_order=True).last()
    summary = tested.group_by(KEYS).agg(
        tested=pl.len(), beyond=pl.col("beyond").any(), n=pl.col("n").sum()
    )
    return (
        latest.select(
            *KEYS,
            baseline_pct="baseline_pct",
            latest_wave="wave",
            latest_pct="share_pct",
            latest_z="z",
            latest_q="q_value",
        )
        .join(summary, on=KEYS, nulls_equal=True)
        .join(about, on=KEYS, how="left", nulls_equal=True)
        .sort(
            pl.col("beyond"),
            pl.col("latest_z").abs(),
            pl.col("n"),
            descending=[True, True, True],
            nulls_last=True,
        )
    )
