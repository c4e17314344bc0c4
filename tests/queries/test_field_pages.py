"""Pages on a field team's upload: the dealer scorecards open where outlets can be ranked and
never print "None"; the saved scenario's link is whole, ready to copy."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from support.apptest import open_app

from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import connect, sql
from cx.data.database import Database
from cx.ingest.mapping import detect_mapping
from cx.ingest.normalise import normalise
from cx.ingest.read import read_survey
from cx.ingest.store import store
from cx.reports import dealer_charts, dealer_scores


def _dealer_file() -> bytes:
    """Austria first in the alphabet with two small outlets; Germany with six of 40 answers."""
    lines = ["Interview ID,Country,Brand,Recommend (0-10),Dealer"]
    i = 0
    for country, outlets, answers in (("Austria", 2, 10), ("Germany", 6, 40)):
        for k in range(outlets):
            for _ in range(answers):
                i += 1
                lines.append(f"r{i},{country},Voltara,{(i * 7) % 11},{country} outlet {k + 1}")
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture(scope="module")
def dealer_db(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dealers") / "cx.duckdb"
    shutil.copy(fixture_db, path)
    raw = read_survey(_dealer_file(), "dealers.csv")
    result = normalise(raw, detect_mapping(raw), "net")
    with Database(str(path), read_only=False) as database:
        store(database, result, "net", "Dealers", _dealer_file(), "dealers.csv")
    return path


def test_dealer_scorecards_open_where_outlets_are_ranked_and_show_dashes_not_none(
    dealer_db: Path,
) -> None:
    """An upload opened on Austria (first alphabetically), where nothing is ranked, and
    printed the literal "None" in Rank and Shrunk NPS."""
    con = connect.connect(dealer_db)
    try:
        run = lambda name, params=None: sql.run(con, name, params)  # noqa: E731
        opened = dealer_scores.compute(run, Selection(dataset="net"), Options())
        assert opened.choices["country"].value == "DE"
        austria = dealer_scores.compute(run, Selection(dataset="net"), Options(), country="AT")
    finally:
        con.close()
    shown = dealer_charts.league_screen(austria.league, 30)
    assert set(shown["Rank"]) == {"– n under 30"} and set(shown["Shrunk NPS"]) == {"– n under 30"}
    for column in shown.columns:
        assert shown[column].null_count() == 0, column
    ranked = dealer_charts.league_screen(opened.league, 30)
    assert str(ranked["Rank"].to_list()[0]) == "1"
    # a negative number written as text ("-14.9") was taken for a formula and shown as "'-14.9"
    from cx.exports.safety import neutralise_formulas

    for frame in (shown, ranked):
        screen = neutralise_formulas(frame)
        quoted = [
            v for c in screen.columns if screen[c].dtype == pl.String for v in screen[c]
            if v and v.startswith("'")
        ]  # fmt: skip
        assert not quoted, quoted[:5]


def test_the_league_on_screen_writes_negative_numbers_with_a_minus_sign_not_a_quote(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The demo's German league showed its shrunk intervals as "'-14.9": a column with empty
    cells is written as text, and text starting with a hyphen reads as a formula."""
    from cx.exports.safety import neutralise_formulas

    run = lambda name, params=None: sql.run(con, name, params)  # noqa: E731
    league = dealer_scores.compute(run, Selection(), Options(), country="DE").league
    screen = neutralise_formulas(dealer_charts.league_screen(league, 30))
    texts = [v for c in screen.columns if screen[c].dtype == pl.String for v in screen[c] if v]
    assert not [t for t in texts if t.startswith("'")]
    assert any(t.startswith("\u2212") for t in texts)  # negative numbers are there, as text


def test_the_saved_scenario_link_is_whole_with_a_copy_button(app_env: None) -> None:
    """The link was shown as ``revenue?scenario=…`` with "add it to this dashboard's address"."""
    at = open_app("pages/revenue.py")
    at.text_input(key="rev_scenario_name").set_value("Whole link").run()
    at.button(key="rev_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    links = [c.value for c in at.code if "scenario=" in c.value]
    assert links and links[0].startswith("http") and "/revenue?scenario=" in links[0]
    assert not any("add it to this dashboard" in c.value for c in at.caption)
    assert pl.Series(links).str.contains(r"^https?://[^/]+/revenue\?scenario=[\w-]+$").all()


def _page_of(
    report: Any, fixture_db: Path, folder: Path, data: bytes, dataset: str
) -> tuple[Any, list[Any]]:
    """A report's result and charts on ``data`` stored as ``dataset`` in a copy of the fixture
    database."""
    from cx.reports.base import dataset_source

    path = folder / "cx.duckdb"
    shutil.copy(fixture_db, path)
    raw = read_survey(data, f"{dataset}.csv")
    result = normalise(raw, detect_mapping(raw), dataset)
    with Database(str(path), read_only=False) as database:
        store(database, result, dataset, dataset, data, f"{dataset}.csv")
    con = connect.connect(path)
    try:
        run = lambda name, params=None: sql.run(con, name, params)  # noqa: E731
        page = report.compute(run, Selection(dataset=dataset), Options(min_n=30))
        return page, report.charts(page, dataset_source(run, dataset))
    finally:
        con.close()


def test_answers_without_a_country_are_no_country_on_the_countries_page(
    fixture_db: Path, tmp_path: Path
) -> None:
    """An upload whose "Österreich" was not recognised showed a bar and a headline for a
    country called "None" ("worst in None (+3)"); answers without a country are left out."""
    from cx.reports import countries

    lines = ["Interview ID,Country,Brand,Recommend (0-10)"]
    for i in range(300):
        country = ("Germany", "France", "Atlantis")[i % 3]
        lines.append(f"r{i},{country},Voltara,{(i * 7) % 11}")
    data = ("\n".join(lines) + "\n").encode()
    page, charts = _page_of(countries, fixture_db, tmp_path, data, "geo")
    assert page.brand_by_country["country"].null_count() == 0
    assert set(page.brand_by_country["country"]) == {"DE", "FR"}
    for chart in charts:
        assert "None" not in chart.title, chart.title


def test_a_stage_nobody_answered_gets_no_empty_slot_on_dealer_vs_direct(
    fixture_db: Path, tmp_path: Path
) -> None:
    """An upload without price transparency kept an empty "Price transparency" slot in the
    satisfaction-by-channel chart."""
    from support import survey_files as sf

    from cx.reports import channels

    data = sf.qualtrics(sf.answers(900))
    _, drawn_charts = _page_of(channels, fixture_db, tmp_path, data, "chan")
    charts = {c.key: c for c in drawn_charts}
    stages = charts["channel_stages"]
    drawn = {str(x).replace("<br>", " ") for trace in stages.figure.data for x in trace.x or ()}
    assert "Price transparency" not in drawn and "Purchase" in drawn, drawn


def test_answers_without_a_brand_are_no_brand_to_pick_on_the_brands_page(
    fixture_db: Path, tmp_path: Path
) -> None:
    """An upload with a blank brand cell in every twentieth row lost its whole Brands page: the
    blank brand was offered as a benchmark and a brand to trend, and the picker failed on it."""
    from cx.reports import brands

    lines = ["Interview ID,Brand,Recommend (0-10),Date"]
    for i in range(600):
        brand = "" if i % 20 == 0 else ("Alpha", "Beta", "Gamma")[i % 3]
        lines.append(f"r{i},{brand},{(i * 7) % 11},2024-0{1 + i % 4}-15")
    data = ("\n".join(lines) + "\n").encode()
    page, charts = _page_of(brands, fixture_db, tmp_path, data, "blank-brand")
    for name in ("benchmark", "focus"):
        assert None not in page.choices[name].options and page.choices[name].options, name
    for chart in charts:
        assert "None" not in chart.title, chart.title


def test_a_weight_no_survey_has_is_refused_not_stored_as_infinity() -> None:
    """One weight of 400 digits was read as infinity (and one of 201 digits overflowed when
    squared): every estimate of the dataset went infinite and four pages failed."""
    from cx.ingest.normalise import MAX_WEIGHT

    lines = ["Interview ID,Brand,Recommend (0-10),Weight"]
    huge = {5: "1" + "0" * 400, 6: "1" + "0" * 200, 7: "2000000000", 8: "250000"}
    for i in range(40):
        lines.append(f"r{i},Alpha,{i % 11},{huge.get(i, '1.5')}")
    raw = read_survey(("\n".join(lines) + "\n").encode(), "w.csv")
    result = normalise(raw, detect_mapping(raw), "w")
    weights = result.accepted["weight"]
    assert weights.is_finite().all() and weights.max() <= MAX_WEIGHT
    assert result.accepted.height == 37 and result.rejected.height == 3
    reasons = " ".join(result.rejected["reason"].to_list())
    assert reasons.count("more than any survey weight") == 3


def test_brands_of_an_upload_without_industries_are_tested_against_each_other(
    fixture_db: Path, tmp_path: Path
) -> None:
    """On an upload that gave no industry, every brand was compared with "the rest of its
    industry", which had no value: nothing was tested ("controlled across the 0 brands") and
    every bar was grey. Answers of no industry are one population."""
    from cx.reports import brands

    lines = ["Interview ID,Brand,Recommend (0-10)"]
    for i in range(900):
        brand = ("Alpha", "Beta", "Gamma")[i % 3]
        score = 10 if brand == "Alpha" else (i * 7) % 11 if brand == "Beta" else 2
        lines.append(f"r{i},{brand},{score}")
    data = ("\n".join(lines) + "\n").encode()
    page, charts = _page_of(brands, fixture_db, tmp_path, data, "no-industry")
    ranking = next(c for c in charts if c.key == "brand_nps_ranking")
    assert " 0 brands" not in ranking.subtitle and "across the 3 brands" in ranking.subtitle
    assert page.table["significant"].sum() >= 2  # Alpha above the rest, Gamma below
