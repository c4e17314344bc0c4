"""Uploads in the app: one job folder per uploaded file, its steps run once per choice (in a
child process for a large file, :mod:`cx.ingest.job`), store and delete through the one write
path, with the role checked again on every write. The session keeps only the folder's path
and small results (the columns' profiles, the report), never the file's rows."""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import gc
import json
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components import auth, data, session
from cx.core import access as access_rules
from cx.core import i18n
from cx.core.i18n import _
from cx.ingest import job, saved
from cx.ingest import store as stored
from cx.ingest.model import Choices, IngestError

#: The encoding choice's value when the encoding is detected.
DETECTED = "detected"
#: The uploader's generation: a new key empties the uploader (and frees the file's bytes).
GENERATION = "up_gen"
#: The encoding choice's widget.
ENCODING = "up_encoding"
#: Set when a run took a file from the uploader: the next run gives the memory back.
RELEASED = "up_released"


def _require_rights() -> None:
    if not auth.can_upload():
        raise IngestError(_("you may not upload or delete datasets on this server"))


def uploader_key() -> str:
    """The file uploader's key (changes once a file is taken, which empties it)."""
    return f"up_file_{session.value(GENERATION, 0)}"


def receive(upload: Any) -> str | None:
    """Take an uploaded file into a new job folder and empty the uploader, so the server does
    not hold the file's bytes while the person maps it (the job works from the folder).

    While another file is being mapped, the new one replaces it only once it reads: a file
    that cannot be read (an empty one dropped by mistake) threw away the file in progress, its
    mapping, its checks and the name typed for it.

    Returns:
        Why the new file was not taken, the file in progress kept; None when it was taken.
    """
    memo = session.memo("upload")
    folder = job.new_folder(upload.getbuffer(), upload.name)
    inspection = None
    if memo.get("folder"):
        try:
            inspection = job.call("inspect", folder, encoding=None)
        except IngestError as exc:
            job.remove(str(folder))
            _let_go(upload)
            return _("{file} was not taken: {reason}").format(file=upload.name, reason=exc)
    forget()
    memo.update(folder=str(folder), name=upload.name)
    if inspection is not None:  # read already: not again on the next run
        memo.update(asked=(None, i18n.language()), inspection=inspection)
    _let_go(upload)
    session.set_value(ENCODING, DETECTED)
    return None


def _let_go(upload: Any) -> None:
    """Empty the uploader and have the server drop its copy of the file."""
    session.set_value(GENERATION, session.value(GENERATION, 0) + 1)
    # the server keeps every received file until the session ends, unless told to drop it
    ctx = get_script_run_ctx()
    remove = getattr(ctx.uploaded_file_mgr, "remove_file", None) if ctx is not None else None
    if ctx is not None and remove is not None and getattr(upload, "file_id", None):
        remove(ctx.session_id, upload.file_id)  # the in-memory manager the server uses
    session.set_value(RELEASED, True)


def give_back_released() -> None:
    """:func:`give_back_memory` on the run after one that took a file from the uploader (the
    uploader's copy is let go by then), and only then: a full garbage collection on every run
    of the page cost each rerun about 100 ms, and blocks every other session meanwhile."""
    if session.take(RELEASED):
        give_back_memory()


def give_back_memory() -> None:
    """Hand memory freed by an upload back to the operating system: glibc keeps freed heap
    pages (the received file, DuckDB's work) for reuse unless asked (``malloc_trim``)."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def active() -> str | None:
    """The name of the file being mapped in this session (None: none)."""
    name = session.memo("upload").get("name")
    return str(name) if name else None


def inspect_upload(encoding: str | None) -> job.Inspection:
    """The session's file read and profiled, once per encoding.

    Raises:
        IngestError: the file cannot be read (with this encoding).
    """
    memo = session.memo("upload")
    asked = (encoding, i18n.language())  # its notes are worded in the language
    if memo.get("asked") != asked or "inspection" not in memo:
        memo.pop("inspection", None)
        memo["asked"] = asked
        memo["inspection"] = job.call("inspect", Path(memo["folder"]), encoding=encoding)
    found: job.Inspection = memo["inspection"]
    return found


def saved_mapping(inspection: job.Inspection) -> saved.Saved | None:
    """The mapping saved for this file's layout, if any."""
    return saved.load(
        data.database().run, inspection.fingerprint, [c.name for c in inspection.columns]
    )


def validate_upload(
    inspection: job.Inspection, mapping: dict[str, str], comments: list[str], choices: Choices
) -> dict[str, Any]:
    """Validate with these decisions (once per decision; a new one replaces the last)."""
    memo = session.memo("validate")
    decided = json.dumps(
        [inspection.folder, mapping, comments, dataclasses.asdict(choices), i18n.language()],
        sort_keys=True,
    )
    if memo.get("key") != decided:
        memo.clear()
        memo["report"] = job.call(
            "validate", Path(inspection.folder), mapping=mapping, comments=comments, choices=choices
        )
        memo["key"] = decided
    report: dict[str, Any] = memo["report"]
    return report


def preview(inspection: job.Inspection, part: str, rows: int) -> pl.DataFrame:
    """The first rows of a validated part (``accepted``, ``problems``, ``comments``)."""
    path = Path(inspection.folder) / f"{part}.parquet"
    return pl.read_parquet(path, n_rows=rows) if path.exists() else pl.DataFrame()


def problems_csv(inspection: job.Inspection) -> bytes:
    """Every row rejected or kept with a field left empty, as CSV (formulas neutralised)."""
    from cx.exports.safety import safe_csv

    return safe_csv(pl.read_parquet(Path(inspection.folder) / "problems.parquet"))


def store_upload(
    inspection: job.Inspection,
    report: dict[str, Any],
    decided: tuple[dict[str, str], list[str], Choices],
    dataset: str,
    label: str,
    replace: bool,
) -> str:
    """Store a validated upload through the one write path, save its mapping for the layout,
    forget cached results and empty the uploader (its file is no longer held)."""
    _require_rights()
    folder = Path(inspection.folder)
    stored.check_dataset_name(dataset)
    job.call("finish", folder, dataset=dataset)
    database = data.database()
    try:
        outcome = stored.store_prepared(
            database, folder, report, dataset, label, inspection.filename, replace
        )
        mapping, comments, choices = decided
        saved.save(
            database,
            inspection.fingerprint,
            [c.name for c in inspection.columns],
            mapping,
            comments,
            choices,
        )
    except duckdb.Error as exc:
        raise IngestError(
            _("the database refused the write: {error}").format(error=str(exc).splitlines()[0])
        ) from exc
    data.data_changed()
    access_rules.log(
        "upload",
        outcome=outcome,
        dataset=dataset,
        rows=report.get("rows_accepted", 0),
        rejected=report.get("rows_rejected", 0),
        user=access_rules.user_ref(auth.access().email),
    )
    forget()
    give_back_memory()
    return outcome


def forget() -> None:
    """Drop the session's upload: its job folder and memos."""
    memo = session.memo("upload")
    job.remove(memo.get("folder"))
    memo.clear()
    session.memo("validate").clear()


def delete_dataset(dataset: str) -> None:
    """Delete an uploaded dataset through the one write path; forget cached results."""
    _require_rights()
    catalogue = data.datasets()
    kinds = dict(zip(catalogue["dataset"], catalogue["kind"], strict=True))
    if kinds.get(dataset) != "upload":
        raise IngestError(_("only uploaded datasets can be deleted"))
    stored.delete_dataset(data.database(), dataset)
    data.data_changed()
    access_rules.log("delete", dataset=dataset, user=access_rules.user_ref(auth.access().email))
