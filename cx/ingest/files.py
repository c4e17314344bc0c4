"""The whole ingest of one file, as the command line runs it (read, map, validate, store)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import duckdb

from cx.build import databases
from cx.data.database import Database
from cx.ingest.mapping import apply_overrides, detect_comments, detect_mapping
from cx.ingest.model import MAX_FILE_MB, IngestError, IngestResult
from cx.ingest.normalise import normalise
from cx.ingest.read import read_survey
from cx.ingest.store import check_dataset_name, store, tidy_uploads


def prepare_file(
    path: Path,
    dataset: str,
    mapping_overrides: Mapping[str, str] | None = None,
    comment_columns: Sequence[str] | None = None,
) -> tuple[bytes, IngestResult]:
    """Read, map (detected, then the overrides) and validate one file; nothing is stored.

    ``comment_columns`` names the open-text columns (None: detected, :func:`detect_comments`).
    """
    check_dataset_name(dataset)
    if not path.is_file():
        raise IngestError(f"no such file: {path}")
    if path.stat().st_size > MAX_FILE_MB * 1024 * 1024:  # before reading it into memory
        raise IngestError(f"{path.name} is larger than {MAX_FILE_MB} MB")
    data = path.read_bytes()
    raw = read_survey(data, path.name)
    mapping = apply_overrides(raw, detect_mapping(raw), mapping_overrides or {})
    comments = detect_comments(raw, mapping) if comment_columns is None else comment_columns
    return data, normalise(raw, mapping, dataset, comments)


def ingest_file(
    path: Path,
    dataset: str,
    db_path: Path,
    mapping_overrides: Mapping[str, str] | None = None,
    replace: bool = False,
    label: str | None = None,
    progress: Callable[[str], None] | None = None,
    comment_columns: Sequence[str] | None = None,
) -> tuple[str, IngestResult]:
    """Read, map, validate and store one file (the command line's ``ingest``).

    A database file that does not exist yet is created with the schema and reference tables
    (no demo rows).
    """
    data, result = prepare_file(path, dataset, mapping_overrides, comment_columns)
    if not db_path.exists():
        databases.create_database(db_path)
    try:
        with Database(str(db_path), read_only=False) as database:
            tidy_uploads(database)  # what a killed ingest left (none can be running now)
            status = store(
                database, result, dataset, label or dataset, data, path.name, replace, progress
            )
    except duckdb.Error as exc:
        raise IngestError(f"the database refused the write: {str(exc).splitlines()[0]}") from exc
    return status, result
