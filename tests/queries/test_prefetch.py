"""A page announces the queries it reads, a concurrent runner reads them at once, and the page
computes the same thing however its queries were read."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest
from polars.testing import assert_frame_equal
from support.compare import close

from cx.core.options import Options
from cx.core.selection import Selection
from cx.data import connect, sql
from cx.metrics import stats
from cx.reports.base import dataset_source
from cx.reports.registry import REPORTS

SELECTIONS = {
    "all": Selection(),
    "filtered": Selection(
        waves=("2024Q3", "2024Q4"), countries=("US", "DE", "CN"), industries=("Automakers",)
    ),
}


class Recorder:
    """A runner on a cursor per read (safe across threads) that records what it reads, which
    thread read it, and how many reads overlapped."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.reads: list[tuple[str, str]] = []
        self.busy = 0
        self.most = 0
        self._lock = threading.Lock()

    def __call__(self, name: str, params: dict[str, Any]) -> pl.DataFrame:
        with self._lock:
            self.busy += 1
            self.most = max(self.most, self.busy)
            self.reads.append((name, threading.current_thread().name))
        try:
            cursor = self.con.cursor()
            try:
                return sql.run(cursor, name, params)
            finally:
                cursor.close()
        finally:
            with self._lock:
                self.busy -= 1


def _key(name: str, params: dict[str, Any]) -> tuple[str, str]:
    return name, json.dumps(sql.bind(name, params), sort_keys=True, default=str)


@pytest.mark.parametrize("label", list(SELECTIONS))
@pytest.mark.parametrize("report", REPORTS, ids=lambda r: r.key)
def test_a_page_announces_what_it_reads_and_reads_what_it_announces(
    con: duckdb.DuckDBPyConnection, report: Any, label: str
) -> None:
    """Every query a page of two reads or more reads for its selection is announced first
    (Voice's example comments too: their picks, as asked, are known before the topics are
    read), and nothing announced goes unread."""
    announced: set[tuple[str, str]] = set()
    read: list[tuple[str, str]] = []
    inner = sql.memo(lambda n, p: sql.run(con, n, p))

    class Watching:
        def __call__(self, name: str, params: dict[str, Any]) -> pl.DataFrame:
            if sql.reads_selection(name):
                read.append(_key(name, params))
            return inner(name, params)

        def prefetch(self, reads: list[sql.Read]) -> None:
            announced.update(_key(n, p) for n, p in reads)

    report.compute(Watching(), SELECTIONS[label], Options())
    assert announced <= set(read), announced - set(read)
    if len(set(read)) > 1:  # a page of one read has nothing to read at once
        assert not set(read) - announced, set(read) - announced


@pytest.mark.parametrize("key", ["changes", "overview", "journey", "channels", "voice"])
def test_a_page_read_at_once_is_the_page_read_one_query_after_another(
    fixture_db: Path, key: str
) -> None:
    report = next(r for r in REPORTS if r.key == key)
    con = connect.connect(fixture_db)
    try:
        plain = sql.memo(lambda n, p: sql.run(con, n, p))
        recorder = Recorder(con)
        together = sql.memo(recorder, concurrent=True)
        source = dataset_source(plain, "demo")
        for sel in SELECTIONS.values():
            stats.forget()
            one = report.compute(plain, sel, Options())
            stats.forget()
            other = report.compute(together, sel, Options())
            for a, b in zip(report.charts(one, source), report.charts(other, source), strict=True):
                assert a.key == b.key and a.title == b.title
                if a.figure is not None:  # DuckDB adds in parallel: the last digit may differ
                    assert close(json.loads(a.figure.to_json()), json.loads(b.figure.to_json()))
                assert_frame_equal(a.table, b.table, check_exact=False, rel_tol=1e-12)
        threads = {thread for _name, thread in recorder.reads}
        assert any(t.startswith("cx-read") for t in threads), threads  # read on the pool
        assert recorder.most >= 2  # and at once
    finally:
        con.close()


def test_prefetch_reads_each_missing_query_once_and_raises_what_failed(
    con: duckdb.DuckDBPyConnection,
) -> None:
    calls: list[str] = []
    lock = threading.Lock()

    def run(name: str, params: dict[str, Any]) -> pl.DataFrame:
        with lock:
            calls.append(name)
        cursor = con.cursor()
        try:
            return sql.run(cursor, name, params)
        finally:
            cursor.close()

    sel = Selection()
    reads: list[sql.Read] = [
        ("nps_by_group", sel.params(by="brand")),
        ("stage_by_group", sel.params(by="brand")),
        ("nps_by_group", sel.params(by="brand")),  # the same read twice is read once
    ]
    sequential = sql.memo(run)
    sql.prefetch(sequential, reads)  # a runner that does not read at once ignores it
    assert calls == []
    together = sql.memo(run, concurrent=True)
    sql.prefetch(together, reads)
    assert sorted(calls) == ["nps_by_group", "stage_by_group"]
    together("nps_by_group", sel.params(by="brand"))
    together("stage_by_group", sel.params(by="brand"))
    assert len(calls) == 2  # served from memory
    sql.prefetch(lambda n, p: run(n, p), reads)  # a plain function: nothing to do
    assert len(calls) == 2
    with pytest.raises(sql.QueryError, match="no such query"):
        sql.prefetch(
            sql.memo(run, concurrent=True),
            [("nps_by_group", sel.params(by="country")), ("no_such_query", {})],
        )
    direct = sql.concurrent(run)
    sql.prefetch(direct, reads[:2])
    assert len(calls) == 2 + 2  # an unknown query is refused before anything is read


def test_voice_announces_the_examples_of_its_picks_and_reads_a_pick_the_data_lack_again(
    con: duckdb.DuckDBPyConnection,
) -> None:
    """The examples of a topic and a group picked are read beside the topics; a language the
    data do not have falls back to all languages, whose examples are then read (not the ones
    announced for the language asked)."""
    from cx.reports import voice

    def reads(sel: Selection, **picks: Any) -> tuple[set[tuple[str, str]], list[tuple[str, str]]]:
        announced: set[tuple[str, str]] = set()
        read: list[tuple[str, str]] = []
        inner = sql.memo(lambda n, p: sql.run(con, n, p))

        class Watching:
            def __call__(self, name: str, params: dict[str, Any]) -> pl.DataFrame:
                if name == "example_comments":
                    read.append(_key(name, params))
                return inner(name, params)

            def prefetch(self, reads: list[sql.Read]) -> None:
                announced.update(_key(n, p) for n, p in reads if n == "example_comments")

        voice.compute(Watching(), sel, Options(), **picks)
        return announced, read

    announced, read = reads(Selection(), topic="price", group="detractor")
    assert read and set(read) == announced
    assert '"topic": "price"' in read[0][1] and '"nps_group": "detractor"' in read[0][1]
    japan = Selection(countries=("JP",))  # its comments are all in English
    languages = sql.run(con, "topic_by_groupings", japan.params(bys=["language"], language=None))
    assert set(languages["grp"].drop_nulls()) == {"en"}
    announced, read = reads(japan, language="zh")
    assert len(announced) == 1 and '"language": "zh"' in next(iter(announced))[1]
    assert len(read) == 1 and '"language": null' in read[0][1]  # all languages, read again
