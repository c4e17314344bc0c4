"""Market benchmarks: the published figures file, its validation, method breaks, the page's
report (every figure served exactly, survey beside, never mixed), the command line and exports.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import polars as pl
import pytest
from pptx import Presentation
from support.cli import cx

from cx.charts import theme
from cx.core import display, i18n
from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import connect, sql
from cx.exports.chart import Chart, DeckMeta
from cx.exports.slides import pptx_deck
from cx.exports.workbook import xlsx_workbook
from cx.models import market
from cx.reports.base import dataset_source
from cx.reports.market import MarketResult
from cx.reports.registry import BY_KEY

ROOT = Path(__file__).resolve().parents[2]
FILE = ROOT / "data" / "published_benchmarks.csv"
REPORT = BY_KEY["market"]
SSI = "J.D. Power U.S. Sales Satisfaction Index (SSI) Study"
TEMKIN_NPS = "Temkin Group Net Promoter Score Benchmark Study"
TEMKIN_DEALERS = "Temkin Experience Ratings (auto dealers)"


def _file_rows() -> list[dict[str, str]]:
    with FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _run(con: duckdb.DuckDBPyConnection) -> Callable[[str, dict[str, Any]], pl.DataFrame]:
    return lambda n, p: sql.run(con, n, p)


def _compute(con: duckdb.DuckDBPyConnection, sel: Selection | None = None, **picks: Any) -> MarketResult:  # fmt: skip
    return REPORT.compute(_run(con), sel or Selection(), Options(), **picks)


def _charts(con: duckdb.DuckDBPyConnection, result: MarketResult) -> dict[str, Chart]:
    charts = REPORT.charts(result, dataset_source(_run(con), result.selection.dataset))
    return {c.key: c for c in charts}


# --------------------------------------------------------------------------------------------
# The file and its validation
# --------------------------------------------------------------------------------------------


def test_the_reference_file_keeps_every_provenance_column_and_passes_validation() -> None:
    rows = _file_rows()
    assert len(rows) == 613
    assert tuple(rows[0]) == market.COLUMNS
    assert all(r["source_url"].startswith(("http://", "https://")) for r in rows)
    figures = market.load_reference()
    assert figures.height == 613 and figures["figure_id"].n_unique() == 613
    assert figures.schema["value"] == pl.Float64 and figures.schema["year"] == pl.Int64


def _frame(*rows: dict[str, str]) -> pl.DataFrame:
    base = dict.fromkeys(market.COLUMNS, "")
    return pl.DataFrame([{**base, **r} for r in rows], schema=dict.fromkeys(market.COLUMNS, pl.String))  # fmt: skip


GOOD = {
    "figure_id": "x_1",
    "study": "A Study",
    "metric": "index",
    "scale": "0-100",
    "segment": "mass market",
    "entity": "Brand",
    "value": "81.5",
    "year": "2020",
    "country": "US",
    "publisher": "Pub",
    "source_url": "https://example.org/a",
}


def test_validation_gives_one_line_per_bad_row_with_every_reason() -> None:
    checked = market.check(
        _frame(
            GOOD,
            {**GOOD, "figure_id": "x_2", "value": "101"},
            {**GOOD, "figure_id": "x_1", "year": "20x0", "source_url": "ftp://example.org"},
            {**GOOD, "figure_id": "x_4", "scale": "0-1000", "value": "800"},
            {**GOOD, "figure_id": "x 5", "country": "usa", "value": "", "study": ""},
            {**GOOD, "figure_id": "old", "year": "1975"},
            {**GOOD, "figure_id": "x_7", "scale": "stars", "value": "4"},
        ),
        existing_ids=["old"],
        today=dt.date(2026, 1, 1),
    )
    assert checked.figures["figure_id"].to_list() == ["x_1"]
    assert checked.figures["value"][0] == 81.5 and checked.figures["year"][0] == 2020
    errors = checked.errors
    assert len(errors) == 6, errors
    assert errors[0] == "line 3 (figure_id x_2): value 101 is outside the scale 0-100"
    assert errors[1].startswith("line 4 (figure_id x_1): figure_id 'x_1' repeats line 2")
    assert "year '20x0' is not a year" in errors[1] and "is not an http(s) link" in errors[1]
    assert "uses scale '0-100', not '0-1000'" in errors[2]
    assert "study is empty" in errors[3] and "value is empty" in errors[3]
    assert "country 'usa' is not an ISO code" in errors[3] and "characters other than" in errors[3]
    assert "already in the database" in errors[4] and "year 1975 is not between" in errors[4]
    assert "scale 'stars' is not a scale" in errors[5]


def test_a_file_with_other_columns_is_refused_in_one_line() -> None:
    with pytest.raises(
        market.BenchmarkError, match="missing columns: value; unexpected columns: score"
    ):
        market.check(_frame(GOOD).rename({"value": "score"}))


@pytest.mark.parametrize(
    ("scale", "bounds", "nps", "percent"),
    [
        ("0-100", (0.0, 100.0), False, False),
        ("0-1000", (0.0, 1000.0), False, False),
        ("-100 to 100", (-100.0, 100.0), True, False),
        ("percent", (0.0, 100.0), False, True),
        ("stars", None, False, False),
    ],
)
def test_scales_as_published(scale: str, bounds: Any, nps: bool, percent: bool) -> None:
    assert market.scale_range(scale) == bounds
    assert market.is_nps(scale) is nps and market.is_percent(scale) is percent


def test_words_for_positions_and_study_names() -> None:
    assert market.short_study(SSI) == "J.D. Power U.S. SSI"
    assert market.short_study("J.D. Power U.S. Automotive Performance, Execution and Layout (APEAL) Study") == "J.D. Power U.S. APEAL"  # fmt: skip
    assert market.short_study("UK Customer Satisfaction Index (UKCSI)") == "UKCSI"
    assert market.short_study("ACSI Automobile Study") == "ACSI Automobile"
    assert [market.quartile(p, 8) for p in (90, 60, 30, 10)] == list(reversed(market.QUARTILES))  # fmt: skip
    assert market.quartile(90, 3) is None and market.quartile(None, 9) is None
    assert [display.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st"
    ]  # fmt: skip
    assert market.hosts(["https://www.a.com/x", "http://b.org", "https://a.com/y"]) == "a.com, b.org"  # fmt: skip


# --------------------------------------------------------------------------------------------
# Method breaks
# --------------------------------------------------------------------------------------------


def test_declared_breaks_have_a_source_and_split_published_years() -> None:
    rows = _file_rows()
    declared = market.declared_breaks()
    assert any(b.study == SSI and 2010 < b.first_year <= 2013 for b in declared)  # the ~90 points
    for b in declared:
        years = {int(r["year"]) for r in rows if r["study"] == b.study}
        assert years, b.study
        assert any(y < b.first_year for y in years) and any(y >= b.first_year for y in years), b
        assert b.source_url.startswith(("http://", "https://")) and b.change and not b.detected


def _shift_frame(values: dict[int, dict[str, float]]) -> pl.DataFrame:
    rows = [
        {"study": "S", "scale": "0-100", "entity": e, "year": y, "value": v}
        for y, entities in values.items()
        for e, v in entities.items()
    ]
    return pl.DataFrame(rows)


def test_a_study_wide_shift_is_detected_but_one_brand_moving_is_not() -> None:
    together = _shift_frame({2020: {"a": 70, "b": 72, "c": 74}, 2021: {"a": 80, "b": 81, "c": 84}})
    found = market.detect_breaks(together)
    assert [(b.study, b.first_year, b.detected) for b in found] == [("S", 2021, True)]
    assert "median of +10.0 points" in found[0].change and found[0].shift == 10.0
    alone = _shift_frame({2020: {"a": 70, "b": 72, "c": 74}, 2021: {"a": 90, "b": 72, "c": 75}})
    assert market.detect_breaks(alone) == []
    declared = [market.Break("S", 2021, "redesign", "https://example.org")]
    assert market.detect_breaks(together, declared) == []


def test_periods_split_years_at_each_break() -> None:
    breaks = [market.Break(SSI, 2011, ""), market.Break(SSI, 2017, "")]
    assert market.periods([2010, 2013, 2014, 2017, 2023], breaks) == [0, 1, 1, 2, 2]


# --------------------------------------------------------------------------------------------
# Positions within a study and year
# --------------------------------------------------------------------------------------------


def test_ranks_percentiles_and_duplicate_sources(con: duckdb.DuckDBPyConnection) -> None:
    figures = market.ranked(sql.run(con, "market_figures", {}))
    assert figures.height == 613

    def one(figure_id: str) -> dict[str, Any]:
        return figures.filter(pl.col("figure_id") == figure_id).row(0, named=True)

    # two sources disagree by a point: one is plotted (the first id), the range is kept
    dodge = one("jdp_us_apeal_2020_dodge")
    assert (
        dodge["plotted"] and dodge["sources"] == 2 and (dodge["low"], dodge["high"]) == (871, 872)
    )
    assert not one("jdp_us_apeal_carbuzz_2020_dodge")["plotted"]
    assert one("jdp_us_apeal_carbuzz_2020_dodge")["rank"] is None
    # roles: averages, groups and brands the publisher did not rank are not ranked
    assert one("jdp_us_ssi_2013_luxury_average")["role"] == "average"
    assert one("acsi_auto_2016_industry_average")["role"] == "average"
    tesla = one("jdp_us_apeal_2021_tesla")
    assert tesla["role"] == "unranked" and tesla["rank"] is None
    assert one("acsi_auto_2021_tesla")["role"] == "brand"  # ACSI does rank Tesla
    # ACSI's airline "All Others" is the rest of the airlines together, no brand to follow
    others = figures.filter(pl.col("entity").str.to_lowercase() == "all others")
    assert others.height and set(others["role"]) == {"group"} and others["rank"].is_null().all()
    # Temkin 2014: Toyota, Lexus and Buick level at 74 above Subaru's 73: mid-rank percentile
    toyota = one("temkin_txr_dealers_2014_toyota")
    assert (toyota["rank"], toyota["ranked"]) == (1, 4)
    assert toyota["percentile"] == pytest.approx(100 * (1 + 0.5 * 3) / 4)
    assert one("temkin_txr_dealers_2014_subaru")["percentile"] == pytest.approx(12.5)
    ranked = figures.filter(pl.col("rank").is_not_null())
    assert ranked.group_by(list(market.RANKING_KEYS)).agg(pl.col("rank").min())["rank"].max() == 1  # fmt: skip


# --------------------------------------------------------------------------------------------
# The page's report
# --------------------------------------------------------------------------------------------


def test_every_figure_of_the_file_is_served_exactly_by_the_page(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Each study-year's ranking table lists all its figures: together, the whole file."""
    rows = {r["figure_id"]: r for r in _file_rows()}
    served: dict[str, dict[str, Any]] = {}
    pairs = sorted({(r["study"], r["year"]) for r in rows.values()})
    for study, year in pairs:
        result = _compute(con, study=study, year=year)
        assert (result.study, str(result.year)) == (study, year)
        ranking = _charts(con, result)["market_ranking"]
        table = ranking.table
        assert ranking.links == table["Source"].to_list()
        for row in table.iter_rows(named=True):
            assert row["Figure id"] not in served
            served[row["Figure id"]] = row
    assert served.keys() == rows.keys()
    for fid, want in rows.items():
        got = served[fid]
        assert got["Study"] == want["study"] and got["Entity"] == want["entity"], fid
        assert got["Value"] == float(want["value"]) and got["Year"] == int(want["year"]), fid
        assert got["Source"] == want["source_url"] and got["Scale"] == want["scale"], fid
        assert got["Metric"] == want["metric"] and got["Market"] == want["country"], fid
        assert got["Publisher"] == want["publisher"], fid
        assert got["Segment"] == (want["segment"] or None), fid


def test_a_brand_is_followed_across_studies_with_lines_broken_at_method_changes(
    con: duckdb.DuckDBPyConnection,
) -> None:
    result = _compute(con, brand="lexus", study=SSI, year="2013")
    assert result.brand == "Lexus"  # any case resolves to the name as published
    charts = _charts(con, result)
    trend = charts["market_trend"]
    want = {r["figure_id"] for r in _file_rows() if r["entity"] == "Lexus"}
    assert set(trend.table["Figure id"].to_list()) == want
    assert trend.kind == "published" and trend.native is None  # small multiples: an image
    fig = trend.figure
    # one value axis per study: never two studies on one axis
    studies = trend.table["Study"].unique().to_list()
    assert len([k for k in fig.layout.to_plotly_json() if k.startswith("yaxis")]) == len(studies)
    # SSI: 2010 | 2013 | 2019 2020 2021 2023: three separate line segments in its panel
    ssi_years = set(trend.table.filter(pl.col("Study") == SSI)["Year"].to_list())
    by_axis: dict[str, list[Any]] = {}
    for t in fig.data:
        by_axis.setdefault(t.yaxis or "y", []).append(t)
    segments = next(ts for ts in by_axis.values() if {x for t in ts for x in t.x} == ssi_years)
    assert [list(t.x) for t in segments] == [[2010], [2013], [2019, 2020, 2021, 2023]]
    assert any(s.line.dash == "dash" for s in fig.layout.shapes)
    assert "J.D. Power U.S. SSI 2011 (autoremarketing.com), 2017 (readkong.com)" in trend.notes[0]
    periods = trend.table.filter(pl.col("Study") == SSI)["Method period"].to_list()
    assert periods == [
        "until 2010",
        "2011-2016",
        "from 2017",
        "from 2017",
        "from 2017",
        "from 2017",
    ]
    # every point carries its source link
    assert all(u.startswith("http") for t in fig.data for u in t.customdata)
    ranking = charts["market_ranking"]
    assert "Lexus ranks 3rd of 13 published brands" in ranking.title
    position = charts["market_position"]
    assert position.native is not None and position.native.value_range == (0, 100)
    assert all(0 <= v <= 100 for v in position.table["Percentile rank"].to_list())


def test_every_brand_can_be_followed(con: duckdb.DuckDBPyConnection) -> None:
    """Each brand of the picker draws its panels (one to seven studies) and its ranks."""
    first = _compute(con)
    for brand in first.choices["brand"].options:
        result = _compute(con, brand=brand)
        charts = _charts(con, result)
        trend = charts["market_trend"]
        assert trend.table["Entity"].str.to_lowercase().unique().to_list() == [brand.lower()]
        domains = [
            d
            for k, v in trend.figure.layout.to_plotly_json().items()
            if k.startswith(("xaxis", "yaxis"))
            for d in v["domain"]
        ]
        assert all(0 <= d <= 1 for d in domains), brand


def test_the_ranking_marks_averages_and_uses_the_published_colour(
    con: duckdb.DuckDBPyConnection,
) -> None:
    result = _compute(con, study=SSI, year="2013", brand="Lexus")
    chart = _charts(con, result)["market_ranking"]
    bar = chart.figure.data[0]
    labels = list(bar.y)
    colours = dict(zip(labels, bar.marker.color, strict=True))
    patterns = dict(zip(labels, bar.marker.pattern.shape, strict=True))
    assert colours["Luxury average"] == theme.PUBLISHED_REFERENCE and patterns["Luxury average"]
    assert colours["Lexus"] == theme.HIGHLIGHT and colours["Jaguar"] == theme.PUBLISHED
    assert not {theme.BETTER, theme.WORSE, theme.NEUTRAL} & set(bar.marker.color)
    assert "2013" in chart.subtitle and SSI in chart.subtitle and "thecarconnection.com" in chart.subtitle  # fmt: skip
    assert chart.native is not None and chart.native.value_range == (0.0, 1000.0)
    assert chart.native.categories == labels


def test_the_survey_stands_beside_an_nps_study_in_its_own_panel(
    con: duckdb.DuckDBPyConnection,
) -> None:
    result = _compute(con, study=TEMKIN_NPS)
    charts = _charts(con, result)
    own = charts["market_own_data"]
    assert own.kind == "survey" and charts["market_ranking"].kind == "published"
    assert "fictional demo brands" in own.title and "never averaged" in own.subtitle
    assert "no bar is a real company's score" in own.subtitle
    assert result.survey.industry == "Car dealers"  # the study publishes auto dealers' NPS
    assert own.figure.data[0].marker.color[0] in (theme.ACCENT, theme.SUPPRESSED)
    published = set(charts["market_ranking"].table["Entity"].to_list())
    assert not published & set(own.table["Brand"].to_list())  # never in one series
    dealers = _compute(con, study=TEMKIN_DEALERS)
    assert dealers.survey.measure == "top2" and dealers.survey.industry == "Car dealers"
    assert "purchase stage" in _charts(con, dealers)["market_own_data"].title
    acsi = _compute(con, study="ACSI Automobile Study")
    assert "market_own_data" not in _charts(con, acsi) and "0-100 scale" in acsi.survey.note
    assert acsi.choices["industry"].options == ()


def test_no_demo_brand_shares_a_name_with_a_real_brand_in_the_file() -> None:
    fictional = {r["brand"].lower() for r in csv.DictReader((ROOT / "data" / "brands.csv").open(encoding="utf-8"))}  # fmt: skip
    real = {r["entity"].lower() for r in _file_rows()}
    assert fictional and not fictional & real


def test_unknown_picks_fall_back_and_the_choices_say_what_was_shown(
    con: duckdb.DuckDBPyConnection,
) -> None:
    result = _compute(con, study="<script>", year="1900", brand="no such brand")
    assert result.study == REPORT.defaults["study"] and result.year == 2025
    assert result.brand == "Toyota"
    assert result.choices["year"].options[0] == "2025"
    assert result.choices["brand"].label("Toyota") == "Toyota (5 studies)"


# --------------------------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------------------------


def test_the_deck_and_workbook_cite_study_year_and_source(con: duckdb.DuckDBPyConnection) -> None:
    result = _compute(con, study=TEMKIN_NPS, year="2018", brand="Toyota")
    charts = [c for c in _charts(con, result).values() if c.native is not None]
    meta = DeckMeta("Market benchmarks", "all respondents", "demo")
    prs = Presentation(io.BytesIO(pptx_deck(charts, meta)))
    texts = [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in prs.slides]  # fmt: skip
    ranking_slide = next(t for t in texts if TEMKIN_NPS in t and "Published figure" in t)
    first_host = market.host(result.ranking["source_url"][0])
    assert f"{TEMKIN_NPS}, 2018" in ranking_slide and first_host in ranking_slide
    assert any("Survey sample" in t and "fictional" in t for t in texts)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_workbook(charts, meta)))
    sheet = book["Published ranking"]
    header = [c.value for c in sheet[1]]
    link_col = header.index("Source link") + 1
    links = [sheet.cell(row=i, column=link_col).hyperlink for i in range(2, sheet.max_row + 1)]
    assert len(links) == result.ranking.height and all(h is not None for h in links)
    assert {h.target for h in links} == set(result.ranking["source_url"].to_list())


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def test_the_command_line_serves_every_figure_exactly(fixture_db: Path) -> None:
    proc = cx("benchmarks", "--db", str(fixture_db))
    assert proc.returncode == 0, proc.stderr
    served = {r["figure_id"]: r for r in json.loads(proc.stdout)}
    rows = _file_rows()
    assert len(served) == len(rows) == 613
    for want in rows:
        got = served[want["figure_id"]]
        assert set(got) == set(market.COLUMNS)
        for col in market.COLUMNS:
            if col == "value":
                assert got[col] == float(want[col]), want["figure_id"]
            elif col == "year":
                assert got[col] == int(want[col]), want["figure_id"]
            else:
                assert got[col] == (want[col] or None), (want["figure_id"], col)
    text = cx("benchmarks", "--db", str(fixture_db), "--format", "csv")
    back = {r["figure_id"]: r for r in csv.DictReader(io.StringIO(text.stdout))}
    assert back.keys() == served.keys()
    for want in rows:
        got = back[want["figure_id"]]
        assert float(got.pop("value")) == float(want["value"])  # numbers stay numbers
        # text a spreadsheet would run as a formula ("-100 to 100") gets an apostrophe
        assert got == {
            k: ("'" + v if v.startswith("-") else v) for k, v in want.items() if k != "value"
        }


def test_the_command_line_finds_an_entity_in_every_study_in_any_case(fixture_db: Path) -> None:
    out = json.loads(cx("benchmarks", "--db", str(fixture_db), "--entity", "tOyOtA").stdout)
    want = {r["figure_id"] for r in _file_rows() if r["entity"].lower() == "toyota"}
    assert {r["figure_id"] for r in out} == want
    assert len({r["study"] for r in out}) == 5
    narrowed = json.loads(
        cx("benchmarks", "--db", str(fixture_db), "--study", "ssi", "--year", "2013",
           "--country", "us").stdout
    )  # fmt: skip
    assert {r["study"] for r in narrowed} == {SSI} and {r["year"] for r in narrowed} == {2013}
    assert len(narrowed) == sum(1 for r in _file_rows() if r["study"] == SSI and r["year"] == "2013")  # fmt: skip


def test_adding_figures_is_all_or_nothing_with_one_line_per_bad_row(
    fixture_db: Path, tmp_path: Path
) -> None:
    target = tmp_path / "add.duckdb"
    shutil.copy(fixture_db, target)
    bad = tmp_path / "bad.csv"
    good_row = {**GOOD, "figure_id": "my_nps_a", "study": "My NPS Study", "scale": "-100 to 100", "value": "12"}  # fmt: skip
    bad_rows = [
        good_row,
        {**good_row, "figure_id": "acsi_auto_2016_honda"},
        {**good_row, "figure_id": "my_nps_c", "value": "120"},
    ]
    pl.DataFrame(bad_rows).write_csv(bad)
    proc = cx("benchmarks", "--db", str(target), "--add", str(bad))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 3, lines
    assert "line 3 (figure_id acsi_auto_2016_honda): figure_id 'acsi_auto_2016_honda' is already in the database" in lines[0]  # fmt: skip
    assert "line 4 (figure_id my_nps_c): value 120 is outside the scale -100 to 100" in lines[1]
    assert lines[2].endswith("2 of 3 rows of bad.csv are invalid; nothing was added")
    assert len(json.loads(cx("benchmarks", "--db", str(target)).stdout)) == 613
    good = tmp_path / "good.csv"
    pl.DataFrame([good_row, {**good_row, "figure_id": "my_nps_b", "entity": "Other", "value": "-4"}]).write_csv(good)  # fmt: skip
    added = cx("benchmarks", "--db", str(target), "--add", str(good))
    assert added.returncode == 0, added.stderr
    assert json.loads(added.stdout)["added"] == 2
    mine = json.loads(cx("benchmarks", "--db", str(target), "--study", "my nps").stdout)
    assert [(r["entity"], r["value"]) for r in mine] == [("Brand", 12.0), ("Other", -4.0)]
    again = cx("benchmarks", "--db", str(target), "--add", str(good))
    assert again.returncode == 2 and "already in the database" in again.stderr
    # an added NPS study gets the survey beside it on the page
    con = connect.connect(target)
    try:
        result = _compute(con, study="My NPS Study")
        assert result.survey.measure == "nps" and not result.survey.table.is_empty()
    finally:
        con.close()


def test_bad_command_line_input_is_one_line_and_exit_2(fixture_db: Path, tmp_path: Path) -> None:
    missing = cx("benchmarks", "--db", str(fixture_db), "--add", str(tmp_path / "none.csv"))
    assert missing.returncode == 2 and missing.stderr.count("\n") == 1
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b\n1,2\n", encoding="utf-8")
    cols = cx("benchmarks", "--db", str(fixture_db), "--add", str(wrong))
    assert cols.returncode == 2 and "missing columns" in cols.stderr
    both = cx("benchmarks", "--db", str(fixture_db), "--add", str(wrong), "--year", "2020")
    assert both.returncode == 2 and "--add takes no" in both.stderr


def test_an_older_database_gets_the_shipped_figures_with_add(
    fixture_db: Path, tmp_path: Path
) -> None:
    """What the page advises when a database predates the table: --add the shipped file."""
    target = tmp_path / "old.duckdb"
    shutil.copy(fixture_db, target)
    con = connect.connect(target, read_only=False)
    con.execute("drop table published_benchmarks")
    con.close()
    proc = cx("benchmarks", "--db", str(target), "--add", str(FILE))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"added": 613, "total": 613, "file": FILE.name}


def test_a_tied_brand_is_named_joint_not_a_clean_rank(con: duckdb.DuckDBPyConnection) -> None:
    """ACSI 2025: Mazda and Toyota both score 82; the title must not say Toyota ranks 2nd as
    if alone (the reviewer read "ranks 2nd of 7" beside a bar as long as Mazda's)."""
    result = _compute(con, study="ACSI Automobile Study", year="2025", brand="Toyota")
    title = _charts(con, result)["market_ranking"].title
    tied = result.ranking.filter(pl.col("entity").is_in(["Mazda", "Toyota"]))["value"].to_list()
    assert len(set(tied)) == 1  # the published tie this test is about
    assert "Toyota ranks joint 2nd of 7 published brands" in title, title


def test_the_best_placing_is_the_best_rank_the_position_chart_draws(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The property test found "Dongfeng Nissan is in no study's top quartile; ... best placing
    is J.D. Power China APEAL (percentile rank 42)" over a chart whose SSI bar reads 83 (a study
    of 3 brands: a rank, no quartile). The best placing is now the best bar drawn, and the first
    claim says it counts studies with quartiles."""
    from cx.claims.check import problems
    from cx.reports import market
    from cx.reports.base import dataset_source

    run = lambda name, params: sql.run(con, name, params)  # noqa: E731
    result = market.compute(run, Selection(), Options(), brand="Dongfeng Nissan")
    chart = next(
        c for c in market.charts(result, dataset_source(run, "demo")) if c.key == "market_position"
    )
    assert not [p for c in chart.claims for p in problems(c, chart.table)], chart.title
    assert "not in the top quartile of any study with quartiles" in chart.title
    assert "Sales Satisfaction Index (SSI) Study (percentile rank 83)" in chart.title, chart.title


def test_the_published_figures_are_ranked_and_their_breaks_found_once_per_content(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The figures do not depend on the selection: every selection and session after the first
    reads them ranked, with their method changes, from memory (``stats.forget`` leaves them);
    other figures are ranked and searched again."""
    from cx.metrics import stats

    ranked, detected = market.ranked, market.detect_breaks
    calls: list[str] = []

    def counted_ranked(frame: pl.DataFrame) -> pl.DataFrame:
        calls.append("ranked")
        return ranked(frame)

    def counted_breaks(*args: Any) -> list[market.Break]:
        calls.append("breaks")
        return detected(*args)

    monkeypatch.setattr(market, "ranked", counted_ranked)
    monkeypatch.setattr(market, "detect_breaks", counted_breaks)
    market._RANKED.clear()
    market._BREAKS.clear()
    run = _run(con)
    first = REPORT.compute(run, Selection(), Options())
    stats.forget()
    again = REPORT.compute(run, Selection(countries=("US",)), Options(confidence=0.9))
    assert calls == ["ranked", "breaks"]
    assert first.ranking.equals(again.ranking) and first.breaks == again.breaks
    fewer = lambda n, p: run(n, p).head(200) if n == "market_figures" else run(n, p)  # noqa: E731
    REPORT.compute(fewer, Selection(), Options())
    assert calls == ["ranked", "breaks", "ranked", "breaks"]


def test_the_published_charts_are_made_once_per_picks_and_language(
    con: duckdb.DuckDBPyConnection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ranking, the brand's trend and its positions show published figures alone: another
    selection with the same picks reads them from memory; another brand or language makes them
    again; what is kept is what would be made."""
    from cx.core import i18n
    from cx.reports import market as page

    made: list[str] = []
    real = page._ranking_chart

    def counted(r: MarketResult) -> Any:
        made.append(f"{r.brand}/{i18n.language()}")
        return real(r)

    monkeypatch.setattr(page, "_ranking_chart", counted)
    page._PUBLISHED.clear()
    first = _compute(con)
    charts = _charts(con, first)
    other_view = _compute(con, Selection(countries=("DE",)))
    again = _charts(con, other_view)
    assert made == [f"{first.brand}/en"]
    assert all(again[k] is charts[k] for k in ("market_ranking", "market_trend") if k in charts)
    with i18n.use("ru"):
        _charts(con, other_view)
    assert made == [f"{first.brand}/en", f"{first.brand}/ru"]
    brands = first.choices["brand"].options
    another = next(b for b in brands if b != first.brand)
    _charts(con, _compute(con, brand=another))
    assert made[-1] == f"{another}/en"
    page._PUBLISHED.clear()
    fresh = _charts(con, other_view)
    assert fresh.keys() == again.keys()
    for key, chart in fresh.items():
        assert (chart.title, chart.subtitle) == (again[key].title, again[key].subtitle)
        if chart.figure is not None:
            assert chart.figure.to_json() == again[key].figure.to_json()


def test_method_changes_kept_are_described_in_the_language_that_asks(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """A detected method change is described in words: what is kept for one language is not
    shown in another (Russian was read on the English page after a Russian visit)."""
    from cx.core import i18n

    figures = market.ranked_once(sql.run(con, "market_figures", {}))
    plotted = figures.filter(pl.col("plotted")).select("study", "scale", "entity", "year", "value")
    market._BREAKS.clear()
    seen = {}
    for lang in ("ru", "en", "ru"):
        with i18n.use(lang):
            kept = [b.change for b in market.every_break(figures) if b.detected]
            fresh = [b.change for b in market.detect_breaks(plotted, market.declared_breaks())]
            assert kept == fresh and kept, lang
            seen.setdefault(lang, kept)
    assert seen["ru"] != seen["en"]


def test_a_long_panel_title_breaks_at_its_separator_not_after_it() -> None:
    """ "Temkin Experience Ratings (auto dealers) ·" ended a line and "United States" began the
    next: a title too long for a line puts the market on a line of its own."""
    from cx.charts.market import panel_title

    long = "Temkin Experience Ratings (auto dealers) · United States"
    assert panel_title(long) == "Temkin Experience Ratings (auto dealers)<br>United States"
    assert panel_title("ACSI Automobile · United States") == "ACSI Automobile · United States"
    assert not any(line.endswith("·") for line in panel_title(long).split("<br>"))


@pytest.mark.parametrize("lang", ["zh", "ru"])
def test_published_metrics_are_named_in_the_interface_language(
    con: duckdb.DuckDBPyConnection, lang: str
) -> None:
    """The Chinese ranking's axis read "customer satisfaction index (0-100)": every metric of
    the file is named in the language on the axis and in the subtitle; the table keeps the
    figure as published."""
    rows = _file_rows()
    metrics = {r["metric"] for r in rows}
    assert metrics <= set(market.METRICS)  # a new metric gets its words in the catalogue
    pairs = sorted({(r["study"], r["year"]) for r in rows})[::7]
    with i18n.use(lang):
        for study, year in pairs:
            ranking = _charts(con, _compute(con, study=study, year=year))["market_ranking"]
            axis = ranking.figure.layout.xaxis.title.text or ranking.figure.layout.yaxis.title.text
            metric = str(ranking.table["Metric"][0]) if "Metric" in ranking.table.columns else ""
            if metric and metric != "NPS":
                assert metric not in axis and metric not in ranking.subtitle, (lang, axis)
                assert market.metric_words(metric) in axis
