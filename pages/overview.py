"""Overview: the executive summary (key figures and the findings that matter)."""

import streamlit as st

from components import cards, page
from cx.core import display
from cx.core.i18n import N_, _
from cx.models import revenue
from cx.reports import overview

#: The heading over the findings, by how many there are.
FINDINGS = {1: N_("Key finding"), 2: N_("Two findings"), 3: N_("Three findings")}

view = page.start("overview")
result: overview.OverviewResult = view.result
if result.overall is None or result.overall["n"] == 0:
    cards.empty_state()
    st.stop()

st.caption(display.plain(view.ctx.source.line(view.ctx.sel)))
st.markdown(display.plain(overview.scope_line(result)))
cards.kpi_tiles(overview.kpis(result))
if result.risk.outputs is not None:
    st.page_link(
        "pages/revenue.py",
        label=_("Open the revenue model with this preset"),
        icon=":material/trending_down:",
        query_params={"preset": revenue.DEFAULT_PRESET},
    )

if result.findings:
    count = len(result.findings)
    st.subheader(_(FINDINGS[count]), anchor=False)
    for i, finding in enumerate(result.findings, start=1):
        st.markdown(f"{i}. {display.plain(finding.text)}")

left, right = st.columns(2)
with left:
    if not view.card("overview_trend"):
        st.info(
            _(
                "One wave in this selection: no trend to show. The NPS by wave appears with two "
                "or more waves."
            ),
            icon=":material/timeline:",
        )
with right:
    view.card("stage_top2")
page.exports(view)
