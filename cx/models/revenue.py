"""Revenue at risk from customers switching brand because of their experience.

A transparent what-if model in four components (USD per year):

- switching loss = customers x dissatisfied share x switching probability x intent-to-action
  rate x share of repurchases falling in the year (1 / repurchase cycle) x average transaction
  price, where customers are one year's buyers (``vehicles_per_year``);
- after-sales loss = switching customers x annual after-sales revenue per customer, where
  switching customers = customers x dissatisfied share x switching probability x intent-to-action;
- referral loss = switching customers x prospects each dissuades (Bain: a detractor dissuades
  about 2) x share of dissuaded prospects who would have bought x average transaction price;
- uplift = improvement share (share of dissatisfied customers a CX programme wins back) x total.

Profit at risk applies the vehicle gross margin to vehicle revenue (switching and referral) and
the after-sales margin to after-sales revenue. Every input has a unit, default, range and source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from cx.core import display, i18n
from cx.core.i18n import N_, _


class RevenueInputError(ValueError):
    """An unknown input name or a value outside its plausible range."""


@dataclass(frozen=True)
class InputSpec:
    """One model input: what it is, its unit, default, plausible range and source."""

    name: str
    label: str
    unit: str
    default: float
    low: float
    high: float
    source: str
    help: str
    group: str
    step: float

    @property
    def scale(self) -> float:
        """Shown value per model value: shares are shown as percentages."""
        return 100.0 if self.unit == "share" else 1.0

    @property
    def shown_unit(self) -> str:
        """The unit as shown to people, in the current language."""
        if self.unit == "share":
            return "%"
        word = UNIT_WORDS.get(self.unit)
        return _(word) if word else self.unit

    @property
    def decimals(self) -> int:
        """Decimals shown, so that one step always changes what is shown."""
        shown_step = self.step * self.scale
        return 0 if shown_step >= 1 else (1 if shown_step >= 0.1 else 2)

    def snapped(self, value: float) -> float:
        """``value`` on the input's step, as its slider shows it and hands it back (a share of
        0.5673 is shown as 57% and moved back to 57 as 0.57): an input read from the survey
        sample is taken at this value, so that the inputs shown reproduce the result shown and
        putting a slider back where it was changes nothing."""
        steps = round(value / self.step)
        return round(steps * self.step * self.scale, 6) / self.scale

    def show(self, value: float) -> str:
        """A value as people read it (12.6%, 500,000 vehicles a year, $48,724), in the
        current language."""
        if self.unit == "share":
            return i18n.number(value * 100, self.decimals) + "%"
        if self.unit.startswith("USD"):
            amount = "$" + i18n.number(value)
            return _("{amount} a year").format(amount=amount) if self.unit == "USD/year" else amount
        if self.unit == "vehicles/year":
            return _("{count} a year").format(count=i18n.number(value))
        number = i18n.number(value, self.decimals)
        template = VALUE_WORDS.get(self.unit)
        return _(template).format(value=number) if template else f"{number} {self.unit}"


#: Units as people name them (shares are shown as %, USD as $).
UNIT_WORDS: dict[str, str] = {
    "vehicles/year": N_("vehicles a year"),
    "USD": N_("USD"),
    "USD/year": N_("USD a year"),
    "years": N_("years"),
    "people": N_("people"),
}
#: A value with its unit, for units written after the number.
VALUE_WORDS: dict[str, str] = {"years": N_("{value} years"), "people": N_("{value} people")}


INPUTS: tuple[InputSpec, ...] = (
    InputSpec(
        "vehicles_per_year",
        N_("Vehicles sold per year"),
        "vehicles/year",
        500_000,
        1_000,
        10_000_000,
        "cg_rev_loss_switch",
        N_("Customers acquired per year; Capgemini's mid-size brand sells 500,000."),
        N_("Business"),
        1_000,
    ),
    InputSpec(
        "average_transaction_price_usd",
        N_("Average transaction price"),
        "USD",
        48_724,
        10_000,
        200_000,
        "kbb_atp_2024",
        N_("Average price paid for a new vehicle (Kelley Blue Book, US, November 2024)."),
        N_("Business"),
        100,
    ),
    InputSpec(
        "dissatisfied_share",
        N_("Share of customers dissatisfied"),
        "share",
        0.126,
        0.0,
        1.0,
        "assumption",
        N_(
            "Share of customers dissatisfied with the experience (after-sales); "
            "the presets read from the survey take its bottom-two-box share."
        ),
        N_("Customers"),
        0.001,
    ),
    InputSpec(
        "switch_probability",
        N_("Dissatisfied who intend to switch"),
        "share",
        0.57,
        0.0,
        1.0,
        "cg_aftersales_switch",
        N_(
            "Share of dissatisfied customers planning to switch brand within 6-18 months; the "
            "presets read from the survey take it from the dissatisfied's answers."
        ),
        N_("Customers"),
        0.01,
    ),
    InputSpec(
        "intent_to_action_rate",
        N_("Intentions carried out"),
        "share",
        0.5,
        0.05,
        1.0,
        "assumption",
        N_("Share of stated switching intentions that become an actual switch."),
        N_("Customers"),
        0.01,
    ),
    InputSpec(
        "repurchase_cycle_years",
        N_("Repurchase cycle"),
        "years",
        7.0,
        1.0,
        20.0,
        "assumption",
        N_("Years between vehicle purchases; 1/cycle of customers repurchase in a year."),
        N_("Customers"),
        0.5,
    ),
    InputSpec(
        "aftersales_revenue_per_customer_usd",
        N_("After-sales revenue per customer"),
        "USD/year",
        1_200,
        0.0,
        10_000,
        "assumption",
        N_("Service, parts, insurance and financing revenue per customer per year."),
        N_("After-sales and referrals"),
        50,
    ),
    InputSpec(
        "dissuasions_per_detractor",
        N_("Prospects each switcher dissuades"),
        "people",
        2.0,
        0.0,
        10.0,
        "bain_repurchase",
        N_("Bain: a detractor dissuades about two people, a promoter recommends about five."),
        N_("After-sales and referrals"),
        0.5,
    ),
    InputSpec(
        "referral_conversion_rate",
        N_("Dissuaded prospects who would have bought"),
        "share",
        0.02,
        0.0,
        0.5,
        "assumption",
        N_("Share of dissuaded prospects who would otherwise have bought within the year."),
        N_("After-sales and referrals"),
        0.005,
    ),
    InputSpec(
        "gross_margin",
        N_("Vehicle gross margin"),
        "share",
        0.12,
        0.0,
        0.6,
        "assumption",
        N_("Gross margin on vehicle revenue, for profit at risk."),
        N_("Margins and uplift"),
        0.01,
    ),
    InputSpec(
        "aftersales_gross_margin",
        N_("After-sales gross margin"),
        "share",
        0.40,
        0.0,
        0.9,
        "assumption",
        N_("Gross margin on after-sales revenue."),
        N_("Margins and uplift"),
        0.01,
    ),
    InputSpec(
        "improvement_share",
        N_("Dissatisfied customers won back by CX"),
        "share",
        0.25,
        0.0,
        1.0,
        "assumption",
        N_("Share of dissatisfied customers a CX programme turns satisfied (the uplift)."),
        N_("Margins and uplift"),
        0.01,
    ),
)

SPECS: dict[str, InputSpec] = {s.name: s for s in INPUTS}

MIDSIZE = {s.name: s.default for s in INPUTS}


@dataclass(frozen=True)
class Preset:
    """A starting point for the model.

    Attributes:
        key: URL and command-line name.
        label: what the preset selector says.
        short: a few words for narrow places (the scenario comparison table).
        description: where the inputs come from.
        survey: which survey answers replace the dissatisfied share and switching probability:
            None (none), ``selection`` (the whole selection's after-sales answers) or
            ``brand`` (one brand's, with the brand's volume and price).
    """

    key: str
    label: str
    short: str
    description: str
    survey: str | None = None


PRESETS: dict[str, Preset] = {
    p.key: p
    for p in (
        Preset(
            "capgemini-midsize",
            N_("Capgemini 2024 mid-size brand (calibration)"),
            N_("Capgemini 2024"),
            N_(
                "Capgemini Research Institute (2024) put the loss of a mid-size brand selling "
                "500,000 vehicles a year at about USD 125M a year from switching, USD 145-200M in "
                "all, with USD 20-70M to gain from better CX. It did not publish its inputs: these "
                "documented, plausible inputs are a calibration that reproduces those figures."
            ),
        ),
        Preset(
            "sample",
            N_("Mid-size brand with this sample's after-sales answers"),
            N_("This sample"),
            N_(
                "The mid-size brand (500,000 vehicles a year at the average transaction price), "
                "with the dissatisfied share and the switching intent of the dissatisfied taken "
                "from the selected survey sample's after-sales answers: automakers' customers "
                "(a car brand's model), or the industries chosen in the sidebar when they leave "
                "automakers out, so the figure follows the sidebar filters. The default: the "
                "Overview's revenue tile shows this preset."
            ),
            survey="selection",
        ),
        Preset(
            "from-data",
            N_("A brand from the survey data"),
            N_("Brand from data"),
            N_(
                "One brand's volume and price (brands table) with its own after-sales "
                "dissatisfaction and switching intent from the survey sample."
            ),
            survey="brand",
        ),
    )
}
#: The published calibration (reads no survey data).
CALIBRATION_PRESET = "capgemini-midsize"
#: The one default preset: the Overview's revenue tile, the Revenue at risk page opened without
#: a preset and the command line use it, so they show the same figure for the same filters. The
#: sample-based preset follows the user's data and filters, which is what the dashboard is for.
DEFAULT_PRESET = "sample"

#: The outputs as people name them.
OUTPUT_LABELS: dict[str, str] = {
    "switching_loss_usd": N_("Lost repurchases"),
    "aftersales_loss_usd": N_("Lost after-sales"),
    "referral_loss_usd": N_("Lost referrals"),
    "total_at_risk_usd": N_("Total revenue at risk"),
    "uplift_usd": N_("Kept by better CX"),
    "profit_at_risk_usd": N_("Profit at risk"),
}
#: The components that add up to the total.
COMPONENTS = ("switching_loss_usd", "aftersales_loss_usd", "referral_loss_usd")

OUTPUTS = (
    "switching_loss_usd",
    "aftersales_loss_usd",
    "referral_loss_usd",
    "total_at_risk_usd",
    "uplift_usd",
    "profit_at_risk_usd",
)


def validate(values: Mapping[str, Any]) -> dict[str, float]:
    """Check names and ranges; returns the values as floats.

    Raises:
        RevenueInputError: unknown name, non-number, or value outside the input's range.
    """
    out: dict[str, float] = {}
    for name, value in values.items():
        spec = SPECS.get(name)
        if spec is None:
            raise RevenueInputError(f"unknown input {name!r}; inputs are: {', '.join(SPECS)}")
        try:
            number = float(value)
        except (TypeError, ValueError) as exc:
            raise RevenueInputError(f"{name} must be a number, got {value!r}") from exc
        if not spec.low <= number <= spec.high:
            raise RevenueInputError(
                f"{name}={number:g} is outside its range {spec.low:g}..{spec.high:g} {spec.unit}"
            )
        out[name] = number
    return out


def resolve(
    preset: str = CALIBRATION_PRESET,
    overrides: Mapping[str, Any] | None = None,
    base: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Inputs of a preset (or ``base``) with overrides applied, validated."""
    if base is None:
        if preset not in PRESETS:
            raise RevenueInputError(f"unknown preset {preset!r}; presets: {', '.join(PRESETS)}")
        base = MIDSIZE
    values = {**{s.name: s.default for s in INPUTS}, **dict(base), **dict(overrides or {})}
    return validate(values)


def compute(inputs: Mapping[str, float]) -> dict[str, float]:
    """The model: components, total, uplift and profit at risk in USD per year.

    Args:
        inputs: every name in ``SPECS`` (use :func:`resolve` to fill defaults).

    Returns:
        Dict with the ``OUTPUTS`` keys plus ``switching_customers`` and ``lost_vehicles``.
    """
    v = {k: float(inputs[k]) for k in SPECS}
    switching_customers = (
        v["vehicles_per_year"]
        * v["dissatisfied_share"]
        * v["switch_probability"]
        * v["intent_to_action_rate"]
    )
    lost_vehicles = switching_customers / v["repurchase_cycle_years"]
    switching = lost_vehicles * v["average_transaction_price_usd"]
    aftersales = switching_customers * v["aftersales_revenue_per_customer_usd"]
    referral = (
        switching_customers
        * v["dissuasions_per_detractor"]
        * v["referral_conversion_rate"]
        * v["average_transaction_price_usd"]
    )
    total = switching + aftersales + referral
    profit = (switching + referral) * v["gross_margin"] + aftersales * v["aftersales_gross_margin"]
    return {
        "switching_loss_usd": switching,
        "aftersales_loss_usd": aftersales,
        "referral_loss_usd": referral,
        "total_at_risk_usd": total,
        "uplift_usd": total * v["improvement_share"],
        "profit_at_risk_usd": profit,
        "switching_customers": switching_customers,
        "lost_vehicles": lost_vehicles,
    }


#: The sensitivity moves each input this share below and above its current value (clipped to
#: the input's allowed range): a comparable change for every input, so that no input wins only
#: because its allowed range is wide (volume runs from 1,000 to 10 million vehicles).
SWING = 0.2


def swing_text() -> str:
    """The sensitivity's range in words, in the current language."""
    return _(
        "each input {swing} below and above its current value (within its allowed range), "
        "the others as set"
    ).format(swing=display.pct(SWING * 100))


def swing_range(spec: InputSpec, value: float) -> tuple[float, float]:
    """The low and high values the sensitivity gives an input: ``value`` -/+ :data:`SWING`
    of itself, clipped to the input's range."""
    low, high = sorted((value * (1 - SWING), value * (1 + SWING)))
    return max(spec.low, low), min(spec.high, high)


def sensitivity(inputs: Mapping[str, float], output: str = "total_at_risk_usd") -> pl.DataFrame:
    """Tornado table: the output with each input moved over :func:`swing_range`, others fixed.

    Returns:
        One row per input that moves the output: ``name``, ``label`` (in the current
        language), ``low_value``,
        ``high_value`` (the input's values), ``at_low``, ``at_high`` (the output at them),
        ``swing``, sorted by swing, largest first (inputs in model order among equals).
    """
    base = compute(inputs)[output]
    rows = []
    for spec in INPUTS:
        low, high = swing_range(spec, float(inputs[spec.name]))
        lo = compute({**inputs, spec.name: low})[output]
        hi = compute({**inputs, spec.name: high})[output]
        if abs(hi - lo) > 1e-9 * max(1.0, abs(base)):
            rows.append(
                {
                    "name": spec.name,
                    "label": _(spec.label),
                    "low_value": low,
                    "high_value": high,
                    "at_low": lo,
                    "at_high": hi,
                    "swing": abs(hi - lo),
                }
            )
    if not rows:
        return pl.DataFrame()
    rank = pl.col("swing").round_sig_figs(9)  # equal swings (inputs that multiply) tie exactly
    table = pl.DataFrame(rows).with_columns(swing=rank)
    return table.sort("swing", descending=True, maintain_order=True)


def inputs_table(
    inputs: Mapping[str, float], sources: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """The resolved inputs with unit and source (``sources`` overrides, e.g. 'survey data')."""
    return [
        {
            "name": s.name,
            "value": inputs[s.name],
            "unit": s.unit,
            "source": (sources or {}).get(s.name, s.source),
            "label": _(s.label),
        }
        for s in INPUTS
    ]
