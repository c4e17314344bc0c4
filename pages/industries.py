"""Industries: Capgemini's published 13-industry ranking beside survey-sample NPS by industry."""

import streamlit as st

from components import cards, page
from cx.charts.theme import PROVENANCE
from cx.core.i18n import _
from cx.reports.common import human_table
from cx.reports.industries import calibration_note

view = page.start("industries")
left, right = st.columns(2)
with left:
    view.card("industry_ranking_published")
with right:
    if not view.card("industry_nps"):
        cards.empty_state()
    elif note := calibration_note(view.ctx.source.kind, view.ctx.sel):
        st.caption(note)

figures = view.result.nps_figures
with st.expander(
    _("Published NPS figures for context (not survey sample)"),
    icon=PROVENANCE["published"].icon,
):
    cards.table(
        human_table(figures, ("entity", "value", "year", "publisher", "note"), {"value": "NPS"})
    )
page.exports(view)
