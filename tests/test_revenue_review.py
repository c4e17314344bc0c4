"""The Revenue-at-risk review: saving selects the saved scenario, one default preset for the
Overview tile and the page, sensitivity over a stated comparable range, short preset labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx import revenue

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _database(app_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CX_DB", str(app_db))
    monkeypatch.chdir(ROOT)


def open_page(page: str, **query: str) -> AppTest:
    """A new session opening ``page`` directly with a link's query (as a reload does)."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    if page != "pages/overview.py":
        at.switch_page(page)
    at.run()
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
    assert shared.selectbox(key="pick_revenue_preset").value == mine.selectbox(
        key="pick_revenue_preset"
    ).value
    assert shared.metric[0].value == total


def test_open_mode_says_saved_scenarios_are_shared() -> None:
    at = open_page("pages/revenue.py")
    assert any(c.value.startswith("Without sign-in, saved scenarios are shared") for c in at.caption)


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
