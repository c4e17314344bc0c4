"""Uploads in the app: read and validate once per session, store and delete through the one
write path, with the role checked again on every write."""

from __future__ import annotations

import duckdb
import polars as pl

from components import auth, data, session
from cx.core import access as access_rules
from cx.ingest import store as stored
from cx.ingest.model import IngestError, IngestResult, RawSurvey
from cx.ingest.normalise import normalise
from cx.ingest.read import read_survey


def _require_rights() -> None:
    if not auth.can_upload():
        raise IngestError("you may not upload or delete datasets on this server")


def read_upload(content: bytes, filename: str) -> RawSurvey:
    """Read an uploaded file once per session (reruns reuse it)."""
    memo = session.memo("upload")
    key = ("raw", filename, len(content), hash(content[:4096]), hash(content[-4096:]))
    if key not in memo:
        memo.clear()
        memo[key] = read_survey(content, filename)
    raw: RawSurvey = memo[key]
    return raw


def validate_upload(
    raw: RawSurvey, mapping: dict[str, str], comments: list[str] | None = None
) -> IngestResult:
    """Normalise and validate with this mapping and these open-text columns (memoised per
    choice in the session)."""
    memo = session.memo("validate")
    key = (raw.sha256, tuple(sorted(mapping.items())), tuple(comments or ()))
    if key not in memo:
        memo.clear()
        memo[key] = normalise(raw, mapping, "preview", comments or ())
    result: IngestResult = memo[key]
    return result


def store_upload(
    result: IngestResult,
    dataset: str,
    label: str,
    content: bytes,
    filename: str,
    replace: bool,
) -> str:
    """Store a validated upload through the one write path; forget cached results."""
    _require_rights()
    accepted = result.accepted.with_columns(pl.lit(dataset).alias("dataset"))
    final = IngestResult(accepted, result.rejected, result.report, result.comments)
    try:
        outcome = stored.store(data.database(), final, dataset, label, content, filename, replace)
    except duckdb.Error as exc:
        raise IngestError(f"the database refused the write: {str(exc).splitlines()[0]}") from exc
    data.data_changed()
    access_rules.log(
        "upload",
        outcome=outcome,
        dataset=dataset,
        rows=final.accepted.height,
        rejected=final.rejected.height,
        user=access_rules.user_ref(auth.access().email),
    )
    return outcome


def delete_dataset(dataset: str) -> None:
    """Delete an uploaded dataset through the one write path; forget cached results."""
    _require_rights()
    catalogue = data.datasets()
    kinds = dict(zip(catalogue["dataset"], catalogue["kind"], strict=True))
    if kinds.get(dataset) != "upload":
        raise IngestError("only uploaded datasets can be deleted")
    stored.delete_dataset(data.database(), dataset)
    data.data_changed()
    access_rules.log("delete", dataset=dataset, user=access_rules.user_ref(auth.access().email))
