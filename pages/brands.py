"""Brands: NPS ranking with intervals and significance, promoter split, and trends."""

import polars as pl
import streamlit as st

from components import pagecharts, shell
from cx import stats, views
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
    default_industry = (
        ctx.sel.industries[0]
        if len(ctx.sel.industries) == 1
        else (
            "Automakers" if "Automakers" in industries else (industries[0] if industries else None)
        )
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

data = views.brands_page(shell.run, sel, ctx.opts)
table = data["versus_industry"]
if table.is_empty():
    shell.empty_state()
    st.stop()

brands = table.sort("nps", descending=True, nulls_last=True)["brand"].to_list()
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
benchmark_name = "the rest of the industry"
if mode == "A chosen brand" and chosen:
    ref = table.filter(pl.col("brand") == chosen).row(0, named=True)
    z, p, sig = stats.difference_test(
        table["nps"].fill_null(float("nan")).to_numpy(),
        table["se"].fill_null(float("nan")).to_numpy(),
        ref["nps"] if ref["nps"] is not None else float("nan"),
        ref["se"] if ref["se"] is not None else float("nan"),
        ctx.opts.confidence,
    )
    table = table.with_columns(
        rest_nps=pl.lit(ref["nps"]),
        gap=pl.col("nps") - ref["nps"],
        p_value=pl.Series(p).fill_nan(None),
        significant=pl.Series(sig).cast(pl.Boolean) & (pl.col("brand") != chosen),
    )
    benchmark_name = chosen
    data = {**data, "versus_industry": table}

focus = st.multiselect(
    "Brands to trend", brands, default=brands[:3], key="b_focus", max_selections=6
)
charts = pagecharts.brands(data, ctx.source, focus, benchmark_name)
left, right = st.columns([3, 2])
with left:
    shell.chart_card(charts[0])
with right:
    for chart in charts[1:]:
        shell.chart_card(chart)

shell.page_exports("brands", sel)
