"""The whole ingest of one file, as the command line runs it (read, map, validate, store).

The mapping is, in order: the one saved for the file's layout (:mod:`cx.ingest.saved`), else
the detected one; then the ``--map`` overrides. Storing saves what was used for the next file
of the same layout.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path

import duckdb

from cx.build import databases
from cx.data import connect, sql
from cx.data.database import Database
from cx.ingest import saved
from cx.ingest.job import header_fingerprint
from cx.ingest.mapping import apply_overrides, detect_comments, detect_mapping
from cx.ingest.model import MAX_FILE_MB, Choices, IngestError, IngestResult
from cx.ingest.normalise import normalise
from cx.ingest.read import read_survey
from cx.ingest.store import check_dataset_name, store, tidy_uploads


def _saved(db_path: Path | None, fingerprint: str, columns: list[str]) -> saved.Saved | None:
    """The mapping saved for a layout in the database at ``db_path`` (None: none, or no file)."""
    if db_path is None or not db_path.exists():
        return None
    try:
        con = connect.connect(db_path, read_only=True)
    except duckdb.Error:
        return None  # held by a writer (the app): detection it is
    try:
        if not sql.run(con, "table_present", {"table_name": "saved_mappings"})["present"][0]:
            return None
        return saved.load(partial(sql.run, con), fingerprint, columns)
    finally:
        con.close()


def prepare_file(
    path: Path,
    dataset: str,
    mapping_overrides: Mapping[str, str] | None = None,
    comment_columns: Sequence[str] | None = None,
    choices: Choices | None = None,
    encoding: str | None = None,
    db_path: Path | None = None,
) -> tuple[bytes, IngestResult]:
    """Read, map (saved or detected, then the overrides) and validate one file; nothing is
    stored.

    Args:
        comment_columns: the open-text columns (None: saved or detected, :func:`detect_comments`).
        choices: answer-value maps, wave period, date order and industry; each one given
            replaces the saved one.
        encoding: the text file's encoding (None: detected).
        db_path: the database whose saved mappings are used (None: detection only).
    """
    check_dataset_name(dataset)
    if not path.is_file():
        raise IngestError(f"no such file: {path}")
    if path.stat().st_size > MAX_FILE_MB * 1024 * 1024:  # before reading it into memory
        raise IngestError(f"{path.name} is larger than {MAX_FILE_MB} MB")
    data = path.read_bytes()
    raw = read_survey(data, path.name, encoding)
    fingerprint = header_fingerprint(raw)
    found = _saved(db_path, fingerprint, raw.frame.columns)
    base = found.mapping if found else detect_mapping(raw)
    mapping = apply_overrides(raw, base, mapping_overrides or {})
    decided = _merge(found.choices if found else Choices(), choices)
    if comment_columns is None:
        comment_columns = (
            [c for c in found.comments if c not in mapping.values()]
            if found
            else detect_comments(raw, mapping)
        )
    result = normalise(raw, mapping, dataset, comment_columns, decided)
    result.report["header_fingerprint"] = fingerprint
    result.report["saved_mapping"] = found.saved_at if found else None
    result.report["choices"] = dataclasses.asdict(decided)
    return data, result


def _merge(base: Choices, given: Choices | None) -> Choices:
    """The saved choices with what was given now laid over them."""
    if given is None:
        return base
    values = {
        **base.values,
        **{k: {**base.values.get(k, {}), **v} for k, v in given.values.items()},
    }
    default = Choices()
    return Choices(
        values=values,
        comments=given.comments if given.comments is not None else base.comments,
        period=given.period if given.period != default.period else base.period,
        date_order=given.date_order or base.date_order,
        industry=given.industry or base.industry,
    )


def save_choices(database: Database, result: IngestResult) -> None:
    """Save the mapping and choices a stored file used, for the next file of its layout."""
    report = result.report
    columns = [*report["mapping"].values(), *report["comment_columns"], *report["unmapped_columns"]]
    choices = Choices(**report["choices"])
    saved.save(
        database,
        report["header_fingerprint"],
        columns,
        report["mapping"],
        list(report["comment_columns"]),
        choices,
    )


def ingest_file(
    path: Path,
    dataset: str,
    db_path: Path,
    mapping_overrides: Mapping[str, str] | None = None,
    replace: bool = False,
    label: str | None = None,
    progress: Callable[[str], None] | None = None,
    comment_columns: Sequence[str] | None = None,
    choices: Choices | None = None,
    encoding: str | None = None,
) -> tuple[str, IngestResult]:
    """Read, map, validate and store one file (the command line's ``ingest``).

    A database file that does not exist yet is created with the schema and reference tables
    (no demo rows).
    """
    data, result = prepare_file(
        path, dataset, mapping_overrides, comment_columns, choices, encoding, db_path
    )
    if not db_path.exists():
        databases.create_database(db_path)
    try:
        with Database(str(db_path), read_only=False) as database:
            tidy_uploads(database)  # what a killed ingest left (none can be running now)
            status = store(
                database, result, dataset, label or dataset, data, path.name, replace, progress
            )
            save_choices(database, result)
    except duckdb.Error as exc:
        raise IngestError(f"the database refused the write: {str(exc).splitlines()[0]}") from exc
    return status, result
