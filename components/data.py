"""The app's data: one :class:`cx.data.database.Database` per process, cached queries and report
views shared across sessions."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from components import auth
from cx.build import databases
from cx.core import access as access_rules
from cx.core import i18n
from cx.core.i18n import _
from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import connect, publishing, sql
from cx.data.connect import DatabaseBusy
from cx.data.database import Database, OutdatedSourceError
from cx.exports.chart import Chart
from cx.ingest.store import tidy_uploads
from cx.metrics import kept
from cx.reports.base import Source, dataset_source
from cx.reports.registry import BY_KEY


@st.cache_resource(show_spinner="Opening the database…")
def database() -> Database:
    """The data source, opened once per process (the demo database is built if missing).

    It is writable unless the source is read-only, so that uploads can be stored through the
    one write path (:meth:`Database.write`) while other sessions keep reading.
    """
    spec = auth.data_spec()
    try:
        if connect.source_kind(spec) == "file":
            databases.ensure_database(spec)
        opened = Database(spec, read_only=auth.read_only())
        tidy_uploads(opened)  # what a killed upload left under uploads/
        return opened
    except OutdatedSourceError:
        st.error(
            _(
                "This database was built by an older version of cxbench and lacks the summary "
                "tables this one reads. Open it once without CX_READ_ONLY (make run does: it is "
                "brought up to date then), or build it again (make db)."
            ),
            icon=":material/update:",
        )
        st.stop()
    except duckdb.IOException as exc:
        first = str(exc).splitlines()[0]
        if isinstance(exc, DatabaseBusy) or "lock" in first.lower():
            st.error(
                _(
                    "The database file is open for writing in another process (a second "
                    "server, or a command-line ingest). Stop that process, or serve a copy."
                ),
                icon=":material/lock:",
            )
            st.stop()
        raise


@st.cache_data(ttl=3600, show_spinner=False, max_entries=4000)
def run(name: str, params: dict[str, Any]) -> pl.DataFrame:
    """The runner reports read through: a named query on the process's database, cached
    across sessions (:func:`forget` clears it)."""
    return database().run(name, params)


#: How pages read: through the shared query cache, the queries a page announces at once (each
#: on a cursor of its own, :meth:`cx.data.database.Database.run`).
READER = sql.concurrent(run)


@st.cache_resource(ttl=3600, max_entries=600, show_spinner=False)
def report_view(
    key: str,
    sel: Selection,
    opts: Options,
    source: Source,
    picks: tuple[tuple[str, Any], ...],
    lang: str = i18n.DEFAULT,
) -> tuple[Any, list[Chart]]:
    """A report's result and charts for a selection and picks in a language, shared by every
    session that asks for the same view (figures are built once). Nothing mutates the result;
    :func:`data_changed` clears it with the query cache."""
    report = BY_KEY[key]
    result = report.compute(READER, sel, opts, **dict(picks))
    return result, report.charts(result, source)


def forget() -> None:
    """Forget cached query results and report views after a write that only this server's
    pages read (a saved or deleted assessment): nothing to publish."""
    run.clear()
    report_view.clear()


def data_changed() -> None:
    """Forget cached query results and report views after an upload or a deletion; a writer
    with ``CX_PUBLISH_TO`` then publishes the data for the replicas that serve that folder."""
    run.clear()
    report_view.clear()
    kept.forget(everything=True)
    target = os.environ.get("CX_PUBLISH_TO")
    if target and not auth.read_only():
        with st.spinner(_("Publishing for the other servers…")):
            publishing.publish(database(), Path(target), origin="upload")


@st.cache_resource(show_spinner=False)
def _freshness() -> publishing.Freshness:
    """This process's watch on the published data (see :class:`cx.data.publishing.Freshness`),
    starting from the version the source was opened with, so that a publish between opening
    it and the first look is not taken for what is served."""
    return publishing.Freshness(
        lambda: publishing.source_version(database()),
        publishing.refresh_seconds(),
        known=publishing.opened_version(database()),
    )


def refresh() -> None:
    """On a read-only server (a replica): when another process published new data, reopen the
    source and forget cached results. Looks at most every ``CX_REFRESH_SECONDS``; a writable
    server changes its data itself and clears its caches then (:func:`data_changed`)."""
    if auth.read_only() and _freshness().changed():
        database.clear()  # sessions still reading keep the old connection until they finish
        run.clear()
        report_view.clear()
        kept.forget(everything=True)
        access_rules.log("data_refresh", source=connect.source_kind(auth.data_spec()))


def datasets() -> pl.DataFrame:
    """The datasets catalogue."""
    return run("datasets", {})


def source(dataset: str) -> Source:
    """What a dataset is and provides."""
    return dataset_source(run, dataset)


def filter_options(dataset: str) -> dict[str, list[str]]:
    """Allowed values of every filter in a dataset."""
    from cx.reports.base import filter_values

    return filter_values(run, dataset)
