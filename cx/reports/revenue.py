"""Revenue at risk: the what-if model (:mod:`cx.models.revenue`) with its presets and survey inputs.

The Overview's revenue tile is this report's result for :data:`cx.models.revenue.DEFAULT_PRESET`, the
preset the page opens with, so the two pages cannot disagree: one function resolves the inputs
for both. The model is a car brand's (vehicles, transaction prices), so the survey answers it
reads are automakers' customers' unless the sidebar leaves automakers out
(:func:`model_selection`); the result says which industries feed it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cx.charts import revenue as revenue_figures
from cx.charts import theme
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import headline
from cx.core import display
from cx.core.i18n import N_, _, ngettext
from cx.core.options import Options
from cx.core.schema import AUTOMAKERS, NO_INDUSTRY
from cx.core.selection import Selection
from cx.exports.chart import (
    Chart,
    Kpi,
    SlideTable,
    native_columns,
    native_waterfall,
    round_bounds,
)
from cx.metrics import measures
from cx.models import citations, revenue
from cx.reports.base import (
    Choice,
    Pick,
    Report,
    Runner,
    Source,
    Summary,
    dataset_source,
    filter_values,
    one_of,
)
from cx.reports.common import (
    USD_FORMAT,
    claimed_kpi,
    column_formats,
    human_table,
    industries_scope,
)

#: How the model's charts and its survey-based inputs name where their numbers come from.
MODEL_KIND = theme.PROVENANCE["model"]
SURVEY_KIND = theme.PROVENANCE["survey"]
#: Excel formats of an input's value once lowered or raised (counts, shares, dollars), and of
#: a count of vehicles.
INPUT_FORMAT = "#,##0.###"
COUNT_FORMAT = "#,##0"
#: The columns of the sensitivity table: each input lowered and raised, and the total then.
SENSITIVITY_TABLE = ("label", "unit", "low_value", "high_value", "at_low", "at_high", "swing")
SENSITIVITY_NAMES = {"label": display.COLUMN_NAMES["input"]}
#: The sensitivity table's row label (the input), as the table names it.
INPUT = SENSITIVITY_NAMES["label"]
#: The columns of the outputs table: each output by name, in USD a year, and lost vehicles.
OUTPUTS_TABLE = ("component", "usd", "shown_usd", "vehicles")

#: Survey fields the data-based presets need, as a note names them when a dataset lacks them.
SURVEY_FIELDS = {
    "maintain": N_("after-sales satisfaction"),
    "switch_intent": N_("switching intent"),
}
#: What a figure computed from the survey sample says about its scope.
FOLLOWS_FILTERS = N_("follows the sidebar filters")
#: The inputs a survey preset reads from the answers: both, or the preset gives no figure (the
#: selection's) or its own inputs (a brand's).
SAMPLED = ("dissatisfied_share", "switch_probability")


def tornado_axis() -> str:
    """The sensitivity's axis (screen and deck), in the language shown."""
    return _("Total at risk, {unit}").format(unit=revenue_figures.money_axis())


def output_label(key: str) -> str:
    """A model output's name (:data:`cx.models.revenue.OUTPUT_LABELS`) in the language shown:
    the outputs table's rows, the tiles' labels and the lookups of the claims that read them,
    all made in one language at once."""
    return _(revenue.OUTPUT_LABELS[key])


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
        reads: whose survey answers feed the figure ("after-sales answers of Automakers
            customers"), empty when it reads none.
        who: whose answers they are ("Automakers customers"), empty when it reads none.
        sampled: the inputs read from the survey sample (before any change).
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
    reads: str = ""
    who: str = ""
    sampled: tuple[str, ...] = ()

    def _named(self, text: str, changes: bool = True, whose: bool = False) -> str:
        """A preset's name with the brand (or, ``whose``, the customers whose answers feed
        it), and how many inputs were changed from it: "…: Automakers customers, 4 inputs
        changed" (the changes came between the preset and its customers)."""
        if self.brand:
            text = _("{preset}: {brand}").format(preset=text, brand=self.brand)
        elif whose and self.who:  # the customers in the brand's place ("：" in Chinese)
            text = _("{preset}: {brand}").format(preset=text, brand=self.who)
        n = len(self.changed) if changes else 0
        if n:
            text = ngettext(
                "{preset}, {n} input changed", "{preset}, {n} inputs changed", n
            ).format(preset=text, n=display.count(n))
        return text

    @property
    def label(self) -> str:
        """The preset in words, with the brand and how many inputs were changed."""
        return self._named(_(revenue.PRESETS[self.preset].label))

    @property
    def whose_label(self) -> str:
        """:attr:`label` with the customers whose answers feed the model (without a brand)."""
        return self._named(_(revenue.PRESETS[self.preset].label), whose=True)

    @property
    def short_label(self) -> str:
        """The preset in a few words, with the brand (for narrow places, such as the scenario
        table, whose other rows give the inputs)."""
        return self._named(_(revenue.PRESETS[self.preset].short), changes=False)

    @property
    def follows_filters(self) -> bool:
        """Whether the figure reads the survey sample (so it changes with the filters): some
        input read from the sample (:attr:`sampled`) is still as read."""
        return any(k not in self.changed for k in self.sampled)

    @property
    def filters_note(self) -> str:
        """' · <whose answers> · follows the sidebar filters' when the figure reads the survey,
        else empty (for tile notes)."""
        if not self.follows_filters:
            return ""
        return (f" · {self.reads}" if self.reads else "") + f" · {_(FOLLOWS_FILTERS)}"

    @property
    def changed(self) -> dict[str, float]:
        """Inputs the user changed from the preset."""
        return changed_inputs(self.inputs, self.base)


def changed_inputs(inputs: dict[str, float], base: dict[str, float]) -> dict[str, float]:
    """The inputs set to another value than the preset's (the table's "changed", the sources'
    "Changed on this page")."""
    return {k: v for k, v in inputs.items() if abs(v - base[k]) > 1e-12}


def model_selection(run: Runner, sel: Selection) -> tuple[Selection, str]:
    """The answers the car-brand model reads, and who they are in words: automakers'
    customers (the sidebar's other filters applied) unless the sidebar's industries leave
    automakers out; then exactly the industries it chose, named."""
    known = [i for i in filter_values(run, sel.dataset).get("industries", []) if i != NO_INDUSTRY]
    if AUTOMAKERS in known and (not sel.industries or AUTOMAKERS in sel.industries):
        return sel.with_filter("industries", [AUTOMAKERS]), _("{name} customers").format(
            name=AUTOMAKERS
        )
    if sel.industries:
        return sel, _("{names} customers (chosen in the sidebar)").format(
            names=display.join(sel.industries)
        )
    if len(known) > 1:  # "all 13 industries", "both industries", as every page names them
        return sel, _("customers of {scope}").format(scope=industries_scope(known, sel))
    if known:
        return sel, _("{name} customers").format(name=known[0])
    return sel, _("all respondents")


def _survey_inputs(
    run: Runner,
    sel: Selection,
    opts: Options,
    by: str,
    brand: str | None,
    whose: str = "",
    points: str = "",
) -> tuple[dict[str, float], dict[str, str], list[str]]:
    """Dissatisfied share and switching probability from after-sales answers (of ``whose``:
    the customers they are, in words; ``points``: what "dissatisfied" counts on the dataset's
    scale, :attr:`cx.reports.base.Source.bottom_two`). ``by='all'``: the sums of :func:`model_selection`'s
    industries, read with the Overview's stages (:func:`cx.metrics.measures.stage_of_industries`)."""
    if by == "all":
        stages = measures.stage_table(measures.stage_of_industries(run, sel), "all", opts)
    else:
        stages = measures.stage_by(run, sel, by, opts)
    if stages.is_empty():
        return {}, {}, [_("no after-sales answers in this selection")]
    rows = stages.filter(pl.col("item") == "maintain")
    if by == "brand":
        rows = rows.filter(pl.col("brand") == brand)
    if rows.is_empty():
        return {}, {}, [_("no after-sales answers in this selection")]
    m = rows.row(0, named=True)
    who = brand or whose or _("this sample")
    if m["suppressed"]:
        return (
            {},
            {},
            [
                _("fewer than {min_n} after-sales answers from {who}").format(
                    min_n=opts.min_n, who=who
                )
            ],
        )
    values: dict[str, float] = {}
    cited: dict[str, str] = {}
    notes: list[str] = []
    if m["dissatisfied_pct"] is not None:
        values["dissatisfied_share"] = revenue.SPECS["dissatisfied_share"].snapped(
            m["dissatisfied_pct"] / 100
        )
        cited["dissatisfied_share"] = _("{kind}: {who}, after-sales rated {points} ({n})").format(
            kind=_(SURVEY_KIND.label), who=who, n=display.n(m["n"]),
            points=points,
        )  # fmt: skip
    if m["switch_if_dissatisfied_pct"] is not None:
        values["switch_probability"] = revenue.SPECS["switch_probability"].snapped(
            m["switch_if_dissatisfied_pct"] / 100
        )
        cited["switch_probability"] = _(
            "{kind}: {who}, after-sales-dissatisfied intending to switch within 18 months"
        ).format(kind=_(SURVEY_KIND.label), who=who)
    else:
        notes.append(_("no switching-intent answers among the dissatisfied"))
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
            {k: _(p.label) for k, p in revenue.PRESETS.items()},
            note=_(spec.description),
        )
    }
    chosen_brand: str | None = None
    reads = who = ""
    sampled: tuple[str, ...] = ()
    if spec.survey is not None:
        source = dataset_source(run, sel.dataset)
        lacking = [f for f in SURVEY_FIELDS if not source.has(f)]
        if lacking:
            missing.append(
                _("this dataset has no {fields} answers").format(
                    fields=display.join(_(SURVEY_FIELDS[f]) for f in lacking)
                )
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
            missing.append(
                _("no brand has volume, price and after-sales answers in this selection")
            )
        else:
            b = catalogue.filter(pl.col("brand") == chosen_brand).row(0, named=True)
            base["vehicles_per_year"] = float(b["vehicles_per_year"])
            base["average_transaction_price_usd"] = float(b["average_transaction_price_usd"])
            cited["vehicles_per_year"] = cited["average_transaction_price_usd"] = _(
                "Brands table (fictional demo brand)"
            )
            values, survey_cited, survey_notes = _survey_inputs(
                run, sel, opts, "brand", chosen_brand, points=source.bottom_two
            )
            if set(values) != set(SAMPLED):  # both from the brand's answers, or neither
                values, survey_cited = {}, {}
                notes.extend(
                    _("{note}: the preset's inputs are used").format(note=n) for n in survey_notes
                )
            base.update(values)
            cited.update(survey_cited)
            sampled = tuple(values)
            who = _("{name} customers").format(name=chosen_brand) if values else ""
            reads = _("after-sales answers of {who}").format(who=who) if values else ""
    elif spec.survey == "selection" and not missing:
        model_sel, who = model_selection(run, sel)
        reads = _("after-sales answers of {who}").format(who=who)
        values, survey_cited, survey_notes = _survey_inputs(
            run, model_sel, opts, "all", None, who, source.bottom_two
        )
        if set(values) != set(SAMPLED):  # not a published default beside the sample's share
            missing.extend(survey_notes or [_("no after-sales answers in this selection")])
        else:  # (otherwise the notes are said once, as the missing figure's reasons)
            base.update(values)
            cited.update(survey_cited)
            sampled = tuple(values)
            notes.extend(survey_notes)
    inputs = dict(base)
    for name, value in changes.items():
        if name not in revenue.SPECS or value is None:
            continue
        try:
            inputs.update(revenue.validate({name: value}))
        except revenue.RevenueInputError as exc:
            notes.append(_("ignored: {reason}").format(reason=exc))
    cited = _credited(cited, base, inputs)
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
        reads=reads,
        who=who,
        sampled=sampled,
    )


def _credited(
    cited: dict[str, str], base: dict[str, float], inputs: dict[str, float]
) -> dict[str, str]:
    """Each input's source, a value the user set credited to them with what it was changed from
    ("Changed on this page from 36.9% (Survey sample: …)"), not to the source it left."""
    changed = changed_inputs(inputs, base)
    return {
        name: _("Changed on this page from {value} ({source})").format(
            value=revenue.SPECS[name].show(base[name]), source=source
        )
        if name in changed
        else source
        for name, source in cited.items()
    }


def assumptions(result: RevenueResult) -> pl.DataFrame:
    """Every input with its value as people read it, unit and source."""
    frame = pl.DataFrame(
        {
            "input": [_(s.label) for s in revenue.INPUTS],
            "value": [s.show(result.inputs[s.name]) for s in revenue.INPUTS],
            "changed": [_("yes") if s.name in result.changed else "" for s in revenue.INPUTS],
            "source": [result.sources[s.name] for s in revenue.INPUTS],
        }
    )
    return human_table(frame, frame.columns)


def outputs(result: RevenueResult) -> pl.DataFrame:
    """The model's outputs by machine column (:data:`OUTPUTS_TABLE`): the components, the
    total, what better CX could keep and the profit at risk (USD a year), with the lost
    vehicles."""
    out = result.outputs or {}
    keys = [*revenue.COMPONENTS, "total_at_risk_usd", "uplift_usd", "profit_at_risk_usd"]
    shown = shown_outputs(result)
    return pl.DataFrame(
        {
            "component": [output_label(k) for k in keys],
            "usd": [out.get(k) for k in keys],
            "shown_usd": [shown.get(k) for k in keys],
            "vehicles": [
                out.get("lost_vehicles") if k == "switching_loss_usd" else None for k in keys
            ],
        },
        schema={
            "component": pl.String,
            "usd": pl.Float64,
            "shown_usd": pl.Float64,
            "vehicles": pl.Float64,
        },
    )


def shown_outputs(result: RevenueResult) -> dict[str, float]:
    """The outputs (USD a year) as every label, tile and table shows them: whole millions, the
    components adding up to the total (as the waterfall labels them), the others rounded. A
    saved scenario's column showed lost referrals of $120M beside the chart's $121M, its rows
    no longer adding up to its total."""
    out = result.outputs or {}
    shown: dict[str, float] = {}
    parts = [out.get(k) for k in revenue.COMPONENTS]
    if all(v is not None for v in parts):
        added = display.adding_up([float(v) / 1e6 for v in parts if v is not None])
        shown = dict(
            zip([*revenue.COMPONENTS, "total_at_risk_usd"], [v * 1e6 for v in added], strict=True)
        )
    for k in ("uplift_usd", "profit_at_risk_usd"):
        if out.get(k) is not None:
            shown[k] = round(float(out[k]) / 1e6) * 1e6
    return shown


def outputs_table(result: RevenueResult) -> pl.DataFrame:
    """The model's outputs as the waterfall's table (and the tiles') shows them."""
    return human_table(outputs(result), OUTPUTS_TABLE)


def _output(table: pl.DataFrame, key: str, phrase: str = "value") -> Claim:
    """A model output as a claim read from the outputs table."""
    found = claims.value(table, "component", output_label(key), "shown_usd", "usd_m", phrase=phrase)
    return found if found is not None else claims.statement("nothing")


def sentence(note: str) -> str:
    """A model note as a sentence (capital, full stop in the language), as the page shows it."""
    return _("{sentence}.").format(sentence=note[:1].upper() + note[1:])


def _waterfall(result: RevenueResult) -> Chart:
    out = result.outputs or {}
    rows = outputs(result)
    table = human_table(rows, OUTPUTS_TABLE)
    comps = [(output_label(k), out[k]) for k in revenue.COMPONENTS]
    said = (_output(table, "total_at_risk_usd", "at_risk"), _output(table, "uplift_usd", "kept"))
    title = headline(said)
    subtitle = _("{kind} · {preset} · profit at risk {profit}").format(
        kind=_(MODEL_KIND.short),
        preset=result.whose_label,
        profit=display.usd_m(out["profit_at_risk_usd"]),
    )
    drawn = rows.filter(pl.col("component") != output_label("profit_at_risk_usd"))
    native = native_columns(
        drawn.with_columns(usd_m=pl.col("shown_usd") / revenue_figures.money_scale()),
        "component",
        [(revenue_figures.money_axis(), "usd_m")],
        "column",
        number_format=revenue_figures.money_format(),
        value_title=revenue_figures.money_axis(),
        colours=[theme.MODEL] * len(comps) + [theme.INK, theme.PROMOTER],
    )
    return Chart(
        "revenue_waterfall",
        title,
        subtitle,
        revenue_figures.waterfall(
            [c for c, _v in comps],
            [v for _c, v in comps],
            title,
            subtitle,
            output_label("total_at_risk_usd"),
            revenue_figures.money_axis(),
            (output_label("uplift_usd"), out["uplift_usd"]) if "uplift_usd" in out else None,
        ),
        table,
        kind="model",
        label=_("Revenue at risk"),
        formats=column_formats(usd=USD_FORMAT, shown_usd=USD_FORMAT, vehicles=COUNT_FORMAT),
        # the bars as the screen draws them: each component on the ones before it
        native=native_waterfall(native, len(comps), [display.usd_m(v) for v in drawn["shown_usd"]]),
        claims=said,
        # what the screen warns of above the model (a brand's answers too few: the preset's
        # inputs): the deck and workbook said "A brand from the survey data: Zhenyu" alone
        notes=[sentence(n) for n in result.notes],
    )


def _tornado(result: RevenueResult, total: float) -> Chart | None:
    sens = result.sensitivity
    if sens.is_empty():
        return None
    # the inputs named in the language shown, in the table the claims read as on the chart
    sens = sens.with_columns(pl.col("label").replace({k: _(k) for k in sens["label"].to_list()}))
    # each input's values as its slider shows them, with their unit (one column held shares as
    # fractions beside dollars and years: 0.6839999999999999)
    specs = [revenue.SPECS[n] for n in sens["name"].to_list()]
    shown = {
        c: pl.Series(c, [round(v * s.scale, 6) for v, s in zip(sens[c], specs, strict=True)])
        for c in ("low_value", "high_value")
    }
    units = pl.Series("unit", [s.shown_unit for s in specs], dtype=pl.String)
    table = human_table(
        sens.with_columns(units, *shown.values()), SENSITIVITY_TABLE, SENSITIVITY_NAMES
    )
    said = tornado_claims(table)
    title = headline(said)
    subtitle = f"{_(MODEL_KIND.short)} · {revenue.swing_text()}"
    scaled = sens.with_columns(pl.col("at_low", "at_high") / revenue_figures.money_scale())
    return Chart(
        "revenue_tornado",
        title,
        subtitle,
        revenue_figures.tornado(
            scaled, total / revenue_figures.money_scale(), title, subtitle, tornado_axis()
        ),
        table,
        kind="model",
        label=_("Sensitivity"),
        formats=column_formats(
            SENSITIVITY_NAMES,
            at_low=USD_FORMAT,
            at_high=USD_FORMAT,
            swing=USD_FORMAT,
            low_value=INPUT_FORMAT,
            high_value=INPUT_FORMAT,
        ),
        native=native_columns(
            scaled,
            "label",
            [(_(name), column) for column, name, _colour in revenue_figures.TORNADO_SERIES],
            "clustered_bar",
            number_format=revenue_figures.money_format(),
            value_title=tornado_axis(),
            series_colours=[colour for _column, _name, colour in revenue_figures.TORNADO_SERIES],
            # bars from the result as set, as the screen draws the swings (they were drawn
            # from $0, 483 against 724, the swings lost)
            crosses_at=total / revenue_figures.money_scale(),
            value_range=slides_reach(scaled),
        ),
        claims=said,
    )


def slides_reach(scaled: pl.DataFrame) -> tuple[float, float]:
    """The tornado slide's value axis: from its lowest to its highest result, on round steps."""
    values = [*scaled["at_low"].to_list(), *scaled["at_high"].to_list()]
    finite = [float(v) for v in values if v is not None and math.isfinite(v)]
    return round_bounds(min(finite), max(finite)) if finite else (0.0, 1.0)


def charts(result: RevenueResult, source: Source) -> list[Chart]:
    """Waterfall of the components and tornado of sensitivities."""
    if result.outputs is None:
        return []
    out = [
        _waterfall(result),
        _tornado(result, result.outputs["total_at_risk_usd"]),
    ]
    return [c for c in out if c is not None]


def tornado_claims(table: pl.DataFrame) -> tuple[Claim, ...]:
    """The sensitivity's finding: the input (or the inputs, when several swing the total by
    the same amount as shown, as inputs that multiply do) that moves the total most, and the
    total's range as it moves."""
    top = claims.top(table, INPUT, "swing", "usd_m", phrase="swing", noun="input")
    if top is None:
        return (claims.statement("nothing"),)
    span = claims.span(table, INPUT, top.subjects, "at_low", "at_high", "usd_m")
    return (top, span) if span is not None else (top,)


def risk_kpi(
    result: RevenueResult,
    label: str | None = None,
    preset: bool = False,
    help: str = "",
) -> Kpi:
    """The total at risk as a tile (or why there is none), with whose answers feed it and,
    with ``preset``, the preset's name (for tiles away from the Revenue page); ``help`` says
    how the figure is made. ``label`` (as shown) defaults to the output's name."""
    label = output_label("total_at_risk_usd") if label is None else label
    if result.outputs is None:
        return Kpi(label, _("not available"), "; ".join(result.missing), help=help)
    table = outputs_table(result)
    year = _("a year")
    if preset and result.follows_filters:
        note = f"{year} · {result.whose_label} · {_(FOLLOWS_FILTERS)}"
    else:
        note = f"{year}{' · ' + result.label if preset else ''}{result.filters_note}"
        if result.changed and not preset:  # the preset's name is not beside it: say so here
            note += " · " + ngettext(
                "{n} input changed", "{n} inputs changed", len(result.changed)
            ).format(n=display.count(len(result.changed)))
    # a model's figure wherever it stands (the deck's key figures slide carries no page badge)
    note = f"{_(MODEL_KIND.label)} · {note}"
    return claimed_kpi(label, (_output(table, "total_at_risk_usd"),), table, note, help)


def kpis(result: RevenueResult) -> tuple[Kpi, ...]:
    """The headline figures (the page's tiles), each read from the outputs table."""
    if result.outputs is None:
        return (risk_kpi(result),)
    table = outputs_table(result)
    lost = output_label("switching_loss_usd")
    vehicles = claims.value(table, "component", lost, "vehicles", "count", phrase="vehicles")
    after = claims.total(
        table, "component", "shown_usd", "usd_m",
        [output_label("aftersales_loss_usd"), output_label("referral_loss_usd")],
        "", "",
    )  # fmt: skip
    won = display.share(result.inputs["improvement_share"], 0)
    return (
        risk_kpi(result),
        claimed_kpi(lost, (_output(table, "switching_loss_usd"), *([vehicles] if vehicles else [])), table),
        claimed_kpi(_("After-sales + referrals"), (after,) if after else (claims.statement("nothing"),), table, _("a year")),
        claimed_kpi(output_label("profit_at_risk_usd"), (_output(table, "profit_at_risk_usd"),), table, _("a year")),
        claimed_kpi(output_label("uplift_usd"), (_output(table, "uplift_usd"),), table,
                    _("{share} of the dissatisfied won back").format(share=won)),
    )  # fmt: skip


def summary(result: RevenueResult) -> Summary:
    """Key figures and the assumptions slide (every input with its source)."""
    return Summary(
        kpis=kpis(result),
        findings=(),
        tables=(
            SlideTable(
                _("Assumptions: {preset}").format(preset=result.label),
                assumptions(result),
                _(
                    "{kind}. Every input can be changed on the Revenue at risk page; the shared "
                    "link holds the preset and every changed input."
                ).format(kind=_(MODEL_KIND.label)),
            ),
        ),
    )


REPORT: Report[RevenueResult] = Report(
    key="revenue",
    title=N_("Revenue at risk"),
    nav=N_("Revenue at risk"),
    icon=":material/trending_down:",
    section=N_("Automotive"),
    lead=N_(
        "What switching customers cost a brand per year, component by component. Every input "
        "is named with its unit and source; move the sliders and the result follows."
    ),
    compute=compute,
    charts=charts,
    picks=(
        Pick("preset", N_("Preset")),
        Pick("brand", N_("Brand")),
        *(Pick(s.name, s.label, "number", s.help) for s in revenue.INPUTS),
    ),
    defaults={"preset": revenue.DEFAULT_PRESET},
    summary=summary,
)
