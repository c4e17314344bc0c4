"""One home per fact: every colour lives in cx/charts/theme.py, and the words, colours and
marks that say where a number comes from and whether a gap is significant are made once for
the screen, images, decks and workbooks."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import plotly.graph_objects as go
import polars as pl
import pytest
from pptx import Presentation

from cx.charts import theme
from cx.charts.figures import titled
from cx.charts.theme import PROVENANCE, provenance_line
from cx.core import display
from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import sql
from cx.exports.chart import Chart, DeckMeta, native_columns
from cx.exports.images import export_figure
from cx.exports.slides import pptx_deck
from cx.exports.workbook import xlsx_workbook
from cx.reports.base import dataset_source
from cx.reports.common import nps_chart
from cx.reports.registry import REPORTS

ROOT = Path(__file__).resolve().parents[2]
THEME = ROOT / "cx" / "charts" / "theme.py"
#: Python that draws: the core, the rendering pieces, the page scripts and the entry file.
DRAWING = sorted(
    [
        *ROOT.glob("cx/**/*.py"),
        *ROOT.glob("components/**/*.py"),
        *ROOT.glob("pages/**/*.py"),
        ROOT / "app.py",
    ]
)
HEX = re.compile(r"(?<!&)#[0-9a-fA-F]{3,8}\b")  # an HTML character reference (&#123;) is no colour
BARE_HEX = re.compile(r"^[0-9a-fA-F]{6}$")
FUNCTIONAL = re.compile(r"\b(rgba?|hsla?)\(", re.IGNORECASE)
#: Colour names Plotly, Streamlit and pydeck accept, as whole string values.
NAMED = frozenset({
    "white", "black", "red", "green", "blue", "orange", "violet", "purple", "yellow", "grey",
    "gray", "pink", "brown", "cyan", "magenta", "teal", "navy", "gold", "silver",
})  # fmt: skip


def _colour_literals(path: Path) -> list[str]:
    """Colours written into ``path``: hex and rgb()/rgba() strings, colour names, and lists
    of numbers given to an argument or key that names a colour or shaped like RGB(A) (three or
    four whole numbers up to 255, one of them at least 100: pydeck's colours)."""
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.List | ast.Tuple)
            and len(node.elts) in (3, 4)
            and all(
                isinstance(e, ast.Constant) and type(e.value) is int and 0 <= e.value <= 255
                for e in node.elts
            )
            and max(e.value for e in node.elts if isinstance(e, ast.Constant)) >= 100
        ):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if (
                HEX.search(text)
                or BARE_HEX.match(text)
                or FUNCTIONAL.search(text)
                or text.lower() in NAMED
            ):
                found.append(f"{node.lineno}: {text[:60]!r}")
        pairs: list[tuple[str, ast.AST]] = []
        if isinstance(node, ast.keyword) and node.arg:
            pairs.append((node.arg, node.value))
        if isinstance(node, ast.Dict):
            pairs += [
                (k.value, v)
                for k, v in zip(node.keys, node.values, strict=True)
                if isinstance(k, ast.Constant) and isinstance(k.value, str)
            ]
        for name, value in pairs:
            numbers = isinstance(value, ast.List | ast.Tuple) and all(
                isinstance(e, ast.Constant) and isinstance(e.value, int) for e in value.elts
            )
            if ("color" in name.lower() or "colour" in name.lower()) and numbers:
                found.append(f"{value.lineno}: {name}={ast.unparse(value)}")
    return found


def test_every_colour_is_written_in_the_theme_only() -> None:
    """Screen, PNG/SVG, PowerPoint and Excel read colours from cx/charts/theme.py; a colour
    written anywhere else drifts from its twin (the map scale once lived in three places)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{hit}"
        for path in DRAWING
        if path != THEME
        for hit in _colour_literals(path)
    ]
    assert not offenders, offenders


def test_the_scan_finds_colours_where_they_are_written(tmp_path: Path) -> None:
    """The scan itself sees each way of writing a colour (so an empty list means something)."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        'A = "#1B1F24"\nB = "rgba(0,0,0,0)"\nC = {"color": "white"}\n'
        "f(get_fill_color=[0, 0, 0])\nD = '4A5563'\nE = (179, 88, 6)\nF = (1, 2, 3)\n"
    )
    assert len(_colour_literals(sample)) == 6


# --------------------------------------------------------------------------------------------
# Provenance: one table of kinds, the same words on every surface
# --------------------------------------------------------------------------------------------


def _chart(kind: str, subtitle: str) -> Chart:
    """A one-bar chart of ``kind`` with a native form (so a deck needs no Chromium)."""
    table = pl.DataFrame({"Group": ["A"], "Value": [1.0]})
    figure = titled(go.Figure(go.Bar(x=[1.0], y=["A"])), "A finding", subtitle)
    native = native_columns(table, "Group", [("Value", "Value")], "bar", blank=None)
    return Chart(f"chart_{kind}", "A finding", subtitle, figure, table, kind=kind, native=native)  # type: ignore[arg-type]


def _deck_texts(chart: Chart) -> list[str]:
    prs = Presentation(io.BytesIO(pptx_deck([chart], DeckMeta("Page", "no filters", "demo"))))
    slide = prs.slides[1]
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def _summary_row(chart: Chart) -> dict[str, Any]:
    book = openpyxl.load_workbook(
        io.BytesIO(xlsx_workbook([chart], DeckMeta("Page", "no filters", "demo")))
    )
    rows = list(book["Summary"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[:3] == ("Sheet", "Finding", "Provenance"))
    return dict(zip(rows[header], rows[header + 1], strict=False))


@pytest.mark.parametrize("kind", sorted(PROVENANCE))
def test_a_kind_is_named_alike_on_screen_in_images_decks_and_workbooks(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The badge on screen, an exported image's subtitle, a slide's kicker and footnote and the
    workbook's About sheet all say the kind's label from the one table."""
    from components import cards

    label = PROVENANCE[kind].label
    badges: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(cards.st, "badge", lambda text, **kw: badges.append((text, kw)))
    cards.provenance_badge(kind)
    assert badges == [(label, {"icon": PROVENANCE[kind].icon, "color": PROVENANCE[kind].badge})]

    chart = _chart(kind, "n = 1,000 · fieldwork 2025")  # a subtitle without its provenance
    line = f"{label} · n = 1,000 · fieldwork 2025"
    assert export_figure(chart).layout.title.subtitle.text == line
    texts = _deck_texts(chart)
    assert label.upper() in texts  # the kicker
    assert any(t.splitlines()[0] == line for t in texts)  # the footnote
    row = _summary_row(chart)
    assert row["Provenance"] == label and str(row["Footnote"]).splitlines()[0] == line


@pytest.mark.parametrize("kind", sorted(PROVENANCE))
def test_a_subtitle_that_opens_with_its_provenance_is_not_prefixed_again(kind: str) -> None:
    subtitle = f"{PROVENANCE[kind].short} · n = 1,000"
    chart = _chart(kind, subtitle)
    assert provenance_line(kind, subtitle) == subtitle
    assert export_figure(chart).layout.title.subtitle.text == subtitle
    assert any(t.splitlines()[0] == subtitle for t in _deck_texts(chart))


# --------------------------------------------------------------------------------------------
# Significance: one function gives the colour and the mark, on screen and in decks
# --------------------------------------------------------------------------------------------

#: Three groups against a benchmark: significantly above, within the noise, significantly below.
GROUPS = pl.DataFrame(
    {
        "group": ["Dealer", "Agency", "Direct"],
        "nps": [30.0, 10.0, -12.0],
        "ci_low": [25.0, 4.0, -18.0],
        "ci_high": [35.0, 16.0, -6.0],
        "n": [800, 300, 600],
        "suppressed": [False, False, False],
        "significant": [True, False, True],
        "gap": [14.0, -1.0, -20.0],
    }
)


def _deck_chart(chart: Chart) -> Any:
    prs = Presentation(io.BytesIO(pptx_deck([chart], DeckMeta("Page", "no filters", "demo"))))
    return next(s for s in prs.slides[1].shapes if s.has_chart).chart


def test_significance_is_one_colour_and_one_mark() -> None:
    assert theme.significance(True, 3.0) == (theme.BETTER, theme.ABOVE)
    assert theme.significance(True, -3.0) == (theme.WORSE, theme.BELOW)
    assert theme.significance(False, -3.0) == (theme.NEUTRAL, "")
    assert theme.significance(True, None) == (theme.NEUTRAL, "")
    assert theme.significance(True, -3.0, True) == (theme.SUPPRESSED, "")


def test_a_significant_gap_has_the_same_colour_on_screen_and_in_the_deck() -> None:
    """A group significantly below its benchmark: the figure's bar and the deck's point are the
    colour :func:`cx.charts.theme.significance` gives, and a grey group stays grey in both."""
    chart = nps_chart("nps", "NPS", "A finding", "n", GROUPS, "group", ("group",), Options(),
                      "significance", names={"group": "Group"})  # fmt: skip
    bars = chart.figure.data[0]
    screen = dict(zip(bars.y, bars.marker.color, strict=True))
    native = _deck_chart(chart)
    categories = list(native.plots[0].categories)
    points = native.plots[0].series[0].points
    # a deck's category is the name, then its value as the labels show it (and any mark)
    deck = {
        c.split("  ")[0]: f"#{points[i].format.fill.fore_color.rgb}"
        for i, c in enumerate(categories)
    }
    for row in GROUPS.iter_rows(named=True):
        want = theme.significance(row["significant"], row["gap"]).colour
        assert screen[row["group"]] == want == deck[row["group"]], row["group"]
    assert deck["Direct"] == theme.WORSE and deck["Agency"] == theme.NEUTRAL


def test_categories_keep_their_colour_and_carry_the_same_mark_on_screen_and_in_the_deck() -> None:
    """With a colour per category (channels), significance moves into the ▲/▼ mark: the
    figure's value label and the deck's category label carry the same one."""
    colours = {name: theme.CHANNEL_COLOURS[name.lower()] for name in GROUPS["group"]}
    chart = nps_chart("nps", "NPS", "A finding", "n", GROUPS, "group", ("group",), Options(),
                      colours, names={"group": "Group"})  # fmt: skip
    labels = dict(zip(chart.figure.data[1].y, chart.figure.data[1].text, strict=True))
    assert labels["Dealer"].endswith(theme.ABOVE) and labels["Direct"].endswith(theme.BELOW)
    assert not labels["Agency"].endswith((theme.ABOVE, theme.BELOW))
    # a deck's category is the name, then its value as the labels show it, then the mark
    categories = {c.split("  ")[0]: c for c in _deck_chart(chart).plots[0].categories}
    assert categories["Dealer"].endswith(f" {theme.ABOVE}")
    assert categories["Direct"].endswith(f" {theme.BELOW}")
    assert not categories["Agency"].endswith((theme.ABOVE, theme.BELOW))
    for name, label in labels.items():  # the value beside the name is the figure's label
        assert categories[name].split("  ")[1] == label


# --------------------------------------------------------------------------------------------
# Column names: one table of human headers for every report's table, CSV and workbook
# --------------------------------------------------------------------------------------------

REPORT_CODE = sorted([*ROOT.glob("cx/reports/*.py"), *ROOT.glob("pages/*.py")])


def test_no_report_or_page_names_a_column_itself() -> None:
    """Headers come from cx.core.display.COLUMN_NAMES through human_table: an alias to a name
    that table holds is the same name written twice."""
    known = set(display.COLUMN_NAMES.values())
    offenders = []
    for path in REPORT_CODE:
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "alias"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value in known
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.args[0].value}")
    assert not offenders, offenders


def test_every_report_table_has_human_headers_and_its_formats_name_them(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """Each chart's table (screen, CSV, Excel) carries human names only, and every Excel format
    a chart sets names one of its columns (a format keyed by a renamed header does nothing)."""
    run = lambda name, params: sql.run(con, name, params)  # noqa: E731
    source = dataset_source(run, "demo")
    machine = set(display.COLUMN_NAMES) - set(display.COLUMN_NAMES.values())
    seen = 0
    for report in REPORTS:
        result = report.compute(run, Selection(dataset="demo"), Options())
        for chart in report.charts(result, source):
            columns = set(chart.table.columns)
            assert not columns & machine, (chart.key, columns & machine)
            assert set(chart.formats) <= columns, (chart.key, set(chart.formats) - columns)
            seen += 1
    assert seen >= 20


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_an_exported_image_wraps_a_long_source_line_within_its_width(lang: str) -> None:
    """Plotly does not wrap a title: the subtitles of exported images ran off the right edge.
    Each line now fits the image (Chinese characters count double) and nothing is lost."""
    from cx.core import display, i18n
    from cx.exports.images import IMAGE_SIZES, SUBTITLE_PX

    words = "log-odds ratio with informative Dirichlet prior, z per language · " * 6
    if lang == "zh":
        words = "带信息性狄利克雷先验的对数几率比，按语言计算 z 值 · " * 8
    with i18n.use(lang):
        chart = _chart("survey", words.strip())
        text = export_figure(chart, "chart").layout.title.subtitle.text
        whole = theme.provenance_line("survey", words.strip())
    lines = text.split("<br>")
    columns = int((IMAGE_SIZES["chart"][0] - 40) / SUBTITLE_PX)
    assert len(lines) > 1 and all(display.width(line) <= columns for line in lines)
    assert "".join(lines).replace(" ", "") == whole.replace(" ", "")
