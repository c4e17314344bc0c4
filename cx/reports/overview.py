"""Overview: the executive summary (latest wave's NPS, stages, revenue at risk, findings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from cx.core import display
from cx.core.options import Options
from cx.core.schema import NO_INDUSTRY
from cx.core.selection import Selection
from cx.exports.chart import Chart, Kpi
from cx.metrics import measures
from cx.models import revenue
from cx.reports import revenue as revenue_report
from cx.reports.base import Report, Runner, Source, Summary
from cx.reports.common import INDUSTRIES_IN_FILTERS, nps_trend_chart, stage_chart


@dataclass(frozen=True)
class OverviewResult:
    """What the executive summary states.

    Attributes:
        options: statistical options.
        by_wave: NPS per wave (oldest first) with intervals.
        by_industry: NPS per industry, best first.
        overall: NPS of the whole selection (all waves), or None without respondents.
        latest: the latest reportable wave's NPS row, or None.
        change: latest wave against the previous one (z test), or None with fewer than two.
        stages: satisfaction per journey stage (the 8 stages).
        ranked: unsuppressed stages, weakest first.
        maintain: the after-sales stage row, or None.
        switch: switching intent of the whole selection.
        risk: the Revenue-at-risk report for the default preset (:data:`revenue.DEFAULT_PRESET`),
            as the Revenue at risk page opens with the same filters.
        findings: up to three sentences the data supports (plain text: escape to render).
    """

    options: Options
    by_wave: pl.DataFrame
    by_industry: pl.DataFrame
    overall: dict[str, Any] | None
    latest: dict[str, Any] | None
    change: measures.WaveChange | None
    stages: pl.DataFrame
    ranked: pl.DataFrame
    maintain: dict[str, Any] | None
    switch: pl.DataFrame
    risk: revenue_report.RevenueResult
    findings: tuple[str, ...]


def compute(run: Runner, sel: Selection, opts: Options) -> OverviewResult:
    """The executive summary of a selection."""
    sums = measures.breakdowns(run, sel, ("wave",), ("all",), ("industry",))
    by_wave = measures.nps_ranked(sums.nps("wave"), opts).sort("wave")
    overall = measures.overall_nps(sums.nps("all"), opts)
    stages = measures.stage_by(run, sel, "all", opts)
    if not stages.is_empty():
        stages = stages.filter(pl.col("item") != "price_transparency")
    ranked = (
        stages.filter(~pl.col("suppressed")).sort("top2_pct") if not stages.is_empty() else stages
    )
    maintain_rows = stages.filter(pl.col("item") == "maintain") if not stages.is_empty() else stages
    maintain = maintain_rows.row(0, named=True) if maintain_rows.height else None
    by_industry = measures.nps_ranked(sums.nps("industry"), opts)
    switch = measures.switch_table(sums.switch("all"), opts)
    change = measures.wave_change(by_wave, opts)
    risk = revenue_report.compute(run, sel, opts, preset=revenue.DEFAULT_PRESET)
    result = OverviewResult(
        options=opts,
        by_wave=by_wave,
        by_industry=by_industry,
        overall=overall,
        latest=measures.latest_wave(by_wave),
        change=change,
        stages=stages,
        ranked=ranked,
        maintain=maintain,
        switch=switch,
        risk=risk,
        findings=(),
    )
    return OverviewResult(**{**result.__dict__, "findings": findings(result)})


def findings(r: OverviewResult) -> tuple[str, ...]:
    """Up to three findings, each only where the data supports it."""
    out: list[str] = []
    industries = r.by_industry.filter(~pl.col("suppressed") & (pl.col("industry") != NO_INDUSTRY))
    if industries.height >= 2:
        top, bottom = industries.row(0, named=True), industries.row(-1, named=True)
        out.append(
            f"Highest NPS in the sample: {top['industry']} at {display.nps(top['nps'])}; lowest: "
            f"{bottom['industry']} at {display.nps(bottom['nps'])}, a gap of "
            f"{top['nps'] - bottom['nps']:.0f} points."
        )
    if r.ranked.height:
        worst = r.ranked.row(0, named=True)
        text = f"{worst['label']} is the weakest stage ({display.pct(worst['top2_pct'])} satisfied)"
        after = r.maintain["switch_if_dissatisfied_pct"] if r.maintain else None
        if after is not None:
            text += (
                f"; {after:.0f}% of customers dissatisfied with after-sales intend to switch "
                "brand within 18 months"
            )
        out.append(text + ".")
    if r.change is not None:
        c = r.change
        verb = "rose" if c.change > 0 else "fell"
        out.append(
            f"NPS {verb} {abs(c.change):.1f} points from {c.previous_wave} to {c.wave}"
            + (
                f", a significant change at the {r.options.level} level."
                if c.significant
                else ", within the noise (not significant)."
            )
        )
    if len(out) < 3 and r.switch.height and r.switch["switch_18m_pct"][0] is not None:
        out.append(
            f"{r.switch['switch_18m_pct'][0]:.0f}% of respondents intend to switch brand within "
            "18 months."
        )
    return tuple(out[:3])


def trend_chart(r: OverviewResult, source: Source) -> Chart | None:
    """NPS by wave (see :func:`cx.reports.common.nps_trend_chart`)."""
    return nps_trend_chart("overview_trend", r.by_wave, r.latest, r.change, source, r.options)


def charts(r: OverviewResult, source: Source) -> list[Chart]:
    """NPS by wave and satisfaction by journey stage."""
    out = [
        trend_chart(r, source),
        stage_chart(r.stages, source.survey, r.options, INDUSTRIES_IN_FILTERS),
    ]
    return [c for c in out if c is not None]


def kpis(r: OverviewResult) -> tuple[Kpi, ...]:
    """The tiles: latest wave's NPS, detractors, revenue at risk, best and weakest stage."""
    out: list[Kpi] = []
    if r.latest is not None:
        note = f"{r.options.interval} {display.interval(r.latest['ci_low'], r.latest['ci_high'])}"
        if r.change is not None:
            note += f"; {display.points(r.change.change, 1)} vs {r.change.previous_wave}" + (
                "" if r.change.significant else " (not significant)"
            )
        out.append(Kpi(f"NPS, {r.latest['wave']}", display.nps(r.latest["nps"]), note))
    if r.overall is not None and not r.overall["suppressed"]:
        out.append(
            Kpi(
                display.NPS_GROUPS["detractor"],
                display.pct(r.overall["detractors_pct"]),
                f"all selected waves; promoters {display.pct(r.overall['promoters_pct'])}",
                "Share scoring 0-6 on likelihood to recommend, over all selected waves.",
            )
        )
    risk = r.risk
    risk_help = (
        f"The Revenue at risk page's figure for the preset '{revenue.DEFAULT_PRESET}': "
        f"{risk.label}."
    )
    if risk.outputs is not None:
        out.append(
            Kpi("Revenue at risk", display.usd_m(risk.outputs["total_at_risk_usd"]), f"a year · {risk.label}{risk.filters_note}", risk_help)
        )  # fmt: skip
    else:
        out.append(Kpi("Revenue at risk", "not available", "; ".join(risk.missing), risk_help))
    if r.ranked.height:
        best, worst = r.ranked.row(-1, named=True), r.ranked.row(0, named=True)
        out.append(Kpi("Best stage", display.pct(best["top2_pct"]), f"{best['label']} · satisfied",
                       "Share satisfied (4-5 of 5) at the best-rated journey stage."))  # fmt: skip
        out.append(Kpi("Weakest stage", display.pct(worst["top2_pct"]), f"{worst['label']} · satisfied",
                       "Share satisfied (4-5 of 5) at the lowest-rated journey stage."))  # fmt: skip
    return tuple(out)


def summary(r: OverviewResult) -> Summary:
    """Key figures and findings for the deck."""
    return Summary(kpis=kpis(r), findings=r.findings)


REPORT: Report[OverviewResult] = Report(
    key="overview",
    title="Customer experience at a glance",
    nav="Overview",
    icon=":material/dashboard:",
    section="Summary",
    lead="NPS with {level} intervals; changes are called only when significant.",
    compute=compute,
    charts=charts,
    summary=summary,
)
