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

from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import names
from cx.core import display
from cx.core.i18n import N_, _
from cx.core.options import Options
from cx.core.schema import AUTOMAKERS, NO_INDUSTRY, SWITCH_INTENTS
from cx.core.selection import Selection
from cx.data import sql
from cx.exports.chart import Chart, Finding, Kpi
from cx.metrics import measures
from cx.models import revenue
from cx.reports import industries as industries_report
from cx.reports import revenue as revenue_report
from cx.reports.base import Report, Runner, Source, Summary, filter_values
from cx.reports.common import (
    STAGE,
    WITHIN_18M,
    claimed_kpi,
    human_table,
    industries_scope,
    level_stages,
    nps_table,
    nps_trend_chart,
    one_industry,
    stage_chart,
    stage_top,
    top2_table,
    wave_change_claim,
    wave_table,
)


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
        waves: the NPS per wave as the trend chart's table shows it
            (:func:`cx.reports.common.wave_table`), with the change of the latest wave (its
            significance) on the latest wave's row.
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

    @property
    def industryless(self) -> bool:
        """Whether the answers have no industry (an upload without one): "all respondents",
        not "customers of all respondents"."""
        return all(i == NO_INDUSTRY for i in self.industries)


def compute(run: Runner, sel: Selection, opts: Options) -> OverviewResult:
    """The executive summary of a selection."""
    known = filter_values(run, sel.dataset).get("industries", [])
    scope = industries_scope(known, sel)
    sql.prefetch(  # both reads at once
        run,
        [
            measures.breakdowns_read(sel, *measures.SUMMARY_BREAKDOWNS),
            measures.stage_of_industries_read(sel),
        ],
    )
    sums = measures.breakdowns(run, sel, *measures.SUMMARY_BREAKDOWNS)
    by_wave = measures.nps_ranked(sums.nps("wave"), opts).sort("wave")
    overall = measures.overall_nps(sums.nps("all"), opts)
    # by industry: the revenue tile's model reads the same sums (one query for both)
    stages = measures.stage_table(measures.stage_of_industries(run, sel), "all", opts)
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
        by_industry=measures.nps_ranked(sums.nps("industry"), opts),
        overall=overall,
        latest=measures.latest_wave(by_wave),
        change=change,
        stages=stages,
        ranked=ranked,
        switch=measures.switch_table(sums.switch("all"), opts),
        risk=revenue_report.compute(run, sel, opts, preset=revenue.DEFAULT_PRESET),
        waves=wave_table(by_wave, change, scope),
    )
    return OverviewResult(**{**result.__dict__, "findings": findings(result)})


def _industry_finding(r: OverviewResult) -> Finding | None:
    """The best and worst industry, and automakers' place among them."""
    table = nps_table(r.by_industry.filter(pl.col("industry") != NO_INDUSTRY), ("industry",))
    if claims.reportable(table, "nps").height < 2:
        return None
    lead, last = industries_report.extremes(table)
    if claims.shared(lead, last):
        last = None  # the whiskers tell no top from the bottom
    said: list[Claim] = [c for c in (lead, last) if c is not None]
    named = {s for c in said if isinstance(c, claims.Top) for s in c.subjects}
    place = claims.rank(table, "industry", "nps", "nps", AUTOMAKERS, "industries", "place")
    if place is not None and AUTOMAKERS not in named:
        said.append(place)
    return Finding(tuple(said), table, _("NPS by industry"))


def _stage_finding(r: OverviewResult) -> Finding | None:
    """The weakest stage, and how many of those dissatisfied with after-sales would switch,
    saying whose answers the two read (the Overview's scope): the pages that read one industry
    (Journey, Revenue at risk) give other figures for the same questions."""
    table = top2_table(r.stages, ())
    weakest = stage_top(
        table, True,
        _("among all respondents") if r.industryless  # an upload's
        else _("among customers of {scope}").format(scope=r.scope),
    )  # fmt: skip
    if weakest is None:
        return None
    weakest = level_stages(table, weakest.scope) or weakest  # not "the weakest" of all alike
    switching = claims.value(
        table, STAGE, display.stage_label("maintain"), "switch_if_dissatisfied_pct", "pct",
        phrase="switch_if_dissatisfied",
    )  # fmt: skip
    said: tuple[Claim, ...] = (weakest,) if switching is None else (weakest, switching)
    return Finding(said, table, _("Satisfaction by stage"))


def _change_claim(r: OverviewResult, phrase: str) -> claims.Change | None:
    """The latest wave's NPS against the previous wave's, read from the wave table."""
    if r.change is None:
        return None
    return wave_change_claim(r.waves, r.change, r.scope, phrase, r.options.level)


def switch_table(r: OverviewResult) -> pl.DataFrame:
    """Switching intent of the whole selection: one row, one column per answer (%)."""
    if r.switch.is_empty():
        return pl.DataFrame()
    return human_table(
        r.switch.with_columns(scope=pl.lit(r.scope)),
        ("scope", "n", *[f"{c}_pct" for c in SWITCH_INTENTS], "suppressed"),
    )


def findings(r: OverviewResult) -> tuple[Finding, ...]:
    """Up to three findings, each claims computed from (and checked against) its table."""
    out = [f for f in (_industry_finding(r), _stage_finding(r)) if f is not None]
    moved = _change_claim(r, "rose")
    if moved is not None:
        out.append(Finding((moved,), r.waves, _("NPS by wave")))
    table = switch_table(r)
    switching = (
        claims.row_total(table, "scope", r.scope, WITHIN_18M, "pct", "respondents",
                         "intend to switch brand within 18 months")
        if not table.is_empty() else None
    )  # fmt: skip
    if len(out) < 3 and switching is not None:
        out.append(Finding((switching,), table, _("Switching intent")))
    return tuple(out[:3])


def trend_chart(r: OverviewResult, source: Source) -> Chart | None:
    """NPS by wave (:func:`cx.reports.common.nps_trend_chart`), whose table is the one the
    findings and tiles read (:attr:`OverviewResult.waves`)."""
    return nps_trend_chart(
        "overview_trend", r.by_wave, r.latest, r.change, source, r.options, r.scope
    )


def charts(r: OverviewResult, source: Source) -> list[Chart]:
    """NPS by wave and satisfaction by journey stage."""
    whose = one_industry(r.industries)  # the sidebar's, else the dataset's
    out = [trend_chart(r, source), stage_chart(r.stages, source, r.options, r.scope, whose)]
    return [c for c in out if c is not None]


#: What each tile is (its help, beside the tile), by tile.
KPI_HELP: dict[str, str] = {
    "nps": N_("Net Promoter Score of the latest wave, with its change from the wave before."),
    "detractors": N_(
        "Share scoring 0-6 on likelihood to recommend, in the same wave and industries as the "
        "NPS tile."
    ),
    "risk": N_(
        "The Revenue at risk page's figure for its default preset ({preset}): a car brand's "
        "model, so it reads automakers' customers' after-sales answers unless the sidebar "
        "leaves automakers out."
    ),
    "best": N_(
        "Share satisfied (the top two points of the scale) at the best-rated journey stage."
    ),
    "weakest": N_(
        "Share satisfied (the top two points of the scale) at the lowest-rated journey stage."
    ),
}


def kpi_help(key: str) -> str:
    """A tile's help (:data:`KPI_HELP`) in the current language."""
    return _(KPI_HELP[key])


def _wave_kpis(r: OverviewResult) -> list[Kpi]:
    """The latest wave's NPS (with its change) and its detractors: one wave, one scope."""
    if r.latest is None:
        return []
    wave = str(r.latest["wave"])
    where = {display.COLUMN_NAMES["wave"]: wave}
    nps = claims.value(r.waves, "scope", r.scope, "nps", "nps", where=where)
    if nps is None:
        return []
    moved = _change_claim(r, "vs")
    interval = f"{r.options.interval} {display.interval(r.latest['ci_low'], r.latest['ci_high'])}"
    out = [
        claimed_kpi(_("NPS, {wave}").format(wave=wave), (nps, *([moved] if moved else [])),
                    r.waves, f"{interval} · {display.n(r.latest['n'])} · {r.scope}",
                    kpi_help("nps")),
    ]  # fmt: skip
    detractors = claims.value(r.waves, "scope", r.scope, "detractors_pct", "pct", where=where)
    promoters = claims.value(
        r.waves, "scope", r.scope, "promoters_pct", "pct", phrase="promoters", where=where
    )
    if detractors is not None and promoters is not None:
        out.append(
            claimed_kpi(_("Detractors, {wave}").format(wave=wave), (detractors, promoters),
                        r.waves, r.scope, kpi_help("detractors"))
        )  # fmt: skip
    return out


def _stage_kpis(r: OverviewResult) -> list[Kpi]:
    """The best and the weakest stage (stages reading the same are named together)."""
    table = top2_table(r.stages, ()) if not r.stages.is_empty() else pl.DataFrame()
    out = []
    level = level_stages(table) if not table.is_empty() else None
    if level is not None:  # not a best and a weakest tile naming the same stages
        note = (
            _("satisfied · no stage clearly weaker or stronger · {scope}").format(scope=r.scope)
            if level.phrase == "level"  # every stage, 66% to 72%: not eight names in a tile
            else _("{stages} · satisfied · {scope}").format(
                stages=names(level.subjects), scope=r.scope
            )
        )
        return [claimed_kpi(_("Stage satisfaction"), (level,), table, note, kpi_help("weakest"))]
    best, weakest = stage_top(table, False), stage_top(table, True)
    if claims.shared(best, weakest):
        best = None  # a middle stage close to both ends: the chart says the weakest only
    for label, found, help in ((_("Best stage"), best, kpi_help("best")),
                               (_("Weakest stage"), weakest, kpi_help("weakest"))):  # fmt: skip
        if found is not None:
            note = _("{stages} · satisfied · {scope}").format(
                stages=names(found.subjects), scope=r.scope
            )
            out.append(claimed_kpi(label, (found,), table, note, help))
    return out


def kpis(r: OverviewResult) -> tuple[Kpi, ...]:
    """The tiles: latest wave's NPS and detractors, revenue at risk, best and weakest stage;
    each tile's help says how its figure is made (:data:`KPI_HELP`)."""
    out = _wave_kpis(r)
    risk_help = kpi_help("risk").format(preset=r.risk.label)
    out.append(revenue_report.risk_kpi(r.risk, _("Revenue at risk"), preset=True, help=risk_help))
    out.extend(_stage_kpis(r))
    return tuple(out)


def scope_line(r: OverviewResult) -> str:
    """Whose figures the page shows, plainly: the industries, the waves the tiles read (the NPS
    tiles the latest, the stage tiles every wave selected), and the revenue tile's own scope (a
    car brand's model)."""
    scope, reads = r.scope, r.risk.reads
    if r.latest and reads:
        return _(
            "Figures cover {scope}; the NPS and detractor tiles show the latest wave, {wave}, the "
            "stage tiles every wave selected. Revenue at risk is a car brand's model: it reads "
            "{reads}."
        ).format(scope=scope, wave=r.latest["wave"], reads=reads)
    if r.latest:
        return _(
            "Figures cover {scope}; the NPS and detractor tiles show the latest wave, {wave}, the "
            "stage tiles every wave selected."
        ).format(scope=scope, wave=r.latest["wave"])
    if reads:
        return _(
            "Figures cover {scope}. Revenue at risk is a car brand's model: it reads {reads}."
        ).format(scope=scope, reads=reads)
    return _("Figures cover {scope}.").format(scope=scope)


def summary(r: OverviewResult) -> Summary:
    """Key figures and findings for the deck."""
    return Summary.of(kpis(r), r.findings)


REPORT: Report[OverviewResult] = Report(
    key="overview",
    title=N_("Customer experience at a glance"),
    nav=N_("Overview"),
    icon=":material/dashboard:",
    section=N_("Summary"),
    lead=N_(
        "NPS with {level} intervals; a change is called significant only when its test says so."
    ),
    compute=compute,
    charts=charts,
    summary=summary,
)
