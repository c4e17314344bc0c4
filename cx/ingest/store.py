"""Step 4, storing: accepted rows become a dataset in one transaction; deleting one.

Writes go through :meth:`cx.data.database.Database.write` (one writer, one transaction), so a
failure changes nothing; the original file is kept beside the database for audit. Rows come
from a job folder's Parquet files (:mod:`cx.ingest.job`), read by DuckDB: storing a million
rows does not hold them in the process's Python memory.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from cx.build import cells
from cx.core import paths
from cx.core.i18n import _
from cx.core.schema import DEMO_DATASET
from cx.data import sql
from cx.data.database import Database
from cx.ingest import job
from cx.ingest.model import DATASET_NAME, UPLOADS_DIR, IngestError, IngestResult
from cx.text import discover, pipeline
from cx.text import store as text_store


def check_dataset_name(name: str) -> str:
    """A valid new dataset name, or an IngestError saying what is allowed."""
    if not DATASET_NAME.fullmatch(name or ""):
        raise IngestError(
            _(
                "dataset names use 1-40 lowercase letters, digits, '-' or '_', starting with a "
                "letter or digit"
            )
        )
    if name == DEMO_DATASET:
        raise IngestError(_("'demo' is the embedded demo dataset; choose another name"))
    return name


def safe_filename(filename: str) -> str:
    """A file name safe to keep beside the database: no folders, no odd characters."""
    base = Path(filename.replace("\\", "/")).name
    clean = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "upload"
    return clean[-80:]


def fingerprint(report: dict[str, Any]) -> str:
    """The content fingerprint of a file with its mapping and choices (re-ingesting it
    changes nothing): the file's SHA-256 and what was decided about it."""
    decided = {
        "mapping": report.get("mapping", {}),
        "comments": report.get("comment_columns", []),
        "values": report.get("answer_values", {}),
        **{k: report.get(k) for k in ("dates", "waves", "industry")},
    }
    text = str(report.get("sha256", "")) + json.dumps(decided, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def uploads_root(path: Path) -> Path:
    """Where a database keeps its datasets' original files: ``uploads/<database file>/``
    beside it. Each database has a folder of its own, so tidying one never touches another's:
    two databases in one folder shared ``uploads/``, and storing into one removed the other's
    kept originals as files its catalogue did not record. (Files kept before, under
    ``uploads/<dataset>/``, stay where the catalogue says, and go when their dataset is deleted
    or replaced: :func:`_kept_before`.)"""
    return path.parent / UPLOADS_DIR / path.name


def uploads_folder(database: Database, dataset: str) -> Path:
    """Where a dataset's original file is kept: :func:`uploads_root` ``/<dataset>/``."""
    if database.path is None:
        raise IngestError(_("this data source is read-only: uploads are stored in a DuckDB file"))
    return uploads_root(database.path) / dataset


def _write_rows(
    con: duckdb.DuckDBPyConnection,
    folder: Path,
    rows: int,
    dataset: str,
    label: str,
    source_file: str,
    digest: str,
    fields: tuple[str, str],
    say: Callable[[str], None],
) -> None:
    """Replace the dataset's rows, comments, cells and catalogue entry from a finished job
    folder (:func:`cx.ingest.job.finish`), inside the caller's transaction. DuckDB reads the
    Parquet files itself: the rows never pass through Python. ``fields``: the canonical fields
    the file provides and its satisfaction items' scales, as the catalogue holds them."""
    delete_rows(con, dataset)
    say(f"writing {rows:,} rows")
    con.register("respondents_chunk", con.read_parquet(str(folder / "rows.parquet")))
    try:
        sql.run(con, "build/insert_respondents")
    finally:
        con.unregister("respondents_chunk")
    if (folder / "analysed.parquet").exists():
        comments = con.read_parquet(str(folder / "analysed.parquet"))
        found = folder / "candidates.parquet"
        candidates = con.read_parquet(str(found)) if found.exists() else None
        say(f"writing {text_store.write_relations(con, dataset, comments, candidates):,} comments")
    countries = _reference_countries(sql.run(con, "build/upload_countries", {"dataset": dataset}))
    if countries.height:
        con.register("new_countries", countries)
        sql.run(con, "build/insert_missing_countries")
        con.unregister("new_countries")
    say("building summary tables")
    cells.rebuild_cells(con, dataset)
    sql.run(
        con,
        "build/insert_upload_dataset",
        {
            "dataset": dataset,
            "label": label,
            "rows": rows,
            "source_file": source_file,
            "content_sha256": digest,
            "fields": fields[0],
            "scales": fields[1],
        },
    )


def store(
    database: Database,
    result: IngestResult,
    dataset: str,
    label: str,
    original: bytes,
    filename: str,
    replace: bool = False,
    progress: Callable[[str], None] | None = None,
) -> str:
    """Store a validated result held in memory (tests, the benchmark): its parts are written
    to a job folder and stored like an upload (:func:`store_prepared`).

    Returns:
        "stored", "replaced" or "unchanged" (the same file and mapping were ingested before).
    """
    check_dataset_name(dataset)
    if result.accepted.height == 0:
        raise IngestError(_("no row passed validation; nothing to store"))
    folder = job.new_folder(original, filename)
    try:
        result.accepted.with_columns(pl.lit(dataset).alias("dataset")).write_parquet(
            folder / "rows.parquet"
        )
        if result.comments.height:
            (progress or (lambda _m: None))(f"analysing {result.comments.height:,} comments")
            analysed = pipeline.analyse(result.comments)
            analysed.write_parquet(folder / "analysed.parquet")
            found = discover.candidates(analysed)
            if found.height:
                found.write_parquet(folder / "candidates.parquet")
        return store_prepared(
            database, folder, result.report, dataset, label, filename, replace, progress
        )
    finally:
        job.remove(folder)


def store_prepared(
    database: Database,
    folder: Path,
    report: dict[str, Any],
    dataset: str,
    label: str,
    filename: str,
    replace: bool = False,
    progress: Callable[[str], None] | None = None,
) -> str:
    """Store a finished job folder as ``dataset`` in one transaction; keep the original file.

    The original is copied under a temporary name first and renamed only after the commit,
    so a failure (or a killed process) leaves every dataset and kept file as it was.

    Returns:
        "stored", "replaced" or "unchanged" (the same file and mapping were ingested before).

    Raises:
        IngestError: invalid name, no accepted rows, dataset exists without ``replace``.
    """
    say = progress or (lambda _m: None)
    check_dataset_name(dataset)
    rows = int(report.get("rows_accepted", 0))
    if rows == 0:
        raise IngestError(_("no row passed validation; nothing to store"))
    label = " ".join(str(label or dataset).split())[:120]
    digest = fingerprint(report)
    kept_folder = uploads_folder(database, dataset)
    earlier = _kept_before(database, dataset)
    kept = kept_folder / f"{digest[:12]}-{safe_filename(filename)}"
    tmp = kept.with_name(f".{kept.name}.tmp")
    assert database.path is not None  # uploads_folder checked it
    fields = ",".join(report.get("fields", []))
    scales = ",".join(f"{item}:{scale}" for item, scale in sorted(report.get("scales", {}).items()))

    def work(con: duckdb.DuckDBPyConnection) -> str:
        existing = sql.run(con, "dataset_fingerprint", {"dataset": dataset})
        if existing.height:
            if existing["content_sha256"][0] == digest:
                return "unchanged"
            if not replace:
                raise IngestError(
                    _(
                        "dataset '{dataset}' exists; replace it explicitly (--replace) or choose "
                        "another name"
                    ).format(dataset=dataset)
                )
        kept_folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / job.ORIGINAL, tmp)
        source = str(kept.relative_to(database.path.parent))  # type: ignore[union-attr]
        sql.run(con, "build/limit_store_memory")
        try:
            _write_rows(con, folder, rows, dataset, label, source, digest, (fields, scales), say)
        finally:
            sql.run(con, "build/reset_store_memory")
        return "replaced" if existing.height else "stored"

    try:
        outcome = database.write(work, checkpoint=True)
    except BaseException:
        tmp.unlink(missing_ok=True)
        with contextlib.suppress(duckdb.Error, OSError):  # never hide the failure itself
            tidy_uploads(database, dataset)
        raise
    if outcome != "unchanged":
        tmp.replace(kept)
        for old in kept_folder.iterdir():
            if old != kept and not old.name.startswith("."):
                old.unlink(missing_ok=True)
        _remove_kept(earlier)
    return outcome


#: Files this module writes under ``uploads/<database>/<dataset>/``: the kept original
#: (``<12 hex>-<name>``) and its temporary copy while storing (``.<kept name>.tmp``).
_KEPT = re.compile(r"^[0-9a-f]{12}-.+$")
_TMP = re.compile(r"^\.([0-9a-f]{12}-.+)\.tmp$")


def tidy_uploads(database: Database, only: str | None = None) -> list[str]:
    """Finish or remove what interrupted stores left under :func:`uploads_root` (a killed ingest
    leaves its ``.….tmp`` copy; a kill between commit and rename leaves the kept file under
    its temporary name).

    Run when a writable database is opened (the app's first use, every command-line ingest)
    and after a failed store; only this process can write the file then (DuckDB's lock), so
    no store is under way. A temporary copy whose final name the catalogue records is renamed
    into place; other temporary copies, and kept files no dataset records, are removed, and
    folders left empty too. Other files are left alone.

    Args:
        only: tidy this dataset's folder only.

    Returns:
        The files removed, relative to the database's folder.
    """
    if database.read_only or database.path is None:
        return []
    base = database.path.parent
    root = uploads_root(database.path)
    if not root.is_dir():
        return []
    catalogue = database.run("datasets")
    recorded = {base / f for f in catalogue["source_file"].drop_nulls().to_list()}
    removed: list[str] = []
    folders = [root / only] if only else sorted(root.iterdir())
    for folder in folders:
        if not folder.is_dir() or not DATASET_NAME.fullmatch(folder.name):
            continue
        for item in sorted(folder.iterdir()):
            tmp = _TMP.fullmatch(item.name)
            final = folder / tmp.group(1) if tmp else item
            if not item.is_file() or item in recorded or not (tmp or _KEPT.fullmatch(item.name)):
                continue
            if tmp and final in recorded and not final.exists():
                item.replace(final)  # the commit happened; the rename did not
                continue
            item.unlink(missing_ok=True)
            removed.append(str(item.relative_to(base)))
        if not any(folder.iterdir()):
            folder.rmdir()
    return removed


#: What one dataset owns, in the order it is removed (catalogue first, summaries last).
DELETE_STEPS = (
    "delete_dataset",
    "delete_respondents",
    "delete_nps_cells",
    "delete_stage_cells",
    "delete_driver_cells",
    "delete_funnel",
    "delete_comments",
    "delete_topic_cells",
    "delete_term_cells",
    "delete_topic_candidates",
    "delete_dealer_cells",
    "delete_stage_rollup",
    "delete_driver_rollup",
    "delete_topic_rollup",
)


def delete_rows(con: duckdb.DuckDBPyConnection, dataset: str) -> None:
    """Remove every row of ``dataset`` (inside the caller's transaction)."""
    for step in DELETE_STEPS:
        sql.run(con, f"build/{step}", {"dataset": dataset})


def delete_dataset(database: Database, dataset: str) -> None:
    """Remove an uploaded dataset, its summary rows and its kept original file."""
    check_dataset_name(dataset)
    folder = uploads_folder(database, dataset)
    earlier = _kept_before(database, dataset)
    database.write(lambda con: delete_rows(con, dataset), checkpoint=True)
    if folder.is_dir():
        for f in folder.iterdir():
            f.unlink(missing_ok=True)
        folder.rmdir()
    _remove_kept(earlier)


def _kept_before(database: Database, dataset: str) -> Path | None:
    """A dataset's original as kept before each database had a folder of its own
    (``uploads/<dataset>/``, where the catalogue records it): deleting or replacing the dataset
    removes it too (it was left on disk, out of every tidy's reach)."""
    if database.path is None:
        return None
    recorded = database.run("datasets").filter(pl.col("dataset") == dataset)["source_file"]
    if recorded.is_empty() or not recorded[0]:
        return None
    path = database.path.parent / str(recorded[0])
    old = database.path.parent / UPLOADS_DIR / dataset
    return path if path.parent == old and _KEPT.fullmatch(path.name) else None


def _remove_kept(path: Path | None) -> None:
    """Remove a kept original of the earlier layout, and its folder once empty."""
    if path is None:
        return
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()  # only when nothing else is in it


def _reference_countries(codes: pl.DataFrame) -> pl.DataFrame:
    """Map rows for the countries of an upload (from data/world_countries.csv)."""
    if codes.is_empty():
        return pl.DataFrame()
    world = pl.read_csv(paths.DATA_DIR / "world_countries.csv")
    return world.filter(pl.col("country").is_in(codes["country"].to_list())).select(
        "country", "name", "region", "latitude", "longitude"
    )
