"""Journey: satisfaction across the 8 stages, brand x stage, and which stages drive NPS."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cx.charts import figures, quadrant, theme
from cx.charts.labels import label_sides
from cx.claims import contrasts
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import headline
from cx.core import display
from cx.core.i18n import N_, _, ngettext
from cx.core.options import Options
from cx.core.schema import AUTOMAKERS, STAGE_LABELS, STAGES
from cx.core.selection import Selection
from cx.data import sql
from cx.exports.chart import SIDES, Chart, native_columns, round_bounds
from cx.metrics import measures
from cx.metrics.drivers import (
    MIN_R2_FOR_ADVICE,
    NOT_PREDICTORS,
    DriverModel,
    key_drivers,
    key_drivers_read,
    stage_words,
)
from cx.reports.base import Choice, Pick, Report, Runner, Source, filter_values, one_of
from cx.reports.common import (
    STAGE,
    answers_range,
    column_formats,
    human_table,
    industries_scope,
    satisfied_axis,
    stage_chart,
)

ALL = N_("All selected industries")
#: The drivers table: each stage's importance with its interval, satisfaction, whether it is
#: in the less-satisfied half of the stages (the candidates to fix), the model's R² and n.
DRIVERS_TABLE = (
    "label", "importance_pct", "importance_low", "importance_high", "raw_weight", "correlation",
    "top2_pct", "lower_half", "model_r2", "model_n",
)  # fmt: skip
DRIVERS_NAMES = {**display.ANSWER_COLUMNS, "lower_half": N_("Less-satisfied half")}
#: The brand-by-stage table.
HEATMAP_TABLE = (
    "brand", "label", "n", "top2_pct", "rest_value", "gap", "p_value", "q_value", "significant",
    "suppressed",
)  # fmt: skip


@dataclass(frozen=True)
class Advice:
    """What the driver model supports saying.

    Attributes:
        kind: ``fix`` (one stage to fix first), ``unstable`` (the top stages' order is not
            settled), ``weak`` (R² too low to advise) or ``none`` (no model, or too few stages
            to compare).
        stage: the stage to fix first (``fix``), else None.
        runner_up: the stage it was compared with.
        claims: the finding as claims read from ``table`` (R² among them).
        table: the drivers chart's table (empty without a model).
    """

    kind: str
    stage: dict[str, Any] | None
    runner_up: dict[str, Any] | None
    claims: tuple[Claim, ...]
    table: pl.DataFrame = field(default_factory=pl.DataFrame, compare=False, repr=False)

    @property
    def text(self) -> str:
        """The finding, in words."""
        return headline(self.claims)


@dataclass(frozen=True)
class JourneyResult:
    """Stage satisfaction, brand x stage against the other brands, and the driver model.

    Attributes:
        options: statistical options.
        selection: the selection shown (the chosen industry applied).
        industry: the industry shown, or None for all selected industries.
        stages: satisfaction per item (8 stages and price transparency).
        by_brand: per brand and stage: top-2-box, ``gap`` to the other brands (points),
            ``q_value`` and ``significant`` (false discovery rate controlled across the cells).
        drivers: the driver model on the stages the selection has (None with too few
            complete answers).
        driver_note: which stages the model uses, or why there is none.
        advice: what the model supports saying.
        missing: stages the dataset does not have.
        choices: the page's resolved picks.
        scope_text: whose journey it is, in words ("Automakers", "all 13 industries").
    """

    options: Options
    selection: Selection
    industry: str | None
    stages: pl.DataFrame
    by_brand: pl.DataFrame
    drivers: DriverModel | None
    advice: Advice
    missing: tuple[str, ...] = ()
    choices: dict[str, Choice] = field(default_factory=dict)
    scope_text: str = ""
    driver_note: str = ""


def drivers_frame(model: DriverModel, stages: pl.DataFrame) -> pl.DataFrame:
    """Each rated stage of the driver model (:data:`DRIVERS_TABLE`, by machine column)."""
    perf = (
        stages.select("item", "top2_pct")
        if not stages.is_empty()
        else pl.DataFrame(schema={"item": pl.String, "top2_pct": pl.Float64})
    )
    d = model.table.join(perf, on="item", how="left").filter(pl.col("top2_pct").is_not_null())
    median = d["top2_pct"].median() if d.height else None
    return d.with_columns(
        lower_half=pl.col("top2_pct") <= (median if median is not None else 0.0),
        model_r2=pl.lit(model.r2),
        model_n=pl.lit(model.n),
    )


def drivers_table(model: DriverModel, stages: pl.DataFrame) -> pl.DataFrame:
    """The drivers chart's table: each rated stage's importance (with interval), satisfaction,
    whether it is in the less-satisfied half (the candidates to fix), R² and n."""
    return human_table(drivers_frame(model, stages), DRIVERS_TABLE, DRIVERS_NAMES)


def advise(model: DriverModel | None, stages: pl.DataFrame, opts: Options, why: str = "") -> Advice:
    """Which stage to fix first, only where the model supports it.

    The candidate is the most important stage among those satisfied at or below the median;
    it is named only when R² reaches :data:`cx.metrics.drivers.MIN_R2_FOR_ADVICE` and its importance
    interval does not overlap the next candidate's.
    """
    if model is None:
        empty = claims.statement("no_model_why", why=why) if why else claims.statement("no_model")
        return Advice("none", None, None, (empty,))
    frame = drivers_frame(model, stages)
    table = human_table(frame, DRIVERS_TABLE, DRIVERS_NAMES)
    if table.is_empty():
        return Advice("none", None, None, (claims.statement("no_stages"),), table)
    r2 = claims.value(table, STAGE, str(frame["label"][0]), "model_r2", "ratio", phrase="r2")
    fit: tuple[Claim, ...] = (r2,) if r2 is not None else ()
    if model.r2 < MIN_R2_FOR_ADVICE:
        return Advice("weak", None, None, (claims.statement("weak_model"), *fit), table)
    half = {DRIVERS_NAMES["lower_half"]: "True"}
    low = frame.filter(pl.col("lower_half")).sort("importance_pct", descending=True)
    if low.height >= 2:
        first, second = low.row(0, named=True), low.row(1, named=True)
        if first["importance_low"] > second["importance_high"]:
            top = claims.top(table, STAGE, "importance_pct", "pct", phrase="fix_first", where=half)
            only = claims.value(
                table, STAGE, first["label"], "top2_pct", "pct", phrase="only_satisfied"
            )
            fix: tuple[Claim, ...] = tuple(c for c in (top, only) if c is not None)
            return Advice("fix", first, second, (*fix, *fit), table)
        top = claims.top(table, STAGE, "importance_pct", "pct", phrase="weighs_most", where=half)
        unsettled = claims.statement("unsettled", other=second["label"], level=opts.level)
        said = (top, unsettled) if top is not None else (unsettled,)
        return Advice("unstable", None, first, (*said, *fit), table)
    top = claims.top(table, STAGE, "importance_pct", "pct", phrase="weighs_most_all")
    return Advice("none", None, None, (*([top] if top else []), *fit), table)


def compute(
    run: Runner, sel: Selection, opts: Options, industry: str | None = None
) -> JourneyResult:
    """The journey of one industry (automakers by default) or of all selected industries."""
    values = filter_values(run, sel.dataset)
    known = values.get("industries", [])
    allowed = [i for i in known if not sel.industries or i in sel.industries]
    preferred = REPORT.defaults["industry"]
    default = preferred if preferred in allowed else ALL
    chosen = one_of(industry, [ALL, *allowed], default) or ALL
    page = sel if chosen == ALL else sel.with_filter("industries", [chosen])
    sql.prefetch(run, [measures.stage_read(page, "brand"), key_drivers_read(page)])
    brand_sums = measures.stage_sums(run, page, "brand")
    stages = measures.stage_table(measures.stage_total(brand_sums, "brand"), "all", opts)
    by_brand = measures.stage_versus_rest(brand_sums, "brand", opts)
    found = key_drivers(run, page, opts)
    model = found.model
    present = set(stages["item"].to_list()) if not stages.is_empty() else set()
    missing = tuple(display.stage_label(s) for s in STAGES if s not in present)
    return JourneyResult(
        options=opts,
        selection=page,
        industry=None if chosen == ALL else chosen,
        stages=stages,
        by_brand=by_brand,
        drivers=model,
        advice=advise(model, stages, opts, found.note),
        missing=missing,
        choices={"industry": Choice((ALL, *allowed), chosen, {ALL: _(ALL)})},
        scope_text=(
            industries_scope(known, sel) if chosen == ALL else display.name("industry", chosen)
        ),
        driver_note=found.note,
    )


def heatmap_claims(table: pl.DataFrame) -> tuple[Claim, ...]:
    """The stage on which brands lie furthest apart (as the cells show), and how many cells
    differ significantly from the other brands on their stage."""
    widest = claims.spread(table, "brand", "top2_pct", "pct", STAGE, "brands")
    cells = contrasts.count(
        table, "brand", "gap", "different", "brand-stage cells", "brand-stage cell",
        "the other brands", value="top2_pct",
    )  # fmt: skip
    return (widest, cells) if widest is not None else (cells,)


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
                tr.append(_("not asked"))
            elif row["suppressed"]:
                zr.append(None)
                tr.append(_(display.TOO_SMALL))
            else:
                zr.append(row["gap"])
                mark = theme.significance(row["significant"], row["gap"]).mark
                tr.append(f"{row['top2_pct']:.0f}{mark}")
        z.append(zr)
        text.append(tr)
    table = human_table(bb, HEATMAP_TABLE, display.ANSWER_COLUMNS)
    said = heatmap_claims(table)
    title = headline(said)
    tested = int(bb.filter(pl.col("p_value").is_not_null()).height)
    gap = int(figures.GAP_RANGE[1])
    subtitle = _(
        "{source} · {scope} · % satisfied ({top_two}) · {answers} answers per brand and stage · "
        "colour: gap to the other brands on that stage, {gap} · {marks} {controlled}"
    ).format(
        source=source.survey,
        scope=scope(r),
        top_two=source.top_two,
        answers=answers_range(bb),
        gap=ngettext("±{n} point", "±{n} points", gap).format(n=gap),
        marks=theme.MARKS,
        controlled=r.options.controlled(tested, "brand-stage cells"),
    )
    return Chart(
        "brand_stage_heatmap",
        title,
        subtitle,
        figures.heatmap(
            z,
            [_(STAGE_LABELS[c]) for c in cols],
            brands,
            title,
            subtitle,
            text=text,
            colorbar_title=_("points vs other brands"),
        ),
        table,
        label=_("Brand x stage"),
        claims=said,
    )


def _drivers(r: JourneyResult, source: Source) -> Chart | None:
    model = r.drivers
    table = r.advice.table
    if model is None or table.is_empty():
        return None
    d = drivers_frame(model, r.stages)
    said = r.advice.claims
    title = headline(said)
    subtitle = _(
        "{source} · {scope} · importance: share of R² (Johnson's relative weights) with "
        "{interval} (bootstrap) · {stages} · {n} complete answers"
    ).format(
        source=source.survey,
        scope=scope(r),
        interval=r.options.interval,
        stages=_model_stages(model),
        n=display.n(model.n),
    )
    x_title = _("Importance for NPS (% of R²)")
    y_title = satisfied_axis(source)
    return Chart(
        "key_drivers",
        title,
        subtitle,
        quadrant.quadrant(
            d, "importance_pct", "top2_pct", "label", title, subtitle, x_title, y_title,
            x_low="importance_low", x_high="importance_high", advice=r.advice.kind == "fix",
        ),
        table,
        label=_("Key drivers"),
        formats=column_formats(raw_weight="0.000", correlation="0.00", model_r2="0.00"),
        native=native_columns(
            d, "label", [(x_title, "importance_pct"), (y_title, "top2_pct")], "scatter",
            blank=None, number_format="0", value_title=y_title, x_title=x_title,
            interval=("importance_low", "importance_high"), **_quadrant_slide(d),
        ),
        notes=[] if r.advice.kind == "fix" else [_("The model does not support naming one stage to fix first.")],
        claims=said,
    )  # fmt: skip


def _quadrant_slide(d: pl.DataFrame) -> dict[str, Any]:
    """The slide's quadrant as the screen frames it: its ranges and its median guides (which
    say what "the less-satisfied half" is; the slide drew neither, on an axis of 0-80)."""
    xs, ys = d["importance_pct"].to_list(), d["top2_pct"].to_list()
    lows, highs = d["importance_low"].to_list(), d["importance_high"].to_list()
    mx, my, x_range, y_range = quadrant.quadrant_frame(xs, ys, lows, highs)
    if mx is None or my is None or x_range is None or y_range is None:
        return {}
    # on round steps (PowerPoint ticks from the axis's bounds: 6.96215414518842)
    (x0, x1) = round_bounds(x_range[0], x_range[1])
    (y0, y1) = round_bounds(y_range[0], y_range[1])
    # names off the guides, the points and each other (all to the right, the median's own
    # name lay on its guide)
    frame = ((x0, x1), (y0, y1), *quadrant.QUADRANT_SLIDE_PLOT)
    spans = list(zip(lows, highs, strict=True))
    names = [str(v) for v in d["label"].to_list()]
    return {
        "x_range": (x0, x1),
        "value_range": (y0, y1),
        "guides": [(mx, y0, mx, y1), (x0, my, x1, my)],
        "sides": label_sides(xs, ys, names, spans, (mx, my), frame, only=SIDES),
    }


def _model_stages(model: DriverModel) -> str:
    """Which stages the model uses, and why the others are not in it."""
    count = len(model.stages)
    said = [
        ngettext("{n} stage ({stages})", "{n} stages ({stages})", count).format(
            n=count, stages=stage_words(model.stages)
        )
    ]
    if model.left_out:
        said.append(
            _("{stages} left out (too few answered them too)").format(
                stages=stage_words(model.left_out)
            )
        )
    said.append(
        _("{stage} is no predictor: it is nearly the recommend score itself").format(
            stage=stage_words(NOT_PREDICTORS)
        )
    )
    return "; ".join(said)


def scope(r: JourneyResult) -> str:
    """Whose journey the page shows: one industry's customers or the sidebar's industries."""
    return r.scope_text or (display.name("industry", r.industry) if r.industry else "")


def charts(r: JourneyResult, source: Source) -> list[Chart]:
    """Stage satisfaction, key drivers, and brand x stage."""
    whose = display.name("industry", r.industry) if r.industry else ""
    out = [
        stage_chart(r.stages, source, r.options, scope(r), whose),
        _drivers(r, source),
        _heatmap(r, source),
    ]
    return [c for c in out if c is not None]


REPORT: Report[JourneyResult] = Report(
    key="journey",
    title=N_("Customer journey"),
    nav=N_("Journey"),
    icon=":material/route:",
    section=N_("Benchmarks"),
    lead=N_(
        "Satisfaction (top-2-box: the top two points of the scale) for the eight stages of the "
        "Capgemini framework, "
        "from awareness to recommendation, and which stages drive NPS."
    ),
    compute=compute,
    charts=charts,
    picks=(
        Pick(
            "industry",
            N_("Industry"),
            help=N_("The journey differs by industry; automakers are the default."),
        ),
    ),
    defaults={"industry": AUTOMAKERS},
    needs=STAGES,
)
