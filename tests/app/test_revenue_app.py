"""The Revenue-at-risk review: saving selects the saved scenario, one default preset for the
Overview tile and the page, sensitivity over a stated comparable range, short preset labels."""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import open_app

from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import sql
from cx.models import revenue
from cx.reports import revenue as report
from cx.reports.base import dataset_source

pytestmark = pytest.mark.usefixtures("app_env")


def open_page(page: str, **query: str) -> AppTest:
    """A new session opening ``page`` directly with a link's query (as a reload does)."""
    at = open_app(page, timeout=60, **query)
    assert not at.exception, [e.value for e in at.exception]
    return at


def _save(at: AppTest, name: str) -> None:
    at.text_input(key="rev_scenario_name").set_value(name).run()
    at.button(key="rev_save").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_saving_selects_the_saved_scenario_and_its_link_reproduces_it() -> None:
    older = open_page("pages/revenue.py")
    _save(older, "Someone else's")
    mine = open_page("pages/revenue.py", vehicles_per_year="900000")
    assert mine.selectbox(key="rev_pick").value  # the selector holds an older scenario
    total = mine.metric[0].value
    _save(mine, "Mine")
    picker = mine.selectbox(key="rev_pick")
    assert picker.format_func(picker.value) == "Mine"
    scenario_id = picker.value
    assert [c.value for c in mine.code if "scenario=" in c.value] == [
        f"revenue?scenario={scenario_id}"
    ]
    shared = open_page("pages/revenue.py", scenario=scenario_id)
    assert shared.number_input(key="pick_revenue_vehicles_per_year").value == 900_000
    assert (
        shared.selectbox(key="pick_revenue_preset").value
        == mine.selectbox(key="pick_revenue_preset").value
    )
    assert shared.metric[0].value == total


def test_open_mode_says_saved_scenarios_are_shared() -> None:
    at = open_page("pages/revenue.py")
    assert any(
        c.value.startswith("Without sign-in, saved scenarios are shared") for c in at.caption
    )


@pytest.mark.parametrize("filters", [{}, {"industries": "Automakers"}], ids=["all", "filtered"])
def test_the_overview_tile_is_the_figure_the_revenue_page_opens_with(
    filters: dict[str, str],
) -> None:
    """Same session, same filters: the Overview's tile and the Revenue page opened from the
    sidebar (no preset in the link) show one number, and both say it follows the filters."""
    at = open_page("pages/overview.py", **filters)
    tile = next(m for m in at.metric if m.label == "Revenue at risk")
    assert tile.value.startswith("$")
    assert any(c.value.endswith("follows the sidebar filters") for c in at.caption)
    at.switch_page("pages/revenue.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "preset" not in at.query_params
    headline = at.metric[0]
    assert headline.label == "Total revenue at risk"
    assert headline.value == tile.value
    assert any(c.value == "a year · follows the sidebar filters" for c in at.caption)
    assert at.selectbox(key="pick_revenue_preset").value == revenue.DEFAULT_PRESET


def test_the_default_figure_changes_with_the_filters() -> None:
    everyone = open_page("pages/revenue.py").metric[0].value
    assert open_page("pages/revenue.py", industries="Automakers").metric[0].value != everyone


def test_the_sensitivity_swings_each_input_over_the_stated_range() -> None:
    inputs = revenue.resolve(overrides={"switch_probability": 0.9, "vehicles_per_year": 1_000})
    table = revenue.sensitivity(inputs)
    assert table.height > 0
    for row in table.iter_rows(named=True):
        spec, value = revenue.SPECS[row["name"]], inputs[row["name"]]
        low = max(spec.low, value * (1 - revenue.SWING))
        high = min(spec.high, value * (1 + revenue.SWING))
        assert (row["low_value"], row["high_value"]) == pytest.approx((low, high))
        assert row["at_low"] == pytest.approx(
            revenue.compute({**inputs, row["name"]: low})["total_at_risk_usd"]
        )
        assert row["at_high"] == pytest.approx(
            revenue.compute({**inputs, row["name"]: high})["total_at_risk_usd"]
        )
    by_name = {r["name"]: r for r in table.iter_rows(named=True)}
    assert by_name["switch_probability"]["high_value"] == 1.0  # clipped to its range
    assert by_name["vehicles_per_year"]["low_value"] == 1_000  # clipped to its range


def test_volume_does_not_win_the_sensitivity_by_its_wide_range() -> None:
    table = revenue.sensitivity(revenue.resolve())
    swings = {r["name"]: r["swing"] for r in table.iter_rows(named=True)}
    # the total is proportional to volume and to the dissatisfied share: the same 20% moves it
    # the same amount
    assert swings["vehicles_per_year"] == pytest.approx(swings["dissatisfied_share"])
    total = revenue.compute(revenue.resolve())["total_at_risk_usd"]
    assert max(swings.values()) == pytest.approx(2 * revenue.SWING * total)


def test_the_sensitivity_chart_states_its_range(con: duckdb.DuckDBPyConnection) -> None:
    run = lambda name, params: sql.run(con, name, params)  # noqa: E731
    result = report.compute(run, Selection(), Options(), preset=revenue.CALIBRATION_PRESET)
    chart = next(
        c for c in report.charts(result, dataset_source(run, "demo")) if c.key == "revenue_tornado"
    )
    assert chart.subtitle == f"Model · {revenue.SWING_TEXT}"
    assert "20% below and above its current value" in revenue.SWING_TEXT
    assert chart.title.startswith("Vehicles sold per year, share of customers dissatisfied and")
    assert chart.title.endswith("move the result most, each $145M to $218M")
    assert chart.table["Input raised to"].to_list()[0] == pytest.approx(600_000)


def test_the_scenario_table_names_presets_in_a_few_words() -> None:
    at = open_page("pages/revenue.py", preset=revenue.CALIBRATION_PRESET)
    _save(at, "Calibration")
    table = next(d.value for d in at.dataframe if "Calibration" in d.value.columns)
    preset_row = table[table[""] == "Preset"].iloc[0]
    assert preset_row["Calibration"] == revenue.PRESETS[revenue.CALIBRATION_PRESET].short
    shorts = {p.short for p in revenue.PRESETS.values()}
    assert all(len(text) <= 16 for text in shorts)
    assert all(str(v).split(":")[0] in shorts for v in preset_row.iloc[1:])
