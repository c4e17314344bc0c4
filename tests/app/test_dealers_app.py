"""AppTest of the dealer scorecards page: on the demo, through its picks and URL, and on an
uploaded survey with outlet columns."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from support import survey_files as sf
from support.apptest import boxes, open_app

PAGE = "pages/dealers.py"


pytestmark = pytest.mark.usefixtures("app_env")


def app(page: str | None = PAGE, **query: str) -> AppTest:
    """The app opened on ``page`` with a link's parameters (as a shared link opens it)."""
    return open_app(page, **query)


def _ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_the_page_ranks_outlets_and_lists_small_ones_without_a_rank() -> None:
    at = app(min_n="10")
    _ok(at)
    assert at.selectbox(key="pick_dealers_country").value != "all"  # starts on one market
    league = at.dataframe[0].value
    assert {"Rank", "Outlet", "Shrunk NPS", "Raw NPS", "Quartile in brand"} <= set(league.columns)
    small = league[league["Responses (n)"] < 10]
    unranked = "– n under 10"  # a dash with why, never "None"
    assert (small["Rank"] == unranked).all() and (small["Shrunk NPS"] == unranked).all()
    ranked = league[league["Rank"] != unranked]
    assert list(ranked["Rank"].astype(int)) == list(range(1, len(ranked) + 1))
    labels = [m.label for m in at.metric]
    assert labels[:3] == ["Rank in brand", "Shrunk NPS", "Raw NPS"]


def test_choosing_a_brand_filters_the_league_and_goes_into_the_url() -> None:
    at = app(min_n="10", countries="DE")
    _ok(at)
    at.selectbox(key="pick_dealers_brand").set_value("Brenner").run()
    _ok(at)
    league = at.dataframe[0].value
    assert set(league["Brand"]) == {"Brenner"}
    assert at.query_params["brand"] in ("Brenner", ["Brenner"])
    outlet = at.selectbox(key="pick_dealers_outlet")
    assert all(o.endswith("· Brenner") for o in outlet.options)
    last = outlet.options[-1].split(" · ")[0]
    outlet.select_index(len(outlet.options) - 1).run()
    _ok(at)
    assert at.query_params["outlet"] in (
        at.selectbox(key="pick_dealers_outlet").value,
        [at.selectbox(key="pick_dealers_outlet").value],
    )
    assert last in " ".join(m.value.replace("\\", "") for m in at.markdown)


def test_a_link_reopens_an_outlets_scorecard() -> None:
    at = app(min_n="10", countries="DE", brand="Brenner", outlet="DE-BRE-03")
    _ok(at)
    outlet = at.selectbox(key="pick_dealers_outlet")
    assert outlet.value == "DE-BRE-03"
    name = outlet.options[outlet.index].split(" · ")[0]
    titles = " ".join(m.value.replace("\\", "") for m in at.markdown)
    assert f"**{name} " in titles  # the scorecard's charts are about it


def test_the_page_works_on_an_uploaded_survey_with_a_dealer_column() -> None:
    at = app("pages/upload.py")
    rows = sf.answers(600, seed=11)
    at.file_uploader[0].upload("händler export.csv", sf.dealer_export(rows, "de"), "text/csv")
    at.run()
    _ok(at)
    labels = boxes(at)
    assert labels["Händlernummer"] == "Dealer / outlet id"
    assert labels["Händler"] == "Dealer / outlet name"
    assert labels["Händlergruppe"] == "Dealer group"
    name = next(t.key for t in at.text_input if t.label == "Dataset name")
    at.text_input(key=name).set_value("haendler").run()
    at.button(key="up_store").click().run()
    _ok(at)
    at = app(dataset="haendler", country="all", min_n="10")
    _ok(at)
    league = at.dataframe[0].value
    codes = {sf.outlet_of(r, i)[0] for i, r in enumerate(rows)}
    assert set(league["Outlet id"]) == codes
    assert league["Responses (n)"].sum() == len(rows)
    assert league["Rank"].notna().any()
    assert at.selectbox(key="pick_dealers_group").options == ["All groups", "Gruppe Adler"]
    assert "uploaded survey: haendler" in " ".join(c.value.replace("\\", "") for c in at.caption)


def test_a_dataset_without_outlets_says_so() -> None:
    at = app("pages/upload.py")
    at.file_uploader[0].upload("plain.csv", sf.plain(sf.answers(60, seed=5)), "text/csv")
    at.run()
    name = next(t.key for t in at.text_input if t.label == "Dataset name")
    at.text_input(key=name).set_value("no-outlets").run()
    at.button(key="up_store").click().run()
    _ok(at)
    at = app(dataset="no-outlets")
    _ok(at)
    assert any("not in this dataset" in i.value for i in at.info)


def _two_cards_one_missing() -> None:
    """A page drawing two charts side by side when only the first exists (``alone``: the
    one chart drawn on its own, to compare with)."""
    import plotly.graph_objects as go
    import polars as pl
    import streamlit as st

    from components.page import View
    from components.state import Context
    from cx.core.options import Options
    from cx.core.selection import Selection
    from cx.exports.chart import Chart
    from cx.reports.base import Source

    chart = Chart("stages", "T", "S", go.Figure(go.Bar(x=["a"], y=[1])), pl.DataFrame({"a": [1]}))
    ctx = Context(Selection(), Options(), Source("demo"))  # a card names its exports' dataset
    view = View(report=None, ctx=ctx, result=None, charts={"stages": chart})  # type: ignore[arg-type]
    if st.query_params.get("alone"):
        view.card("stages")
    else:
        assert view.side_by_side("stages", "trend") == [True, False]


def test_a_card_without_its_neighbour_takes_the_whole_width() -> None:
    """The review: an outlet without a trend had its stages chart in the left half of the
    scorecard and nothing in the right. The one chart there is now drawn across the page."""
    at = AppTest.from_function(_two_cards_one_missing, default_timeout=60).run()
    alone = AppTest.from_function(_two_cards_one_missing, default_timeout=60)
    alone.query_params["alone"] = "1"
    alone.run()
    assert not at.exception and not alone.exception
    assert len(at.get("plotly_chart")) == 1
    assert len(at.columns) == len(alone.columns)  # the card's own, and no half-page column
