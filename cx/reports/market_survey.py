"""Your survey beside the market: the dataset's own figures on a published study's scale.

A published study on the NPS scale (-100 to 100) gets the survey's NPS by brand beside it; a
percent-scale study (dealer experience ratings) the survey's satisfaction with the purchase
stage. Other scales (ACSI's 0-100 index, J.D. Power's 1,000 points) have no counterpart in a
survey. The survey is a separate panel with its own colour, source and sample: it is never
averaged with, or drawn in the same series as, a published figure. The demo's brands are
fictional, and every title and footnote of its panel says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from cx.charts import figures, theme
from cx.claims import model as claims
from cx.claims.model import Claim
from cx.claims.render import headline
from cx.core.i18n import N_, _
from cx.core.options import Options
from cx.core.selection import Selection
from cx.exports.chart import Chart, native_columns
from cx.metrics import measures
from cx.models import market
from cx.reports.base import Choice, Runner, Source, dataset_source, filter_values, n_total, one_of
from cx.reports.common import NPS_MARGIN, PCT_FORMAT, STAGE_MARGIN, nps_chart, nps_table, top2_table

#: Most brands of the survey shown beside a study (the largest by responses).
MAX_BRANDS = 25
#: The survey's percent measure beside a percent-scale study: purchase-stage top-2-box.
PERCENT_ITEM = "purchase"
#: What each measure is called in titles.
MEASURE_NAMES = {"nps": N_("NPS"), "top2": N_("% satisfied with the purchase stage (top-2-box)")}


@dataclass(frozen=True)
class SurveyBeside:
    """The survey's figures on a study's scale.

    Attributes:
        table: per brand: ``nps_by`` columns (NPS) or top-2-box columns of the purchase stage
            (percent), best first; empty when there is nothing to show.
        measure: ``nps``, ``top2`` or "" (nothing).
        note: why there is nothing to show ("" when there is).
        selection: the sidebar's selection with the chosen industry.
        industry: the chosen industry (None: every brand of the dataset).
        choice: the industry pick as resolved (no options when there is no panel).
    """

    table: pl.DataFrame
    measure: str
    note: str
    selection: Selection
    industry: str | None
    choice: Choice


def survey_beside(
    run: Runner, sel: Selection, opts: Options, scale: str, industry: Any, default: str
) -> SurveyBeside:
    """The survey's figures on ``scale`` for the brands of one industry (``default`` first)."""
    none = Choice((), None)
    needs: tuple[str, ...]
    if market.is_nps(scale):
        measure, needs = "nps", ("brand",)
    elif market.is_percent(scale):
        measure, needs = "top2", ("brand", PERCENT_ITEM)
    else:
        note = _(
            "This study is on a {scale} scale; your survey measures NPS (-100 to 100) and "
            "shares (percent), so your figures appear beside NPS and percent studies only."
        ).format(scale=scale)
        return SurveyBeside(pl.DataFrame(), "", note, sel, None, none)
    if not dataset_source(run, sel.dataset).has(*needs):
        note = _(
            "This dataset has no brand column (or no purchase-stage answers), so there is "
            "nothing of yours to set beside these figures."
        )
        return SurveyBeside(pl.DataFrame(), "", note, sel, None, none)
    values = filter_values(run, sel.dataset)
    allowed = [i for i in values.get("industries", []) if not sel.industries or i in sel.industries]
    chosen = one_of(industry, allowed, default)
    page = sel.with_filter("industries", [chosen]) if chosen else sel
    if measure == "nps":
        table = measures.nps_by(run, page, "brand", opts)
    else:
        table = measures.stage_by(run, page, "brand", opts).filter(pl.col("item") == PERCENT_ITEM)
    if table.is_empty():  # nothing answered in this selection
        note = _("Your survey has no answers in this selection to set beside these figures.")
        return SurveyBeside(pl.DataFrame(), "", note, page, chosen, Choice(tuple(allowed), chosen))
    if table.height > MAX_BRANDS:
        keep = table.sort("n", descending=True).head(MAX_BRANDS)["brand"].to_list()
        table = table.filter(pl.col("brand").is_in(keep))
    value = "nps" if measure == "nps" else "top2_pct"
    table = table.sort(value, descending=True, nulls_last=True)
    return SurveyBeside(table, measure, "", page, chosen, Choice(tuple(allowed), chosen))


def survey_chart(survey: SurveyBeside, opts: Options, beside: str, source: Source) -> Chart | None:
    """The survey's panel beside the published study ``beside`` (its short name and year)."""
    table = survey.table
    if table.is_empty():
        return None
    demo = source.kind == "demo"
    value = "nps" if survey.measure == "nps" else "top2_pct"
    where = survey.industry or _("all brands")
    what = _(MEASURE_NAMES[survey.measure])
    keys = ("brand",)
    human = nps_table(table, keys) if survey.measure == "nps" else top2_table(table, keys)
    said = survey_claims(human, survey.measure, where, demo)
    title = headline(said)
    parts = [
        source.survey,
        n_total(table),
        where,
        _("{measure}, whiskers: {interval}").format(measure=what, interval=opts.interval),
        _(
            "a different source and sample from {study}: set beside it, never averaged with it"
        ).format(study=beside),
    ]
    if demo:
        parts.append(_("the demo's brands are fictional: no bar is a real company's score"))
    subtitle = " · ".join(parts)
    key, label = "market_own_data", _("Your survey on this scale")
    if survey.measure == "nps":
        return nps_chart(key, label, title, subtitle, table, "brand", keys, opts, said=said)
    value_title = _("% satisfied ({top_two})").format(top_two=source.top_two)
    return Chart(
        key,
        title,
        subtitle,
        figures.bars(
            table, "brand", value, title, subtitle, lo="top2_low", hi="top2_high", suffix="%",
            value_title=value_title, value_range=(0, 100),
        ),
        human,
        kind="survey",
        label=label,
        native=native_columns(
            table,
            "brand",
            [(value_title, value)],
            "bar",
            number_format=PCT_FORMAT,
            series_colours=[theme.ACCENT],
            value_title=value_title,
            interval=("top2_low", "top2_high"),
            value_range=(0, 100),
        ),
        claims=said,
    )  # fmt: skip


def survey_claims(table: pl.DataFrame, measure: str, where: str, demo: bool) -> tuple[Claim, ...]:
    """The survey panel's finding, from its table: the brand that leads (ties named
    together), and that the demo's brands are fictional."""
    if measure == "nps":  # with the brands the whiskers cannot tell from the leader
        best = claims.top(
            table, "brand", "nps", "nps", phrase="survey_leads", scope=where, noun="brand",
            margin=NPS_MARGIN,
        )  # fmt: skip
    else:
        best = claims.top(
            table, "brand", "top2_pct", "pct", phrase="survey_leads_top2", scope=where,
            noun="brand", margin=STAGE_MARGIN,
        )  # fmt: skip
    said: tuple[Claim, ...] = (best,) if best else (claims.statement("survey_none", where=where),)
    return (*said, claims.statement("demo_brands")) if demo else said
