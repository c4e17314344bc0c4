"""Bad input at the edges: attacker-controlled strings never reach SQL text, HTML, a path
outside the data folder, or a log line unescaped."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from cx.charts import figures
from cx.core import access
from cx.core.display import plain
from cx.core.selection import Selection, from_query_params
from cx.data import connect, sql
from cx.data.database import Database
from cx.exports.chart import DeckMeta
from cx.exports.safety import safe_csv
from cx.exports.slides import pptx_deck
from cx.exports.workbook import xlsx_workbook
from cx.ingest.mapping import detect_mapping
from cx.ingest.model import MAX_FILE_MB, IngestError
from cx.ingest.normalise import normalise
from cx.ingest.read import read_survey
from cx.ingest.store import check_dataset_name, store
from cx.metrics import measures
from cx.models import revenue

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = [
    "'; drop table respondents; --",
    "<script>alert(1)</script>",
    '=HYPERLINK("http://evil","x")',
    "../../etc/passwd",
    "line\nbreak\r\x00nul",
    "**bold** [link](javascript:alert(1)) <img src=x onerror=alert(1)>",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 " * 50,
]
CODE = [*ROOT.glob("app.py"), *ROOT.glob("pages/*.py"), *ROOT.glob("components/*.py"),
        *ROOT.glob("cx/**/*.py")]  # fmt: skip


def test_no_markup_is_ever_allowed_through() -> None:
    for path in CODE:
        assert "unsafe_allow_html" not in path.read_text(), path


def test_sql_text_is_only_built_in_the_reviewed_places() -> None:
    """Every query is a .sql file with named parameters. SQL built from Python strings exists
    only where DuckDB cannot take parameters (DDL for Parquet views, COPY), from whitelisted
    table names and an operator-configured, quoted path: connect.connect_source/export_parquet."""
    allowed = {("connect.py", "connect_source")}
    offenders = []
    for path in CODE:
        tree = ast.parse(path.read_text())
        for func in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)] + [tree]:
            name = getattr(func, "name", "<module>")
            for node in ast.walk(func):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("execute", "sql")
                    and node.args
                    and not isinstance(node.args[0], ast.Constant | ast.Name | ast.Call)
                    and (path.name, name) not in allowed
                    and name != "<module>"
                ):
                    offenders.append(f"{path.name}:{node.lineno} in {name}")
    assert not offenders, offenders


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_filter_values_are_bound_parameters(fixture_db: Path, value: str) -> None:
    con = connect.connect(fixture_db)
    try:
        run = lambda n, p: sql.run(con, n, p)  # noqa: E731
        sel = Selection(countries=(value,), industries=(value,))
        assert measures.nps_by(run, sel, "brand").is_empty()  # matched as a value, nothing found
        # a hostile grouping key is not an identifier either: it maps to no column
        odd = sql.run(con, "nps_by_group", Selection().params(by=value))
        assert (
            odd["n"].sum() == sql.run(con, "nps_by_group", Selection().params(by="all"))["n"].sum()
        )
        assert con.sql("select count(*) from respondents").fetchall()[0][0] > 0
    finally:
        con.close()


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_url_parameters_are_ignored_with_a_clipped_notice(value: str) -> None:
    options = {"countries": ["DE", "US"], "waves": ["2024Q4"]}
    sel, notices = from_query_params(
        {"countries": value, "dataset": value, value[:20]: "x"}, options, ["demo"]
    )
    assert sel == Selection()
    assert notices and all(len(n) < 200 and "\n" not in n and "\x00" not in n for n in notices)


@pytest.mark.parametrize("value", HOSTILE)
def test_chart_text_and_markdown_are_escaped(value: str) -> None:
    fig = figures.bars(
        pl.DataFrame({"brand": [value, "B"], "v": [1.0, 2.0]}), "brand", "v", value, value
    )
    spec = fig.to_json()
    assert "<script>" not in spec and "<img" not in spec
    text = plain(value)
    assert "**" not in text.replace("\\*\\*", "") and "[link](" not in text


@pytest.mark.parametrize("name", [*HOSTILE, "upload.csv", "C:\\fakepath\\survey.xlsx"])
def test_upload_file_names_stay_inside_the_uploads_folder(
    fixture_db: Path, tmp_path: Path, name: str
) -> None:
    work = tmp_path / "cx.duckdb"
    shutil.copy(fixture_db, work)
    raw = read_survey(b"id,nps\n1,9\n2,3\n", "x.csv")
    result = normalise(raw, detect_mapping(raw), "up")
    with Database(str(work), read_only=False) as database:
        store(database, result, "up", name, b"id,nps\n1,9\n2,3\n", name)
        kept = database.run("datasets").filter(pl.col("dataset") == "up")["source_file"][0]
    path = (work.parent / kept).resolve()
    assert path.is_relative_to((work.parent / "uploads" / "up").resolve())
    assert path.is_file()


@pytest.mark.parametrize("value", [*HOSTILE, "demo", "a" * 41, "Upper", "-lead"])
def test_dataset_names_are_refused_unless_plain(value: str) -> None:
    with pytest.raises(IngestError):
        check_dataset_name(value)


@pytest.mark.parametrize("value", HOSTILE)
def test_log_lines_escape_every_value(value: str) -> None:
    line = access.log_line("upload", dataset=value, file=value)
    assert "\n" not in line and "\r" not in line and "\x00" not in line
    assert json.loads(line)["dataset"] == value[:200]


def test_revenue_url_values_are_validated() -> None:
    from cx.models import revenue

    for bad in ("nan", "inf", "-1", "1e309", "<b>", "'; drop"):
        with pytest.raises(revenue.RevenueInputError):
            revenue.validate({"vehicles_per_year": bad})


def test_the_dockerfile_is_hardened() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11-slim" in text
    assert "chromium" in text and "CX_CHROMIUM=/usr/bin/chromium" in text
    assert re.search(r"^USER cxbench$", text, re.M)
    assert "HEALTHCHECK" in text and "/_stcore/health" in text
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    for setting in ("enableXsrfProtection = true", "gatherUsageStats = false",
                    "runOnSave = false", 'showErrorDetails = "none"'):  # fmt: skip
        assert setting in config
    # one home for the upload limit: the server refuses what ingest would refuse anyway
    settings = tomllib.loads(config)
    assert settings["server"]["maxUploadSize"] == MAX_FILE_MB


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
                if isinstance(cell.value, str):
                    texts.append(cell.value)
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
    proc = _cx("export", "--page", "brands", "--format", fmt, "--out", str(out),
               "--dataset", "hostile", "--db", str(formula_db))  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    books = _deck_workbooks(out.read_bytes()) if fmt == "pptx" else [out.read_bytes()]
    texts = [t for book in books for t in _workbook_texts(book)]
    assert not _live(texts), _live(texts)[:5]
    assert _neutralised_brands(texts) == set(FORMULA_BRANDS)


def test_cli_nps_csv_neutralises_formula_labels(formula_db: Path) -> None:
    import csv
    import io

    proc = _cx("nps", "--dataset", "hostile", "--db", str(formula_db), "--by", "brand",
               "--format", "csv")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    fields = [f for row in csv.reader(io.StringIO(proc.stdout)) for f in row]
    assert not _live(fields), _live(fields)[:5]
    assert _neutralised_brands(fields) == set(FORMULA_BRANDS)


def _cx(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cx", *args], capture_output=True, text=True, cwd=ROOT, timeout=300
    )


# ---- links, images and long values from the URL -----------------------------------------------

#: Markdown a link could carry (the issue's probes): a clickable link and an image fetch.
LINK = "[Sign in again](https://evil.example/x)"
IMAGE = "![x](http://127.0.0.1:9/track.png)"
#: What Markdown would draw as a link or an image: ``[text](`` with unescaped brackets, or a
#: bare address GitHub's autolinks pick up (``https://``, ``www.``), escaped or not.
MARKDOWN_LINK = re.compile(
    r"(?<!\\)\[[^\]]*(?<!\\)\]\(|\b(?:[Hh][Tt][Tt][Pp][Ss]?\\?://|[Ww]{3}\\?\.)"
)


@pytest.mark.parametrize(
    "text",
    [LINK, IMAGE, "https://evil.example/x", "HTTP://evil.example", "www.evil.example/login",
     "mail ana@corp.example", "<https://evil.example>", "[x]: https://evil.example"],
)  # fmt: skip
def test_plain_text_keeps_addresses_from_becoming_links(text: str) -> None:
    """Escaping stops ``[x](…)``; GitHub's autolinks would still pick up a bare address."""
    shown = plain(text)
    assert not MARKDOWN_LINK.search(shown), shown
    assert re.sub(r"\\(.)", r"\1", shown).replace("\u200b", "") == text  # reads the same


def _app(page: str | None = None, **query: str) -> Any:
    """The app opened on ``page`` with a link's query, as a first request (a deep link)."""
    from support.apptest import open_app

    return open_app(page, **query)


def _shown(at: Any) -> list[str]:
    """Every text the page shows as Markdown (notices included)."""
    kinds = ("markdown", "caption", "toast", "warning", "info", "error", "success")
    return [str(e.value) for kind in kinds for e in getattr(at, kind)]


@pytest.fixture()
def _app_env(app_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CX_DB", str(app_db))
    monkeypatch.chdir(ROOT)
    return app_db


@pytest.mark.usefixtures("_app_env")
@pytest.mark.parametrize("payload", [LINK, IMAGE])
def test_a_link_or_image_in_the_url_shows_as_text_in_the_notice(payload: str) -> None:
    at = _app(countries=payload)
    assert not at.exception
    toasts = [t.value for t in at.toast]
    assert toasts and any("Ignored unknown countries" in t for t in toasts)
    assert not [t for t in _shown(at) if MARKDOWN_LINK.search(t)], _shown(at)
    shown = [re.sub(r"\\(.)", r"\1", t).replace("\u200b", "") for t in toasts]
    assert any(t.endswith(payload) for t in shown)  # shown, as text


@pytest.mark.usefixtures("_app_env")
def test_revenue_inputs_from_the_url_are_never_markup_and_are_clipped() -> None:
    for value in ("[Click here](https://evil.example/x)", "9" * 100_000, "7", IMAGE):
        # the published calibration's 12.6% is what an ignored value falls back to
        at = _app("pages/revenue.py", preset=revenue.CALIBRATION_PRESET, dissatisfied_share=value)
        assert not at.exception, [e.value for e in at.exception]
        shown = _shown(at)
        assert not [t for t in shown if MARKDOWN_LINK.search(t)], shown
        assert all(len(t) < 1_000 for t in shown)
        assert at.slider(key="pick_revenue_dissatisfied_share").value == pytest.approx(12.6)
        assert not [t for t in shown if "evil" in t or "9" * 100 in t]


@pytest.mark.usefixtures("_app_env")
def test_an_out_of_range_revenue_input_from_the_url_becomes_a_plain_note() -> None:
    at = _app("pages/revenue.py", dissatisfied_share="7")
    notes = [re.sub(r"\\(.)", r"\1", w.value) for w in at.warning]
    assert any("dissatisfied_share=7 is outside its range" in n for n in notes), notes


def _fingerprint(path: Path) -> list[Any]:
    """What the data is: the catalogue and the row count and sums of every table."""
    con = connect.connect(path, read_only=False)  # the app holds the file open writable
    try:
        out: list[Any] = [sql.run(con, "datasets").rows()]
        for (table,) in con.sql("select table_name from duckdb_tables() order by 1").fetchall():
            out.append((table, con.sql(f'select count(*) from "{table}"').fetchall()))  # noqa: S608 (catalogue names)
        out.append(con.sql("select sum(n), sum(sw), sum(swp), sum(swd) from nps_cells").fetchall())
        return out
    finally:
        con.close()


_PAYLOADS = [LINK, IMAGE, "<script>alert(1)</script>", "**bold**\n# heading", "'; drop table respondents; --",
             "=HYPERLINK(\"https://evil.example\")", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ ß", "\x00\x1b[31m", "x" * 100_000,
             "DE,US", "2024Q4", "Automakers", "demo", "nope", "0.5", "1e309", "-1", "from-data"]  # fmt: skip


def _query_strategy() -> Any:
    from hypothesis import strategies as hs

    from components.state import OTHER_PARAMS, PICK_NAMES
    from cx.core.selection import FILTER_KEYS

    keys = hs.one_of(
        hs.sampled_from([*FILTER_KEYS, *OTHER_PARAMS, *sorted(PICK_NAMES)]),
        hs.text(min_size=1, max_size=20),
    )
    values = hs.one_of(hs.sampled_from(_PAYLOADS), hs.text(max_size=60))
    return hs.dictionaries(keys, values, max_size=5)


def test_any_url_on_any_page_computes_without_exception(con: Any) -> None:
    """The core path of a link (query -> selection and picks -> compute -> charts), many
    random links for every report of the registry."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as hs

    from components.state import OTHER_PARAMS, PICK_NAMES
    from cx.core.options import Options
    from cx.reports.base import dataset_source, filter_values
    from cx.reports.registry import REPORTS

    run = lambda n, p: sql.run(con, n, p)  # noqa: E731

    @settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(hs.sampled_from(REPORTS), _query_strategy())
    def check(report: Any, query: dict[str, str]) -> None:
        allowed = filter_values(run, "demo")
        sel, notices = from_query_params(
            query, allowed, ["demo"], also_allowed=set(OTHER_PARAMS) | PICK_NAMES
        )
        assert all(len(n) < 300 and "\n" not in n for n in notices)
        result = report.compute(run, sel, Options(), **report.parse_picks(query))
        report.charts(result, dataset_source(run, sel.dataset))

    check()


@pytest.mark.usefixtures("_app_env")
def test_any_url_on_any_page_renders_without_exception_or_markup_and_changes_no_data(
    app_db: Path,
) -> None:
    """Random links (known and unknown keys; Markdown, HTML, Unicode, 100 kB values) opened on
    every page of the app: no exception, no error, no Markdown link drawn, the data unchanged."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as hs

    from cx.reports.registry import REPORTS

    pages = [f"pages/{r.key}.py" for r in REPORTS]
    before = _fingerprint(app_db)

    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    @given(hs.sampled_from(pages), _query_strategy())
    def check(page: str, query: dict[str, str]) -> None:
        at = _app(page, **{k: v for k, v in query.items() if "\x00" not in k})
        assert not at.exception, [e.value for e in at.exception]
        assert not [e.value for e in at.error], [e.value for e in at.error]
        assert not [t for t in _shown(at) if MARKDOWN_LINK.search(t)]

    check()
    assert _fingerprint(app_db) == before


# ---- the last-resort guard -------------------------------------------------------------------


@pytest.mark.usefixtures("_app_env")
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
        at = _app("pages/brands.py")
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
