"""Market benchmarks: real brands' published scores by study, a brand across every study,
its percentile ranks, and your survey beside studies on the same scale."""

import streamlit as st

from components import cards, page
from cx.charts.theme import PROVENANCE
from cx.core import display
from cx.core.i18n import _
from cx.reports import market

view = page.start("market")
result = view.result
if not result.study:
    st.info(
        _(
            "No published benchmarks are in this database. Rebuild it with `python -m cx demo`, "
            "or add the reference figures with "
            "`python -m cx benchmarks --add data/published_benchmarks.csv`."
        ),
        icon=PROVENANCE["published"].icon,
    )
    st.stop()
st.caption(
    _(
        "Published figures are shown as published, with the page each was read from (Show data "
        "lists every source). The sidebar's filters apply to your survey's panel only."
    )
)
page.choices(view, ["study", "year", "brand"], [4, 1, 2])
left, right = st.columns([3, 2])
with left:
    view.card("market_ranking")
with right:
    page.choices(view, ["industry"])
    if not view.card("market_own_data"):
        st.info(display.plain(result.survey.note), icon=":material/compare_arrows:")
    view.card("market_position")
view.card("market_trend")
changes = market.method_changes(result)
if changes.height:
    with st.expander(
        _("Method changes of these studies (with sources)"), icon=":material/history:"
    ):
        cards.table(  # headers in the language: the table translates them and these keys
            changes,
            column_config={
                "From": st.column_config.NumberColumn(format="%d"),
                "Source": st.column_config.LinkColumn(display_text=r"https?://(?:www\.)?([^/?#]+)"),
                "What changed": st.column_config.TextColumn(width="large"),
            },
        )
page.exports(view)
