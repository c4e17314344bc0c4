"""Brands: NPS by brand with intervals and significance, promoter split, and trends."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cx.charts import figures, theme
from cx.claims import contrasts
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import headline
from cx.core import display
from cx.core.i18n import N_, _
from cx.core.options import Options
from cx.core.schema import NO_INDUSTRY
from cx.core.selection import Selection
from cx.exports.chart import Chart, native_columns, native_pivot
from cx.metrics import measures
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
from cx.reports.common import (
    CHANGE_COLUMNS,
    NPS_FORMAT,
    NPS_MARGIN,
    NPS_TABLE,
    answers_range,
    human_table,
    nps_chart,
    nps_table,
)

COMPARE = {"rest": N_("Rest of industry"), "brand": N_("A chosen brand")}
MAX_FOCUS = 6


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
    def industryless(self) -> bool:
        """Whether the brands have no industry (an upload without one): each is compared with
        the rest of the sample, not "the rest of their industry"."""
        column = self.table["industry"] if "industry" in self.table.columns else pl.Series([])
        return column.is_empty() or bool(column.fill_null(NO_INDUSTRY).eq(NO_INDUSTRY).all())

    @property
    def benchmark_name(self) -> str:
        """What each brand is compared with, in words."""
        if self.benchmark:
            return self.benchmark
        return _("the rest of the sample") if self.industryless else _("the rest of its industry")


def compute(
    run: Runner,
    sel: Selection,
    opts: Options,
    industry: str | None = None,
    sales_models: Any = None,
    powertrains: Any = None,
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
    ):  # segments: the sidebar's filter (a pick of the same name fought it for the link)
        options = values.get(key, [])
        kept = some_of(picked, options, (), 20)
        choices[key] = Choice(tuple(options), kept, {o: display.name(key, o) for o in options})
        if kept:
            page = page.with_filter(key, kept)
    read = measures.breakdowns(run, page, ("brand", "industry"), ("brand", "wave"))
    sums = read.nps("brand", "industry")
    table = measures.compare_sums(sums, "brand", opts, within="industry")
    ranked: tuple[str, ...] = ()
    if not table.is_empty():
        ranked = tuple(  # answers without a brand are no brand to pick (the picker failed)
            table.sort("nps", descending=True, nulls_last=True)["brand"].drop_nulls().to_list()
        )
    mode = one_of(compare, list(COMPARE), "rest") or "rest"
    bench = one_of(benchmark, ranked)
    choices["compare"] = Choice(tuple(COMPARE), mode, {k: _(v) for k, v in COMPARE.items()})
    choices["benchmark"] = Choice(ranked, bench, disabled=mode != "brand")
    benchmark_brand = bench if mode == "brand" and bench else None
    if benchmark_brand is not None:
        table = measures.compare_sums(sums, "brand", opts, "industry", benchmark_brand)
    by_wave = measures.nps_of(read.nps("brand", "wave"), opts) if ranked else pl.DataFrame()
    focused = some_of(focus, ranked, trended(ranked, by_wave), MAX_FOCUS)
    choices["focus"] = Choice(ranked, focused)
    trend = by_wave.filter(pl.col("brand").is_in(list(focused))) if focused else pl.DataFrame()
    return BrandsResult(opts, page, table, ranked, benchmark_brand, focused, trend, choices)


def _ranking(r: BrandsResult, source: Source) -> Chart:
    table = r.table
    keys = ("brand", "industry")
    human = nps_table(table, keys)
    leader = claims.top(
        human, "brand", "nps", "nps", phrase="leads", noun="brand", margin=NPS_MARGIN
    )
    if leader is None:
        said: tuple[Claim, ...] = (claims.statement("no_brand"),)
    else:
        benchmark = r.benchmark or (  # claims translate it
            "the rest of the sample" if r.industryless else "the rest of their industry"
        )
        said = (
            leader,
            *(
                contrasts.count(
                    human, "brand", "gap", side, "brands", "brand", benchmark,
                    exclude=[r.benchmark] if r.benchmark else [],
                )
                for side in ("above", "below")  # the weakest finding is as much one as the best
            ),
        )  # fmt: skip
    tested = int(table.filter(pl.col("p_value").is_not_null()).height)
    subtitle = (
        _(
            "{source} · {n} · colour: gap to {benchmark} {controlled} (blue above, vermillion "
            "below, grey not significant) · whiskers: {interval}"
        )
        if tested
        else _(  # nothing tested: no colour to explain (one brand, or too few answers)
            "{source} · {n} · no gap to {benchmark} tested · whiskers: {interval}"
        )
    ).format(
        source=source.survey,
        n=n_total(table),
        benchmark=r.benchmark_name,
        controlled=r.options.controlled(tested, "brands"),
        interval=r.options.interval,
    )
    return nps_chart(
        "brand_nps_ranking",
        _("NPS by brand"),
        headline(said),
        subtitle,
        table,
        "brand",
        keys,
        r.options,
        "significance",
        said=said,
    )


def _split(r: BrandsResult, source: Source) -> Chart | None:
    shown = r.table.filter(~pl.col("suppressed")).sort("nps", descending=True)
    if not shown.height:
        return None
    table = human_table(
        shown, ("brand", "n", "promoters_pct", "passives_pct", "detractors_pct", "nps")
    )
    most = claims.top(
        table, "brand", "detractors_pct", "pct", phrase="largest", noun="detractor share"
    )
    said: tuple[Claim, ...] = (most,) if most else (claims.statement("no_brand"),)
    title = headline(said)
    subtitle = _(
        "{source} · promoters 9-10, passives 7-8, detractors 0-6 · {answers} per brand · "
        "brands under n or effective n = {min_n} omitted"
    ).format(source=source.survey, answers=answers_range(shown), min_n=r.options.min_n)
    return Chart(
        "brand_nps_split",
        title,
        subtitle,
        figures.nps_split(r.table, "brand", title, subtitle),
        table,
        label=_("Promoters and detractors"),
        native=native_columns(
            shown,
            "brand",
            # in the screen's order, detractors first (the deck had promoters first)
            [(_(display.NPS_GROUPS[g]), f"{g}s_pct") for g in display.NPS_GROUPS],
            "stacked_bar",
            number_format="0",
            value_title=_("% of respondents"),
            series_colours=[theme.NPS_GROUP_COLOURS[g] for g in display.NPS_GROUPS],
        ),
        claims=said,
    )


def trend_claims(
    table: pl.DataFrame, changes: pl.DataFrame, key: str, subjects: list[str]
) -> tuple[Claim, ...]:
    """What a trend chart says: the largest significant change among its series (false discovery
    rate controlled across them), else that none changed significantly, read from its table."""
    moved = changes.filter(pl.col("significant"))
    if moved.height:
        row = moved.sort(pl.col("gap").abs(), descending=True).row(0, named=True)
        change = claims.change(
            table, key, "nps", "nps", str(row[key]), row["start"], row["end"],
            flag="wave_change_significant",
        )  # fmt: skip
        if change is not None:
            return (change,)
    if changes.height:
        # each series from its own first to its own last shown wave: a brand whose last wave
        # is under the minimum n has another span, and a brand with no span is said so
        said: list[Claim] = []
        spans = (
            changes.filter(pl.col(key).is_in(subjects))
            .group_by("start", "end", maintain_order=True)
            .agg(pl.col(key))
        )
        for start, end, named in spans.iter_rows():
            said.append(claims.steady(table, key, "nps", [str(s) for s in named], start, end))
        spanned = set(changes[key].to_list())
        unspanned = [s for s in subjects if s not in spanned]
        if unspanned:
            said.append(claims.statement("no_trend_of", subjects=display.join(unspanned)))
        return tuple(said) if said else (claims.statement(_no_trend(table)),)
    return (claims.statement(_no_trend(table)),)


def _no_trend(table: pl.DataFrame) -> str:
    """Why a trend chart shows no trend: one wave chosen ("Too few responses per wave" stood
    over one wave of 33 to 293 answers a brand), else too few answers per wave."""
    wave = claims.header(table, "wave")
    waves = table[wave].drop_nulls().n_unique() if wave in table.columns else 2
    return "one_wave" if waves < 2 else "no_trend"


def trend_table(part: pl.DataFrame, changes: pl.DataFrame, key: str) -> pl.DataFrame:
    """The NPS per series and wave, with each series' first-to-last change on its last wave."""
    marked = part.join(
        changes.select(
            key,
            pl.col("end").alias("wave"),
            pl.col("gap").alias("wave_change"),
            pl.col("q_value").alias("wave_change_q"),
            pl.col("significant").alias("wave_change_significant"),
        ),
        on=[key, "wave"],
        how="left",
    )
    ordered = marked.sort(key, "wave").with_columns(
        pl.col("wave_change_significant").fill_null(False)
    )
    return human_table(ordered, [key, "wave", *NPS_TABLE, *CHANGE_COLUMNS])


def trended(ranked: Sequence[str], by_wave: pl.DataFrame, most: int = 3) -> tuple[str, ...]:
    """The brands a trend shows unless some are picked: the highest ranked with two waves or
    more to show (the top three of Japan included one with too few answers in every wave, a
    name in the legend with no line); the top ones as ranked when none has."""
    if by_wave.is_empty():
        return tuple(ranked[:most])
    shown = by_wave.filter(~pl.col("suppressed")).group_by("brand").len()
    lines = {b for b, waves in shown.iter_rows() if waves >= 2}
    found = [b for b in ranked if b in lines]
    return tuple(found[:most] or ranked[:most])


def _trend(r: BrandsResult, source: Source) -> Chart | None:
    if not r.focus or r.trend.is_empty():
        return None
    part = r.trend
    brands = [b for b in r.focus if b in set(part["brand"].to_list())]
    changes = measures.wave_changes(part, "brand", r.options)
    table = trend_table(part, changes, "brand")
    said = trend_claims(table, changes, "brand", brands)
    title = headline(said)
    subtitle = _(
        "{source} · NPS by wave, {n} per brand and wave, whiskers: {interval} · first to last "
        "wave {controlled}"
    ).format(
        source=source.survey,
        n=answers_range(part),
        interval=r.options.interval,
        controlled=r.options.controlled(changes.height, "brands"),
    )
    if bool(part["suppressed"].any()):  # only when a point is left out for its n
        subtitle += " · " + _("gaps: n too small")
    colours = theme.colour_map("brand", brands)
    lows = part["ci_low"].to_list()
    highs = part["ci_high"].to_list()
    y_range = figures.honest_range(lows, highs)
    return Chart(
        "brand_trend",
        title,
        subtitle,
        figures.trend(part, "wave", "brand", title, subtitle, r.options.level, colours=colours, y_range=y_range),
        table,
        label=_("Brand trends"),
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
        claims=said,
    )  # fmt: skip


def charts(r: BrandsResult, source: Source) -> list[Chart]:
    """Ranking with significance, NPS split and trends of the focus brands; their source names
    the page's industry and picks (the page reads within them)."""
    if r.table.is_empty():
        return []
    source = source.of(r.selection).within(r.selection.industries)
    out = [_ranking(r, source), _split(r, source), _trend(r, source)]
    return [c for c in out if c is not None]


REPORT: Report[BrandsResult] = Report(
    key="brands",
    title=N_("Brands"),
    nav=N_("Brands"),
    icon=":material/directions_car:",
    section=N_("Benchmarks"),
    lead=N_(
        "NPS by brand with {level} intervals. Only significant gaps are coloured: grey bars "
        "are within the noise of the benchmark."
    ),
    compute=compute,
    charts=charts,
    picks=(
        Pick("industry", N_("Industry")),
        Pick("sales_models", N_("Sales model"), "many"),
        Pick("powertrains", N_("Powertrain"), "many"),
        Pick("compare", N_("Compare each brand with"), "mode"),
        Pick("benchmark", N_("Benchmark brand")),
        Pick("focus", N_("Brands to trend"), "many", max_items=MAX_FOCUS),
    ),
    defaults={"industry": "Automakers"},
    needs=("brand",),
)
