"""What changed: the significant changes between two waves, and the outlets' control charts."""

import streamlit as st

from components import cards, page
from cx.core import display
from cx.reports import changes

view = page.start("changes")
result: changes.ChangesResult = view.result
page.choices(view, ["wave", "since"], [1, 1])
if result.family is None:
    cards.empty_state("This selection has one wave: there is nothing to compare it with.")
    st.stop()

note = changes.overall_note(result)
if note:
    st.caption(display.plain(note))
view.card("what_changed")
st.subheader("Every cell tested", anchor=False)
st.caption(
    display.plain(
        f"{result.family.tested:,} cells, {result.family.end} against {result.family.start}, "
        "significant changes first. Open a row's page to see it with its filters."
    )
)
cards.changes_table(changes.human(result.table))

left, right = st.columns(2)
with left:
    view.card("outlet_flags")
with right:
    page.choices(view, ["outlet"])
    if not view.card("outlet_control"):
        st.info(
            display.plain(
                f"No outlet has {result.options.min_n} responses in its baseline and in "
                f"{result.family.end}: no control chart to draw."
            ),
            icon=":material/monitoring:",
        )
page.exports(view)
