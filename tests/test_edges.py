"""Bad input at the edges: attacker-controlled strings never reach SQL text, HTML, a path
outside the data folder, or a log line unescaped."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path

import polars as pl
import pytest

from cx import access, db, figures, ingest, measures
from cx.database import Database
from cx.display import plain
from cx.selection import Selection, from_query_params

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
    table names and an operator-configured, quoted path: db.connect_source/export_parquet."""
    allowed = {("db.py", "connect_source"), ("db.py", "export_parquet")}
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
    con = db.connect(fixture_db)
    try:
        run = lambda n, p: db.execute(con, n, p)  # noqa: E731
        sel = Selection(countries=(value,), industries=(value,))
        assert measures.nps_by(run, sel, "brand").is_empty()  # matched as a value, nothing found
        # a hostile grouping key is not an identifier either: it maps to no column
        odd = db.execute(con, "nps_by_group", Selection().params(by=value))
        assert (
            odd["n"].sum()
            == db.execute(con, "nps_by_group", Selection().params(by="all"))["n"].sum()
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
    raw = ingest.read_survey(b"id,nps\n1,9\n2,3\n", "x.csv")
    result = ingest.normalise(raw, ingest.detect_mapping(raw), "up")
    with Database(str(work), read_only=False) as database:
        ingest.store(database, result, "up", name, b"id,nps\n1,9\n2,3\n", name)
        kept = database.execute("datasets").filter(pl.col("dataset") == "up")["source_file"][0]
    path = (work.parent / kept).resolve()
    assert path.is_relative_to((work.parent / "uploads" / "up").resolve())
    assert path.is_file()


@pytest.mark.parametrize("value", [*HOSTILE, "demo", "a" * 41, "Upper", "-lead"])
def test_dataset_names_are_refused_unless_plain(value: str) -> None:
    with pytest.raises(ingest.IngestError):
        ingest.check_dataset_name(value)


@pytest.mark.parametrize("value", HOSTILE)
def test_log_lines_escape_every_value(value: str) -> None:
    line = access.log_line("upload", dataset=value, file=value)
    assert "\n" not in line and "\r" not in line and "\x00" not in line
    assert json.loads(line)["dataset"] == value[:200]


def test_revenue_url_values_are_validated() -> None:
    from cx import revenue

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
                    "runOnSave = false", "maxUploadSize = 200"):  # fmt: skip
        assert setting in config
