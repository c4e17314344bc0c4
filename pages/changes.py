"""What changed: the significant changes between two waves, and the outlets' control charts."""

import streamlit as st

from components import cards, page
from cx.core import display
from cx.core.i18n import _, ngettext
from cx.ingest.model import field_label
from cx.reports import changes

view = page.start("changes")
result: changes.ChangesResult = view.result
page.choices(view, ["wave", "since"], [1, 1])
if result.family is None:
    cards.empty_state(_("This selection has one wave: there is nothing to compare it with."))
    st.stop()

note = changes.overall_note(result)
if note:
    st.caption(display.plain(note))
view.card("what_changed")
st.subheader(_("Every cell tested"), anchor=False)
st.caption(
    display.plain(
        ngettext(
            "{n} cell, {end} against {start}, significant changes first. Open a row's page to "
            "see it with its filters.",
            "{n} cells, {end} against {start}, significant changes first. Open a row's page to "
            "see it with its filters.",
            result.family.tested,
        ).format(
            n=display.count(result.family.tested),
            end=result.family.end,
            start=result.family.start,
        )
    )
)
cards.changes_table(changes.human(result.table))

if not view.ctx.has("dealer_id"):  # an upload without outlets: said, no outlet section
    cards.not_in_dataset(field_label("dealer_id"))
    page.exports(view)
    st.stop()
left, right = st.columns(2)
with left:
    view.card("outlet_flags")
with right:
    page.choices(view, ["outlet"])
    if not view.card("outlet_control"):
        st.info(
            display.plain(
                _(
                    "No outlet has {min_n} responses in its baseline and in {wave}: no control "
                    "chart to draw."
                ).format(min_n=display.count(result.options.min_n), wave=result.family.end)
            ),
            icon=":material/monitoring:",
        )
page.exports(view)
