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
import gettext
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
    language: str = "en"
    locale_dir: str = ""


#: The messages' catalog in the reader process (:func:`main` opens the language's); in the
#: server's process the current request's language words them (:mod:`cx.core.i18n`).
_CATALOG: gettext.NullTranslations | None = None
_LANGUAGE = "en"


def _(message: str) -> str:
    """A refusal in the interface's language."""
    i18n = sys.modules.get("cx.core.i18n") if _CATALOG is None else None
    if i18n is not None:
        return str(i18n._(message))
    return (_CATALOG or gettext.NullTranslations()).gettext(message)


def _n(value: float, digits: int = 0) -> str:
    """A number as the language writes it (1,234 in English; 1 234 in Russian)."""
    i18n = sys.modules.get("cx.core.i18n") if _CATALOG is None else None
    if i18n is not None:
        return str(i18n.number(value, digits))
    text = f"{value:,.{digits}f}"
    if _LANGUAGE == "ru":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


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
            _(
                "{file} has more than {limit} columns ({width}); survey exports have far fewer"
            ).format(file=name, limit=_n(limits.columns), width=_n(width))
        )
    if rows > limits.rows + HEADER_ROWS:
        raise RefusedError(
            _("{file} has more than {rows} rows; split it into parts").format(
                file=name, rows=_n(limits.rows)
            )
        )
    if (rows - HEADER_ROWS) * width > limits.cells:
        raise RefusedError(
            _(
                "{file} has more than {cells} cells (rows × columns); drop unused columns or "
                "split it into parts"
            ).format(file=name, cells=_n(limits.cells))
        )


def _too_much_text(limits: Limits) -> str:
    return _("{file} holds more than {mb} MB of text").format(
        file=limits.name, mb=_n(limits.text_bytes // _MB)
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
            raise RefusedError(_too_much_text(self.limits))

    def row(self, cells: list[str]) -> None:
        """Write one row (an empty row stays a row, so row numbers keep matching the file)."""
        for cell in cells:
            if len(cell) > self.limits.field_chars:
                raise RefusedError(
                    _(
                        "{file}: row {row} has a field of more than {chars} characters; this "
                        "does not look like survey answers"
                    ).format(
                        file=self.limits.name,
                        row=_n(self.rows + 1),
                        chars=_n(self.limits.field_chars),
                    )
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
                _(
                    "{file}: the part {part} unpacks to {size} MB from {packed} MB (more than "
                    "{ratio}:1); refused as a possible zip bomb"
                ).format(
                    file=limits.name,
                    part=part.filename[:60],
                    size=_n(part.file_size / _MB),
                    packed=_n(part.compress_size / _MB, 1),
                    ratio=limits.ratio,
                )
            )
        if total > limits.unpacked_bytes:
            raise RefusedError(
                _("{file} unpacks to more than {mb} MB; save the sheet as CSV or split it").format(
                    file=limits.name, mb=_n(limits.unpacked_bytes // _MB)
                )
            )


_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _rels(book: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target path) of a part."""
    folder, _sep, file = part.rpartition("/")
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
            _(
                "{file}: its first sheet spans {ref} ({rows} rows × {columns} columns); uploads "
                "take at most {max_rows} rows, {max_columns} columns and {max_cells} cells: "
                "clear the unused cells or save it as CSV"
            ).format(
                file=limits.name,
                ref=ref[:30],
                rows=_n(rows),
                columns=_n(columns),
                max_rows=_n(limits.rows),
                max_columns=_n(limits.columns),
                max_cells=_n(limits.cells),
            )
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
        raise RefusedError(
            _("{file} has {parts} parts; a workbook has a few dozen").format(
                file=name, parts=_n(entries)
            )
        )
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        check_parts(book, limits)
        check_dimension(book, limits)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, KeyError, ET.ParseError,
            OSError, ValueError, EOFError) as exc:  # fmt: skip
        raise RefusedError(
            _("{file} is not a valid Excel workbook (.xlsx)").format(file=name)
        ) from exc
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise RefusedError(
            _("{file} is not a valid Excel workbook (.xlsx)").format(file=name)
        ) from exc
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl raises assorted errors on corrupt parts
        raise RefusedError(
            _("{file} is a corrupt Excel workbook: {error}").format(
                file=name, error=type(exc).__name__
            )
        ) from exc
    if not workbook.worksheets:
        raise RefusedError(_("{file} has no worksheet").format(file=name))
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
            for _row in range(empty):
                writer.row([])
            empty = 0
            writer.row(cells)
    except (RefusedError, MemoryError):
        raise
    except Exception as exc:
        raise RefusedError(
            _("{file} is a corrupt Excel workbook: {error}").format(
                file=name, error=type(exc).__name__
            )
        ) from exc
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
            raise RefusedError(
                _("{file}: column '{column}' holds binary data, not text").format(
                    file=limits.name, column=title[:40]
                )
            )
        try:
            column = pc.cast(column, pa.string())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            raise RefusedError(
                _(
                    "{file}: column '{column}' holds {kind} values, which cannot be read as "
                    "text or numbers"
                ).format(file=limits.name, column=title[:40], kind=str(kind)[:30])
            ) from exc
        lengths = pc.utf8_length(column)
    longest = pc.max(lengths).as_py() or 0
    if longest > limits.field_chars:
        raise RefusedError(
            _(
                "{file}: column '{column}' has a field of more than {chars} characters; this "
                "does not look like survey answers"
            ).format(file=limits.name, column=title[:40], chars=_n(limits.field_chars))
        )
    size = int(pc.sum(lengths).as_py() or 0)
    if size > limits.text_bytes:
        raise RefusedError(_too_much_text(limits))
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    return column, size


def check_footer(data: bytes, limits: Limits) -> None:
    """Refuse a Parquet file whose footer (schema, key-value metadata, column statistics) is
    larger than the limit, from the length its last 8 bytes declare, before any of it is
    parsed: 40 MB of schema metadata took pyarrow about 1 GB to read."""
    if len(data) < 12 or data[:4] != b"PAR1" or data[-4:] != b"PAR1":
        raise RefusedError(_("{file} is not a valid Parquet file").format(file=limits.name))
    (size,) = struct.unpack_from("<I", data, len(data) - 8)
    if size > limits.metadata_bytes:
        raise RefusedError(
            _(
                "{file}: its metadata (schema and statistics) takes {size} MB, more than {mb} "
                "MB; a survey file's takes kilobytes"
            ).format(file=limits.name, size=_n(size / _MB, 1), mb=_n(limits.metadata_bytes // _MB))
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
        raise RefusedError(_("{file} is not a valid Parquet file").format(file=name)) from exc
    nested = [f.name for f in schema if pa.types.is_nested(f.type)]
    if nested:
        raise RefusedError(
            _(
                "{file}: column '{column}' holds nested values (lists or records); save the "
                "file with one plain text or number column per question"
            ).format(file=name, column=str(nested[0])[:40])
        )
    if not schema.names:
        raise RefusedError(_("{file} has no columns").format(file=name))
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
        raise RefusedError(
            _("{file} is a corrupt Parquet file: {error}").format(
                file=name, error=type(exc).__name__
            )
        ) from exc


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


def _use_language(limits: Limits) -> None:
    """Word this process's refusals in the language of the request that started it."""
    global _CATALOG, _LANGUAGE
    _LANGUAGE = limits.language
    _CATALOG = gettext.NullTranslations()
    if limits.locale_dir and limits.language != "en":
        _CATALOG = gettext.translation(
            "cxbench", limits.locale_dir, languages=[limits.language], fallback=True
        )


def main(argv: Iterable[str]) -> int:
    """``sandbox.py KIND LIMITS_JSON`` with the file on stdin."""
    kind, settings = list(argv)[:2]
    limits = Limits(**json.loads(settings))
    _use_language(limits)
    confine(limits)
    data = sys.stdin.buffer.read()
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=False)
    result = run(kind, limits, data, out)
    sys.stderr.write(json.dumps(result) + "\n")
    return REFUSED if "error" in result else NO_MEMORY if "memory" in result else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
