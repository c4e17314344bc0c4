"""Tables: every table of the app is drawn by one helper (``components.cards.table``) that
neutralises formulas before the browser gets the cells, since the table's own toolbar ("Download
as CSV") and cell copy run in the browser, where the exports' neutraliser never sees them."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from support import survey_files as sf
from support.apptest import open_app

from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import sql
from cx.exports.safety import FORMULA_PREFIXES
from cx.reports.registry import REPORTS

ROOT = Path(__file__).resolve().parents[2]
UI = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "components").glob("*.py"))]  # fmt: skip
#: Streamlit calls that send a table to the browser with its own CSV download or cell copy.
TABLE_CALLS = {"dataframe", "data_editor", "table"}
#: Brand names a spreadsheet would run (the issue's two, and their kin).
FORMULAS = [
    '=HYPERLINK("http://evil.example","x")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    '@HYPERLINK("http://evil.example/y")',
]


def _live(texts: list[str]) -> list[str]:
    """Texts a spreadsheet would run as formulas."""
    return [t for t in texts if t.startswith(FORMULA_PREFIXES)]


def _texts(at: AppTest) -> list[str]:
    """Every text cell and column name of every table drawn, as the browser gets them."""
    found: list[str] = []
    for frame in at.dataframe:
        value = frame.value
        found += [str(c) for c in value.columns]
        for column in value.columns:
            found += [v for v in value[column].tolist() if isinstance(v, str)]
    return found


def test_no_table_is_drawn_outside_the_one_helper() -> None:
    """``st.dataframe`` (and its kin) is called in ``cards.table`` only, ``st.data_editor`` in
    ``cards.editor`` (both neutralise)."""
    calls = []
    for path in UI:
        tree = ast.parse(path.read_text())
        owner = {}  # each node's innermost enclosing function
        for func in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
            for node in ast.walk(func):
                owner[node] = func.name  # inner functions are walked later and win
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in TABLE_CALLS
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "st"
            ):
                calls.append((path.relative_to(ROOT).as_posix(), owner.get(node, "<module>")))
    assert sorted(set(calls)) <= [
        ("components/cards.py", "editor"),
        ("components/cards.py", "table"),
    ]
    assert ("components/cards.py", "table") in calls


@pytest.fixture(scope="module")
def formula_db(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture database with a dataset ``hostile`` whose brands are formulas."""
    rows = sf.answers(400)
    for i, row in enumerate(rows):
        row["brand"] = FORMULAS[i % len(FORMULAS)]
    target = tmp_path_factory.mktemp("tables") / "cx.duckdb"
    return sf.stored_copy(fixture_db, target, "hostile", sf.plain(rows), "Hostile brands")


@pytest.fixture()
def hostile_app(formula_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The app serving the database with formula brands (process caches cleared around it)."""
    from components import data

    monkeypatch.setenv("CX_DB", str(formula_db))
    monkeypatch.chdir(ROOT)
    data.database.clear()
    data.data_changed()
    yield
    data.database.clear()
    data.data_changed()


@pytest.mark.usefixtures("hostile_app")
@pytest.mark.parametrize("page", [r.key for r in REPORTS])
def test_every_table_a_page_draws_holds_no_live_formula(page: str) -> None:
    """Every chart's "Show data" table (what its toolbar downloads) says ``'=HYPERLINK(...``
    (pages that need channels, outlets or comments say the dataset has none)."""
    at = open_app(f"pages/{page}.py", dataset="hostile")
    assert not at.exception, [e.value for e in at.exception]
    toggles = [t for t in at.toggle if str(t.key).startswith("data_")]
    for toggle in toggles:
        toggle.set_value(True)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    texts = _texts(at)
    assert len(at.dataframe) >= len(toggles)
    assert not _live(texts), _live(texts)[:5]
    if page in ("brands", "journey"):  # brand names are in these tables
        assert {t[1:] for t in texts if t.startswith("'")} & set(FORMULAS)


@pytest.mark.usefixtures("hostile_app")
def test_a_scenario_named_as_a_formula_is_no_live_header_in_the_scenario_table() -> None:
    at = open_app("pages/revenue.py")
    name = FORMULAS[0]
    at.text_input(key="rev_scenario_name").set_value(name).run()
    at.button(key="rev_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    texts = _texts(at)
    assert "'" + name in texts
    assert not _live(texts), _live(texts)[:5]


@pytest.mark.usefixtures("hostile_app")
def test_upload_previews_hold_no_live_formula() -> None:
    """The mapping, the rejected rows and the rows to store: every preview of an upload."""
    rows = sf.answers(80)
    for i, row in enumerate(rows):
        row["brand"] = FORMULAS[i % len(FORMULAS)]
    rows[0]["nps"] = "=1+1"  # a rejected row whose answer is a formula
    at = open_app("pages/upload.py")
    at.file_uploader[0].upload("formulas.csv", sf.plain(rows), "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    texts = _texts(at)
    assert len(at.dataframe) >= 3
    assert not _live(texts), _live(texts)[:5]
    assert "'" + FORMULAS[1] in texts


def test_show_data_rounds_as_the_excel_sheet_does(con: duckdb.DuckDBPyConnection) -> None:
    """ "Show data" printed effective n "15779.1504" and NPS "13.9135": every float column now
    gets the decimals of its Excel number format (the chart's own, else the workbook's)."""
    from components.cards import data_columns, number_format
    from cx.reports.base import dataset_source
    from cx.reports.registry import BY_KEY

    codes = ("0.0", "+0.0;-0.0;0.0", "0.0000", "$#,##0", "#,##0", '0"%"', "0.0%", '"$"#,##0"M"')
    assert [number_format(c) for c in codes] == [
        "%.1f",
        "%.1f",
        "%.4f",
        "dollar",
        "localized",
        "%.0f",
        "percent",
        "localized",
    ]  # a quoted "%" is text after a percentage, an unquoted one makes a fraction one; fmt: skip
    run = lambda name, params: sql.run(con, name, params)  # noqa: E731
    report = BY_KEY["overview"]
    for chart in report.charts(
        report.compute(run, Selection(), Options()), dataset_source(run, "demo")
    ):
        columns = data_columns(chart)
        floats = [n for n, t in chart.table.schema.items() if t.is_float()]
        assert set(columns) == set(floats), chart.key
        for name in floats:
            assert columns[name]["type_config"]["format"], (chart.key, name)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_show_data_counts_are_whole_and_headers_are_in_the_language(
    con: duckdb.DuckDBPyConnection, language: str
) -> None:
    """The review: "Show data" showed "Responses (n) 9845.0" and "Leads 38620291.0" (counts
    summed as floats), and kept English headers in Russian and Chinese: each number column's
    setting carried its English name as its label, over the translated header."""
    from components.cards import data_columns
    from cx.core import i18n
    from cx.reports.base import dataset_source
    from cx.reports.registry import BY_KEY

    run = lambda name, params: sql.run(con, name, params)  # noqa: E731
    report = BY_KEY["channels"]
    with i18n.use(language):
        charts = report.charts(
            report.compute(run, Selection(), Options()), dataset_source(run, "demo")
        )
        settings = {c.key: data_columns(c) for c in charts}
    assert settings["channel_nps"]["Responses (n)"]["type_config"]["format"] == "localized"
    assert settings["channel_funnel"]["Leads"]["type_config"]["format"] == "localized"
    assert all(not column.get("label") for s in settings.values() for column in s.values())


@pytest.mark.usefixtures("hostile_app")
def test_a_column_header_is_text_in_every_label_of_the_mapping() -> None:
    """A header "[EVIL](https://evil.example/h)" became a link in its column's (hidden)
    selectbox label: widget labels are Markdown, so a header is escaped there too."""
    header = "**HDR** [EVIL](https://evil.example/h) <b>x</b>"
    data = sf.plain(sf.answers(40)).decode()
    first, rest = data.split("\n", 1)
    at = open_app("pages/upload.py")
    body = f"{first},{header}\n" + rest.rstrip("\n").replace("\n", ",x\n") + ",x\n"
    at.file_uploader[0].upload("hdr.csv", body.encode(), "text/csv")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    labels = [s.label for s in at.selectbox]
    assert any("EVIL" in label for label in labels)
    for label in labels:
        assert not re.search(r"(?<!\\)\]\(|(?<!\\)<b>|(?<!\\)\*\*", label), label


def test_new_data_forgets_everything_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    """After an upload, a deletion or newly published data, nothing made from data that has
    gone stays in memory: the dataset's stores (distinguishing terms) go too."""
    from components import data
    from cx.metrics import kept

    of_dataset: kept.Kept[int] = kept.Kept(4)
    of_selection: kept.Kept[int] = kept.Kept(4, per_selection=True)
    of_dataset.get("a", lambda: 1)
    of_selection.get("a", lambda: 1)
    monkeypatch.delenv("CX_PUBLISH_TO", raising=False)
    data.data_changed()
    assert (len(of_dataset), len(of_selection)) == (0, 0)
