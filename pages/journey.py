"""Journey: satisfaction across the 8 stages, brand x stage, and which stage to fix first."""

import streamlit as st

from components import pagecharts, shell
from cx.schema import STAGE_LABELS, STAGES

ctx = shell.context()
shell.header(
    "Customer journey",
    "Satisfaction (top-2-box: 4-5 of 5) for the eight stages of the Capgemini framework, from "
    "awareness to recommendation, and which stages drive NPS.",
)
missing = [STAGE_LABELS[s] for s in STAGES if not ctx.has(s)]
if len(missing) == len(STAGES):
    shell.not_in_dataset("Satisfaction by journey stage")
    st.stop()
if missing:
    st.caption("Not in this dataset: " + ", ".join(missing) + ".")
dataset_industries = shell.options(ctx.sel.dataset)["industries"]
industries = [i for i in dataset_industries if not ctx.sel.industries or i in ctx.sel.industries]
preferred = pagecharts.page_defaults("journey", ctx.sel, dataset_industries)  # as the CLI export
default = preferred.industries[0] if preferred is not ctx.sel else None
choice = st.selectbox(
    "Industry",
    ["All selected industries", *industries],
    key="j_industry",
    index=1 + industries.index(default) if default in industries else 0,
    help="The journey differs by industry; automakers are the default.",
)
sel = (
    ctx.sel if choice == "All selected industries" else ctx.sel.with_filter("industries", [choice])
)
data, page_charts = shell.page_view("journey", sel, ctx.opts, ctx.source)
if data["stages"].is_empty():
    shell.empty_state()
    st.stop()
charts = {c.key: c for c in page_charts}
left, right = st.columns(2)
with left:
    shell.chart_card(charts["stage_top2"])
with right:
    if "key_drivers" in charts:
        shell.chart_card(charts["key_drivers"])
    else:
        st.info(
            "Not enough complete answers (all 8 stages) for a driver model in this selection.",
            icon=":material/info:",
        )
if "brand_stage_heatmap" in charts:
    shell.chart_card(charts["brand_stage_heatmap"])

shell.page_exports("journey", sel)
