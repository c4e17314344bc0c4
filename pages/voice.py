"""Voice of the customer: topics, their NPS impact, distinguishing terms and example comments."""

import streamlit as st

from components import cards, page
from cx.core import display
from cx.core.i18n import _, ngettext
from cx.reports import voice
from cx.text import language, topics

view = page.start("voice")
result: voice.VoiceResult = view.result
pick, _rest = st.columns([1, 3])
with pick:
    page.choice_widget(view, "language")
if result.comments == 0:
    cards.empty_state(_("No comments match these filters."))
    st.stop()

cards.kpi_tiles(voice.summary_of(result).kpis)
shares = [
    f"{language.name(row['language'])} {display.count(row['comments'])}"
    for row in result.languages.iter_rows(named=True)
]
st.caption(display.plain(_("Comments by language: {shares}").format(shares=", ".join(shares))))

view.card("topic_nps_groups")
left, right = st.columns(2)
with left:
    view.card("topic_nps_impact")
    view.card("topic_trend")
with right:
    view.card("distinguishing_terms")
view.card("topic_brands")
left, right = st.columns(2)
with left:
    view.card("stage_mentions")
with right:
    view.card("candidate_topics")

st.subheader(_("Example comments"), anchor=False)
st.caption(
    _(
        "A stable sample of up to {examples} comments in this selection. Personal data "
        "(e-mail addresses, phone numbers, card and ID numbers) was masked before storing; "
        "answers over {chars} characters are clipped here."
    ).format(examples=display.count(voice.EXAMPLES), chars=display.count(voice.DISPLAY_CHARS))
)
page.choices(view, ["topic", "group"], [1, 1])
if result.examples.is_empty():
    st.info(_("No comment matches these choices."), icon=":material/chat_bubble:")
for i, row in enumerate(result.examples.iter_rows(named=True)):
    with st.container(border=True, key=f"voice_example_{i}"):
        meta = [
            language.name(row["language"]),
            _("score {score}").format(score=row["nps_score"]),
            row["brand"] or _("brand not stated"),
            row["wave"],
            ", ".join(topics.label(k) for k in row["topics"] or []) or _("no topic"),
        ]
        st.caption(display.plain(" · ".join(str(m) for m in meta)))
        st.markdown(display.plain(voice.clip(row["text"], voice.DISPLAY_CHARS)))
        if row["chars"] > voice.DISPLAY_CHARS:
            st.caption(
                ngettext(
                    "Clipped: the answer has {n} character.",
                    "Clipped: the answer has {n} characters.",
                    row["chars"],
                ).format(n=display.count(row["chars"]))
            )
page.exports(view)
