"""Industries: Capgemini's published 13-industry ranking beside the survey sample's NPS."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from cx.charts import figures, theme
from cx.core import display
from cx.core.options import Options
from cx.core.selection import Selection
from cx.exports.chart import Chart, native_columns
from cx.metrics import measures
from cx.models import citations
from cx.reports.base import Report, Runner, Source, n_total
from cx.reports.common import PCT_FORMAT, human_table, nps_chart

#: The industries the automotive findings are about (highlighted in the published ranking).
AUTOMOTIVE = ("Automakers", "Car dealers")


@dataclass(frozen=True)
class IndustriesResult:
    """Published ranking and survey NPS by industry.

    Attributes:
        options: statistical options.
        ranking: the published ranking (rank, industry, share placing it in their top five,
            with publisher, year and seed file).
        nps: survey NPS per industry with intervals, best first.
        nps_figures: published NPS figures, for context (never mixed with the sample).
    """

    options: Options
    ranking: pl.DataFrame
    nps: pl.DataFrame
    nps_figures: pl.DataFrame


def compute(run: Runner, sel: Selection, opts: Options) -> IndustriesResult:
    """Published ranking, survey NPS by industry and published NPS figures."""
    return IndustriesResult(
        options=opts,
        ranking=run("industry_ranking_published", {}),
        nps=measures.nps_by(run, sel, "industry", opts),
        nps_figures=run("published_figures", {"topics": ["nps"], "figure_ids": None}),
    )


def _ranking_chart(ranking: pl.DataFrame) -> Chart | None:
    if ranking.is_empty():
        return None
    ranks = {r["industry"]: r["published_rank"] for r in ranking.iter_rows(named=True)}
    named = [f"{i} rank {ranks[i]}" for i in AUTOMOTIVE if i in ranks]
    title = (
        f"{display.join(named)} of {ranking.height} industries for overall experience"
        if named
        else f"Published ranking of {ranking.height} industries for overall experience"
    )
    first = ranking.row(0, named=True)
    cited = citations.cite(first)
    subtitle = (
        f"{theme.PROVENANCE['published'].short} · % of consumers placing the industry in their top five · {cited} "
        f"(fig. 2) · {first['base']}"
    )
    ordered = ranking.sort("published_rank")
    return Chart(
        "industry_ranking_published",
        title,
        subtitle,
        figures.bars(
            ranking,
            "industry",
            "share_top5_pct",
            title,
            subtitle,
            highlight=set(AUTOMOTIVE),
            colour=theme.PUBLISHED,
            suffix="%",
            value_title="% ranking the industry in their top five",
        ),
        human_table(ordered, ("published_rank", "industry", "share_top5_pct", "publisher", "year")),
        kind="published",
        label="Published ranking",
        native=native_columns(
            ordered,
            "industry",
            [("% ranking the industry in their top five", "share_top5_pct")],
            "bar",
            number_format=PCT_FORMAT,
            colours=theme.highlighted(ordered["industry"], AUTOMOTIVE, theme.PUBLISHED),
            value_title="% of consumers (top five)",
        ),
    )


def _nps_chart(r: IndustriesResult, source: Source) -> Chart | None:
    nps = r.nps
    if nps.is_empty():
        return None
    shown = nps.filter(~pl.col("suppressed"))
    best = shown.row(0, named=True) if shown.height else None
    auto = nps.filter(pl.col("industry") == "Automakers")
    if best is not None and auto.height and not auto["suppressed"][0] and shown.height >= 2:
        a = auto.row(0, named=True)
        if a["industry"] == best["industry"]:
            title = f"Automakers have the highest NPS in the sample ({display.nps(a['nps'])})"
        else:
            title = (
                f"Automakers' NPS of {display.nps(a['nps'])} trails {best['industry']} by "
                f"{best['nps'] - a['nps']:.0f} points"
            )
    elif best is not None and shown.height >= 2:
        title = f"Highest NPS in the sample: {best['industry']} at {display.nps(best['nps'])}"
    elif best is not None:
        title = f"NPS of the sample: {display.nps(best['nps'])} (one industry in this dataset)"
    else:
        title = "No industry has enough responses to report"
    subtitle = f"{source.survey} · {n_total(nps)} · whiskers: {r.options.interval}"
    return nps_chart(
        "industry_nps",
        "NPS by industry",
        title,
        subtitle,
        nps,
        "industry",
        ("industry",),
        r.options,
    )


def charts(r: IndustriesResult, source: Source) -> list[Chart]:
    """Published ranking and survey NPS by industry."""
    return [c for c in (_ranking_chart(r.ranking), _nps_chart(r, source)) if c is not None]


REPORT: Report[IndustriesResult] = Report(
    key="industries",
    title="Industries",
    nav="Industries",
    icon=":material/factory:",
    section="Benchmarks",
    lead=(
        "How automotive compares with 12 other consumer industries: the published ranking on "
        "the left, the survey sample's NPS on the right."
    ),
    compute=compute,
    charts=charts,
)
