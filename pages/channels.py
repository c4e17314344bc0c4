"""Dealer vs direct: NPS, stage satisfaction, switching and the funnel by sales channel."""

import streamlit as st

from components import pagecharts, shell

ctx = shell.context()
shell.header(
    "Dealer vs direct sales",
    "Automakers' customers by how they bought: through a dealer, direct from the brand (DTC) or "
    "through an agent (agency model, fixed prices).",
)
if not ctx.has("channel"):
    shell.not_in_dataset("Sales channel (how customers bought)")
    st.stop()
sel = pagecharts.page_defaults("channels", ctx.sel, shell.options(ctx.sel.dataset)["industries"])
if sel is not ctx.sel:
    st.caption("Showing automakers' customers; choose industries in the sidebar to change this.")
data, page_charts = shell.page_view("channels", sel, ctx.opts, ctx.source)
if data["nps"].is_empty():
    shell.empty_state("No automotive respondents with a sales channel match these filters.")
    st.stop()
charts = {c.key: c for c in page_charts}
left, right = st.columns(2)
with left:
    shell.chart_card(charts["channel_nps"])
    if "channel_switching" in charts:
        shell.chart_card(charts["channel_switching"])
with right:
    if "channel_stages" in charts:
        shell.chart_card(charts["channel_stages"])
    if "channel_funnel" in charts:
        shell.chart_card(charts["channel_funnel"])

st.subheader("Published context", anchor=False)
pub = {r["figure_id"]: r for r in data["published"].iter_rows(named=True)}
cols = st.columns(3)
facts = [
    (
        "neo_direct_share",
        "{value:.1f}%",
        "of China's top-10 NEV makers' retail sales went direct (Jan-Sep 2023)",
    ),
    (
        "neo_dealers_loss",
        "{value:.1f}%",
        "of Chinese car dealers were loss-making in 2023, a record",
    ),
    (
        "mck_not_satisfied",
        "{value:.0f}%",
        "of Chinese car buyers were not fully satisfied with the purchase process",
    ),
]
for col, (fid, fmt, text) in zip(cols, facts, strict=True):
    row = pub.get(fid)
    if row is None:
        continue
    with col, st.container(border=True):
        shell.provenance_badge("published")
        st.metric(text, fmt.format(value=row["value"]), border=False)
        st.caption(
            f"{row['publisher']}, {row['year']} · seed file {row['seed_file'] or 'n/a'} · id {fid}"
        )

shell.page_exports("channels", sel)
