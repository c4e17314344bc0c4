"""Overview: the executive summary (KPI tiles and the three findings that matter)."""

import streamlit as st

from components import shell
from cx.stats import signed

ctx = shell.context()
shell.header(
    "Customer experience at a glance",
    f"{ctx.source} · {ctx.sel.describe()} · NPS with 95% intervals; changes are called only when significant.",
)

data, page_charts = shell.page_view("overview", ctx.sel, ctx.opts, ctx.source)
summary = data["summary"]
overall, change, ranked, risk = (
    summary["overall"],
    summary["change"],
    summary["ranked"],
    summary["risk"],
)
if overall is None or overall["n"] == 0:
    shell.empty_state()
    st.stop()

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
            f"{signed(overall['nps'])}",
            delta=delta,
            delta_color="normal" if change and change["significant"] else "off",
            help=help_text,
            border=True,
        )
        st.caption(
            f"95% CI {signed(overall['ci_low'])} to {signed(overall['ci_high'])} · n = {overall['n']:,.0f}"
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
    from_sample = bool(summary["maintain"].height)
    st.metric(
        "Revenue at risk",
        f"${risk['total_at_risk_usd'] / 1e6:,.0f}M",
        help="Model for a mid-size brand of 500,000 vehicles a year, "
        + (
            "using this sample's after-sales dissatisfaction and switching intent"
            if from_sample
            else "with the calibrated preset inputs: this dataset has no after-sales answers"
        )
        + "; see Revenue at risk.",
        border=True,
    )
    st.caption(
        "per year, mid-size brand model"
        if from_sample
        else "per year, preset model (no after-sales data here)"
    )
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
for i, text in enumerate(summary["findings"], start=1):
    st.markdown(f"{i}. {shell.md_escape(text)}")

left, right = st.columns(2)
for column, chart in zip((left, right), page_charts, strict=False):
    with column:
        shell.chart_card(chart)
shell.page_exports("overview", highlights=summary["findings"])
