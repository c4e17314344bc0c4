"""Journey: satisfaction across the 8 stages, brand x stage, and which stages drive NPS."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cx.charts import figures, theme
from cx.core import display
from cx.core.options import Options
from cx.core.schema import STAGE_LABELS, STAGES
from cx.core.selection import Selection
from cx.exports.chart import Chart, native_columns
from cx.metrics import measures
from cx.reports.base import Choice, Pick, Report, Runner, Source, filter_values, one_of
from cx.reports.common import (
    INDUSTRIES_IN_FILTERS,
    SATISFIED_AXIS,
    answers_range,
    column_formats,
    human_table,
    stage_chart,
)

ALL = "All selected industries"


@dataclass(frozen=True)
class Advice:
    """What the driver model supports saying.

    Attributes:
        kind: ``fix`` (one stage to fix first), ``unstable`` (the top stages' order is not
            settled), ``weak`` (R² too low to advise) or ``none`` (no model).
        stage: the stage to fix first (``fix``), else None.
        runner_up: the stage it was compared with.
        text: the finding, in words (states R²).
    """

    kind: str
    stage: dict[str, Any] | None
    runner_up: dict[str, Any] | None
    text: str


@dataclass(frozen=True)
class JourneyResult:
    """Stage satisfaction, brand x stage against the other brands, and the driver model.

    Attributes:
        options: statistical options.
        selection: the selection shown (the chosen industry applied).
        industry: the industry shown, or None for all selected industries.
        stages: satisfaction per item (8 stages and price transparency).
        by_brand: per brand and stage: top-2-box, ``gap`` to the other brands (points) and
            ``significant`` at the chosen level.
        drivers: the driver model (None with too few complete answers).
        advice: what the model supports saying.
        missing: stages the dataset does not have.
        choices: the page's resolved picks.
    """

    options: Options
    selection: Selection
    industry: str | None
    stages: pl.DataFrame
    by_brand: pl.DataFrame
    drivers: measures.DriverModel | None
    advice: Advice
    missing: tuple[str, ...] = ()
    choices: dict[str, Choice] = field(default_factory=dict)


def advise(model: measures.DriverModel | None, stages: pl.DataFrame, opts: Options) -> Advice:
    """Which stage to fix first, only where the model supports it.

    The candidate is the most important stage among those satisfied at or below the median;
    it is named only when R² reaches :data:`measures.MIN_R2_FOR_ADVICE` and its importance
    interval does not overlap the next candidate's.
    """
    if model is None:
        return Advice(
            "none", None, None, "Too few complete answers (all 8 stages) for a driver model"
        )
    perf = (
        stages.select("item", "top2_pct")
        if not stages.is_empty()
        else pl.DataFrame({"item": [], "top2_pct": []})
    )
    d = model.table.join(perf, on="item", how="left")
    r2 = f"R² = {model.r2:.2f}"
    if model.r2 < measures.MIN_R2_FOR_ADVICE:
        return Advice(
            "weak",
            None,
            None,
            f"The stages explain little of NPS here ({r2}): no stage can be named the one to fix first",
        )
    cand = d.filter(pl.col("top2_pct").is_not_null())
    median = cand["top2_pct"].median() if cand.height else None
    low = (
        cand.filter(pl.col("top2_pct") <= median).sort("importance_pct", descending=True)
        if median is not None
        else cand
    )
    if low.height >= 2:
        first, second = low.row(0, named=True), low.row(1, named=True)
        if first["importance_low"] > second["importance_high"]:
            return Advice(
                "fix",
                first,
                second,
                f"Fix {first['label']} first: of the less-satisfied half of the stages it weighs "
                f"most for NPS ({display.pct(first['importance_pct'])} of what the stages explain, "
                f"{r2}) and only {display.pct(first['top2_pct'])} are satisfied",
            )
        return Advice(
            "unstable",
            None,
            first,
            f"{first['label']} and {second['label']} weigh most among the weaker stages ({r2}), "
            f"but their order is not settled at the {opts.level} level",
        )
    top = d.row(0, named=True)
    return Advice("none", None, top, f"{top['label']} weighs most for NPS ({r2})")


def compute(
    run: Runner, sel: Selection, opts: Options, industry: str | None = None
) -> JourneyResult:
    """The journey of one industry (automakers by default) or of all selected industries."""
    values = filter_values(run, sel.dataset)
    allowed = [i for i in values.get("industries", []) if not sel.industries or i in sel.industries]
    preferred = REPORT.defaults["industry"]
    default = preferred if preferred in allowed else ALL
    chosen = one_of(industry, [ALL, *allowed], default) or ALL
    page = sel if chosen == ALL else sel.with_filter("industries", [chosen])
    brand_sums = measures.stage_sums(run, page, "brand")
    stages = measures.stage_table(measures.stage_total(brand_sums, "brand"), "all", opts)
    by_brand = measures.stage_versus_rest(brand_sums, "brand", opts)
    model = measures.drivers(run, page, "all", opts)
    present = set(stages["item"].to_list()) if not stages.is_empty() else set()
    missing = tuple(STAGE_LABELS[s] for s in STAGES if s not in present)
    return JourneyResult(
        options=opts,
        selection=page,
        industry=None if chosen == ALL else chosen,
        stages=stages,
        by_brand=by_brand,
        drivers=model,
        advice=advise(model, stages, opts),
        missing=missing,
        choices={"industry": Choice((ALL, *allowed), chosen)},
    )


def _heatmap(r: JourneyResult, source: Source) -> Chart | None:
    bb = r.by_brand
    if bb.is_empty() or "brand" not in bb.columns:
        return None
    bb = bb.filter(pl.col("item").is_in(list(STAGES)) & pl.col("brand").is_not_null())
    keep = bb.group_by("brand").agg((~pl.col("suppressed")).any().alias("any")).filter("any")
    bb = bb.filter(pl.col("brand").is_in(keep["brand"].to_list()))
    if bb.height == 0 or bb["brand"].n_unique() < 2:
        return None
    brands = sorted(bb["brand"].unique().to_list())
    cols = [s for s in STAGES if s in set(bb["item"].to_list())]
    cell = {(row["brand"], row["item"]): row for row in bb.iter_rows(named=True)}
    z: list[list[float | None]] = []
    text: list[list[str]] = []
    for b in brands:
        zr: list[float | None] = []
        tr: list[str] = []
        for s in cols:
            row = cell.get((b, s))
            if row is None:
                zr.append(None)
                tr.append("not asked")
            elif row["suppressed"]:
                zr.append(None)
                tr.append(display.TOO_SMALL)
            else:
                zr.append(row["gap"])
                mark = theme.significance(row["significant"], row["gap"]).mark
                tr.append(f"{row['top2_pct']:.0f}{mark}")
        z.append(zr)
        text.append(tr)
    sig = bb.filter(pl.col("significant"))
    spread = (
        bb.filter(~pl.col("suppressed")).group_by("item").agg(pl.col("top2_pct").max() - pl.col("top2_pct").min())
        .sort("top2_pct", descending=True)
    )  # fmt: skip
    if spread.height:
        item = spread.row(0, named=True)
        title = (
            f"Brands differ most in {STAGE_LABELS[item['item']]} ({item['top2_pct']:.0f} points "
            f"between best and worst); {sig.height} of {bb.filter(~pl.col('suppressed')).height} "
            "cells differ significantly from the other brands"
        )
    else:
        title = "Satisfaction by brand and stage"
    subtitle = (
        f"{source.survey} · {scope(r)} · % satisfied (4-5 of 5) · {answers_range(bb)} answers "
        "per brand and stage · colour: gap to the other brands on that "
        f"stage, ±{figures.GAP_RANGE[1]:.0f} points · {theme.MARKS} {r.options.significance}"
    )
    return Chart(
        "brand_stage_heatmap",
        title,
        subtitle,
        figures.heatmap(
            z,
            [STAGE_LABELS[c] for c in cols],
            brands,
            title,
            subtitle,
            text=text,
            colorbar_title="points vs other brands",
        ),
        human_table(
            bb,
            (
                "brand",
                "label",
                "n",
                "top2_pct",
                "rest_value",
                "gap",
                "p_value",
                "significant",
                "suppressed",
            ),
            display.ANSWER_COLUMNS,
        ),
        label="Brand x stage",
    )


def _drivers(r: JourneyResult, source: Source) -> Chart | None:
    model = r.drivers
    if model is None:
        return None
    perf = r.stages.select("item", "top2_pct") if not r.stages.is_empty() else None
    d = (
        model.table.join(perf, on="item", how="left")
        if perf is not None
        else model.table.with_columns(top2_pct=pl.lit(None))
    )
    d = d.filter(pl.col("top2_pct").is_not_null())
    if d.is_empty():
        return None
    title = r.advice.text
    subtitle = (
        f"{source.survey} · {scope(r)} · importance: share of R² (Johnson's relative weights) with "
        f"{r.options.interval} (bootstrap) · R² = {model.r2:.2f}, {display.n(model.n)} complete answers"
    )
    x_title = "Importance for NPS (% of R²)"
    y_title = SATISFIED_AXIS
    return Chart(
        "key_drivers",
        title,
        subtitle,
        figures.quadrant(
            d, "importance_pct", "top2_pct", "label", title, subtitle, x_title, y_title,
            x_low="importance_low", x_high="importance_high", advice=r.advice.kind == "fix",
        ),
        human_table(
            d.with_columns(model_r2=pl.lit(model.r2), model_n=pl.lit(model.n)),
            ("label", "importance_pct", "importance_low", "importance_high", "raw_weight",
             "correlation", "top2_pct", "model_r2", "model_n"),
            display.ANSWER_COLUMNS,
        ),
        label="Key drivers",
        formats=column_formats(raw_weight="0.000", correlation="0.00", model_r2="0.00"),
        native=native_columns(
            d, "label", [(x_title, "importance_pct"), (y_title, "top2_pct")], "scatter",
            blank=None, number_format="0", value_title=y_title, x_title=x_title,
            interval=("importance_low", "importance_high"),
        ),
        notes=[] if r.advice.kind == "fix" else ["The model does not support naming one stage to fix first."],
    )  # fmt: skip


def scope(r: JourneyResult) -> str:
    """Whose journey the page shows: one industry's customers or the sidebar's industries."""
    return INDUSTRIES_IN_FILTERS if r.industry is None else display.name("industry", r.industry)


def charts(r: JourneyResult, source: Source) -> list[Chart]:
    """Stage satisfaction, key drivers, and brand x stage."""
    out = [
        stage_chart(r.stages, source.survey, r.options, scope(r)),
        _drivers(r, source),
        _heatmap(r, source),
    ]
    return [c for c in out if c is not None]


REPORT: Report[JourneyResult] = Report(
    key="journey",
    title="Customer journey",
    nav="Journey",
    icon=":material/route:",
    section="Benchmarks",
    lead=(
        "Satisfaction (top-2-box: 4-5 of 5) for the eight stages of the Capgemini framework, "
        "from awareness to recommendation, and which stages drive NPS."
    ),
    compute=compute,
    charts=charts,
    picks=(
        Pick(
            "industry",
            "Industry",
            help="The journey differs by industry; automakers are the default.",
        ),
    ),
    defaults={"industry": "Automakers"},
    needs=STAGES,
)
