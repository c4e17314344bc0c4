"""Data & methods: published vs sample, calibration, definitions and citations."""

import functools

import polars as pl
import streamlit as st

from components import cards, data, state
from cx.charts import theme
from cx.charts.figures import GAP_RANGE
from cx.charts.theme import ABOVE, BELOW, PROVENANCE
from cx.core import i18n
from cx.core.display import TOO_SMALL
from cx.core.i18n import _
from cx.core.schema import STAGE_LABELS
from cx.exports.safety import safe_csv
from cx.metrics.drivers import MIN_R2_FOR_ADVICE, NOT_PREDICTORS, stage_words
from cx.models import citations
from cx.reports.common import human_table


def bullets(*items: str) -> str:
    """A Markdown list, one translated message per bullet (messages keep their line breaks)."""
    return "\n" + "".join(f"- {item}\n" for item in items)


def listed(words: list[str]) -> str:
    """Words in a list, separated as the language separates them ("A, B, C")."""
    return functools.reduce(lambda a, b: _("{list}, {item}").format(list=a, item=b), words)


def badge(kind: str) -> dict[str, str]:
    """The label and badge colour of a kind of numbers, as placeholders."""
    prov = PROVENANCE[kind]
    colour = theme.BADGE_COLOURS.get(prov.badge)
    return {
        f"{kind}_label": _(prov.label),
        f"{kind}_badge": _(colour) if colour else prov.badge,
    }


ctx = state.context()
min_n = i18n.number(ctx.opts.min_n)
cards.header(
    _("Data & methods"),
    _("What the numbers are, where they come from, and how they are computed."),
)

published = PROVENANCE["published"]
st.subheader(_("Published figures vs survey sample"), anchor=False)
st.markdown(
    bullets(
        _(
            "**Published figures** come from public reports and are shown as published, with publisher and\n"
            "  source document, never mixed into survey aggregates. They carry the\n"
            "  *{published_label}* badge ({published_badge})."
        ).format(**badge("published")),
        _(
            "**Published brand benchmarks** (*Market benchmarks*) are real brands' scores from ACSI, J.D.\n"
            "  Power, Temkin and the UKCSI, each with the page it was read from. Each study keeps its own\n"
            "  scale; a trend line never crosses a change of the study's method; your survey appears beside a\n"
            "  study only on the same scale (NPS, percent), in its own panel."
        ),
        _(
            "**Survey sample** numbers are computed from respondent rows of the selected dataset and carry the\n"
            "  *{survey_label}* badge ({survey_badge}). The embedded **demo dataset is synthetic**: fictional brands,\n"
            "  calibrated so the sample reproduces published figures (below). No synthetic number is a real\n"
            "  company's score."
        ).format(**badge("survey")),
        _(
            "**Model** numbers (revenue at risk) come from a transparent what-if model whose every input is\n"
            "  shown with its source; they carry the *{model_label}* badge ({model_badge})."
        ).format(**badge("model")),
        _(
            "**Uploaded datasets** are your own survey exports: they are labelled *uploaded survey* with the\n"
            "  dataset name. Satisfaction on 1-7, 1-10 or 0-10 scales is stored on 1-5 keeping the top-two and\n"
            '  bottom-two boxes, so "% satisfied" is the top-2-box of the source scale; means on the stored\n'
            '  scale are not comparable across scales. Fields a file lacks show as "not in this dataset".'
        ),
    )
)

st.subheader(_("Definitions"), anchor=False)
st.markdown(
    bullets(
        _(
            '**NPS** = % promoters (9-10) − % detractors (0-6) on "How likely are you to recommend …" (0-10),\n'
            "  weighted by survey weights."
        ),
        _(
            "**Interval**: adjusted Wald (Rocks 2016; MeasuringU): n' = n + 3, add ¾ to promoters and\n"
            "  detractors, SE = √((p' + d' − (p' − d')²)/n'). With weights, the Kish effective sample size\n"
            "  (Σw)²/Σw² replaces n."
        ),
        _(
            "**Confidence level**: {level} (chosen in the sidebar under *Statistics*); every interval,\n"
            "  every significance test and every label on every page, deck and export uses it."
        ).format(level=ctx.opts.level),
        _(
            "**Suppression**: groups with fewer than {min_n} responses (changeable in the sidebar)\n"
            '  show "{too_small}" instead of a score.'
        ).format(min_n=min_n, too_small=_(TOO_SMALL)),
        _(
            "**Significance**: two-sample z test, z = ΔNPS / √(SE₁² + SE₂²), at the chosen level. A brand is\n"
            "  compared with the *rest* of its industry (everyone else), never with a total that includes it.\n"
            "  Only significant gaps are coloured (blue above, vermillion below); grey means the difference is\n"
            "  noise. Channels keep their own colours and mark significant gaps with {above}/{below}."
        ).format(above=ABOVE, below=BELOW),
        _(
            "**Journey stages**: {stages}; satisfaction 1-5, top-2-box = 4-5,\n"
            "  Agresti-Coull interval on the effective n."
        ).format(stages=listed([_(label) for label in STAGE_LABELS.values()])),
        _(
            "**Key drivers**: Johnson's relative weights of the stage scores in a regression of the 0-10\n"
            "  score, on complete answers; {not_predictors} is not a predictor (its satisfaction\n"
            "  is nearly the recommend score itself). Each weight is shown as its share of R² with an interval\n"
            "  from a parametric bootstrap (Wishart draws of the correlation matrix on the effective n); the\n"
            '  page gives R² and adjusted R². A stage is named "fix first" only when R² is at least\n'
            "  {min_r2} and its interval does not overlap the next candidate's; otherwise the\n"
            "  page says the model does not support the advice."
        ).format(
            not_predictors=stage_words(NOT_PREDICTORS), min_r2=i18n.number(MIN_R2_FOR_ADVICE, 2)
        ),
        _(
            "**Brand x stage heatmap**: colour is each brand's gap to the other brands on that stage on a\n"
            "  fixed ±{gap}-point scale; {above}/{below} marks gaps that are significant at the chosen level."
        ).format(gap=i18n.number(GAP_RANGE[1]), above=ABOVE, below=BELOW),
        _("**Weighting**: survey weights (default 1) normalised; every statistic is weighted."),
    )
)

st.subheader(_("Dealer scorecards: ranking outlets on evidence"), anchor=False)
st.markdown(
    bullets(
        _(
            "**Outlet**: a dealer, agency outlet or direct store (`dealer_id`, with `dealer_name` and an\n"
            "  optional `dealer_group`), compared with the other outlets of its **brand** in view (of its\n"
            "  sales channel when the data have no brand)."
        ),
        _(
            "**Shrunk NPS** (empirical Bayes, partial pooling): each outlet's raw NPS yᵢ has a sampling\n"
            "  variance vᵢ (its adjusted-Wald SE squared). True outlet scores are assumed to scatter around\n"
            "  their brand's mean with a between-outlet variance τ², estimated for each brand by the method\n"
            "  of moments (DerSimonian-Laird) from its outlets with at least {min_n} responses\n"
            "  (brands with fewer than 5 such outlets use the pooled estimate over all brands in view).\n"
            "  Each outlet moves towards its brand's random-effects mean μ̂ (outlets weighted by\n"
            "  1/(vᵢ + τ²)) by Morris's corrected factor B̂ᵢ = (k − 3)/(k − 1) · vᵢ/(vᵢ + τ²); its interval\n"
            "  adds the uncertainty of μ̂ and of τ² (Morris 1983) and is a {interval}. In simulated\n"
            "  networks these intervals hold the true score as often as they say. An outlet with 3 answers\n"
            "  and +100 lands near its brand; one with 400 answers keeps almost its raw score."
        ).format(min_n=min_n, interval=ctx.opts.interval),
        _(
            "**Rank** is the position on the shrunk NPS among the outlets shown; **quartile** is within the\n"
            "  brand (1 = its best quarter). Outlets under {min_n} responses are listed but not\n"
            "  ranked, and their scores are not shown."
        ).format(min_n=min_n),
        _(
            "**Versus the brand**: the outlet's raw NPS against the *rest* of its brand (the brand's other\n"
            "  outlets' answers), z test at the {level} level with the false discovery rate\n"
            "  controlled across the outlets tested (Benjamini-Yekutieli: each outlet is part of the others'\n"
            "  benchmarks); stages likewise, across the outlet's stages (top-2-box of the stages an outlet\n"
            "  delivers: shop, purchase, delivery, after-sales, price transparency), the weakest being the\n"
            "  one furthest below the rest of the brand."
        ).format(level=ctx.opts.level),
        _(
            "**Trend**: the later half of the waves in view against the earlier half (z test, false\n"
            "  discovery rate controlled across the outlets, Benjamini-Hochberg); an outlet's chart pools\n"
            "  consecutive waves when a single wave has too few answers."
        ),
        _(
            "**Dealer vs direct at outlet level**: the distribution of outlets' shrunk NPS per channel and\n"
            "  per dealer group (box: quartiles; points: outlets), over the outlets the league ranks. The\n"
            "  title compares the median dealer outlet with the median direct store: a description of\n"
            "  estimates, not a significance test. Country response styles differ, so the page starts on\n"
            "  one country."
        ),
    )
)

st.subheader(_("Demo calibration targets"), anchor=False)
cal = pl.DataFrame(
    {
        _("target"): [
            _("Automakers NPS ≈ 2"),
            _("Physical retail NPS ≈ 61"),
            _("Online retailers NPS ≈ 62"),
            _("57% of after-sales-dissatisfied intend to switch within 18 months"),
            _("Direct sales ahead of dealers in purchase and price transparency"),
            _("After-sales the weakest automotive stage"),
            _("Japan lowest, Brazil highest (response styles)"),
            _("Outlets within ±15 NPS points of their brand in the country, a few outliers"),
        ],
        _("source"): [
            "cg_nps_auto",
            "cg_nps_retail",
            "cg_nps_ecom",
            "cg_aftersales_switch",
            "McKinsey (seed 004), NeoCRM blue book (seed 002)",
            "Capgemini 2024; zs_cxi_2024_after_nev",
            _("assumption (survey-methodology literature)"),
            _("assumption; dealer groups as in the NeoCRM blue book (seed 002)"),
        ],
    }
)
cards.table(cal)
st.caption(
    _(
        "Other industries' NPS targets are assumptions ordered like Capgemini's ranking; see data/README.md."
    )
)

st.subheader(_("Sources"), anchor=False)
figures = data.run("published_figures", {"topics": None, "figure_ids": None})
source, title, count = _("Source"), _("Title of the edition read"), _("Figures")
publishers = (
    figures.with_columns(  # Python text per row outside polars: see pages/countries.py
        **{
            source: pl.Series(
                [
                    citations.cite(row)
                    for row in figures.select("publisher", "year", "seed_file").to_dicts()
                ],
                dtype=pl.String,
            ),
            title: pl.Series(
                [
                    citations.documents().get(str(f or ""), {}).get("original_title", "")
                    for f in figures["seed_file"].to_list()
                ],
                dtype=pl.String,
            ),
        },
    )
    .group_by(source, title)
    .agg(pl.len().alias(count))
    .sort(count, descending=True)
)
cards.table(publishers)
with st.expander(_("All published figures"), icon=published.icon):
    cards.table(human_table(figures, figures.columns))
    st.download_button(
        _("Download published figures (CSV)"),
        data=lambda: safe_csv(figures),  # formulas neutralised, as every export; no words
        file_name="published_figures.csv",
        mime="text/csv",
        key="methods_csv",
        on_click="ignore",
    )
