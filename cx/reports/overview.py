"""Overview: the executive summary (latest wave's NPS, stages, revenue at risk, findings).

Every figure of the page covers one scope, said plainly: the industries of the sidebar (all of
them unless it narrows them) and, for the tiles, the latest wave. The revenue tile is the one
exception, and says so: a car-brand model, it reads automakers' answers (see
:func:`cx.reports.revenue.model_selection`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from cx.charts import figures
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import headline, names, shown
from cx.core import display
from cx.core.options import Options
from cx.core.schema import AUTOMAKERS, ITEM_LABELS, NO_INDUSTRY, SWITCH_INTENTS
from cx.core.selection import Selection
from cx.exports.chart import Chart, Finding, Kpi, native_columns
from cx.metrics import measures
from cx.models import revenue
from cx.reports import revenue as revenue_report
from cx.reports.base import Report, Runner, Source, Summary, filter_values
from cx.reports.common import (
    NPS_FORMAT,
    claimed_kpi,
    industries_scope,
    nps_table,
    stage_chart,
    top2_table,
)

#: The column naming whose figures a table holds (its one row label).
SCOPE = "Scope"
#: The switching answers that add up to "within 18 months".
WITHIN_18M = tuple(f"{SWITCH_INTENTS[c]} %" for c in ("within_6m", "6_18m"))


@dataclass(frozen=True)
class OverviewResult:
    """What the executive summary states.

    Attributes:
        options: statistical options.
        scope: whose figures they are, in words ("all 13 industries", "Banking").
        industries: the industries the figures cover (the sidebar's, else the dataset's).
        by_wave: NPS per wave (oldest first) with intervals.
        by_industry: NPS per industry, best first.
        overall: NPS of the whole selection (all waves), or None without respondents.
        latest: the latest reportable wave's NPS row, or None.
        change: latest wave against the previous one (z test), or None with fewer than two.
        stages: satisfaction per journey stage (the 8 stages).
        ranked: unsuppressed stages, weakest first.
        switch: switching intent of the whole selection.
        risk: the Revenue-at-risk report for the default preset (:data:`revenue.DEFAULT_PRESET`),
            as the Revenue at risk page opens with the same filters.
        waves: the NPS per wave as the trend chart's table shows it, with the change of the
            latest wave (its significance) on the latest wave's row.
        findings: up to three findings, each claims with the table they hold on.
    """

    options: Options
    scope: str
    industries: tuple[str, ...]
    by_wave: pl.DataFrame
    by_industry: pl.DataFrame
    overall: dict[str, Any] | None
    latest: dict[str, Any] | None
    change: measures.WaveChange | None
    stages: pl.DataFrame
    ranked: pl.DataFrame
    switch: pl.DataFrame
    risk: revenue_report.RevenueResult
    waves: pl.DataFrame
    findings: tuple[Finding, ...] = ()


def wave_table(
    by_wave: pl.DataFrame, change: measures.WaveChange | None, scope: str
) -> pl.DataFrame:
    """NPS per wave with its scope, and on the latest wave's row its change from the previous
    wave, the test's p-value and whether it is significant."""
    table = nps_table(by_wave, {"wave": "Wave"})
    latest = [change is not None and str(w) == change.wave for w in by_wave["wave"].to_list()]
    return table.select(pl.lit(scope).alias(SCOPE), pl.all()).with_columns(
        pl.Series("Change from previous wave (points)",
                  [change.change if mine and change else None for mine in latest], pl.Float64),
        pl.Series("Change p-value",
                  [change.p_value if mine and change else None for mine in latest], pl.Float64),
        pl.Series("Significant change",
                  [bool(mine and change and change.significant) for mine in latest]),
    )  # fmt: skip


def compute(run: Runner, sel: Selection, opts: Options) -> OverviewResult:
    """The executive summary of a selection."""
    known = filter_values(run, sel.dataset).get("industries", [])
    scope = industries_scope(known, sel)
    by_wave = measures.nps_by(run, sel, "wave", opts).sort("wave")
    overall = measures.overall_nps(measures.nps_sums(run, sel, "all"), opts)
    stages = measures.stage_by(run, sel, "all", opts)
    if not stages.is_empty():
        stages = stages.filter(pl.col("item") != "price_transparency")
    ranked = (
        stages.filter(~pl.col("suppressed")).sort("top2_pct") if not stages.is_empty() else stages
    )
    change = measures.wave_change(by_wave, opts)
    result = OverviewResult(
        options=opts,
        scope=scope,
        industries=tuple(i for i in (sel.industries or known) if i in known),
        by_wave=by_wave,
        by_industry=measures.nps_by(run, sel, "industry", opts),
        overall=overall,
        latest=measures.latest_wave(by_wave),
        change=change,
        stages=stages,
        ranked=ranked,
        switch=measures.switch_by(run, sel, "all", opts),
        risk=revenue_report.compute(run, sel, opts, preset=revenue.DEFAULT_PRESET),
        waves=wave_table(by_wave, change, scope),
    )
    return OverviewResult(**{**result.__dict__, "findings": findings(result)})


def _industry_finding(r: OverviewResult) -> Finding | None:
    """The best and worst industry, and automakers' place among them."""
    table = nps_table(
        r.by_industry.filter(pl.col("industry") != NO_INDUSTRY), {"industry": "Industry"}
    )
    if claims.reportable(table, "NPS").height < 2:
        return None
    lead = claims.top(table, "Industry", "NPS", "nps", phrase="highest_nps")
    last = claims.top(table, "Industry", "NPS", "nps", lowest=True, phrase="lowest_nps")
    said: list[Claim] = [c for c in (lead, last) if c is not None]
    named = {s for c in said if isinstance(c, claims.Top) for s in c.subjects}
    place = claims.rank(table, "Industry", "NPS", "nps", AUTOMAKERS, "industries", "place")
    if place is not None and AUTOMAKERS not in named:
        said.append(place)
    return Finding(tuple(said), table, "NPS by industry")


def _stage_finding(r: OverviewResult) -> Finding | None:
    """The weakest stage, and how many of those dissatisfied with after-sales would switch."""
    table = top2_table(r.stages, {})
    weakest = claims.top(
        table, "Stage", "Satisfied %", "pct", lowest=True, phrase="weakest", noun="stage"
    )
    if weakest is None:
        return None
    switching = claims.value(
        table, "Stage", ITEM_LABELS["maintain"], "Dissatisfied who intend to switch %", "pct",
        phrase="switch_if_dissatisfied",
    )  # fmt: skip
    said: tuple[Claim, ...] = (weakest,) if switching is None else (weakest, switching)
    return Finding(said, table, "Satisfaction by stage")


def _change_claim(r: OverviewResult, phrase: str) -> claims.Change | None:
    """The latest wave's NPS against the previous wave's, read from the wave table."""
    c = r.change
    if c is None:
        return None
    before = claims.figure(r.waves, SCOPE, r.scope, "NPS", "nps", {"Wave": c.previous_wave})
    after = claims.figure(r.waves, SCOPE, r.scope, "NPS", "nps", {"Wave": c.wave})
    if before is None or after is None:
        return None
    return claims.Change(
        SCOPE, "NPS", r.scope, before, after, c.previous_wave, c.wave, c.significant, "Wave",
        phrase, r.options.level,
    )  # fmt: skip


def switch_table(r: OverviewResult) -> pl.DataFrame:
    """Switching intent of the whole selection: one row, one column per answer (%)."""
    if r.switch.is_empty():
        return pl.DataFrame()
    return r.switch.select(
        pl.lit(r.scope).alias(SCOPE),
        pl.col("n").alias("Responses (n)"),
        *[pl.col(f"{c}_pct").alias(f"{label} %") for c, label in SWITCH_INTENTS.items()],
        pl.col("suppressed").alias("n too small"),
    )


def findings(r: OverviewResult) -> tuple[Finding, ...]:
    """Up to three findings, each claims computed from (and checked against) its table."""
    out = [f for f in (_industry_finding(r), _stage_finding(r)) if f is not None]
    moved = _change_claim(r, "rose")
    if moved is not None:
        out.append(Finding((moved,), r.waves, "NPS by wave"))
    table = switch_table(r)
    switching = (
        claims.row_total(table, SCOPE, r.scope, WITHIN_18M, "pct", "respondents",
                         "intend to switch brand within 18 months")
        if not table.is_empty() else None
    )  # fmt: skip
    if len(out) < 3 and switching is not None:
        out.append(Finding((switching,), table, "Switching intent"))
    return tuple(out[:3])


def trend_chart(r: OverviewResult, source: Source) -> Chart | None:
    """NPS by wave on an honest axis (zero included, at least 40 points); None with fewer
    than two reportable waves (a one-point "trend" is not one)."""
    shown_waves = r.by_wave.filter(~pl.col("suppressed"))
    said = _change_claim(r, "nps")
    if shown_waves.height < 2 or said is None:
        return None
    title = headline((said,))
    subtitle = (
        f"{source.survey} · {r.scope} · {display.n(r.by_wave['n'].sum())} · "
        f"{r.options.interval} around each wave · the change tested at the {r.options.level} "
        "level · gaps: n too small"
    )
    y_range = figures.honest_range(r.by_wave["ci_low"].to_list(), r.by_wave["ci_high"].to_list())
    return Chart(
        "overview_trend",
        title,
        subtitle,
        figures.trend(r.by_wave, "wave", None, title, subtitle, r.options.level, y_range=y_range),
        r.waves,
        label="NPS by wave",
        native=native_columns(
            r.by_wave,
            "wave",
            [("NPS", "nps")],
            "line",
            value_title="NPS",
            number_format=NPS_FORMAT,
            series_colours=["#0B6E99"],
            interval=("ci_low", "ci_high"),
            value_range=(y_range[0], y_range[1]),
        ),
        claims=(said,),
    )


def charts(r: OverviewResult, source: Source) -> list[Chart]:
    """NPS by wave and satisfaction by journey stage."""
    whose = r.industries[0] if len(r.industries) == 1 and r.industries[0] != NO_INDUSTRY else ""
    out = [trend_chart(r, source), stage_chart(r.stages, source.survey, r.options, r.scope, whose)]
    return [c for c in out if c is not None]


def _wave_kpis(r: OverviewResult) -> list[Kpi]:
    """The latest wave's NPS (with its change) and its detractors: one wave, one scope."""
    if r.latest is None:
        return []
    wave = str(r.latest["wave"])
    where = {"Wave": wave}
    nps = claims.value(r.waves, SCOPE, r.scope, "NPS", "nps", where=where)
    if nps is None:
        return []
    moved = _change_claim(r, "vs")
    interval = f"{r.options.interval} {display.interval(r.latest['ci_low'], r.latest['ci_high'])}"
    out = [
        claimed_kpi(f"NPS, {wave}", (nps, *([moved] if moved else [])), r.waves,
                    f"{interval} · {r.scope}"),
    ]  # fmt: skip
    detractors = claims.value(r.waves, SCOPE, r.scope, "Detractors %", "pct", where=where)
    promoters = claims.value(
        r.waves, SCOPE, r.scope, "Promoters %", "pct", phrase="promoters", where=where
    )
    if detractors is not None and promoters is not None:
        out.append(claimed_kpi(f"Detractors, {wave}", (detractors, promoters), r.waves, r.scope))
    return out


def _stage_kpis(r: OverviewResult) -> list[Kpi]:
    """The best and the weakest stage (stages reading the same are named together)."""
    table = top2_table(r.stages, {}) if not r.stages.is_empty() else pl.DataFrame()
    out = []
    for label, lowest in (("Best stage", False), ("Weakest stage", True)):
        found = claims.top(table, "Stage", "Satisfied %", "pct", lowest=lowest,
                           phrase="weakest" if lowest else "strongest", noun="stage")  # fmt: skip
        if found is not None:
            note = f"{names(found.subjects)} · satisfied · {r.scope}"
            out.append(Kpi(label, shown(found.figure), note, (found,), table))
    return out


def kpis(r: OverviewResult) -> tuple[Kpi, ...]:
    """The tiles: latest wave's NPS and detractors, revenue at risk, best and weakest stage."""
    out = _wave_kpis(r)
    out.append(revenue_report.risk_kpi(r.risk, "Revenue at risk", preset=True))
    out.extend(_stage_kpis(r))
    return tuple(out)


#: What each tile is (its help), by the tile's label before any comma.
KPI_HELP: dict[str, str] = {
    "NPS": "Net Promoter Score of the latest wave, with its change from the wave before.",
    "Detractors": (
        "Share scoring 0-6 on likelihood to recommend, in the same wave and industries as the "
        "NPS tile."
    ),
    "Revenue at risk": (
        "The Revenue at risk page's figure for its default preset: a car brand's model, so it "
        "reads automakers' customers' after-sales answers unless the sidebar leaves automakers "
        "out."
    ),
    "Best stage": "Share satisfied (4-5 of 5) at the best-rated journey stage.",
    "Weakest stage": "Share satisfied (4-5 of 5) at the lowest-rated journey stage.",
}


def scope_line(r: OverviewResult) -> str:
    """Whose figures the page shows, plainly: the industries, the tiles' wave, and the revenue
    tile's own scope (a car brand's model)."""
    wave = f"; the tiles show the latest wave, {r.latest['wave']}" if r.latest else ""
    risk = (
        f". Revenue at risk is a car brand's model: it reads {r.risk.reads}" if r.risk.reads else ""
    )
    return f"Figures cover {r.scope}{wave}{risk}."


def summary(r: OverviewResult) -> Summary:
    """Key figures and findings for the deck."""
    return Summary.of(kpis(r), r.findings)


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
