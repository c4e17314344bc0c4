"""Step 1, reading: file bytes to text cells, detecting format, encoding, delimiter, layout.

Formats: CSV/TSV with ``,`` ``;`` or tab, UTF-8 with or without BOM, UTF-16, cp1252; Excel
``.xlsx``; Parquet. Layouts: Qualtrics (3 header rows), SurveyMonkey (2), plain (1).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from cx.ingest.model import MAX_FIELD_CHARS, MAX_FILE_MB, IngestError, RawSurvey


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
                f"{delimiter_name(delimiter)} and quoting)"
            ) from exc
        raise IngestError(f"{name} cannot be read as delimited text: {first}") from exc
    rows = [list(r) for r in frame.head(3).iter_rows()]
    raw = _apply_layout(frame, rows, "csv", name)
    raw.encoding, raw.delimiter = encoding, delimiter
    return raw


def delimiter_name(delim: str) -> str:
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
