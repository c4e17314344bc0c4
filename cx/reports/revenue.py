"""Revenue at risk: the what-if model (:mod:`cx.models.revenue`) with its presets and survey inputs.

The Overview's revenue tile is this report's result for :data:`cx.models.revenue.DEFAULT_PRESET`, the
preset the page opens with, so the two pages cannot disagree: one function resolves the inputs
for both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cx.charts import figures, theme
from cx.core import display
from cx.core.options import Options
from cx.core.selection import Selection
from cx.exports.chart import Chart, Kpi, SlideTable, native_columns
from cx.metrics import measures
from cx.models import citations, revenue
from cx.reports.base import Choice, Pick, Report, Runner, Source, Summary, dataset_source, one_of
from cx.reports.common import USD_FORMAT, USD_M_FORMAT, column_formats, human_table

#: How the model's charts and its survey-based inputs name where their numbers come from.
MODEL_KIND = theme.PROVENANCE["model"]
SURVEY_KIND = theme.PROVENANCE["survey"]
#: The unit of the model's charts, and the axis of the sensitivity (screen and deck).
USD_M = "USD million a year"
TORNADO_AXIS = f"Total at risk, {USD_M}"
#: Excel formats of an input's value once lowered or raised (counts, shares, dollars).
INPUT_FORMAT = "#,##0.###"
#: The columns of the sensitivity table: each input lowered and raised, and the total then.
SENSITIVITY_TABLE = ("label", "low_value", "high_value", "at_low", "at_high", "swing")
SENSITIVITY_NAMES = {"label": display.COLUMN_NAMES["input"]}

#: Survey fields the data-based presets need.
SURVEY_FIELDS = ("maintain", "switch_intent")
#: What a figure computed from the survey sample says about its scope.
FOLLOWS_FILTERS = "follows the sidebar filters"


@dataclass(frozen=True)
class RevenueResult:
    """The model as resolved for a preset, a brand and the user's inputs.

    Attributes:
        options: statistical options (the sample-based inputs honour ``min_n``).
        preset: the preset key; brand: the brand of the ``from-data`` preset, else None.
        base: the preset's inputs (after survey answers replace what they measure).
        inputs: the inputs used (``base`` with the user's changes).
        sources: each input's source, in words.
        missing: why no figure can be given (fields the dataset lacks), empty when it can.
        outputs: the model's outputs (USD a year), None when ``missing``.
        sensitivity: the tornado table (each input over :func:`cx.models.revenue.swing_range`).
        choices: the page's resolved picks (preset, brand).
        notes: plain-text notes (e.g. a brand with too few answers uses the preset).
    """

    options: Options
    preset: str
    brand: str | None
    base: dict[str, float]
    inputs: dict[str, float]
    sources: dict[str, str]
    missing: tuple[str, ...]
    outputs: dict[str, float] | None
    sensitivity: pl.DataFrame
    choices: dict[str, Choice] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """The preset in words, with the brand."""
        text = revenue.PRESETS[self.preset].label
        return text + (f": {self.brand}" if self.brand else "")

    @property
    def short_label(self) -> str:
        """The preset in a few words, with the brand (for narrow places)."""
        text = revenue.PRESETS[self.preset].short
        return text + (f": {self.brand}" if self.brand else "")

    @property
    def follows_filters(self) -> bool:
        """Whether the figure reads the survey sample (so it changes with the filters)."""
        return revenue.PRESETS[self.preset].survey is not None

    @property
    def filters_note(self) -> str:
        """' · follows the sidebar filters' when the figure does, else empty (for tile notes)."""
        return f" · {FOLLOWS_FILTERS}" if self.follows_filters else ""

    @property
    def changed(self) -> dict[str, float]:
        """Inputs the user changed from the preset."""
        return {k: v for k, v in self.inputs.items() if abs(v - self.base[k]) > 1e-12}


def _survey_inputs(
    run: Runner, sel: Selection, opts: Options, by: str, brand: str | None
) -> tuple[dict[str, float], dict[str, str], list[str]]:
    """Dissatisfied share and switching probability from after-sales answers."""
    stages = measures.stage_by(run, sel, by, opts)
    if stages.is_empty():
        return {}, {}, ["no after-sales answers in this selection"]
    rows = stages.filter(pl.col("item") == "maintain")
    if by == "brand":
        rows = rows.filter(pl.col("brand") == brand)
    if rows.is_empty():
        return {}, {}, ["no after-sales answers in this selection"]
    m = rows.row(0, named=True)
    who = brand or "this sample"
    if m["suppressed"]:
        return {}, {}, [f"{who} has fewer than {opts.min_n} after-sales answers"]
    values: dict[str, float] = {}
    cited: dict[str, str] = {}
    notes: list[str] = []
    if m["dissatisfied_pct"] is not None:
        values["dissatisfied_share"] = m["dissatisfied_pct"] / 100
        cited["dissatisfied_share"] = (
            f"{SURVEY_KIND.label}: {who}, after-sales rated 1-2 of 5 ({display.n(m['n'])})"
        )
    if m["switch_if_dissatisfied_pct"] is not None:
        values["switch_probability"] = m["switch_if_dissatisfied_pct"] / 100
        cited["switch_probability"] = (
            f"{SURVEY_KIND.label}: {who}, after-sales-dissatisfied intending to switch within 18 months"
        )
    else:
        notes.append("no switching-intent answers among the dissatisfied")
    return values, cited, notes


def compute(
    run: Runner,
    sel: Selection,
    opts: Options,
    preset: str | None = None,
    brand: str | None = None,
    **changes: Any,
) -> RevenueResult:
    """Resolve the preset (with survey answers where it uses them) and the user's changes.

    Args:
        preset: a key of :data:`cx.models.revenue.PRESETS` (default: :data:`cx.models.revenue.DEFAULT_PRESET`).
        brand: for ``from-data``: the brand (default: the first brand with answers).
        changes: input values by name; values outside an input's range are ignored with a
            note, unknown names are ignored.
    """
    key = one_of(preset, list(revenue.PRESETS), revenue.DEFAULT_PRESET) or revenue.DEFAULT_PRESET
    spec = revenue.PRESETS[key]
    base = dict(revenue.MIDSIZE)
    cited = {s.name: citations.cite_input(s.source) for s in revenue.INPUTS}
    missing: list[str] = []
    notes: list[str] = []
    choices: dict[str, Choice] = {
        "preset": Choice(
            tuple(revenue.PRESETS),
            key,
            {k: p.label for k, p in revenue.PRESETS.items()},
            note=spec.description,
        )
    }
    chosen_brand: str | None = None
    if spec.survey is not None:
        source = dataset_source(run, sel.dataset)
        lacking = [f for f in SURVEY_FIELDS if not source.has(f)]
        if lacking:
            names = {"maintain": "after-sales satisfaction", "switch_intent": "switching intent"}
            missing.append(
                "this dataset has no " + display.join(names[f] for f in lacking) + " answers"
            )
    if spec.survey == "brand" and not missing:
        catalogue = run("brand_reference", {}).filter(pl.col("vehicles_per_year").is_not_null())
        maintain = measures.stage_by(run, sel, "brand", opts)
        answered = (
            set(maintain.filter(pl.col("item") == "maintain")["brand"].to_list())
            if not maintain.is_empty()
            else set()
        )
        candidates = [b for b in catalogue["brand"].to_list() if b in answered]
        chosen_brand = one_of(brand, candidates)
        choices["brand"] = Choice(tuple(candidates), chosen_brand)
        if chosen_brand is None:
            missing.append("no brand has volume, price and after-sales answers in this selection")
        else:
            b = catalogue.filter(pl.col("brand") == chosen_brand).row(0, named=True)
            base["vehicles_per_year"] = float(b["vehicles_per_year"])
            base["average_transaction_price_usd"] = float(b["average_transaction_price_usd"])
            cited["vehicles_per_year"] = cited["average_transaction_price_usd"] = (
                "Brands table (fictional demo brand)"
            )
            values, survey_cited, survey_notes = _survey_inputs(
                run, sel, opts, "brand", chosen_brand
            )
            if not values:
                notes.extend(f"{n}: the preset's inputs are used" for n in survey_notes)
            base.update(values)
            cited.update(survey_cited)
    elif spec.survey == "selection" and not missing:
        values, survey_cited, survey_notes = _survey_inputs(run, sel, opts, "all", None)
        if "dissatisfied_share" not in values:
            missing.extend(survey_notes or ["no after-sales answers in this selection"])
        base.update(values)
        cited.update(survey_cited)
        notes.extend(n for n in survey_notes if values)
    inputs = dict(base)
    for name, value in changes.items():
        if name not in revenue.SPECS or value is None:
            continue
        try:
            inputs.update(revenue.validate({name: value}))
        except revenue.RevenueInputError as exc:
            notes.append(f"ignored: {exc}")
    outputs = None if missing else revenue.compute(inputs)
    sens = revenue.sensitivity(inputs) if outputs is not None else pl.DataFrame()
    return RevenueResult(
        options=opts,
        preset=key,
        brand=chosen_brand,
        base=base,
        inputs=inputs,
        sources=cited,
        missing=tuple(missing),
        outputs=outputs,
        sensitivity=sens,
        choices=choices,
        notes=tuple(notes),
    )


def assumptions(result: RevenueResult) -> pl.DataFrame:
    """Every input with its value as people read it, unit and source."""
    frame = pl.DataFrame(
        {
            "input": [s.label for s in revenue.INPUTS],
            "value": [s.show(result.inputs[s.name]) for s in revenue.INPUTS],
            "changed": ["yes" if s.name in result.changed else "" for s in revenue.INPUTS],
            "source": [result.sources[s.name] for s in revenue.INPUTS],
        }
    )
    return human_table(frame, frame.columns)


def charts(result: RevenueResult, source: Source) -> list[Chart]:
    """Waterfall of the components and tornado of sensitivities."""
    out = result.outputs
    if out is None:
        return []
    comps = [(revenue.OUTPUT_LABELS[k], out[k]) for k in revenue.COMPONENTS]
    total = out["total_at_risk_usd"]
    title = (
        f"{display.usd_m(total)} a year at risk; {display.usd_m(out['uplift_usd'])} could be "
        "kept by better CX"
    )
    subtitle = f"{MODEL_KIND.short} · {result.label} · profit at risk {display.usd_m(out['profit_at_risk_usd'])}"
    rows = pl.DataFrame(
        {
            "component": [c for c, _ in comps]
            + [revenue.OUTPUT_LABELS[k] for k in ("total_at_risk_usd", "uplift_usd", "profit_at_risk_usd")],
            "usd": [v for _, v in comps]
            + [total, out["uplift_usd"], out["profit_at_risk_usd"]],
        }
    )  # fmt: skip
    charts_out = [
        Chart(
            "revenue_waterfall",
            title,
            subtitle,
            figures.waterfall(
                [c for c, _ in comps],
                [v / 1e6 for _, v in comps],
                title,
                subtitle,
                revenue.OUTPUT_LABELS["total_at_risk_usd"],
                USD_M,
            ),
            human_table(rows, rows.columns),
            kind="model",
            label="Revenue at risk",
            formats=column_formats(usd=USD_FORMAT),
            native=native_columns(
                rows.with_columns(usd_m=pl.col("usd") / 1e6).filter(
                    pl.col("component") != revenue.OUTPUT_LABELS["profit_at_risk_usd"]
                ),
                "component",
                [(USD_M, "usd_m")],
                "column",
                number_format=USD_M_FORMAT,
                value_title=USD_M,
                colours=[theme.MODEL] * len(comps) + [theme.INK, theme.PROMOTER],
            ),
        )
    ]
    sens = result.sensitivity
    if not sens.is_empty():
        t2 = tornado_title(sens)
        s2 = f"{MODEL_KIND.short} · {revenue.SWING_TEXT}"
        millions = sens.with_columns(pl.col("at_low", "at_high") / 1e6)
        charts_out.append(
            Chart(
                "revenue_tornado",
                t2,
                s2,
                figures.tornado(millions, total / 1e6, t2, s2, TORNADO_AXIS),
                human_table(sens, SENSITIVITY_TABLE, SENSITIVITY_NAMES),
                kind="model",
                label="Sensitivity",
                formats=column_formats(
                    SENSITIVITY_NAMES,
                    at_low=USD_FORMAT,
                    at_high=USD_FORMAT,
                    swing=USD_FORMAT,
                    low_value=INPUT_FORMAT,
                    high_value=INPUT_FORMAT,
                ),
                native=native_columns(
                    millions,
                    "label",
                    [(name, column) for column, name, _ in figures.TORNADO_SERIES],
                    "clustered_bar",
                    number_format=USD_M_FORMAT,
                    value_title=TORNADO_AXIS,
                    series_colours=[colour for _, _, colour in figures.TORNADO_SERIES],
                ),
            )
        )
    return charts_out


def tornado_title(sens: pl.DataFrame) -> str:
    """The sensitivity's finding: the input (or the inputs, when several tie, as inputs that
    multiply do) that moves the total most, with the total's range."""
    top = sens.row(0, named=True)
    tied = sens.filter(pl.col("swing") >= top["swing"] * (1 - 1e-9))["label"].to_list()
    tied = tied[:1] + [t[:1].lower() + t[1:] for t in tied[1:]]
    span = f"{display.usd_m(top['at_low'])} to {display.usd_m(top['at_high'])}"
    if len(tied) == 1:
        return f"{top['label']} moves the result most: {span}"
    who = display.join(tied) if len(tied) <= 2 else f"{tied[0]}, {tied[1]} and {len(tied) - 2} more"
    return f"{who} move the result most, each {span}"


def kpis(result: RevenueResult) -> tuple[Kpi, ...]:
    """The headline figures (the page's tiles)."""
    out = result.outputs
    if out is None:
        return (
            Kpi(
                revenue.OUTPUT_LABELS["total_at_risk_usd"],
                "not available",
                "; ".join(result.missing),
            ),
        )
    return (
        Kpi(revenue.OUTPUT_LABELS["total_at_risk_usd"], display.usd_m(out["total_at_risk_usd"]), "a year" + result.filters_note),
        Kpi(
            revenue.OUTPUT_LABELS["switching_loss_usd"],
            display.usd_m(out["switching_loss_usd"]),
            f"{out['lost_vehicles']:,.0f} vehicles a year",
        ),
        Kpi(
            "After-sales + referrals",
            display.usd_m(out["aftersales_loss_usd"] + out["referral_loss_usd"]),
            "a year",
        ),
        Kpi(revenue.OUTPUT_LABELS["profit_at_risk_usd"], display.usd_m(out["profit_at_risk_usd"]), "a year"),
        Kpi(
            revenue.OUTPUT_LABELS["uplift_usd"],
            display.usd_m(out["uplift_usd"]),
            f"{display.share(result.inputs['improvement_share'], 0)} of the dissatisfied won back",
        ),
    )  # fmt: skip


def summary(result: RevenueResult) -> Summary:
    """Key figures and the assumptions slide (every input with its source)."""
    return Summary(
        kpis=kpis(result),
        findings=(),
        tables=(
            SlideTable(
                f"Assumptions: {result.label}",
                assumptions(result),
                f"{MODEL_KIND.label}. Every input can be changed on the Revenue at risk page; "
                "the shared link holds the preset and every changed input.",
            ),
        ),
    )


REPORT: Report[RevenueResult] = Report(
    key="revenue",
    title="Revenue at risk",
    nav="Revenue at risk",
    icon=":material/trending_down:",
    section="Automotive",
    lead=(
        "What switching customers cost a brand per year, component by component. Every input "
        "is named with its unit and source; move the sliders and the result follows."
    ),
    compute=compute,
    charts=charts,
    picks=(
        Pick("preset", "Preset"),
        Pick("brand", "Brand"),
        *(Pick(s.name, s.label, "number", s.help) for s in revenue.INPUTS),
    ),
    defaults={"preset": revenue.DEFAULT_PRESET},
    summary=summary,
)
