"""Industries: Capgemini's published 13-industry ranking beside survey-sample NPS by industry."""

import streamlit as st

from components import shell

ctx = shell.context()
shell.header(
    "Industries",
    "How automotive compares with 12 other consumer industries: the published ranking on the "
    "left, the survey sample's NPS on the right.",
)
data, charts = shell.page_view("industries", ctx.sel, ctx.opts, ctx.source)
if data["nps"].is_empty():
    left, right = st.columns(2)
    with left:
        shell.chart_card(charts[0])
    with right:
        shell.empty_state()
else:
    left, right = st.columns(2)
    with left:
        shell.chart_card(charts[0])
    with right:
        shell.chart_card(charts[1])

figures = data["nps_figures"]
with st.expander(
    "Published NPS figures for context (not survey sample)", icon=":material/menu_book:"
):
    st.dataframe(
        figures.select("entity", "value", "year", "publisher", "note", "figure_id"),
        hide_index=True,
        width="stretch",
    )

shell.page_exports("industries")
