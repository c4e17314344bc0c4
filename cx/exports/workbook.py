"""Excel workbooks: a summary sheet, then one sheet per chart's data (xlsxwriter).

Sheets and columns carry human names, numbers carry number formats (not 15-digit floats),
columns are sized to their content, headers are frozen, and text is always written as text:
every cell passes the one formula neutraliser.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

import polars as pl

from cx.charts import theme
from cx.core import display
from cx.core.i18n import _
from cx.exports.chart import Chart, DeckMeta, linked_pages
from cx.exports.safety import formula_like
from cx.exports.slides import footnote

_URL = re.compile(r"^https?://[^\s\"<>]{1,2000}$")


#: The longest sheet name kept whole (Excel allows 31 characters; 3 are kept for " (2)").
SHEET_NAME = 28


def sheet_name(label: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name (31 characters, no ``[]:*?/\\``), in any script."""
    base = "".join(ch for ch in label if ch not in "[]:*?/\\'").strip()[:SHEET_NAME] or _("Chart")
    name, i = base, 2
    while name.lower() in used:
        name = f"{base[:25]} ({i})"
        i += 1
    used.add(name.lower())
    return name


def default_format(dtype: pl.DataType, column: str, whole: bool = False) -> str | None:
    """The number format a column gets unless the chart names one; ``whole``: a column of
    floats that are all whole numbers (counts summed as floats: "9845.0" responses)."""
    if dtype.is_integer():
        return "#,##0"
    if dtype.is_float():
        if "p-value" in column.lower() or "q-value" in column.lower():
            return "0.0000"  # to one decimal every small p-value read "0.0"
        if column.lower().startswith(("nps", "gap", "change")) or " nps" in column.lower():
            return "+0.0;-0.0;0.0"
        if "usd" in column.lower() or whole:
            return "#,##0"
        return "0.0"
    return None


def whole_numbers(values: pl.Series) -> bool:
    """Whether a column holds numbers, all whole (and at least one)."""
    known = values.drop_nulls().drop_nans() if values.dtype.is_float() else values.drop_nulls()
    return values.dtype.is_numeric() and not known.is_empty() and bool((known % 1 == 0).all())


def xlsx_workbook(charts: Sequence[Chart], meta: DeckMeta) -> bytes:
    """A summary sheet (page, dataset, filters, key figures, findings, charts with their
    footnotes) and one sheet per chart table (plus one per deck table)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(
        out, {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    )
    bold = book.add_format({"bold": True})
    head_props = {"bold": True, "bg_color": theme.TABLE_HEAD, "border": 1, "text_wrap": True}
    head = book.add_format(head_props)
    wrap_props = {"text_wrap": True, "valign": "top"}
    wrap = book.add_format(wrap_props)
    # text a spreadsheet would read as a formula ("-24 …", "=HYPERLINK(…)"), stored as text and
    # marked so (Excel's quote prefix: shown as typed, kept as text when edited); a leading
    # apostrophe written into the cell showed as a character
    quoted = {
        None: book.add_format({"quote_prefix": True}),
        wrap: book.add_format({**wrap_props, "quote_prefix": True}),
        head: book.add_format({**head_props, "quote_prefix": True}),
    }

    def text(sheet: Any, row: int, col: int, value: Any, style: Any = None) -> None:
        written = "" if value is None else str(value)
        sheet.write_string(row, col, written, quoted[style] if formula_like(written) else style)

    link = book.add_format({"font_color": theme.LINK, "underline": 1})
    formats: dict[str, Any] = {}

    def number_format(code: str) -> Any:
        if code not in formats:
            formats[code] = book.add_format({"num_format": code})
        return formats[code]

    summary = sheet_name(_("Summary"), set())
    about = book.add_worksheet(summary)
    about.set_column(0, 0, 24)
    about.set_column(1, 1, 70)
    about.set_column(2, 3, 18)
    about.set_column(4, 4, 90)
    r = 0
    for label, value in (
        (_("Page"), meta.page),
        (_("Dataset"), meta.dataset),
        (_("Filters"), meta.filters),
        (_("Exported"), meta.exported),
        (_("Source"), meta.source),
    ):
        about.write_string(r, 0, label, bold)
        text(about, r, 1, value, wrap)
        r += 1
    if meta.kpis:
        r += 1
        about.write_string(r, 0, _("Key figures"), bold)
        r += 1
        for kpi in meta.kpis:
            text(about, r, 0, kpi.label)
            text(about, r, 1, f"{kpi.value}  {kpi.note}".strip(), wrap)
            r += 1
    if meta.highlights:
        r += 1
        about.write_string(r, 0, _("Findings"), bold)
        r += 1
        for i, finding in enumerate(meta.highlights, start=1):
            about.write_string(r, 0, f"{i}.")
            text(about, r, 1, finding, wrap)
            r += 1
    r += 1
    headers = [_("Sheet"), _("Finding"), _("Provenance"), _("Rows"), _("Footnote")]
    for c, label in enumerate(headers):
        about.write_string(r, c, label, head)
    r += 1
    used: set[str] = {summary.lower()}
    tables: list[tuple[str, pl.DataFrame, dict[str, str], list[str | None] | None, Chart | None]]
    tables = [(c.name, linked_pages(c), c.formats, c.links, c) for c in charts]
    # a table's sheet by its title, or by its kind where the title is longer than a sheet's
    # name may be ("Assumptions Mid-size brand w", cut to Excel's 31 characters)
    tables += [
        (
            t.title if len(t.title) <= SHEET_NAME else _(t.kicker).capitalize(),
            t.table,
            {},
            None,
            None,
        )
        for t in meta.tables
    ]
    for i, (label, table, col_formats, links, chart) in enumerate(tables):
        name = sheet_name(label, used)
        if chart is not None:
            text(about, r, 0, name)
            text(about, r, 1, chart.title, wrap)
            about.write_string(r, 2, _(theme.PROVENANCE[chart.kind].label))
            about.write_number(r, 3, chart.table.height)
            text(about, r, 4, footnote(chart, meta), wrap)
            r += 1
        else:  # a table sheet is listed too, with its title and footnote
            item = meta.tables[i - len(charts)]
            text(about, r, 0, name)
            text(about, r, 1, item.title, wrap)
            about.write_number(r, 3, item.table.height)
            text(about, r, 4, item.footnote, wrap)
            r += 1
        _table_sheet(book, name, table, col_formats, links, head, link, number_format, text)
    about.freeze_panes(0, 1)
    book.close()
    return out.getvalue()


def _table_sheet(
    book: Any,
    name: str,
    table: pl.DataFrame,
    col_formats: dict[str, str],
    links: list[str | None] | None,
    head: Any,
    link: Any,
    number_format: Any,
    text: Any,
) -> None:
    sheet = book.add_worksheet(name)
    safe = table.with_columns(  # text as text (categorical too); numbers stay numbers
        pl.col(c).cast(pl.String)
        for c, t in table.schema.items()
        if isinstance(t, pl.Categorical | pl.Enum)
    )
    shown = display.headers(table.columns)  # headers in the language; formats by English name
    for c, (col, original) in enumerate(zip(safe.columns, table.columns, strict=True)):
        text(sheet, 0, c, shown[original], head)
        code = col_formats.get(original) or default_format(
            table.schema[original], original, whole_numbers(table[original])
        )
        longest = max([len(col)] + [len(_shown(v)) for v in safe[col].head(500).to_list()])
        sheet.set_column(c, c, max(8, min(60, longest + 2)), number_format(code) if code else None)
    for i, row in enumerate(safe.iter_rows(), start=1):
        for c, value in enumerate(row):
            if isinstance(value, str):
                text(sheet, i, c, value)
            else:
                _write(sheet, i, c, value)
    if links is not None:
        c = safe.width
        sheet.write_string(0, c, _("Source link"), head)
        sheet.set_column(c, c, 60)
        for i, url in enumerate(links, start=1):
            if url and _URL.match(url):
                sheet.write_url(i, c, url, link, string=url[:250])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(1, safe.height), max(0, safe.width - 1))


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}"
    return "" if value is None else str(value)


def _write(sheet: Any, row: int, col: int, value: Any) -> None:
    if value is None:
        sheet.write_blank(row, col, None)
    elif isinstance(value, bool):
        sheet.write_string(row, col, _("yes") if value else _("no"))
    elif isinstance(value, int | float):
        if isinstance(value, float) and value != value:  # NaN
            sheet.write_blank(row, col, None)
        else:
            sheet.write_number(row, col, value)
    else:
        sheet.write_string(row, col, str(value))
