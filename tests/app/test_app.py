"""AppTest: every page renders through app.py and says the chosen level; filters, URL
parameters, sliders, uploads, tiles and notes behave; an unexpected error shows a reference."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import boxes, open_app, open_page, stored_upload, texts
from support.reports import run_on

from components import cards
from components.navigation import DATA_PAGES
from cx.charts import maps, theme
from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import connect, sql
from cx.ingest.store import uploads_root
from cx.reports.base import dataset_source
from cx.reports.registry import BY_KEY, REPORTS

ROOT = Path(__file__).resolve().parents[2]
PAGES = [f"pages/{r.key}.py" for r in REPORTS] + [f"pages/{p.key}.py" for p in DATA_PAGES]


pytestmark = pytest.mark.usefixtures("app_env")


def app(page: str | None = None, **query: str) -> AppTest:
    """A session that opens the app's root with a link's query, then ``page`` from the
    navigation."""
    return open_app(page, timeout=60, navigate=True, **query)


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [str(m.value) for m in at.metric]
    return "\n".join(parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(page: str) -> None:
    at = app(page)
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_overview_shows_nps_with_interval_and_three_findings() -> None:
    at = app()
    assert at.metric[0].label.startswith("NPS, ")
    assert "95% interval" in _texts(at)
    findings = [m.value for m in at.markdown if m.value[:2] in ("1.", "2.", "3.")]
    assert len(findings) == 3


def test_changing_a_filter_changes_the_numbers() -> None:
    """The industries filter (here set through the URL) changes the overview NPS."""
    everyone = app().metric[0].value
    online = app(industries="Online retailers")
    assert online.metric[0].value != everyone
    assert int(online.metric[0].value.replace("+", "")) > 40  # e-commerce is calibrated near 62
    assert online.query_params["industries"] == "Online retailers"


def test_url_parameters_restore_filters() -> None:
    at = app(countries="DE,JP", waves="2024Q4")
    assert at.multiselect(key="f_countries").value == ["DE", "JP"]
    assert at.multiselect(key="f_waves").value == ["2024Q4"]


def test_bad_url_parameters_are_ignored_with_a_notice() -> None:
    at = app(countries="XX,<script>alert(1)</script>", dataset="nope", waves="'; drop table x")
    assert not at.exception
    assert at.multiselect(key="f_countries").value == []
    assert at.selectbox(key="f_dataset").value == "demo"
    assert len(at.toast) >= 1


def test_filters_with_no_data_say_so() -> None:
    at = app(industries="Banking", channels="direct")
    assert not at.exception
    assert any("No respondents match" in i.value for i in at.info)


def test_small_groups_are_suppressed_on_the_brands_page() -> None:
    at = app("pages/brands.py", countries="SE", waves="2023Q1")
    assert not at.exception
    at.toggle(key="data_brand_nps_ranking").set_value(True).run()
    table = at.dataframe[0].value
    small = table[table["Responses (n)"] < 30]
    assert len(small) > 0
    assert small["n too small"].all()
    assert small["NPS"].isna().all()


def test_moving_a_revenue_slider_changes_the_result() -> None:
    at = app("pages/revenue.py")
    total = at.metric[0].value
    at.slider(key="pick_revenue_dissatisfied_share").set_value(30.0).run()
    assert at.metric[0].value != total
    assert at.query_params["dissatisfied_share"] == "0.3"


def test_revenue_scenarios_are_saved_in_the_database_and_deleted() -> None:
    at = app("pages/revenue.py")
    at.text_input(key="rev_scenario_name").set_value("Base").run()
    at.button(key="rev_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    picker = at.selectbox(key="rev_pick")
    assert picker.options[0] == "Base"  # the newest first (other tests may have saved some)
    at.button(key="rev_delete").click().run()
    assert not at.exception
    left = [s for s in at.selectbox if s.key == "rev_pick"]
    assert not left or "Base" not in left[0].options


def test_revenue_from_data_preset_uses_survey_inputs() -> None:
    at = app("pages/revenue.py")
    at.selectbox(key="pick_revenue_preset").set_value("from-data").run()
    assert not at.exception
    assert at.selectbox(key="pick_revenue_brand").value
    assert at.slider(key="pick_revenue_dissatisfied_share").value != pytest.approx(12.6)


def test_upload_page_shows_mapping_and_report_then_stores() -> None:
    import polars as pl
    from support import survey_files as sf

    at = app("pages/upload.py")
    assert not at.exception
    data = sf.qualtrics(sf.answers(120))
    at.file_uploader[0].upload("export.csv", data, "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    labels = boxes(at)  # one "taken as" control per column
    assert labels["Q3"] == "Likelihood to recommend (0-10)"
    assert labels["Q1"] == "Country"
    assert labels["Q3_NPS_GROUP"] == "— not used —"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rows read"] == "120" and metrics["Rows accepted"] == "120"
    at.text_input(key=next(t.key for t in at.text_input if t.label == "Dataset name")).set_value(
        "apptest"
    )
    at.button(key="up_store").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Stored 'apptest': 120 rows" in s.value for s in at.success)
    # the app holds the file open writable; a second connection must use the same mode
    con = connect.connect(connect.default_db_path(), read_only=False)
    try:
        stored = sql.run(con, "datasets").filter(pl.col("dataset") == "apptest")
    finally:
        con.close()
    assert stored["kind"].to_list() == ["upload"] and stored["rows"].to_list() == [120]


def test_upload_page_reports_an_unusable_file_in_one_line() -> None:
    at = app("pages/upload.py")
    at.file_uploader[0].upload("empty.csv", b"", "text/csv")
    at.run()
    assert not at.exception
    assert any("is empty" in e.value for e in at.error)


def test_analyst_deletes_an_uploaded_dataset() -> None:
    from support import survey_files as sf

    at = app("pages/upload.py")
    at.file_uploader[0].upload("to-delete.csv", sf.plain(sf.answers(60)), "text/csv")
    at.run()
    at.button(key="up_store").click()
    at.run()
    assert any("Stored 'to-delete'" in s.value.replace("\\", "") for s in at.success)
    at.selectbox(key="up_del").set_value("to-delete")
    at.checkbox(key="up_del_sure").check()
    at.run()
    at.button(key="up_del_go").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]

    con = connect.connect(connect.default_db_path(), read_only=False)  # the app holds it writable
    try:
        names = sql.run(con, "datasets")["dataset"].to_list()
    finally:
        con.close()
    assert "to-delete" not in names
    assert not (uploads_root(connect.default_db_path()) / "to-delete").exists()


def test_a_standard_qualtrics_matrix_export_maps_all_eight_stages() -> None:
    """Stages as one matrix question ("... - Use"): every stage maps by itself, and the
    mapping step shows each question in full (nothing cut)."""
    from support import survey_files as sf

    at = app("pages/upload.py")
    at.file_uploader[0].upload("matrix.csv", sf.qualtrics_matrix(sf.answers(80)), "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    taken = boxes(at)
    for i, stage in enumerate(sf.MATRIX_LABELS):
        assert taken[f"Q5_{i + 1}"] == f"Satisfaction: {stage}", (stage, taken[f"Q5_{i + 1}"])
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert f"{sf.MATRIX_QUESTION} - Use" in captions


def test_voice_page_shows_topics_terms_and_filtered_masked_examples() -> None:
    at = app("pages/voice.py")
    assert not at.exception, [e.value for e in at.exception]
    assert at.metric[0].label == "Comments" and int(at.metric[0].value.replace(",", "")) > 0
    titles = _texts(at)
    assert "Detractors write" in titles and "95% interval" in titles
    at.selectbox(key="pick_voice_topic").set_value("waiting").run()
    at.selectbox(key="pick_voice_group").set_value("detractor").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["topic"] == "waiting" and at.query_params["group"] == "detractor"
    metas = [c.value for c in at.caption if " · score " in c.value]
    assert metas, "example comments are listed"
    for meta in metas:
        score = int(meta.split(" · score ")[1].split(" ")[0])
        assert score <= 6 and "Waiting and service time" in meta


def test_voice_page_on_an_uploaded_file_with_open_answers() -> None:
    from support import survey_files as sf

    at = app("pages/upload.py")
    at.file_uploader[0].upload("with-comments.csv", sf.qualtrics(sf.answers(200)), "text/csv")
    at.run()
    labels = boxes(at)
    assert labels["Q5"].startswith("Open answers")
    at.button(key="up_store").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at = app("pages/voice.py", dataset="with-comments")
    assert not at.exception, [e.value for e in at.exception]
    text = _texts(at).replace("\\", "")  # texts from data are Markdown-escaped
    assert "uploaded survey: with-comments" in text
    assert "415 555 0134" not in text and "13812345678" not in text
    assert "[phone]" in text or "[e-mail]" in text


@pytest.mark.parametrize("report", REPORTS, ids=[r.key for r in REPORTS])
def test_every_page_says_the_chosen_level_and_never_another(report: Any) -> None:
    at = open_page(f"pages/{report.key}.py", confidence="0.9")
    shown = texts(at)
    assert not re.search(r"\b(95|99) ?%", shown), re.findall(r".{40}\b(?:95|99) ?%.{20}", shown)
    if report.key not in ("revenue", "industries"):
        assert "90%" in shown, report.key


def test_journey_on_an_upload_with_weak_drivers_gives_no_advice() -> None:
    """Random stage answers (as in a small upload) explain almost nothing of NPS."""
    from support import survey_files as sf

    stored_upload("weak.csv", sf.qualtrics(sf.answers(400, seed=11)), "weak")
    page = open_page("pages/journey.py", dataset="weak")
    shown = texts(page)
    assert "Fix " not in shown and "no stage can be named" in shown and "R²" in shown


def test_published_cards_cite_publisher_year_and_title_not_files() -> None:
    at = open_page("pages/channels.py")
    shown = texts(at)
    assert "seed file" not in shown and ".txt" not in shown and "neo_direct_share" not in shown
    assert "NeoCRM (Xiaoshouyi), 2023" in shown and "Blue book" in shown


def test_the_nps_tile_is_the_latest_wave_with_its_change(con: duckdb.DuckDBPyConnection) -> None:
    from cx.metrics import measures

    at = open_page("pages/overview.py")
    tile = at.metric[0]
    by_wave = measures.nps_by(run_on(con), Selection(), "wave").sort("wave")
    last = by_wave.row(-1, named=True)
    assert tile.label == f"NPS, {last['wave']}"
    assert tile.value == f"{last['nps']:+.0f}".replace("+0", "0")
    assert "vs " + by_wave.row(-2, named=True)["wave"] in texts(at)
    chart = BY_KEY["overview"].charts(
        BY_KEY["overview"].compute(run_on(con), Selection(), Options()),
        dataset_source(run_on(con), "demo"),
    )[0]
    low, high = chart.figure.layout.yaxis.range
    assert low <= 0 <= high and high - low >= 40


def test_one_wave_shows_a_note_not_a_one_point_trend() -> None:
    at = open_page("pages/overview.py", waves="2024Q4")
    assert any("One wave" in i.value for i in at.info)
    assert all("NPS by wave" not in m.value for m in at.markdown)


def test_an_upload_without_industries_gets_findings_it_supports() -> None:
    from support import survey_files as sf

    stored_upload("one.csv", sf.plain(sf.answers(300, seed=5)), "one")
    over = open_page("pages/overview.py", dataset="one")
    shown = texts(over)
    assert "All respondents" not in shown and "leads the sample" not in shown
    count = len([m for m in over.markdown if m.value[:2] in ("1.", "2.", "3.")])
    heading = {1: "Key finding", 2: "Two findings", 3: "Three findings"}[count]
    assert heading in shown
    industries = open_page("pages/industries.py", dataset="one")
    assert "All respondents leads" not in texts(industries)
    # its answers have no industry: named as the placeholder is, not "NPS of None"
    assert "None" not in texts(industries)
    assert "(this dataset has no industries)" in texts(industries)
    # the demo's industries agree with the published ones by construction, and say so; an
    # upload's are its own
    assert "calibrated to the published NPS" not in texts(industries)
    assert "calibrated to the published NPS" in texts(open_page("pages/industries.py"))


def test_an_upload_without_switching_or_outlets_says_so_rather_than_draw_them_empty() -> None:
    """On an upload with no switching question and no outlet column, Channels drew empty
    switching axes headed "Too few channels with enough responses to compare", and What changed
    said no outlet had enough responses: each now says the dataset has no such field."""
    from support import survey_files as sf

    stored_upload("q.csv", sf.qualtrics(sf.answers(400, seed=7)), "lacks")
    channels = texts(open_page("pages/channels.py", dataset="lacks"))
    assert "Intention to switch brand: not in this dataset" in channels
    assert "Too few channels" not in channels and "Switching intent" not in channels
    changes = texts(open_page("pages/changes.py", dataset="lacks"))
    assert "Dealer / outlet id: not in this dataset" in changes
    assert "No outlet has" not in changes


def test_filters_show_names_and_channels_are_capitalised() -> None:
    at = open_page("pages/channels.py", countries="DE,JP")
    assert at.multiselect(key="f_countries").format_func("DE") == "Germany"
    shown = texts(at)
    assert re.search(r"\b(Direct|Dealer|Agency) sales", shown)
    assert not re.search(r"\b(direct|dealer) (sales )?(lead|score)", shown)


def test_the_map_has_outlines_a_legend_and_its_own_finding(con: duckdb.DuckDBPyConnection) -> None:
    report = BY_KEY["countries"]
    charts = {
        c.key: c
        for c in report.charts(
            report.compute(run_on(con), Selection(), Options()), dataset_source(run_on(con), "demo")
        )
    }
    assert charts["country_map"].title != charts["country_nps"].title
    assert charts["country_map"].title.startswith("NPS is highest in")  # about the map
    fig = charts["country_map"].figure
    assert fig.data[0].fill == "toself" and len([x for x in fig.data[0].x if x is None]) > 100
    assert fig.data[1].marker.colorbar.title.text == "NPS"
    at = open_page("pages/countries.py")
    spec = next(p for p in at.get("deck_gl_json_chart")).proto.json
    assert "PolygonLayer" in spec  # country outlines shipped with the app (no tiles needed)
    deck = json.loads(spec)
    # no basemap at all: pydeck's "__MAP_STYLE__" with no provider is Streamlit's "none"; a
    # missing style would make the browser fetch Carto's, and an inline blank style took the
    # browser a second and a half to load on every visit (then jumped to its size)
    assert deck.get("mapStyle") == "__MAP_STYLE__" and "mapProvider" not in deck
    assert len(deck["layers"][0]["data"]) > 100  # the outlines, under the circles
    # circles in pixels, not metres (which grew with latitude on the projection)
    circles = deck["layers"][1]
    assert circles["radiusUnits"] in ("pixels", "@@=pixels")  # pydeck may mark it an expression
    assert all(c["radius"] <= maps.CIRCLE_PX[1] / 2 for c in circles["data"])
    # its sea colour from the page's stylesheet: everywhere it is panned or zoomed out to
    assert f'[data-testid="stDeckGlJsonChart"] {{ background-color: {theme.SEA}; }}' in (
        cards.TILE_STYLE
    )
    assert any(cards.TILE_STYLE in h.proto.body for h in at.get("html"))
    assert any("Circle size" in c.value for c in at.caption)


def test_an_unexpected_error_shows_a_reference_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import logging

    from components import page

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom in /srv/cxbench/secret.py with respondent R_12345")

    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("cxbench")
    logger.addHandler(handler)
    monkeypatch.setattr(page, "compute", broken)
    try:
        at = open_app("pages/brands.py")
    finally:
        logger.removeHandler(handler)
    assert not at.exception, [e.value for e in at.exception]
    (error,) = [e.value for e in at.error]
    assert "Something went wrong" in error and "reference" in error
    assert "boom" not in error and "/srv" not in error and "Traceback" not in error
    ref = re.search(r"reference ([0-9a-f]{8})", error)
    assert ref is not None
    logged = [json.loads(r) for r in records if '"page_error"' in r]
    assert [e["ref"] for e in logged] == [ref.group(1)]
    assert "RuntimeError: boom" in logged[0]["traceback"] and logged[0]["where"] == "brands"
    assert at.sidebar  # the rest of the app (navigation, filters) is still there


def test_the_methods_page_describes_the_driver_model_the_journey_uses() -> None:
    """Methods said "relative weights of the 8 stage scores" while Journey's model leaves
    Recommend out (7 stages): both now read the same facts from cx.metrics.drivers."""
    at = app("pages/methods.py")
    text = _texts(at)
    assert "8 stage scores" not in text
    assert "Recommend is not a predictor" in text and "adjusted R²" in text


def test_a_country_filter_is_named_under_every_survey_chart() -> None:
    """With Germany chosen the cards still said "all 13 industries · n = 18,255" and nothing of
    Germany, so a chart exported alone lost its filter; the source line now names it."""
    at = app(countries="DE")
    assert not at.exception
    subtitles = [
        c.value.replace("\\", "") for c in at.caption if c.value.startswith("Survey sample")
    ]
    assert subtitles and all("countries: Germany" in s for s in subtitles), subtitles[:3]
    assert not [s for s in subtitles if "countries: DE" in s]  # said once, by name


def test_a_chart_with_every_group_too_small_draws_a_note_not_empty_axes() -> None:
    """Left from before, seen again by the review: under a narrow selection and a high minimum
    n, "No brand has enough responses to report" stood over empty axes. The card says why
    there is nothing to draw and how to get something; a chart with groups to show is drawn."""
    narrow = open_page("pages/brands.py", countries="JP", waves="2024Q4", min_n="400")
    assert any("nothing to draw" in i.value for i in narrow.info), [i.value for i in narrow.info]
    drawn = open_page("pages/brands.py")
    assert not any("nothing to draw" in i.value for i in drawn.info)
    assert len(drawn.get("plotly_chart")) > len(narrow.get("plotly_chart"))
