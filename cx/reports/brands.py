"""Brands: NPS by brand with intervals and significance, promoter split, and trends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cx.charts import figures, theme
from cx.core import display
from cx.core.options import Options
from cx.core.selection import Selection
from cx.exports.chart import Chart, native_columns, native_pivot
from cx.metrics import measures, stats
from cx.reports.base import (
    Choice,
    Pick,
    Report,
    Runner,
    Source,
    filter_values,
    n_total,
    one_of,
    some_of,
)
from cx.reports.common import NPS_FORMAT, answers_range, human_table, nps_chart, nps_table

COMPARE = {"rest": "Rest of industry", "brand": "A chosen brand"}
MAX_FOCUS = 6
#: The promoters-and-detractors split in the deck: promoters first, as the legend reads.
PROMOTERS_FIRST = tuple(reversed(display.NPS_GROUPS))


@dataclass(frozen=True)
class BrandsResult:
    """Brand NPS tested against a benchmark, and trends of chosen brands.

    Attributes:
        options: statistical options.
        selection: the selection the page shows (its industry and page filters applied).
        table: per brand: NPS statistics, ``rest_nps`` (the benchmark), ``gap``, ``p_value``,
            ``significant`` at the chosen level, shares.
        ranked: brands best first (suppressed last).
        benchmark: the brand every other is tested against, or None (rest of the industry).
        focus: the brands trended over waves.
        trend: NPS per brand and wave for the focus brands.
        choices: the page's resolved picks.
    """

    options: Options
    selection: Selection
    table: pl.DataFrame
    ranked: tuple[str, ...]
    benchmark: str | None
    focus: tuple[str, ...]
    trend: pl.DataFrame
    choices: dict[str, Choice] = field(default_factory=dict)

    @property
    def benchmark_name(self) -> str:
        """What each brand is compared with, in words."""
        return self.benchmark or "the rest of its industry"


def compute(
    run: Runner,
    sel: Selection,
    opts: Options,
    industry: str | None = None,
    sales_models: Any = None,
    powertrains: Any = None,
    segments: Any = None,
    compare: str | None = None,
    benchmark: str | None = None,
    focus: Any = None,
) -> BrandsResult:
    """Brands of one industry (the sidebar's, else automakers) with the page's filters."""
    values = filter_values(run, sel.dataset)
    allowed = [i for i in values.get("industries", []) if not sel.industries or i in sel.industries]
    chosen = one_of(industry, allowed, REPORT.defaults["industry"])
    choices: dict[str, Choice] = {"industry": Choice(tuple(allowed), chosen)}
    page = sel.with_filter("industries", [chosen]) if chosen else sel
    for key, picked in (
        ("sales_models", sales_models),
        ("powertrains", powertrains),
        ("segments", segments),
    ):
        options = values.get(key, [])
        kept = some_of(picked, options, (), 20)
        choices[key] = Choice(tuple(options), kept, {o: display.name(key, o) for o in options})
        if kept:
            page = page.with_filter(key, kept)
    sums = measures.nps_pair_sums(run, page, "brand", "industry")
    table = (
        measures.versus_rest(sums, "brand", within="industry", opts=opts)
        if not sums.is_empty()
        else pl.DataFrame()
    )
    ranked: tuple[str, ...] = ()
    if not table.is_empty():
        ranked = tuple(table.sort("nps", descending=True, nulls_last=True)["brand"].to_list())
    mode = one_of(compare, list(COMPARE), "rest") or "rest"
    bench = one_of(benchmark, ranked)
    choices["compare"] = Choice(tuple(COMPARE), mode, COMPARE)
    choices["benchmark"] = Choice(ranked, bench, disabled=mode != "brand")
    benchmark_brand = bench if mode == "brand" and bench else None
    if benchmark_brand is not None:
        table = measures.versus_one(table, "brand", benchmark_brand, opts)
    focused = some_of(focus, ranked, ranked[:3], MAX_FOCUS)
    choices["focus"] = Choice(ranked, focused)
    trend = (
        measures.nps_by_pair(run, page, "brand", "wave", opts).filter(
            pl.col("brand").is_in(list(focused))
        )
        if focused
        else pl.DataFrame()
    )
    return BrandsResult(opts, page, table, ranked, benchmark_brand, focused, trend, choices)


def _ranking(r: BrandsResult, source: Source) -> Chart:
    table = r.table
    shown = table.filter(~pl.col("suppressed")).sort("nps", descending=True)
    better = shown.filter(pl.col("significant") & (pl.col("gap") > 0))
    if shown.height:
        top = shown.row(0, named=True)
        title = f"{top['brand']} leads with an NPS of {display.nps(top['nps'])}"
        if r.benchmark:
            title += (
                f"; {better.height} of {shown.height - 1} brands are significantly above {r.benchmark}"
                if better.height
                else f"; no brand is significantly above {r.benchmark}"
            )
        else:
            title += (
                f"; {better.height} of {shown.height} brands beat the rest of their industry significantly"
                if better.height
                else "; no brand beats the rest of its industry significantly"
            )
    else:
        title = "No brand has enough responses to report"
    subtitle = (
        f"{source.survey} · {n_total(table)} · colour: gap to {r.benchmark_name} "
        f"{r.options.significance} (blue above, vermillion below, grey not significant) · "
        f"whiskers: {r.options.interval}"
    )
    keys = ("brand", "industry")
    return nps_chart(
        "brand_nps_ranking",
        "NPS by brand",
        title,
        subtitle,
        table,
        "brand",
        keys,
        r.options,
        "significance",
    )


def _split(r: BrandsResult, source: Source) -> Chart | None:
    shown = r.table.filter(~pl.col("suppressed")).sort("nps", descending=True)
    if not shown.height:
        return None
    most = shown.sort("detractors_pct", descending=True).row(0, named=True)
    title = (
        f"{most['brand']} has the largest detractor share: {display.pct(most['detractors_pct'])}"
    )
    subtitle = (
        f"{source.survey} · promoters 9-10, passives 7-8, detractors 0-6 · "
        f"{answers_range(shown)} per brand · brands under n = {r.options.min_n} omitted"
    )
    return Chart(
        "brand_nps_split",
        title,
        subtitle,
        figures.nps_split(r.table, "brand", title, subtitle),
        human_table(
            shown, ("brand", "n", "promoters_pct", "passives_pct", "detractors_pct", "nps")
        ),
        label="Promoters and detractors",
        native=native_columns(
            shown,
            "brand",
            [(display.NPS_GROUPS[g], f"{g}s_pct") for g in PROMOTERS_FIRST],
            "stacked_bar",
            number_format="0",
            value_title="% of respondents",
            series_colours=[theme.NPS_GROUP_COLOURS[g] for g in PROMOTERS_FIRST],
        ),
    )


def _trend(r: BrandsResult, source: Source) -> Chart | None:
    if not r.focus or r.trend.is_empty():
        return None
    part = r.trend
    moves = []
    for b in r.focus:
        rows = part.filter((pl.col("brand") == b) & ~pl.col("suppressed")).sort("wave")
        if rows.height >= 2:
            first, last = rows.row(0, named=True), rows.row(-1, named=True)
            _, _, sig = stats.difference_test(
                last["nps"], last["se"], first["nps"], first["se"], r.options.confidence
            )
            moves.append((b, last["nps"] - first["nps"], first["wave"], last["wave"], bool(sig)))
    significant = [m for m in moves if m[4]]
    if significant:
        b, change, w0, w1, _ = max(significant, key=lambda m: abs(m[1]))
        title = f"{b} moved {display.points(change)} from {w0} to {w1}, a significant change"
    elif moves:
        title = (
            f"No significant change for {display.join(m[0] for m in moves)} from "
            f"{moves[0][2]} to {moves[0][3]}"
        )
    else:
        title = "Too few responses per wave to show a trend"
    subtitle = (
        f"{source.survey} · NPS by wave, whiskers: {r.options.interval} · "
        f"change tested at the {r.options.level} level · gaps: n too small"
    )
    brands = [b for b in r.focus if b in set(part["brand"].to_list())]
    colours = theme.colour_map("brand", brands)
    lows = part["ci_low"].to_list()
    highs = part["ci_high"].to_list()
    y_range = figures.honest_range(lows, highs)
    return Chart(
        "brand_trend",
        title,
        subtitle,
        figures.trend(part, "wave", "brand", title, subtitle, r.options.level, colours=colours, y_range=y_range),
        nps_table(part.sort("brand", "wave"), ("brand", "wave")),
        label="Brand trends",
        native=native_pivot(
            part.sort("wave"),
            "wave",
            "brand",
            "nps",
            "line",
            series_order=brands,
            value_title="NPS",
            number_format=NPS_FORMAT,
            series_colours=[colours[b] for b in brands],
            interval=("ci_low", "ci_high"),
            value_range=(y_range[0], y_range[1]),
        ),
    )  # fmt: skip


def charts(r: BrandsResult, source: Source) -> list[Chart]:
    """Ranking with significance, NPS split and trends of the focus brands."""
    if r.table.is_empty():
        return []
    out = [_ranking(r, source), _split(r, source), _trend(r, source)]
    return [c for c in out if c is not None]


REPORT: Report[BrandsResult] = Report(
    key="brands",
    title="Brands",
    nav="Brands",
    icon=":material/directions_car:",
    section="Benchmarks",
    lead=(
        "NPS by brand with {level} intervals. Only significant gaps are coloured: grey bars "
        "are within the noise of the benchmark."
    ),
    compute=compute,
    charts=charts,
    picks=(
        Pick("industry", "Industry"),
        Pick("sales_models", "Sales model", "many"),
        Pick("powertrains", "Powertrain", "many"),
        Pick("segments", "Segment", "many"),
        Pick("compare", "Compare each brand with", "mode"),
        Pick("benchmark", "Benchmark brand"),
        Pick("focus", "Brands to trend", "many", max_items=MAX_FOCUS),
    ),
    defaults={"industry": "Automakers"},
    needs=("brand",),
)
