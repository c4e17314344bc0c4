"""Industries: Capgemini's published 13-industry ranking beside survey-sample NPS by industry."""

import streamlit as st

from components import cards, page

view = page.start("industries")
left, right = st.columns(2)
with left:
    view.card("industry_ranking_published")
with right:
    if not view.card("industry_nps"):
        cards.empty_state()

figures = view.result.nps_figures
with st.expander(
    "Published NPS figures for context (not survey sample)", icon=":material/menu_book:"
):
    cards.table(
        figures.select(
            figures["entity"].alias("Entity"),
            figures["value"].alias("NPS"),
            figures["year"].alias("Year"),
            figures["publisher"].alias("Publisher"),
            figures["note"].alias("Note"),
        )
    )
page.exports(view)
