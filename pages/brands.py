"""Brands: NPS ranking with intervals and significance, promoter split, and trends."""

import streamlit as st

from components import cards, page

view = page.start("brands")
page.choices(view, ["industry", "sales_models", "powertrains"])
if view.result.table.is_empty():
    cards.empty_state()
    st.stop()
page.choices(view, ["compare", "benchmark", "focus"], [3, 2, 4])
left, right = st.columns([3, 2])
with left:
    view.card("brand_nps_ranking")
with right:
    view.card("brand_nps_split")
    view.card("brand_trend")
page.exports(view)
