"""Reading workbooks and Parquet files in a separate, bounded process.

Excel workbooks and Parquet files are compressed: a few kilobytes can declare a sheet of 17
billion cells, unpack to gigabytes (a zip bomb) or expand a dictionary-encoded column to tens of
gigabytes. So they are never opened in the server's own process. :func:`cx.ingest.read` runs
this module as a script (``python -I sandbox.py KIND LIMITS`` with the file on stdin), which

- refuses from what the file says about itself, before reading any cell: a workbook with too
  many parts, parts that unpack to more than the limit or are compressed like a zip bomb, a
  first sheet whose declared dimension (``<dimension ref="A1:XFD1048576"/>``) is over the row,
  column or cell limit; a Parquet file whose footer is too large, with too many rows or
  columns, or nested columns;
- streams the cells (openpyxl's read-only mode with the declared dimension reset, so a lying
  dimension neither drops cells nor pads rows; Parquet in batches), counting rows, columns,
  cells, the longest field and the text written;
- runs under an address-space limit and an alarm, and is killed if its parent dies.

It writes the cells as CSV (UTF-8) on stdout and one JSON line on stderr: ``{"width": W,
"rows": N}`` or ``{"error": "..."}``. Only the standard library is imported at module level so
that the process starts fast; openpyxl or pyarrow are imported for the kind of file at hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import signal
import struct
import sys
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree as ET

#: Exit codes: the file was refused (the message says why) / memory ran out.
REFUSED, NO_MEMORY = 3, 4
_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one read may use (from :mod:`cx.ingest.model`); ``name`` is the file's name."""

    name: str
    rows: int
    columns: int
    cells: int
    field_chars: int
    text_bytes: int
    unpacked_bytes: int
    ratio: int
    parts: int
    seconds: int
    memory_bytes: int
    metadata_bytes: int


class RefusedError(Exception):
    """The file is over a limit or unreadable; the message is one line for the user."""


# --------------------------------------------------------------------------------------------
# Output: CSV cells with running totals
# --------------------------------------------------------------------------------------------


#: Header rows a file may have besides its data rows (Qualtrics: 3).
HEADER_ROWS = 3


def check_shape(limits: Limits, rows: int, width: int) -> None:
    """Refuse ``rows`` rows (header rows included) of ``width`` columns past the limits."""
    name = limits.name
    if width > limits.columns:
        raise RefusedError(
            f"{name} has more than {limits.columns:,} columns ({width:,}); survey exports "
            "have far fewer"
        )
    if rows > limits.rows + HEADER_ROWS:
        raise RefusedError(f"{name} has more than {limits.rows:,} rows; split it into parts")
    if (rows - HEADER_ROWS) * width > limits.cells:
        raise RefusedError(
            f"{name} has more than {limits.cells:,} cells (rows × columns); drop unused "
            "columns or split it into parts"
        )


class CellWriter:
    """Writes rows as CSV and refuses as soon as the rows, width or text pass a limit."""

    def __init__(self, out: Any, limits: Limits) -> None:
        self.out = out
        self.limits = limits
        self.rows = 0
        self.width = 0
        self.text = 0
        self._csv = csv.writer(out, lineterminator="\n")

    def count(self, rows: int, width: int, text: int) -> None:
        """Add rows of ``width`` columns holding ``text`` bytes; refuse past a limit."""
        self.rows += rows
        self.width = max(self.width, width)
        self.text += text
        check_shape(self.limits, self.rows, self.width)
        if self.text > self.limits.text_bytes:
            raise RefusedError(
                f"{self.limits.name} holds more than {self.limits.text_bytes // _MB:,} MB of text"
            )

    def row(self, cells: list[str]) -> None:
        """Write one row (an empty row stays a row, so row numbers keep matching the file)."""
        for cell in cells:
            if len(cell) > self.limits.field_chars:
                raise RefusedError(
                    f"{self.limits.name}: row {self.rows + 1:,} has a field of more than "
                    f"{self.limits.field_chars:,} characters; this does not look like survey "
                    "answers"
                )
        self.count(1, len(cells), sum(len(c) for c in cells) + len(cells))
        self._csv.writerow(cells or [""])


# --------------------------------------------------------------------------------------------
# Excel workbooks
# --------------------------------------------------------------------------------------------


def zip_entries(data: bytes) -> int | None:
    """Entries the zip's end record declares (zip64 too), read without opening the zip."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or end + 22 > len(data):
        return None
    (entries,) = struct.unpack_from("<H", data, end + 10)
    if entries == 0xFFFF and end >= 20 and data[end - 20 : end - 16] == b"PK\x06\x07":
        (offset,) = struct.unpack_from("<Q", data, end - 12)
        if offset + 40 <= len(data) and data[offset : offset + 4] == b"PK\x06\x06":
            (entries,) = struct.unpack_from("<Q", data, offset + 32)
    return int(entries)


def check_parts(book: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a workbook whose parts unpack to too much or are compressed like a zip bomb.

    Sizes come from the zip's directory; reading a part never yields more than its declared
    size (Python's zipfile stops there and checks the CRC), so the check bounds what is read.
    """
    total = 0
    for part in book.infolist():
        total += part.file_size
        if part.file_size > _MB and part.file_size > limits.ratio * max(part.compress_size, 1):
            raise RefusedError(
                f"{limits.name}: the part {part.filename[:60]} unpacks to "
                f"{part.file_size / _MB:,.0f} MB from {part.compress_size / _MB:,.1f} MB (more "
                f"than {limits.ratio}:1); refused as a possible zip bomb"
            )
        if total > limits.unpacked_bytes:
            raise RefusedError(
                f"{limits.name} unpacks to more than {limits.unpacked_bytes // _MB:,} MB; "
                "save the sheet as CSV or split it"
            )


_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _rels(book: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target path) of a part."""
    folder, _, file = part.rpartition("/")
    path = f"{folder}/_rels/{file}.rels" if folder else f"_rels/{file}.rels"
    out = {}
    for rel in ET.fromstring(book.read(path)):  # noqa: S314 (size-checked part)
        target = rel.get("Target", "")
        if not target.startswith("/"):
            target = f"{folder}/{target}" if folder else target
        out[rel.get("Id", "")] = (rel.get("Type", ""), target.lstrip("/"))
    return out


def first_sheet(book: zipfile.ZipFile) -> str | None:
    """The part of the first worksheet (the one read), as openpyxl orders sheets."""
    try:
        root = _rels(book, "")
        workbook = next(t for kind, t in root.values() if kind.endswith("/officeDocument"))
        rels = _rels(book, workbook)
        tree = ET.fromstring(book.read(workbook))  # noqa: S314 (size-checked part)
    except (KeyError, StopIteration, ET.ParseError):
        return None
    for sheet in tree.iter():
        if sheet.tag.endswith("}sheet"):
            kind, target = rels.get(sheet.get(_NS_REL, ""), ("", ""))
            if kind.endswith("/worksheet"):
                return target
    return None


_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*?\bref=\"([A-Za-z$0-9:]+)\"")
_CELL = re.compile(r"\$?([A-Za-z]{1,3})?\$?(\d+)?")


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ord(ch) - 64
    return number


def declared_dimension(book: zipfile.ZipFile, sheet: str) -> tuple[str, int, int] | None:
    """The sheet's declared used range as (ref, last row, last column), from its first 64 kB."""
    with book.open(sheet) as part:
        head = part.read(65_536)
    found = _DIMENSION.search(head)
    if not found:
        return None
    ref = found.group(1).decode("ascii")
    last = _CELL.fullmatch(ref.split(":")[-1])
    if last is None:
        return None
    rows = int(last.group(2) or 1_048_576)
    columns = _column_number(last.group(1)) if last.group(1) else 16_384
    return ref, rows, columns


def check_dimension(book: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a first sheet that declares more rows, columns or cells than the limits."""
    sheet = first_sheet(book)
    if sheet is None or sheet not in book.namelist():
        return
    dimension = declared_dimension(book, sheet)
    if dimension is None:
        return
    ref, rows, columns = dimension
    data_rows = rows - HEADER_ROWS
    if data_rows > limits.rows or columns > limits.columns or data_rows * columns > limits.cells:
        raise RefusedError(
            f"{limits.name}: its first sheet spans {ref[:30]} ({rows:,} rows × {columns:,} "
            f"columns); uploads take at most {limits.rows:,} rows, {limits.columns:,} "
            f"columns and {limits.cells:,} cells: clear the unused cells or save it as CSV"
        )


def cell_text(value: Any) -> str:
    """A cell's value as text: whole floats without ``.0``, dates in ISO form."""
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


def read_xlsx(data: bytes, limits: Limits, writer: CellWriter) -> None:
    """Check the workbook's directory and first sheet's dimension, then stream its cells."""
    name = limits.name
    entries = zip_entries(data)
    if entries is not None and entries > limits.parts:
        raise RefusedError(f"{name} has {entries:,} parts; a workbook has a few dozen")
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        check_parts(book, limits)
        check_dimension(book, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, KeyError, ET.ParseError,
            OSError, ValueError, EOFError) as exc:  # fmt: skip
        raise RefusedError(f"{name} is not a valid Excel workbook (.xlsx)") from exc
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise RefusedError(f"{name} is not a valid Excel workbook (.xlsx)") from exc
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl raises assorted errors on corrupt parts
        raise RefusedError(f"{name} is a corrupt Excel workbook: {type(exc).__name__}") from exc
    if not workbook.worksheets:
        raise RefusedError(f"{name} has no worksheet")
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # never trust the declared range: it may drop or pad cells
    empty = 0
    try:
        for values in sheet.iter_rows(values_only=True):
            cells = [cell_text(v) for v in values]
            while cells and not cells[-1].strip():
                cells.pop()
            if not cells:
                empty += 1  # written only if a row with data follows (trailing ones are not)
                check_shape(limits, writer.rows + empty, 0)
                continue
            for _ in range(empty):
                writer.row([])
            empty = 0
            writer.row(cells)
    except (RefusedError, MemoryError):
        raise
    except Exception as exc:
        raise RefusedError(f"{name} is a corrupt Excel workbook: {type(exc).__name__}") from exc
    finally:
        workbook.close()


# --------------------------------------------------------------------------------------------
# Parquet
# --------------------------------------------------------------------------------------------


def _text_column(column: Any, title: str, limits: Limits) -> tuple[Any, int]:
    """A column as text (nulls stay null) and its size in bytes, refused before it expands
    past the limits (a dictionary-encoded column can hold gigabytes in kilobytes)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_dictionary(kind):
        if not (pa.types.is_string(kind.value_type) or pa.types.is_large_string(kind.value_type)):
            column = column.dictionary_decode()
            return _text_column(column, title, limits)
        lengths = pc.take(pc.utf8_length(column.dictionary), column.indices)
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        lengths = pc.utf8_length(column)
    else:
        if pa.types.is_timestamp(kind):
            column = pc.strftime(column, format="%Y-%m-%d %H:%M:%S")
        elif pa.types.is_binary(kind) or pa.types.is_large_binary(kind):
            raise RefusedError(f"{limits.name}: column '{title[:40]}' holds binary data, not text")
        try:
            column = pc.cast(column, pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise RefusedError(
                f"{limits.name}: column '{title[:40]}' holds {str(kind)[:30]} values, which "
                "cannot be read as text or numbers"
            ) from exc
        lengths = pc.utf8_length(column)
    longest = pc.max(lengths).as_py() or 0
    if longest > limits.field_chars:
        raise RefusedError(
            f"{limits.name}: column '{title[:40]}' has a field of more than "
            f"{limits.field_chars:,} characters; this does not look like survey answers"
        )
    size = int(pc.sum(lengths).as_py() or 0)
    if size > limits.text_bytes:
        raise RefusedError(f"{limits.name} holds more than {limits.text_bytes // _MB:,} MB of text")
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    return column, size


def check_footer(data: bytes, limits: Limits) -> None:
    """Refuse a Parquet file whose footer (schema, key-value metadata, column statistics) is
    larger than the limit, from the length its last 8 bytes declare, before any of it is
    parsed: 40 MB of schema metadata took pyarrow about 1 GB to read."""
    if len(data) < 12 or data[:4] != b"PAR1" or data[-4:] != b"PAR1":
        raise RefusedError(f"{limits.name} is not a valid Parquet file")
    (size,) = struct.unpack_from("<I", data, len(data) - 8)
    if size > limits.metadata_bytes:
        raise RefusedError(
            f"{limits.name}: its metadata (schema and statistics) takes {size / _MB:,.1f} MB, "
            f"more than {limits.metadata_bytes // _MB:,} MB; a survey file's takes kilobytes"
        )


def read_parquet(data: bytes, limits: Limits, writer: CellWriter) -> None:
    """Check the file's footer size, then its metadata (rows, columns, nested types), then
    convert it in batches."""
    check_footer(data, limits)
    import pyarrow as pa
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    name = limits.name
    pa.set_cpu_count(1)  # one thread: the memory limit is on address space
    pa.set_io_thread_count(1)
    try:
        meta = pq.ParquetFile(pa.BufferReader(data))
        schema = meta.schema_arrow
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise RefusedError(f"{name} is not a valid Parquet file") from exc
    nested = [f.name for f in schema if pa.types.is_nested(f.type)]
    if nested:
        raise RefusedError(
            f"{name}: column '{str(nested[0])[:40]}' holds nested values (lists or records); "
            "save the file with one plain text or number column per question"
        )
    if not schema.names:
        raise RefusedError(f"{name} has no columns")
    check_shape(limits, meta.metadata.num_rows + 1, len(schema.names))  # before any data
    writer.row([str(n) for n in schema.names])
    strings = [f.name for f in schema if pa.types.is_string(f.type)]
    reader = pq.ParquetFile(pa.BufferReader(data), read_dictionary=strings)
    batch_rows = max(1, min(65_536, 2_000_000 // len(schema.names)))
    try:
        for batch in reader.iter_batches(batch_size=batch_rows):
            columns, size = [], 0
            for title, column in zip(schema.names, batch.columns, strict=True):
                text, bytes_ = _text_column(column, str(title), limits)
                columns.append(text)
                size += bytes_
            writer.count(batch.num_rows, len(columns), size + batch.num_rows * len(columns))
            table = pa.table(columns, names=[f"c{i}" for i in range(len(columns))])
            writer.out.flush()
            pcsv.write_csv(table, writer.out.buffer, pcsv.WriteOptions(include_header=False))
    except (RefusedError, MemoryError):
        raise
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise RefusedError(f"{name} is a corrupt Parquet file: {type(exc).__name__}") from exc


# --------------------------------------------------------------------------------------------
# The process
# --------------------------------------------------------------------------------------------

READERS = {"xlsx": read_xlsx, "parquet": read_parquet}


def confine(limits: Limits) -> None:
    """Cap this process's memory and time, and make it die with its parent."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    signal.alarm(limits.seconds)  # SIGALRM's default action ends the process
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run(kind: str, limits: Limits, data: bytes, out: Any) -> dict[str, Any]:
    """Read ``data`` as ``kind`` into ``out`` (a text stream); the JSON for stderr."""
    writer = CellWriter(out, limits)
    try:
        READERS[kind](data, limits, writer)
    except RefusedError as exc:
        return {"error": " ".join(str(exc).split())}
    except MemoryError:
        return {"memory": True}
    out.flush()
    return {"width": writer.width, "rows": writer.rows}


def main(argv: Iterable[str]) -> int:
    """``sandbox.py KIND LIMITS_JSON`` with the file on stdin."""
    kind, settings = list(argv)[:2]
    limits = Limits(**json.loads(settings))
    confine(limits)
    data = sys.stdin.buffer.read()
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=False)
    result = run(kind, limits, data, out)
    sys.stderr.write(json.dumps(result) + "\n")
    return REFUSED if "error" in result else NO_MEMORY if "memory" in result else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
