"""What comments say, from the summary cells: topic shares with intervals, the NPS of those who
mention a topic, topics by group, and distinguishing terms.

Every share is weighted (survey weights) among respondents who commented; intervals are
Agresti-Coull on the Kish effective n (:func:`cx.metrics.stats.proportion_interval`), tests are
two-sample z tests (:func:`cx.metrics.stats.difference_test`) at the chosen level, and groups under
``min_n`` commenters are suppressed, like every other chart.

Each table's tests are one family whose false discovery rate is controlled (``q_value``,
:func:`controlled`) with Benjamini-Yekutieli (:data:`FDR`): the topics of one table are
mentioned by the same commenters, and each group is compared with the others of the same
population, so the tests depend on each other by construction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, Literal

import numpy as np
import polars as pl

from cx.core.display import NPS_GROUPS
from cx.core.i18n import _
from cx.core.options import Options
from cx.core.schema import ITEM_LABELS
from cx.core.selection import Selection
from cx.data.sql import Read, Runner
from cx.metrics import frames, kept, stats
from cx.text import distinguish, topics

#: False-discovery control of the comment families (see the module docstring).
FDR: Final[Literal["bh", "by"]] = "by"

SUMS = ("comments", "n", "np", "nd", "sw", "sw2", "swp", "swd", "sw2p", "sw2d")
#: NPS groups: (code, display name, count, weight, squared-weight expressions).
GROUPS: dict[str, tuple[str, pl.Expr, pl.Expr, pl.Expr]] = {
    "detractor": (NPS_GROUPS["detractor"], pl.col("nd"), pl.col("swd"), pl.col("sw2d")),
    "passive": (
        NPS_GROUPS["passive"],
        pl.col("n") - pl.col("np") - pl.col("nd"),
        pl.col("sw") - pl.col("swp") - pl.col("swd"),
        pl.col("sw2") - pl.col("sw2p") - pl.col("sw2d"),
    ),
    "promoter": (NPS_GROUPS["promoter"], pl.col("np"), pl.col("swp"), pl.col("sw2p")),
}
GROUP_NAMES = {code: spec[0] for code, spec in GROUPS.items()}


def group_name(code: str) -> str:
    """An NPS group's display name in the language shown (as the tables' ``group`` column and
    the claims that read it name it)."""
    return _(GROUP_NAMES[code])


def topic_sums(run: Runner, sel: Selection, by: str, language: str | None) -> pl.DataFrame:
    """Sums of commenters per value of ``by`` (column ``grp``: a grouping dimension,
    ``language`` or ``all``), kind and topic, within the selection and the language (None: all
    languages); the topic cells summed per group (``queries/topic_by_groupings.sql``)."""
    sums = topic_breakdowns(run, sel, (by,), language)[by]
    return sums if by != "language" or language is None else sums.filter(pl.col("grp") == language)


def topic_breakdowns_read(sel: Selection, bys: Sequence[str], language: str | None) -> Read:
    """The query :func:`topic_breakdowns` reads."""
    return "topic_by_groupings", sel.params(bys=list(bys), language=language)


def topic_breakdowns(
    run: Runner, sel: Selection, bys: Sequence[str], language: str | None
) -> dict[str, pl.DataFrame]:
    """:func:`topic_sums` of several dimensions in one query; the ``language`` breakdown (if
    asked for) covers every language, the others ``language`` only."""
    raw = run(*topic_breakdowns_read(sel, bys, language))
    parts = frames.runs(raw, ["dimension"])  # the query orders by it
    rest = [c for c in raw.columns if c != "dimension"]
    return {by: frames.columns(parts.get((by,), raw.clear()), rest) for by in bys}


def pooled(by_language: pl.DataFrame, language: str | None) -> pl.DataFrame:
    """The ``by='all'`` sums from the ``by='language'`` ones (one query fewer): one language's
    rows, or all languages added up (the undetermined included)."""
    rows = by_language if language is None else by_language.filter(pl.col("grp") == language)
    return (
        rows.group_by("kind", "topic", maintain_order=True)
        .agg(pl.col(list(SUMS)).sum())
        .with_columns(grp=pl.lit("All"))
        .select("grp", "kind", "topic", *SUMS)
    )


def _share(
    numer: np.ndarray, denom: np.ndarray, denom2: np.ndarray, count: np.ndarray, opts: Options
) -> dict[str, np.ndarray]:
    """Weighted share numer/denom in percent with its interval; suppressed under min_n."""
    safe = np.where(denom > 0, denom, 1.0)
    p = np.clip(numer / safe, 0.0, 1.0)
    n_eff = np.asarray(stats.effective_n(denom, denom2), dtype=float)
    low, high, se = stats.proportion_interval(p, n_eff, opts.confidence)
    hide = (count < opts.min_n) | (denom <= 0)
    return {
        "share_pct": np.where(hide, np.nan, p * 100.0),
        "share_low": np.where(hide, np.nan, np.atleast_1d(low)),
        "share_high": np.where(hide, np.nan, np.atleast_1d(high)),
        "share_se": np.where(hide, np.nan, np.atleast_1d(se)),
        "suppressed": hide,
    }


def _frame(base: pl.DataFrame, values: dict[str, np.ndarray]) -> pl.DataFrame:
    """``base`` with ``values`` as columns; NaN (not estimable) becomes null in every float
    column."""
    cols = [pl.Series(k, np.atleast_1d(v), nan_to_null=True) for k, v in values.items()]
    out = frames.appended(base, cols)
    floats = [c for c, t in base.schema.items() if t == pl.Float64 and c not in values]
    return out.with_columns(pl.col(floats).fill_nan(None)) if floats else out


def _with_base(sums: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Rows of one kind joined with their group's commenters (columns suffixed ``_all``)."""
    kinds = sums.get_column("kind").to_numpy()
    base = frames.columns(
        frames.kept(sums, kinds == "all"), {"grp": "grp", **{c: f"{c}_all" for c in SUMS}}
    )
    rows = frames.columns(
        frames.kept(sums, kinds == kind), [c for c in sums.columns if c != "kind"]
    )
    return rows.join(base, on="grp", how="inner", nulls_equal=True)


def group_shares(sums: pl.DataFrame, kind: str, opts: Options) -> pl.DataFrame:
    """Share of each NPS group's commenters who mention each topic (or stage).

    Args:
        sums: :func:`topic_sums` with ``by='all'``.
        kind: ``topic`` or ``stage``.

    Returns:
        Long: ``topic``, ``label``, ``nps_group``, ``group`` (display name), ``n`` (group's
        commenters), ``mentions``, ``share_pct``/``share_low``/``share_high``,
        ``suppressed``; plus per topic ``gap`` (detractors minus promoters, points),
        ``p_value``, ``q_value`` and ``significant`` (the topics one family, :data:`FDR`).
    """
    rows = _with_base(sums, kind)
    if rows.is_empty():
        return pl.DataFrame()
    # every group's count and weights, of the mentions and of all the group's commenters,
    # in one pass each
    every = rows.select(*[pl.col(f"{c}_all").alias(c) for c in SUMS])
    mine = rows.select(
        *[e.alias(f"{code}:{i}") for code, spec in GROUPS.items() for i, e in enumerate(spec[1:3])]
    )
    all_ = every.select(
        *[e.alias(f"{code}:{i}") for code, spec in GROUPS.items() for i, e in enumerate(spec[1:])]
    )
    topic = rows.get_column("topic")
    parts, shares = [], {}
    for code, (name, *_sums) in GROUPS.items():
        count, weight, weight2 = (all_.get_column(f"{code}:{i}") for i in range(3))
        mentions = mine.get_column(f"{code}:0")
        shares[code] = _share(
            mine.get_column(f"{code}:1").to_numpy(), weight.to_numpy(), weight2.to_numpy(),
            count.to_numpy(), opts,
        )  # fmt: skip
        base = pl.DataFrame(
            [
                topic,
                pl.Series("nps_group", [code] * len(topic), pl.String),
                pl.Series("group", [_(name)] * len(topic), pl.String),
                count.alias("n"),
                mentions.alias("mentions"),
            ]
        )
        parts.append(_frame(base, shares[code]))
    long = pl.concat(parts)
    d, p = shares["detractor"], shares["promoter"]  # the same topics, in the same order
    _diff, pv, _z = stats.difference_test(
        d["share_pct"], d["share_se"], p["share_pct"], p["share_se"], opts.confidence
    )
    tests = controlled(
        pl.DataFrame(
            [
                topic,
                pl.Series("gap", d["share_pct"] - p["share_pct"], nan_to_null=True),
                pl.Series("p_value", np.atleast_1d(pv), nan_to_null=True),
            ]
        ),
        opts,
    )
    return long.join(tests, on="topic", how="left").with_columns(label=_labels(kind))


def _labels(kind: str) -> pl.Expr:
    """The display names of stages or topics, in the language shown."""
    names = (
        {k: _(v) for k, v in ITEM_LABELS.items()}
        if kind == "stage"
        else {k: topics.label(k) for k in topics.taxonomy()}
    )
    return pl.col("topic").replace_strict(names, default=pl.col("topic"), return_dtype=pl.String)


def topic_table(sums: pl.DataFrame, opts: Options) -> pl.DataFrame:
    """Each topic: how many commenters mention it, their share, and the NPS of those who
    mention it against those who do not.

    Args:
        sums: :func:`topic_sums` with ``by='all'``.

    Returns:
        One row per topic, most mentioned first: ``topic``, ``label``, ``stage``,
        ``mentions`` (respondents), ``comments_n`` (all commenters), ``share_pct`` with
        interval, ``nps`` and ``ci_low``/``ci_high`` of those mentioning it, ``rest_nps`` of
        the other commenters, ``gap`` (points), ``gap_low``/``gap_high`` (interval of the
        difference), ``p_value``, ``q_value``, ``significant`` (the topics one family,
        :data:`FDR`), ``suppressed``.
    """
    rows = _with_base(sums, "topic")
    if rows.is_empty():
        return pl.DataFrame()
    shares = _share(
        rows["sw"].to_numpy(), rows["sw_all"].to_numpy(), rows["sw2_all"].to_numpy(),
        rows["n_all"].to_numpy(), opts,
    )  # fmt: skip
    mine = stats.nps_from_sums(
        rows["n"].to_numpy(), rows["sw"].to_numpy(), rows["sw2"].to_numpy(),
        rows["swp"].to_numpy(), rows["swd"].to_numpy(), opts.confidence, opts.min_n,
    )  # fmt: skip
    rest = {
        c: rows[f"{c}_all"].to_numpy() - rows[c].to_numpy()
        for c in ("n", "sw", "sw2", "swp", "swd")
    }
    other = stats.nps_from_sums(
        rest["n"], rest["sw"], rest["sw2"], rest["swp"], rest["swd"], opts.confidence, opts.min_n
    )
    _diff, pv, _z = stats.difference_test(
        mine["centre"], mine["se"], other["centre"], other["se"], opts.confidence
    )
    gap = np.asarray(mine["nps"]) - np.asarray(other["nps"])
    half = stats.z_value(opts.confidence) * np.sqrt(
        np.asarray(mine["se"]) ** 2 + np.asarray(other["se"]) ** 2
    )
    stage_of = {k: t.stage for k, t in topics.taxonomy().items()}
    base = rows.select("topic", pl.col("n").alias("mentions"), pl.col("n_all").alias("comments_n"))
    out = _frame(
        base,
        {
            **{k: v for k, v in shares.items() if k != "suppressed"},
            "nps": mine["nps"], "ci_low": mine["ci_low"], "ci_high": mine["ci_high"],
            "rest_nps": other["nps"], "gap": gap, "gap_low": gap - half, "gap_high": gap + half,
            "p_value": pv,
            "suppressed": np.asarray(mine["suppressed"], dtype=bool) | np.asarray(other["suppressed"], dtype=bool),
        },
    )  # fmt: skip
    return (
        controlled(out, opts)
        .with_columns(
            label=_labels("topic"),
            stage=pl.col("topic").replace_strict(stage_of, default=None, return_dtype=pl.String),
        )
        .sort("mentions", descending=True)
    )


def shares_by(sums: pl.DataFrame, opts: Options, kind: str = "topic") -> pl.DataFrame:
    """Share of commenters mentioning each topic per group of a dimension, each group
    tested against the other groups together (total minus the group, from sums).

    Args:
        sums: :func:`topic_sums` with ``by`` a dimension (brand, wave, language...).

    Returns:
        Long: ``grp``, ``topic``, ``label``, ``n`` (group's commenters), ``mentions``,
        ``share_pct`` with interval, ``rest_pct``, ``gap`` (points), ``p_value``,
        ``q_value``, ``significant`` (every group and topic tested one family, :data:`FDR`;
        :func:`controlled` again over the part a chart shows), ``suppressed``.
    """
    rows = _with_base(sums, kind).filter(pl.col("grp").is_not_null())
    if rows.is_empty():
        return pl.DataFrame()
    totals = rows.group_by("topic").agg(
        pl.col("sw").sum().alias("sw_t"), pl.col("n").sum().alias("n_t")
    )
    every = rows.select("grp", "sw_all", "sw2_all", "n_all").unique("grp")
    grand = every.select(pl.col("sw_all").sum(), pl.col("sw2_all").sum(), pl.col("n_all").sum())
    rows = rows.join(totals, on="topic").with_columns(
        rest_w=pl.col("sw_t") - pl.col("sw"),
        rest_all=grand["sw_all"][0] - pl.col("sw_all"),
        rest_all2=grand["sw2_all"][0] - pl.col("sw2_all"),
        rest_n=grand["n_all"][0] - pl.col("n_all"),
    )
    mine = _share(
        rows["sw"].to_numpy(),
        rows["sw_all"].to_numpy(),
        rows["sw2_all"].to_numpy(),
        rows["n_all"].to_numpy(),
        opts,
    )
    other = _share(
        rows["rest_w"].to_numpy(),
        rows["rest_all"].to_numpy(),
        rows["rest_all2"].to_numpy(),
        rows["rest_n"].to_numpy(),
        opts,
    )
    _diff, pv, _z = stats.difference_test(
        mine["share_pct"], mine["share_se"], other["share_pct"], other["share_se"], opts.confidence
    )
    base = rows.select("grp", "topic", pl.col("n_all").alias("n"), pl.col("n").alias("mentions"))
    out = _frame(
        base,
        {**mine, "rest_pct": other["share_pct"], "gap": mine["share_pct"] - other["share_pct"],
         "p_value": pv},
    )  # fmt: skip
    return controlled(out, opts).with_columns(label=_labels(kind))


def answering(by_brand: pl.DataFrame, min_n: int) -> list[str]:
    """The groups (brands) of :func:`shares_by` rows with at least ``min_n`` commenters, most
    commenters first."""
    if by_brand.is_empty():
        return []
    sizes = by_brand.group_by("grp").agg(pl.col("n").first()).filter(pl.col("n") >= min_n)
    return sizes.sort("n", descending=True)["grp"].to_list()


def shown(by_brand: pl.DataFrame, groups: list[str], opts: Options) -> pl.DataFrame:
    """The rows of ``groups`` (those of :func:`answering` a chart has room for), in name order,
    their cells one family whose false discovery rate is :func:`controlled`."""
    if by_brand.is_empty():
        return by_brand
    return controlled(by_brand.filter(pl.col("grp").is_in(groups)).sort("grp"), opts)


def controlled(table: pl.DataFrame, opts: Options) -> pl.DataFrame:
    """``q_value`` and ``significant`` for a table whose rows are one family of tests (from its
    ``p_value``; rows without one, suppressed or untested, are not in the family)."""
    p = table.get_column("p_value")
    q, found = stats.discoveries(  # a null p (no test) comes out as NaN
        (p if p.dtype == pl.Float64 else p.cast(pl.Float64)).to_numpy(), opts.confidence, FDR
    )
    return frames.appended(
        table,
        [
            pl.Series("q_value", q, nan_to_null=True),
            pl.Series("significant", found, dtype=pl.Boolean),
        ],
    )


def terms(run: Runner, dataset: str, language: str | None, opts: Options) -> pl.DataFrame:
    """Distinguishing terms of detractors versus promoters (per language, from ``term_cells``).

    They depend on the dataset's comments only, not on the filters, so they are computed once
    per content of the term counts and level, for every selection and session.

    Returns:
        :func:`cx.text.distinguish.distinguishing_terms` of the dataset's term counts.
    """
    cells = run("term_counts", {"dataset": dataset, "language": language})
    return _TERMS.get(
        (kept.digest(cells), opts.confidence),
        lambda: distinguish.distinguishing_terms(cells, opts.confidence),
    )


#: Distinguishing terms computed, by the content of their term counts and the level.
_TERMS: kept.Kept[pl.DataFrame] = kept.Kept(64)


def top_terms(table: pl.DataFrame, side: str, limit: int = 10) -> pl.DataFrame:
    """The terms most over-represented on one side (``detractors`` or ``promoters``), with
    ``z`` from that side's point of view (positive: over-represented there)."""
    if table.is_empty():
        return table.with_columns(pl.lit(None, pl.Float64).alias("side_z"))
    sign = 1.0 if side == "detractors" else -1.0
    return (
        table.with_columns(side_z=pl.col("z") * sign)
        .filter(pl.col("side_z") > 0)
        .sort("side_z", descending=True)
        .head(limit)
    )
