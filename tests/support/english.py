"""English left on a page shown in another language: every piece of text a page put on the
screen (elements, widgets, tables, chart titles, axes, legends, labels and hovers) that still
has English words once data values are set aside.

Data values stay as stored (brand, dealer, country, industry and dataset names, published
figures' studies and publishers, comment terms), so words found in any of the database's text
values are not counted; nor are the names below that every language writes in Latin letters.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from typing import Any

import duckdb
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest


#: Words written in Latin letters in every language of the interface: measures, formats,
#: products, standards, method names and the names of their authors.
LATIN_TERMS = frozenset(
    """NPS CX CSV PNG SVG PDF XLSX PPTX Excel PowerPoint LibreOffice Markdown JSON ACSI UKCSI
    APEAL SSI IQS VDS CSI FDR BH BY Kish Wald Benjamini Hochberg Yekutieli Morris Rocks
    MeasuringU Qualtrics SPSS Medallia DuckDB Polars Streamlit Plotly cxbench WLS OLS IBM IBV
    McKinsey Capgemini Temkin Power XM Institute Forrester Gartner ISO CLDR TF-IDF NMF USD EUR
    CNY RUB SMTP cron CronJob UTC GB18030 Big5 KOI8-R Windows-1251 UTF-8 Shift-JIS RFC
    Morris-Efron Efron James-Stein REML DerSimonian Laird Cochran Wilson Agresti Coull CI
    AppTest NaN SE SD English""".split()
)

_TAGS = re.compile(r"<[^>]+>|%\{[^}]*\}|\{[^}]*\}|:material/[a-z_]+:|https?://\S+|\S+@\S+\.\S+")
#: Whole texts that are machine values: element ids, colours, enum names, link queries.
_MACHINE = re.compile(r"[0-9a-f]{32}|#[0-9A-Fa-f]{3,8}|[A-Z_]+|[\w-]+=[^\s]*(&[\w-]+=[^\s]*)*")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+(?:-[A-Za-z]+)*")
#: Proto fields that hold machine values, not text a person reads.
_MACHINE_FIELDS = frozenset(
    """id formId key icon type url fragmentId deltaPath format dataType useContainerWidth
    theme spec arrowData data selectionMode scriptRunId elementType fileName mimeType
    materialIcon iconName""".split()
)
#: Chart keys whose strings are read as text (titles, labels, legends, hovers, categories).
_CHART_TEXT_KEYS = frozenset(
    "text title name hovertemplate texttemplate ticktext x y labels legendgrouptitle".split()
)


@functools.cache
def data_words(path: str) -> frozenset[str]:
    """Every word of every text value in a database: data, not interface. Read it before the
    app opens the file (it opens it writable)."""
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
                f'select distinct "{column}" from "{table}" where "{column}" is not null '
                "limit 20000"
            ).fetchall()
            for (value,) in rows:
                words.update(_WORD.findall(str(value)))
    finally:
        con.close()
    return frozenset(words)


def _strings(value: Any, chart: bool = False) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if chart:
                if key in _CHART_TEXT_KEYS or isinstance(item, dict | list):
                    if key in {"customdata", "meta", "ids", "uid", "template", "font"}:
                        continue
                    yield from _strings(item, chart)
            elif key not in _MACHINE_FIELDS:
                yield from _strings(item, chart)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, chart)


def texts(at: AppTest) -> list[str]:
    """Every piece of text the session's last run put on the screen."""
    found: list[str] = []

    def walk(node: Any) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            body = MessageToDict(proto)
            spec = body.get("spec")
            if isinstance(spec, str) and spec.startswith("{"):
                try:
                    found.extend(_strings(json.loads(spec), chart=True))
                except json.JSONDecodeError:
                    pass
            found.extend(_strings(body))
        if type(node).__name__ == "Dataframe":
            try:
                frame = node.value
                found.extend(str(c) for c in frame.columns)
            except Exception:  # noqa: BLE001  (a table the test cannot read is not text)
                pass
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    found.extend(str(t.proto.body) for t in at.toast)
    return found


def english(text: str, data: frozenset[str]) -> list[str]:
    """The English words of a text: Latin words that are not data values or Latin terms."""
    cleaned = _TAGS.sub(" ", text)
    known = data | LATIN_TERMS
    return [w for w in _WORD.findall(cleaned) if w not in known and w.strip("’'") not in known]


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
