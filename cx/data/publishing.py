"""Publishing a Parquet folder and noticing, in every replica, that it changed.

A publisher (``python -m cx publish``, ``python -m cx cells``, or a writer app with
``CX_PUBLISH_TO``) writes the tables and then, last, ``manifest.json``: a small file with a new
``version`` each time, replaced atomically. Replicas serving the folder read it at most every
``CX_REFRESH_SECONDS`` (:class:`Freshness`) and, when it changed, reopen the source and forget
their caches. A source without a manifest (a MotherDuck database, a folder published by hand, a
read-only DuckDB file replaced by a new one) is fingerprinted by its datasets catalogue or file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from cx.data.database import Database
from cx.data import connect, sql

MANIFEST = "manifest.json"
#: Hive partition columns of every partitioned served table (cells, respondents).
PARTITION_BY = ("dataset", "wave")
#: Seconds between two looks at the published data's fingerprint (``CX_REFRESH_SECONDS``).
DEFAULT_REFRESH_SECONDS = 5.0


def refresh_seconds() -> float:
    """``CX_REFRESH_SECONDS`` (default 5; 0 looks on every page run)."""
    try:
        return max(0.0, float(os.environ.get("CX_REFRESH_SECONDS", DEFAULT_REFRESH_SECONDS)))
    except ValueError:
        return DEFAULT_REFRESH_SECONDS


def is_remote(path: str) -> bool:
    """Whether a folder is a URL (``s3://``, ``gs://``, ...) rather than a local path."""
    return "://" in path


def connect_paths(*paths: str) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that can read and write ``paths`` (httpfs for URLs)."""
    con = duckdb.connect(":memory:")
    if any(is_remote(p) for p in paths):
        con.execute("install httpfs")
        con.execute("load httpfs")
    return con


def staging(out: str, table: str, suffix: str = "") -> Path:
    """A fresh hidden path in a local output to write a table to before it is moved in place
    (servers read ``<table>/**/*.parquet`` and ``<table>.parquet``, never dot names)."""
    return Path(out, f".staging-{table}-{uuid.uuid4().hex[:8]}{suffix}")


def replace_local(out: str, table: str, staged: Path) -> None:
    """Move a staged table into a local output, replacing what was served: a file by one
    atomic rename, a partitioned folder by two renames (a replica reading at that instant
    fails one query and reads the new table on the next). The other form of the table (file
    or folder), if any, is removed after."""
    partitioned = staged.is_dir()
    final = Path(out, table) if partitioned else Path(out, f"{table}.parquet")
    other = Path(out, f"{table}.parquet") if partitioned else Path(out, table)
    old = Path(out, f".old-{staged.name}")
    if partitioned and final.exists():
        final.rename(old)
    staged.replace(final)
    shutil.rmtree(old, ignore_errors=True)
    if other.is_dir():
        shutil.rmtree(other, ignore_errors=True)
    else:
        other.unlink(missing_ok=True)


def write_table(con: duckdb.DuckDBPyConnection, table: str, out: str) -> int:
    """Write a table into a served folder as the dashboard reads it: those of
    :data:`cx.data.connect.PARTITIONED` as ``<table>/dataset=<d>/wave=<w>/*.parquet``, the others (and an
    empty one, since a folder of no files cannot be read) as ``<table>.parquet``. A local
    folder gets it staged and moved in place whole (:func:`replace_local`): no half-written
    file is ever served and no partition of a deleted dataset stays. Returns the rows written.
    """
    relation = con.table(table)
    rows = int(relation.aggregate("count(*)").fetchall()[0][0])
    partitioned = table in connect.PARTITIONED and rows > 0
    partition_by = list(PARTITION_BY) if partitioned else None
    if is_remote(out) and partitioned:  # object storage (httpfs): one PUT per file
        # a republish overwrites the partitions' files (the relation API has no such option)
        sql.run(con, "build/copy_partitioned", {"table": table, "path": f"{out}/{table}"})
        return rows
    if is_remote(out):  # one object, nothing to rename
        relation.to_parquet(f"{out}/{table}.parquet")
        return rows
    staged = staging(out, table, "" if partitioned else ".parquet")
    relation.to_parquet(str(staged), partition_by=partition_by)
    replace_local(out, table, staged)
    return rows


def export(con: duckdb.DuckDBPyConnection, out: Path, respondents: bool) -> dict[str, int]:
    """Write every served table (and the respondent rows) into a local folder
    (:func:`write_table`). Returns the rows written per table."""
    out.mkdir(parents=True, exist_ok=True)
    tables = (*connect.SERVED_TABLES, *(("respondents",) if respondents else ()))
    return {table: write_table(con, table, str(out)) for table in tables}


def write_manifest(out: str | Path, origin: str, rows: Mapping[str, int]) -> dict[str, Any]:
    """Write ``<out>/manifest.json`` last and atomically (a rename on a folder, one object on
    object storage), so that a replica sees the new version only once everything is written.

    Args:
        out: the published folder (or ``s3://``/``gs://`` URL, written through DuckDB httpfs).
        origin: what published (``publish``, ``cells --engine spark``, ``upload``).
        rows: rows written per table.

    Returns:
        The manifest written.
    """
    manifest = {
        "version": uuid.uuid4().hex,
        "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "origin": origin,
        "tables": dict(rows),
    }
    text = json.dumps(manifest, sort_keys=True)
    target = str(out).rstrip("/")
    if is_remote(target):
        con = connect_paths(target)
        try:  # one object on object storage: written whole or not at all
            rel = sql.relation(con, "build/manifest_text", {"text": text})
            if rel is None:  # a select always gives a relation; this keeps the types honest
                raise RuntimeError("manifest_text returned nothing")
            rel.to_csv(f"{target}/{MANIFEST}", header=False, quotechar="", escapechar="")
        finally:
            con.close()
        return manifest
    tmp = Path(target, f".{MANIFEST}.{manifest['version']}.tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    tmp.replace(Path(target, MANIFEST))
    return manifest


def publish(
    database: Database, out: Path, respondents: bool = False, origin: str = "publish"
) -> list[Path]:
    """Write the served tables (and, with ``respondents``, the respondent lake) as Parquet
    under ``out`` (:func:`export`), then the manifest. Returns what was written."""
    cursor = database._con.cursor()
    try:
        rows = export(cursor, out, respondents)
    finally:
        cursor.close()
    write_manifest(out, origin, rows)
    return [served_path(out, table) for table in rows]


def served_path(out: Path, table: str) -> Path:
    """Where a written table is: its partitioned folder, else its ``.parquet`` file."""
    folder = out / table
    return folder if folder.is_dir() else out / f"{table}.parquet"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def source_version(database: Database) -> str | None:
    """A cheap fingerprint of what a source serves: changes when new data was published.

    - Parquet folder: the manifest's text (one small read), else the datasets catalogue;
    - MotherDuck: the datasets catalogue (names, rows, creation times);
    - DuckDB file: the file's identity (a new file moved into place), for read-only servers.
    """
    if database.kind == "file":
        stat = Path(database.spec).stat()
        return f"{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}"
    if database.kind == "parquet":
        root = database.spec[len("parquet:") :].rstrip("/")
        found = database.run("build/source_manifest", {"path": f"{root}/{MANIFEST}"})
        if found.height:
            return f"manifest:{_digest(str(found['content'][0]))}"
    catalogue = database.run("datasets")
    return "datasets:" + _digest(catalogue.write_csv())


class Freshness:
    """Whether the published data changed since the last look, looking at most every
    ``interval`` seconds; safe to call from every session's thread.

    Args:
        probe: returns the current fingerprint (:func:`source_version`); an error or None is
            "no news" (a publish in progress, object storage briefly unreachable).
        interval: seconds between two probes.
    """

    def __init__(
        self,
        probe: Callable[[], str | None],
        interval: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._probe = probe
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._known: str | None = None
        self._next = 0.0

    def changed(self) -> bool:
        """True once after the fingerprint changed; the first look only records it."""
        now = self._clock()
        if now < self._next or not self._lock.acquire(blocking=False):
            return False
        try:
            self._next = now + self._interval
            try:
                current = self._probe()
            except (OSError, duckdb.Error):
                return False
            if current is None or current == self._known:
                return False
            first, self._known = self._known is None, current
            return not first
        finally:
            self._lock.release()
def export_parquet(
    con: duckdb.DuckDBPyConnection, out_dir: Path, respondents: bool = True
) -> list[Path]:
    """Write the served tables (and, with ``respondents``, the respondent rows: the lake that
    ``python -m cx cells`` reads) as Parquet: cells and respondents partitioned by dataset and
    wave, reference tables as single files. Each table is written beside its place and moved
    in whole (:func:`cx.data.publishing.write_table`), so a server reading the folder never sees
    half a table. Returns what was written."""
    from cx.data import publishing

    rows = publishing.export(con, out_dir, respondents)
    return [publishing.served_path(out_dir, table) for table in rows]


