"""Dealer scorecards: outlets ranked on shrunk NPS, dealer vs direct at outlet level, dealer
groups, and one outlet's scorecard (with its own PowerPoint slide)."""

import streamlit as st

from components import cards, page, session
from cx.core import display
from cx.core.i18n import _
from cx.exports.chart import file_name
from cx.reports import dealer_charts, dealers

view = page.start("dealers")
result: dealers.DealersResult = view.result
page.choices(view, ["brand", "country", "channel", "group"])
if result.league.is_empty():
    cards.empty_state(
        _("No outlets (dealers, agency outlets or direct stores) match these filters.")
    )
    st.stop()

side = [key for key in ("dealer_channels", "dealer_groups") if view.chart(key)]
left, right = st.columns([3, 2]) if side else (st.container(), None)
with left:
    if not view.card("dealer_league"):
        st.info(
            display.plain(
                _(
                    "No outlet here has {min_n} responses or more: all are listed below, none is "
                    "ranked. Widen the filters or lower the minimum n in the sidebar."
                ).format(min_n=display.count(result.options.min_n))
            ),
            icon=":material/leaderboard:",
        )
if right is not None:
    with right:
        for key in side:
            view.card(key)

st.subheader(_("League table"), anchor=False)
st.caption(
    display.plain(
        _(
            "Every outlet in view, ranked on its shrunk NPS; outlets under n = {min_n} are listed "
            "without a rank. Intervals at the {level} level; significance and change with the "
            "false discovery rate controlled across the outlets tested (q-values in the table)."
        ).format(min_n=display.count(result.options.min_n), level=result.options.level)
    )
)
cards.table(dealer_charts.league_screen(result.league, result.options.min_n), height=360)

st.subheader(_("Outlet scorecard"), anchor=False)
page.choices(view, ["outlet"], [2])
kpis = dealers.kpis(result)
cards.kpi_tiles(kpis[:3])
cards.kpi_tiles(kpis[3:])
view.side_by_side("dealer_outlet_stages", "dealer_outlet_trend")
if result.outlet is not None:
    st.download_button(
        _("PowerPoint for this outlet"),
        data=session.in_language(  # built on click, in the page's language
            lambda: dealers.outlet_deck(
                result,
                list(view.charts.values()),
                display.dataset_label(view.ctx.source.dataset, view.ctx.source.label),
            )
        ),
        file_name=file_name(view.ctx.sel.dataset, f"outlet-{result.outlet['dealer_id']}", "pptx"),
        mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
        key="dealer_outlet_pptx",
        icon=":material/slideshow:",
        on_click="ignore",
        help=_("The outlet's own deck: its key figures, its stages and its trend, to send to it."),
    )
page.exports(view)
