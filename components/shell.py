"""The app's frame: cached data access, the global sidebar filters, URL sync, chart cards."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from components import theme  # noqa: F401  (registers the Plotly template)
from cx import db, deck, ingest, views
from cx.deck import Chart
from cx.export import safe_csv
from cx.schema import DEFAULT_MIN_N, FILTER_DIMENSIONS
from cx.selection import FILTER_KEYS, Selection, from_query_params

FILTER_LABELS = FILTER_DIMENSIONS
CONFIDENCE_LEVELS = (0.90, 0.95, 0.99)


def read_only() -> bool:
    """True on viewer-only deployments (``CX_READ_ONLY=1``): no uploads, data opened read-only."""
    return os.environ.get("CX_READ_ONLY") == "1"


@st.cache_resource(show_spinner="Opening the database…")
def connection() -> duckdb.DuckDBPyConnection:
    """One DuckDB connection per process (built first if missing); queries use cursors.

    It is writable unless ``CX_READ_ONLY=1`` so that uploads can be stored; every page query
    is a SELECT, and the only writes go through :func:`cx.ingest.store` under its lock, in one
    transaction, while other sessions keep reading their snapshot.
    """
    path = db.ensure_database()
    con = db.connect(path, read_only=read_only())
    if not read_only():
        ingest.ensure_upload_schema(con)
    return con


def database_path() -> Path:
    """The database file the app serves."""
    return db.default_db_path()


def data_changed() -> None:
    """Forget cached query results after an upload or a deletion."""
    run_query.clear()


@st.cache_data(ttl=3600, show_spinner=False, max_entries=2000)
def run_query(name: str, params: dict[str, Any]) -> pl.DataFrame:
    """Run a named query on a per-call cursor (thread-safe across sessions), cached."""
    cursor = connection().cursor()
    try:
        return db.execute(cursor, name, params)
    finally:
        cursor.close()


def run(name: str, params: dict[str, Any]) -> pl.DataFrame:
    """The runner the views use: the cached query."""
    return run_query(name, params)


@dataclass(frozen=True)
class Context:
    """What every page needs: the selection, statistical options and dataset facts."""

    sel: Selection
    opts: views.StatOptions
    dataset_label: str
    dataset_kind: str
    fields: frozenset[str] | None = field(default=None)

    def has(self, *names: str) -> bool:
        """Whether the dataset provides all of these canonical fields (the demo has all)."""
        return self.fields is None or all(n in self.fields for n in names)

    @property
    def source(self) -> str:
        """Subtitle source for survey-sample charts."""
        kind = "synthetic demo survey" if self.dataset_kind == "demo" else "uploaded survey"
        return f"Survey sample ({kind}: {self.sel.dataset})"


def _datasets() -> pl.DataFrame:
    return run("datasets", {})


def _fields(datasets: pl.DataFrame, dataset: str) -> frozenset[str] | None:
    row = datasets.filter(pl.col("dataset") == dataset)
    if row.is_empty() or row["fields"][0] is None:
        return None
    return frozenset(str(row["fields"][0]).split(","))


def not_in_dataset(what: str) -> None:
    """Say plainly that the chosen dataset does not have what this part of the page needs."""
    st.info(
        f"{what}: not in this dataset. The uploaded file had no such column; see Upload data "
        "for the mapping it was stored with.",
        icon=":material/block:",
    )


def options(dataset: str) -> dict[str, list[str]]:
    """Allowed values of every filter in a dataset (from the cached query)."""
    opts = run("filter_options", {"dataset": dataset})
    out: dict[str, list[str]] = {k: [] for k in FILTER_KEYS}
    for dim, value in opts.iter_rows():
        out.setdefault(dim, []).append(value)
    return out


def sidebar() -> Context:
    """Render the global filters (kept across pages, mirrored in the URL) and return them."""
    datasets = _datasets()
    names = datasets["dataset"].to_list()
    state = st.session_state
    if "_url_loaded" not in state:
        state["_url_loaded"] = True
        first_ds = st.query_params.get("dataset", names[0] if names else "demo")
        allowed_first = options(first_ds if first_ds in names else names[0])
        sel, notices = from_query_params(dict(st.query_params), allowed_first, names)
        state["_notices"] = notices
        state["f_dataset"] = sel.dataset
        for key in FILTER_LABELS:
            state[f"f_{key}"] = list(getattr(sel, key))
        state.setdefault("f_min_n", DEFAULT_MIN_N)
        state.setdefault("f_confidence", 0.95)

    with st.sidebar:
        st.markdown("### Filters")
        labels = dict(zip(datasets["dataset"], datasets["label"], strict=True))
        dataset = st.selectbox(
            "Dataset",
            names,
            key="f_dataset",
            format_func=lambda d: labels.get(d, d),
            help="The embedded demo is synthetic survey data with fictional brands.",
        )
        dataset_options = options(dataset)
        values: dict[str, tuple[str, ...]] = {}
        for key, label in FILTER_LABELS.items():
            allowed = dataset_options.get(key, [])
            current = [v for v in state.get(f"f_{key}", []) if v in allowed]
            state[f"f_{key}"] = current
            chosen = st.multiselect(
                label,
                allowed,
                key=f"f_{key}",
                placeholder=f"All {label.lower()}",
            )
            values[key] = tuple(chosen)
        if any(values.values()) and st.button(
            "Clear filters", key="clear_filters", width="stretch"
        ):
            for key in FILTER_LABELS:
                state[f"f_{key}"] = []
            st.rerun()
        with st.expander("Statistics", expanded=False):
            min_n = st.number_input(
                "Suppress groups under n =",
                min_value=10,
                max_value=1000,
                step=10,
                key="f_min_n",
                help="Groups with fewer responses show 'n too small' instead of a score.",
            )
            confidence = st.selectbox(
                "Confidence level",
                CONFIDENCE_LEVELS,
                key="f_confidence",
                format_func=lambda c: f"{c:.0%}",
            )
        kind = dict(zip(datasets["dataset"], datasets["kind"], strict=True)).get(dataset, "upload")
        if kind == "demo":
            st.caption(
                ":material/science: **Demo data is synthetic**: fictional brands, calibrated to "
                "published figures. Published figures are labelled as such on every page."
            )

    sel = Selection(dataset=dataset, **values)
    _sync_url(sel)
    for notice in state.pop("_notices", []):
        st.toast(notice, icon=":material/link_off:")
    return Context(
        sel=sel,
        opts=views.StatOptions(min_n=int(min_n), confidence=float(confidence)),
        dataset_label=labels.get(dataset, dataset),
        dataset_kind=kind,
        fields=_fields(datasets, dataset),
    )


def _sync_url(sel: Selection) -> None:
    """Mirror the selection in the URL so a copied link reopens the same view."""
    wanted = sel.to_query_params()
    current = {k: st.query_params.get(k) for k in (*FILTER_KEYS, "dataset")}
    for key in (*FILTER_KEYS, "dataset"):
        if key in wanted and current.get(key) != wanted[key]:
            st.query_params[key] = wanted[key]
        elif key not in wanted and key in st.query_params:
            del st.query_params[key]


def context() -> Context:
    """The context set up by ``app.py`` for the current run."""
    ctx = st.session_state.get("_ctx")
    if not isinstance(ctx, Context):
        # The page script ran without app.py: when the very first request of a fresh server
        # is a sub-page URL, Streamlit's legacy ``pages/`` auto-discovery runs the page file
        # itself. ``st.navigation`` in app.py switches that mode off for the process, but the
        # legacy runner never calls it, so switch it off here (the same class flag
        # ``st.navigation`` sets) and rerun: app.py then builds the real navigation and lands
        # on the same page, whose url path and page hash are the same.
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()
    return ctx


def header(title: str, lead: str) -> None:
    """Page title and one-line purpose, with a slot on the right for the page's exports."""
    left, right = st.columns([5, 2], vertical_alignment="bottom")
    with left:
        st.title(title, anchor=False)
    st.session_state["_export_slot"] = right.container()
    st.session_state["_page_title"] = title
    st.caption(lead)


def start_page() -> None:
    """Reset the per-run list of charts the page exports (called by app.py every full run)."""
    st.session_state["_page_charts"] = {}


def register(chart: Chart) -> None:
    """Add a chart to the page's exports (chart_card does this for every card)."""
    registry = st.session_state.setdefault("_page_charts", {})
    registry[chart.key] = chart


def page_exports(
    page: str, sel: Selection | None = None, highlights: list[str] | None = None
) -> None:
    """PowerPoint and Excel of every chart on the page, with the filters as applied.

    Files are built only when a button is clicked (deferred downloads). Charts drawn inside a
    fragment (the revenue model) update the same registry, so the files follow the sliders.
    """
    ctx = context()
    registry: dict[str, Chart] = st.session_state.setdefault("_page_charts", {})
    meta = deck.DeckMeta(
        page=str(st.session_state.get("_page_title", page)),
        filters=(sel or ctx.sel).describe(),
        dataset=ctx.dataset_label,
        source=deck.EXPORT_SOURCE,
        highlights=tuple(highlights or ()),
    )
    slot = st.session_state.get("_export_slot")
    with slot if slot is not None else st.container():
        pptx_col, xlsx_col = st.columns(2)
        with pptx_col:
            st.download_button(
                "PowerPoint",
                data=lambda: deck.pptx_deck(list(registry.values()), meta),
                file_name=f"cxbench-{page}.pptx",
                mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                key=f"pptx_{page}",
                icon=":material/slideshow:",
                on_click="ignore",
                width="stretch",
                help="A 16:9 deck: a title slide, then one slide per chart with native, editable "
                "PowerPoint charts (map and heatmap as images), findings as titles and n, "
                "source and provenance as footnotes.",
            )
        with xlsx_col:
            st.download_button(
                "Excel",
                data=lambda: deck.xlsx_workbook(list(registry.values()), meta),
                file_name=f"cxbench-{page}.xlsx",
                mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                key=f"xlsx_{page}",
                icon=":material/table_view:",
                on_click="ignore",
                width="stretch",
                help="One sheet per chart's data plus an 'About' sheet with filters and sources.",
            )


def provenance_badge(kind: str) -> None:
    """A small badge saying whether a chart shows published figures or the survey sample."""
    if kind == "published":
        st.badge("Published figure", icon=":material/menu_book:", color="violet")
    elif kind == "model":
        st.badge("Model (inputs below)", icon=":material/calculate:", color="orange")
    else:
        st.badge("Survey sample", icon=":material/groups:", color="blue")


def chart_card(chart: Chart, ctx: Context | None = None) -> None:
    """Render a chart with its provenance, a data toggle and its exports (PNG, SVG, CSV)."""
    with st.container(border=True):
        provenance_badge(chart.kind)
        # On screen the finding and footnote are Streamlit text (they wrap); the figure keeps
        # them for exports, so the displayed copy drops its own title.
        st.markdown(f"**{md_escape(chart.title)}**")
        st.caption(md_escape(chart.subtitle))
        screen = go.Figure(chart.figure)
        screen.update_layout(title=None, margin={"t": 10})
        st.plotly_chart(
            screen,
            width="stretch",
            key=f"fig_{chart.key}",
            config={
                "displaylogo": False,
                "toImageButtonOptions": {"format": "png", "scale": 2, "filename": chart.key},
            },
        )
        for note in chart.notes:
            st.caption(note)
        left, right = st.columns([3, 1], vertical_alignment="center")
        with left:
            show = st.toggle("Show data", key=f"data_{chart.key}")
        with right, st.popover("Export", icon=":material/download:", width="stretch"):
            chart_downloads(chart)
        if show:
            st.dataframe(chart.table, hide_index=True, width="stretch")


def chart_downloads(chart: Chart) -> None:
    """PNG (16:9 or chart size, 2x) and SVG rendered on the server, and the CSV of the data."""
    register(chart)
    reason = deck.image_export_status()
    images: list[tuple[str, Literal["png", "svg"], str, str]] = [
        ("PNG 16:9", "png", "16:9", "image/png"),
        ("PNG chart size", "png", "chart", "image/png"),
        ("SVG", "svg", "16:9", "image/svg+xml"),
    ]

    def render(fmt: Literal["png", "svg"], size: str) -> Callable[[], bytes]:
        return lambda: deck.titled_image(chart, fmt, size)

    for label, fmt, size, mime in images:
        st.download_button(
            label,
            data=render(fmt, size) if not reason else b"",
            file_name=f"cxbench-{chart.key}{'' if size == '16:9' else '-' + size}.{fmt}",
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
        "CSV (data)",
        data=safe_csv(chart.table),
        file_name=f"cxbench-{chart.key}.csv",
        mime="text/csv",
        key=f"csv_{chart.key}",
        on_click="ignore",
        width="stretch",
    )


def md_escape(text: str) -> str:
    """Escape Markdown so data strings (brand names, uploads) render as plain text."""
    out = []
    for ch in str(text):
        if ch in "\\`*_{}[]()#+-.!|<>~$:":
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def empty_state(message: str = "No respondents match these filters.") -> None:
    """Say plainly that there is nothing to show, and how to get something."""
    st.info(
        f"{message} Widen the filters in the sidebar or clear them.",
        icon=":material/filter_alt_off:",
    )


def n_text(n: float | int | None) -> str:
    """Format a sample size."""
    return "n = 0" if n is None else f"n = {n:,.0f}"


# ---- uploads ---------------------------------------------------------------------------------


def can_upload() -> bool:
    """Whether the signed-in user may upload and delete datasets (checked again on write)."""
    return not read_only()


def _require_upload_rights() -> None:
    if not can_upload():
        raise ingest.IngestError("you may not upload or delete datasets on this server")


def read_upload(data: bytes, filename: str) -> ingest.RawSurvey:
    """Read an uploaded file once per session (reruns reuse it)."""
    memo = st.session_state.setdefault("_upload_memo", {})
    key = ("raw", filename, len(data), hash(data[:4096]), hash(data[-4096:]))
    if key not in memo:
        memo.clear()
        memo[key] = ingest.read_survey(data, filename)
    raw: ingest.RawSurvey = memo[key]
    return raw


def validate_upload(raw: ingest.RawSurvey, mapping: dict[str, str]) -> ingest.IngestResult:
    """Normalise and validate with this mapping (memoised per mapping in the session)."""
    memo = st.session_state.setdefault("_validate_memo", {})
    key = (raw.sha256, tuple(sorted(mapping.items())))
    if key not in memo:
        memo.clear()
        memo[key] = ingest.normalise(raw, mapping, "preview")
    result: ingest.IngestResult = memo[key]
    return result


def store_upload(
    result: ingest.IngestResult,
    dataset: str,
    label: str,
    data: bytes,
    filename: str,
    replace: bool,
) -> str:
    """Store a validated upload through the one write path; forget cached results."""
    _require_upload_rights()
    accepted = result.accepted.with_columns(pl.lit(dataset).alias("dataset"))
    final = ingest.IngestResult(accepted, result.rejected, result.report)
    cursor = connection().cursor()
    try:
        outcome = ingest.store(
            cursor, final, dataset, label, data, filename, database_path(), replace
        )
    except duckdb.Error as exc:
        raise ingest.IngestError(
            f"the database refused the write: {str(exc).splitlines()[0]}"
        ) from exc
    finally:
        cursor.close()
    data_changed()
    return outcome


def delete_dataset(dataset: str) -> None:
    """Delete an uploaded dataset through the one write path; forget cached results."""
    _require_upload_rights()
    datasets = run("datasets", {})
    kinds = dict(zip(datasets["dataset"], datasets["kind"], strict=True))
    if kinds.get(dataset) != "upload":
        raise ingest.IngestError("only uploaded datasets can be deleted")
    cursor = connection().cursor()
    try:
        ingest.delete_dataset(cursor, dataset, database_path())
    finally:
        cursor.close()
    data_changed()
