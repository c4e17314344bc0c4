"""Writing analysed comments and their candidate topics (inside the caller's transaction).

The ingest (:mod:`cx.ingest.store`) and the demo builder (:func:`cx.build.databases.build_database`) both
call :func:`write` after the dataset's respondents are stored; the summary cells
(``topic_cells``, ``term_cells``) are then built by :func:`cx.build.cells.rebuild_cells` like every
other cell table.
"""

from __future__ import annotations

import duckdb
import polars as pl

from cx.data import sql
from cx.text import discover


def write(con: duckdb.DuckDBPyConnection, dataset: str, analysed: pl.DataFrame) -> int:
    """Store analysed comments of ``dataset`` and the candidate topics found in them.

    Args:
        con: a connection inside the caller's transaction.
        dataset: the dataset (its respondents are already stored).
        analysed: comments from :func:`cx.text.pipeline.analyse`.

    Returns:
        The number of comments stored.
    """
    if analysed.is_empty():
        return 0
    # one insert, sorted by the sample key: example comments (ORDER BY sample_key LIMIT n)
    # then read only the first row groups (DuckDB's top-N filter skips the rest)
    con.register("comments_chunk", analysed)
    try:
        sql.run(con, "build/insert_comments", {"dataset": dataset})
    finally:
        con.unregister("comments_chunk")
    found = discover.candidates(analysed)
    if found.height:
        con.register("candidates_source", found)
        try:
            sql.run(con, "build/insert_topic_candidates", {"dataset": dataset})
        finally:
            con.unregister("candidates_source")
    return analysed.height


def write_relations(
    con: duckdb.DuckDBPyConnection,
    dataset: str,
    analysed: duckdb.DuckDBPyRelation,
    candidates: duckdb.DuckDBPyRelation | None,
) -> int:
    """Store analysed comments and their candidate topics read by DuckDB (an upload's job
    folder: :func:`cx.ingest.job.finish` analysed them in its own process).

    Returns:
        The number of comments stored.
    """
    con.register("comments_chunk", analysed)
    try:
        sql.run(con, "build/insert_comments", {"dataset": dataset})
    finally:
        con.unregister("comments_chunk")
    if candidates is not None:
        con.register("candidates_source", candidates)
        try:
            sql.run(con, "build/insert_topic_candidates", {"dataset": dataset})
        finally:
            con.unregister("candidates_source")
    counted = sql.run(con, "build/comment_count", {"dataset": dataset})
    return int(counted["n"][0])
