"""What the ingest steps pass between them: canonical columns, limits, errors, results."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from cx.core import i18n
from cx.core.i18n import N_, _
from cx.core.schema import ITEM_LABELS, SATISFACTION_ITEMS

# Limits of one upload, checked before (and while) it is read, so that no file can take the
# server's memory or time: a hostile upload is refused with one line, using under 1 GB and 30 s.
# ``server.maxUploadSize`` in ``.streamlit/config.toml`` equals MAX_FILE_MB (a test checks).
#: Bytes of one uploaded file.
MAX_FILE_MB = 100
#: Data rows (header rows not counted).
MAX_ROWS = 1_000_000
#: Columns of a sheet or file.
MAX_COLUMNS = 2_000
#: Rows × columns: what decides the memory a file takes once read.
MAX_CELLS = 16_000_000
#: Longest single cell: longer ones are not survey answers (or a broken file).
MAX_FIELD_CHARS = 32_768
#: Workbooks (.xlsx) are zip files: their parts may unpack to at most this much in all...
MAX_UNPACKED_MB = 1_000
#: ...and no part over 1 MB may be compressed more than this (a zip bomb's parts are ~1000:1).
MAX_RATIO = 100
#: Parts of a workbook (a real one has a few dozen).
MAX_PARTS = 10_000
#: A Parquet file's footer (schema, key-value metadata, column statistics): a survey's takes
#: kilobytes (2,000 columns: 0.3 MB), and parsing it takes about 20 times its size in memory.
MAX_PARQUET_METADATA_MB = 8
#: Workbooks and Parquet files are read in a separate process, stopped after this long...
READ_SECONDS = 20
#: ...or when it needs more memory than this.
READ_MEMORY_MB = 1_024
#: Response dates outside these years are rejected as implausible (year 1, 9999, negative).
FIRST_YEAR = 1990
YEARS_AHEAD = 1
#: Dataset names: lowercase letters, digits, ``-`` and ``_``; they appear in URLs and paths.
DATASET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
UPLOADS_DIR = "uploads"

#: Canonical columns an upload can provide, with labels for the mapping screen (the labels are
#: also the mapping choice's values: :func:`field_label` words them in the current language).
CANONICAL: dict[str, str] = {
    "respondent_id": N_("Respondent id"),
    "date": N_("Response date (gives the wave)"),
    "wave": N_("Wave"),
    "country": N_("Country"),
    "industry": N_("Industry"),
    "brand": N_("Brand"),
    "channel": N_("Sales channel"),
    "segment": N_("Segment"),
    "ownership": N_("Ownership"),
    "powertrain": N_("Powertrain"),
    "nps_score": N_("Likelihood to recommend (0-10)"),
    "weight": N_("Weight"),
    "switch_intent": N_("Intention to switch brand"),
    **{item: f"Satisfaction: {item.replace('_', ' ')}" for item in SATISFACTION_ITEMS},
    "dealer_id": N_("Dealer / outlet id"),
    "dealer_name": N_("Dealer / outlet name"),
    "dealer_group": N_("Dealer group"),
}


def field_label(field: str) -> str:
    """A canonical field's label in the current language (:data:`CANONICAL` in English)."""
    if field in SATISFACTION_ITEMS and i18n.language() != i18n.DEFAULT:
        return _("Satisfaction: {item}").format(item=_(ITEM_LABELS[field]))
    return _(CANONICAL.get(field, field))


def field_words(field: str) -> str:
    """A canonical field as a sentence names it: its label in lower case in English ("reads
    like brand"), its label in the other languages."""
    if i18n.language() == i18n.DEFAULT:
        return CANONICAL.get(field, field).lower()
    return field_label(field)


def join_list(items: Iterable[str]) -> str:
    """Items one after another as the current language lists them ("A, B"; "A、B")."""
    middle = str(i18n.locale().list_patterns["standard"]["middle"])
    return middle.format("", "").join(items)


def join_and(items: Sequence[str]) -> str:
    """Items as a sentence lists them: "A, B and C" in the current language."""
    if len(items) < 2:
        return "".join(items)
    return _("{items} and {last}").format(items=join_list(items[:-1]), last=items[-1])


REQUIRED = ("nps_score",)
NO_WAVE = "all"


class IngestError(Exception):
    """A file or request that cannot be ingested; the message is one line for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(" ".join(str(message).split()))


@dataclass
class RawSurvey:
    """A survey file as read: every cell as text, with what was detected about the file."""

    frame: pl.DataFrame
    questions: dict[str, str]
    layout: str
    format: str
    first_row: int
    encoding: str | None = None
    delimiter: str | None = None
    filename: str = ""
    sha256: str = ""
    #: Problems found while reading, by file row number (e.g. a line in another encoding than
    #: the rest): normalising rejects these rows with this reason.
    row_problems: dict[int, str] = field(default_factory=dict)
    #: Title rows above the header (a report's name in its first cell, the rest empty), skipped.
    title_rows: int = 0

    @property
    def rows(self) -> int:
        """Data rows read (header rows excluded)."""
        return self.frame.height


@dataclass
class Choices:
    """What a person decides about a file beyond the column mapping, in the upload step or
    with the command line's flags; saved with the mapping for the next file of the layout.

    Attributes:
        values: per categorical field (:data:`cx.ingest.categories.CODES`), answers as written
            to codes ("Within the next 6 months" -> ``within_6m``); an empty code leaves the
            field empty for that answer.
        comments: open-answer columns stored as comments (None: detected).
        period: the span of a wave derived from dates (:data:`cx.ingest.dates.PERIODS`).
        date_order: ``dmy`` or ``mdy`` for a date column no value settles (None: ask).
        industry: the industry of every respondent of a file without an industry column
            (None: not given, stored empty; never invented).
    """

    values: dict[str, dict[str, str]] = field(default_factory=dict)
    comments: list[str] | None = None
    period: str = "quarter"
    date_order: str | None = None
    industry: str | None = None


@dataclass
class IngestResult:
    """Accepted canonical rows, rejected rows with reasons, rows kept with a field left empty
    (and why), the report, and the comments (open answers of accepted rows, masked; see
    :mod:`cx.ingest.comments`)."""

    accepted: pl.DataFrame
    rejected: pl.DataFrame
    report: dict[str, Any] = field(default_factory=dict)
    comments: pl.DataFrame = field(default_factory=pl.DataFrame)
    emptied: pl.DataFrame = field(default_factory=pl.DataFrame)
