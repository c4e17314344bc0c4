"""Exports: PowerPoint decks with native charts, Excel workbooks, PNG/SVG images, the CLI; the
chosen level, intervals, every label and the revenue assumptions in decks; labels that are
formulas written as text.

Deck tests open the produced files with python-pptx / openpyxl and compare what is inside with
what the query layer returns for the same filters.
"""

from __future__ import annotations

import io
import math
import re
import shutil
import struct
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import polars as pl
import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from pptx.util import Emu
from support.cli import cx
from support.reports import run_on

from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import connect, sql
from cx.data.database import Database
from cx.exports import slides as slide_layout
from cx.exports.chart import Chart, DeckMeta
from cx.exports.images import image_export_status, titled_image
from cx.exports.safety import safe_csv
from cx.exports.slides import pptx_deck
from cx.exports.workbook import xlsx_workbook
from cx.ingest.mapping import detect_mapping
from cx.ingest.normalise import normalise
from cx.ingest.read import read_survey
from cx.ingest.store import store
from cx.metrics import measures
from cx.models import revenue
from cx.reports.base import dataset_source
from cx.reports.registry import BY_KEY, REPORTS

ROOT = Path(__file__).resolve().parents[2]
SOURCE = "Survey sample (synthetic demo survey: demo)"
NEEDS_CHROMIUM = pytest.mark.skipif(
    image_export_status() is not None, reason="no Chromium for kaleido here"
)


def _run(con: duckdb.DuckDBPyConnection) -> Any:
    return lambda n, p: sql.run(con, n, p)


def _charts(
    con: duckdb.DuckDBPyConnection,
    page: str,
    sel: Selection,
    opts: Options | None = None,
    **picks: Any,
) -> list[Chart]:
    report = BY_KEY[page]
    result = report.compute(_run(con), sel, opts or Options(), **picks)
    return report.charts(result, dataset_source(_run(con), sel.dataset))


def _meta(sel: Selection) -> DeckMeta:
    return DeckMeta("Brands", sel.describe(), "demo", highlights=("A finding.",))


def _chart_slides(prs: Any) -> list[Any]:
    return [s for s in prs.slides if any(sh.has_chart for sh in s.shapes)]


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def _slide_texts(slide: Any) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def test_brands_deck_has_native_charts_with_the_query_numbers(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sel = Selection(dataset="demo", countries=("DE", "US"))
    charts = _charts(con, "brands", sel)
    prs = Presentation(io.BytesIO(pptx_deck(charts, _meta(sel))))
    slides = list(prs.slides)
    assert len(slides) == 1 + len(charts) == 4
    assert prs.slide_width / prs.slide_height == pytest.approx(16 / 9, rel=1e-3)
    title_text = " ".join(_slide_texts(slides[0]))
    assert "countries: DE, US" in title_text and "A finding." in title_text

    # the ranking slide: a native clustered bar chart whose categories and values are the
    # brands' NPS from the query layer (Automakers, the page's default industry), best first
    sums = measures.nps_pair_sums(
        _run(con), sel.with_filter("industries", ["Automakers"]), "brand", "industry"
    )
    expected = measures.versus_rest(sums, "brand", within="industry").sort(
        "nps", descending=True, nulls_last=True
    )
    ranking = slides[1]
    frames = [s for s in ranking.shapes if s.has_chart]
    assert len(frames) == 1
    chart = frames[0].chart
    assert chart.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    # each category carries its value beside the name (never a label on an error bar)
    names = [c.split("  ")[0] for c in chart.plots[0].categories]
    assert names == expected["brand"].to_list()
    values = list(chart.plots[0].series[0].values)
    want = [None if s else v for v, s in zip(expected["nps"], expected["suppressed"], strict=True)]
    assert all(_close(a, b) for a, b in zip(values, want, strict=True))
    texts = _slide_texts(ranking)
    assert charts[0].title in texts
    assert any(
        t.startswith("Survey sample (synthetic demo survey: demo) · ") and "n = " in t
        for t in texts
    )  # footnote

    split = next(s for s in slides[2].shapes if s.has_chart).chart
    assert split.chart_type == XL_CHART_TYPE.BAR_STACKED
    assert [s.name for s in split.plots[0].series] == [  # the screen's order
        "Detractors (0-6)",
        "Passives (7-8)",
        "Promoters (9-10)",
    ]
    # the small fixture has no brand with enough answers per wave in Germany and the US: the
    # trend's slide says so, as its card does, where it drew empty axes
    assert charts[2].nothing_shown
    assert not any(s.has_chart for s in slides[3].shapes)
    assert charts[2].nothing_shown_note in _slide_texts(slides[3])
    wide = _charts(con, "brands", Selection(dataset="demo"))[2]
    assert not wide.nothing_shown
    deck = Presentation(io.BytesIO(pptx_deck([wide], _meta(Selection(dataset="demo")))))
    trend = next(s for s in list(deck.slides)[1].shapes if s.has_chart).chart
    assert trend.chart_type == XL_CHART_TYPE.LINE_MARKERS
    assert len(list(trend.plots[0].series)) == 3  # the top three brands, as on screen


def test_suppressed_groups_are_empty_in_the_deck_not_numbers(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sel = Selection(dataset="demo", countries=("JP",), waves=("2024Q1",))
    charts = _charts(con, "brands", sel)
    ranking = charts[0]
    suppressed = ranking.table.filter(pl.col("n too small"))
    assert suppressed.height > 0, "fixture should leave some brands under the minimum n"
    assert ranking.native is not None
    names = [c.split("  ")[0] for c in ranking.native.categories]
    values = dict(zip(names, ranking.native.series[0][1], strict=True))
    assert all(values[b] is None for b in suppressed["Brand"])


@pytest.mark.parametrize(
    ("page", "types"),
    [
        ("industries", [XL_CHART_TYPE.BAR_CLUSTERED, XL_CHART_TYPE.BAR_CLUSTERED]),
        (
            "channels",
            [
                XL_CHART_TYPE.BAR_CLUSTERED,
                XL_CHART_TYPE.COLUMN_CLUSTERED,
                XL_CHART_TYPE.BAR_STACKED,
                XL_CHART_TYPE.COLUMN_CLUSTERED,
            ],
        ),
        ("revenue", [XL_CHART_TYPE.COLUMN_STACKED, XL_CHART_TYPE.BAR_CLUSTERED]),
    ],
)
def test_every_chart_of_a_page_is_a_native_chart(
    con: duckdb.DuckDBPyConnection, page: str, types: list[Any]
) -> None:
    sel = Selection(dataset="demo")
    charts = _charts(con, page, sel)
    prs = Presentation(io.BytesIO(pptx_deck(charts, _meta(sel))))
    found = [
        next(s for s in slide.shapes if s.has_chart).chart.chart_type
        for slide in _chart_slides(prs)
    ]
    assert found == types


def test_channel_stage_chart_values_match_the_stage_query(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sel = Selection(dataset="demo")
    charts = {c.key: c for c in _charts(con, "channels", sel)}
    native = charts["channel_stages"].native
    assert native is not None
    stages = measures.stage_by(
        lambda n, p: sql.run(con, n, p),
        sel.with_filter("industries", ["Automakers"]),
        "channel",
        Options(),
    )
    names = {"Dealer": "dealer", "Direct": "direct", "Agency": "agency"}
    for name, values in native.series:
        for label, value in zip(native.categories, values, strict=True):
            row = stages.filter((pl.col("channel") == names[name]) & (pl.col("label") == label))
            assert row.height == 1
            assert _close(value, None if row["suppressed"][0] else row["top2_pct"][0])


@NEEDS_CHROMIUM
def test_heatmap_and_map_go_in_as_images(con: duckdb.DuckDBPyConnection) -> None:
    sel = Selection(dataset="demo")
    charts = [
        c for c in _charts(con, "journey", sel) if c.key in ("stage_top2", "brand_stage_heatmap")
    ]
    assert charts[1].key == "brand_stage_heatmap" and charts[1].native is None
    prs = Presentation(io.BytesIO(pptx_deck(charts, _meta(sel))))
    heat = list(prs.slides)[2]
    pictures = [s for s in heat.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
    assert len(pictures) == 1
    blob = pictures[0].image.blob
    assert blob[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", blob[16:24])
    assert (width, height) == (4200, 1650)  # 3x, the chart box's shape (16:9 left a third)
    title_height = slide_layout.fitted_title(charts[1].title)[1]
    left, _top, box_width, _height = slide_layout.chart_box(title_height)
    assert abs(pictures[0].width - Emu(int(box_width * 914400))) < 914400 * 0.02
    assert abs(pictures[0].left - Emu(int(left * 914400))) < 914400 * 0.02


def test_excel_has_a_summary_and_one_sheet_per_chart_with_human_names(
    con: duckdb.DuckDBPyConnection,
) -> None:
    sel = Selection(dataset="demo", segments=("mass",))
    charts = _charts(con, "channels", sel)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_workbook(charts, _meta(sel))))
    assert book.sheetnames == ["Summary", *[c.name for c in charts]]
    assert all("_" not in name for name in book.sheetnames)
    about = {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True) if r[0]}
    assert about["Filters"] == "segments: mass"
    first = charts[0]
    sheet = book[first.name]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == first.table.columns
    assert all("_" not in str(c) for c in rows[0])  # human column names
    assert sheet.freeze_panes == "A2"
    assert len(rows) - 1 == first.table.height
    nps_col = first.table.columns.index("NPS")
    for got, want in zip([r[nps_col] for r in rows[1:]], first.table["NPS"], strict=True):
        assert _close(got, want)
    # numbers carry number formats, not 15-digit floats
    assert sheet.cell(row=2, column=nps_col + 1).number_format == "+0.0;-0.0;0.0"


def test_excel_keeps_hostile_strings_as_text() -> None:
    table = pl.DataFrame({"brand": ['=HYPERLINK("http://x","y")', "<script>x</script>", "-5"]})
    chart = Chart("k", "=1+1", "sub", None, table, native=None)
    meta = DeckMeta("P", "@SUM(A1)", "d", "s")
    book = openpyxl.load_workbook(io.BytesIO(xlsx_workbook([chart], meta)))
    cells = [row[0] for row in book["K"].iter_rows()][1:]
    # stored as text and marked text (Excel's quote prefix), not with an apostrophe written
    # into the cell: "'-24 -31 to -17 (95% interval)" showed its apostrophe (a review)
    assert [c.value for c in cells] == ['=HYPERLINK("http://x","y")', "<script>x</script>", "-5"]
    assert [c.quotePrefix for c in cells] == [True, False, True]
    assert all(c.data_type == "s" for row in book["K"].iter_rows() for c in row)
    about = {c.value: c for row in book["Summary"].iter_rows() for c in row if c.value}
    assert about["@SUM(A1)"].quotePrefix and about["=1+1"].quotePrefix
    assert not any(str(v).startswith("'") for v in about)


@NEEDS_CHROMIUM
def test_png_is_twice_the_size_and_svg_parses(con: duckdb.DuckDBPyConnection) -> None:
    chart = _charts(con, "industries", Selection(dataset="demo"))[1]
    png = titled_image(chart, "png", "16:9")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (3200, 1800)
    small = titled_image(chart, "png", "chart")
    assert struct.unpack(">II", small[16:24]) == (2000, 1200)
    svg = ET.fromstring(titled_image(chart, "svg", "16:9"))  # noqa: S314 (our own output)
    assert svg.tag.endswith("svg")
    assert "Automakers" in ET.tostring(svg, encoding="unicode")


def test_image_export_says_why_when_there_is_no_browser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CX_CHROMIUM", "/nonexistent/chromium")
    reason = image_export_status()
    assert reason and "Chromium" in reason


def test_cli_export_pptx_reflects_url_style_filters(fixture_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "deck.pptx"
    proc = cx(
        "export", "--page", "industries", "--format", "pptx", "--out", str(out),
        "--db", str(fixture_db), "--countries", "DE,FR",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    prs = Presentation(str(out))
    assert len(prs.slides) == 3
    assert "countries: DE, FR" in " ".join(_slide_texts(next(iter(prs.slides))))
    con = connect.connect(fixture_db)
    try:
        expected = measures.nps_by(
            lambda n, p: sql.run(con, n, p),
            Selection(dataset="demo", countries=("DE", "FR")),
            "industry",
        )
    finally:
        con.close()
    chart = next(s for s in list(prs.slides)[2].shapes if s.has_chart).chart
    names = [c.split("  ")[0] for c in chart.plots[0].categories]
    got = dict(zip(names, chart.plots[0].series[0].values, strict=True))
    for row in expected.iter_rows(named=True):
        assert _close(got[row["industry"]], None if row["suppressed"] else row["nps"])


@NEEDS_CHROMIUM
def test_cli_export_png_writes_numbered_files(fixture_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "brands.png"
    proc = cx(
        "export", "--page", "brands", "--format", "png", "--out", str(out),
        "--db", str(fixture_db),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["brands-2.png", "brands-3.png", "brands.png"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--countries", "XX"], "Ignored unknown countries"),
        (["--dataset", "nope"], "unknown dataset"),
        (["--set", "gross_margin=2"], "--set applies to --page revenue only"),
        (["--out", "/nonexistent/dir/x.pptx"], "no such folder"),
    ],
)
def test_cli_export_bad_input_is_one_line_exit_2(
    fixture_db: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    base = ["export", "--page", "brands", "--format", "pptx", "--db", str(fixture_db)]
    if "--out" not in args:
        base += ["--out", str(tmp_path / "x.pptx")]
    proc = cx(*base, *args)
    assert proc.returncode == 2
    assert message in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.pptx").exists()


def test_cli_export_revenue_takes_model_overrides(tmp_path: Path, fixture_db: Path) -> None:
    from cx.models import revenue

    out = tmp_path / "rev.xlsx"
    proc = cx(
        "export", "--page", "revenue", "--format", "xlsx", "--out", str(out),
        "--db", str(fixture_db), "--set", "vehicles_per_year=1000000",
        "--pick", f"preset={revenue.CALIBRATION_PRESET}",  # the published calibration below
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    book = openpyxl.load_workbook(out)
    rows = {r[0]: r[1] for r in book["Revenue at risk"].iter_rows(values_only=True)}
    result = revenue.compute(revenue.resolve(overrides={"vehicles_per_year": 1_000_000}))
    assert _close(rows["Total revenue at risk"], result["total_at_risk_usd"])
    bad = cx(
        "export", "--page", "revenue", "--format", "xlsx", "--out", str(out),
        "--db", str(fixture_db), "--set", "vehicles_per_year=-4",
    )  # fmt: skip
    assert bad.returncode == 2 and "outside its range" in bad.stderr


def test_cli_export_at_90_percent_never_says_95(fixture_db: Path, tmp_path: Path) -> None:
    for page in ("brands", "overview", "journey"):
        out = tmp_path / f"{page}.pptx"
        proc = cx("export", "--page", page, "--format", "pptx", "--out", str(out),
                  "--db", str(fixture_db), "--confidence", "0.9")  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        xml = "".join(
            zipfile.ZipFile(out).read(n).decode("utf-8", "ignore")
            for n in zipfile.ZipFile(out).namelist()
            if n.endswith(".xml")
        )
        assert "95%" not in xml and "90% interval" in xml, page


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


# ---- exports of a dataset whose labels are formulas -------------------------------------------


#: Brand names a spreadsheet would run (the issue found them as live <f> in decks' workbooks).
FORMULA_BRANDS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("https://evil.example/x","Open the report")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    '@HYPERLINK("https://evil.example/y")',
]


@pytest.fixture(scope="module")
def formula_db(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with an uploaded dataset ``hostile`` whose brands (and label) are formulas."""
    from support import survey_files as sf

    path = tmp_path_factory.mktemp("formulas") / "cx.duckdb"
    shutil.copy(fixture_db, path)
    rows = sf.answers(400)
    for i, row in enumerate(rows):
        row["brand"] = FORMULA_BRANDS[i % len(FORMULA_BRANDS)]
    data = sf.plain(rows)
    raw = read_survey(data, "hostile.csv")
    result = normalise(raw, detect_mapping(raw), "hostile")
    assert result.rejected.height == 0
    with Database(str(path), read_only=False) as database:
        store(database, result, "hostile", "@SUM(A1:A9)", data, "hostile.csv")
    return path


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _live(texts: list[str]) -> list[str]:
    """Texts a spreadsheet would run as formulas (numbers such as -5 are numbers)."""
    from cx.exports.safety import FORMULA_PREFIXES

    return [t for t in texts if t.startswith(FORMULA_PREFIXES) and not _is_number(t)]


def _workbook_texts(data: bytes) -> list[str]:
    """Every text cell of an .xlsx, after checking that no cell is a formula."""
    import io
    import zipfile

    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = book.read(name).decode()
                assert not re.search(r"<f[ >]", xml), f"formula in {name}"
    texts = []
    for sheet in openpyxl.load_workbook(io.BytesIO(data)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", cell.coordinate
                if isinstance(cell.value, str):  # marked text (quote prefix) as a spreadsheet
                    # shows it typed: with its apostrophe
                    texts.append(("'" if cell.quotePrefix else "") + cell.value)
    return texts


def _deck_workbooks(data: bytes) -> list[bytes]:
    """The workbooks embedded in a deck's native charts (what "Edit data" opens)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as deck:
        return [deck.read(n) for n in deck.namelist() if n.startswith("ppt/embeddings/")]


def _hostile_charts(path: Path) -> tuple[list, DeckMeta]:
    from cx.core.options import Options
    from cx.reports.base import dataset_source
    from cx.reports.registry import REPORTS

    con = connect.connect(path)
    try:
        run = lambda n, p: sql.run(con, n, p)  # noqa: E731
        sel = Selection(dataset="hostile")
        charts = []
        for report in REPORTS:
            charts += report.charts(
                report.compute(run, sel, Options()), dataset_source(run, "hostile")
            )
    finally:
        con.close()
    return charts, DeckMeta("Brands", sel.describe(), "@SUM(A1:A9)", "=1+1")


def _neutralised_brands(texts: list[str]) -> set[str]:
    return {b for b in FORMULA_BRANDS for t in texts if t == "'" + b or t.startswith("'" + b)}


def test_app_csv_of_every_chart_neutralises_formula_labels(formula_db: Path) -> None:
    import csv
    import io

    charts, _ = _hostile_charts(formula_db)
    texts = []
    for chart in charts:
        text = safe_csv(chart.table).decode("utf-8-sig")
        texts += [field for row in csv.reader(io.StringIO(text)) for field in row]
    assert not _live(texts), _live(texts)[:5]
    assert _neutralised_brands(texts) == set(FORMULA_BRANDS)


def test_app_excel_writes_formula_labels_as_text(formula_db: Path) -> None:
    charts, meta = _hostile_charts(formula_db)
    texts = _workbook_texts(xlsx_workbook(charts, meta))
    assert not _live(texts), _live(texts)[:5]
    assert _neutralised_brands(texts) == set(FORMULA_BRANDS)


def test_app_powerpoint_chart_workbooks_hold_no_formula(formula_db: Path) -> None:
    """Each native chart embeds an .xlsx; none may hold an <f> element or a live label."""
    charts, meta = _hostile_charts(formula_db)
    books = _deck_workbooks(pptx_deck(charts, meta))
    assert books
    texts = [t for book in books for t in _workbook_texts(book)]
    assert not _live(texts), _live(texts)[:5]
    assert _neutralised_brands(texts) == set(FORMULA_BRANDS)


@pytest.mark.parametrize("fmt", ["pptx", "xlsx"])
def test_cli_export_writes_formula_labels_as_text(
    formula_db: Path, tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"brands.{fmt}"
    proc = cx("export", "--page", "brands", "--format", fmt, "--out", str(out),
               "--dataset", "hostile", "--db", str(formula_db))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    books = _deck_workbooks(out.read_bytes()) if fmt == "pptx" else [out.read_bytes()]
    texts = [t for book in books for t in _workbook_texts(book)]
    assert not _live(texts), _live(texts)[:5]
    assert _neutralised_brands(texts) == set(FORMULA_BRANDS)


def test_cli_nps_csv_neutralises_formula_labels(formula_db: Path) -> None:
    import csv
    import io

    proc = cx("nps", "--dataset", "hostile", "--db", str(formula_db), "--by", "brand",
               "--format", "csv")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    fields = [f for row in csv.reader(io.StringIO(proc.stdout)) for f in row]
    assert not _live(fields), _live(fields)[:5]
    assert _neutralised_brands(fields) == set(FORMULA_BRANDS)


def test_a_deferred_figure_is_built_once_when_first_read() -> None:
    """A chart the screen does not draw (the country map's Plotly twin) costs nothing until an
    export reads its figure, and is built once."""
    from cx.exports.chart import Deferred

    built: list[int] = []

    def build(value: int) -> dict[str, int]:
        built.append(value)
        return {"figure": value}

    chart = Chart("k", "title", "subtitle", Deferred(build, 7), pl.DataFrame())
    assert built == []
    assert chart.figure == {"figure": 7} and chart.figure == {"figure": 7}
    assert built == [7]


def test_the_country_map_twin_is_built_only_for_exports(con: duckdb.DuckDBPyConnection) -> None:
    from cx.exports.chart import Deferred

    run = run_on(con)
    report = BY_KEY["countries"]
    charts = {
        c.key: c
        for c in report.charts(
            report.compute(run, Selection(), Options()), dataset_source(run, "demo")
        )
    }
    twin = charts["country_map"]
    assert isinstance(twin.__dict__["_figure"], Deferred)
    assert twin.figure.data and not isinstance(twin.__dict__["_figure"], Deferred)


def test_the_screen_copy_of_a_figure_is_the_figure_without_its_title() -> None:
    """What a card draws: the figure copied without validating it again, its title dropped and
    its top margin cut (kept for a legend above the plot), nothing else changed."""
    import json

    import plotly.graph_objects as go
    import plotly.io as pio

    from cx.charts import figures, theme

    for legend in (False, True):
        fig = figures.titled(
            go.Figure([go.Bar(x=[1, 2], y=["a", "b"], name="one"), go.Bar(x=[2, 1], y=["a", "b"], name="two")][: 1 + legend]),
            "A finding", "n = 2", height=300,
        )  # fmt: skip
        screen = json.loads(pio.to_json(figures.screen(fig)))
        expected = json.loads(pio.to_json(fig))
        expected["layout"]["title"] = {}
        expected["layout"]["margin"] = {
            **expected["layout"].get("margin", {}),
            "t": 40 if legend else 10,
            "r": theme.MARGIN["r"],  # the template's right margin, which Streamlit's theme drops
        }
        assert screen == expected
        assert fig.layout.title.text == "<b>A finding</b>"  # the chart's own figure is untouched


def test_p_and_q_values_keep_four_decimals_in_the_workbook_and_on_screen(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Every p-value and q-value column of the Dealer scorecards' tables (which had no format of
    its own) is written to four decimals in Excel and in "Show data": to one decimal every small
    p-value read "0.0"."""
    from cx.exports.workbook import default_format

    report = BY_KEY["dealers"]
    run = run_on(con)
    charts = report.charts(report.compute(run, Selection(), Options()), dataset_source(run, "demo"))
    tested = [
        (chart, name)
        for chart in charts
        for name, dtype in chart.table.schema.items()
        if dtype.is_float() and ("p-value" in name.lower() or "q-value" in name.lower())
    ]
    assert len(tested) >= 3
    for chart, name in tested:
        assert (chart.formats.get(name) or default_format(pl.Float64, name)) == "0.0000", name
    book = openpyxl.load_workbook(
        io.BytesIO(xlsx_workbook(charts, DeckMeta("Dealer scorecards", "demo", "all")))
    )
    written = set()
    for sheet in book.worksheets:
        rows = list(sheet.iter_rows())
        for cells in ([r[i] for r in rows] for i in range(sheet.max_column)):
            names = [c.value for c in cells if isinstance(c.value, str)]
            if any("p-value" in n or "q-value" in n for n in names[:3]):
                written |= {c.number_format for c in cells if isinstance(c.value, float)}
    assert written == {"0.0000"}, written


@pytest.mark.parametrize(
    ("page", "key"), [("brands", "brand_nps_split"), ("channels", "channel_switching")]
)
def test_a_stacked_bar_slide_stacks_its_parts_in_the_screens_order(
    con: duckdb.DuckDBPyConnection, page: str, key: str
) -> None:
    """The review: the deck's promoters-and-detractors bars had promoters on the left, the
    screen's detractors (the deck ran the parts in reverse)."""
    chart = next(c for c in _charts(con, page, Selection(dataset="demo")) if c.key == key)
    assert chart.native is not None and chart.native.type == "stacked_bar"
    screen = [t.name for t in chart.figure.data if t.type == "bar"]
    assert [name for name, _values in chart.native.series] == screen


def test_what_changed_workbook_names_the_page_each_cell_is_shown_on(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The review: the workbook's "Shown on" column held the app's relative links as text
    ("dealers?waves=2024Q3%2C2024Q4&brand=Altmark&…#Dealer scorecards"), which Excel cannot
    open; it now names the page. The app's table keeps the links."""
    import openpyxl

    from cx.exports.workbook import xlsx_workbook

    chart = next(
        c for c in _charts(con, "changes", Selection(dataset="demo")) if c.key == "what_changed"
    )
    links = chart.table["Shown on"].to_list()
    assert all("#" in v for v in links if v)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_workbook([chart], _meta(Selection()))))
    sheet = next(ws for ws in book.worksheets if ws.title != book.worksheets[0].title)
    header = [c.value for c in sheet[1]]
    column = header.index("Shown on")
    written = [row[column].value for row in sheet.iter_rows(min_row=2)]
    assert written == [v.rsplit("#", 1)[1] if v else None for v in links]
    assert "Dealer scorecards" in written or "Brands" in written


def test_the_market_deck_runs_in_the_pages_reading_order(con: duckdb.DuckDBPyConnection) -> None:
    """The review: the market deck put the brand's trend (drawn last, under both columns) before
    its percentile ranks (drawn beside the ranking)."""
    keys = [c.key for c in _charts(con, "market", Selection(dataset="demo"))]
    published = [k for k in keys if k in ("market_ranking", "market_position", "market_trend")]
    assert published == ["market_ranking", "market_position", "market_trend"]


def test_a_decks_filters_line_names_the_pages_choices(con: duckdb.DuckDBPyConnection) -> None:
    """A strategist's review: the dealer deck's title slide said "Filters: countries: DE" of a
    view of Brenner's outlets, What changed's "all respondents" of 2024Q2 against 2023Q2. The
    page's choices follow the filters, each once; "all" and greyed-out choices name nothing."""
    from cx.reports.registry import BY_KEY

    run = _run(con)
    dealers = BY_KEY["dealers"]
    result = dealers.compute(run, Selection(), Options(), country="DE", brand="Brenner")
    line = dealers.filters_line(result, result.selection)
    assert line.startswith("countries: DE; Brand: Brenner; Outlet: ")
    assert "Country:" not in line and "All channels" not in line
    changes = BY_KEY["changes"]
    picked = changes.compute(run, Selection(), Options(), wave="2024Q2", since="2023Q2")
    said_changes = changes.filters_line(picked, Selection())
    assert "Wave: 2024Q2; Compared with: 2023Q2" in said_changes
    assert "Outlet" not in said_changes  # it picks the control chart drawn, not the data
    brands = BY_KEY["brands"]
    ranked = brands.compute(run, Selection(), Options())
    said = brands.filters_line(ranked, ranked.selection)
    assert "Benchmark brand" not in said and said.count("Automakers") == 1


def test_the_revenue_workbook_says_each_inputs_unit_and_lists_its_assumptions(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """A strategist's review: the Sensitivity sheet held shares as fractions (0.684) beside
    dollars and years in one column with no unit; the Assumptions sheet's name was cut to
    "Assumptions Mid-size brand w" and the summary did not list it."""
    from cx.reports import revenue as revenue_report

    result = revenue_report.compute(_run(con), Selection(), Options(), switch_probability=0.684)
    charts = revenue_report.charts(result, dataset_source(_run(con), "demo"))
    summary = revenue_report.summary(result)
    meta = DeckMeta("Revenue", "all", "demo", kpis=summary.kpis, tables=summary.tables)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_workbook(charts, meta)))
    assert book.sheetnames[-1] == "Assumptions"
    rows = list(book["Sensitivity"].iter_rows(values_only=True))
    assert rows[0][1] == "Unit"
    switching = next(r for r in rows if r[0] == "Dissatisfied who intend to switch")
    assert switching[1] == "%" and switching[2] == pytest.approx(54.72)
    listed = [r[0] for r in book["Summary"].iter_rows(values_only=True)]
    assert "Assumptions" in listed


def test_export_file_names_say_the_dataset_and_the_day() -> None:
    """Every export was ``cxbench-<page>.<ext>``: the Overview of the demo and of an upload, or
    of Monday and Friday, overwrote each other in a downloads folder, and the file did not say
    which data it held. An outlet code from an upload is kept to file-name characters."""
    import datetime as dt

    from cx.exports.chart import file_name

    day = dt.date(2026, 12, 6)
    assert file_name("demo", "overview", "pptx", day) == "cxbench-demo-overview-2026-12-06.pptx"
    assert file_name("dach_2026", "outlet-AT/Wien 1", "pptx", day) == (
        "cxbench-dach_2026-outlet-AT_Wien_1-2026-12-06.pptx"
    )
    assert file_name("", "page", "xlsx", day) == "cxbench-page-2026-12-06.xlsx"
