"""AppTest of the market benchmarks page: picks change what is drawn and go into the URL."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import open_app

from cx.data import connect

SSI = "J.D. Power U.S. Sales Satisfaction Index (SSI) Study"
TEMKIN_NPS = "Temkin Group Net Promoter Score Benchmark Study"

pytestmark = pytest.mark.usefixtures("app_env")


def app(page: str) -> AppTest:
    """A session that opens the app's root, then ``page`` from the navigation."""
    return open_app(page, timeout=60, navigate=True)


def _texts(at: Any) -> list[str]:
    """Markdown and captions as people read them (the app escapes data text)."""
    return [m.value.replace("\\", "") for m in [*at.markdown, *at.caption]]


def _pick(at: Any, name: str, value: str) -> Any:
    at.selectbox(key=f"pick_market_{name}").set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_choosing_a_study_and_a_year_changes_the_ranking_and_the_url() -> None:
    at = app("pages/market.py")
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="pick_market_study").value == "ACSI Automobile Study"
    assert at.selectbox(key="pick_market_year").value == "2025"
    assert any("**Subaru leads ACSI Automobile 2025 with 85" in t for t in _texts(at))
    _pick(at, "study", SSI)
    assert at.query_params["study"] == SSI
    year = at.selectbox(key="pick_market_year")
    assert year.value == "2023" and "2010" in year.options  # the study's own years
    _pick(at, "year", "2013")
    assert any("**Jaguar leads J.D. Power U.S. SSI 2013 with 740" in t for t in _texts(at))
    assert at.query_params["year"] == "2013"


def test_choosing_a_brand_follows_it_across_studies() -> None:
    at = _pick(app("pages/market.py"), "brand", "Lexus")
    assert any(t.startswith("**Lexus: published scores in 6 studies") for t in _texts(at))
    assert at.query_params["brand"] == "Lexus"
    assert any("J.D. Power U.S. SSI 2011 (autoremarketing.com)" in t for t in _texts(at))
    _pick(at, "brand", "Subaru")
    assert any(t.startswith("**Subaru: published scores in") for t in _texts(at))
    assert not any("autoremarketing.com" in t for t in _texts(at))  # Subaru has no SSI trend


def test_the_survey_panel_appears_beside_an_nps_study_with_its_industry_pick() -> None:
    at = app("pages/market.py")
    assert not [s for s in at.selectbox if s.key == "pick_market_industry"]
    assert any("0-100 scale" in i.value.replace("\\", "") for i in at.info)
    _pick(at, "study", TEMKIN_NPS)
    assert at.selectbox(key="pick_market_industry").value == "Car dealers"
    assert any("Survey sample" in t for t in _texts(at))
    assert any("; the brands are fictional demo brands**" in t for t in _texts(at))
    _pick(at, "industry", "Automakers")
    # the leader, with the brands its whiskers cannot tell from it ("Voltara and Ikaru lead")
    assert any(re.search(r"leads? Automakers with NPS", t) for t in _texts(at)), _texts(at)
    assert at.query_params["industry"] == "Automakers"


def test_the_data_table_lists_every_figure_with_its_source() -> None:
    at = _pick(_pick(app("pages/market.py"), "study", SSI), "year", "2013")
    at.toggle(key="data_market_ranking").set_value(True).run()
    table = at.dataframe[0].value
    assert len(table) == 15 and table["Source"].str.startswith("http").all()


def test_a_database_without_published_benchmarks_says_how_to_add_them(
    app_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from components import data

    empty = tmp_path / "no-benchmarks.duckdb"
    shutil.copy(app_db, empty)
    con = connect.connect(empty, read_only=False)
    con.execute("drop table published_benchmarks")  # a database built before the table existed
    con.close()
    monkeypatch.setenv("CX_DB", str(empty))
    data.database.clear()
    data.data_changed()
    try:
        at = app("pages/market.py")
        assert not at.exception, [e.value for e in at.exception]
        assert any("benchmarks --add data/published_benchmarks.csv" in i.value for i in at.info)
    finally:
        data.database.clear()
        data.data_changed()
