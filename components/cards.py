"""Rendering pieces: page header, chart cards with their exports, tables, key-figure tiles,
notices.

Every text from data, a file or a link is rendered through :func:`cx.core.display.plain`; every
table through :func:`table`, which neutralises formulas before the browser gets the cells.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence
from typing import Any, Final, Literal

import plotly.graph_objects as go
import polars as pl
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components import session
from components.session import Drawn
from cx.charts import figures, theme
from cx.core import display, i18n
from cx.core.display import plain
from cx.core.i18n import N_, _
from cx.exports.chart import Chart, DeckMeta, Kpi, file_name, linked_pages
from cx.exports.images import image_export_status, titled_image
from cx.exports.safety import neutralise_formulas, safe_csv
from cx.exports.slides import pptx_deck
from cx.exports.workbook import default_format, whole_numbers, xlsx_workbook

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX_HELP = N_(
    "A 16:9 deck: title and key figures, then one slide per chart with native, editable "
    "PowerPoint charts (map and heatmap as images), findings as titles and n, source and "
    "provenance as footnotes."
)
XLSX_HELP = N_("A summary sheet with filters and sources, then one sheet per chart's data.")


def header(title: str, lead: str) -> DeltaGenerator:
    """Page title and one-line purpose; returns the slot on the right for the page's exports."""
    left, right = st.columns([5, 1.3], vertical_alignment="bottom")
    with left:
        st.title(title, anchor=False)
    slot = right.container()
    st.caption(lead)
    return slot


def provenance_badge(kind: str) -> None:
    """A small badge saying whether a chart shows published figures, the sample or a model
    (the words every export uses: :data:`cx.charts.theme.PROVENANCE`)."""
    kind_ = theme.PROVENANCE.get(kind, theme.PROVENANCE["survey"])
    st.badge(_(kind_.label), icon=kind_.icon, color=kind_.badge)  # type: ignore[arg-type]


#: Charts are cached and shared by every session; copying one Plotly figure from two threads at
#: once corrupts the copy ("Invalid value ... 'textposition' property of scatter", found by the
#: replica load test), so the one-time copy is made under a lock.
_SCREEN_LOCK = threading.Lock()


def screen_figure(chart: Chart) -> go.Figure:
    """The chart as drawn on screen: the card carries title and footnote as text (they wrap),
    so the figure drops its own title. Made once per chart and kept with it."""
    if chart.screen is None:
        with _SCREEN_LOCK:
            if chart.screen is None:
                chart.screen = figures.screen(chart.figure)
    return chart.screen


def chart_card(chart: Chart, dataset: str) -> None:
    """A chart with its provenance, finding, footnote, a data toggle and its exports (named
    for ``dataset``)."""
    with st.container(border=True):
        provenance_badge(chart.kind)
        st.markdown(f"**{plain(chart.title)}**")
        st.caption(plain(chart.subtitle))
        if chart.nothing_shown:  # empty axes under a title saying there is nothing to draw
            how = _("Widen the filters, or lower the minimum under Statistics in the sidebar.")
            note = _("{why} {how}").format(why=chart.nothing_shown_note, how=how)
            st.info(note, icon=":material/visibility_off:")
        else:
            st.plotly_chart(
                screen_figure(chart),
                width="stretch",
                key=f"fig_{chart.key}",
                config={
                    "displaylogo": False,
                    "toImageButtonOptions": {"format": "png", "scale": 2, "filename": chart.key},
                },
            )
        for note in chart.notes:
            st.caption(plain(note))
        left, right = st.columns([1, 1], vertical_alignment="center")
        with left:
            show = st.toggle(_("Show data"), key=f"data_{chart.key}")
        with right, st.popover(_("Export"), icon=":material/download:", width="stretch"):
            chart_downloads(chart, dataset)
        if show:
            table(chart.table, column_config={**data_columns(chart), **(link_columns(chart) or {})})


def table(
    frame: pl.DataFrame,
    *,
    column_config: dict[str, Any] | None = None,
    height: int | Literal["auto"] = "auto",
    key: str | None = None,
) -> None:
    """Every table of the app. Its cells reach the browser with formulas neutralised by the
    exports' own neutraliser (:func:`cx.exports.safety.neutralise_formulas`): the table's
    toolbar downloads a CSV, and copies cells, in the browser, where the server cannot step in,
    so a brand named ``=HYPERLINK(...)`` shows (and downloads) as ``'=HYPERLINK(...)``.
    Numbers stay numbers. Headers show in the language (:func:`cx.core.display.headers`); the
    frame and ``column_config`` name columns as the report does (English)."""
    shown = display.headers(frame.columns)
    config = {shown.get(k, k): v for k, v in (column_config or {}).items()} or None
    st.dataframe(
        neutralise_formulas(frame.rename(shown)),
        hide_index=True,
        width="stretch",
        height=height,
        column_config=config,
        key=key,
    )


def editor(frame: pl.DataFrame, **options: Any) -> Any:
    """An editable table (the upload's answer values), its cells neutralised like
    :func:`table`'s: the editor's toolbar downloads them too. Returns what the user edited."""
    return st.data_editor(neutralise_formulas(frame), hide_index=True, width="stretch", **options)


def number_format(code: str) -> str:
    """The table widget's format for an Excel number format: its decimals (``0.00`` -> two),
    dollars as dollars, an unquoted ``%`` as a percentage of a fraction; the rest of the code
    (signs, thousands, quoted text) is Excel's own."""
    first = re.sub(r'"[^"]*"', "", code.split(";")[0])  # quoted text is shown as it is
    if "$" in first:
        return "dollar"
    if "%" in first:
        return "percent"  # Excel shows a fraction as a percentage, and so does the widget
    if first == "#,##0":
        return "localized"  # whole, with the reader's thousands marks ("9845.0" responses)
    decimals = len(first.split(".", 1)[1]) if "." in first else 0
    return f"%.{decimals}f"


def data_columns(chart: Chart) -> dict[str, Any]:
    """A chart's "Show data" table rounds as its Excel sheet does (the chart's own formats, else
    the workbook's defaults): "15779.1504" effective n and "13.9135" NPS were hard to read."""
    out: dict[str, Any] = {}
    for name, dtype in chart.table.schema.items():
        code = chart.formats.get(name) or default_format(
            dtype, name, whole_numbers(chart.table[name])
        )
        if dtype.is_float() and code:
            # no label: the header is the column's name, in the language (:func:`table`)
            out[name] = st.column_config.NumberColumn(format=number_format(code))
    return out


def link_columns(chart: Chart) -> dict[str, Any] | None:
    """A chart with source links shows its "Source" column as links (the site as text)."""
    column = next((c for c in ("Source", _("Source")) if c in chart.table.columns), None)
    if chart.links is None or column is None:
        return None
    return {
        column: st.column_config.LinkColumn(
            display_text=r"https?://(?:www\.)?([^/?#]+)", width="medium"
        )
    }


def chart_downloads(chart: Chart, dataset: str) -> None:
    """PNG (16:9 or chart size) and SVG rendered on the server, and the CSV of the data (no
    image of a chart with nothing to draw: it would be empty axes)."""
    reason = chart.nothing_shown_note if chart.nothing_shown else image_export_status()
    images: list[tuple[str, Literal["png", "svg"], str, str]] = [
        ("PNG 16:9", "png", "16:9", "image/png"),
        (_("PNG chart size"), "png", "chart", "image/png"),
        ("SVG", "svg", "16:9", "image/svg+xml"),
    ]

    def render(fmt: Literal["png", "svg"], size: str) -> Callable[[], bytes]:
        return lambda: titled_image(chart, fmt, size)

    for label, fmt, size, mime in images:
        st.download_button(
            label,
            data=session.in_language(render(fmt, size)) if not reason else b"",
            file_name=file_name(dataset, chart.key + ("" if size == "16:9" else f"-{size}"), fmt),
            mime=mime,
            key=f"{fmt}_{size}_{chart.key}",
            on_click="ignore",
            width="stretch",
            disabled=bool(reason),
            help=reason,
        )
    if reason:
        st.caption(reason)
    st.download_button(
        _("CSV (data)"),
        data=session.in_language(lambda: safe_csv(display.translated(linked_pages(chart)))),
        file_name=file_name(dataset, chart.key, "csv"),
        mime="text/csv",
        key=f"csv_{chart.key}",
        on_click="ignore",
        width="stretch",
    )


def page_exports(drawn: Drawn, deck: Callable[[], tuple[list[Chart], DeckMeta]], slot: Any) -> None:
    """PowerPoint and Excel of the charts the page shows, with its key figures and filters.

    Files are built only when a button is clicked, from ``deck()``: the page's latest view as
    :class:`components.session.Drawn` holds it (a fragment that redraws the revenue model
    replaces that view), so every slide and sheet says what the screen says at the click.
    """
    with (
        slot if slot is not None else st.container(),
        st.popover(_("Export page"), icon=":material/ios_share:", width="stretch"),
    ):
        files: tuple[
            tuple[str, Callable[[list[Chart], DeckMeta], bytes], str, str, str, str], ...
        ] = (
            ("PowerPoint", pptx_deck, "pptx", PPTX_MIME, ":material/slideshow:", PPTX_HELP),
            ("Excel", xlsx_workbook, "xlsx", XLSX_MIME, ":material/table_view:", XLSX_HELP),
        )
        page = drawn.view.report.key if drawn.view is not None else "page"
        dataset = drawn.view.ctx.sel.dataset if drawn.view is not None else ""
        for label, build, ext, mime, icon, help_text in files:

            def make(build: Callable[[list[Chart], DeckMeta], bytes] = build) -> bytes:
                return build(*deck())

            st.download_button(
                label,
                data=session.in_language(make),  # built on click, in the page's language
                file_name=file_name(dataset, page, ext),
                mime=mime,
                key=f"{ext}_{page}",
                icon=icon,
                on_click="ignore",
                width="stretch",
                help=_(help_text),
            )


#: The app's one stylesheet (constant: no user or URL text ever reaches HTML). Key-figure tiles
#: wrap a long label or value instead of cutting it with an ellipsis: Russian runs about a
#: third longer than English ("Выручка под риском", "$528 млн"), Chinese money reads 5.28亿美元.
#: The country map has no basemap (it loaded for 1.5 s on every visit): its ground is the sea
#: colour wherever it is panned or zoomed out to.
TILE_STYLE: Final = f"""<style>
[data-testid="stMetricLabel"] *, [data-testid="stMetricValue"] * {{
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important;
}}
[data-testid="stMetricValue"] {{ font-size: clamp(1.35rem, 2.2vw, 2.25rem); line-height: 1.15; }}
[data-testid="stMetricValue"] * {{ word-break: keep-all !important; }}
[data-testid="stDeckGlJsonChart"] {{ background-color: {theme.SEA}; }}
</style>"""


#: Chinese tiles: money reads "5.32 亿美元", three wide glyphs after the number, which broke onto a
#: second line in every tile of a row of five at 1366 (the row then ragged). A smaller value fits
#: it on one line; English and Russian keep the size above.
WIDE_GLYPH_TILES: Final = (
    '<style>[data-testid="stMetricValue"] { font-size: clamp(1.15rem, 1.6vw, 2rem); }</style>'
)


def page_style() -> None:
    """Add :data:`TILE_STYLE` to the page (``app.py``, once per run), and in Chinese
    :data:`WIDE_GLYPH_TILES`."""
    style = TILE_STYLE + (WIDE_GLYPH_TILES if i18n.language() == "zh" else "")
    st.html(style)


def _css_text(text: str) -> str:
    """A CSS string literal of our own text (quotes and backslashes escaped; one line)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def uploader_style(types: Sequence[str], max_mb: int) -> str:
    """Words Streamlit's file uploader draws in English itself (its button and its limits line),
    in the current language, as a stylesheet that replaces them (Streamlit cannot translate
    them); English: nothing."""
    if i18n.language() == i18n.DEFAULT:
        return ""
    button = _css_text(_("Upload"))
    limits = _css_text(
        _("Up to {size} MB per file · {types}").format(
            size=display.count(max_mb), types=", ".join(t.upper() for t in types)
        )
    )
    drop = '[data-testid="stFileUploaderDropzone"]'
    return (
        f'<style>{drop} button [data-testid="stMarkdownContainer"] p {{font-size: 0}}'
        f'{drop} button [data-testid="stMarkdownContainer"] p::after '
        f"{{content: {button}; font-size: 0.875rem}}"
        f'[data-testid="stFileUploaderDropzoneInstructions"] span {{font-size: 0}}'
        f'[data-testid="stFileUploaderDropzoneInstructions"] span::after '
        f"{{content: {limits}; font-size: 0.8rem}}</style>"
    )


def file_uploader(label: str, types: Sequence[str], max_mb: int, key: str) -> Any:
    """Streamlit's file uploader with its own words in the current language."""
    style = uploader_style(types, max_mb)
    if style:
        st.html(style)
    return st.file_uploader(label, type=list(types), key=key)


def kpi_tiles(kpis: Sequence[Kpi]) -> None:
    """Key figures as tiles: label, value, the note beneath and the figure's help."""
    if not kpis:
        return
    cols = st.columns(len(kpis))
    for col, kpi in zip(cols, kpis, strict=True):
        with col:
            st.metric(
                plain(kpi.label), kpi.value, border=True, help=plain(kpi.help) if kpi.help else None
            )
            if kpi.note:
                st.caption(plain(kpi.note))


def empty_state(message: str | None = None) -> None:
    """Say plainly that there is nothing to show, and how to get something (``message`` in the
    current language; by default that no respondents match)."""
    st.info(
        _("{message} Widen the filters in the sidebar or clear them.").format(
            message=message or _("No respondents match these filters.")
        ),
        icon=":material/filter_alt_off:",
    )


def not_in_dataset(what: str) -> None:
    """Say plainly that the chosen dataset does not have what this part of the page needs."""
    st.info(
        _(
            "{what}: not in this dataset. The uploaded file had no such column; see Upload "
            "data for the mapping it was stored with."
        ).format(what=plain(what)),
        icon=":material/block:",
    )


def changes_table(frame: Any) -> None:
    """The What changed family as a table: figures rounded as the labels are, q-values to four
    places, each row's page as a link."""
    whole = st.column_config.NumberColumn(format="%+.0f")
    formats = {
        "From": st.column_config.NumberColumn(format="%.0f"),
        "To": st.column_config.NumberColumn(format="%.0f"),
        "Change (points)": whole,
        "Interval low": whole,
        "Interval high": whole,
        "p-value": st.column_config.NumberColumn(format="%.4f"),
        "q-value (false discovery rate)": st.column_config.NumberColumn(format="%.4f"),
        "Shown on": st.column_config.LinkColumn(_("Shown on"), display_text=r"#([^#]+)$"),
    }
    table(frame, height=360, column_config=formats)
