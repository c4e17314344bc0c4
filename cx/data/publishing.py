"""Publishing a Parquet folder and noticing, in every replica, that it changed.

A publisher (``python -m cx publish``, ``python -m cx cells``, or a writer app with
``CX_PUBLISH_TO``) writes every table into a new version folder, ``versions/<hex>/``, that no
reader knows of, and then, last, ``manifest.json``: a small file naming that folder, replaced
atomically. Readers follow only the manifest (:func:`cx.data.connect.served_root`), so a
publish killed at any moment leaves them reading one whole version, the old one or the new
one, never a mix. The next publish removes what a killed one left, and versions replaced more
than :data:`RETIRE_SECONDS` ago (replicas still reading the one before keep it meanwhile).

Replicas serving the folder read the manifest at most every ``CX_REFRESH_SECONDS``
(:class:`Freshness`) and, when it changed, reopen the source and forget their caches. A source
without a manifest (a MotherDuck database, a folder published by hand, a read-only DuckDB file
replaced by a new one) is fingerprinted by its datasets catalogue or file.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

import duckdb

from cx.data import connect, sql
from cx.data.database import Database

MANIFEST = connect.MANIFEST
#: The folder of a published folder that holds one subfolder per version.
VERSIONS = "versions"
#: Seconds a replaced version is kept for replicas still reading it (they look for a new
#: manifest every ``CX_REFRESH_SECONDS``, 5 by default, and reopen the source when it changed).
RETIRE_SECONDS = 300.0
#: The lock file that makes publishes into one local folder take turns.
LOCK = ".publish.lock"
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
    """Move a staged table into a local output, replacing what was there: a file by one
    atomic rename, a partitioned folder by two renames. The other form of the table (file or
    folder), if any, is removed after. (A publish writes into a version folder no reader
    knows of yet; this keeps a table whole in a folder written by hand, too.)"""
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
    """Write a table into a folder (a publish's new version folder, :class:`Publication`) as
    the dashboard reads it: those of :data:`cx.data.connect.PARTITIONED` as
    ``<table>/dataset=<d>/wave=<w>/*.parquet``, the others (and an empty one, since a folder
    of no files cannot be read) as ``<table>.parquet``. A local folder gets it staged and
    moved in place whole (:func:`replace_local`). Returns the rows written.
    """
    relation = con.table(table)
    rows = int(relation.aggregate("count(*)").fetchall()[0][0])
    partitioned = table in connect.PARTITIONED and rows > 0
    partition_by = list(PARTITION_BY) if partitioned else None
    if is_remote(out) and partitioned:  # object storage (httpfs): one PUT per file
        # a fresh version prefix; COPY writes partitions (the relation API cannot on httpfs)
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


# --------------------------------------------------------------------------------------------
# One publish: a new version folder, the manifest last, then what is no longer read removed
# --------------------------------------------------------------------------------------------


def _parse(text: str | None) -> dict[str, Any]:
    try:
        loaded = json.loads(text) if text else {}
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _age(stamp: Any, now: datetime) -> float:
    """Seconds since an ISO time stamp (infinite when it is not one)."""
    try:
        return (now - datetime.fromisoformat(str(stamp))).total_seconds()
    except (ValueError, TypeError):  # not a time, or one without a zone
        return float("inf")


@dataclass
class Publication:
    """One publish into ``out``: tables go under :attr:`root`, a version folder no reader
    knows of until :meth:`commit` writes the manifest naming it.

    Attributes:
        out: the published folder (or ``s3://``/``gs://`` URL).
        version: the new version's id (also its folder's name).
        previous: the manifest being replaced (empty when there is none).
    """

    out: str
    version: str
    previous: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> str:
        """Where this publish writes its tables: ``<out>/versions/<version>``."""
        return f"{self.out}/{VERSIONS}/{self.version}"

    def served(self, now: datetime) -> set[str]:
        """The roots (relative to :attr:`out`; ``""`` is the folder itself) that readers may
        still be reading: the current version and those replaced under
        :data:`RETIRE_SECONDS` ago."""
        current = str(self.previous.get("root", ""))
        retired = self.previous.get("retired", [])
        recent = {
            str(r.get("root", ""))
            for r in retired if isinstance(r, dict) and _age(r.get("at"), now) < RETIRE_SECONDS
        }  # fmt: skip
        return {current, *recent}

    def commit(self, origin: str, rows: Mapping[str, int]) -> dict[str, Any]:
        """Write the manifest naming the new version (atomically, last), then remove what no
        reader may still read (a local folder: object storage keeps old versions; expire
        ``versions/`` with a lifecycle rule).

        Args:
            origin: what published (``publish``, ``cells --engine spark``, ``upload``).
            rows: rows written per table.

        Returns:
            The manifest written.
        """
        now = datetime.now(UTC)
        replaced = str(self.previous.get("root", ""))
        retired = [{"root": replaced, "at": now.isoformat(timespec="seconds")}] + [
            r
            for r in self.previous.get("retired", [])
            if isinstance(r, dict)
            and str(r.get("root", "")) != replaced
            and _age(r.get("at"), now) < RETIRE_SECONDS
        ]
        manifest: dict[str, Any] = {
            "version": self.version,
            "root": f"{VERSIONS}/{self.version}",
            "published_at": now.isoformat(timespec="seconds"),
            "origin": origin,
            "tables": dict(rows),
            "retired": retired,
        }
        _put_manifest(self.out, manifest)
        if not is_remote(self.out):
            tidy(self.out, {manifest["root"], *(str(r["root"]) for r in retired)})
        return manifest


@contextmanager
def publication(out: str | Path) -> Iterator[Publication]:
    """A new version of ``out`` to write into (call :meth:`Publication.commit` when every
    table is written; leaving without it publishes nothing). Publishes into one local folder
    take turns (a lock file, released by the system if the process dies), and each starts by
    removing what a killed one left."""
    target = str(out).rstrip("/")
    lock: IO[str] | None = None
    if not is_remote(target):
        Path(target).mkdir(parents=True, exist_ok=True)
        lock = Path(target, LOCK).open("a", encoding="utf-8")
        fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        previous = _parse(connect.read_manifest(target))
        pub = Publication(target, uuid.uuid4().hex, previous)
        if lock is not None:
            tidy(target, pub.served(datetime.now(UTC)))
            Path(pub.root).mkdir(parents=True)
        yield pub
    finally:
        if lock is not None:
            lock.close()


def tidy(out: str, keep: set[str]) -> None:
    """Remove from a local published folder what no reader may read: version folders not in
    ``keep`` (a killed publish's, or replaced long enough ago), staged files of older
    publishers, and the tables at the folder's top (an older layout) unless ``""`` is kept."""
    folder = Path(out)
    for version in sorted(folder.joinpath(VERSIONS).glob("*")):
        if f"{VERSIONS}/{version.name}" not in keep:
            shutil.rmtree(version, ignore_errors=True)
    for left in [
        *folder.glob(".staging-*"),
        *folder.glob(".old-*"),
        *folder.glob(f".{MANIFEST}.*"),
    ]:
        if left.is_dir():
            shutil.rmtree(left, ignore_errors=True)
        else:
            left.unlink(missing_ok=True)
    if "" not in keep:
        for table in (*connect.SERVED_TABLES, "respondents"):
            shutil.rmtree(folder / table, ignore_errors=True)
            (folder / f"{table}.parquet").unlink(missing_ok=True)


def _put_manifest(out: str, manifest: Mapping[str, Any]) -> None:
    """Write ``<out>/manifest.json`` whole: a rename in a folder, one object on storage."""
    text = json.dumps(manifest, sort_keys=True)
    if is_remote(out):
        con = connect_paths(out)
        try:  # one object on object storage: written whole or not at all
            rel = sql.relation(con, "build/manifest_text", {"text": text})
            if rel is None:  # a select always gives a relation; this keeps the types honest
                raise RuntimeError("manifest_text returned nothing")
            rel.to_csv(f"{out}/{MANIFEST}", header=False, quotechar="", escapechar="")
        finally:
            con.close()
        return
    tmp = Path(out, f".{MANIFEST}.{manifest['version']}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        handle.write(text + "\n")
        handle.flush()
        os.fsync(handle.fileno())  # the text is on disk before the name points at it
    tmp.replace(Path(out, MANIFEST))


def publish(
    database: Database, out: Path, respondents: bool = False, origin: str = "publish"
) -> list[Path]:
    """Write the served tables (and, with ``respondents``, the respondent lake) as Parquet
    into a new version of ``out`` (:func:`export`), then the manifest naming it. Returns what
    was written."""
    with publication(out) as pub:
        cursor = database._con.cursor()
        try:
            rows = export(cursor, Path(pub.root), respondents)
        finally:
            cursor.close()
        pub.commit(origin, rows)
    return [served_path(Path(pub.root), table) for table in rows]


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


def opened_version(database: Database) -> str | None:
    """The fingerprint (as :func:`source_version` gives it) of the version an open Parquet
    source serves, when it was opened from a manifest; None otherwise."""
    return f"manifest:{_digest(database.manifest)}" if database.manifest else None


class Freshness:
    """Whether the published data changed since the last look, looking at most every
    ``interval`` seconds; safe to call from every session's thread.

    Args:
        probe: returns the current fingerprint (:func:`source_version`); an error or None is
            "no news" (a publish in progress, object storage briefly unreachable).
        interval: seconds between two probes.
        known: the fingerprint of what is served now (:func:`opened_version`), if known;
            else the first look only records what it finds.
    """

    def __init__(
        self,
        probe: Callable[[], str | None],
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        known: str | None = None,
    ) -> None:
        self._probe = probe
        self._interval = interval
        self._clock = clock
        self._lock = threading.Lock()
        self._known: str | None = known
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
    ``python -m cx cells`` reads) as Parquet straight into ``out_dir``, without versions or a
    manifest (a folder published by hand; :func:`publish` is what replicas should be served
    from): cells and respondents partitioned by dataset and wave, reference tables as single
    files, each moved in whole (:func:`write_table`). Returns what was written."""
    rows = export(con, out_dir, respondents)
    return [served_path(out_dir, table) for table in rows]
