"""The Revenue-at-risk review: saving selects the saved scenario, one default preset for the
Overview tile and the page, sensitivity over a stated comparable range, short preset labels."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

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
