"""Step 4, storing: accepted rows become a dataset in one transaction; deleting one.

Writes go through :meth:`cx.data.database.Database.write` (one writer, one transaction), so a
failure changes nothing; the original file is kept beside the database for audit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import polars as pl

from cx.build import cells, databases
from cx.core import paths
from cx.core.schema import DEMO_DATASET
from cx.data import sql
from cx.data.database import Database
from cx.ingest.model import DATASET_NAME, UPLOADS_DIR, IngestError, IngestResult
from cx.text import pipeline
from cx.text import store as text_store


def check_dataset_name(name: str) -> str:
    """A valid new dataset name, or an IngestError saying what is allowed."""
    if not DATASET_NAME.fullmatch(name or ""):
        raise IngestError(
            "dataset names use 1-40 lowercase letters, digits, '-' or '_', starting with a "
            "letter or digit"
        )
    if name == DEMO_DATASET:
        raise IngestError("'demo' is the embedded demo dataset; choose another name")
    return name


def safe_filename(filename: str) -> str:
    """A file name safe to keep beside the database: no folders, no odd characters."""
    base = Path(filename.replace("\\", "/")).name
    clean = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._") or "upload"
    return clean[-80:]


def fingerprint(original: bytes, result: IngestResult) -> str:
    """The content fingerprint of a file with its mapping (re-ingesting it changes nothing)."""
    mapping = json.dumps(result.report.get("mapping", {}), sort_keys=True).encode()
    if result.report.get("comment_columns"):  # which open answers were stored
        mapping += json.dumps(result.report["comment_columns"]).encode()
    return hashlib.sha256(original + mapping).hexdigest()


def uploads_folder(database: Database, dataset: str) -> Path:
    """Where a dataset's original file is kept: ``uploads/<dataset>/`` beside the database."""
    if database.path is None:
        raise IngestError("this data source is read-only: uploads are stored in a DuckDB file")
    return database.path.parent / UPLOADS_DIR / dataset


def _write_rows(
    con: duckdb.DuckDBPyConnection,
    result: IngestResult,
    dataset: str,
    label: str,
    source_file: str,
    digest: str,
    say: Callable[[str], None],
    comments: pl.DataFrame,
) -> None:
    """Replace the dataset's rows, comments, cells and catalogue entry (inside the caller's
    transaction)."""
    delete_rows(con, dataset)
    say(f"writing {result.accepted.height:,} rows")
    databases.append_respondents(con, [result.accepted])
    if comments.height:
        say(f"writing {text_store.write(con, dataset, comments):,} comments")
    countries = _reference_countries(result.accepted)
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
            "rows": result.accepted.height,
            "source_file": source_file,
            "content_sha256": digest,
            "fields": ",".join(result.report.get("fields", [])),
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
    """Store accepted rows as ``dataset`` in one transaction; keep the original file.

    The original is written under a temporary name first and renamed only after the commit,
    so a failure (or a killed process) leaves every dataset and kept file as it was.

    Returns:
        "stored", "replaced" or "unchanged" (the same file and mapping were ingested before).

    Raises:
        IngestError: invalid name, no accepted rows, dataset exists without ``replace``.
    """
    say = progress or (lambda _m: None)
    check_dataset_name(dataset)
    if result.accepted.height == 0:
        raise IngestError("no row passed validation; nothing to store")
    label = " ".join(str(label or dataset).split())[:120]
    digest = fingerprint(original, result)
    folder = uploads_folder(database, dataset)
    kept = folder / f"{digest[:12]}-{safe_filename(filename)}"
    tmp = kept.with_name(f".{kept.name}.tmp")
    assert database.path is not None  # uploads_folder checked it
    if result.comments.height:  # analysed once, before the write lock is taken
        say(f"analysing {result.comments.height:,} comments")
    comments = pipeline.analyse(result.comments) if result.comments.height else result.comments

    def work(con: duckdb.DuckDBPyConnection) -> str:
        existing = sql.run(con, "dataset_fingerprint", {"dataset": dataset})
        if existing.height:
            if existing["content_sha256"][0] == digest:
                return "unchanged"
            if not replace:
                raise IngestError(
                    f"dataset '{dataset}' exists; replace it explicitly (--replace) or choose "
                    "another name"
                )
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(original)
        source = str(kept.relative_to(database.path.parent))  # type: ignore[union-attr]
        _write_rows(con, result, dataset, label, source, digest, say, comments)
        return "replaced" if existing.height else "stored"

    try:
        outcome = database.write(work)
    except BaseException:
        tmp.unlink(missing_ok=True)
        with contextlib.suppress(duckdb.Error, OSError):  # never hide the failure itself
            tidy_uploads(database, dataset)
        raise
    if outcome != "unchanged":
        tmp.replace(kept)
        for old in folder.iterdir():
            if old != kept and not old.name.startswith("."):
                old.unlink(missing_ok=True)
    return outcome


#: Files this module writes under ``uploads/<dataset>/``: the kept original
#: (``<12 hex>-<name>``) and its temporary copy while storing (``.<kept name>.tmp``).
_KEPT = re.compile(r"^[0-9a-f]{12}-.+$")
_TMP = re.compile(r"^\.([0-9a-f]{12}-.+)\.tmp$")


def tidy_uploads(database: Database, only: str | None = None) -> list[str]:
    """Finish or remove what interrupted stores left under ``uploads/`` (a killed ingest
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
    root = base / UPLOADS_DIR
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
)


def delete_rows(con: duckdb.DuckDBPyConnection, dataset: str) -> None:
    """Remove every row of ``dataset`` (inside the caller's transaction)."""
    for step in DELETE_STEPS:
        sql.run(con, f"build/{step}", {"dataset": dataset})


def delete_dataset(database: Database, dataset: str) -> None:
    """Remove an uploaded dataset, its summary rows and its kept original file."""
    check_dataset_name(dataset)
    folder = uploads_folder(database, dataset)
    database.write(lambda con: delete_rows(con, dataset))
    if folder.is_dir():
        for f in folder.iterdir():
            f.unlink(missing_ok=True)
        folder.rmdir()


def _reference_countries(accepted: pl.DataFrame) -> pl.DataFrame:
    """Map rows for countries of the upload (from data/world_countries.csv)."""
    codes = accepted["country"].drop_nulls().unique()
    if codes.is_empty():
        return pl.DataFrame()
    world = pl.read_csv(paths.DATA_DIR / "world_countries.csv")
    return world.filter(pl.col("country").is_in(codes.to_list())).select(
        "country", "name", "region", "latitude", "longitude"
    )
