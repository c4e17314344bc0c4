"""Names from data in charts and files: a brand named like a Plotly placeholder is shown as
text, never filled in; a Parquet file's duplicated column reaches the mapping as CSV's does."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from support import survey_files as sf

from cx.charts.figures import esc
from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import connect, sql
from cx.ingest.mapping import detect_mapping
from cx.ingest.normalise import normalise
from cx.ingest.read import read_survey
from cx.reports.base import dataset_source
from cx.reports.registry import REPORTS

#: Brand names that are Plotly template placeholders (the issue's first one).
PLACEHOLDERS = ["%{x}<br>", "%{meta}", "%{fullData.name}", "%{y:$,.0f}"]
#: What the app's own templates fill in.
OURS = {"x", "y", "text", "customdata", "hovertext"}


@pytest.fixture(scope="module")
def placeholder_db(fixture_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture database with a dataset ``tpl`` whose brands are placeholders."""
    rows = sf.answers(600)
    for i, row in enumerate(rows):
        row["brand"] = PLACEHOLDERS[i % len(PLACEHOLDERS)]
    header, *body = sf.plain(rows).decode().splitlines()
    waves = ["2024Q1", "2024Q2"]  # two waves: the trend draws a line per brand
    lines = [header + ",wave", *(f"{line},{waves[i % 2]}" for i, line in enumerate(body))]
    target = tmp_path_factory.mktemp("names") / "cx.duckdb"
    return sf.stored_copy(fixture_db, target, "tpl", ("\n".join(lines) + "\n").encode())


def _templates(figure: Any) -> list[str]:
    """Every hover and text template of a figure's traces."""
    found: list[str] = []
    for trace in figure.data:
        for name in ("hovertemplate", "texttemplate"):
            value = getattr(trace, name, None)
            found += [value] if isinstance(value, str) else [v for v in value or () if v]
    return found


def test_esc_keeps_placeholders_from_data_as_text() -> None:
    assert esc("%{x}<br>") == "%&#123;x}&lt;br&gt;"
    assert "%{" not in esc("100%{y}") and esc("50% off") == "50% off"


def test_no_brand_name_reaches_a_template_as_a_live_placeholder(placeholder_db: Path) -> None:
    con = connect.connect(placeholder_db)
    try:
        run = lambda n, p: sql.run(con, n, p)  # noqa: E731
        sel = Selection(dataset="tpl")
        templates: list[str] = []
        for report in REPORTS:
            result = report.compute(run, sel, Options())
            for chart in report.charts(result, dataset_source(run, "tpl")):
                if chart.figure is not None:
                    templates += _templates(chart.figure)
    finally:
        con.close()
    live = {m for t in templates for m in re.findall(r"%\{([^}:|]*)", t)}
    assert live <= OURS, live - OURS
    assert not [t for t in templates if "%{x}&lt;br&gt;" in t]
    # brands are in some templates (the trend's, one line per brand), escaped: the test bites
    assert len([t for t in templates if "%&#123;" in t]) >= 3


def test_a_duplicated_parquet_column_reaches_the_mapping_as_in_csv() -> None:
    """Both copies of a duplicated column are read; the second is named ``<name>_2`` and
    listed among the unused columns, as a CSV's duplicated header is."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = sf.answers(40)
    table = pq.read_table(io.BytesIO(sf.parquet(rows)))
    doubled = pa.table(
        [*table.columns, table.column("brand")], names=[*table.column_names, "brand"]
    )
    out = io.BytesIO()
    pq.write_table(doubled, out)
    raw = read_survey(out.getvalue(), "doubled.parquet")
    assert raw.frame.columns[-2:] == ["recommend", "brand_2"]
    assert raw.frame["brand_2"].to_list() == raw.frame["brand"].to_list()
    report = normalise(raw, detect_mapping(raw), "x").report
    header = sf.plain(rows).split(b"\n", 1)
    csv = read_survey(
        header[0]
        + b",brand\n"
        + b"\n".join(line + b"," + line.split(b",")[2] for line in header[1].split(b"\n") if line)
        + b"\n",
        "doubled.csv",
    )
    csv_report = normalise(csv, detect_mapping(csv), "x").report
    assert report["unmapped_columns"] == ["brand_2"] == csv_report["unmapped_columns"]
