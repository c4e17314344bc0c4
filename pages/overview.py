"""Overview: the executive summary (KPI tiles and the three findings that matter)."""

import polars as pl
import streamlit as st

from components import charts, pagecharts, shell
from cx import revenue, views

ctx = shell.context()
shell.header(
    "Customer experience at a glance",
    f"{ctx.source} · {ctx.sel.describe()} · NPS with 95% intervals; changes are called only when significant.",
)

data = views.overview_page(shell.run, ctx.sel, ctx.opts)
overall = (
    views.overall_nps(data["overall_sums"], ctx.opts)
    if not data["overall_sums"].is_empty()
    else None
)
if overall is None or overall["n"] == 0:
    shell.empty_state()
    st.stop()

change = views.wave_change(data["by_wave"], ctx.opts)
stages = (
    data["stages"].filter(pl.col("item") != "price_transparency")
    if not data["stages"].is_empty()
    else data["stages"]
)
ranked = stages.filter(~pl.col("suppressed")).sort("top2_pct") if not stages.is_empty() else stages
switch = data["switch"]
maintain = stages.filter(pl.col("item") == "maintain") if not stages.is_empty() else stages

# Revenue at risk headline: the calibrated mid-size model with the sample's own after-sales
# dissatisfaction and switching intent where the sample has them.
overrides = {}
if maintain.height and maintain["dissatisfied_pct"][0] is not None:
    overrides["dissatisfied_share"] = maintain["dissatisfied_pct"][0] / 100
if maintain.height and maintain["switch_if_dissatisfied_pct"][0] is not None:
    overrides["switch_probability"] = maintain["switch_if_dissatisfied_pct"][0] / 100
risk = revenue.compute(revenue.resolve(overrides=overrides))

cols = st.columns(5)
with cols[0]:
    if overall["suppressed"]:
        st.metric("NPS", "n too small", border=True)
    else:
        delta = None
        help_text = f"95% interval {overall['ci_low']:+.1f} to {overall['ci_high']:+.1f}; n = {overall['n']:,.0f}"
        if change:
            delta = f"{change['change']:+.1f} vs {change['previous_wave']}" + (
                "" if change["significant"] else " (n.s.)"
            )
            help_text += f". Change vs previous wave {'is' if change['significant'] else 'is not'} significant (p = {change['p_value']:.2f})."
        st.metric(
            "NPS",
            f"{overall['nps']:+.0f}",
            delta=delta,
            delta_color="normal" if change and change["significant"] else "off",
            help=help_text,
            border=True,
        )
        st.caption(
            f"95% CI {overall['ci_low']:+.0f} to {overall['ci_high']:+.0f} · n = {overall['n']:,.0f}"
        )
with cols[1]:
    st.metric(
        "Detractors",
        "n too small" if overall["suppressed"] else f"{overall['detractors_pct']:.0f}%",
        help="Share scoring 0-6 on likelihood to recommend.",
        border=True,
    )
    st.caption(f"Promoters {overall['promoters_pct']:.0f}%" if not overall["suppressed"] else "")
with cols[2]:
    st.metric(
        "Revenue at risk",
        f"${risk['total_at_risk_usd'] / 1e6:,.0f}M",
        help="Model for a mid-size brand of 500,000 vehicles a year, using this sample's after-sales "
        "dissatisfaction and switching intent; see Revenue at risk.",
        border=True,
    )
    st.caption("per year, mid-size brand model")
with cols[3]:
    if ranked.height:
        best = ranked.row(-1, named=True)
        st.metric(
            "Best stage",
            f"{best['top2_pct']:.0f}%",
            help="Share satisfied (4-5 of 5) at the best-rated journey stage.",
            border=True,
        )
        st.caption(f"{best['label']} · satisfied")
with cols[4]:
    if ranked.height:
        worst = ranked.row(0, named=True)
        st.metric(
            "Weakest stage",
            f"{worst['top2_pct']:.0f}%",
            help="Share satisfied (4-5 of 5) at the lowest-rated journey stage.",
            border=True,
        )
        st.caption(f"{worst['label']} · satisfied")

st.subheader("Three findings", anchor=False)
findings = []
by_industry = data["by_industry"].filter(~pl.col("suppressed"))
if by_industry.height >= 2:
    top, bottom = by_industry.row(0, named=True), by_industry.row(-1, named=True)
    findings.append(
        f"**{top['industry']}** leads the sample with an NPS of {top['nps']:+.0f} and **{bottom['industry']}** "
        f"trails at {bottom['nps']:+.0f}, a gap of {top['nps'] - bottom['nps']:.0f} points."
    )
if ranked.height and maintain.height and maintain["switch_if_dissatisfied_pct"][0] is not None:
    worst = ranked.row(0, named=True)
    findings.append(
        f"**{worst['label']}** is the weakest stage ({worst['top2_pct']:.0f}% satisfied); "
        f"{maintain['switch_if_dissatisfied_pct'][0]:.0f}% of customers dissatisfied with after-sales "
        "intend to switch brand within 18 months."
    )
elif ranked.height:
    worst = ranked.row(0, named=True)
    findings.append(
        f"**{worst['label']}** is the weakest stage ({worst['top2_pct']:.0f}% satisfied)."
    )
if change:
    verb = "rose" if change["change"] > 0 else "fell"
    findings.append(
        f"NPS {verb} {abs(change['change']):.1f} points from {change['previous_wave']} to {change['wave']}"
        + (
            ", a significant change."
            if change["significant"]
            else ", within the noise (not significant)."
        )
    )
if switch.height and switch["switch_18m_pct"][0] is not None and len(findings) < 3:
    findings.append(
        f"{switch['switch_18m_pct'][0]:.0f}% of respondents intend to switch brand within 18 months."
    )
for i, text in enumerate(findings[:3], start=1):
    st.markdown(f"{i}. {text}")

left, right = st.columns(2)
by_wave = data["by_wave"]
with left:
    title = f"NPS by wave: {overall['nps']:+.0f} overall"
    subtitle = f"{ctx.source} · shaded: 95% interval · gaps: n too small"
    shell.chart_card(
        pagecharts.Chart(
            "overview_trend",
            title,
            subtitle,
            charts.trend(by_wave, "wave", None, title, subtitle),
            by_wave.drop("se"),
        )
    )
with right:
    if stages.height:
        journey = pagecharts.journey(
            {"stages": stages, "by_brand": pl.DataFrame(), "drivers": pl.DataFrame()}, ctx.source
        )
        if journey:
            shell.chart_card(journey[0])
