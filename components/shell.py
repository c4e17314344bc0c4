"""The app's frame: cached data access, the global sidebar filters, URL sync, chart cards."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import duckdb

# Heavy libraries that Streamlit and Plotly import lazily are imported here, once, while this
# module's import lock is held: concurrent first sessions otherwise race on a half-imported
# pandas ("partially initialized module"), as the load test showed.
import pandas  # noqa: F401
import plotly.express  # noqa: F401
import plotly.graph_objects as go
import polars as pl
import pyarrow  # noqa: F401
import pydeck  # noqa: F401
import streamlit as st
from streamlit.errors import StreamlitAPIException

from components import pagecharts, theme  # noqa: F401  (theme registers the Plotly template)
from cx import access as access_rules
from cx import db, deck, ingest, views
from cx.deck import Chart
from cx.export import safe_csv
from cx.schema import DEFAULT_MIN_N, FILTER_DIMENSIONS
from cx.selection import FILTER_KEYS, Selection, from_query_params

FILTER_LABELS = FILTER_DIMENSIONS
CONFIDENCE_LEVELS = (0.90, 0.95, 0.99)


@dataclass(frozen=True)
class Access:
    """Who is using this session: sign-in mode, role, and identity (never logged as is)."""

    mode: Literal["open", "oidc"]
    role: access_rules.Role | None
    email: str | None = None
    name: str | None = None


def _secrets_section(name: str) -> dict[str, Any] | None:
    """A section of ``.streamlit/secrets.toml``, or None (also when there is no file)."""
    try:
        if name not in st.secrets:
            return None
        return dict(st.secrets[name])
    except (FileNotFoundError, KeyError, StreamlitAPIException, OSError):
        return None


def _provider(auth: dict[str, Any]) -> str | None:
    """The OIDC provider to sign in with: None for a single unnamed one, else the first named."""
    if "client_id" in auth:
        return None
    named = [k for k, v in auth.items() if isinstance(v, Mapping)]
    return named[0] if named else None


def access() -> Access:
    """The current session's access: open (no sign-in configured) or through OIDC."""
    auth = _secrets_section("auth")
    if not auth:
        return Access("open", "viewer" if read_only() else "analyst")
    if not st.user.is_logged_in:
        return Access("oidc", None)
    email = st.user.get("email")
    email = str(email) if email else None
    policy = access_rules.policy_from(_secrets_section("cxbench"), os.environ)
    name = st.user.get("name")
    return Access("oidc", access_rules.role_for(email, policy), email, str(name) if name else None)


def gate() -> Access:
    """Before any data is shown: sign in when OIDC is configured, refuse unknown users."""
    who = access()
    if who.mode == "oidc" and not st.user.is_logged_in:
        _only_page(_sign_in_screen, "Sign in")
    if who.role is None:
        _only_page(_no_access_screen, "No access")
    if not st.session_state.get("_logged_session"):
        st.session_state["_logged_session"] = True
        access_rules.log(
            "session", mode=who.mode, role=who.role, user=access_rules.user_ref(who.email)
        )
    return who


def _only_page(screen: Callable[[], None], title: str) -> None:
    """Show one screen as the app's only (hidden) page, then stop: no data, no other pages."""
    st.navigation([st.Page(screen, title=title, default=True)], position="hidden").run()
    st.stop()


def _sign_in_screen() -> None:
    st.title("cxbench", anchor=False)
    st.write("Customer-experience benchmarks. Sign in to continue.")
    provider = _provider(_secrets_section("auth") or {})
    st.button(
        "Sign in",
        type="primary",
        icon=":material/login:",
        on_click=(lambda: st.login(provider)) if provider else st.login,
    )


def _no_access_screen() -> None:
    st.title("cxbench", anchor=False)
    st.error(
        "Your account is not on this dashboard's access list. Ask an administrator to add it, "
        "or sign in with another account.",
        icon=":material/block:",
    )
    st.button("Sign out", on_click=st.logout, icon=":material/logout:")


def identity_box(who: Access) -> None:
    """Who is signed in (with sign-out), or that access is open."""
    with st.sidebar:
        if who.mode == "open":
            st.caption(
                ":material/lock_open: **Open access**: no sign-in is configured (local use). "
                "Configure OpenID Connect in `.streamlit/secrets.toml` to require sign-in."
            )
            return
        label = md_escape(who.name or who.email or "signed in")
        st.caption(f":material/account_circle: {label} · {who.role}")
        st.button("Sign out", on_click=st.logout, icon=":material/logout:", key="sign_out")


def read_only() -> bool:
    """True when nothing may be written: ``CX_READ_ONLY=1`` (viewer-only deployments), or a
    Parquet or MotherDuck source (``CX_DATA``), which the app only reads."""
    return os.environ.get("CX_READ_ONLY") == "1" or db.source_kind(data_spec()) != "file"


def data_spec() -> str:
    """The data source: ``CX_DATA`` in the environment, else ``data`` in the ``[cxbench]``
    section of ``.streamlit/secrets.toml``, else the DuckDB file (``CX_DB``)."""
    if os.environ.get("CX_DATA"):
        return db.data_source()
    configured = (_secrets_section("cxbench") or {}).get("data")
    return str(configured) if configured else db.data_source()


@st.cache_resource(show_spinner="Opening the database…")
def connection() -> duckdb.DuckDBPyConnection:
    """One DuckDB connection per process (built first if missing); queries use cursors.

    It is writable unless ``CX_READ_ONLY=1`` so that uploads can be stored; every page query
    is a SELECT, and the only writes go through :func:`cx.ingest.store` under its lock, in one
    transaction, while other sessions keep reading their snapshot.
    """
    spec = data_spec()
    try:
        if db.source_kind(spec) == "file":
            db.ensure_database(spec)
        con = db.connect_source(spec, read_only=read_only())
    except duckdb.IOException as exc:
        first = str(exc).splitlines()[0]
        if "lock" in first.lower():
            st.error(
                "The database file is open for writing in another process (a second server, "
                "or a command-line ingest). Stop that process, or serve a copy.",
                icon=":material/lock:",
            )
            st.stop()
        raise
    if not read_only():
        ingest.ensure_upload_schema(con)
    return con


def database_path() -> Path:
    """The database file the app serves (uploads are kept beside it)."""
    spec = data_spec()
    return Path(spec) if db.source_kind(spec) == "file" else db.default_db_path()


def data_changed() -> None:
    """Forget cached query results and page views after an upload or a deletion."""
    run_query.clear()
    page_view.clear()


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


@st.cache_resource(ttl=3600, max_entries=400, show_spinner=False)
def page_view(
    page: str,
    sel: Selection,
    opts: views.StatOptions,
    source: str,
    brand: str | None = None,
    focus: tuple[str, ...] | None = None,
    benchmark: str | None = None,
) -> tuple[dict[str, Any], list[Chart]]:
    """A page's view data and charts for a selection, shared by every session that asks for
    the same view (figures are built once, not on every rerun). Nothing mutates the result;
    :func:`data_changed` clears it with the query cache."""
    return pagecharts.view(
        page, run, sel, opts, source, brand=brand, focus=focus, benchmark=benchmark
    )


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
        if any(values.values()):
            st.button(
                "Clear filters", key="clear_filters", width="stretch", on_click=_clear_filters
            )
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


def _clear_filters() -> None:
    """Reset every global filter (a callback: it runs before the filter widgets exist)."""
    for key in FILTER_LABELS:
        st.session_state[f"f_{key}"] = []


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
        if not st.session_state.get("_nav_rerun"):
            from streamlit.runtime.pages_manager import PagesManager

            st.session_state["_nav_rerun"] = True
            PagesManager.uses_pages_directory = False
            st.rerun()
        # Still without app.py (a page script run on its own): apply the same gate and
        # filters here, so no page can be reached around the sign-in and roles.
        gate()
        ctx = sidebar()
        st.session_state["_ctx"] = ctx
    return ctx


def header(title: str, lead: str) -> None:
    """Page title and one-line purpose, with a slot on the right for the page's exports."""
    left, right = st.columns([6, 1.4], vertical_alignment="bottom")
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
    with (
        slot if slot is not None else st.container(),
        st.popover("Export page", icon=":material/ios_share:", width="stretch"),
    ):
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
            st.caption(note)
        left, right = st.columns([3, 1], vertical_alignment="center")
        with left:
            show = st.toggle("Show data", key=f"data_{chart.key}")
        with right, st.popover("Export", icon=":material/download:", width="stretch"):
            chart_downloads(chart)
        if show:
            st.dataframe(chart.table, hide_index=True, width="stretch")


def screen_figure(chart: Chart) -> go.Figure:
    """The chart as drawn on screen: the card carries title and footnote as text (they wrap),
    so the figure drops its own title. Made once per chart and kept with it."""
    if chart.screen is None:
        screen = go.Figure(chart.figure)
        screen.update_layout(title=None, margin={"t": 10})
        chart.screen = screen
    return chart.screen


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
        data=lambda: safe_csv(chart.table),  # built on click, not on every rerun
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
    """Whether this session may upload and delete datasets (checked again on every write)."""
    return not read_only() and access().role == "analyst"


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
    access_rules.log(
        "upload",
        outcome=outcome,
        dataset=dataset,
        rows=final.accepted.height,
        rejected=final.rejected.height,
        user=access_rules.user_ref(access().email),
    )
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
    access_rules.log("delete", dataset=dataset, user=access_rules.user_ref(access().email))
