"""Bring your own survey data: read, detect the layout, map columns, validate, store atomically.

The steps are separate so the app can show each one before anything is stored:

1. :func:`read_survey` (:mod:`cx.ingest.read`) turns file bytes into a :class:`RawSurvey`;
2. :func:`detect_mapping` (:mod:`cx.ingest.mapping`) maps source columns to canonical ones;
3. :func:`normalise` (:mod:`cx.ingest.normalise`) makes canonical rows and a report: every
   rejected row keeps its row number, its reasons and its original cells;
4. :func:`store` (:mod:`cx.ingest.store`) writes the accepted rows as a dataset in one
   transaction and keeps the original file.

Every user-facing failure is an :class:`IngestError` whose message is one line.
"""

from cx.ingest.files import ingest_file, prepare_file
from cx.ingest.mapping import apply_overrides, detect_comments, detect_mapping
from cx.ingest.model import (
    CANONICAL,
    MAX_COLUMNS,
    MAX_FIELD_CHARS,
    MAX_FILE_MB,
    MAX_ROWS,
    NO_WAVE,
    REQUIRED,
    UPLOADS_DIR,
    IngestError,
    IngestResult,
    RawSurvey,
)
from cx.ingest.normalise import normalise
from cx.ingest.read import read_survey
from cx.ingest.store import (
    check_dataset_name,
    delete_dataset,
    safe_filename,
    store,
    tidy_uploads,
)
from cx.ingest.values import country_code, scale_of, to_five_point

__all__ = [
    "CANONICAL",
    "MAX_COLUMNS",
    "MAX_FIELD_CHARS",
    "MAX_FILE_MB",
    "MAX_ROWS",
    "NO_WAVE",
    "REQUIRED",
    "UPLOADS_DIR",
    "IngestError",
    "IngestResult",
    "RawSurvey",
    "apply_overrides",
    "check_dataset_name",
    "country_code",
    "delete_dataset",
    "detect_comments",
    "detect_mapping",
    "ingest_file",
    "normalise",
    "prepare_file",
    "read_survey",
    "safe_filename",
    "scale_of",
    "store",
    "tidy_uploads",
    "to_five_point",
]
