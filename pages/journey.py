"""Journey: satisfaction across the 8 stages, brand x stage, and which stage to fix first."""

import streamlit as st

from components import cards, page
from cx.core import display
from cx.core.i18n import _

view = page.start("journey")
if view.result.missing:
    missing = ", ".join(view.result.missing)
    st.caption(display.plain(_("Not in this dataset: {missing}.").format(missing=missing)))
page.choices(view, ["industry"], [1])
if view.result.stages.is_empty():
    cards.empty_state()
    st.stop()
left, right = st.columns(2)
with left:
    view.card("stage_top2")
with right:
    if not view.card("key_drivers"):
        st.info(
            _("{sentence}.").format(sentence=display.plain(view.result.advice.text)),
            icon=":material/info:",
        )
view.card("brand_stage_heatmap")
page.exports(view)
