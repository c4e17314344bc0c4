"""Exports in Chinese and Russian: ``cx export --lang`` writes a deck and a workbook in the
language, charts write numbers with the language's marks, the brief says its words and its
numbers as the language does; English stays as it was.

The catalogs are the repository's (``locale/``), compiled on first use.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import pytest
from pptx import Presentation
from support.cli import cx

from cx.core import i18n
from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import sql
from cx.exports import brief as briefs
from cx.exports.chart import Kpi
from cx.reports.base import dataset_source
from cx.reports.registry import BY_KEY

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
#: A decimal number written with a comma (Russian): "12,5", "+3,4", "0,012".
DECIMAL_COMMA = re.compile(r"\d,\d")


@pytest.fixture(scope="module")
def catalogs() -> Iterator[Path]:
    """The catalogs of the repository (``locale/``), compiled on first use."""
    i18n.translations.cache_clear()
    yield i18n.LOCALE_DIR


def _slide_texts(data: bytes) -> list[list[str]]:
    prs = Presentation(io.BytesIO(data))
    return [
        [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]
        for slide in prs.slides
    ]


def _export(fixture_db: Path, out: Path, fmt: str, *lang: str) -> bytes:
    target = out / f"brands.{fmt}"
    cx(
        "export", "--page", "brands", "--format", fmt, "--out", str(target),
        "--db", str(fixture_db), *lang, check=True, in_process=True,
    )  # fmt: skip
    return target.read_bytes()


def test_cli_export_in_chinese_writes_a_chinese_deck_and_workbook(
    catalogs: Path, fixture_db: Path, tmp_path: Path
) -> None:
    slides = _slide_texts(_export(fixture_db, tmp_path, "pptx", "--lang", "zh"))
    title = " ".join(slides[0])
    assert "数据集：" in title and "筛选条件：" in title
    charts = slides[1:]
    assert charts and all(CJK.search(" ".join(texts)) for texts in charts)
    assert all(texts[0] == "调查样本" for texts in charts)  # the provenance kicker
    book = openpyxl.load_workbook(io.BytesIO(_export(fixture_db, tmp_path, "xlsx", "--lang", "zh")))
    assert book.sheetnames[0] == "摘要"
    summary = [
        [c for c in row if c is not None] for row in book["摘要"].iter_rows(values_only=True)
    ]
    assert [row[0] for row in summary[:3]] == ["页面", "数据集", "筛选条件"]
    assert ["工作表", "发现", "数据来源类型", "行数", "脚注"] in summary
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_cli_export_in_russian_and_english(
    catalogs: Path, fixture_db: Path, tmp_path: Path
) -> None:
    ru = _slide_texts(_export(fixture_db, tmp_path, "pptx", "--lang", "ru"))
    assert ru[1][0] == "ВЫБОРКА ОПРОСА" and CYRILLIC.search(" ".join(ru[0]))
    en = _slide_texts(_export(fixture_db, tmp_path, "pptx"))
    assert en[1][0] == "SURVEY SAMPLE"
    assert any(t.startswith("Dataset: ") and "\nFilters: " in t for t in en[0])
    assert not any(CJK.search(t) or CYRILLIC.search(t) for texts in en for t in texts)


def test_an_unknown_language_is_a_clear_error(fixture_db: Path, tmp_path: Path) -> None:
    proc = cx(
        "export", "--page", "brands", "--format", "pptx", "--out", str(tmp_path / "x.pptx"),
        "--db", str(fixture_db), "--lang", "de", in_process=True,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "unknown language 'de'; choose one of en, zh, ru" in proc.stderr


def _brands_charts(con: duckdb.DuckDBPyConnection) -> list[Any]:
    report = BY_KEY["brands"]

    def run(name: str, params: Any) -> Any:
        return sql.run(con, name, params)

    sel = Selection(dataset="demo")
    result = report.compute(run, sel, Options())
    return report.charts(result, dataset_source(run, sel.dataset))


def test_charts_write_numbers_with_the_languages_marks(
    catalogs: Path, con: duckdb.DuckDBPyConnection
) -> None:
    with i18n.use("ru"):
        ranking = _brands_charts(con)[0].figure
    assert ranking.layout.separators == ",\u00a0"
    hover = " ".join(ranking.data[0].hovertext)
    assert DECIMAL_COMMA.search(hover) and "NPS" in hover
    with i18n.use("en"):
        english = _brands_charts(con)[0].figure
    assert english.layout.separators == ".,"
    assert re.search(r"NPS [+-]\d+\.\d \[", " ".join(english.data[0].hovertext))


def _brief() -> briefs.Brief:
    move = briefs.Move(
        "Voltara fell 6 points", "nps", "brand", "Voltara", None, "Voltara", "Voltara", "NPS",
        "nps", 20.0, 14.0, -6.0, -9.5, -2.5, 1e-4, 0.0123, "",
    )  # fmt: skip
    return briefs.Brief(
        headline="1 of 40 cells changed", scope="All respondents", dataset="Demo",
        source="Survey sample", filters="countries: DE", start="2024Q3", end="2024Q4",
        kpis=(Kpi("NPS", "+14", ""),), moves=(move,), tested=40, suppressed=2, level="95%",
        interval="95% interval", cells=40, outlets_tested=21,
    )  # fmt: skip


def test_the_brief_in_russian_and_chinese(catalogs: Path) -> None:
    brief = _brief()
    with i18n.use("ru"):
        markdown = briefs.as_markdown(brief)
        page = briefs.as_html(brief)
    assert "## Значимые изменения" in markdown
    assert "q = 0,012" in markdown  # a decimal comma
    assert "проверено: 21 точка продаж" in markdown  # Russian plural of 21
    assert "q меньше 0,05" in page and "1 из 40 ячеек" in page
    with i18n.use("zh"):
        markdown = briefs.as_markdown(brief)
    assert "## 显著变化" in markdown and "q = 0.012" in markdown
    english = briefs.as_markdown(brief)
    assert "## Significant changes" in english and "(21 outlets tested)" in english
