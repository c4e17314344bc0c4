"""Building databases: the empty schema, reference tables from ``data/``, the demo dataset,
each built beside its target and renamed into place."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from cx.build import demo, demo_text
from cx.build.cells import rebuild_cells
from cx.build.reference import load_reference
from cx.core import display
from cx.core.schema import DEMO_DATASET
from cx.data.connect import default_db_path
from cx.data.sql import run, run_script

DEFAULT_DEMO_ROWS = 200_000
DEFAULT_SEED = 42


def append_respondents(con: duckdb.DuckDBPyConnection, frames: Iterable[pl.DataFrame]) -> int:
    """Insert respondent frames (canonical columns) and return the number of rows added."""
    total = 0
    for frame in frames:
        con.register("respondents_chunk", frame)
        run(con, "build/insert_respondents")
        con.unregister("respondents_chunk")
        total += frame.height
    return total


def _build_atomically(target: Path, fill: Callable[[duckdb.DuckDBPyConnection], None]) -> Path:
    """Create a database beside ``target`` under a temporary name, fill it, rename it into
    place: a reader never sees a half-built file and a failed build changes nothing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".building-", suffix=".duckdb", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        con = duckdb.connect(str(tmp))
        try:
            run_script(con, "build/create_tables")
            run_script(con, "build/create_macros")
            load_reference(con)
            fill(con)
            con.checkpoint()
        finally:
            con.close()
        tmp.replace(target)
    finally:
        for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
            leftover.unlink(missing_ok=True)
    return target


#: Demos of more respondents than one chunk compose their comments in a second process while
#: the next chunk is generated (the same answers, in the same order): at 10M respondents the
#: comments took 35 of the build's 130 s on one core while the other waited.
PARALLEL_TEXT_ROWS = 2_000_000


@contextlib.contextmanager
def _text_writer(rows: int) -> Iterator[Callable[[pl.DataFrame, int], Any]]:
    """``write(frame, seed)``: a chunk's open answers (:func:`cx.build.demo_text.answers`), now
    or, for large demos, as a future from a spawned worker (no fork of a process holding a
    database and thread pools)."""
    if rows < PARALLEL_TEXT_ROWS:
        yield demo_text.answers
        return
    with ProcessPoolExecutor(
        max_workers=1, mp_context=multiprocessing.get_context("spawn")
    ) as pool:
        yield lambda frame, seed: pool.submit(demo_text.answers, frame, seed)


def create_database(path: Path | str) -> Path:
    """An empty database: schema, macros and reference tables, no survey rows."""
    return _build_atomically(Path(path), lambda _con: None)


def build_database(
    path: Path | str | None = None,
    rows: int = DEFAULT_DEMO_ROWS,
    seed: int = DEFAULT_SEED,
    progress: Callable[[str], None] | None = None,
) -> Path:
    """Build a database holding the reference tables and the demo dataset, atomically.

    Args:
        path: target database file (default :func:`default_db_path`).
        rows: demo respondents; seed: generator seed.
        progress: optional callback receiving one-line status messages.

    Returns:
        The path of the database.
    """
    target = Path(path or default_db_path())
    say = progress or (lambda _msg: None)

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        catalog = demo.load_catalog()
        added = 0
        with _text_writer(rows) as write:  # comments composed beside the generation
            answers = []
            for frame in demo.generate(rows, seed, catalog=catalog):
                added += append_respondents(con, [frame])
                answers.append(write(frame, seed))
                say(f"generated {added:,} of {rows:,} respondents")
            texts = pl.concat([a.result() if isinstance(a, Future) else a for a in answers])
        say(f"analysed {demo_text.store(con, texts):,} comments")
        funnel = demo.generate_funnel(seed, catalog)
        con.register("funnel_source", funnel)
        run(con, "build/insert_funnel")
        con.unregister("funnel_source")
        say("building summary tables")
        rebuild_cells(con, DEMO_DATASET)
        run(
            con,
            "build/insert_dataset",
            {
                "dataset": DEMO_DATASET,
                "label": display.DEMO_LABEL_TEXT.format(rows=f"{rows:,}", seed=seed),
                "kind": "demo",
                "rows": rows,
                "source_file": None,
            },
        )

    _build_atomically(target, fill)
    say(f"database ready: {target}")
    return target


def ensure_database(path: Path | str | None = None) -> Path:
    """Return the database path, building the default demo database first if it is missing."""
    target = Path(path or default_db_path())
    if not target.exists():
        build_database(target)
    return target
