"""Journey: satisfaction across the 8 stages, brand x stage, and which stage to fix first."""

import streamlit as st

from components import cards, page
from cx.core import display

view = page.start("journey")
if view.result.missing:
    st.caption(display.plain("Not in this dataset: " + ", ".join(view.result.missing) + "."))
page.choices(view, ["industry"], [1])
if view.result.stages.is_empty():
    cards.empty_state()
    st.stop()
left, right = st.columns(2)
with left:
    view.card("stage_top2")
with right:
    if not view.card("key_drivers"):
        st.info(display.plain(view.result.advice.text) + ".", icon=":material/info:")
view.card("brand_stage_heatmap")
page.exports(view)
