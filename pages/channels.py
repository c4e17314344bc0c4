"""Dealer vs direct: NPS, stage satisfaction, switching and the funnel by sales channel."""

import streamlit as st

from components import cards, page
from cx.core.display import plain
from cx.core.i18n import _
from cx.ingest.model import field_label

view = page.start("channels")
result = view.result
if result.defaulted:
    st.caption(_("Showing automakers' customers; choose industries in the sidebar to change this."))
elif not result.selection.industries:
    st.caption(_("This dataset has no Automakers industry: showing every respondent by channel."))
if result.nps.is_empty():
    cards.empty_state(
        _("No automotive respondents with a sales channel match these filters.")
        if result.automotive
        else _("No respondents with a sales channel match these filters.")
    )
    st.stop()
view.grid("channel_nps", "channel_stages", "channel_switching", "channel_funnel")
if not view.ctx.has("switch_intent"):  # an upload without the question: said, not drawn empty
    cards.not_in_dataset(field_label("switch_intent"))

if result.published:
    st.subheader(_("Published context"), anchor=False)
    for col, fact in zip(st.columns(len(result.published)), result.published, strict=True):
        with col, st.container(border=True):
            cards.provenance_badge("published")
            st.metric(plain(fact.label), fact.value, border=False)
            st.markdown(
                plain(_("{sentence}.").format(sentence=fact.text[:1].upper() + fact.text[1:]))
            )
            st.caption(plain(fact.citation))
page.exports(view)
