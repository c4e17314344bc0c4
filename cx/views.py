"""What each page shows, computed from the query layer: pure functions, no Streamlit.

Every function takes a ``run(query_name, params) -> DataFrame`` callable, so the app can pass a
cached runner and the benchmark an uncached one: both measure and show the same work.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import polars as pl

from cx import revenue, stats
from cx.schema import DEFAULT_CONFIDENCE, DEFAULT_MIN_N, ITEM_LABELS, STAGES, SWITCH_INTENTS
from cx.selection import Selection

Runner = Callable[[str, dict[str, Any]], pl.DataFrame]

NPS_SUMS = ("n", "sw", "sw2", "swp", "swd")


@dataclass(frozen=True)
class StatOptions:
    """Statistical settings shared by every view."""

    min_n: int = DEFAULT_MIN_N
    confidence: float = DEFAULT_CONFIDENCE


def nps_sums(run: Runner, sel: Selection, by: str, **extra: Any) -> pl.DataFrame:
    """Sufficient NPS statistics per value of ``by`` (column named ``by``)."""
    return run("nps_by_group", sel.params(by=by, **extra)).rename({"grp": by})


def nps_by(run: Runner, sel: Selection, by: str, opts: StatOptions = StatOptions()) -> pl.DataFrame:
    """NPS with interval, shares and suppression per value of ``by``, best first."""
    table = stats.nps_table(nps_sums(run, sel, by), opts.confidence, opts.min_n)
    return table.sort("nps", descending=True, nulls_last=True)


def nps_by_pair(
    run: Runner, sel: Selection, by: str, by2: str, opts: StatOptions = StatOptions()
) -> pl.DataFrame:
    """NPS per pair of dimensions (columns named ``by`` and ``by2``)."""
    sums = run("nps_by_group_pair", sel.params(by=by, by2=by2)).rename({"grp": by, "grp2": by2})
    return stats.nps_table(sums, opts.confidence, opts.min_n)


def overall_nps(sums: pl.DataFrame, opts: StatOptions = StatOptions()) -> dict[str, Any]:
    """NPS of the whole selection from per-group sums (groups must partition the selection)."""
    total = sums.select(pl.col(list(NPS_SUMS)).sum())
    row = stats.nps_table(total, opts.confidence, opts.min_n).row(0, named=True)
    return row


def versus_rest(
    sums: pl.DataFrame, key: str, within: str | None = None, opts: StatOptions = StatOptions()
) -> pl.DataFrame:
    """NPS of each group against the rest of its population (everyone else in the selection).

    A group is part of its benchmark, so testing it against the whole would not compare
    independent samples; the complement is computed from sums (total minus group). With
    ``within`` (e.g. industry), the rest is taken within the same value of that column.

    Returns:
        One row per group: its NPS statistics, ``rest_nps``, ``gap`` (NPS points), ``z``,
        ``p_value`` and ``significant`` (False where either side is suppressed).
    """
    parts = [within] if within else []
    totals = sums.group_by(parts).agg(pl.col(list(NPS_SUMS)).sum()) if parts else None
    if totals is not None:
        joined = sums.join(totals, on=parts, suffix="_total")
    else:
        grand = sums.select(pl.col(list(NPS_SUMS)).sum())
        joined = sums.with_columns([pl.lit(grand[c][0]).alias(f"{c}_total") for c in NPS_SUMS])
    rest = joined.select([pl.col(f"{c}_total") - pl.col(c) for c in NPS_SUMS]).rename(
        {f"{c}_total": c for c in NPS_SUMS}
    )
    mine = stats.nps_table(joined.select([key, *parts, *NPS_SUMS]), opts.confidence, opts.min_n)
    other = stats.nps_table(rest, opts.confidence, opts.min_n)
    z, p, sig = stats.difference_test(
        mine["nps"].fill_null(np.nan).to_numpy(),
        mine["se"].fill_null(np.nan).to_numpy(),
        other["nps"].fill_null(np.nan).to_numpy(),
        other["se"].fill_null(np.nan).to_numpy(),
        opts.confidence,
    )
    return mine.with_columns(
        rest_nps=other["nps"],
        rest_n=other["n"],
        gap=mine["nps"] - other["nps"],
        z=pl.Series(np.atleast_1d(z)).fill_nan(None),
        p_value=pl.Series(np.atleast_1d(p)).fill_nan(None),
        significant=pl.Series(np.atleast_1d(sig)).cast(pl.Boolean),
    )


def stage_by(
    run: Runner, sel: Selection, by: str, opts: StatOptions = StatOptions()
) -> pl.DataFrame:
    """Top-2-box, mean and dissatisfaction per value of ``by`` and satisfaction item.

    Adds ``dissatisfied_pct`` (1-2 of 5) and ``switch_if_dissatisfied_pct`` (share of the
    dissatisfied who intend to switch within 18 months), and ``label`` for the item.
    """
    raw = run("stage_by_group", sel.params(by=by)).rename({"grp": by})
    if raw.is_empty():
        return raw
    table = stats.top2box_table(raw, opts.confidence, opts.min_n)
    hide = pl.col("suppressed")
    return table.with_columns(
        dissatisfied_pct=pl.when(hide).then(None).otherwise(pl.col("swb") / raw["sw"] * 100.0),
        switch_if_dissatisfied_pct=pl.when(hide | (pl.col("swb_switch_known") <= 0))
        .then(None)
        .otherwise(pl.col("swb_switch") / pl.col("swb_switch_known") * 100.0),
        label=pl.col("item").replace_strict(ITEM_LABELS, default=pl.col("item")),
        order=pl.col("item").replace_strict(
            {s: i for i, s in enumerate(ITEM_LABELS)}, default=99, return_dtype=pl.Int32
        ),
    ).sort([by, "order"])


def switch_by(
    run: Runner, sel: Selection, by: str, opts: StatOptions = StatOptions()
) -> pl.DataFrame:
    """Share of each switching-intent answer per value of ``by`` (percent of those answering)."""
    raw = run("switch_intent_by_group", sel.params(by=by)).rename({"grp": by})
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


def drivers(
    run: Runner, sel: Selection, by: str = "industry", opts: StatOptions = StatOptions()
) -> pl.DataFrame:
    """Key-driver analysis: relative importance of each stage for NPS (Johnson's weights).

    The weighted correlation matrix of the 8 stage scores and the 0-10 score is rebuilt from
    the moment sums of complete cases, summed over the selection (all groups of ``by``).

    Returns:
        One row per stage: ``importance_pct`` (share of explained variance), ``raw_weight``,
        plus the model ``r2`` and ``n`` on every row; empty if fewer than ``min_n`` complete
        cases or more than 20 per stage are missing.
    """
    raw = run("driver_moments_by_group", sel.params(by=by))
    if raw.is_empty():
        return pl.DataFrame()
    tot = raw.drop("grp").sum()
    n = float(tot["n"][0])
    if n < max(opts.min_n, 20 * len(STAGES)):
        return pl.DataFrame()
    k = len(STAGES)
    sx = np.array([tot[f"x_{s}"][0] for s in STAGES] + [tot["y"][0]], dtype=float)
    sxx = np.zeros((k + 1, k + 1))
    for i, a in enumerate(STAGES):
        for j in range(i, k):
            b = STAGES[j]
            sxx[i, j] = sxx[j, i] = float(tot[f"xx_{a}__{b}"][0])
        sxx[i, k] = sxx[k, i] = float(tot[f"xy_{a}"][0])
    sxx[k, k] = float(tot["yy"][0])
    corr = stats.correlation_from_moments(float(tot["sw"][0]), sx, sxx)
    weights, r2 = stats.relative_weights(corr)
    return pl.DataFrame(
        {
            "item": list(STAGES),
            "label": [ITEM_LABELS[s] for s in STAGES],
            "raw_weight": weights,
            "importance_pct": weights / r2 * 100.0 if r2 > 0 else weights * 0,
            "correlation": corr[:-1, -1],
            "r2": [r2] * k,
            "n": [n] * k,
        }
    )


def funnel_by(run: Runner, sel: Selection, by: str = "channel") -> pl.DataFrame:
    """Funnel totals per value of ``by`` with stage-to-stage conversion rates (percent)."""
    raw = run("funnel_by_group", sel.params(by=by)).rename({"grp": by})
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


def wave_change(by_wave: pl.DataFrame, opts: StatOptions = StatOptions()) -> dict[str, Any] | None:
    """Latest wave vs the previous one from an ``nps_by(..., "wave")`` table, with a z test."""
    rows = by_wave.filter(~pl.col("suppressed")).sort("wave")
    if rows.height < 2:
        return None
    last, prev = rows.row(-1, named=True), rows.row(-2, named=True)
    z, p, sig = stats.difference_test(
        last["nps"], last["se"], prev["nps"], prev["se"], opts.confidence
    )
    return {
        "wave": last["wave"],
        "previous_wave": prev["wave"],
        "change": last["nps"] - prev["nps"],
        "z": z,
        "p_value": p,
        "significant": bool(sig),
    }


# --- What each page runs -------------------------------------------------------------------
# The pages call these; `python -m cx bench` times them, so the benchmark measures page work.

PUBLISHED_CHANNEL_FIGURES = [
    "neo_direct_share",
    "neo_dealers_loss",
    "neo_dealers_target",
    "mck_not_satisfied",
    "zs_cxi_2024_sales_nev",
    "zs_cxi_2024_after_nev",
]


def overview_page(run: Runner, sel: Selection, opts: StatOptions = StatOptions()) -> dict[str, Any]:
    """KPI inputs: NPS by wave and industry, stages overall, switching intent overall."""
    return {
        "by_wave": nps_by(run, sel, "wave", opts).sort("wave"),
        "by_industry": nps_by(run, sel, "industry", opts),
        "stages": stage_by(run, sel, "all", opts),
        "switch": switch_by(run, sel, "all", opts),
        "overall_sums": nps_sums(run, sel, "all"),
    }


def industries_page(
    run: Runner, sel: Selection, opts: StatOptions = StatOptions()
) -> dict[str, Any]:
    """Published industry ranking beside survey NPS by industry."""
    return {
        "ranking": run("industry_ranking_published", {}),
        "nps": nps_by(run, sel, "industry", opts),
        "nps_figures": run("published_figures", {"topics": ["nps"], "figure_ids": None}),
    }


def brands_page(run: Runner, sel: Selection, opts: StatOptions = StatOptions()) -> dict[str, Any]:
    """Brand NPS with significance against the rest of the brand's industry, and trends."""
    pair = run("nps_by_group_pair", sel.params(by="brand", by2="industry"))
    sums = pair.rename({"grp": "brand", "grp2": "industry"})
    return {
        "versus_industry": versus_rest(sums, "brand", within="industry", opts=opts),
        "sums": sums,
        "trend": nps_by_pair(run, sel, "brand", "wave", opts),
    }


def countries_page(
    run: Runner, sel: Selection, opts: StatOptions = StatOptions()
) -> dict[str, Any]:
    """NPS by country with map coordinates, and brand x country."""
    return {
        "by_country": nps_by(run, sel, "country", opts),
        "reference": run("country_reference", {}),
        "brand_country": nps_by_pair(run, sel, "brand", "country", opts),
    }


def journey_page(run: Runner, sel: Selection, opts: StatOptions = StatOptions()) -> dict[str, Any]:
    """Stage satisfaction overall and by brand, and the key-driver model."""
    return {
        "stages": stage_by(run, sel, "all", opts),
        "by_brand": stage_by(run, sel, "brand", opts),
        "drivers": drivers(run, sel, "all", opts),
    }


def channels_page(run: Runner, sel: Selection, opts: StatOptions = StatOptions()) -> dict[str, Any]:
    """Sales channel comparison: NPS, stages, switching, funnel, published context."""
    sums = nps_sums(run, sel, "channel").filter(pl.col("channel").is_not_null())
    return {
        "nps": versus_rest(sums, "channel", opts=opts) if not sums.is_empty() else sums,
        "stages": stage_by(run, sel, "channel", opts),
        "switch": switch_by(run, sel, "channel", opts),
        "funnel": funnel_by(run, sel, "channel"),
        "published": run(
            "published_figures", {"topics": None, "figure_ids": PUBLISHED_CHANNEL_FIGURES}
        ),
    }


def revenue_page(run: Runner, sel: Selection, opts: StatOptions = StatOptions()) -> dict[str, Any]:
    """Survey inputs for the from-data preset: after-sales dissatisfaction, switching by brand."""
    stages = stage_by(run, sel, "brand", opts)
    if not stages.is_empty():
        stages = stages.filter(pl.col("item") == "maintain")
    return {"maintain_by_brand": stages, "brands": run("brand_reference", {})}


PAGES: dict[str, Callable[..., dict[str, Any]]] = {
    "overview": overview_page,
    "industries": industries_page,
    "brands": brands_page,
    "countries": countries_page,
    "journey": journey_page,
    "channels": channels_page,
    "revenue": revenue_page,
}


def overview_summary(data: dict[str, Any], opts: StatOptions = StatOptions()) -> dict[str, Any]:
    """Everything the executive summary states, computed once for the page and its exports.

    Returns ``overall`` (NPS row or None), ``change`` (vs previous wave or None), ``stages``
    (the 8 stages), ``ranked`` (unsuppressed stages, weakest first), ``maintain`` (after-sales
    row), ``risk`` (revenue-at-risk model result) and ``findings`` (up to three plain-text
    sentences: escape them before rendering as Markdown).
    """
    sums = data["overall_sums"]
    overall = overall_nps(sums, opts) if not sums.is_empty() else None
    change = wave_change(data["by_wave"], opts)
    stages = data["stages"]
    if not stages.is_empty():
        stages = stages.filter(pl.col("item") != "price_transparency")
    ranked = (
        stages.filter(~pl.col("suppressed")).sort("top2_pct") if not stages.is_empty() else stages
    )
    maintain = stages.filter(pl.col("item") == "maintain") if not stages.is_empty() else stages
    switch = data["switch"]
    overrides: dict[str, float] = {}
    if maintain.height and maintain["dissatisfied_pct"][0] is not None:
        overrides["dissatisfied_share"] = maintain["dissatisfied_pct"][0] / 100
    if maintain.height and maintain["switch_if_dissatisfied_pct"][0] is not None:
        overrides["switch_probability"] = maintain["switch_if_dissatisfied_pct"][0] / 100
    risk = revenue.compute(revenue.resolve(overrides=overrides))

    findings: list[str] = []
    by_industry = data["by_industry"].filter(~pl.col("suppressed"))
    if by_industry.height >= 2:
        top, bottom = by_industry.row(0, named=True), by_industry.row(-1, named=True)
        findings.append(
            f"{top['industry']} leads the sample with an NPS of {stats.signed(top['nps'])} and "
            f"{bottom['industry']} trails at {stats.signed(bottom['nps'])}, a gap of "
            f"{top['nps'] - bottom['nps']:.0f} points."
        )
    if ranked.height:
        worst = ranked.row(0, named=True)
        text = f"{worst['label']} is the weakest stage ({worst['top2_pct']:.0f}% satisfied)"
        after = maintain["switch_if_dissatisfied_pct"][0] if maintain.height else None
        if after is not None:
            text += (
                f"; {after:.0f}% of customers dissatisfied with after-sales intend to switch "
                "brand within 18 months"
            )
        findings.append(text + ".")
    if change:
        verb = "rose" if change["change"] > 0 else "fell"
        findings.append(
            f"NPS {verb} {abs(change['change']):.1f} points from {change['previous_wave']} to "
            f"{change['wave']}"
            + (
                ", a significant change."
                if change["significant"]
                else ", within the noise (not significant)."
            )
        )
    if switch.height and switch["switch_18m_pct"][0] is not None and len(findings) < 3:
        findings.append(
            f"{switch['switch_18m_pct'][0]:.0f}% of respondents intend to switch brand within "
            "18 months."
        )
    return {
        "overall": overall,
        "change": change,
        "stages": stages,
        "ranked": ranked,
        "maintain": maintain,
        "risk": risk,
        "findings": findings[:3],
    }
