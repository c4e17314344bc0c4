"""English left on a page shown in another language: every piece of text a page put on the
screen (elements, widgets, tables, chart titles, axes, legends, labels and hovers) that still
has English words once data values are set aside.

Data values stay as stored (brand, dealer, country, industry and dataset names, published
figures' studies and publishers, comment terms), so words found in any of the database's text
values are not counted; nor are the names below that every language writes in Latin letters.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

import duckdb
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from cx.core.paths import DATA_DIR

#: Words written in Latin letters in every language of the interface: measures, formats,
#: products, standards, method names and the names of their authors.
LATIN_TERMS = frozenset(
    """
    ACSI Agresti Agresti-Coull APEAL AppTest Benjamini Benjamini-Hochberg Benjamini-Yekutieli
    BH Big5 BY Capgemini CI CLDR CNY Cochran Connect Coull CRM cron CronJob CSI CSV CX cxbench
    DerSimonian DerSimonian-Laird DTC DuckDB Efron English EUR Excel FDR Forrester Gartner
    GB18030 Hochberg IBM IBV Institute IQS ISO James-Stein Johnson JSON Kish KOI8-R Laird
    LibreOffice Markdown McKinsey MeasuringU Medallia Monroe Morris Morris-Efron NaN NMF NPS
    OLS OpenID Parquet PDF Plotly PNG Polars Power PowerPoint PPTX Qualtrics REML RFC Rocks RUB
    SD SE Shift-JIS SMTP SPSS SSI Streamlit SurveyMonkey SVG Temkin TF-IDF TSV UKCSI USD UTC
    UTF UTF-16 UTF-8 VDS Wald Wilson Windows Windows-1251 Windows-1252 Wishart WLS XLSX xlsx XM
    Yekutieli MB GB KB TXT PARQUET
    """.split()  # noqa: SIM905  (a word list, read and extended as one)
)

_TAGS = re.compile(
    r"<[^>]+>|%\{[^}]*\}|\{[^}]*\}|:material/[a-z_]+:|:[a-z]+-badge\[|https?://\S+|\S+@\S+\.\S+"
    r"|`[^`]*`|[\w.-]+(?:/[\w.-]+)+|(?i:(?:top|bottom)-(?:2|two)(?:-|\s)box|(?:top|bottom)-two)"
)
#: English kept in brackets after a translated term that has no established translation
#: ("сглаженный (shrunk) NPS"), as the translations are asked to do.
_GLOSS = re.compile(r"([^\x00-\x7F](?: NPS)?\**\s?[(（])[A-Za-z][A-Za-z0-9' .-]*(?=[;；,，)）])")
#: Whole texts that are machine values: element ids, colours, enum names, link queries.
_MACHINE = re.compile(r"[0-9a-f]{32}|#[0-9A-Fa-f]{3,8}|[A-Z_]+|[\w-]+=[^\s]*(&[\w-]+=[^\s]*)*")
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*(?:-[A-Za-z]+)*")
#: Proto fields that hold machine values, not text a person reads.
_MACHINE_FIELDS = frozenset(
    [
        "id",
        "formId",
        "key",
        "icon",
        "type",
        "url",
        "fragmentId",
        "deltaPath",
        "format",
        "dataType",
        "useContainerWidth",
        "theme",
        "arrowData",
        "data",
        "selectionMode",
        "scriptRunId",
        "elementType",
        "fileName",
        "mimeType",
        "materialIcon",
        "iconName",
    ]
)
#: Chart keys whose strings are read as text (titles, labels, legends, hovers, categories).
_CHART_TEXT_KEYS = frozenset(
    [
        "text",
        "title",
        "name",
        "hovertemplate",
        "texttemplate",
        "ticktext",
        "x",
        "y",
        "labels",
        "legendgrouptitle",
    ]
)


def _quoted(name: str) -> str:
    """An identifier from the catalogue, its double quotes doubled for a quoted identifier."""
    return name.replace('"', '""')


@functools.cache
def data_words(path: str) -> frozenset[str]:
    """Every word of every text value in a database and of the reference files in ``data/``
    (citations, published figures): data, not interface. Read it before the app opens the
    database (it opens it writable)."""
    con = duckdb.connect(path, read_only=True)
    words: set[str] = set()
    try:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where data_type = 'VARCHAR' and table_schema = 'main'"
        ).fetchall()
        for table, column in columns:
            if column in {"respondent_id", "content_sha256", "fields", "answers", "params"}:
                continue
            rows = con.execute(
                f'select distinct "{_quoted(column)}" from "{_quoted(table)}" '  # noqa: S608  (names from the catalogue, quoted)
                f'where "{_quoted(column)}" is not null '
                "limit 20000"
            ).fetchall()
            for (value,) in rows:
                words.update(_WORD.findall(str(value)))
    finally:
        con.close()
    for file in sorted(DATA_DIR.glob("*.csv")):
        if file.name == "topics.csv":  # topic labels are interface (translated), not data
            continue
        with file.open(encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                for value in row[:200]:
                    words.update(_WORD.findall(value))
    return frozenset(words)


def words_of(texts: Iterable[str]) -> frozenset[str]:
    """The words of some data values (names of uploaded datasets, say)."""
    return frozenset(w for text in texts for w in _WORD.findall(str(text)))


def _strings(value: Any, chart: bool = False, texty: bool = True) -> Iterator[str]:
    """The strings of a proto's fields, or of a chart's text keys (``chart``: under keys of
    :data:`_CHART_TEXT_KEYS` only; a JSON text found in a field is walked as a chart)."""
    if isinstance(value, str):
        if value.startswith(("{", "[")):
            try:
                parsed = json.loads(value)
            except json.JSONDecodeError:
                parsed = None
            if isinstance(parsed, dict | list):
                yield from _strings(parsed, chart=True, texty=False)
                return
        if texty:
            yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if chart:
                if key in {"customdata", "meta", "ids", "uid", "template", "font"}:
                    continue
                if key == "name" and value.get("showlegend") is False:
                    continue  # a trace's name the chart never shows
                yield from _strings(item, chart, key in _CHART_TEXT_KEYS)
            elif key not in _MACHINE_FIELDS:
                yield from _strings(item, chart, texty)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, chart, texty)


def texts(at: AppTest) -> list[str]:
    """Every piece of text the session's last run put on the screen."""
    found: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            body = MessageToDict(proto)
            if str(body.get("body", "")).startswith("<style>"):  # a stylesheet: only the words
                found.extend(re.findall(r'content: "((?:[^"\\]|\\.)*)"', body["body"]))
            else:
                found.extend(_strings(body))
        if type(node).__name__ == "Dataframe":
            with contextlib.suppress(Exception):  # a table the test cannot read holds no text
                found.extend(str(c) for c in node.value.columns)
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    found.extend(str(t.proto.body) for t in at.toast)
    return found


def english(text: str, data: frozenset[str]) -> list[str]:
    """The English words of a text: Latin words that are not data values or Latin terms."""
    cleaned = _GLOSS.sub(r"\1", _TAGS.sub(" ", text.replace("\\", "")))
    known = data | LATIN_TERMS
    return [w for w in _WORD.findall(cleaned) if len(w) > 1 and w not in known]


def leftover(at: AppTest, data: frozenset[str]) -> list[str]:
    """Texts of the page that still hold English words (each once, in screen order); ``data``:
    the words of the database's values (:func:`data_words`)."""
    out: list[str] = []
    for text in texts(at):
        if _MACHINE.fullmatch(text.strip()):
            continue
        if english(text, data) and text not in out:
            out.append(text)
    return out
