"""Data & methods: published vs sample, calibration, definitions and citations."""

import polars as pl
import streamlit as st

from components import cards, data, state
from cx.charts.figures import GAP_RANGE
from cx.charts.theme import ABOVE, BELOW, PROVENANCE
from cx.core.display import TOO_SMALL
from cx.core.schema import STAGE_LABELS
from cx.exports.safety import safe_csv
from cx.metrics.drivers import MIN_R2_FOR_ADVICE, NOT_PREDICTORS, stage_words
from cx.models import citations

ctx = state.context()
cards.header(
    "Data & methods", "What the numbers are, where they come from, and how they are computed."
)

published, survey, model = PROVENANCE["published"], PROVENANCE["survey"], PROVENANCE["model"]
st.subheader("Published figures vs survey sample", anchor=False)
st.markdown(
    f"""
- **Published figures** come from public reports and are shown as published, with publisher and
  source document, never mixed into survey aggregates. They carry the
  *{published.label}* badge ({published.badge}).
- **Published brand benchmarks** (*Market benchmarks*) are real brands' scores from ACSI, J.D.
  Power, Temkin and the UKCSI, each with the page it was read from. Each study keeps its own
  scale; a trend line never crosses a change of the study's method; your survey appears beside a
  study only on the same scale (NPS, percent), in its own panel.
- **Survey sample** numbers are computed from respondent rows of the selected dataset and carry the
  *{survey.label}* badge ({survey.badge}). The embedded **demo dataset is synthetic**: fictional brands,
  calibrated so the sample reproduces published figures (below). No synthetic number is a real
  company's score.
- **Model** numbers (revenue at risk) come from a transparent what-if model whose every input is
  shown with its source; they carry the *{model.label}* badge ({model.badge}).
- **Uploaded datasets** are your own survey exports: they are labelled *uploaded survey* with the
  dataset name. Satisfaction on 1-7, 1-10 or 0-10 scales is stored on 1-5 keeping the top-two and
  bottom-two boxes, so "% satisfied" is the top-2-box of the source scale; means on the stored
  scale are not comparable across scales. Fields a file lacks show as "not in this dataset".
"""
)

st.subheader("Definitions", anchor=False)
st.markdown(
    f"""
- **NPS** = % promoters (9-10) − % detractors (0-6) on "How likely are you to recommend …" (0-10),
  weighted by survey weights.
- **Interval**: adjusted Wald (Rocks 2016; MeasuringU): n' = n + 3, add ¾ to promoters and
  detractors, SE = √((p' + d' − (p' − d')²)/n'). With weights, the Kish effective sample size
  (Σw)²/Σw² replaces n.
- **Confidence level**: {ctx.opts.level} (chosen in the sidebar under *Statistics*); every interval,
  every significance test and every label on every page, deck and export uses it.
- **Suppression**: groups with fewer than {ctx.opts.min_n} responses (changeable in the sidebar)
  show "{TOO_SMALL}" instead of a score.
- **Significance**: two-sample z test, z = ΔNPS / √(SE₁² + SE₂²), at the chosen level. A brand is
  compared with the *rest* of its industry (everyone else), never with a total that includes it.
  Only significant gaps are coloured (blue above, vermillion below); grey means the difference is
  noise. Channels keep their own colours and mark significant gaps with {ABOVE}/{BELOW}.
- **Journey stages**: {", ".join(STAGE_LABELS.values())}; satisfaction 1-5, top-2-box = 4-5,
  Agresti-Coull interval on the effective n.
- **Key drivers**: Johnson's relative weights of the stage scores in a regression of the 0-10
  score, on complete answers; {stage_words(NOT_PREDICTORS)} is not a predictor (its satisfaction
  is nearly the recommend score itself). Each weight is shown as its share of R² with an interval
  from a parametric bootstrap (Wishart draws of the correlation matrix on the effective n); the
  page gives R² and adjusted R². A stage is named "fix first" only when R² is at least
  {MIN_R2_FOR_ADVICE:.2f} and its interval does not overlap the next candidate's; otherwise the
  page says the model does not support the advice.
- **Brand x stage heatmap**: colour is each brand's gap to the other brands on that stage on a
  fixed ±{GAP_RANGE[1]:.0f}-point scale; {ABOVE}/{BELOW} marks gaps that are significant at the chosen level.
- **Weighting**: survey weights (default 1) normalised; every statistic is weighted.
"""
)

st.subheader("Dealer scorecards: ranking outlets on evidence", anchor=False)
st.markdown(
    f"""
- **Outlet**: a dealer, agency outlet or direct store (`dealer_id`, with `dealer_name` and an
  optional `dealer_group`), compared with the other outlets of its **brand** in view (of its
  sales channel when the data have no brand).
- **Shrunk NPS** (empirical Bayes, partial pooling): each outlet's raw NPS yᵢ has a sampling
  variance vᵢ (its adjusted-Wald SE squared). True outlet scores are assumed to scatter around
  their brand's mean with a between-outlet variance τ², estimated for each brand by the method
  of moments (DerSimonian-Laird) from its outlets with at least {ctx.opts.min_n} responses
  (brands with fewer than 5 such outlets use the pooled estimate over all brands in view).
  Each outlet moves towards its brand's random-effects mean μ̂ (outlets weighted by
  1/(vᵢ + τ²)) by Morris's corrected factor B̂ᵢ = (k − 3)/(k − 1) · vᵢ/(vᵢ + τ²); its interval
  adds the uncertainty of μ̂ and of τ² (Morris 1983) and is a {ctx.opts.interval}. In simulated
  networks these intervals hold the true score as often as they say. An outlet with 3 answers
  and +100 lands near its brand; one with 400 answers keeps almost its raw score.
- **Rank** is the position on the shrunk NPS among the outlets shown; **quartile** is within the
  brand (1 = its best quarter). Outlets under {ctx.opts.min_n} responses are listed but not
  ranked, and their scores are not shown.
- **Versus the brand**: the outlet's raw NPS against the *rest* of its brand (the brand's other
  outlets' answers), z test at the {ctx.opts.level} level with the false discovery rate
  controlled across the outlets tested (Benjamini-Yekutieli: each outlet is part of the others'
  benchmarks); stages likewise, across the outlet's stages (top-2-box of the stages an outlet
  delivers: shop, purchase, delivery, after-sales, price transparency), the weakest being the
  one furthest below the rest of the brand.
- **Trend**: the later half of the waves in view against the earlier half (z test, false
  discovery rate controlled across the outlets, Benjamini-Hochberg); an outlet's chart pools
  consecutive waves when a single wave has too few answers.
- **Dealer vs direct at outlet level**: the distribution of outlets' shrunk NPS per channel and
  per dealer group (box: quartiles; points: outlets), over the outlets the league ranks. The
  title compares the median dealer outlet with the median direct store: a description of
  estimates, not a significance test. Country response styles differ, so the page starts on
  one country.
"""
)

st.subheader("Demo calibration targets", anchor=False)
cal = pl.DataFrame(
    {
        "target": [
            "Automakers NPS ≈ 2",
            "Physical retail NPS ≈ 61",
            "Online retailers NPS ≈ 62",
            "57% of after-sales-dissatisfied intend to switch within 18 months",
            "Direct sales ahead of dealers in purchase and price transparency",
            "After-sales the weakest automotive stage",
            "Japan lowest, Brazil highest (response styles)",
            "Outlets within ±15 NPS points of their brand in the country, a few outliers",
        ],
        "source": [
            "cg_nps_auto",
            "cg_nps_retail",
            "cg_nps_ecom",
            "cg_aftersales_switch",
            "McKinsey (seed 004), NeoCRM blue book (seed 002)",
            "Capgemini 2024; zs_cxi_2024_after_nev",
            "assumption (survey-methodology literature)",
            "assumption; dealer groups as in the NeoCRM blue book (seed 002)",
        ],
    }
)
cards.table(cal)
st.caption(
    "Other industries' NPS targets are assumptions ordered like Capgemini's ranking; see data/README.md."
)

st.subheader("Sources", anchor=False)
figures = data.run("published_figures", {"topics": None, "figure_ids": None})
publishers = (
    figures.with_columns(  # Python text per row outside polars: see pages/countries.py
        Source=pl.Series(
            [
                citations.cite(row)
                for row in figures.select("publisher", "year", "seed_file").to_dicts()
            ],
            dtype=pl.String,
        ),
        **{
            "Title of the edition read": pl.Series(
                [
                    citations.documents().get(str(f or ""), {}).get("original_title", "")
                    for f in figures["seed_file"].to_list()
                ],
                dtype=pl.String,
            )
        },
    )
    .group_by("Source", "Title of the edition read")
    .agg(pl.len().alias("Figures"))
    .sort("Figures", descending=True)
)
cards.table(publishers)
with st.expander("All published figures", icon=published.icon):
    cards.table(figures)
    st.download_button(
        "Download published figures (CSV)",
        data=lambda: safe_csv(figures),  # formulas neutralised, as every export
        file_name="published_figures.csv",
        mime="text/csv",
        key="methods_csv",
        on_click="ignore",
    )
