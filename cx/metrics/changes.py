"""What changed between two waves: every cell a user could look at, tested as one family.

The cells, each read from summary cells (never respondent rows), so the cost does not grow with
the number of respondents:

- ``nps``: the NPS of everyone, of each brand, country and channel (``nps_by_groupings``);
- ``satisfied``: the top-2-box satisfaction of each brand at each journey stage
  (``stage_by_group_pair``);
- ``outlet_nps``: the NPS of each outlet, one per outlet and brand (``dealer_nps_by_wave``);
- ``topic_share``: the share of commenters mentioning each topic (``topic_sums`` by wave).

Each cell's later wave is tested against its earlier one with the z test every page uses (the
adjusted centres and their standard errors). A cell whose effective n is under the minimum in
either wave is left out and counted. The tested cells are one family: Benjamini-Hochberg
q-values, ``significant`` when q is below 1 - confidence (:func:`measures.controlled`).

Intervals of the changes are false-coverage-rate adjusted (Benjamini and Yekutieli, 2005): with
R significant changes among m tested, every interval is at level 1 - max(R, 1) alpha / m, so the
intervals of the changes picked out as significant cover their true changes at the chosen level
on average, and a significant change's interval does not include zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from cx.core.options import Options
from cx.core.selection import Selection
from cx.data.sql import Read, Runner
from cx.metrics import frames, kept, measures, outlets, stats

#: Grouping dimensions whose NPS is a cell (``all``: everyone in the selection).
NPS_DIMENSIONS: tuple[str, ...] = ("all", "brand", "country", "channel")
#: The unit each metric's values are in (NPS points, or percent for shares).
UNITS: dict[str, str] = {
    "nps": "nps",
    "outlet_nps": "nps",
    "satisfied": "pct",
    "topic_share": "pct",
}
#: Columns of a family table, in order (``item``: the stage of a ``satisfied`` cell).
COLUMNS: tuple[str, ...] = (
    "metric", "dimension", "group", "item", "brand", "industry", "name", "country",
    "before", "after", "change", "ci_low", "ci_high", "n_before", "n_after", "z", "p_value",
    "q_value", "significant",
)  # fmt: skip
_TEXT = ("metric", "dimension", "group", "item", "brand", "industry", "name", "country")
_SIDE = ("value", "centre", "se", "n", "n_effective", "suppressed")


@dataclass(frozen=True)
class Family:
    """Every cell's change between two waves, one family of tests.

    Attributes:
        start: the earlier wave; end: the later wave.
        table: one row per tested cell (:data:`COLUMNS`), significant changes first, largest
            first; ``change`` is after - before (NPS points or percentage points), ``ci_low``/
            ``ci_high`` its false-coverage-rate adjusted interval (``interval_level``).
        tested: cells tested (the family's size).
        suppressed: cells seen in either wave but under the minimum effective n in one of them.
        suppressed_by: the suppressed cells per metric.
        interval_level: the level of the intervals (1 - max(R, 1) alpha / m).
        by_wave: the NPS sums of the whole selection in each of the two waves (``wave`` and
            :data:`cx.metrics.measures.NPS_SUMS`), from the same read as the cells.
    """

    start: str
    end: str
    table: pl.DataFrame
    tested: int
    suppressed: int
    suppressed_by: dict[str, int]
    interval_level: float
    by_wave: pl.DataFrame = field(default_factory=pl.DataFrame)

    @property
    def significant(self) -> pl.DataFrame:
        """The significant changes, largest first."""
        return self.table.filter(pl.col("significant"))


def _sides(
    frame: pl.DataFrame, keys: list[str], wave: str, start: str, end: str, names: dict[str, str]
) -> pl.DataFrame:
    """One row per cell with its earlier (``*_b``) and later (``*_a``) wave side by side; a cell
    missing in a wave is suppressed there."""
    waves = frame.get_column(wave).to_numpy()
    parts = [
        frames.columns(
            frames.kept(frame, waves == which),
            {k: k for k in keys} | {names[c]: f"{c}{suffix}" for c in _SIDE},
        )
        for suffix, which in (("_b", start), ("_a", end))
    ]
    both = parts[0].join(parts[1], on=keys, how="full", coalesce=True, nulls_equal=True)
    return frames.kept(both, frames.present(both.get_column(keys[0]))).with_columns(
        suppressed=pl.col("suppressed_b").fill_null(True) | pl.col("suppressed_a").fill_null(True),
        n_b=pl.col("n_b").fill_null(0),
        n_a=pl.col("n_a").fill_null(0),
    )


def _nps_cells(read: measures.Breakdowns, start: str, end: str, opts: Options) -> pl.DataFrame:
    """NPS cells of everyone, each brand, country and channel."""
    names = {c: c for c in _SIDE} | {"value": "nps"}
    sums = [
        frames.appended(
            frames.columns(
                read.frames[(by, "wave")],
                {by: "group", "wave": "wave", **{c: c for c in measures.NPS_SUMS}},
            ),
            [pl.Series("dimension", [by] * read.frames[(by, "wave")].height, pl.String)],
        )
        for by in NPS_DIMENSIONS
    ]
    table = measures.nps_of(pl.concat(sums), opts)  # the dimensions in one table, one pass
    if table.is_empty():
        return pl.DataFrame()
    sides = _sides(table, ["group", "dimension"], "wave", start, end, names)
    return sides.with_columns(
        metric=pl.lit("nps"), brand=pl.when(pl.col("dimension") == "brand").then("group")
    )


def _stage_cells(raw: pl.DataFrame, start: str, end: str, opts: Options) -> pl.DataFrame:
    """Top-2-box satisfaction cells of each brand at each stage (``stage_by_group_pair`` rows)."""
    if raw.is_empty():
        return pl.DataFrame()
    table = stats.top2box_table(
        raw.rename({"grp": "group", "grp2": "wave"}), opts.confidence, opts.min_n
    )
    names = {c: c for c in _SIDE} | {"value": "top2_pct", "centre": "top2_centre", "se": "top2_se"}
    sides = _sides(table, ["group", "item"], "wave", start, end, names)
    return sides.with_columns(
        metric=pl.lit("satisfied"), dimension=pl.lit("stage"), brand=pl.col("group")
    )


def _outlet_cells(waves: pl.DataFrame, start: str, end: str, opts: Options) -> pl.DataFrame:
    """NPS cells of each outlet (an outlet selling two brands is two cells), from
    :func:`cx.metrics.outlets.wave_sums` of the two waves."""
    if waves.is_empty():
        return pl.DataFrame()
    keys = list(outlets.KEYS)
    about = outlets.attributes(waves).select(*keys, name="dealer_name", country="country")
    sums = waves.group_by(*keys, "wave").agg(pl.col(list(measures.NPS_SUMS)).sum())
    table = stats.nps_table(sums, opts.confidence, opts.min_n)
    names = {c: c for c in _SIDE} | {"value": "nps"}
    sides = _sides(table, keys, "wave", start, end, names)
    return (
        sides.join(about, on=keys, how="left", nulls_equal=True)
        .rename({"dealer_id": "group"})
        .with_columns(metric=pl.lit("outlet_nps"), dimension=pl.lit("outlet"))
    )


def share_table(
    count: pl.Series, sw: pl.Series, sw2: pl.Series, part: pl.Series, opts: Options
) -> pl.DataFrame:
    """A weighted share (``part`` of ``sw``, percent) with its adjusted-Wald interval, centre and
    standard error, suppressed under the minimum effective n (the top-2-box estimator)."""
    zero = np.zeros(len(count))
    out = stats.top2box_from_sums(
        count.to_numpy(), sw.to_numpy(), sw2.to_numpy(), part.to_numpy(), zero, zero,
        opts.confidence, opts.min_n,
    )  # fmt: skip
    return pl.DataFrame(
        {
            "value": np.atleast_1d(out["top2_pct"]),
            "ci_low": np.atleast_1d(out["top2_low"]),
            "ci_high": np.atleast_1d(out["top2_high"]),
            "centre": np.atleast_1d(out["top2_centre"]),
            "se": np.atleast_1d(out["top2_se"]),
            "n": np.atleast_1d(out["n"]),
            "n_effective": np.atleast_1d(out["n_effective"]),
            "suppressed": np.atleast_1d(out["suppressed"]).astype(bool),
        }
    ).with_columns(pl.col(pl.Float64).fill_nan(None))


def topic_shares(sums: pl.DataFrame, opts: Options, who: str = "all") -> pl.DataFrame:
    """Share of commenters (``who='all'``) or of commenting detractors (``who='detractors'``)
    mentioning each topic, per ``grp`` of :func:`cx.data.sql.run` ``topic_sums`` rows."""
    if sums.is_empty():
        return pl.DataFrame()
    count, weight, weight2 = ("n", "sw", "sw2") if who == "all" else ("nd", "swd", "sw2d")
    base = sums.filter(pl.col("kind") == "all").select(
        "grp", n_all=count, w_all=weight, w2_all=weight2
    )
    rows = sums.filter(pl.col("kind") == "topic").join(
        base, on="grp", how="inner", nulls_equal=True
    )
    shares = share_table(rows["n_all"], rows["w_all"], rows["w2_all"], rows[weight], opts)
    return rows.select("grp", "topic", mentions=count).hstack(shares)


def _topic_cells(sums: pl.DataFrame, start: str, end: str, opts: Options) -> pl.DataFrame:
    """Topic-share cells: the share of commenters mentioning each topic (``topic_by_groupings``
    rows by wave)."""
    sums = sums.drop("dimension")
    table = topic_shares(sums, opts)
    if table.is_empty():
        return pl.DataFrame()
    sides = _sides(
        table.rename({"topic": "group"}), ["group"], "grp", start, end, {c: c for c in _SIDE}
    )
    return sides.with_columns(metric=pl.lit("topic_share"), dimension=pl.lit("topic"))


#: The NPS breakdowns of a pair of waves the family reads (and the brands' industries).
_BREAKDOWNS = (*[(by, "wave") for by in NPS_DIMENSIONS], ("brand", "industry"))


def _stage_read(pair: Selection) -> Read:
    return "stage_by_group_pair", pair.params(by="brand", by2="wave")


def _topic_read(pair: Selection) -> Read:
    return "topic_by_groupings", pair.params(bys=["wave"], language=None)


def compare_waves_reads(sel: Selection, start: str, end: str) -> list[Read]:
    """The queries :func:`compare_waves` reads (given the outlets' wave sums)."""
    pair = sel.with_filter("waves", [start, end])
    return [measures.breakdowns_read(pair, *_BREAKDOWNS), _stage_read(pair), _topic_read(pair)]


def compare_waves(
    run: Runner,
    sel: Selection,
    start: str,
    end: str,
    opts: Options,
    outlet_waves: pl.DataFrame | None = None,
) -> Family:
    """Every cell of the selection in wave ``end`` against wave ``start``, one family.

    Args:
        run: the query runner; sel: the selection (its wave filter is replaced by the two
            waves); start, end: the earlier and the later wave; opts: level and minimum n.
        outlet_waves: the outlets' :func:`cx.metrics.outlets.wave_sums` of ``sel`` over waves
            that include the two, if the caller has read them (one query fewer).
    """
    pair = sel.with_filter("waves", [start, end])
    read = measures.breakdowns(run, pair, *_BREAKDOWNS)
    stage, topic = run(*_stage_read(pair)), run(*_topic_read(pair))
    outlet = (
        outlets.wave_sums(run, pair)
        if outlet_waves is None
        else outlet_waves.filter(pl.col("wave").is_in([start, end]))
    )
    key = kept.fingerprint(read.frames, stage, topic, outlet, start, end, opts)
    return _FAMILIES.get(key, lambda: _family(read, stage, topic, outlet, start, end, opts))


#: Families by the content of what they were tested from: another pick on the same selection
#: (an outlet's control chart) or another session on it tests nothing again.
_FAMILIES: kept.Kept[Family] = kept.Kept(32, per_selection=True)


def _family(
    read: measures.Breakdowns,
    stage: pl.DataFrame,
    topic: pl.DataFrame,
    outlet: pl.DataFrame,
    start: str,
    end: str,
    opts: Options,
) -> Family:
    """The family of :func:`compare_waves` from its reads."""
    parts = [
        _nps_cells(read, start, end, opts),
        _stage_cells(stage, start, end, opts),
        _outlet_cells(outlet, start, end, opts),
        _topic_cells(topic, start, end, opts),
    ]
    found_parts = [p for p in parts if not p.is_empty()]
    every = pl.concat(found_parts, how="diagonal_relaxed") if found_parts else pl.DataFrame()
    if every.is_empty():
        every = pl.DataFrame(schema={"metric": pl.String, "suppressed": pl.Boolean})
    elif "brand" in every.columns:
        industry = read.nps("brand", "industry").select("brand", "industry")
        every = every.join(industry.unique("brand"), on="brand", how="left")
    left_out = every.filter(pl.col("suppressed"))
    by_metric = {str(k): int(v) for k, v in left_out.group_by("metric").len().iter_rows()}
    table = _tested(every.filter(~pl.col("suppressed")), opts)
    found = int(table["significant"].sum()) if table.height else 0
    level = 1.0 - max(found, 1) * (1.0 - opts.confidence) / max(table.height, 1)
    return Family(
        start, end, _intervals(table, level), table.height, left_out.height, by_metric, level,
        read.nps("all", "wave").drop("all"),
    )  # fmt: skip


def _tested(cells: pl.DataFrame, opts: Options) -> pl.DataFrame:
    """The z test of each cell and the family's false-discovery control."""
    if cells.is_empty():
        return pl.DataFrame(
            schema=dict.fromkeys(COLUMNS, pl.Float64)
            | dict.fromkeys(_TEXT, pl.String)
            | {"significant": pl.Boolean}
        )
    z, p, _significant = stats.difference_test(
        cells["centre_a"].to_numpy(), cells["se_a"].to_numpy(),
        cells["centre_b"].to_numpy(), cells["se_b"].to_numpy(), opts.confidence,
    )  # fmt: skip
    tested = cells.with_columns(
        *[
            pl.col(c).cast(pl.String) if c in cells.columns else pl.lit(None, pl.String).alias(c)
            for c in _TEXT
        ],
        before=pl.col("value_b"),
        after=pl.col("value_a"),
        gap=pl.col("value_a") - pl.col("value_b"),
        z=pl.Series(np.atleast_1d(z)),
        p_value=pl.Series(np.atleast_1d(p)),
        n_before=pl.col("n_b").cast(pl.Float64),
        n_after=pl.col("n_a").cast(pl.Float64),
    )
    return measures.controlled(tested, opts).rename({"gap": "change"})


def _intervals(table: pl.DataFrame, level: float) -> pl.DataFrame:
    """Each change's interval at ``level`` around the difference of the adjusted centres, widened
    to contain the change as shown; significant changes first, then by size."""
    if table.is_empty():
        return table.select(COLUMNS)
    z = stats.z_value(level)
    se = (pl.col("se_a") ** 2 + pl.col("se_b") ** 2).sqrt()
    centre = pl.col("centre_a") - pl.col("centre_b")
    return (
        table.with_columns(
            ci_low=pl.min_horizontal(centre - z * se, pl.col("change")),
            ci_high=pl.max_horizontal(centre + z * se, pl.col("change")),
        )
        .select(COLUMNS)
        .sort(
            pl.col("significant"),
            pl.col("change").abs(),
            pl.col("q_value"),
            descending=[True, True, False],
            nulls_last=True,
        )
    )


def pair_of(waves: Sequence[str], wave: str | None, since: str | None) -> tuple[str, str] | None:
    """The two waves compared: ``wave`` (else the latest) against ``since`` (else the one
    before it); None when there are not two waves, or the earlier is not before the later."""
    ordered = sorted(waves)
    if len(ordered) < 2:
        return None
    end = wave if wave in ordered[1:] else ordered[-1]
    earlier = [w for w in ordered if w < end]
    start = since if since in earlier else earlier[-1]
    return start, end
