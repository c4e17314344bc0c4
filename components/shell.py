"""The app's frame: cached data access, the global sidebar filters, URL sync, chart cards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import duckdb
import plotly.graph_objects as go
import polars as pl
import streamlit as st

from components import theme  # noqa: F401  (registers the Plotly template)
from cx import db, deck, views
from cx.deck import Chart
from cx.export import safe_csv
from cx.schema import DEFAULT_MIN_N, FILTER_DIMENSIONS
from cx.selection import FILTER_KEYS, Selection, from_query_params

FILTER_LABELS = FILTER_DIMENSIONS
CONFIDENCE_LEVELS = (0.90, 0.95, 0.99)


@st.cache_resource(show_spinner="Opening the database…")
def connection() -> duckdb.DuckDBPyConnection:
    """One read-only DuckDB connection per process (built first if missing)."""
    return db.connect(db.ensure_database(), read_only=True)


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

    @property
    def source(self) -> str:
        """Subtitle source for survey-sample charts."""
        kind = "synthetic demo survey" if self.dataset_kind == "demo" else "uploaded survey"
        return f"Survey sample ({kind}: {self.sel.dataset})"


def _datasets() -> pl.DataFrame:
    return run("datasets", {})


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
