"""Bring your own survey data: read, detect the layout, map columns, validate, store atomically.

The steps are separate so the app can show each one before anything is stored:

1. :func:`read_survey` turns file bytes into a :class:`RawSurvey` (all cells as text) and
   detects the format (CSV/TSV with ``,`` ``;`` or tab, UTF-8 with or without BOM, UTF-16,
   cp1252; Excel ``.xlsx``; Parquet) and the layout (Qualtrics, SurveyMonkey, plain).
2. :func:`detect_mapping` maps source columns to cxbench's canonical columns from header names,
   question wording and the values.
3. :func:`normalise` turns the mapped columns into canonical respondent rows and a report:
   every rejected row keeps its row number, its reason and its original cells.
4. :func:`store` writes the accepted rows as a dataset in one DuckDB transaction (a failure
   changes nothing), keeps the original file beside the database, and is idempotent.

Every user-facing failure is an :class:`IngestError` whose message is one line.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import io
import json
import re
import threading
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from cx import db
from cx.schema import DEMO_DATASET, RESPONDENT_COLUMNS, SATISFACTION_ITEMS

#: Largest file accepted (the app's ``server.maxUploadSize`` is the same).
MAX_FILE_MB = 200
#: Longest single cell: longer ones are not survey answers (or a broken file).
MAX_FIELD_CHARS = 32_768
#: Dataset names: lowercase letters, digits, ``-`` and ``_``; they appear in URLs and paths.
DATASET_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
UPLOADS_DIR = "uploads"

#: Canonical columns an upload can provide, with labels for the mapping screen.
CANONICAL: dict[str, str] = {
    "respondent_id": "Respondent id",
    "date": "Response date (gives the wave)",
    "wave": "Wave",
    "country": "Country",
    "industry": "Industry",
    "brand": "Brand",
    "channel": "Sales channel",
    "segment": "Segment",
    "ownership": "Ownership",
    "powertrain": "Powertrain",
    "nps_score": "Likelihood to recommend (0-10)",
    "weight": "Weight",
    "switch_intent": "Intention to switch brand",
    **{item: f"Satisfaction: {item.replace('_', ' ')}" for item in SATISFACTION_ITEMS},
}
REQUIRED = ("nps_score",)
NOT_ANSWERED = {"", "na", "n/a", "n.a.", "-", "don't know", "dont know", "not applicable", "none"}
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

    @property
    def rows(self) -> int:
        """Data rows read (header rows excluded)."""
        return self.frame.height


@dataclass
class IngestResult:
    """Accepted canonical rows, rejected rows with reasons, and the report."""

    accepted: pl.DataFrame
    rejected: pl.DataFrame
    report: dict[str, Any] = field(default_factory=dict)


# --------------------------------------------------------------------------------------------
# 1. Reading
# --------------------------------------------------------------------------------------------


def read_survey(data: bytes, filename: str) -> RawSurvey:
    """Read an uploaded file into text cells, detecting format, encoding, delimiter and layout.

    Raises:
        IngestError: empty, binary, corrupt, header-only or oversized files, with the reason.
    """
    name = Path(filename or "upload").name
    if len(data) > MAX_FILE_MB * 1024 * 1024:
        raise IngestError(f"{name} is larger than {MAX_FILE_MB} MB")
    if not data.strip():
        raise IngestError(f"{name} is empty")
    suffix = Path(name).suffix.lower()
    sha = hashlib.sha256(data).hexdigest()
    if data[:4] == b"PAR1":
        raw = _read_parquet(data, name)
    elif data[:4] == b"PK\x03\x04":
        raw = _read_xlsx(data, name)
    elif suffix in (".xlsx", ".xlsm", ".parquet", ".xls"):
        kind = "Excel workbook" if suffix != ".parquet" else "Parquet file"
        hint = " (old .xls: save it as .xlsx)" if suffix == ".xls" else ""
        raise IngestError(f"{name} is not a valid {kind}{hint}")
    else:
        raw = _read_text(data, name)
    raw.filename, raw.sha256 = name, sha
    if raw.frame.height == 0:
        raise IngestError(f"{name} has a header but no data rows")
    return raw


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode text bytes: BOMs first, then strict UTF-8, then cp1252 (Excel's Western)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    for bom, enc in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                return data[2:].decode(enc), "utf-16"
            except UnicodeDecodeError as exc:
                raise IngestError(f"{name} is not valid UTF-16 text") from exc
    head = data[:65536]
    # UTF-16 without BOM: every other byte is zero in mostly-ASCII text
    if len(head) >= 4 and head[1::2].count(0) > 0.4 * len(head[1::2]) and head[0] != 0:
        try:
            return data.decode("utf-16-le"), "utf-16"
        except UnicodeDecodeError:
            pass
    if b"\x00" in head:
        raise IngestError(f"{name} looks like a binary file, not CSV/TSV text, Excel or Parquet")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _sniff_delimiter(text: str) -> str:
    """``,``, ``;`` or tab: the one that splits the first lines most consistently."""
    lines = [ln for ln in text[:65536].splitlines()[:30] if ln.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=",;\t").delimiter
    except csv.Error:
        pass
    best, score = ",", -1.0
    for delim in (",", ";", "\t"):
        counts = [ln.count(delim) for ln in lines]
        if counts[0] == 0:
            continue
        same = sum(c == counts[0] for c in counts) / len(counts)
        if same * counts[0] > score:
            best, score = delim, same * counts[0]
    return best


def _read_text(data: bytes, name: str) -> RawSurvey:
    text, encoding = _decode(data, name)
    if "\x00" in text[:65536]:
        raise IngestError(f"{name} looks like a binary file, not CSV/TSV text")
    delimiter = _sniff_delimiter(text)
    try:
        frame = pl.read_csv(
            io.BytesIO(text.encode("utf-8")),
            has_header=False,
            separator=delimiter,
            infer_schema=False,
            quote_char='"',
            empty_string_is_null=False,
        )
    except pl.exceptions.PolarsError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "more fields" in first or "field" in first.lower():
            raise IngestError(
                f"{name}: a row has more fields than the header (check the delimiter "
                f"{_delimiter_name(delimiter)} and quoting)"
            ) from exc
        raise IngestError(f"{name} cannot be read as delimited text: {first}") from exc
    rows = [list(r) for r in frame.head(3).iter_rows()]
    raw = _apply_layout(frame, rows, "csv", name)
    raw.encoding, raw.delimiter = encoding, delimiter
    return raw


def _delimiter_name(delim: str) -> str:
    return {"\t": "tab", ",": "comma", ";": "semicolon"}.get(delim, repr(delim))


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_xlsx(data: bytes, name: str) -> RawSurvey:
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise IngestError(f"{name} is not a valid Excel workbook (.xlsx)") from exc
    except Exception as exc:  # openpyxl raises assorted errors on corrupt parts
        raise IngestError(f"{name} is a corrupt Excel workbook: {type(exc).__name__}") from exc
    try:
        sheet = book.worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    except Exception as exc:
        raise IngestError(f"{name} is a corrupt Excel workbook: {type(exc).__name__}") from exc
    finally:
        book.close()
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise IngestError(f"{name}: the first sheet is empty")
    width = max(len(r) for r in rows)
    columns = [f"column_{i + 1}" for i in range(width)]
    frame = pl.DataFrame(
        [r + [""] * (width - len(r)) for r in rows],
        schema=dict.fromkeys(columns, pl.String),
        orient="row",
    )
    return _apply_layout(frame, rows[:3], "xlsx", name)


def _read_parquet(data: bytes, name: str) -> RawSurvey:
    try:
        frame = pl.read_parquet(io.BytesIO(data))
    except Exception as exc:  # pyarrow/polars raise several types on corrupt files
        raise IngestError(f"{name} is not a valid Parquet file") from exc
    if frame.width == 0:
        raise IngestError(f"{name} has no columns")
    text = frame.select(
        pl.col(c).cast(pl.String, strict=False).fill_null("") for c in frame.columns
    )
    columns = _unique_names([str(c) for c in frame.columns])
    return RawSurvey(
        text.rename(dict(zip(frame.columns, columns, strict=True))),
        {c: c for c in columns},
        "plain",
        "parquet",
        2,
    )


def _unique_names(names: Sequence[str]) -> list[str]:
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(names):
        name = " ".join(str(raw).split())[:120] or f"column_{i + 1}"
        key = name.lower()
        if key in seen:
            seen[key] += 1
            name = f"{name}_{seen[key]}"
        else:
            seen[key] = 1
        out.append(name)
    return out


def _apply_layout(frame: pl.DataFrame, head: list[list[str]], fmt: str, name: str) -> RawSurvey:
    """Find the header rows (Qualtrics: 3, SurveyMonkey: 2, plain: 1) and name the columns."""
    if not head:
        raise IngestError(f"{name} is empty")
    first = [c or "" for c in head[0]]
    second = [c or "" for c in head[1]] if len(head) > 1 else []
    third = [c or "" for c in head[2]] if len(head) > 2 else []
    import_ids = sum(1 for c in third if c.strip().startswith('{"ImportId"'))
    if third and import_ids >= max(1, len([c for c in third if c.strip()]) // 2):
        layout, skip = "qualtrics", 3
        names = _unique_names(first)
        questions = {n: (q or n) for n, q in zip(names, second, strict=False)}
    elif any(c.strip().lower() == "respondent id" for c in first) and any(
        c.strip() in ("Response", "Open-Ended Response") for c in second
    ):
        layout, skip = "surveymonkey", 2
        combined, current = [], ""
        for top, sub in zip(first, second, strict=False):
            current = top.strip() or current
            sub = sub.strip()
            plain = not sub or sub in ("Response", "Open-Ended Response") or sub == current
            combined.append(current if plain else f"{current} - {sub}" if current else sub)
        names = _unique_names(combined)
        questions = dict(zip(names, combined, strict=True))
    else:
        layout, skip = "plain", 1
        names = _unique_names(first)
        questions = {n: n for n in names}
    if len(names) < frame.width:
        names = names + [f"column_{i + 1}" for i in range(len(names), frame.width)]
    body = frame.slice(skip).rename(dict(zip(frame.columns, names[: frame.width], strict=True)))
    # drop fully empty trailing columns (Excel exports often carry them)
    keep = [
        c
        for c in body.columns
        if not (c.startswith("column_") and body[c].str.strip_chars().eq("").all())
    ]
    body = body.select(keep)
    if body.width == 0 or body.height == 0:
        what = "no columns" if body.width == 0 else "a header but no data rows"
        raise IngestError(f"{name} has {what}")
    longest = body.select(pl.max_horizontal(pl.col(c).str.len_chars() for c in body.columns))
    longest_value = longest.to_series().max() if body.height else 0
    if longest_value is not None and int(str(longest_value)) > MAX_FIELD_CHARS:
        idx = int(longest.to_series().arg_max() or 0)
        raise IngestError(
            f"{name}: row {idx + skip + 1} has a field of more than {MAX_FIELD_CHARS:,} "
            "characters; this does not look like survey answers"
        )
    return RawSurvey(
        body.with_columns(pl.col(c).fill_null("") for c in body.columns),
        {c: questions.get(c, c) for c in body.columns},
        layout,
        fmt,
        skip + 1,
    )


# --------------------------------------------------------------------------------------------
# 2. Mapping
# --------------------------------------------------------------------------------------------

#: (canonical, regex on the lowercased column name or question). First match wins per column,
#: and each canonical column takes the first matching source column (Qualtrics ids such as
#: ``Q3`` are matched through their question text).
_RULES: tuple[tuple[str, str], ...] = (
    (
        "respondent_id",
        r"^(responseid|response id|respondent|respondent id|respondent_id|respondentid|record id|_recordid|id)$",
    ),
    (
        "date",
        r"^(recordeddate|recorded date|enddate|end date|date|response date|submitted( at)?|submitdate|startdate|start date|timestamp)$",
    ),
    ("wave", r"^(wave|survey wave|period|quarter)$"),
    ("weight", r"^(weight|wt|weighting|weight factor|survey weight)$"),
    ("switch_intent", r"switch|change (to another|brand)|another brand"),
    (
        "nps_score",
        r"^(nps|nps_score|nps score|ltr|likelihood to recommend)$|how likely .*recommend|likely.*recommend",
    ),
    (
        "country",
        r"^(country|country code|country_code|iso country|market)$|which country|country (of|where)|in which country",
    ),
    ("industry", r"^(industry|sector|category)$|which industry"),
    (
        "channel",
        r"^(channel|sales channel|sales_channel|purchase channel)$|how did you (buy|purchase)|where did you (buy|purchase)|bought (it )?(from|through|via)",
    ),
    (
        "brand",
        r"^(brand|make|manufacturer|company)$|which brand|brand (of|do you)|which (company|manufacturer|make)",
    ),
    ("segment", r"^(segment|vehicle segment)$"),
    ("ownership", r"^(ownership|owner or user|owner_user)$"),
    ("powertrain", r"^(powertrain|fuel type|drivetrain|engine type)$"),
    ("price_transparency", r"price transparen"),
    ("awareness", r"\bawareness\b|aware"),
    ("research", r"\bresearch|information (search|gathering)"),
    ("shop", r"\bshop\b|shopping|showroom|test drive|dealer visit"),
    ("purchase", r"\bpurchase\b|purchas|buying"),
    ("receive", r"\breceive\b|deliver|handover|hand-over|receiving"),
    ("use", r"^use\b|\buse satisf|usage|using the|driving experience|ownership experience"),
    ("maintain", r"\bmaintain\b|after-?sales|after sales|maintenance|servic|repair"),
    ("recommend", r"^recommend\b|referr|recommendation experience|satisf.*recommend"),
)


#: Header names that make a column the NPS score whatever its values (they are then validated
#: row by row); other matches must also have 0-10 answers.
STRONG_NPS_NAMES = r"nps|nps_score|nps score|ltr|likelihood to recommend"


def detect_mapping(raw: RawSurvey) -> dict[str, str]:
    """Map canonical columns to source columns from names, question wording and values.

    A column is the NPS score only if its answers are 0-10 (numbers or "10 - Extremely likely"
    labels); Qualtrics' derived ``*_NPS_GROUP`` columns are never taken as scores.
    """
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    columns = raw.frame.columns
    # exact canonical names first (files written by cxbench or prepared by hand)
    for col in columns:
        key = col.strip().lower()
        if key in CANONICAL and key not in mapping:
            mapping[key] = col
            taken.add(col)
    for col in columns:
        if col in taken or col.upper().endswith("_NPS_GROUP"):
            continue
        texts = [col.strip().lower(), raw.questions.get(col, "").strip().lower()]
        for canonical, pattern in _RULES:
            if canonical in mapping:
                continue
            if not any(re.search(pattern, t) for t in texts if t):
                continue
            named = re.fullmatch(STRONG_NPS_NAMES, texts[0]) is not None
            if canonical == "nps_score" and not named and not _looks_like_nps(raw.frame[col]):
                continue
            if canonical in SATISFACTION_ITEMS and not _looks_like_scale(raw.frame[col]):
                continue
            mapping[canonical] = col
            taken.add(col)
            break
    if "date" in mapping and "wave" in mapping:
        mapping.pop("date")
    return mapping


def _answered(series: pl.Series) -> pl.Series:
    return series.filter(~series.str.strip_chars().str.to_lowercase().is_in(list(NOT_ANSWERED)))


def _looks_like_nps(series: pl.Series) -> bool:
    sample = _answered(series.head(2000))
    if sample.is_empty():
        return False
    parsed = _parse_nps(sample.to_frame("v"), "v")
    return _share(parsed.is_not_null()) >= 0.9


def _looks_like_scale(series: pl.Series) -> bool:
    sample = _answered(series.head(2000))
    if sample.is_empty():
        return True  # an empty stage column is a stage not asked: still map it
    scores = _scale_values(sample.to_frame("v"), "v")
    return _share(scores.is_not_null()) >= 0.8


def _share(flags: pl.Series) -> float:
    """Share of True in a boolean series (0 for an empty one)."""
    return float(flags.sum()) / flags.len() if flags.len() else 0.0


# --------------------------------------------------------------------------------------------
# 3. Normalising and validating
# --------------------------------------------------------------------------------------------

SATISFACTION_LABELS = {
    "very satisfied": 5,
    "extremely satisfied": 5,
    "completely satisfied": 5,
    "satisfied": 4,
    "somewhat satisfied": 4,
    "fairly satisfied": 4,
    "neither satisfied nor dissatisfied": 3,
    "neither satisfied or dissatisfied": 3,
    "neutral": 3,
    "neither": 3,
    "somewhat dissatisfied": 2,
    "dissatisfied": 2,
    "fairly dissatisfied": 2,
    "very dissatisfied": 1,
    "extremely dissatisfied": 1,
    "completely dissatisfied": 1,
}

SWITCH_LABELS: tuple[tuple[str, str], ...] = (
    (
        r"^(within_6m|within 6 months|in the next 6 months|less than 6 months|<\s*6|0\s*-\s*6)",
        "within_6m",
    ),
    (r"^(6_18m|6\s*-\s*18|6 to 18|in 6-18|in 6 to 18|within 18 months|between 6 and 18)", "6_18m"),
    (r"^(later|more than 18|after 18|>\s*18|in more than)", "later"),
    (r"^(no|none|never|not|no intention|i do not|i don't)", "no"),
)

CHANNEL_LABELS: tuple[tuple[str, str], ...] = (
    (r"agen(t|cy)", "agency"),
    (r"dealer|retailer|showroom|franchise", "dealer"),
    (r"direct|brand('s)? (website|store|app)|online from|manufacturer|oem", "direct"),
    (r"mobility|subscription|car[- ]?shar|rental|ride", "mobility"),
)


def _clean(col: str) -> pl.Expr:
    return pl.col(col).str.strip_chars()


def _blank(col: str) -> pl.Expr:
    return _clean(col).str.to_lowercase().is_in(list(NOT_ANSWERED))


def _number(col: str) -> pl.Expr:
    """Numbers with a decimal point or comma (``7``, ``7.0``, ``7,5``); else null."""
    text = _clean(col)
    return (
        pl.when(text.str.contains(r"^[+-]?\d+([.,]\d+)?$"))
        .then(text.str.replace(",", ".", literal=True))
        .otherwise(None)
        .cast(pl.Float64, strict=False)
    )


def _parse_nps(frame: pl.DataFrame, col: str) -> pl.Series:
    """0-10 integers from numbers or labels such as ``10 - Extremely likely``; else null."""
    text = _clean(col).str.to_lowercase()
    value = pl.coalesce(
        _number(col),
        text.str.extract(r"^(\d{1,2})\s*(?:[-–:=(]|\s)\s*\D", 1).cast(pl.Float64, strict=False),
        pl.when(text.str.contains(r"^not at all likely")).then(pl.lit(0.0)),
        pl.when(text.str.contains(r"^extremely likely")).then(pl.lit(10.0)),
    )
    out = pl.when((value == value.round(0)) & value.is_between(0, 10)).then(value).otherwise(None)
    return frame.select(out.alias("v"))["v"]


def _scale_values(frame: pl.DataFrame, col: str) -> pl.Series:
    """Satisfaction answers as numbers: labels to 1-5, numbers as given (scale found later)."""
    text = _clean(col).str.to_lowercase()
    label = text.replace_strict(SATISFACTION_LABELS, default=None, return_dtype=pl.Float64)
    leading = text.str.extract(r"^(\d{1,2})\s*[-–:=(]\s*\D", 1).cast(pl.Float64, strict=False)
    return frame.select(pl.coalesce(_number(col), leading, label).alias("v"))["v"]


def scale_of(values: pl.Series) -> tuple[int, int] | None:
    """The answer scale implied by the values: (1, 5), (1, 7), (1, 10) or (0, 10)."""
    answered = values.drop_nulls()
    if answered.is_empty():
        return (1, 5)
    lo, hi = float(answered.min() or 0), float(answered.max() or 0)  # type: ignore[arg-type]
    if lo < 0 or hi > 10:
        return None
    if lo >= 1 and hi <= 5:
        return (1, 5)
    if lo >= 1 and hi <= 7:
        return (1, 7)
    if lo >= 1:
        return (1, 10)
    return (0, 10)


def to_five_point(value: pl.Expr, scale: tuple[int, int]) -> pl.Expr:
    """Map a k-point answer to 1-5 keeping the top two and bottom two boxes.

    The two highest points become 5 and 4, the two lowest 2 and 1, everything between 3, so
    top-2-box satisfaction and bottom-2-box dissatisfaction mean the same as on the source
    scale. (Means on the normalised scale are not comparable across scales.)
    """
    lo, hi = scale
    if scale == (1, 5):
        return value
    return (
        pl.when(value == hi)
        .then(5.0)
        .when(value == hi - 1)
        .then(4.0)
        .when(value == lo)
        .then(1.0)
        .when(value == lo + 1)
        .then(2.0)
        .otherwise(pl.when(value.is_not_null()).then(3.0))
    )


@functools.cache
def _country_index() -> dict[str, str]:
    """Lowercase name / alpha-2 / alpha-3 / common and official names -> ISO alpha-2."""
    import pycountry

    index: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value:
                index[str(value).lower()] = c.alpha_2
    index.update(COUNTRY_ALIASES)
    return index


#: Names pycountry does not know, in English and in the seeds' languages.
COUNTRY_ALIASES = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "great britain": "GB",
    "britain": "GB",
    "usa": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states of america": "US",
    "america": "US",
    "deutschland": "DE",
    "brasil": "BR",
    "españa": "ES",
    "italia": "IT",
    "sverige": "SE",
    "nippon": "JP",
    "russia": "RU",
    "россия": "RU",
    "中国": "CN",
    "日本": "JP",
    "south korea": "KR",
    "korea": "KR",
    "turkey": "TR",
    "czechia": "CZ",
    "holland": "NL",
}


def country_code(value: str) -> str | None:
    """ISO 3166 alpha-2 for a country name or code, or None when unknown."""
    return _country_index().get(" ".join(value.split()).lower())


def _map_values(col: str, patterns: Sequence[tuple[str, str]]) -> pl.Expr:
    text = _clean(col).str.to_lowercase()
    expr: Any = pl.when(pl.lit(False)).then(pl.lit(None, dtype=pl.String))
    for pattern, code in patterns:
        expr = expr.when(text.str.contains(pattern)).then(pl.lit(code))
    return expr.otherwise(None)


def _parse_dates(col: str) -> pl.Expr:
    text = _clean(col)
    formats = (
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d",
        "%m/%d/%Y %I:%M:%S %p",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%m/%d/%Y",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y",
        "%Y/%m/%d",
    )
    return pl.coalesce(
        [text.str.strptime(pl.Datetime, f, strict=False) for f in formats]
        + [text.str.slice(0, 19).str.strptime(pl.Datetime, "%Y-%m-%dT%H:%M:%S", strict=False)]
    )


def normalise(raw: RawSurvey, mapping: Mapping[str, str], dataset: str) -> IngestResult:
    """Canonical respondent rows from a raw survey; rows that fail a check are rejected.

    Nothing is dropped silently: each rejected row carries its file row number, every reason
    that applies, and its original cells. Values are never coerced into range: a score of 11
    is rejected, not clipped.
    """
    bad = [
        f"{k}={v}" for k, v in mapping.items() if k not in CANONICAL or v not in raw.frame.columns
    ]
    if bad:
        raise IngestError(f"mapping names unknown columns: {', '.join(bad[:3])}")
    if "nps_score" not in mapping:
        raise IngestError(
            "no likelihood-to-recommend (0-10) column was found; map one as nps_score"
        )
    frame = raw.frame.with_row_index("_i").with_columns(
        (pl.col("_i") + raw.first_row).alias("_row")
    )
    src = dict(mapping)
    exprs: dict[str, pl.Expr] = {}
    reasons: list[pl.Expr] = []
    scales: dict[str, str] = {}

    def reason(cond: pl.Expr, text: pl.Expr | str) -> None:
        reasons.append(pl.when(cond).then(text if isinstance(text, pl.Expr) else pl.lit(text)))

    # NPS score (required)
    c = src["nps_score"]
    nps = pl.Series("nps", _parse_nps(frame, c))
    frame = frame.with_columns(nps.alias("_nps"))
    reason(_blank(c), "missing likelihood-to-recommend score")
    reason(
        ~_blank(c) & pl.col("_nps").is_null(),
        pl.format(
            "likelihood to recommend '{}' is not a whole number from 0 to 10",
            _clean(c).str.slice(0, 40),
        ),
    )
    exprs["nps_score"] = pl.col("_nps").cast(pl.Int8)

    # respondent id
    if "respondent_id" in src:
        c = src["respondent_id"]
        rid = _clean(c)
        frame = frame.with_columns(rid.alias("_rid"))
        reason(_blank(c), "missing respondent id")
        first_seen = pl.col("_row").min().over("_rid")
        reason(
            ~_blank(c) & (pl.col("_row") != first_seen),
            pl.format(
                "duplicate respondent id '{}' (first in row {})",
                pl.col("_rid").str.slice(0, 40),
                first_seen,
            ),
        )
        exprs["respondent_id"] = pl.col("_rid")
    else:
        exprs["respondent_id"] = pl.format("row-{}", pl.col("_row"))

    # wave: given, or the quarter of the response date
    if "wave" in src:
        c = src["wave"]
        exprs["wave"] = pl.when(_blank(c)).then(pl.lit(NO_WAVE)).otherwise(_clean(c))
    elif "date" in src:
        c = src["date"]
        frame = frame.with_columns(_parse_dates(c).alias("_date"))
        reason(
            ~_blank(c) & pl.col("_date").is_null(),
            pl.format("date '{}' is not a date", _clean(c).str.slice(0, 40)),
        )
        exprs["wave"] = (
            pl.when(pl.col("_date").is_null())
            .then(pl.lit(NO_WAVE))
            .otherwise(pl.format("{}Q{}", pl.col("_date").dt.year(), pl.col("_date").dt.quarter()))
        )
    else:
        exprs["wave"] = pl.lit(NO_WAVE)

    # country: names or codes to ISO alpha-2
    if "country" in src:
        c = src["country"]
        values = frame[c].str.strip_chars().unique().to_list()
        codes = {v: country_code(v) for v in values if v and v.lower() not in NOT_ANSWERED}
        frame = frame.with_columns(
            _clean(c).replace_strict(codes, default=None, return_dtype=pl.String).alias("_cty")
        )
        reason(
            ~_blank(c) & pl.col("_cty").is_null(),
            pl.format("unknown country '{}'", _clean(c).str.slice(0, 40)),
        )
        exprs["country"] = pl.col("_cty")

    # plain text dimensions (kept as data; escaped wherever they are shown or exported)
    for name in ("industry", "brand", "segment", "ownership", "powertrain"):
        if name in src:
            c = src[name]
            exprs[name] = pl.when(_blank(c)).then(None).otherwise(_clean(c).str.slice(0, 200))
    if "industry" not in exprs:
        exprs["industry"] = pl.lit("All respondents")

    if "channel" in src:
        c = src["channel"]
        exprs["channel"] = (
            pl.when(_blank(c))
            .then(None)
            .otherwise(
                pl.coalesce(
                    _map_values(c, CHANNEL_LABELS),
                    _clean(c).str.to_lowercase().str.slice(0, 60),
                )
            )
        )

    if "weight" in src:
        c = src["weight"]
        frame = frame.with_columns(_number(c).alias("_w"))
        reason(_blank(c), "missing weight")
        reason(
            ~_blank(c) & (pl.col("_w").is_null() | (pl.col("_w") <= 0)),
            pl.format("weight '{}' is not a positive number", _clean(c).str.slice(0, 40)),
        )
        exprs["weight"] = pl.col("_w")
    else:
        exprs["weight"] = pl.lit(1.0)

    if "switch_intent" in src:
        c = src["switch_intent"]
        frame = frame.with_columns(_map_values(c, SWITCH_LABELS).alias("_sw"))
        reason(
            ~_blank(c) & pl.col("_sw").is_null(),
            pl.format("switching answer '{}' is not recognised", _clean(c).str.slice(0, 40)),
        )
        exprs["switch_intent"] = pl.col("_sw")

    for item in SATISFACTION_ITEMS:
        if item not in src:
            continue
        c = src[item]
        scored = _scale_values(frame, c)
        frame = frame.with_columns(scored.alias(f"_s_{item}"))
        whole = scored.filter(
            scored.is_not_null() & (scored == scored.round(0)) & scored.is_between(0, 10)
        )
        scale = scale_of(whole)
        scale = scale or (1, 5)
        scales[item] = f"{scale[0]}-{scale[1]}"
        v = pl.col(f"_s_{item}")
        reason(
            ~_blank(c) & (v.is_null() | (v != v.round(0)) | ~v.is_between(scale[0], scale[1])),
            pl.format(
                "{} answer '{}' is not on the {}-{} scale",
                pl.lit(item.replace("_", " ")),
                _clean(c).str.slice(0, 40),
                pl.lit(scale[0]),
                pl.lit(scale[1]),
            ),
        )
        exprs[item] = to_five_point(v, scale).cast(pl.Int8)

    frame = frame.with_columns(
        pl.concat_str(reasons, separator="; ", ignore_nulls=True).alias("_reason")
        if reasons
        else pl.lit(None, dtype=pl.String).alias("_reason")
    ).with_columns(
        pl.when(pl.col("_reason") == "").then(None).otherwise(pl.col("_reason")).alias("_reason")
    )
    ok = frame.filter(pl.col("_reason").is_null())
    accepted = ok.select(
        [
            (exprs[c] if c in exprs else pl.lit(None)).cast(_polars_type(t)).alias(c)
            if c != "dataset"
            else pl.lit(dataset).alias("dataset")
            for c, t in RESPONDENT_COLUMNS.items()
        ]
    )
    rejected = frame.filter(pl.col("_reason").is_not_null()).select(
        pl.col("_row").alias("row"),
        pl.col("_reason").alias("reason"),
        *[pl.col(c) for c in raw.frame.columns],
    )
    reason_counts = (
        rejected.select(
            pl.col("reason")
            .str.split("; ")
            .explode()
            .str.replace_all(r"'[^']*'", "…")
            .str.replace(r" \(first in row \d+\)", "")
            .alias("reason")
        )
        .group_by("reason")
        .len()
        .sort("len", descending=True)
        if rejected.height
        else pl.DataFrame({"reason": [], "len": []})
    )
    present = [c for c in CANONICAL if c in mapping]
    report = {
        "file": raw.filename,
        "format": raw.format,
        "layout": raw.layout,
        "encoding": raw.encoding,
        "delimiter": _delimiter_name(raw.delimiter) if raw.delimiter else None,
        "rows_read": raw.rows,
        "rows_accepted": accepted.height,
        "rows_rejected": rejected.height,
        "reasons": [{"reason": r, "rows": int(n)} for r, n in reason_counts.iter_rows()],
        "mapping": dict(mapping),
        "scales": scales,
        "fields": present,
        "unmapped_columns": [c for c in raw.frame.columns if c not in mapping.values()],
        "sha256": raw.sha256,
    }
    return IngestResult(accepted, rejected, report)


def _polars_type(duck: str) -> Any:
    return {"varchar": pl.String, "tinyint": pl.Int8, "double": pl.Float64}[duck]


# --------------------------------------------------------------------------------------------
# 4. Storing
# --------------------------------------------------------------------------------------------

_WRITE_LOCK = threading.Lock()


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


def ensure_upload_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Columns added after the first release (older databases get them on first write)."""
    db.run_script(con, "build/migrate")


def store(
    con: duckdb.DuckDBPyConnection,
    result: IngestResult,
    dataset: str,
    label: str,
    original: bytes,
    filename: str,
    db_path: Path,
    replace: bool = False,
    progress: Callable[[str], None] | None = None,
) -> str:
    """Store accepted rows as ``dataset`` in one transaction; keep the original file.

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
    digest = hashlib.sha256(
        original + json.dumps(result.report.get("mapping", {}), sort_keys=True).encode()
    ).hexdigest()
    with _WRITE_LOCK:
        ensure_upload_schema(con)
        existing = db.execute(con, "dataset_fingerprint", {"dataset": dataset})
        if existing.height:
            if existing["content_sha256"][0] == digest:
                return "unchanged"
            if not replace:
                raise IngestError(
                    f"dataset '{dataset}' exists; replace it explicitly (--replace) or choose "
                    "another name"
                )
        folder = db_path.parent / UPLOADS_DIR / dataset
        created = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / f"{digest[:12]}-{safe_filename(filename)}"
        tmp = kept.with_name(f".{kept.name}.tmp")
        tmp.write_bytes(original)
        con.execute("begin transaction")
        try:
            _delete_rows(con, dataset)
            say(f"writing {result.accepted.height:,} rows")
            db.append_respondents(con, [result.accepted])
            countries = _reference_countries(result.accepted)
            if countries.height:
                con.register("new_countries", countries)
                db.execute(con, "build/insert_missing_countries")
                con.unregister("new_countries")
            say("building summary tables")
            db.rebuild_cells(con, dataset)
            db.execute(
                con,
                "build/insert_upload_dataset",
                {
                    "dataset": dataset,
                    "label": label,
                    "rows": result.accepted.height,
                    "source_file": str(kept.relative_to(db_path.parent)),
                    "content_sha256": digest,
                    "fields": ",".join(result.report.get("fields", [])),
                },
            )
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            tmp.unlink(missing_ok=True)
            if created and not any(folder.iterdir()):
                folder.rmdir()
            raise
        tmp.replace(kept)
        for old in folder.iterdir():
            if old != kept and not old.name.startswith("."):
                old.unlink(missing_ok=True)
    return "replaced" if existing.height else "stored"


#: What one dataset owns, in the order it is removed (catalogue first, summaries last).
_DELETE_STEPS = (
    "delete_dataset",
    "delete_respondents",
    "delete_nps_cells",
    "delete_stage_cells",
    "delete_driver_cells",
    "delete_funnel",
)


def _delete_rows(con: duckdb.DuckDBPyConnection, dataset: str) -> None:
    """Remove every row of ``dataset`` (inside the caller's transaction)."""
    for step in _DELETE_STEPS:
        db.execute(con, f"build/{step}", {"dataset": dataset})


def delete_dataset(con: duckdb.DuckDBPyConnection, dataset: str, db_path: Path) -> None:
    """Remove an uploaded dataset, its summary rows and its kept original file."""
    check_dataset_name(dataset)
    with _WRITE_LOCK:
        con.execute("begin transaction")
        try:
            _delete_rows(con, dataset)
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
    folder = db_path.parent / UPLOADS_DIR / dataset
    if folder.is_dir():
        for f in folder.iterdir():
            f.unlink(missing_ok=True)
        folder.rmdir()


def _reference_countries(accepted: pl.DataFrame) -> pl.DataFrame:
    """Map rows for countries of the upload (from data/world_countries.csv)."""
    codes = accepted["country"].drop_nulls().unique()
    if codes.is_empty():
        return pl.DataFrame()
    world = pl.read_csv(db.DATA_DIR / "world_countries.csv")
    return world.filter(pl.col("country").is_in(codes.to_list())).select(
        "country", "name", "region", "latitude", "longitude"
    )


def apply_overrides(
    raw: RawSurvey, mapping: Mapping[str, str], overrides: Mapping[str, str]
) -> dict[str, str]:
    """The detected mapping with the user's corrections (an empty source unmaps a column)."""
    out = dict(mapping)
    for canonical, source in overrides.items():
        if canonical not in CANONICAL:
            raise IngestError(
                f"unknown canonical column '{canonical}'; one of: {', '.join(CANONICAL)}"
            )
        if source == "":
            out.pop(canonical, None)
            continue
        if source not in raw.frame.columns:
            raise IngestError(f"{canonical}={source}: the file has no column '{source}'")
        out = {k: v for k, v in out.items() if v != source}
        out[canonical] = source
    return out


def prepare_file(
    path: Path, dataset: str, mapping_overrides: Mapping[str, str] | None = None
) -> tuple[bytes, IngestResult]:
    """Read, map (detected, then the overrides) and validate one file; nothing is stored."""
    check_dataset_name(dataset)
    if not path.is_file():
        raise IngestError(f"no such file: {path}")
    data = path.read_bytes()
    raw = read_survey(data, path.name)
    mapping = apply_overrides(raw, detect_mapping(raw), mapping_overrides or {})
    return data, normalise(raw, mapping, dataset)


def ingest_file(
    path: Path,
    dataset: str,
    db_path: Path,
    mapping_overrides: Mapping[str, str] | None = None,
    replace: bool = False,
    label: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[str, IngestResult]:
    """Read, map, validate and store one file (the command line's ``ingest``)."""
    data, result = prepare_file(path, dataset, mapping_overrides)
    con = db.connect(db_path, read_only=False)
    try:
        status = store(
            con, result, dataset, label or dataset, data, path.name, db_path, replace, progress
        )
    except duckdb.Error as exc:
        raise IngestError(f"the database refused the write: {str(exc).splitlines()[0]}") from exc
    finally:
        con.close()
    return status, result
