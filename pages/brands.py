"""Brands: NPS ranking with intervals and significance, promoter split, and trends."""

import streamlit as st

from components import pagecharts, shell
from cx.schema import POWERTRAINS, SALES_MODELS, SEGMENTS

ctx = shell.context()
shell.header(
    "Brands",
    "NPS by brand with 95% intervals. Only significant gaps are coloured: grey bars are "
    "within the noise of the benchmark.",
)

if not ctx.has("brand"):
    shell.not_in_dataset("Brand")
    st.stop()
industries = shell.options(ctx.sel.dataset)["industries"]
c1, c2, c3, c4 = st.columns([2, 2, 2, 2])
with c1:
    # the same default the command line's export uses
    default_industry = next(
        iter(pagecharts.page_defaults("brands", ctx.sel, industries).industries), None
    )
    allowed = [i for i in industries if not ctx.sel.industries or i in ctx.sel.industries]
    industry = (
        st.selectbox(
            "Industry",
            allowed,
            index=allowed.index(default_industry) if default_industry in allowed else 0,
            key="b_industry",
        )
        if allowed
        else None
    )
with c2:
    models = st.multiselect(
        "Sales model", SALES_MODELS, key="b_sales_models", placeholder="All sales models"
    )
with c3:
    powertrains = st.multiselect(
        "Powertrain", POWERTRAINS, key="b_powertrains", placeholder="All powertrains"
    )
with c4:
    segments = st.multiselect("Segment", SEGMENTS, key="b_segments", placeholder="All segments")

sel = ctx.sel
if industry:
    sel = sel.with_filter("industries", [industry])
sel = sel.with_filter("sales_models", models).with_filter("powertrains", powertrains)
if segments:
    sel = sel.with_filter("segments", segments)

data, _ = shell.page_view("brands", sel, ctx.opts, ctx.source)
if data["versus_industry"].is_empty():
    shell.empty_state()
    st.stop()

brands = data["ranked"]
b1, b2 = st.columns([2, 3])
with b1:
    mode = st.segmented_control(
        "Compare each brand with",
        ["Rest of industry", "A chosen brand"],
        default="Rest of industry",
        key="b_compare",
    )
with b2:
    chosen = st.selectbox(
        "Benchmark brand", brands, key="b_benchmark", disabled=mode != "A chosen brand"
    )
focus = st.multiselect(
    "Brands to trend", brands, default=brands[:3], key="b_focus", max_selections=6
)
_, charts = shell.page_view(
    "brands",
    sel,
    ctx.opts,
    ctx.source,
    focus=tuple(focus),
    benchmark=chosen if mode == "A chosen brand" else None,
)
left, right = st.columns([3, 2])
with left:
    shell.chart_card(charts[0])
with right:
    for chart in charts[1:]:
        shell.chart_card(chart)

shell.page_exports("brands", sel)
